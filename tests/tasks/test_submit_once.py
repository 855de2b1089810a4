"""A task's submission, its decision, a village plan's submit and decision, each sent
twice with the same one-time token, are recorded once; the second answer goes where
the first went with "Đã ghi nhận lần gửi trước" (issue 13 item 7)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from giamngheo.models import User
from households.models import Household
from households.submit_once import ALREADY_RECORDED, FIELD
from tasks.models import EventKind, Submission, Task, TaskEvent, VillagePlan
from tests.tasks.test_plans import fill_all, plan, plan_task, register, target
from tests.tasks.test_task_pages import _today, tasks, units
from tests.tasks.test_task_status import client_for, submitted

pytestmark = pytest.mark.django_db
__all__ = ["_today", "plan", "plan_task", "register", "target", "tasks", "units"]


def token_for(html: str, action: str | None = None) -> str:
    """The one-time token of the page's form posting to `action` (or its only one)."""
    forms = re.findall(r"<form\b(.*?)</form>", html, re.S)
    for form in forms:
        if action is None or f'action="{action}"' in form:
            found = re.search(rf'name="{FIELD}" value="([^"]+)"', form)
            if found:
                return found.group(1)
    raise AssertionError(f"no form posting to {action} carries a one-time token")


def messages_of(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def twice(client: Client, url: str, data: dict[str, str]) -> tuple[Any, Any]:
    return client.post(url, data), client.post(url, data)


def assert_second_went_where_the_first_did(first: Any, second: Any) -> None:
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]
    assert messages_of(second)[-1] == ALREADY_RECORDED


def test_a_task_submitted_twice_is_submitted_once(
    tasks: dict[str, Task], sector: User
) -> None:
    task = tasks["yte"]
    client = client_for(sector)
    url = reverse("tasks:submit", args=[task.pk])
    token = token_for(client.get(url).content.decode())

    first, second = twice(client, url, {"note": "Đã tổng hợp xong.", FIELD: token})

    assert_second_went_where_the_first_did(first, second)
    assert Submission.objects.filter(task=task).count() == 1
    assert task.events.filter(kind=EventKind.SUBMITTED).count() == 1


def test_a_decision_sent_twice_is_recorded_once(
    tasks: dict[str, Task], sector: User, officer: User
) -> None:
    task = tasks["yte"]
    submission = submitted(task, sector)
    client = client_for(officer)
    url = reverse("tasks:decide", args=[submission.pk])
    token = token_for(client.get(task.get_absolute_url()).content.decode(), url)

    first, second = twice(
        client, url, {"decision": "approved", "comment": "Đạt.", FIELD: token}
    )

    assert_second_went_where_the_first_did(first, second)
    assert task.events.filter(kind=EventKind.APPROVED).count() == 1


def test_a_plan_submitted_and_decided_twice_is_recorded_once(
    plan: VillagePlan,
    register: dict[str, Household],
    head_a1: User,
    officer: User,
) -> None:
    head = client_for(head_a1)
    fill_all(head, plan, register)
    submit_url = reverse("tasks:plan_submit", args=[plan.pk])
    token = token_for(head.get(plan.get_absolute_url()).content.decode(), submit_url)

    first, second = twice(head, submit_url, {FIELD: token})

    assert_second_went_where_the_first_did(first, second)
    assert plan.task.events.filter(kind=EventKind.SUBMITTED).count() == 1

    decide_url = reverse("tasks:plan_decide", args=[plan.pk])
    chief = client_for(officer)
    token = token_for(chief.get(plan.get_absolute_url()).content.decode(), decide_url)

    first, second = twice(
        chief, decide_url, {"decision": "return", "comment": "Bổ sung.", FIELD: token}
    )

    assert_second_went_where_the_first_did(first, second)
    assert TaskEvent.objects.filter(kind=EventKind.RETURNED).count() == 1
