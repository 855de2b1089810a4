"""Item 4 and 5 of issue 8: a September report is the document of the unit that sends
it (Nghị định 30/2020: issuer under its managing body, its own ký hiệu and signer),
and a report once issued or attached to a submission stays what was sent."""

from __future__ import annotations

import hashlib
import io
import re
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pypdf
import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from giamngheo.models import Role, User
from households.models import Household, Village
from reports.issuing import parse_day
from reports.models import IssuedReport
from targets.measurement import clamp_as_of, default_as_of
from targets.models import ServiceTarget
from tasks.models import Attachment, SubmissionFigure, Task, Unit, UnitKind
from tests.conftest import make_review, make_user
from tests.reports.test_september import YEAR, _pdf_text, commune_data, expected
from tests.tasks.test_task_status import make_task, make_unit, vn_time

pytestmark = pytest.mark.django_db
__all__ = ["commune_data"]  # the fixture, imported for this module

SEPTEMBER = date(2024, 9, 10)
DECEMBER = date(2024, 12, 20)
DEADLINE = date(2024, 9, 25)  # "trước 25/9/2024": figures as of 24/09/2024

ISSUERS: dict[str, dict[str, Any]] = {
    "health station": {
        "kind": UnitKind.INSTITUTION,
        "issuer_name": "Trạm Y tế xã Cao Ngọc",
        "managing_body": "Trung tâm Y tế huyện Ngọc Lặc",
        "abbreviation": "TYT",
        "signer_title": "Trạm trưởng",
        "signer_name": "Hà Văn Minh",
    },
    "school": {
        "kind": UnitKind.INSTITUTION,
        "issuer_name": "Trường Trung học cơ sở Cao Ngọc",
        "managing_body": "UBND huyện Ngọc Lặc",
        "abbreviation": "THCS",
        "signer_title": "Hiệu trưởng",
        "signer_name": "Phạm Thị Hoa",
    },
    "civil servant": {
        "kind": UnitKind.OFFICER,
        "issuer_name": "Công chức Địa chính - Xây dựng",
        "managing_body": "UBND xã Cao Ngọc",
        "abbreviation": "ĐCXD",
        "signer_title": "Người báo cáo",
        "signer_name": "Quách Văn Dũng",
    },
}


@pytest.fixture
def housing_task(sector: User, commune_data: dict[str, Village]) -> Task:
    """The housing targets' task, done by `sector` for a civil servant's unit."""
    unit = make_unit(sector.commune, "dcxd", "Công chức Địa chính - Xây dựng", sector)  # type: ignore[arg-type]
    Unit.objects.filter(pk=unit.pk).update(**ISSUERS["civil servant"])
    task = make_task(unit, "Báo cáo chỉ tiêu nhà ở", due=DEADLINE)
    task.service_targets.add(
        *ServiceTarget.objects.filter(code__in=["4a", "4b"], year=YEAR)
    )
    return task


def _pdf(response: Any) -> bytes:
    if hasattr(response, "streaming_content"):
        return b"".join(response.streaming_content)
    return bytes(response.content)


def _flat(text: str) -> str:
    return " ".join(text.replace(" - ", " ").split())


def _issue(client: Client, user: User, slug: str = "nha-o", **data: str) -> Any:
    # Logged in at the travelled time: a session idles out after 30 minutes.
    client.force_login(user)
    url = reverse("reports:september_issue", args=[YEAR, slug])
    return client.post(url, data)


def _improve_housing(code: str, on: date) -> None:
    """A later review: the household's house is now fine (4a and 4b reached)."""
    household = Household.objects.get(code=code)
    make_review(
        household,
        income=1_000_000,
        deprived=("viec_lam", "nguoi_phu_thuoc", "dinh_duong"),
        on=on,
    )


# --- who issues each report (item 4) -----------------------------------------------


