"""A form that records something is recorded once (issue 13 item 7): the review form
sent twice with the same one-time token records one review, the second answer goes
where the first went; a form refused with errors can be corrected and sent; two
POSTs at once on PostgreSQL record one; old tokens are cleared at night."""

from __future__ import annotations

import re
import threading
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from giamngheo.models import User
from households.models import Household, Review
from households.submit_once import ALREADY_RECORDED, FIELD, SubmittedForm
from tests.households.test_review_preview import review_data

NOW = datetime(2026, 6, 15, 10, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


@pytest.fixture(autouse=True)
def _fixed_day(time_machine: Any) -> None:
    time_machine.move_to(NOW, tick=False)


def token_in(html: str) -> str:
    """The one-time token the page's form carries."""
    found = re.search(rf'name="{FIELD}" value="([^"]+)"', html)
    assert found, "the form carries no one-time token"
    return found.group(1)


def messages_of(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def review_page_token(client: Client, household: Household) -> str:
    url = reverse("households:review_create", args=[household.pk])
    return token_in(client.get(url).content.decode())


@pytest.mark.django_db
def test_the_same_review_sent_twice_is_recorded_once(
    client: Client, officer: User, household_a1: Household
) -> None:
    client.force_login(officer)
    data = {**review_data(), FIELD: review_page_token(client, household_a1)}
    url = reverse("households:review_create", args=[household_a1.pk])

    first = client.post(url, data)
    second = client.post(url, data)

    assert first.status_code == 302, first.context["form"].errors
    assert second.status_code == 302
    assert second["Location"] == first["Location"] == household_a1.get_absolute_url()
    assert Review.objects.count() == 1
    # The first answer's message is still queued (the redirect was not followed).
    said = messages_of(second)
    assert said[-1] == ALREADY_RECORDED
    assert sum(m.startswith("Đã ghi phiếu rà soát") for m in said) == 1


@pytest.mark.django_db
def test_a_review_refused_with_errors_can_be_corrected_and_is_recorded_once(
    client: Client, officer: User, household_a1: Household
) -> None:
    client.force_login(officer)
    token = review_page_token(client, household_a1)
    url = reverse("households:review_create", args=[household_a1.pk])

    refused = client.post(
        url, {**review_data(income_per_person_month="-1"), FIELD: token}
    )
    assert refused.status_code == 200
    assert Review.objects.count() == 0
    # The page shown again carries a token of its own, and the first was released.
    assert token_in(refused.content.decode()) != token
    assert not SubmittedForm.objects.exists()

    corrected = {**review_data(), FIELD: token}
    assert client.post(url, corrected).status_code == 302
    assert client.post(url, corrected).status_code == 302
    assert Review.objects.count() == 1


@pytest.mark.django_db
def test_a_post_without_a_token_is_recorded_as_before(
    client: Client, officer: User, household_a1: Household
) -> None:
    client.force_login(officer)
    url = reverse("households:review_create", args=[household_a1.pk])
    assert client.post(url, review_data()).status_code == 302
    assert Review.objects.count() == 1
    assert not SubmittedForm.objects.exists()


@pytest.mark.django_db
def test_another_users_token_records_nothing(
    client: Client, officer: User, chairman: User, household_a1: Household
) -> None:
    client.force_login(officer)
    data = {**review_data(), FIELD: review_page_token(client, household_a1)}
    url = reverse("households:review_create", args=[household_a1.pk])
    client.post(url, data)

    other = Client()
    other.force_login(chairman)
    response = other.post(url, data)

    # Not the first one's page (it is the officer's), not the POST-only URL: home.
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert Review.objects.count() == 1


@pytest.mark.django_db
def test_clear_old_jobs_forgets_the_tokens_of_more_than_a_day_ago(
    officer: User,
) -> None:
    SubmittedForm.objects.create(
        token="a" * 32, user=officer, created=NOW - timedelta(days=2)
    )
    SubmittedForm.objects.create(
        token="b" * 32, user=officer, created=NOW - timedelta(hours=1)
    )

    call_command("clear_old_jobs", stdout=None)

    assert list(SubmittedForm.objects.values_list("token", flat=True)) == ["b" * 32]


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="two POSTs at once need PostgreSQL"
)
@pytest.mark.django_db(transaction=True)
def test_two_reviews_sent_at_once_are_recorded_once(
    officer: User, household_a1: Household
) -> None:
    setup = Client()
    setup.force_login(officer)
    data = {**review_data(), FIELD: review_page_token(setup, household_a1)}
    url = reverse("households:review_create", args=[household_a1.pk])
    start = threading.Barrier(2)
    statuses: list[int] = []

    def send() -> None:
        try:
            client = Client()
            client.force_login(officer)
            start.wait()
            statuses.append(client.post(url, data).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert statuses == [302, 302]
    assert Review.objects.count() == 1
