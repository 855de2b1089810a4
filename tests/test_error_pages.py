"""The project's own Vietnamese 403/404/500 pages, in every mode a user can meet.

`make run` serves with DEBUG=True, where Django would answer with its English
technical 404 page and a traceback; giamngheo.error_pages shows ours there too.
"""

from __future__ import annotations

import pytest
from django.test import Client

from giamngheo.models import User
from households.models import Household

ENGLISH = ("Page not found", "Using the URLconf", "Traceback", "Server Error")


def assert_vietnamese(body: str, heading: str) -> None:
    assert heading in body
    for text in ENGLISH:
        assert text not in body


@pytest.mark.parametrize("debug", [True, False], ids=["DEBUG", "production"])
def test_an_unknown_url_shows_our_404(
    settings: object, client: Client, officer: User, debug: bool
) -> None:
    settings.DEBUG = debug  # type: ignore[attr-defined]
    client.force_login(officer)

    response = client.get("/khong-co-trang-nay/")

    assert response.status_code == 404
    assert_vietnamese(response.content.decode(), "Không tìm thấy trang")


@pytest.mark.parametrize("debug", [True, False], ids=["DEBUG", "production"])
def test_a_household_out_of_scope_shows_our_404(
    settings: object, client: Client, officer: User, household_b: Household, debug: bool
) -> None:
    settings.DEBUG = debug  # type: ignore[attr-defined]
    client.force_login(officer)

    response = client.get(household_b.get_absolute_url())

    assert response.status_code == 404
    body = response.content.decode()
    assert_vietnamese(body, "Không tìm thấy trang")
    assert household_b.head_name not in body


@pytest.mark.parametrize("debug", [True, False], ids=["DEBUG", "production"])
def test_a_forbidden_action_shows_our_403(
    settings: object,
    client: Client,
    chairman: User,
    household_a1: Household,
    debug: bool,
) -> None:
    settings.DEBUG = debug  # type: ignore[attr-defined]
    client.force_login(chairman)

    response = client.get(f"/ho/{household_a1.pk}/sua/")

    assert response.status_code == 403
    assert_vietnamese(response.content.decode(), "Không có quyền thực hiện")


@pytest.mark.urls("tests.error_urls")
@pytest.mark.parametrize("debug", [True, False], ids=["DEBUG", "production"])
def test_a_crash_shows_our_500_and_is_logged(
    settings: object,
    officer: User,
    debug: bool,
    caplog: pytest.LogCaptureFixture,
) -> None:
    settings.DEBUG = debug  # type: ignore[attr-defined]
    client = Client(raise_request_exception=False)
    client.force_login(officer)

    response = client.get("/thu-loi/")

    assert response.status_code == 500
    assert_vietnamese(response.content.decode(), "Đã có lỗi hệ thống")
    assert "lỗi thử nghiệm" in caplog.text


def test_an_expired_form_shows_a_vietnamese_csrf_page(officer: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)

    response = client.post("/ho/them/", {"code": "X"})

    assert response.status_code == 403
    body = response.content.decode()
    assert "Phiên làm việc đã hết hạn" in body
    assert "CSRF verification failed" not in body
