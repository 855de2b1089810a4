"""A server process keeps serving after its database connection dies (issue 13).

gunicorn's workers keep their connection between requests (`conn_max_age`). When
PostgreSQL restarts, that connection is dead: without a health check the next
request of each worker used it and answered 500. The requests go through Django's
WSGI handler, as gunicorn sends them, so that `close_old_connections` runs at the
start and end of each (the test client leaves it out).

A background job whose connection dies mid-way is recorded as failed (through a new
connection), not left "running" for ever.
"""

from __future__ import annotations

from collections.abc import Iterator
from io import BytesIO

import pytest
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection, connections
from django.tasks import task
from django.test import Client
from django.urls import reverse

from giamngheo.models import User
from households.models import Household
from jobs.models import Job, JobStatus
from jobs.running import UNFORESEEN, Outcome, Progress, perform, start

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="PostgreSQL only: SQLite has no server connection to lose",
    ),
]


@pytest.fixture
def persistent_connection() -> Iterator[None]:
    """The connection lives on between requests, as `?conn_max_age=60` makes it."""
    database = connections["default"].settings_dict
    kept = database["CONN_MAX_AGE"]
    database["CONN_MAX_AGE"] = 60
    connection.close()
    yield
    database["CONN_MAX_AGE"] = kept
    connection.close()


def terminate(backend: int) -> None:
    """What a restart of PostgreSQL does to a connection."""
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [backend])
    finally:
        other.close()


@task
def loses_its_connection(job_id: str) -> None:
    def work(job: Job, progress: Progress) -> Outcome:
        terminate(connection.connection.info.backend_pid)
        Household.objects.count()
        return Outcome()

    perform(job_id, work)


def status_of(handler: WSGIHandler, path: str, session: str) -> int:
    statuses: list[str] = []
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_COOKIE": f"{settings.SESSION_COOKIE_NAME}={session}",
        "wsgi.url_scheme": "http",
        "wsgi.input": BytesIO(),
        "wsgi.errors": BytesIO(),
    }
    response = handler(environ, lambda status, headers: statuses.append(status))
    b"".join(response)
    response.close()  # request_finished: close_old_connections, as gunicorn does
    return int(statuses[0].split()[0])


def test_the_app_answers_again_as_soon_as_the_database_is_back(
    officer: User, persistent_connection: None
) -> None:
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
    client = Client()
    client.force_login(officer)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    handler = WSGIHandler()
    home = reverse("households:list")
    assert status_of(handler, home, session) == 200
    assert connection.connection is not None, "the connection was not kept"
    backend = connection.connection.info.backend_pid

    terminate(backend)

    assert status_of(handler, home, session) == 200
    assert connection.connection.info.backend_pid != backend


def test_a_job_that_loses_its_connection_is_recorded_as_failed(officer: User) -> None:
    connection.ensure_connection()

    job = start(loses_its_connection, title="Đếm hộ", by=officer)

    job = Job.objects.get(pk=job.pk)
    assert (job.status, job.error) == (JobStatus.FAILED, UNFORESEEN)
