"""Phụ lục 01: the same figures on screen, in the PDF and in the Excel file."""

from __future__ import annotations

import io
import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from giamngheo.models import User
from households.models import Village
from targets.models import PovertyTarget, VillageAllocation
from tests.conftest import make_household, make_review

POOR = ("chat_luong_nha_o", "nha_tieu_hop_ve_sinh", "nguon_nuoc_sinh_hoat")
END_2023 = date(2023, 11, 20)


@pytest.fixture
def commune_with_target(village_a1: Village, village_a2: Village) -> PovertyTarget:
    """Village A1: 4 households, 3 poor; A2: 5 households, 1 poor; target 4 → 2."""
    for village, total, poor in ((village_a1, 4, 3), (village_a2, 5, 1)):
        for n in range(total):
            household = make_household(
                village,
                f"{village.pk}-{n}",
                head_name=f"Bùi Văn Số{n}",
                registered_on=date(2015, 1, 1),
            )
            make_review(
                household,
                income=1_000_000 if n < poor else 3_000_000,
                deprived=POOR if n < poor else (),
                on=END_2023,
            )
    target = PovertyTarget.objects.create(
        commune=village_a1.commune, year=2024, poor_target_end=2
    )
    VillageAllocation.objects.create(
        target=target, village=village_a1, poor_reduction=2
    )
    VillageAllocation.objects.create(
        target=target, village=village_a2, poor_reduction=0
    )
    return target


def test_html_shows_counts_rates_and_the_column_codes(
    client: Client, officer: User, commune_with_target: PovertyTarget
) -> None:
    client.force_login(officer)
    body = client.get(reverse("reports:appendix_01", args=[2024])).content.decode()

    # Independently: 4 of 9 households poor at the start (44,44 %), 2 at the end.
    assert "Tổng cộng toàn xã" in body
    assert "44,44 %" in body  # 4/9
    assert "22,22 %" in body  # 2/9
    assert "75,00 %" in body  # A1: 3/4
    assert "3 = 2/1×100" in body and "6 = 5/1×100" in body


def test_excel_numbers_are_numbers_equal_to_the_summary(
    client: Client, officer: User, commune_with_target: PovertyTarget
) -> None:
    client.force_login(officer)
    response = client.get(
        reverse("reports:appendix_01", args=[2024]), {"format": "xlsx"}
    )

    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = workbook["Phụ lục 01"]
    rows = [
        [c.value for c in row] for row in sheet.iter_rows(min_row=7) if row[1].value
    ]
    assert rows[0][:7] == ["1", "Làng Chiềng", 4, 3, 75.0, 2, 1]
    assert rows[-1][1] == "Tổng cộng toàn xã"
    assert rows[-1][2:7] == [9, 4, pytest.approx(44.44), 2, 2]
    assert isinstance(rows[-1][2], int)
    assert "Thông tin xuất" in workbook.sheetnames


def test_village_head_report_is_their_village_only(
    client: Client, head_a1: User, commune_with_target: PovertyTarget
) -> None:
    client.force_login(head_a1)
    body = client.get(reverse("reports:appendix_01", args=[2024])).content.decode()

    assert "Làng Chiềng" in body
    assert "Làng Bột" not in body
    assert "Tổng cộng toàn xã" not in body


def test_pdf_text_and_fonts(
    client: Client, officer: User, commune_with_target: PovertyTarget, tmp_path: Path
) -> None:
    client.force_login(officer)
    response = client.get(
        reverse("reports:appendix_01", args=[2024]), {"format": "pdf"}
    )
    assert response.content.startswith(b"%PDF")
    pdf = tmp_path / "pl01.pdf"
    pdf.write_bytes(response.content)

    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Phụ lục số 01" in text
    assert "GIAO CHỈ TIÊU GIẢM NGHÈO NĂM 2024" in text
    assert "UBND xã Cao Ngọc" in text
    assert "44,44 %" in text

    fonts = subprocess.run(
        ["pdffonts", str(pdf)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert fonts
    assert all("Liberation-Serif" in line for line in fonts)


def test_rates_in_the_summary_round_half_up() -> None:
    from households.rates import rate

    assert rate(64, 1229) == Decimal("5.21")
    assert rate(40, 1229) == Decimal("3.25")
