"""Long documents as background jobs (issue 12, item 6).

A list (reports 14, 15) longer than BACKGROUND_DOCUMENT_LINES asked for as PDF or
Excel leads to a job that the database worker runs; its file is the document the page
sends inline (the same text, the same cells), its requester's only. Asking again while
it waits leads to the same job; a PDF the cache holds is sent at once; a short list
stays inline. The round's certificates of more than BACKGROUND_DOCUMENT_HOUSEHOLDS
households likewise. The rest of the suite runs jobs inline (ImmediateBackend): there
the file comes in the response, as before jobs.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from giamngheo.models import User
from households.models import Village
from jobs.models import Job, JobStatus
from tests.jobs.test_jobs import database_backend, worker  # noqa: F401 - fixtures
from tests.reports.test_certificate import (  # noqa: F401 - round_2024 a fixture
    ROUND_URL,
    page_texts,
    recognise,
    round_2024,
)
from tests.reports.test_review_tables import D24, POOR, THREE, YEAR, H, P, build, head

pytestmark = pytest.mark.django_db

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LIST_15 = reverse("reports:household_list", args=[YEAR, 15])


@pytest.fixture
def listed(village_a1: Village, village_a2: Village) -> list[H]:
    """Six poor households of two members in each village: 12 lines a village."""
    return build(
        {"a1": village_a1, "a2": village_a2},
        [
            H(
                f"{where.upper()}-{n:02d}",
                where,
                [head(f"Bùi Văn Chủ {where} {n}", 1970), P(f"Bùi Thị Con {n}", 2010)],
                [(D24, POOR, THREE)],
            )
            for where in ("a1", "a2")
            for n in range(6)
        ],
    )


@pytest.fixture
def long_over_20_lines(settings: Any) -> None:
    """The commune's list (24 lines) is long, a village's (12) is not."""
    settings.BACKGROUND_DOCUMENT_LINES = 20


def pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF")
    return "\n".join(
        page.extract_text() for page in PdfReader(io.BytesIO(content)).pages
    )


def cells(content: bytes) -> dict[str, list[tuple[Any, ...]]]:
    """Every sheet's values, but the time of the export."""
    workbook = load_workbook(io.BytesIO(content))
    return {
        sheet.title: [
            row
            for row in sheet.iter_rows(values_only=True)
            if row[0] != "Thời gian xuất"
        ]
        for sheet in workbook.worksheets
    }


def inline(client: Client, settings: Any, output: str) -> Any:
    """The same list sent by the page itself (nothing is long), rendered afresh."""
    shutil.rmtree(settings.PDF_CACHE_DIR, ignore_errors=True)
    settings.BACKGROUND_DOCUMENT_LINES = 10_000
    response = client.get(LIST_15, {"format": output})
    assert response.status_code == 200
    return response


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("output", "kind", "name"),
    [
        ("pdf", PDF, "bieu-15-danh-sach-ho-ngheo-2024.pdf"),
        ("xlsx", XLSX, "bieu-15-danh-sach-ho-ngheo-2024.xlsx"),
    ],
)
def test_a_long_list_is_made_by_a_job_and_is_the_document_the_page_sends(
    client: Client,
    officer: User,
    chairman: User,
    listed: list[H],
    long_over_20_lines: None,
    database_backend: None,  # noqa: F811 - fixture
    worker: Any,  # noqa: F811 - fixture
    settings: Any,
    output: str,
    kind: str,
    name: str,
) -> None:
    client.force_login(officer)

    response = client.get(LIST_15, {"format": output})

    job = Job.objects.get()
    assert response.status_code == 302
    assert response.url == job.get_absolute_url()
    waiting = client.get(response.url).content.decode()
    assert "Đang chờ" in waiting
    assert "Danh sách chi tiết hộ nghèo năm 2024 — xã" in waiting
    worker()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    done = client.get(job.get_absolute_url()).content.decode()
    assert f"Đã lập tệp {name}: 12 hộ, 24 nhân khẩu." in done
    download = reverse("jobs:download", args=[job.pk])
    assert f'href="{download}"' in done
    assert f'href="{LIST_15}">Quay lại' in done

    file = client.get(download)

    assert file.status_code == 200
    assert file["Content-Type"] == kind
    assert f'filename="{name}"' in file["Content-Disposition"]
    content = b"".join(file.streaming_content)
    page = inline(client, settings, output).content
    if output == "pdf":
        assert pdf_text(content) == pdf_text(page)
        assert "Bùi Văn Chủ a2 5" in pdf_text(content)
    else:
        assert cells(content) == cells(page)
    # The chairman may read the list, not the officer's file.
    client.force_login(chairman)
    assert client.get(download).status_code == 404
    assert client.get(job.get_absolute_url()).status_code == 404


