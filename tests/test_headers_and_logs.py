"""Headers on every response, and no query string in the project's logs (issue 13,
item 9). The plan page's GET writing nothing is in tests/tasks/test_plans.py."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest
from django.test import Client

from giamngheo.log_filters import DropQueryStrings
from giamngheo.models import User
from households.models import Household

DENIED = ("camera", "microphone", "geolocation", "payment", "usb", "serial")
NAME = "Bùi Văn Hùng"


def assert_permissions_policy(response: object) -> None:
    policy = response.headers["Permissions-Policy"]  # type: ignore[attr-defined]
    for feature in DENIED:
        assert f"{feature}=()" in policy


def test_the_login_page_denies_the_browser_features(client: Client) -> None:
    response = client.get("/dang-nhap/")

    assert response.status_code == 200
    assert_permissions_policy(response)


def test_a_register_page_denies_the_browser_features(
    client: Client, officer: User, household_a1: Household
) -> None:
    client.force_login(officer)

    for url in ("/ho/", household_a1.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 200
        assert_permissions_policy(response)


def test_error_pages_deny_the_browser_features(
    client: Client, officer: User, household_b: Household
) -> None:
    client.force_login(officer)

    not_found = client.get("/khong-co-trang-nay/")
    out_of_scope = client.get(household_b.get_absolute_url())

    assert not_found.status_code == out_of_scope.status_code == 404
    assert_permissions_policy(not_found)
    assert_permissions_policy(out_of_scope)


@pytest.mark.urls("tests.error_urls")
def test_the_500_page_denies_the_browser_features(officer: User) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(officer)

    response = client.get("/thu-loi/")

    assert response.status_code == 500
    assert_permissions_policy(response)


# --- Logs ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("message", "args", "kept"),
    [
        ('"%s" %s %s', (f"GET /ho/?q={NAME}&trang=2 HTTP/1.1", 200, 5120), "/ho/"),
        ("Not Found: %s", (f"/ho/9/?q={NAME}",), "/ho/9/"),
        (f"https://xa.example.gov.vn/ho/nhap-nhanh/?nguoi={NAME}", (), "/nhap-nhanh/"),
    ],
)
def test_the_filter_drops_query_strings_and_keeps_the_path(
    message: str, args: tuple[object, ...], kept: str
) -> None:
    record = logging.LogRecord(
        "django.server", logging.INFO, "", 0, message, args, None
    )

    assert DropQueryStrings().filter(record) is True

    assert NAME not in record.getMessage()
    assert "Bùi" not in record.getMessage()
    assert kept in record.getMessage()


def test_a_message_without_a_query_string_is_left_alone() -> None:
    record = logging.LogRecord(
        "jobs", logging.ERROR, "", 0, "Job %s (%s) failed?", (7, "Sổ hộ"), None
    )

    DropQueryStrings().filter(record)

    assert record.getMessage() == "Job 7 (Sổ hộ) failed?"


@pytest.fixture
def written() -> Iterator[io.StringIO]:
    """What the project's handlers (settings.LOGGING) write: the root's and
    runserver's request lines (django.server), into one buffer."""
    buffer = io.StringIO()
    handlers = [
        h
        for logger in (logging.getLogger(), logging.getLogger("django.server"))
        for h in logger.handlers
        if any(isinstance(f, DropQueryStrings) for f in h.filters)
    ]
    assert len(handlers) == 2  # the console handler and runserver's
    streams = [h.setStream(buffer) for h in handlers]  # type: ignore[attr-defined]
    yield buffer
    for handler, stream in zip(handlers, streams, strict=True):
        handler.setStream(stream)  # type: ignore[attr-defined]


def test_the_project_s_logs_hold_no_search_term(written: io.StringIO) -> None:
    logging.getLogger("django.server").info(
        '"%s" %s %s', f"GET /ho/?q={NAME} HTTP/1.1", 200, 5120
    )
    logging.getLogger("django.request").warning("Not Found: %s", f"/x/?q={NAME}")

    text = written.getvalue()
    assert "GET /ho/?… HTTP/1.1" in text
    assert "Not Found: /x/?…" in text
    assert NAME not in text


@pytest.mark.urls("tests.error_urls")
def test_a_crash_on_a_search_logs_no_search_term(
    officer: User, written: io.StringIO
) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(officer)

    assert client.get("/thu-loi/", {"q": NAME}).status_code == 500

    assert "/thu-loi/" in written.getvalue()
    assert NAME not in written.getvalue()
