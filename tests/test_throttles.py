"""Throttles and request sizes (issue 13 item 2): a flood of logins stops hashing
passwords, a user's files are rated, a body too large is refused unread."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from unittest import mock

import pytest
import time_machine
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.middleware.csrf import CsrfViewMiddleware
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from giamngheo.models import User

OFFICE = "203.0.113.7"
ELSEWHERE = "198.51.100.9"


@pytest.fixture
def password_checks() -> Any:
    """Every call of the password check (the hashing behind it costs ~1 s)."""
    with mock.patch.object(
        ModelBackend,
        "authenticate",
        autospec=True,
        side_effect=ModelBackend.authenticate,
    ) as spy:
        yield spy


def attempt(client: Client, url: str, n: int, *, address: str = OFFICE) -> Any:
    return client.post(
        url,
        {"username": f"ngau-nhien-{n}", "password": "sai-mat-khau"},
        REMOTE_ADDR=address,
    )


# --- Logins per address ------------------------------------------------------------


@pytest.mark.django_db
def test_random_usernames_from_one_address_get_429_without_any_password_check(
    client: Client, password_checks: Any, settings: Any
) -> None:
    settings.LOGIN_RATE = "3/m"
    with mock.patch(
        "django.contrib.auth.base_user.make_password", side_effect=make_password
    ) as hashing:  # an unknown username is hashed all the same (timing)
        for n in range(3):
            assert attempt(client, reverse("login"), n).status_code == 200
        assert password_checks.call_count == hashing.call_count == 3

        response = attempt(client, reverse("login"), 4)

    assert response.status_code == 429
    assert password_checks.call_count == hashing.call_count == 3
    assert int(response["Retry-After"]) <= 60
    assert "Vui lòng thử lại sau khoảng" in response.content.decode()


@pytest.mark.django_db
def test_a_successful_login_counts_too(
    client: Client, officer: User, settings: Any
) -> None:
    settings.LOGIN_RATE = "1/m"
    first = client.post(
        reverse("login"),
        {"username": officer.username, "password": "mat-khau-thu-nghiem-2024"},
        REMOTE_ADDR=OFFICE,
    )
    assert first.status_code == 302

    assert attempt(Client(), reverse("login"), 1).status_code == 429


@pytest.mark.django_db
def test_the_limit_spares_another_address_and_the_login_page_itself(
    client: Client, password_checks: Any, settings: Any
) -> None:
    settings.LOGIN_RATE = "2/m"
    for n in range(3):
        attempt(client, reverse("login"), n)

    assert client.get(reverse("login"), REMOTE_ADDR=OFFICE).status_code == 200
    assert attempt(client, reverse("login"), 9, address=ELSEWHERE).status_code == 200


@pytest.mark.django_db
def test_the_office_logs_in_again_a_minute_later(
    client: Client, officer: User, settings: Any
) -> None:
    settings.LOGIN_RATE = "2/m"
    for n in range(3):
        attempt(client, reverse("login"), n)

    with time_machine.travel(timezone.now() + timedelta(seconds=61), tick=False):
        response = client.post(
            reverse("login"),
            {"username": officer.username, "password": "mat-khau-thu-nghiem-2024"},
            REMOTE_ADDR=OFFICE,
        )

    assert response.status_code == 302


@pytest.mark.django_db
def test_the_admin_login_is_limited_the_same_way(
    client: Client, password_checks: Any, settings: Any
) -> None:
    settings.LOGIN_RATE = "3/m"
    url = reverse("admin:login")
    assert url == "/quan-tri/login/"
    for n in range(3):
        assert attempt(client, url, n).status_code == 200

    response = attempt(client, url, 4)

    assert response.status_code == 429
    assert password_checks.call_count == 3


# --- Files per user ----------------------------------------------------------------


@pytest.mark.django_db
def test_files_past_the_export_rate_get_429_and_pages_still_open(
    client: Client, officer: User, chairman: User, settings: Any
) -> None:
    settings.EXPORT_RATE = "2/m"
    client.force_login(officer)
    export = reverse("households:register_export")
    assert client.get(export).status_code == 200
    assert client.get(export).status_code == 200

    with mock.patch("households.register_views.register_export_for") as build:
        refused = client.get(export)

    assert refused.status_code == 429
    build.assert_not_called()
    assert "Tải tệp quá nhiều lần" in refused.content.decode()
    assert client.get(reverse("households:list")).status_code == 200
    other = Client()
    other.force_login(chairman)
    assert other.get(export).status_code == 200


@pytest.mark.django_db
def test_a_report_asked_as_a_file_counts_and_its_page_does_not(
    client: Client, officer: User, settings: Any
) -> None:
    settings.EXPORT_RATE = "1/m"
    client.force_login(officer)
    year = timezone.localdate().year
    page = reverse("reports:appendix_01", args=[year])
    for _ in range(3):
        assert client.get(page).status_code == 200
    assert client.get(page, {"format": "xlsx"}).status_code == 200

    assert client.get(page, {"format": "pdf"}).status_code == 429


# --- Request sizes -----------------------------------------------------------------


@pytest.fixture
def spies() -> Any:
    with (
        mock.patch.object(
            CsrfViewMiddleware,
            "process_view",
            autospec=True,
            side_effect=CsrfViewMiddleware.process_view,
        ) as csrf,
        mock.patch.object(
            TemporaryFileUploadHandler,
            "new_file",
            autospec=True,
            side_effect=TemporaryFileUploadHandler.new_file,
        ) as temp_file,
    ):
        yield csrf, temp_file


def big_upload(size: int) -> dict[str, Any]:
    return {"file": SimpleUploadedFile("so-ho.xlsx", b"x" * size)}


@pytest.mark.django_db
def test_an_anonymous_body_over_the_cap_is_refused_unread(
    spies: Any, settings: Any
) -> None:
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1000  # a file part goes to a temp file
    csrf, temp_file = spies
    client = Client(enforce_csrf_checks=True)

    response = client.post(reverse("login"), big_upload(200 * 1024))

    assert response.status_code == 413
    page = response.content.decode()
    assert "Dữ liệu gửi lên quá lớn" in page
    assert "Hãy đăng nhập lại" in page
    csrf.assert_not_called()
    temp_file.assert_not_called()


@pytest.mark.django_db
def test_a_logged_in_body_over_the_cap_is_refused_unread(
    client: Client, officer: User, spies: Any, settings: Any
) -> None:
    settings.REQUEST_BODY_MAX_MB = 1
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1000
    csrf, temp_file = spies
    client.force_login(officer)

    with mock.patch("households.register_views.check_file") as view_reads:
        response = client.post(
            reverse("households:register_import"), big_upload(1024 * 1024)
        )

    assert response.status_code == 413
    assert "tối đa 1 MB" in response.content.decode()
    view_reads.assert_not_called()
    csrf.assert_not_called()
    temp_file.assert_not_called()


@pytest.mark.django_db
def test_an_upload_just_under_the_cap_reaches_its_view(
    client: Client, officer: User, settings: Any
) -> None:
    settings.REQUEST_BODY_MAX_MB = 1
    client.force_login(officer)

    response = client.post(
        reverse("households:register_import"), big_upload(1024 * 1024 - 4096)
    )

    assert response.status_code == 200
    # The import read the file and found it is no workbook: its own message.
    assert "Excel" in response.content.decode()


@pytest.mark.django_db
def test_a_chunked_body_is_refused(client: Client, officer: User) -> None:
    client.force_login(officer)

    response = client.post(
        reverse("households:register_import"),
        big_upload(10),
        HTTP_TRANSFER_ENCODING="chunked",
    )

    assert response.status_code == 413


def test_the_cap_is_nginx_client_max_body_size_in_the_readme(settings: Any) -> None:
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()

    assert f"client_max_body_size {settings.REQUEST_BODY_MAX_MB}m;" in readme


# --- The client's address ----------------------------------------------------------


def test_the_address_behind_nginx_is_the_one_nginx_appended(settings: Any) -> None:
    from django.test import RequestFactory

    from giamngheo.throttles import client_ip

    settings.AXES_IPWARE_PROXY_COUNT = 1
    request = RequestFactory().get(
        "/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=f"6.6.6.6, {OFFICE}"
    )

    assert client_ip(request) == OFFICE


@pytest.mark.django_db
def test_addresses_of_one_ipv6_subscriber_share_the_login_rate(
    client: Client, settings: Any
) -> None:
    settings.LOGIN_RATE = "2/m"
    for n in range(2):
        attempt(client, reverse("login"), n, address=f"2001:db8:1:2::{n + 1}")

    response = attempt(client, reverse("login"), 3, address="2001:db8:1:2::99")

    assert response.status_code == 429


def test_a_forwarded_header_is_ignored_without_a_proxy(settings: Any) -> None:
    from django.test import RequestFactory

    from giamngheo.throttles import client_ip

    settings.AXES_IPWARE_PROXY_COUNT = 0
    request = RequestFactory().get(
        "/", REMOTE_ADDR=OFFICE, HTTP_X_FORWARDED_FOR="6.6.6.6"
    )

    assert client_ip(request) == OFFICE


def test_deploy_check_warns_when_the_counters_are_per_process(
    settings: Any, tmp_path: Any
) -> None:
    from giamngheo.checks import throttles_shared_by_every_worker

    # The tests' own cache (tests/conftest.py) is per process.
    [warning] = throttles_shared_by_every_worker()
    assert warning.id == "giamngheo.W001"

    settings.CACHES = {
        **settings.CACHES,
        "throttles": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path),
        },
    }
    assert throttles_shared_by_every_worker() == []


def test_no_address_or_a_garbled_one_is_none_not_a_word(settings: Any) -> None:
    """axes stores the address in an IP column: PostgreSQL refuses "unknown" (every
    login made in code, as tests and scripts do, has no REMOTE_ADDR)."""
    from django.test import RequestFactory

    from giamngheo.throttles import client_address, client_ip

    settings.AXES_IPWARE_PROXY_COUNT = 1
    garbled = RequestFactory().get("/", REMOTE_ADDR="", HTTP_X_FORWARDED_FOR="x, y")
    missing = RequestFactory().get("/")
    del missing.META["REMOTE_ADDR"]

    assert client_ip(garbled) is None
    assert client_ip(missing) is None
    assert client_address("login", missing) == "unknown"
