"""Background jobs (jobs/): progress recorded sparingly and shown, a failure told in
Vietnamese (never a traceback), and the register import through the real path — the
database backend and its worker, not the inline backend the rest of the suite uses."""

from __future__ import annotations

import re
import signal
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.tasks import task
from django.test import Client
from django.urls import reverse

from giamngheo.models import User
from households.models import Household, ImportLog, Review
from jobs import running
from jobs.models import Job, JobStatus
from jobs.running import JobFailure, Outcome, Progress, perform, start
from tests.conftest import make_review
from tests.households.register_files import edited, export_of, set_cell
from tests.households.test_register_import_page import XLSX, upload
from tests.households.test_scope import database_state

# --- Work for the tests (a task must be a function of a module) ---------------------


@task
def count_to(job_id: str, *, to: int) -> None:
    def work(job: Job, progress: Progress) -> Outcome:
        for number in range(1, to + 1):
            progress("Đang đếm", number, to)
        return Outcome(url=reverse("households:list"))

    perform(job_id, work)


@task
def refuse(job_id: str) -> None:
    def work(job: Job, progress: Progress) -> Outcome:
        raise JobFailure("Chưa có danh sách hộ của thôn này: nhập danh sách trước.")

    perform(job_id, work)


@task
def crash(job_id: str) -> None:
    def work(job: Job, progress: Progress) -> Outcome:
        raise ZeroDivisionError("division by zero")

    perform(job_id, work)


def queued(officer: User) -> Job:
    return Job.objects.create(title="Xuất sổ hộ toàn xã", requested_by=officer)


# --- Progress ------------------------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(running.time, "monotonic", fake)
    return fake


def test_progress_writes_sparingly_not_once_a_row(
    officer: User, clock: Clock, django_assert_num_queries: Any
) -> None:
    job = queued(officer)
    progress = Progress(job.pk, every=0.5)

    with django_assert_num_queries(1):
        for number in range(1, 1000):  # all within the same half second
            progress("Đang đọc trang “Hộ”, dòng", number, 10_000)
    clock.now += 0.6
    with django_assert_num_queries(2):
        progress("Đang đọc trang “Hộ”, dòng", 3_200, 10_000)  # time: written
        progress("Đang kiểm tra hộ", 0, 10_000)  # a new phase: written
    with django_assert_num_queries(1):
        progress("Đang kiểm tra hộ", 10_000, 10_000)  # the end: written

    job.refresh_from_db()
    assert (job.phase, job.done, job.total) == ("Đang kiểm tra hộ", 10_000, 10_000)


def test_the_page_shows_the_progress_and_polls_it(
    client: Client, officer: User
) -> None:
    job = queued(officer)
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, phase="Đang kiểm tra hộ", done=3200, total=10000
    )
    client.force_login(officer)

    page = client.get(job.get_absolute_url()).content.decode()

    assert "Đang chạy</strong>: Đang kiểm tra hộ 3.200/10.000" in page
    assert '<progress max="10000" value="3200">' in page
    assert f'hx-get="{reverse("jobs:progress", args=[job.pk])}"' in page
    assert 'hx-trigger="every 1s"' in page
    assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in page
    fragment = client.get(reverse("jobs:progress", args=[job.pk]))
    assert fragment.content.decode().lstrip().startswith('<div id="tien-do"')


