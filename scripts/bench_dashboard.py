"""Mean time to render the dashboard of the demo commune, with Django's test client.

Against an existing seeded database (DATABASE_URL), e.g.:

    DATABASE_URL=sqlite:///bench.sqlite3 DEBUG=True DEMO_MODE=True \
        .venv/bin/python scripts/bench_dashboard.py [runs] [username]
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "giamngheo.settings")

import django

django.setup()

from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

from giamngheo.models import User  # noqa: E402


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    username = sys.argv[2] if len(sys.argv) > 2 else "chutich"
    setup_test_environment()
    client = Client()
    client.force_login(User.objects.get(username=username))
    url = reverse("reports:dashboard")
    assert client.get(url).status_code == 200  # warm up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200
    mean = sum(times) / len(times)
    print(
        f"{username}: mean {mean * 1000:.0f} ms over {runs} runs "
        f"(min {min(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms)"
    )


if __name__ == "__main__":
    main()
