""" "Việc chạy nền của tôi" (issue 12, item 6): a user's own recent jobs with their
status, progress and result, refreshed while one runs; nobody else's, not even for
the superuser (the admin lists everybody's). And `manage.py clear_old_jobs`: the
jobs finished more than JOBS_KEPT_DAYS days ago go, with their files."""

from __future__ import annotations

import os
from datetime import timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from giamngheo.models import User
from households.phone_import_jobs import STAGING_FOLDER as PHONE_STAGING
from households.register_jobs import STAGING_FOLDER as REGISTER_STAGING
from jobs import views
from jobs.models import Job, JobStatus
from jobs.running import start
from tests.jobs.test_jobs import count_to, database_backend, worker  # noqa: F401

MINE = reverse("jobs:mine")


def job(by: User, title: str, **fields: Any) -> Job:
    return Job.objects.create(title=title, requested_by=by, **fields)


def with_file(by: User, title: str, name: str, *, days_ago: int = 0) -> Job:
    done = job(
        by,
        title,
        status=JobStatus.DONE,
        finished_at=timezone.now() - timedelta(days=days_ago),
        result_file_name=name,
    )
    done.result_file.save(name, ContentFile(b"PK\x03\x04"))
    return done


def test_my_jobs_lists_mine_with_their_results_and_nobody_elses(
    client: Client, officer: User, chairman: User, admin: User
) -> None:
    export = with_file(officer, "Xuất sổ hộ ra Excel — xã Cao Ngọc", "so-ho.xlsx")
    job(
        officer,
        "Biểu số 15: danh sách hộ nghèo — xã Cao Ngọc (PDF)",
        status=JobStatus.FAILED,
        finished_at=timezone.now(),
        error="Thôn không thuộc phạm vi của bạn.",
    )
    job(chairman, "Giấy chứng nhận hộ nghèo năm 2024 — xã Cao Ngọc")
    client.force_login(officer)

    page = client.get(MINE).content.decode()

    assert "Xuất sổ hộ ra Excel — xã Cao Ngọc" in page
    assert f'href="{reverse("jobs:download", args=[export.pk])}">Tải so-ho.xlsx' in page
    assert f'href="{export.get_absolute_url()}"' in page
    assert "Không làm được" in page and "Thôn không thuộc phạm vi của bạn." in page
    assert "Giấy chứng nhận" not in page  # the chairman's
    assert 'hx-trigger="every' not in page  # nothing runs: no polling
    assert f'href="{MINE}"' in page  # the link on every page
    client.force_login(chairman)
    assert "Xuất sổ hộ" not in client.get(MINE).content.decode()
    client.force_login(admin)  # everybody's are in the admin, not here
    assert "Chưa có việc chạy nền nào." in client.get(MINE).content.decode()
    admin_list = client.get(reverse("admin:jobs_job_changelist")).content.decode()
    assert "Xuất sổ hộ ra Excel" in admin_list and "Giấy chứng nhận" in admin_list


def test_a_running_job_shows_its_progress_and_the_list_refreshes(
    client: Client, officer: User
) -> None:
    job(
        officer,
        "Kiểm tra tệp sổ hộ so-ho.xlsx",
        status=JobStatus.RUNNING,
        phase="Đang kiểm tra hộ",
        done=3200,
        total=10000,
    )
    client.force_login(officer)

    page = client.get(MINE).content.decode()
    fragment = client.get(MINE, HTTP_HX_REQUEST="true").content.decode()

    assert "Đang chạy</strong>: Đang kiểm tra hộ 3.200/10.000" in page
    assert '<progress max="10000" value="3200">' in page
    assert f'hx-get="{MINE}" hx-trigger="every 2s"' in page
    assert fragment.lstrip().startswith('<section id="viec-nen"')
    assert "<html" not in fragment


def test_a_job_started_shows_on_my_list(client: Client, officer: User) -> None:
    started = start(count_to, title="Đếm đến 3", by=officer, to=3)
    client.force_login(officer)

    page = client.get(MINE).content.decode()

    assert started.status == JobStatus.DONE
    assert f'<tr id="viec-{started.pk}">' in page
    assert "Xem kết quả" in page


def test_the_list_shows_the_latest_and_counts_the_rest(
    client: Client, officer: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(views, "MY_JOBS_SHOWN", 2)
    for n in range(3):
        job(officer, f"Việc số {n}")
    client.force_login(officer)

    page = client.get(MINE).content.decode()

    assert "Việc số 2" in page and "Việc số 1" in page
    assert "Việc số 0" not in page
    assert "Còn 1 việc cũ hơn không hiện ở đây." in page


# --- manage.py clear_old_jobs ------------------------------------------------------


def clear(*args: str) -> str:
    out = StringIO()
    call_command("clear_old_jobs", *args, stdout=out)
    return out.getvalue()


def test_old_finished_jobs_and_their_files_are_removed(officer: User) -> None:
    old = with_file(officer, "Cũ", "cu.xlsx", days_ago=settings.JOBS_KEPT_DAYS + 1)
    old_file = Path(old.result_file.path)
    recent = with_file(officer, "Mới", "moi.xlsx", days_ago=1)
    waiting = job(officer, "Đang chờ từ lâu")
    Job.objects.filter(pk=waiting.pk).update(
        created_at=timezone.now() - timedelta(days=60)
    )
    assert old_file.is_file()

    counted = clear("--dry-run")

    assert counted.startswith("Sẽ xóa 1 việc chạy nền xong trước")
    assert Job.objects.count() == 3 and old_file.is_file()
    assert clear().strip().endswith("(1 tệp kết quả hoặc tệp tải lên bỏ dở).")
    assert set(Job.objects.all()) == {recent, waiting}  # the worker may still run it
    assert not old_file.exists()
    assert Path(recent.result_file.path).is_file()
    assert clear("--days", "0").startswith("Đã xóa 1 việc")
    assert list(Job.objects.all()) == [waiting]


@pytest.mark.django_db(transaction=True)
def test_with_the_database_backend_its_task_results_go_too(
    officer: User,
    database_backend: None,  # noqa: F811 - fixture
    worker: Any,  # noqa: F811 - fixture
) -> None:
    started = start(count_to, title="Đếm", by=officer, to=2)
    worker()
    assert DBTaskResult.objects.count() == 1
    Job.objects.filter(pk=started.pk).update(
        finished_at=timezone.now() - timedelta(days=30)
    )
    DBTaskResult.objects.update(finished_at=timezone.now() - timedelta(days=30))

    clear()

    assert not Job.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_uploads_left_unconfirmed_go_too(db: None) -> None:
    media = Path(settings.MEDIA_ROOT)
    old_time = (
        timezone.now() - timedelta(days=settings.JOBS_KEPT_DAYS + 1)
    ).timestamp()
    kept, left = [], []
    for folder in (REGISTER_STAGING, PHONE_STAGING):
        (media / folder).mkdir(parents=True, exist_ok=True)
        abandoned = media / folder / "abc.xlsx"
        abandoned.write_bytes(b"PK")
        os.utime(abandoned, (old_time, old_time))
        waiting = media / folder / "def.xlsx"
        waiting.write_bytes(b"PK")
        left.append(abandoned)
        kept.append(waiting)

    assert clear().strip().endswith("(2 tệp kết quả hoặc tệp tải lên bỏ dở).")
    assert not any(path.exists() for path in left)
    assert all(path.is_file() for path in kept)