@pytest.mark.parametrize("who", list(ISSUERS))
def test_the_report_is_the_document_of_the_unit_that_sends_it(
    client: Client,
    officer: User,
    housing_task: Task,
    tmp_path: Path,
    who: str,
) -> None:
    data = ISSUERS[who]
    Unit.objects.filter(pk=housing_task.unit_id).update(**data)
    client.force_login(officer)
    url = reverse("reports:september", args=[YEAR, "nha-o"])

    with time_machine.travel(vn_time(SEPTEMBER), tick=False):
        text = _pdf_text(client.get(url, {"format": "pdf"}).content, tmp_path)

    # pdftotext drops a hyphen that ends a line ("ĐỊA CHÍNH -⏎XÂY DỰNG").
    assert _flat(data["managing_body"].upper()) in _flat(text)
    assert _flat(data["issuer_name"].upper()) in _flat(text)
    assert f"/BC-{data['abbreviation']}" in text
    assert data["signer_title"].upper() in text and data["signer_name"] in text
    assert "Kính gửi: UBND xã Cao Ngọc" in text
    # Not a document of UBND xã: no "TM.", no BC-UBND, not the chairman.
    assert "TM. ỦY BAN NHÂN DÂN" not in text and "/BC-UBND" not in text
    assert "ỦY BAN NHÂN DÂN XÃ CAO NGỌC" not in text


def test_the_report_to_the_district_is_issued_by_the_commune(
    client: Client, officer: User, commune_data: dict[str, Village], tmp_path: Path
) -> None:
    commune = officer.commune
    assert commune is not None
    commune.chairman_name = "Bùi Văn Thắng"
    commune.save()
    worker = make_user("diachinh_nn", Role.SECTOR_OFFICER, commune)
    unit = make_unit(commune, "dcnn", "Công chức Địa chính - Nông nghiệp", worker)
    Unit.objects.filter(pk=unit.pk).update(abbreviation="ĐCNN")
    task = make_task(unit, "Báo cáo nước và nhà tiêu", due=date(2024, 10, 1))
    task.service_targets.add(*ServiceTarget.objects.filter(code__in=["2", "5"]))
    client.force_login(officer)
    url = reverse("reports:september", args=[YEAR, "nuoc-ve-sinh"])

    with time_machine.travel(vn_time(SEPTEMBER), tick=False):
        text = _pdf_text(client.get(url, {"format": "pdf"}).content, tmp_path)

    assert "ỦY BAN NHÂN DÂN XÃ CAO NGỌC" in text and "/BC-UBND" in text
    assert "TM. ỦY BAN NHÂN DÂN CHỦ TỊCH" in text and "Bùi Văn Thắng" in text
    assert "Kính gửi: UBND huyện Ngọc Lặc" in text
    assert "Lưu: VT, ĐCNN." in text and "- Như trên;" in text


def _sizes(content: bytes) -> dict[str, float]:
    """The largest font size (pt) each piece of text of page 1 is drawn in."""
    sizes: dict[str, float] = {}

    def visit(text: str, cm: Any, tm: Any, font: Any, size: float) -> None:
        text = text.strip()
        if text:
            scale = abs(tm[3] * cm[3]) or 1
            sizes[text] = max(sizes.get(text, 0.0), round(size * scale, 1))

    pypdf.PdfReader(io.BytesIO(content)).pages[0].extract_text(visitor_text=visit)
    return sizes


def test_no_software_wording_and_no_heading_larger_than_the_title(
    client: Client, officer: User, housing_task: Task, tmp_path: Path
) -> None:
    ServiceTarget.objects.filter(code="4a").update(
        measurement_note="hệ thống đo theo phiếu rà soát gần nhất"
    )
    client.force_login(officer)
    url = reverse("reports:september", args=[YEAR, "nha-o"])

    with time_machine.travel(vn_time(SEPTEMBER), tick=False):
        content = client.get(url, {"format": "pdf"}).content
        page = client.get(url).content.decode()

    assert "hệ thống" not in _pdf_text(content, tmp_path)
    assert "hệ thống đo" in page  # the screen still explains the measure
    sizes = _sizes(content)
    title = next(v for k, v in sizes.items() if k.startswith("BÁO CÁO"))
    heading = next(v for k, v in sizes.items() if k.startswith("Chỉ tiêu 4a"))
    assert heading < title, sizes


