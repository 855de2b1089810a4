"""The September reports on the service-access targets (plan §II.2.2, §III.2.2–2.7)
on a hand-made commune: figures equal counts made here; PDF, Excel, scope; and the
housing task submitted with the generated report attached."""

from __future__ import annotations

import io
import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from giamngheo.models import User
from households.models import Village
from reports.models import IssuedReport
from reports.summaries.september import REPORTS, report_for_codes
from targets.models import Measure, Population, Recipient, ServiceTarget
from tasks.models import Attachment, Task
from tests.conftest import make_household, make_review
from tests.tasks.test_task_status import make_task, make_unit, vn_time

pytestmark = pytest.mark.django_db

YEAR = 2024
TODAY = date(2024, 9, 10)
BASE = ("viec_lam", "nguoi_phu_thuoc", "dinh_duong")  # poor without a housing gap
# code, village, head, deprived (all poor but the last)
SPECS = [
    (
        "A1-01",
        "a1",
        "Bùi Văn Hùng",
        ("viec_lam", "chat_luong_nha_o", "nha_tieu_hop_ve_sinh"),
    ),
    ("A1-02", "a1", "Bùi Thị Nga", BASE),
    (
        "A2-01",
        "a2",
        "Quách Thị Lan",
        ("chat_luong_nha_o", "dien_tich_nha_o_binh_quan", "nguon_nuoc_sinh_hoat"),
    ),
    ("A2-02", "a2", "Quách Văn Tâm", ()),  # not poor: never counted
]
TARGETS = {
    "2": (Measure.POOR_WATER, "nguon_nuoc_sinh_hoat", "eq", 100, Recipient.UBND_HUYEN),
    "4a": (
        Measure.POOR_HOUSING_QUALITY,
        "chat_luong_nha_o",
        "gt",
        70,
        Recipient.UBND_XA,
    ),
    "4b": (
        Measure.POOR_FLOOR_AREA,
        "dien_tich_nha_o_binh_quan",
        "gt",
        70,
        Recipient.UBND_XA,
    ),
    "5": (Measure.POOR_LATRINE, "nha_tieu_hop_ve_sinh", "gt", 70, Recipient.UBND_HUYEN),
}
TEXTS = {
    "2": "Phấn đấu trên 100% hộ nghèo được tiếp cận nguồn nước hợp vệ sinh",
    "4a": "Phấn đấu trên 70% hộ nghèo có đảm bảo về chất lượng nhà ở",
    "4b": "Phấn đấu trên 70% hộ nghèo đảm bảo diện tích nhà ở",
    "5": "Phấn đấu trên 70% hộ nghèo có nhà tiêu hợp vệ sinh",
}


@pytest.fixture(autouse=True)
def _today() -> Any:
    with time_machine.travel(vn_time(TODAY), tick=False):
        yield


@pytest.fixture
def commune_data(village_a1: Village, village_a2: Village) -> dict[str, Village]:
    villages = {"a1": village_a1, "a2": village_a2}
    for code, village, head, deprived in SPECS:
        household = make_household(
            villages[village], code, head, registered_on=date(2015, 1, 1)
        )
        poor = bool(deprived)
        make_review(
            household,
            income=1_000_000 if poor else 3_000_000,
            deprived=deprived,
            on=date(2023, 11, 20),
        )
    for position, (code, (measure, slug, comparator, threshold, to)) in enumerate(
        TARGETS.items()
    ):
        ServiceTarget.objects.create(
            commune=village_a1.commune,
            year=YEAR,
            code=code,
            position=position,
            text=TEXTS[code],
            measure=measure,
            population=Population.POOR_HOUSEHOLDS,
            indicators=slug,
            comparator=comparator,
            threshold=Decimal(threshold),
            threshold_as_written=f"trên {threshold} %",
            responsible="Công chức Địa chính - Xây dựng",
            report_due_before=date(2024, 9, 25),
            report_recipient=to,
        )
    return villages


def expected(slug: str) -> dict[str, tuple[int, int]]:
    """(ok, total) per village name and for the commune, counted from SPECS."""
    poor = [s for s in SPECS if s[3]]
    names = {"a1": "Làng Chiềng", "a2": "Làng Bột"}
    out = {}
    for key, name in names.items():
        rows = [s for s in poor if s[1] == key]
        out[name] = (sum(1 for s in rows if slug not in s[3]), len(rows))
    out["Tổng cộng toàn xã"] = (sum(1 for s in poor if slug not in s[3]), len(poor))
    return out


