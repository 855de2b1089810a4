"""Files attached to a submission: type checked by extension AND content, 10 MB each,
stored under a random name, downloaded with their own name by those who see the task.

A refused file leaves nothing behind: no Submission, no Attachment, no file on disk,
and the task keeps its status.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from giamngheo.models import User
from households import uploads
from tasks import actions
from tasks.models import Attachment, Submission, Task, TaskStatus, Unit
from tests.tasks.test_task_status import client_for, make_task, make_unit

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(17)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(20)
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(64)


def office_zip(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<xml/>")
    return buffer.getvalue()


DOCX = office_zip("[Content_Types].xml", "_rels/.rels", "word/document.xml")
XLSX = office_zip("[Content_Types].xml", "_rels/.rels", "xl/workbook.xml")
XLSX_WITH_MACROS = office_zip(
    "[Content_Types].xml", "xl/workbook.xml", "xl/vbaProject.bin"
)
ZIP_NOT_OFFICE = office_zip("readme.txt", "word/document.xml")
XLS_WITH_MACROS = OLE + "_VBA_PROJECT_CUR".encode("utf-16-le") + bytes(64)


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


# --- The pure checks -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("bao-cao.pdf", PDF),
        ("BAO-CAO.PDF", PDF),
        ("anh.png", PNG),
        ("anh.jpg", JPEG),
        ("anh.jpeg", JPEG),
        ("so-lieu.xls", OLE),
        ("cong-van.doc", OLE),
        ("cong-van.docx", DOCX),
        ("so-lieu.xlsx", XLSX),
    ],
)
def test_good_files_pass(name: str, content: bytes) -> None:
    checked = uploads.check_upload(upload(name, content))
    assert checked.original_name == name
    assert checked.size == len(content)
    assert len(checked.sha256) == 64


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("tool.exe", EXE, "không nhận loại tệp này"),
        ("report.pdf", EXE, "không phải là PDF"),
        ("anh.png", JPEG, "không phải là ảnh PNG"),
        ("bao-cao.docx", b"Day khong phai la tep zip" * 10, "không phải là Word"),
        ("so-lieu.xlsx", DOCX, "không phải là tệp Excel hợp lệ"),
        ("bao-cao.docx", ZIP_NOT_OFFICE, "không phải là tệp Word hợp lệ"),
        ("so-lieu.xlsx", XLSX_WITH_MACROS, "có chứa macro"),
        ("so-lieu.xls", XLS_WITH_MACROS, "có chứa macro"),
        ("so-lieu.xlsm", XLSX, "không nhận loại tệp này"),
        ("bao-cao.pdf", b"", "rỗng"),
        ("bao-cao", PDF, "không nhận loại tệp này"),
    ],
    ids=[
        "exe",
        "renamed_exe",
        "jpeg_as_png",
        "docx_not_zip",
        "docx_as_xlsx",
        "zip_without_content_types",
        "xlsx_macros",
        "xls_macros",
        "xlsm",
        "empty",
        "no_extension",
    ],
)
def test_bad_files_are_refused_in_vietnamese(
    name: str, content: bytes, words: str
) -> None:
    with pytest.raises(ValidationError, match=words):
        uploads.check_upload(upload(name, content))


def test_a_file_over_10_mb_is_refused_before_reading_it() -> None:
    big = upload("bao-cao.pdf", PDF + bytes(uploads.MAX_SIZE))
    with pytest.raises(ValidationError, match=r"quá giới hạn 10 MB"):
        uploads.check_upload(big)


def test_a_zip_with_too_many_entries_is_refused() -> None:
    names = ["[Content_Types].xml", "word/document.xml"]
    names += [f"word/media/{n}.xml" for n in range(uploads.MAX_ZIP_ENTRIES)]
    with pytest.raises(ValidationError, match="cấu trúc bất thường"):
        uploads.check_upload(upload("bao-cao.docx", office_zip(*names)))


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("bien-ban.docx", DOCX, "phải là tệp PDF hoặc ảnh"),
        ("bien-ban.xls", OLE, "phải là tệp PDF hoặc ảnh"),
        ("bien-ban.pdf", EXE, "nội dung không phải là PDF"),
        ("anh-chup.jpg", PNG, "nội dung không phải là ảnh JPEG"),
    ],
    ids=["word", "excel", "exe_named_pdf", "png_named_jpg"],
)
def test_a_signed_scan_is_a_pdf_or_a_picture(
    name: str, content: bytes, words: str
) -> None:
    with pytest.raises(ValidationError, match=words):
        uploads.check_signed_scan(upload(name, content))
    for good, data in (("ban-ky.pdf", PDF), ("ban-ky.png", PNG), ("a.JPEG", JPEG)):
        assert uploads.check_signed_scan(upload(good, data)).original_name == good


@pytest.mark.parametrize(
    ("name", "clean"),
    [
        ("C:\\Users\\lan\\Báo cáo.pdf", "Báo cáo.pdf"),
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("Ba\u0301o ca\u0301o.pdf", "Báo cáo.pdf"),  # decomposed (macOS) → NFC
        ("bao\x00cao.pdf", "baocao.pdf"),
    ],
)
def test_clean_name(name: str, clean: str) -> None:
    assert uploads.clean_name(name) == clean


# --- Through the submit page ---------------------------------------------------------


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def health_unit(sector: User) -> Unit:
    assert sector.commune is not None
    return make_unit(sector.commune, "tram-y-te", "Trạm Y tế xã", sector)


@pytest.fixture
def task(health_unit: Unit) -> Task:
    return make_task(health_unit, status=TaskStatus.IN_PROGRESS)


def stored_files(media: Path) -> list[Path]:
    return [p for p in media.rglob("*") if p.is_file()]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("files", "words"),
    [
        ([("tool.exe", EXE)], "không nhận loại tệp này"),
        ([("bao-cao.pdf", PDF + bytes(uploads.MAX_SIZE))], "quá giới hạn 10 MB"),
        ([("report.pdf", EXE)], "nội dung không phải là PDF"),
        ([("bao-cao.docx", b"Khong phai zip" * 20)], "không phải là Word"),
        ([("tot.pdf", PDF), ("report.pdf", EXE)], "nội dung không phải là PDF"),
    ],
    ids=["exe", "too_big", "renamed_exe", "docx_not_zip", "one_good_one_bad"],
)
def test_bad_upload_is_refused_and_nothing_is_saved(
    media: Path, task: Task, sector: User, files: list[tuple[str, bytes]], words: str
) -> None:
    response = client_for(sector).post(
        reverse("tasks:submit", args=[task.pk]),
        {"note": "Báo cáo quý 3.", "attachments": [upload(*f) for f in files]},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert words in page
    assert "Chưa nộp được, chưa lưu gì" in page
    assert not Submission.objects.exists()
    assert not Attachment.objects.exists()
    assert stored_files(media) == []
    task.refresh_from_db()
    assert task.status == TaskStatus.IN_PROGRESS


@pytest.mark.django_db
def test_good_pdf_is_stored_under_a_random_name_and_downloads_with_its_own(
    media: Path, task: Task, sector: User
) -> None:
    name = "Báo cáo quý 3.pdf"
    client = client_for(sector)
    response = client.post(
        reverse("tasks:submit", args=[task.pk]),
        {"note": "", "attachments": [upload(name, PDF)]},
    )
    assert response.status_code == 302

    attachment = Attachment.objects.get()
    assert re.fullmatch(r"attachments/2024/[0-9a-f]{32}\.pdf", attachment.file.name)
    assert attachment.original_name == name
    assert attachment.content_type == "application/pdf"
    assert attachment.size == len(PDF)
    assert [p.read_bytes() for p in stored_files(media)] == [PDF]
    task.refresh_from_db()
    assert task.status == TaskStatus.SUBMITTED

    download = client.get(reverse("tasks:attachment", args=[attachment.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF  # type: ignore[attr-defined]
    disposition = download["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''B%C3%A1o%20c%C3%A1o%20qu%C3%BD%203.pdf" in disposition
    assert download["Content-Type"] == "application/pdf"


@pytest.mark.django_db
def test_several_files_in_one_submission(media: Path, task: Task, sector: User) -> None:
    client_for(sector).post(
        reverse("tasks:submit", args=[task.pk]),
        {
            "attachments": [
                upload("so-lieu.xlsx", XLSX),
                upload("cong-van.docx", DOCX),
                upload("anh.jpg", JPEG),
            ]
        },
    )
    assert sorted(Attachment.objects.values_list("original_name", flat=True)) == [
        "anh.jpg",
        "cong-van.docx",
        "so-lieu.xlsx",
    ]
    assert len(stored_files(media)) == 3


@pytest.mark.django_db
def test_attachments_are_not_downloadable_out_of_scope(
    media: Path,
    task: Task,
    sector: User,
    officer: User,
    head_a1: User,
    outsider: User,
) -> None:
    submission = actions.submit_task(
        task, by=sector, note="", figures=[], files=[upload("bao-cao.pdf", PDF)]
    )
    url = reverse("tasks:attachment", args=[submission.attachments.get().pk])
    assert client_for(officer).get(url).status_code == 200  # the whole commune
    assert client_for(head_a1).get(url).status_code == 404  # not their unit
    assert client_for(outsider).get(url).status_code == 404  # another commune
    assert client_for(sector).get(url).status_code == 200


@pytest.mark.django_db
def test_a_sector_officer_cannot_download_another_units_file(
    media: Path, officer: User, sector: User
) -> None:
    assert officer.commune is not None
    own = make_unit(officer.commune, "ldtbxh", "Công chức LĐ-TB&XH", officer)
    task = make_task(own, "Tổng hợp danh sách hộ nghèo")
    submission = actions.submit_task(
        task, by=officer, note="", figures=[], files=[upload("ds.pdf", PDF)]
    )
    url = reverse("tasks:attachment", args=[submission.attachments.get().pk])
    assert client_for(sector).get(url).status_code == 404


@pytest.mark.django_db
def test_the_action_checks_files_again(media: Path, task: Task, sector: User) -> None:
    with pytest.raises(ValidationError, match="không phải là PDF"):
        actions.submit_task(
            task, by=sector, note="", figures=[], files=[upload("report.pdf", EXE)]
        )
    assert not Submission.objects.exists()
    assert stored_files(media) == []


@pytest.mark.django_db(transaction=True)
def test_a_failure_after_storing_removes_the_stored_files(
    media: Path, task: Task, sector: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("database went away")

    monkeypatch.setattr(actions, "_event", broken)
    with pytest.raises(RuntimeError):
        actions.submit_task(
            task, by=sector, note="", figures=[], files=[upload("a.pdf", PDF)]
        )
    assert not Submission.objects.exists()
    assert not Attachment.objects.exists()
    assert stored_files(media) == []
    task.refresh_from_db()
    assert task.status == TaskStatus.IN_PROGRESS
