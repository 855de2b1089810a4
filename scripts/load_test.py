"""A bounded load test on loopback: the seeded demo commune (`make demo`) served by
gunicorn with production-like settings, and `--users` simulated staff (locust,
headless) logging in once each, then browsing for `--duration`.

The accounts are the demo's officer (canbo), chairman (chutich) and village heads
(truongthon1…), taken in turn; the pages: the dashboard, the household list, a search,
one household's page, the targets, the reports page, Phụ lục 01 as PDF and as Excel
(scripts/locustfile.py). Before the clock starts, each account opens each page once,
as scripts/bench_pages.py warms its pages: the figures are the steady state (a PDF
asked for the first time renders once, then comes from the cache).

Writes `--json` (users, duration, requests, failures, per page its requests,
failures, p50 and p95 in ms) and prints it. Exits non-zero when a request failed. e.g.

    DATABASE_URL=postgres://… .venv/bin/python scripts/load_test.py -u 50 -t 2m

The figures depend on the machine: `make audit` runs it, `make test` never does.
"""

from __future__ import annotations

import argparse
import csv
import http.cookiejar
import json
import os
import re
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "giamngheo.settings")

import django  # noqa: E402

django.setup()

import gunicorn_server  # noqa: E402 - scripts/, beside this one
from django.conf import settings  # noqa: E402
from django.urls import reverse  # noqa: E402

from giamngheo.models import User  # noqa: E402
from households.models import Household  # noqa: E402

YEAR = 2024  # the demo's year
ACCOUNTS = ["canbo", "chutich", *(f"truongthon{n}" for n in range(1, 12))]
# What gunicorn runs with: README's deployment, over plain HTTP on loopback.
SERVER_ENV = {
    "DEBUG": "False",
    "SECURE_SSL": "False",
    "STATIC_MANIFEST": "False",
    "DEMO_MODE": "True",
    "DEMO_WORKING_DATE": "20/12/2024",
    "LOG_LEVEL": "WARNING",
    # As behind nginx: the client's address is the one nginx appends to
    # X-Forwarded-For (each simulated user sends its own, locustfile.py).
    "AXES_IPWARE_PROXY_COUNT": "1",
}


def plan(accounts: list[str]) -> dict[str, Any]:
    """The URLs, and per account a few households it may open and searches."""
    missing = [a for a in accounts if not User.objects.filter(username=a).exists()]
    if missing:
        raise SystemExit(
            f"Chưa có tài khoản mẫu {', '.join(missing)}: chạy `make demo` trước "
            "(cùng DATABASE_URL)."
        )
    entries = []
    for username in accounts:
        user = User.objects.get(username=username)
        households = list(
            Household.objects.visible_to(user).order_by("pk").values("pk", "code")[:30]
        )
        entries.append(
            {
                "username": username,
                "households": [h["pk"] for h in households],
                # A code typed whole, and a village's prefix ("CN-03").
                "searches": [households[0]["code"], households[-1]["code"][:5]],
            }
        )
    pdf = reverse("reports:appendix_01", args=[YEAR])
    return {
        "password": settings.DEMO_PASSWORD,
        "accounts": entries,
        "urls": {
            "login": reverse("login"),
            "dashboard": reverse("reports:dashboard"),
            "list": reverse("households:list"),
            "detail": reverse("households:detail", args=[999_999_999]).replace(
                "999999999", "{pk}"
            ),
            "targets": reverse("targets:progress", args=[YEAR]),
            "reports": reverse("reports:index"),
            "pdf": f"{pdf}?format=pdf",
            "excel": f"{pdf}?format=xlsx",
        },
    }


def serve(bind: str, workers: int, folder: Path) -> subprocess.Popen[bytes]:
    env = {
        "SECRET_KEY": secrets.token_urlsafe(50),
        **os.environ,
        **SERVER_ENV,
        "ALLOWED_HOSTS": bind.split(":")[0],
        "PDF_CACHE_DIR": str(folder / "pdf-cache"),
        "MEDIA_ROOT": str(folder / "media"),
    }
    return gunicorn_server.start(
        bind,
        workers,
        env,
        [
            "--threads",
            "4",
            "--max-requests",
            "500",
            "--max-requests-jitter",
            "50",
            "--no-control-socket",
        ],
    )


def warm_up(base: str, steps: dict[str, Any]) -> None:
    """Each account opens each page once (logged in with urllib, not locust), four
    accounts at a time, each from an address of its own."""
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(
            pool.map(
                lambda n: browse_once(base, steps, steps["accounts"][n], n),
                range(len(steps["accounts"])),
            )
        )