# --- as-of date and freezing (item 5) ----------------------------------------------


def test_as_of_defaults_to_the_deadline_not_to_the_day_of_printing(
    client: Client, officer: User, housing_task: Task, tmp_path: Path
) -> None:
    _improve_housing("A1-01", date(2024, 11, 5))  # after the deadline
    client.force_login(officer)
    url = reverse("reports:september", args=[YEAR, "nha-o"])

    with time_machine.travel(vn_time(DECEMBER), tick=False):
        default = client.get(url)
        later = client.get(url, {"ngay": "15/12/2024"})
        text = _pdf_text(client.get(url, {"format": "pdf"}).content, tmp_path)

    assert default.context["summary"].on == date(2024, 9, 24)
    quality = default.context["summary"].sections[0].total
    assert (quality.ok, quality.total) == expected("chat_luong_nha_o")[
        "Tổng cộng toàn xã"
    ]
    assert later.context["summary"].on == date(2024, 12, 15)
    assert later.context["summary"].sections[0].total.ok == quality.ok + 1
    assert "đến ngày 24/09/2024" in text and "31/12/2024" not in text


def test_as_of_is_never_after_today_nor_outside_the_year() -> None:
    today = date(2024, 9, 10)
    assert default_as_of(DEADLINE, YEAR, today) == today  # the deadline is to come
    assert default_as_of(DEADLINE, YEAR, DECEMBER) == date(2024, 9, 24)
    assert default_as_of(None, YEAR, date(2025, 3, 1)) == date(2024, 12, 31)
    assert clamp_as_of(date(2023, 5, 1), YEAR, DECEMBER) == date(2024, 1, 1)
    assert parse_day("24/09/2024") == date(2024, 9, 24)
    assert parse_day("31/02/2024") is None and parse_day("2024-09-24") is None


def test_an_issued_report_reprints_identically_after_the_register_changes(
    client: Client, sector: User, officer: User, housing_task: Task, tmp_path: Path
) -> None:
    client.force_login(sector)
    with time_machine.travel(vn_time(date(2024, 9, 20)), tick=False):
        response = _issue(client, sector)
    issued = IssuedReport.objects.get()
    assert (
        response.status_code == 302
        and response["Location"] == issued.get_absolute_url()
    )
    assert (issued.number, issued.symbol) == (1, "BC-ĐCXD")
    assert issued.as_of == date(2024, 9, 20)  # the deadline had not come yet
    with time_machine.travel(vn_time(date(2024, 9, 20)), tick=False):
        first = _pdf(client.get(issued.get_absolute_url(), {"format": "pdf"}))
    text = _pdf_text(first, tmp_path)
    assert "Số: 01/BC-ĐCXD" in text.replace("Số: CỘNG", "Số:") or "01/BC-ĐCXD" in text
    assert "ngày 20 tháng 9 năm 2024" in text

    # A review entered late, dated before the as-of day, changes the register's past.
    _improve_housing("A1-01", date(2024, 9, 15))
    client.force_login(officer)
    with time_machine.travel(vn_time(DECEMBER), tick=False):
        again = _pdf(client.get(issued.get_absolute_url(), {"format": "pdf"}))
        draft = client.get(
            reverse("reports:september", args=[YEAR, "nha-o"]), {"ngay": "20/09/2024"}
        )

    assert again == first
    frozen = IssuedReport.objects.get().commune_figures()
    assert draft.context["summary"].sections[0].total.ok == frozen["4a"][0] + 1


