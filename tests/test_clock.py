"""One "today" for every page: the real date, or the demo's working date."""

from __future__ import annotations

from datetime import date

import time_machine
from django.core.checks import run_checks
from django.test import Client
from django.utils import timezone

from giamngheo.models import User
from households import clock

WORKING = date(2024, 12, 20)


@time_machine.travel("2026-12-03 09:15 +07:00", tick=False)
def test_without_a_working_date_today_is_the_real_date(settings: object) -> None:
    settings.DEMO_WORKING_DATE = None  # type: ignore[attr-defined]

    assert clock.today() == date(2026, 12, 3)
    assert clock.now() == timezone.now()


@time_machine.travel("2026-12-03 09:15 +07:00", tick=False)
def test_with_a_working_date_today_is_that_day_at_the_current_hour(
    settings: object,
) -> None:
    settings.DEMO_WORKING_DATE = WORKING  # type: ignore[attr-defined]

    assert clock.today() == WORKING
    now = timezone.localtime(clock.now())
    assert now.date() == WORKING
    assert (now.hour, now.minute) == (9, 15)


def test_every_page_shows_the_working_date_of_the_demo(
    settings: object, client: Client, officer: User
) -> None:
    settings.DEMO_WORKING_DATE = WORKING  # type: ignore[attr-defined]
    client.force_login(officer)

    for url in ("/ho/", "/nhiem-vu/", "/bao-cao/"):
        body = client.get(url).content.decode()
        assert "Dữ liệu mẫu — ngày làm việc 20/12/2024" in body, url


def test_a_real_install_shows_no_working_date(
    settings: object, client: Client, officer: User
) -> None:
    settings.DEMO_WORKING_DATE = None  # type: ignore[attr-defined]
    client.force_login(officer)

    assert "ngày làm việc" not in client.get("/ho/").content.decode()


def test_a_working_date_outside_demo_mode_fails_the_checks(
    settings: object, db: None
) -> None:
    settings.DEMO_MODE = False  # type: ignore[attr-defined]
    settings.DEMO_WORKING_DATE = WORKING  # type: ignore[attr-defined]

    assert "giamngheo.E003" in [error.id for error in run_checks()]


def test_the_example_environment_plays_the_demo_on_its_working_date() -> None:
    from pathlib import Path

    from django.conf import settings

    from demo import register

    example = (Path(settings.BASE_DIR) / ".env.example").read_text(encoding="utf-8")
    assert f"DEMO_WORKING_DATE={register.WORKING_DATE:%d/%m/%Y}" in example.splitlines()
