"""Time the PDF reports on a seeded database: rendering, the cache, and a household
page while PDFs are being rendered. Loopback only, a bounded number of requests.

Against an existing seeded database (DATABASE_URL), e.g. (or `make bench`):

    DATABASE_URL=sqlite:///db.sqlite3 DEBUG=True DEMO_MODE=True \\
        .venv/bin/python scripts/bench_pdf.py [--runs 3] [--concurrent 9] [--compare]

1. In this process: Biểu 14 and Biểu 15 of the whole commune as PDF, rendered (an
   empty cache each run), then again from the cache.
2. gunicorn on 127.0.0.1 (the README's command: 2 workers × 4 threads) with the
   configured PDF_RENDER_SLOTS and PDF_RENDER_WAIT: the time of a household's page
   alone, then while N PDFs (the commune's Biểu 14 and 15, as in issue 8) are asked
   for at once, and what those requests got (200, or 503 told to retry). `--compare`
   runs the same load again with no cache and no limit, as before.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "giamngheo.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

from giamngheo.models import User  # noqa: E402
from households.models import Household  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
MAX_CONCURRENT = 20  # a bound on the load this script may send, whatever it is told
# The server of part 2 runs with DEBUG=False, which refuses the development key.
SERVER_SECRET_KEY = "bench-only-not-a-secret-" + "x" * 40
YEAR = 2024


def ms(seconds: float) -> str:
    return f"{seconds:.2f} s" if seconds >= 1 else f"{seconds * 1000:.0f} ms"


def summary(times: list[float]) -> str:
    if not times:
        return "no request"
    return (
        f"median {ms(statistics.median(times))}, max {ms(max(times))} "
        f"({len(times)} requests)"
    )


# --- 1. Rendering and the cache, in this process -----------------------------------


def bench_rendering(username: str, runs: int) -> None:
    setup_test_environment()
    client = Client()
    client.force_login(User.objects.get(username=username))
    for number in (14, 15):
        url = reverse("reports:household_list", args=[YEAR, number])
        rendered, cached = [], []
        for _ in range(runs):
            with (
                tempfile.TemporaryDirectory() as empty,
                override_settings(PDF_CACHE_DIR=empty, PDF_RENDER_WAIT=60),
            ):
                start = time.perf_counter()
                response = client.get(url, {"format": "pdf"})
                rendered.append(time.perf_counter() - start)
                assert response.status_code == 200, response.status_code
                first = response.content
                start = time.perf_counter()
                again = client.get(url, {"format": "pdf"})
                cached.append(time.perf_counter() - start)
                assert again.content == first
        print(
            f"Biểu {number} PDF ({len(first) // 1024} KB): "
            f"rendered {summary(rendered)}; from the cache {summary(cached)}"
        )


# --- 2. A household page while PDFs render, through gunicorn ------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def session_cookie(username: str) -> str:
    """A logged-in session, signed with the key the server runs with."""
    user = User.objects.get(username=username)
    with override_settings(SECRET_KEY=SERVER_SECRET_KEY):
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def get(url: str, cookie: str, timeout: float = 180) -> tuple[int, float]:
    """Status and seconds; a redirect (to the login page) is an error, not a 200."""
    request = urllib.request.Request(url, headers={"Cookie": cookie})  # noqa: S310
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - loopback
            response.read()
            status = response.status
            if response.geturl() != url:
                raise SystemExit(f"{url} was redirected to {response.geturl()}")
            wanted = "application/pdf" if "format=pdf" in url else "text/html"
            if not response.headers.get("Content-Type", "").startswith(wanted):
                raise SystemExit(f"{url} answered {response.headers['Content-Type']}")
    except urllib.error.HTTPError as error:
        error.read()
        status = error.code
    return status, time.perf_counter() - start


def start_server(
    port: int, cache_dir: str, load: Load, slots: int, wait: float, cache_mb: int
) -> subprocess.Popen[bytes]:
    """gunicorn as the README runs it (2 workers × 4 threads), or as `load` says."""
    env = {
        **os.environ,
        "DEBUG": "False",
        "SECRET_KEY": SERVER_SECRET_KEY,
        "SECURE_SSL": "False",
        "STATIC_MANIFEST": "False",
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOG_LEVEL": "CRITICAL",
        "PDF_CACHE_DIR": cache_dir,
        "PDF_RENDER_SLOTS": str(slots),
        "PDF_RENDER_WAIT": str(wait),
        "PDF_CACHE_MAX_MB": str(cache_mb),
        "DATABASE_URL": os.environ.get(
            "DATABASE_URL", f"sqlite:///{settings.DATABASES['default']['NAME']}"
        ),
    }
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
        [
            str(gunicorn),
            "giamngheo.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(load.workers),
            "--threads",
            str(load.threads),
            "--no-control-socket",
            "--timeout",
            "300",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not start on 127.0.0.1")


@dataclass(frozen=True)
class Load:
    username: str
    concurrent: int  # PDF requests sent at once
    workers: int
    threads: int


def bench_load(
    load: Load,
    label: str,
    *,
    slots: int,
    wait: float,
    cache_mb: int,
) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    cookie = session_cookie(load.username)
    household = Household.objects.order_by("pk").first()
    assert household is not None, "seed the database first (manage.py seed_demo)"
    page = base + reverse("households:detail", args=[household.pk])
    # The load: the whole commune's Biểu 14 and 15, asked for by many at once.
    pdfs = [
        base + reverse("reports:household_list", args=[YEAR, 14 + index % 2])
        for index in range(load.concurrent)
    ]
    pdfs = [url + "?format=pdf" for url in pdfs]
    with tempfile.TemporaryDirectory() as cache_dir:
        server = start_server(port, cache_dir, load, slots, wait, cache_mb)
        try:
            assert get(page, cookie)[0] == 200  # warm up both workers
            assert get(page, cookie)[0] == 200
            alone = [get(page, cookie)[1] for _ in range(5)]
            results: list[tuple[int, float]] = []

            def fetch(url: str) -> None:
                results.append(get(url, cookie))

            threads = [threading.Thread(target=fetch, args=(url,)) for url in pdfs]
            start = time.perf_counter()
            for thread in threads:
                thread.start()
            time.sleep(0.3)  # the PDFs reach the workers first
            during = []
            while any(t.is_alive() for t in threads) and len(during) < 30:
                status, seconds = get(page, cookie)
                assert status == 200, status
                during.append(seconds)
                time.sleep(0.2)
            for thread in threads:
                thread.join()
            total = time.perf_counter() - start
        finally:
            server.terminate()
            server.wait(timeout=30)
    statuses = [status for status, _ in results]
    print(
        f"{label}: {load.concurrent} PDFs at once (Biểu 14 and 15 of the commune), "
        f"PDF_RENDER_SLOTS={slots}, PDF_RENDER_WAIT={wait} s, "
        f"gunicorn {load.workers} workers × {load.threads} threads"
    )
    print(f"  household page alone:        {summary(alone)}")
    print(f"  household page during PDFs:  {summary(during)}")
    done, busy = statuses.count(200), statuses.count(503)
    print(
        f"  PDF requests: {done} rendered, {busy} told to retry (503), "
        f"{len(statuses) - done - busy} other; "
        f"{summary([s for _, s in results])}; all done in {total:.1f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--concurrent", type=int, default=6)
    parser.add_argument("--username", default="canbo")
    parser.add_argument("--compare", action="store_true", help="also run without limit")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--skip-rendering", action="store_true", help="only part 2")
    parser.add_argument("--skip-load", action="store_true", help="only part 1")
    args = parser.parse_args()
    load = Load(
        args.username,
        max(1, min(args.concurrent, MAX_CONCURRENT)),
        max(1, min(args.workers, 8)),
        max(1, min(args.threads, 8)),
    )
    if not args.skip_rendering:
        bench_rendering(args.username, max(1, args.runs))
    if args.skip_load:
        return
    bench_load(
        load,
        "With the cache and the limit",
        slots=settings.PDF_RENDER_SLOTS,
        wait=settings.PDF_RENDER_WAIT,
        cache_mb=settings.PDF_CACHE_MAX_MB,
    )
    if args.compare:
        # As before: the README's 2 sync workers, every request renders (a cache of
        # 0 MB keeps nothing), no limit.
        bench_load(
            replace(load, threads=1),
            "Without cache or limit (as before)",
            slots=load.concurrent,
            wait=300,
            cache_mb=0,
        )


if __name__ == "__main__":
    main()