def test_a_fresh_report_of_the_same_table_is_a_new_document(
    client: Client, sector: User, housing_task: Task
) -> None:
    client.force_login(sector)
    with time_machine.travel(vn_time(date(2024, 9, 20)), tick=False):
        _issue(client, sector)
    first = IssuedReport.objects.get()
    digest = hashlib.sha256(first.pdf.read()).hexdigest()
    _improve_housing("A1-01", date(2024, 9, 21))

    with time_machine.travel(vn_time(date(2024, 9, 23)), tick=False):
        response = _issue(client, sector, ngay="23/09/2024")
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Chưa ban hành" not in page, re.findall("Chưa ban hành[^<]*", page)

    second = IssuedReport.objects.exclude(pk=first.pk).get()
    assert (first.number, second.number) == (1, 2)
    assert second.commune_figures()["4a"][0] == first.commune_figures()["4a"][0] + 1
    first.refresh_from_db()
    first.pdf.open("rb")
    assert hashlib.sha256(first.pdf.read()).hexdigest() == digest
    assert first.pdf.name != second.pdf.name


def test_a_number_already_used_is_refused_and_nothing_is_kept(
    client: Client, sector: User, housing_task: Task
) -> None:
    client.force_login(sector)
    with time_machine.travel(vn_time(date(2024, 9, 20)), tick=False):
        _issue(client, sector, so="07")
        response = _issue(client, sector, so="7")
        page = client.get(response["Location"]).content.decode()
        bad_day = _issue(client, sector, ngay="32/09/2024")
        bad_page = client.get(bad_day["Location"]).content.decode()

    assert IssuedReport.objects.get().number == 7
    assert "Số 07/BC-ĐCXD năm 2024 đã được dùng" in page
    assert "số còn trống tiếp theo là 08" in page
    assert "ngày số liệu “32/09/2024” không đúng dạng" in bad_page
    assert IssuedReport.objects.count() == 1


def _submit_form(client: Client, task: Task) -> tuple[str, dict[str, str]]:
    url = reverse("tasks:submit", args=[task.pk])
    form = client.get(url).content.decode()
    figures = dict(re.findall(r'name="(chi-tieu-[^"]+)" value="([^"]*)"', form))
    return url, figures


def _xlsx_totals(content: bytes) -> dict[str, tuple[int, int]]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    return {
        r[0].value: (r[3].value, r[4].value)
        for r in sheet.iter_rows(min_row=6)
        if r[2].value == "Tổng cộng toàn xã"
    }


def test_the_submission_figures_and_the_attached_files_agree(
    client: Client,
    sector: User,
    housing_task: Task,
    settings: Any,
    tmp_path: Path,
) -> None:
    settings.MEDIA_ROOT = tmp_path
    client.force_login(sector)
    with time_machine.travel(vn_time(date(2024, 9, 20)), tick=False):
        _issue(client, sector, ngay="18/09/2024")
        issued = IssuedReport.objects.get()
        scan = SimpleUploadedFile("ban-ky.pdf", b"%PDF-1.4\n%scan\n", "application/pdf")
        client.post(reverse("reports:issued_scan", args=[issued.pk]), {"ban_ky": scan})
        # The register changes after the report was issued…
        _improve_housing("A1-01", date(2024, 9, 19))
        url, figures = _submit_form(client, housing_task)
        # …a different figure is refused while the report is attached…
        changed = {
            **figures,
            next(k for k in figures if k.endswith("reported_ok")): "0",
        }
        refused = client.post(url, {"note": "x", "dinh_kem_bao_cao": "on", **changed})
        assert refused.status_code == 200 and not Attachment.objects.exists()
        assert (
            "số liệu nộp phải đúng số liệu báo cáo đính kèm" in refused.content.decode()
        )
        # …and the report's own figures are what is submitted.
        response = client.post(
            url, {"note": "Nhà ở", "dinh_kem_bao_cao": "on", **figures}
        )

    assert response.status_code == 302
    issued.refresh_from_db()
    submitted = {
        f.service_target.code: (f.reported_ok, f.reported_total)
        for f in SubmissionFigure.objects.select_related("service_target")
    }
    assert submitted == issued.commune_figures()
    files = {a.original_name: a for a in Attachment.objects.all()}
    assert set(files) == {
        "bao-cao-nha-o-2024-so-01.pdf",
        "bao-cao-nha-o-2024-so-01.xlsx",
        "ban-ky.pdf",
    }
    with files["bao-cao-nha-o-2024-so-01.xlsx"].file.open("rb") as f:
        assert _xlsx_totals(f.read()) == submitted
    with files["bao-cao-nha-o-2024-so-01.pdf"].file.open("rb") as f:
        attached = f.read()
    issued.pdf.open("rb")
    assert attached == issued.pdf.read()
    text = _pdf_text(attached, tmp_path)
    for ok, total in submitted.values():
        assert re.search(rf"Tổng cộng toàn xã {ok} {total}\b", text), text


