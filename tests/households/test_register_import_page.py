"""The web import: upload → checks → preview → confirm (re-read from the stored
copy) → one transaction → the log, on the household's page too."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from giamngheo.models import User
from households.models import Household, ImportLog, Review
from tests.conftest import make_review
from tests.households.register_files import edited, export_of, set_cell

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def changed_file(household_a1: Household, household_a2: Household) -> bytes:
    make_review(household_a1, income=1_200_000)

    def income(workbook: object) -> None:
        set_cell(workbook["Rà soát"], 3, "thu_nhap", 1_900_000)  # type: ignore[index]

    return edited(export_of(household_a1.commune), income)


def upload(client: Client, data: bytes, name: str = "sổ hộ.xlsx") -> object:
    """The upload, then its check's job page (run inline in the suite), then where
    it leads: the preview or the file's problems."""
    return client.post(
        reverse("households:register_import"),
        {"file": SimpleUploadedFile(name, data, content_type=XLSX)},
        follow=True,
    )


def staged_files() -> list[Path]:
    return list((Path(settings.MEDIA_ROOT) / "register-imports").glob("*.xlsx"))


def test_preview_then_confirm_records_one_new_review_and_the_log(
    client: Client, officer: User, household_a1: Household, changed_file: bytes
) -> None:
    client.force_login(officer)
    preview = upload(client, changed_file)
    page = preview.content.decode()  # type: ignore[attr-defined]
    assert "Chưa ghi gì" in page
    assert 'Hộ thay đổi</th><td class="num">1' in page
    assert "Phiếu rà soát mới ngày 20/11/2023" in page
    assert Review.objects.count() == 1
    assert len(staged_files()) == 1
    token = client.session["register_import"]["token"]

    response = client.post(
        reverse("households:register_import_confirm"), {"token": token}
    )

    assert response.status_code == 302
    assert Review.objects.count() == 2
    log = ImportLog.objects.get()
    assert log.imported_by == officer
    assert log.file_name == "sổ hộ.xlsx"
    assert staged_files() == []
    detail = client.get(household_a1.get_absolute_url()).content.decode()
    assert "Nạp tệp sổ hộ.xlsx" in detail
    listing = client.get(reverse("households:register_import")).content.decode()
    assert log.sha256[:12] in listing


def test_a_bad_file_lists_its_errors_and_stages_nothing(
    client: Client, officer: User, household_a1: Household
) -> None:
    def bad(workbook: object) -> None:
        set_cell(workbook["Nhân khẩu"], 3, "nam_sinh", "năm 80")  # type: ignore[index]

    client.force_login(officer)
    response = upload(client, edited(export_of(household_a1.commune), bad))
    page = response.content.decode()  # type: ignore[attr-defined]
    assert "Trang “Nhân khẩu”, dòng 3, cột E (Năm sinh)" in page
    assert staged_files() == []
    assert "register_import" not in client.session


def test_confirm_needs_the_token_of_this_session(
    client: Client, officer: User, changed_file: bytes
) -> None:
    client.force_login(officer)
    upload(client, changed_file)
    response = client.post(
        reverse("households:register_import_confirm"), {"token": "x"}
    )
    assert response.url == reverse("households:register_import")  # type: ignore[attr-defined]
    assert Review.objects.count() == 1


def test_a_stored_file_changed_after_the_preview_is_refused(
    client: Client, officer: User, changed_file: bytes
) -> None:
    client.force_login(officer)
    upload(client, changed_file)
    (path,) = staged_files()
    path.write_bytes(changed_file + b"x")
    token = client.session["register_import"]["token"]
    response = client.post(
        reverse("households:register_import_confirm"), {"token": token}, follow=True
    )
    assert "Tệp đã lưu bị thay đổi" in response.content.decode()
    assert Review.objects.count() == 1
    assert not ImportLog.objects.exists()


def test_the_list_offers_the_import_to_the_officer_only(
    client: Client, officer: User, chairman: User, household_a1: Household
) -> None:
    client.force_login(officer)
    assert "/nhap-excel/" in client.get(reverse("households:list")).content.decode()
    client.force_login(chairman)
    assert "/nhap-excel/" not in client.get(reverse("households:list")).content.decode()