def test_a_finished_job_sends_the_poller_and_the_page_to_its_result(
    client: Client, officer: User
) -> None:
    job = start(count_to, title="Đếm", by=officer, to=2500)
    client.force_login(officer)

    assert job.status == JobStatus.DONE
    assert (job.done, job.total) == (2500, 2500)
    poll = client.get(reverse("jobs:progress", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert poll["HX-Redirect"] == job.get_absolute_url()
    page = client.get(job.get_absolute_url())
    assert page.url == reverse("households:list")


def test_another_officer_gets_404_for_my_job(
    client: Client, officer: User, outsider: User
) -> None:
    job = queued(officer)
    client.force_login(outsider)

    assert client.get(job.get_absolute_url()).status_code == 404
    assert client.get(reverse("jobs:progress", args=[job.pk])).status_code == 404


def test_a_refused_job_shows_its_message(client: Client, officer: User) -> None:
    job = start(refuse, title="Xuất sổ hộ thôn", by=officer, back_url="/ho/")
    client.force_login(officer)

    page = client.get(job.get_absolute_url()).content.decode()

    assert job.status == JobStatus.FAILED
    assert "Chưa có danh sách hộ của thôn này: nhập danh sách trước." in page
    assert 'href="/ho/">Quay lại' in page


def test_a_crashed_job_shows_a_vietnamese_message_never_the_traceback(
    client: Client, officer: User
) -> None:
    job = start(crash, title="Xuất sổ hộ thôn", by=officer)
    client.force_login(officer)

    page = client.get(job.get_absolute_url()).content.decode()

    assert job.status == JobStatus.FAILED
    assert job.finished_at is not None
    assert running.UNFORESEEN in page
    assert "Traceback" not in page
    assert "ZeroDivisionError" not in page
    assert "division by zero" not in page


@pytest.mark.django_db(transaction=True)
def test_progress_inside_the_works_transaction_is_written_aside(
    officer: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PostgreSQL's path, forced on SQLite: a dry run rolls its transaction back,
    and the progress it made is still there."""
    monkeypatch.setattr(running, "writes_aside", lambda connection: True)
    job = queued(officer)
    progress = Progress(job.pk)

    with transaction.atomic():
        progress("Đang kiểm tra hộ", 10, 10)
        transaction.set_rollback(True)
    progress.close()

    job.refresh_from_db()
    assert (job.phase, job.done, job.total) == ("Đang kiểm tra hộ", 10, 10)


# --- The register import through the database backend and its worker ----------------


@pytest.fixture
def database_backend(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def worker() -> Iterator[Any]:
    """`manage.py db_worker --batch`: every queued job, then it stops. It takes
    over the signals (to stop cleanly), which are given back to pytest after."""
    signals = [signal.SIGINT, signal.SIGTERM, signal.SIGQUIT]
    handlers = {s: signal.getsignal(s) for s in signals}

    def run() -> None:
        call_command(
            "db_worker",
            "--batch",
            "--no-startup-delay",
            "--no-reload",
            verbosity=0,
            stdout=StringIO(),
        )

    yield run
    for number, handler in handlers.items():
        signal.signal(number, handler)


def staged_files() -> list[Path]:
    return list((Path(settings.MEDIA_ROOT) / "register-imports").glob("*.xlsx"))


@pytest.fixture
def changed_file(household_a1: Household, household_a2: Household) -> bytes:
    make_review(household_a1, income=1_200_000)

    def income(workbook: Any) -> None:
        set_cell(workbook["Rà soát"], 3, "thu_nhap", 1_900_000)

    return edited(export_of(household_a1.commune), income)


def post_file(client: Client, data: bytes) -> Any:
    """The upload alone: its answer is the check's job page."""
    return client.post(
        reverse("households:register_import"),
        {"file": SimpleUploadedFile("sổ hộ.xlsx", data, content_type=XLSX)},
    )


@pytest.mark.django_db(transaction=True)
def test_register_import_waits_for_the_worker_then_previews_then_imports(
    client: Client,
    officer: User,
    changed_file: bytes,
    database_backend: None,
    worker: Any,
) -> None:
    client.force_login(officer)
    before = database_state()

    response = post_file(client, changed_file)

    job = Job.objects.get()
    assert response.url == job.get_absolute_url()
    page = client.get(response.url).content.decode()
    assert "Kiểm tra tệp sổ hộ sổ hộ.xlsx" in page
    assert "Đang chờ" in page
    assert "<progress>" in page
    assert len(staged_files()) == 1

    worker()

    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    # Reached the households (on SQLite the count inside the transaction is unseen).
    assert (job.phase, job.total) == ("Đang kiểm tra hộ", 2)
    preview = client.get(job.get_absolute_url(), follow=True).content.decode()
    assert "Chưa ghi gì" in preview
    assert 'Hộ thay đổi</th><td class="num">1' in preview
    assert "Phiếu rà soát mới ngày 20/11/2023" in preview
    assert database_state() == before  # the dry run wrote nothing
    token = client.session["register_import"]["token"]

    confirmed = client.post(
        reverse("households:register_import_confirm"), {"token": token}
    )

    applying = Job.objects.exclude(pk=job.pk).get()
    assert confirmed.url == applying.get_absolute_url()
    assert "Đang chờ" in client.get(confirmed.url).content.decode()
    assert Review.objects.count() == 1
    worker()
    done = client.get(confirmed.url).content.decode()
    assert re.search(r"Đã nạp sổ hộ\.xlsx: 0 mới, 1 thay đổi", done)
    assert f'href="{reverse("households:register_import")}">Tiếp tục' in done
    assert Review.objects.count() == 2
    assert ImportLog.objects.get().imported_by == officer
    assert staged_files() == []


@pytest.mark.django_db(transaction=True)
def test_a_bad_files_problems_come_from_its_job(
    client: Client,
    officer: User,
    household_a1: Household,
    database_backend: None,
    worker: Any,
) -> None:
    def bad(workbook: Any) -> None:
        set_cell(workbook["Nhân khẩu"], 3, "nam_sinh", "năm 80")

    client.force_login(officer)
    before = database_state()
    response = post_file(client, edited(export_of(household_a1.commune), bad))
    worker()

    page = client.get(response.url, follow=True).content.decode()

    assert "Không nạp gì: tệp sổ hộ.xlsx có 1 lỗi (xem dưới)." in page
    assert "Trang “Nhân khẩu”, dòng 3, cột E (Năm sinh)" in page
    assert staged_files() == []
    assert "register_import" not in client.session
    assert database_state() == before


def test_the_suite_runs_jobs_inline(
    client: Client, officer: User, changed_file: bytes
) -> None:
    """The other tests of the import land on the preview within the request."""
    client.force_login(officer)

    response = upload(client, changed_file)

    assert "Chưa ghi gì" in response.content.decode()
    assert Job.objects.get().status == JobStatus.DONE