def _pdf_text(content: bytes, tmp_path: Path) -> str:
    assert content.startswith(b"%PDF")
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(content)
    out = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return " ".join(out.split())


def test_report_of_codes() -> None:
    assert report_for_codes(["4a", "4b"]) is REPORTS["nha-o"]
    assert report_for_codes(["4b"]) is REPORTS["nha-o"]
    assert report_for_codes(["2", "5"]) is REPORTS["nuoc-ve-sinh"]
    assert report_for_codes(["1", "4a"]) is None
    assert report_for_codes([]) is None


def test_housing_figures_equal_the_counts(
    client: Client, officer: User, commune_data: dict[str, Village]
) -> None:
    client.force_login(officer)
    response = client.get(reverse("reports:september", args=[YEAR, "nha-o"]))
    summary = response.context["summary"]

    assert [s.target.code for s in summary.sections] == ["4a", "4b"]
    for section, slug in zip(
        summary.sections, ("chat_luong_nha_o", "dien_tich_nha_o_binh_quan"), strict=True
    ):
        want = expected(slug)
        got = {r.name: (r.ok, r.total) for r in (*section.rows, section.total)}
        assert got == want
        concerned = {c.household_code for c in section.concerned}
        assert concerned == {s[0] for s in SPECS if slug in s[3]}
    # 4a: 1 of 3 poor households; "trên 70 %" of 3 needs 3, so 2 are missing.
    quality = summary.sections[0]
    assert not quality.total.met
    assert quality.gap_sentence == (
        "Còn thiếu 2 hộ nghèo có nhà ở chưa bảo đảm chất lượng để đạt chỉ tiêu."
    )
    page = response.content.decode()
    assert TEXTS["4a"] in page and TEXTS["4b"] in page
    assert "Bùi Văn Hùng" in page and "Quách Thị Lan" in page
    assert "Quách Văn Tâm" not in page


def test_pdf_without_a_responsible_unit_is_the_communes_not_addressed_to_itself(
    client: Client, officer: User, commune_data: dict[str, Village], tmp_path: Path
) -> None:
    # No task links the housing targets to a unit: UBND xã issues the report, and
    # it writes no "Kính gửi" to itself.
    client.force_login(officer)
    url = reverse("reports:september", args=[YEAR, "nha-o"])

    text = _pdf_text(client.get(url, {"format": "pdf"}).content, tmp_path)

    assert "BÁO CÁO" in text and "/BC-UBND" in text
    assert "XÃ CAO NGỌC" in text
    assert (
        "Kết quả thực hiện chỉ tiêu tiếp cận dịch vụ xã hội cơ bản về nhà ở năm 2024"
        in text
    )
    assert "Kính gửi" not in text
    assert "TM. ỦY BAN NHÂN DÂN" in text and "Nơi nhận:" in text
    assert TEXTS["4a"] in text


def test_water_pdf_goes_to_the_district(
    client: Client, officer: User, commune_data: dict[str, Village], tmp_path: Path
) -> None:
    client.force_login(officer)
    url = reverse("reports:september", args=[YEAR, "nuoc-ve-sinh"])

    text = _pdf_text(client.get(url, {"format": "pdf"}).content, tmp_path)

    assert "Kính gửi: UBND huyện Ngọc Lặc" in text
    assert "Nơi nhận: - Như trên;" in text  # the body in "Kính gửi"
    assert "Cao Ngọc" in text
    assert TEXTS["2"] in text and TEXTS["5"] in text


def test_excel_numbers_are_numbers(
    client: Client, officer: User, commune_data: dict[str, Village]
) -> None:
    client.force_login(officer)
    url = reverse("reports:september", args=[YEAR, "nuoc-ve-sinh"])
    workbook = openpyxl.load_workbook(
        io.BytesIO(client.get(url, {"format": "xlsx"}).content)
    )
    figures, people = workbook.worksheets[0], workbook.worksheets[1]
    rows = [r for r in figures.iter_rows(min_row=6) if r[0].value in TARGETS]
    got = {(r[0].value, r[2].value): (r[3].value, r[4].value) for r in rows}
    for code, slug in (("2", "nguon_nuoc_sinh_hoat"), ("5", "nha_tieu_hop_ve_sinh")):
        for name, counts in expected(slug).items():
            assert got[(code, name)] == counts
    for r in rows:
        assert r[3].data_type == "n" and r[4].data_type == "n" and r[7].data_type == "n"
    names = {r[4].value for r in people.iter_rows(min_row=6) if r[0].value in TARGETS}
    assert names == {"Bùi Văn Hùng", "Quách Thị Lan"}


