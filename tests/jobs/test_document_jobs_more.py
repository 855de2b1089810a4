"""More long documents as background jobs (issue 12, item 6): the register's Excel
export of more than BACKGROUND_EXPORT_HOUSEHOLDS households, a village's field forms
(Phiếu A, B) of more than BACKGROUND_DOCUMENT_HOUSEHOLDS, and the round's decision
with more than BACKGROUND_DOCUMENT_LINES lines in its lists, through the database
worker. The job's file is the one the page sends inline below the threshold, its
progress is recorded, and it is its requester's only.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from giamngheo.models import User
from households.models import Household
from jobs.models import Job, JobStatus
from tests.conftest import make_review
from tests.households.test_b1_review import sample_table  # noqa: F401 - fixture
from tests.jobs.test_jobs import database_backend, worker  # noqa: F401 - fixtures
from tests.reports.test_certificate import (  # noqa: F401 - round_2024 a fixture
    page_texts,
    recognise,
    round_2024,
)
from tests.reports.test_document_jobs import XLSX, cells
from tests.reports.test_field_forms import pdf_text, register  # noqa: F401

EXPORT = reverse("households:register_export")


def body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


@pytest.mark.django_db(transaction=True)
def test_a_large_register_export_is_written_by_a_job(
    client: Client,
    officer: User,
    chairman: User,
    household_a1: Household,
    household_a2: Household,
    settings: Any,
    database_backend: None,  # noqa: F811 - fixture
    worker: Any,  # noqa: F811 - fixture
) -> None:
    make_review(household_a1, income=1_200_000)
    settings.BACKGROUND_EXPORT_HOUSEHOLDS = 1  # the commune has 2, a village 1
    client.force_login(officer)
    village = client.get(EXPORT, {"thon": household_a1.village_id})
    assert village["Content-Type"] == XLSX  # inline
    assert not Job.objects.exists()

    response = client.get(EXPORT)
    again = client.get(EXPORT)

    job = Job.objects.get()
    assert response.url == again.url == job.get_absolute_url()
    assert "Xuất sổ hộ ra Excel — xã" in client.get(response.url).content.decode()
    worker()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert (job.phase, job.done, job.total) == ("Đang ghi trang “Rà soát”, dòng", 1, 1)
    done = client.get(job.get_absolute_url()).content.decode()
    assert f"Đã xuất tệp {job.result_file_name}: 2 hộ" in done
    file = client.get(reverse("jobs:download", args=[job.pk]))
    assert file["Content-Type"] == XLSX
    settings.BACKGROUND_EXPORT_HOUSEHOLDS = 2000
    direct = client.get(EXPORT)
    assert direct["Content-Type"] == XLSX
    assert cells(body(file)) == cells(direct.content)
    assert job.result_file_name in direct["Content-Disposition"]
    client.force_login(chairman)
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404
    assert client.get(job.get_absolute_url()).status_code == 404


def test_with_the_inline_backend_the_export_comes_in_the_response(
    client: Client,
    officer: User,
    household_a1: Household,
    household_a2: Household,
    settings: Any,
) -> None:
    settings.BACKGROUND_EXPORT_HOUSEHOLDS = 1
    client.force_login(officer)

    response = client.get(EXPORT)

    assert response["Content-Type"] == XLSX
    assert Job.objects.get().status == JobStatus.DONE


@pytest.mark.django_db(transaction=True)
def test_a_large_villages_field_forms_are_printed_by_a_job(
    client: Client,
    head_a1: User,
    officer: User,
    register: dict[str, Any],  # noqa: F811 - fixture
    settings: Any,
    tmp_path: Path,
    database_backend: None,  # noqa: F811 - fixture
    worker: Any,  # noqa: F811 - fixture
) -> None:
    village = register["household"].village
    url = reverse("reports:village_field_forms", args=[2024])
    settings.BACKGROUND_DOCUMENT_HOUSEHOLDS = 0  # the village's one is many
    client.force_login(head_a1)
    blank = client.get(url, {"thon": village.pk, "mau-trong": "1"})
    assert blank["Content-Type"] == "application/pdf"  # one blank set: inline

    response = client.get(url, {"thon": village.pk})

    job = Job.objects.get()
    assert response.url == job.get_absolute_url()
    worker()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert job.phase == "Đang dàn trang PDF (1 hộ)"
    name = f"phieu-a-b-2024-{village.pk}.pdf"
    assert f"Đã lập tệp {name}: phiếu A, phiếu B của 1 hộ." in (
        client.get(job.get_absolute_url()).content.decode()
    )
    text = pdf_text(body(client.get(reverse("jobs:download", args=[job.pk]))), tmp_path)
    assert "Mã hộ: CN-01-0001" in text and "Bùi Văn Hùng" in text
    settings.BACKGROUND_DOCUMENT_HOUSEHOLDS = 50
    assert text == pdf_text(client.get(url, {"thon": village.pk}).content, tmp_path)
    client.force_login(officer)
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_a_long_round_decision_is_printed_by_a_job(
    client: Client,
    officer: User,
    chairman: User,
    round_2024: dict[str, Any],  # noqa: F811 - fixture
    time_machine: Any,
    settings: Any,
    database_backend: None,  # noqa: F811 - fixture
    worker: Any,  # noqa: F811 - fixture
) -> None:
    recognise(round_2024, time_machine)
    url = reverse("reports:round_decision", args=[2024])
    client.force_login(officer)
    shutil.rmtree(settings.PDF_CACHE_DIR, ignore_errors=True)
    inline = client.get(url)
    assert inline["Content-Type"] == "application/pdf"  # 3 lines: inline
    assert not Job.objects.exists()
    shutil.rmtree(settings.PDF_CACHE_DIR, ignore_errors=True)
    settings.BACKGROUND_DOCUMENT_LINES = 2

    response = client.get(url)

    job = Job.objects.get()
    assert response.url == job.get_absolute_url()
    worker()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert job.phase == "Đang dàn trang PDF (3 dòng)"
    name = "quyet-dinh-cong-nhan-2024.pdf"
    assert f"Đã lập tệp {name}: 3 dòng danh sách." in (
        client.get(job.get_absolute_url()).content.decode()
    )
    file = body(client.get(reverse("jobs:download", args=[job.pk])))
    assert page_texts(file) == page_texts(inline.content)
    client.force_login(chairman)
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404
