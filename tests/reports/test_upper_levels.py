"""Whom a commune's document names above it: the district until 30/06/2025, the
province from 01/07/2025, when the districts were abolished (DOMAIN.md §1.2, §15)."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from giamngheo.models import User
from households.local_government import has_districts
from households.models import Commune
from reports.documents import recipients_for_report, upper_levels

LAST_DAY_WITH_DISTRICTS = date(2025, 6, 30)
FIRST_DAY_WITHOUT = date(2025, 7, 1)


def test_the_districts_end_on_30_june_2025() -> None:
    assert has_districts(LAST_DAY_WITH_DISTRICTS)
    assert not has_districts(FIRST_DAY_WITHOUT)


def commune() -> Commune:
    return Commune(name="Cao Ngọc", district="Ngọc Lặc", province="Thanh Hóa")


def test_up_to_30_june_2025_the_district_then_the_province() -> None:
    assert upper_levels(commune(), LAST_DAY_WITH_DISTRICTS) == (
        "UBND huyện Ngọc Lặc",
        "Phòng Lao động - TB&XH huyện Ngọc Lặc",
    )
    assert upper_levels(commune(), FIRST_DAY_WITHOUT) == (
        "UBND tỉnh Thanh Hóa",
        "Sở Nông nghiệp và Môi trường tỉnh Thanh Hóa",
    )


def test_a_commune_recorded_without_a_district_reports_to_its_province() -> None:
    merged = Commune(name="Minh Sơn", district="", province="Thanh Hóa")
    assert upper_levels(merged, LAST_DAY_WITH_DISTRICTS)[0] == "UBND tỉnh Thanh Hóa"


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (LAST_DAY_WITH_DISTRICTS, "huyện Ngọc Lặc"),
        (FIRST_DAY_WITHOUT, "tỉnh Thanh Hóa"),
    ],
)
def test_a_report_is_sent_to_the_level_above_on_its_date(
    on: date, expected: str
) -> None:
    lines = recipients_for_report(commune(), on=on, to_district=True)
    above = [line for line in lines if "UBND huyện" in line or "UBND tỉnh" in line]
    assert above == [f"UBND {expected} (để b/c)"]


def test_from_july_2025_no_line_names_a_district() -> None:
    lines = recipients_for_report(commune(), on=FIRST_DAY_WITHOUT, to_district=True)
    assert not [line for line in lines if "huyện" in line]


@pytest.mark.django_db
@time_machine.travel("2026-12-03 09:00 +0700", tick=False)
def test_a_review_report_printed_today_names_the_province_not_a_district(
    client: Client, officer: User, tmp_path: Path
) -> None:
    client.force_login(officer)
    response = client.get(reverse("reports:review_1", args=[2026]), {"format": "pdf"})
    assert response.status_code == 200
    pdf = tmp_path / "bieu-1.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Sở Nông nghiệp và Môi trường tỉnh Thanh Hóa" in text
    assert "huyện" not in text
