"""The pages that grow with the register, served by gunicorn on loopback, against the
trivial report index measured in the same run.

For each page: p50 and p95 in ms over `--runs` requests, each request right after one
to the trivial page (`/bao-cao/`), so both see the same machine load; the ratio of
the two p50s; and the page's SQL query count (in-process, Django's test client with
`CaptureQueriesContext`). Prints a table and writes JSON (`--json`).

Against an existing seeded database (the demo: `make demo`; a synthetic province:
`manage.py seed_scale`), e.g.:

    DATABASE_URL=postgres://… DEMO_MODE=True SECRET_KEY=… \\
        .venv/bin/python scripts/bench_pages.py --username canbo_1 --year 2024

The user must hold the demo password (`DEMO_PASSWORD`). The figures depend on the
machine: they are a benchmark, never a test.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import secrets
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "giamngheo.settings")
# A whole commune's Biểu 14 is a background job on the site; here its work is
# measured in the request, as the job would do it.
os.environ["TASKS_BACKEND"] = "immediate"

import django  # noqa: E402

django.setup()

import gunicorn_server  # noqa: E402 - scripts/, beside this one
from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_test_environment,
)
from django.urls import reverse  # noqa: E402

from giamngheo.models import User  # noqa: E402

TRIVIAL = "trivial /bao-cao/"


@dataclass
class Figure:
    page: str
    url: str
    p50_ms: float
    p95_ms: float
    ratio: float
    queries: int


def pages(year: int) -> dict[str, str]:
    return {
        "dashboard": reverse("reports:dashboard"),
        "targets": reverse("targets:progress", args=[year]),
        "Biểu 1": reverse("reports:review_1", args=[year]),
        "diễn biến": reverse("targets:dynamics", args=[year]),
        "villages": reverse("households:villages"),
        "household list ?status=poor": reverse("households:list") + "?status=poor",
        "Biểu 14 xlsx": reverse("reports:household_list", args=[year, 14])
        + "?format=xlsx",
    }


def query_count(username: str, url: str) -> int:
    client = Client()
    client.force_login(User.objects.get(username=username))
    client.get(url)  # warm caches, as the served pages are warm
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries)


class Session:
    """A logged-in browser, without a browser: cookies, CSRF token, redirects."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar)
        )

    def get(self, path: str) -> bytes:
        with self.opener.open(self.base + path, timeout=120) as response:
            return response.read()

    def log_in(self, username: str, password: str) -> None:
        page = self.get(reverse("login")).decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token, "no CSRF token on the login page"
        data = urllib.parse.urlencode(
            {
                "username": username,
                "password": password,
                "csrfmiddlewaretoken": token.group(1),
            }
        ).encode()
        request = urllib.request.Request(  # noqa: S310 - http://127.0.0.1 only
            self.base + reverse("login"),
            data=data,
            headers={"Referer": self.base + reverse("login")},
        )
        with self.opener.open(request, timeout=60) as response:
            if reverse("login") in response.url:
                raise SystemExit(f"Không đăng nhập được bằng {username}.")


def timed(session: Session, path: str) -> float:
    start = time.perf_counter()
    session.get(path)
    return (time.perf_counter() - start) * 1000


def serve(bind: str, workers: int) -> subprocess.Popen[bytes]:
    # Production-like, over plain HTTP on loopback; static files are not measured.
    env = {
        "SECRET_KEY": secrets.token_urlsafe(50),
        **os.environ,
        "STATIC_MANIFEST": "False",
        "DEBUG": "False",
        "SECURE_SSL": "False",
    }
    return gunicorn_server.start(bind, workers, env, ("--timeout", "300"))


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--username", default="canbo")
    parser.add_argument("--year", type=int, default=2024)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--bind", default="127.0.0.1:8021")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--only", help="pages whose name contains this")
    args = parser.parse_args()

    targets = pages(args.year)
    if args.only:
        targets = {k: v for k, v in targets.items() if args.only in k}
    trivial = reverse("reports:index")
    setup_test_environment()  # the test client's host, for the query counts
    queries = {name: query_count(args.username, url) for name, url in targets.items()}
    queries[TRIVIAL] = query_count(args.username, trivial)

    server = serve(args.bind, args.workers)
    try:
        session = Session(f"http://{args.bind}")
        session.log_in(args.username, settings.DEMO_PASSWORD)
        for url in [trivial, *targets.values()]:
            session.get(url)  # warm up each worker's caches
        times: dict[str, list[float]] = {name: [] for name in targets}
        base: dict[str, list[float]] = {name: [] for name in targets}
        for _ in range(args.runs):
            for name, url in targets.items():
                base[name].append(timed(session, trivial))
                times[name].append(timed(session, url))
    finally:
        server.terminate()
        server.wait(timeout=30)

    all_base = [t for values in base.values() for t in values]
    figures = [
        Figure(
            TRIVIAL,
            trivial,
            statistics.median(all_base),
            p95(all_base),
            1.0,
            queries[TRIVIAL],
        )
    ]
    for name, url in targets.items():
        median = statistics.median(times[name])
        figures.append(
            Figure(
                name,
                url,
                median,
                p95(times[name]),
                median / statistics.median(base[name]),
                queries[name],
            )
        )
    print(f"{'page':32} {'p50 ms':>8} {'p95 ms':>8} {'× trivial':>10} {'queries':>8}")
    for f in figures:
        print(
            f"{f.page:32} {f.p50_ms:8.0f} {f.p95_ms:8.0f} {f.ratio:10.1f} "
            f"{f.queries:8d}"
        )
    if args.json:
        args.json.write_text(
            json.dumps([asdict(f) for f in figures], ensure_ascii=False, indent=2)
        )


if __name__ == "__main__":
    main()
