"""The browser tests' live server survives a page that sends requests at once.

A review form's htmx preview and its submit reach the server together; on SQLite's
in-memory test database that once broke the submit with a 500 in CI.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from http.client import HTTPConnection
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client

from giamngheo.models import User
from households.models import Household

pytestmark = pytest.mark.django_db(transaction=True)


def test_requests_at_once_all_get_their_page(
    live_server: object, officer: User, household_a1: Household
) -> None:
    client = Client()
    client.force_login(officer)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    server = urlsplit(str(live_server))

    def status() -> int:
        connection = HTTPConnection(server.hostname, server.port, timeout=30)
        try:
            connection.request(
                "GET",
                "/ho/",
                headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={session}"},
            )
            response = connection.getresponse()
            response.read()
            return response.status
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(lambda _: status(), range(40)))
    assert statuses == [200] * 40
