"""The phones' submissions import through the database worker (issue 12, item 6):
the upload is staged and checked by a job whose page shows its progress, then leads
to the preview; the confirmation is another job; another user gets 404 for both."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from giamngheo.models import User
from households.models import Review, ReviewRound
from jobs.models import Job, JobStatus
from tests.households.phone_exports import kobo_xlsx
from tests.households.test_phone_import import (  # noqa: F401 - fixtures
    phone_form,
    reviewed,
    round_2024,
    screened,
)
from tests.households.test_scope import database_state
from tests.jobs.test_jobs import database_backend, worker  # noqa: F401 - fixtures

URL = reverse("households:phone_import", args=[2024])


def staged() -> list[Path]:
    return list((Path(settings.MEDIA_ROOT) / "phone-imports").glob("*"))


@pytest.mark.django_db(transaction=True)
def test_the_check_and_the_recording_are_jobs_with_progress(
    client: Client,
    officer: User,
    outsider: User,
    phone_form: bytes,  # noqa: F811 - fixture
    round_2024: ReviewRound,  # noqa: F811 - fixture
    database_backend: None,  # noqa: F811 - fixture
    worker: Any,  # noqa: F811 - fixture
) -> None:
    content = kobo_xlsx(phone_form, [reviewed(round_2024), screened(round_2024)])
    before = database_state()

    response = client.post(URL, {"file": SimpleUploadedFile("ban-gui.xlsx", content)})

    check = Job.objects.get()
    assert response.url == check.get_absolute_url()
    waiting = client.get(response.url).content.decode()
    assert "Kiểm tra tệp phiếu từ điện thoại ban-gui.xlsx" in waiting
    assert "Đang chờ" in waiting
    assert len(staged()) == 1
    worker()
    check.refresh_from_db()
    assert check.status == JobStatus.DONE
    # Reached the submissions (on SQLite the last count inside the transaction
    # is unseen, PostgreSQL writes it aside).
    assert check.phase == "Đang kiểm tra bản gửi"
    assert check.total == 2
    preview = client.get(check.get_absolute_url(), follow=True)
    assert "Chưa ghi gì" in preview.content.decode()
    assert database_state() == before

    confirmed = client.post(
        URL, {"action": "confirm", "token": preview.context["token"]}
    )

    applying = Job.objects.exclude(pk=check.pk).get()
    assert confirmed.url == applying.get_absolute_url()
    assert not Review.objects.filter(round=round_2024).exists()
    worker()
    done = client.get(confirmed.url).content.decode()
    assert "Đã nạp ban-gui.xlsx: 1 phiếu rà soát mới" in done
    assert Review.objects.filter(round=round_2024).count() == 1
    assert staged() == []
    client.force_login(outsider)
    for job in (check, applying):
        assert client.get(job.get_absolute_url()).status_code == 404
        assert client.get(URL, {"viec": job.pk}).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_a_bad_exports_problems_come_from_its_job(
    client: Client,
    phone_form: bytes,  # noqa: F811 - fixture
    round_2024: ReviewRound,  # noqa: F811 - fixture
    database_backend: None,  # noqa: F811 - fixture
    worker: Any,  # noqa: F811 - fixture
) -> None:
    content = kobo_xlsx(phone_form, [reviewed(round_2024, ma_ho="CN-09-0009")])
    response = client.post(URL, {"file": SimpleUploadedFile("x.xlsx", content)})
    worker()

    page = client.get(response.url, follow=True).content.decode()

    assert "Không nạp gì: tệp x.xlsx có 1 lỗi (xem dưới)." in page
    assert "mã hộ CN-09-0009 không có trong sổ hộ của xã" in page
    assert staged() == []
    assert "phone_import" not in client.session
