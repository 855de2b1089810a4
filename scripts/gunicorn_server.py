"""The app served by gunicorn on loopback for the measuring scripts (bench_pages,
load_test): started with the given options, returned once it answers."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def start(
    bind: str, workers: int, env: Mapping[str, str], options: Sequence[str] = ()
) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "giamngheo.wsgi",
            *("--bind", bind, "--workers", str(workers)),
            *options,
            *("--log-level", "warning"),
        ],
        cwd=ROOT,
        env=dict(env),
    )
    for _ in range(150):  # 30 s: two workers importing Django and WeasyPrint
        try:
            urllib.request.urlopen(f"http://{bind}/", timeout=2)
            return process
        except urllib.error.HTTPError:
            return process  # it answers
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("gunicorn không khởi động được.")
