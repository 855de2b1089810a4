"""No lost updates (issue 13 item 1), measured on PostgreSQL: ten officers post the
same household's form, all loaded at the same version, at the same moment, each from
its own thread and database connection. Exactly one save wins; the nine others are
refused (409, nothing written); the stored row is the winner's.

SQLite runs one writer at a time whatever the code does, so the test runs only on
PostgreSQL (`DATABASE_URL=postgres://…`); `make audit` reads its figures."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from giamngheo.models import Role
from households.models import Village
from tests.conftest import AuditRecorder, make_household, make_user
from tests.form_pages import post_form

WRITERS = 10

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL's row locks"
    ),
    pytest.mark.django_db(transaction=True),
]


def test_ten_saves_of_one_loaded_version_have_one_winner_and_lose_nothing(
    village_a1: Village, audit_figures: AuditRecorder
) -> None:
    household = make_household(village_a1, "CN-01-0001", "Bùi Văn Hùng")
    url = reverse("households:edit", args=[household.pk])
    clients = []
    for n in range(WRITERS):
        user = make_user(f"canbo{n}", Role.OFFICER, village_a1.commune)
        client = Client()
        client.force_login(user)
        clients.append(client)
    # Each officer opens the form himself (its own one-time token), all at one version.
    loaded = [post_form(client.get(url)) for client in clients]
    assert len({form["loaded_version"] for form in loaded}) == 1
    history_before = household.history.count()

    start = threading.Barrier(WRITERS)
    answers: dict[int, int] = {}
    failures: list[BaseException] = []

    def write(n: int) -> None:
        data: dict[str, Any] = loaded[n] | {
            "address": f"Xóm số {n}",
            "members-0-full_name": f"Bùi Văn Người Thứ {n}",
        }
        try:
            start.wait()
            answers[n] = clients[n].post(url, data).status_code
        except BaseException as error:  # reported by the main thread
            failures.append(error)
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=write, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert not failures, failures
    winners = [n for n, status in answers.items() if status == 302]
    refused = [n for n, status in answers.items() if status == 409]
    household.refresh_from_db()
    stored = (household.address, household.members.get().full_name)
    kept = [n for n in winners if stored == (f"Xóm số {n}", f"Bùi Văn Người Thứ {n}")]
    losses = len(winners) - len(kept)
    audit_figures(
        "lost_updates",
        writers=WRITERS,
        winners=len(winners),
        refused=len(refused),
        losses=losses,
    )
    assert (len(winners), len(refused), losses) == (1, WRITERS - 1, 0), answers
    # The refused saves wrote nothing: one new record of the household, the winner's.
    assert household.history.count() == history_before + 1