def test_submitting_without_an_issued_report_issues_one_as_of_the_deadline(
    client: Client, sector: User, housing_task: Task, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    _improve_housing("A1-01", date(2024, 9, 30))  # after the deadline
    client.force_login(sector)
    with time_machine.travel(vn_time(date(2024, 10, 2)), tick=False):  # late
        url, figures = _submit_form(client, housing_task)
        client.post(url, {"note": "Nhà ở", "dinh_kem_bao_cao": "on", **figures})
        detail = client.get(housing_task.get_absolute_url()).content.decode()

    issued = IssuedReport.objects.get()
    assert f"Số {issued.reference} ngày 02/10/2024" in detail
    assert issued.as_of == date(2024, 9, 24) and issued.task == housing_task
    assert issued.issued_on == date(2024, 10, 2)
    submitted = {
        f.service_target.code: (f.reported_ok, f.reported_total)
        for f in SubmissionFigure.objects.select_related("service_target")
    }
    assert submitted == issued.commune_figures()
    assert submitted["4a"] == expected("chat_luong_nha_o")["Tổng cộng toàn xã"]


# --- scope -------------------------------------------------------------------------


def test_a_unit_sees_and_issues_only_its_own_reports(
    client: Client,
    sector: User,
    officer: User,
    chairman: User,
    head_a1: User,
    outsider: User,
    housing_task: Task,
) -> None:
    other = make_user("truonghoc", Role.SECTOR_OFFICER, sector.commune)
    make_unit(sector.commune, "nha_truong", "Các nhà trường", other)  # type: ignore[arg-type]
    client.force_login(sector)
    with time_machine.travel(vn_time(date(2024, 9, 20)), tick=False):
        _issue(client, sector)
    issued = IssuedReport.objects.get()
    url = issued.get_absolute_url()

    for user, status in (
        (sector, 200),
        (officer, 200),
        (chairman, 200),
        (other, 404),
        (head_a1, 404),
        (outsider, 404),
    ):
        client.force_login(user)
        assert client.get(url).status_code == status, user.username
        assert client.get(url, {"format": "pdf"}).status_code == status
    for user in (other, head_a1, officer, chairman):
        client.force_login(user)
        assert _issue(client, user).status_code == 403, user.username
        scan = SimpleUploadedFile("s.pdf", b"%PDF-1.4\n", "application/pdf")
        response = client.post(
            reverse("reports:issued_scan", args=[issued.pk]), {"ban_ky": scan}
        )
        assert response.status_code in (403, 404), user.username
    assert IssuedReport.objects.count() == 1
    assert not IssuedReport.objects.get().signed_scan
    # The other unit's report page lists no report it may not open.
    client.force_login(other)
    page = client.get(reverse("reports:september", args=[YEAR, "nha-o"]))
    assert url not in page.content.decode()


def test_the_admin_shows_issued_reports_read_only(
    client: Client, admin: User, sector: User, housing_task: Task
) -> None:
    with time_machine.travel(vn_time(date(2024, 9, 20)), tick=False):
        _issue(client, sector)
    issued = IssuedReport.objects.get()
    client.force_login(admin)

    listing = client.get("/quan-tri/reports/issuedreport/")
    change = client.post(
        f"/quan-tri/reports/issuedreport/{issued.pk}/change/", {"number": "9"}
    )

    assert listing.status_code == 200 and "01/BC-ĐCXD" in listing.content.decode()
    assert change.status_code == 403
    assert IssuedReport.objects.get().number == 1