def test_asking_again_while_it_waits_leads_to_the_same_job(
    client: Client,
    officer: User,
    chairman: User,
    listed: list[H],
    long_over_20_lines: None,
    database_backend: None,  # noqa: F811 - fixture
) -> None:
    client.force_login(officer)

    first = client.get(LIST_15, {"format": "pdf"})
    again = client.get(LIST_15, {"format": "pdf"})
    excel = client.get(LIST_15, {"format": "xlsx"})
    client.force_login(chairman)
    theirs = client.get(LIST_15, {"format": "pdf"})

    assert first.url == again.url
    assert excel.url != first.url  # another document
    assert theirs.url not in (first.url, excel.url)  # another user's
    assert Job.objects.filter(status=JobStatus.QUEUED).count() == 3


def test_a_pdf_the_cache_holds_is_sent_at_once(
    client: Client,
    officer: User,
    chairman: User,
    listed: list[H],
    long_over_20_lines: None,
    settings: Any,
) -> None:
    client.force_login(officer)
    made = client.get(LIST_15, {"format": "pdf"})  # a job, run inline
    assert Job.objects.count() == 1
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    again = client.get(LIST_15, {"format": "pdf"})

    assert again.status_code == 200
    assert again["Content-Type"] == PDF
    assert again.content == made.content
    assert Job.objects.count() == 1  # no second job: nothing waits for a worker


def test_a_short_list_stays_inline_and_the_page_says_which_go_to_a_job(
    client: Client,
    officer: User,
    village_a1: Village,
    listed: list[H],
    long_over_20_lines: None,
    database_backend: None,  # noqa: F811 - fixture
) -> None:
    client.force_login(officer)

    village = client.get(LIST_15, {"format": "pdf", "village": village_a1.pk})
    sheet = client.get(LIST_15, {"format": "xlsx", "village": village_a1.pk})

    assert village.status_code == sheet.status_code == 200
    assert "Bùi Văn Chủ a1 5" in pdf_text(village.content)
    assert sheet["Content-Type"] == XLSX
    assert not Job.objects.exists()
    long_page = client.get(LIST_15).content.decode()
    short_page = client.get(LIST_15, {"village": village_a1.pk}).content.decode()
    assert "tệp PDF, Excel được lập trong nền" in long_page
    assert "được lập trong nền" not in short_page


def test_the_suite_sends_the_file_of_a_job_run_inline(
    client: Client, officer: User, listed: list[H], long_over_20_lines: None
) -> None:
    client.force_login(officer)

    response = client.get(LIST_15, {"format": "xlsx"})

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    job = Job.objects.get()
    assert job.status == JobStatus.DONE
    assert job.requested_by == officer
    assert Path(settings.MEDIA_ROOT, job.result_file.name).is_file()


@pytest.mark.django_db(transaction=True)
def test_a_village_taken_from_the_user_before_the_job_runs_is_refused(
    client: Client,
    head_a1: User,
    village_a1: Village,
    village_a2: Village,
    listed: list[H],
    settings: Any,
    database_backend: None,  # noqa: F811 - fixture
    worker: Any,  # noqa: F811 - fixture
) -> None:
    settings.BACKGROUND_DOCUMENT_LINES = 5
    client.force_login(head_a1)
    response = client.get(LIST_15, {"format": "pdf", "village": village_a1.pk})
    head_a1.village = village_a2
    head_a1.save()

    worker()

    job = Job.objects.get()
    assert response.url == job.get_absolute_url()
    assert job.status == JobStatus.FAILED
    assert job.error == "Thôn không thuộc phạm vi của bạn."
    assert not job.result_file


# --- The round's certificates (one page a household) ----------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_communes_certificates_are_printed_by_a_job(
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
    settings.BACKGROUND_DOCUMENT_HOUSEHOLDS = 2  # the commune has 3, a village 2
    client.force_login(officer)
    village = client.get(ROUND_URL, {"thon": round_2024["village_a1"].pk})
    assert village["Content-Type"] == PDF  # inline
    assert not Job.objects.exists()

    response = client.get(ROUND_URL)
    again = client.get(ROUND_URL)

    job = Job.objects.get()
    assert response.url == again.url == job.get_absolute_url()
    worker()
    done = client.get(job.get_absolute_url()).content.decode()
    name = "giay-chung-nhan-2024.pdf"
    assert f"Đã lập tệp {name}: 3 giấy chứng nhận." in done
    file = client.get(reverse("jobs:download", args=[job.pk]))
    assert file["Content-Type"] == PDF
    assert f'filename="{name}"' in file["Content-Disposition"]
    pages = page_texts(b"".join(file.streaming_content))
    shutil.rmtree(settings.PDF_CACHE_DIR, ignore_errors=True)
    settings.BACKGROUND_DOCUMENT_HOUSEHOLDS = 50
    assert pages == page_texts(client.get(ROUND_URL).content)
    assert len(pages) == 3 and "Quách Thị Lan" in pages[1]
    client.force_login(chairman)
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404