def test_village_head_sees_only_their_village(
    client: Client, head_a1: User, commune_data: dict[str, Village]
) -> None:
    client.force_login(head_a1)
    url = reverse("reports:september", args=[YEAR, "nha-o"])

    page = client.get(url).content.decode()
    workbook = openpyxl.load_workbook(
        io.BytesIO(client.get(url, {"format": "xlsx"}).content)
    )

    assert "Làng Chiềng" in page and "Bùi Văn Hùng" in page
    assert "Làng Bột" not in page and "Quách Thị Lan" not in page
    cells = {c.value for row in workbook.worksheets[0].iter_rows() for c in row}
    cells |= {c.value for row in workbook.worksheets[1].iter_rows() for c in row}
    assert "Làng Chiềng" in cells
    assert "Làng Bột" not in cells and "Quách Thị Lan" not in cells


def test_unknown_report_is_404(client: Client, officer: User) -> None:
    client.force_login(officer)
    assert client.get(f"/bao-cao/{YEAR}/bao-cao-thang-9/khac/").status_code in (404,)


def _figures(task: Task, response_html: str) -> dict[str, str]:
    """The prefilled figure inputs of the submit form, posted unchanged."""
    import re

    return dict(re.findall(r'name="(chi-tieu-[^"]+)" value="([^"]*)"', response_html))


@pytest.mark.parametrize("attach", [True, False])
def test_submitting_the_housing_task_attaches_the_generated_report(
    client: Client,
    sector: User,
    commune_data: dict[str, Village],
    settings: Any,
    tmp_path: Path,
    attach: bool,
) -> None:
    settings.MEDIA_ROOT = tmp_path
    unit = make_unit(sector.commune, "dia-chinh", "Công chức Địa chính", sector)  # type: ignore[arg-type]
    task = make_task(unit, "Báo cáo chỉ tiêu nhà ở", due=date(2024, 9, 25))
    task.service_targets.add(
        *ServiceTarget.objects.filter(code__in=["4a", "4b"], year=YEAR)
    )
    client.force_login(sector)
    url = reverse("tasks:submit", args=[task.pk])
    form = client.get(url).content.decode()
    assert "Đính kèm báo cáo (PDF, Excel)" in form
    assert 'name="dinh_kem_bao_cao" id="dinh_kem_bao_cao" checked' in form

    data = {"note": "Báo cáo nhà ở", **_figures(task, form)}
    if attach:
        data["dinh_kem_bao_cao"] = "on"
    response = client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:3000]
    attachments = Attachment.objects.filter(submission__task=task)
    if not attach:
        assert not attachments.exists()
        return
    by_name = {a.original_name: a for a in attachments}
    assert set(by_name) == {
        "bao-cao-nha-o-2024-so-01.pdf",
        "bao-cao-nha-o-2024-so-01.xlsx",
    }
    issued = IssuedReport.objects.get(task=task)
    with by_name["bao-cao-nha-o-2024-so-01.pdf"].file.open("rb") as f:
        attached_pdf = f.read()
    with by_name["bao-cao-nha-o-2024-so-01.xlsx"].file.open("rb") as f:
        attached_xlsx = f.read()
    # The attached files are the issued report's, byte for byte.
    reprint = client.get(issued.get_absolute_url(), {"format": "pdf"})
    assert attached_pdf == b"".join(reprint.streaming_content)  # type: ignore[attr-defined]
    reprint = client.get(issued.get_absolute_url(), {"format": "xlsx"})
    assert attached_xlsx == b"".join(reprint.streaming_content)  # type: ignore[attr-defined]
    text = _pdf_text(attached_pdf, tmp_path)
    assert "Số: 01/BC" in text
    assert "Bùi Văn Hùng" in text