def browse_once(
    base: str, steps: dict[str, Any], account: dict[str, Any], n: int
) -> None:
    urls = steps["urls"]
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    opener.addheaders = [("X-Forwarded-For", f"10.21.0.{n + 1}")]
    page = opener.open(base + urls["login"], timeout=60).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    data = urllib.parse.urlencode(
        {
            "username": account["username"],
            "password": steps["password"],
            "csrfmiddlewaretoken": token.group(1) if token else "",
        }
    ).encode()
    opener.open(base + urls["login"], data, timeout=60).read()
    for name in ("dashboard", "list", "targets", "reports", "pdf", "excel"):
        for _ in range(30):
            try:
                opener.open(base + urls[name], timeout=120).read()
                break
            except urllib.error.HTTPError as error:
                # 503: the PDF slot renders another account's document; it says when.
                if error.code != 503:
                    raise
                time.sleep(float(error.headers.get("Retry-After") or 1))


def figures(stats_csv: Path, users: int, duration: str) -> dict[str, Any]:
    """locust's `--csv` stats: one row per page name, and the "Aggregated" row."""
    pages: dict[str, dict[str, Any]] = {}
    total: dict[str, Any] = {}
    with stats_csv.open(encoding="utf-8") as rows:
        for row in csv.DictReader(rows):
            entry = {
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "p50_ms": float(row["50%"]),
                "p95_ms": float(row["95%"]),
            }
            if row["Name"] == "Aggregated":
                total = entry
            else:
                pages[row["Name"]] = entry
    errors = []
    failures_csv = stats_csv.with_name(stats_csv.name.replace("_stats", "_failures"))
    if failures_csv.exists():
        with failures_csv.open(encoding="utf-8") as rows:
            errors = [
                {
                    "page": row["Name"],
                    "error": row["Error"],
                    "count": int(row["Occurrences"]),
                }
                for row in csv.DictReader(rows)
            ]
    return {
        "users": users,
        "duration": duration,
        "requests": total.get("requests", 0),
        "failures": total.get("failures", 0),
        "p50_ms": total.get("p50_ms"),
        "p95_ms": total.get("p95_ms"),
        "pages": pages,
        "errors": errors,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-u", "--users", type=int, default=50)
    parser.add_argument("-r", "--spawn-rate", type=float, default=10)
    parser.add_argument("-t", "--duration", default="2m", help="locust's --run-time")
    parser.add_argument("--bind", default="127.0.0.1:8031")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--json", type=Path, default=Path("load_test.json"))
    args = parser.parse_args()

    steps = plan(ACCOUNTS)
    with tempfile.TemporaryDirectory(prefix="load-test-") as temporary:
        folder = Path(temporary)
        plan_file = folder / "plan.json"
        plan_file.write_text(json.dumps(steps, ensure_ascii=False))
        server = serve(args.bind, args.workers, folder)
        try:
            warm_up(f"http://{args.bind}", steps)
            run = subprocess.run(  # noqa: S603 - our own locust, fixed arguments
                [
                    str(Path(sys.executable).parent / "locust"),
                    *("-f", str(ROOT / "scripts" / "locustfile.py")),
                    *("--headless", "--only-summary", "--skip-log-setup"),
                    *("--host", f"http://{args.bind}"),
                    *("-u", str(args.users), "-r", str(args.spawn_rate)),
                    *("-t", args.duration, "--stop-timeout", "10"),
                    *("--csv", str(folder / "load")),
                    "--loglevel",
                    "WARNING",
                ],
                cwd=ROOT,
                env={**os.environ, "LOAD_TEST_PLAN": str(plan_file)},
                check=False,
            )
        finally:
            server.terminate()
            server.wait(timeout=30)
        stats = folder / "load_stats.csv"
        if not stats.exists():
            raise SystemExit(f"locust không ghi số liệu (mã thoát {run.returncode}).")
        result = figures(stats, args.users, args.duration)
    args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2))
    print(f"{'trang':24} {'yêu cầu':>8} {'lỗi':>5} {'p50 ms':>8} {'p95 ms':>8}")
    for name, page in sorted(result["pages"].items()):
        print(
            f"{name:24} {page['requests']:8d} {page['failures']:5d} "
            f"{page['p50_ms']:8.0f} {page['p95_ms']:8.0f}"
        )
    for error in result["errors"]:
        print(f"lỗi: {error['page']}: {error['error']} ({error['count']} lần)")
    print(
        f"{args.users} người dùng, {args.duration}: {result['requests']} yêu cầu, "
        f"{result['failures']} lỗi."
    )
    sys.exit(1 if result["failures"] else 0)


if __name__ == "__main__":
    main()
