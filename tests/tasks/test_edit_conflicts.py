"""Sửa cùng lúc on the village plans and the task decisions (households/
edit_conflicts.py): a stale save or decision is refused with what changed, writes
nothing, and the page shown again applies the user's values on a second click."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from giamngheo.models import User
from households.models import Household
from tasks import actions
from tasks.models import (
    Decision,
    HouseholdPlan,
    PlanStatus,
    Task,
    TaskStatus,
    VillagePlan,
)
from tests.form_pages import post_form
from tests.tasks.test_plans import (  # noqa: F401 (fixtures)
    FULL,
    client_for,
    fill,
    fill_all,
    plan,
    plan_task,
    register,
    submit,
    target,
)
from tests.tasks.test_task_status import (  # noqa: F401 (fixtures)
    health_unit,
    submitted,
    task,
)

pytestmark = pytest.mark.django_db

REFUSED = "người khác đã sửa nội dung này sau khi bạn mở trang"


def opened(user: User, url: str, action: str = "") -> tuple[Client, dict[str, Any]]:
    client = client_for(user)
    response = client.get(url)
    assert response.status_code == 200
    return client, post_form(response, action)


def test_stale_plan_summary_is_refused_then_applied_again(
    plan: VillagePlan,  # noqa: F811 - fixture
    officer: User,
    head_a1: User,
) -> None:
    url = reverse("tasks:plan_edit", args=[plan.pk])
    officer_client, officer_form = opened(officer, url)
    head_client, head_form = opened(head_a1, url)
    officer_client.post(url, officer_form | {"summary": "Ưu tiên vay vốn."})

    refused = head_client.post(url, head_form | {"summary": "Ưu tiên nhà ở."})

    assert refused.status_code == 409
    page = refused.content.decode()
    assert REFUSED in page
    assert "Nội dung chung của kế hoạch" in page
    assert "nay là “Ưu tiên vay vốn.”" in page
    plan.refresh_from_db()
    assert plan.summary == "Ưu tiên vay vốn."
    again = post_form(refused)
    assert again["summary"] == "Ưu tiên nhà ở."
    assert head_client.post(url, again).status_code == 302
    plan.refresh_from_db()
    assert plan.summary == "Ưu tiên nhà ở."


def test_stale_household_card_is_refused_then_applied_again(
    plan: VillagePlan,  # noqa: F811 - fixture
    register: dict[str, Household],  # noqa: F811 - fixture
    officer: User,
    head_a1: User,
) -> None:
    hung = register["hung"]
    url = reverse("tasks:plan_household", args=[plan.pk, hung.pk])
    officer_client, officer_form = opened(officer, url)
    head_client, head_form = opened(head_a1, url)
    officer_form |= {"solution_note": "Nuôi 2 con bò sinh sản", "causes": ["capital"]}
    assert officer_client.post(url, officer_form).status_code == 302

    refused = head_client.post(url, head_form | {"expected_escape": "on"})

    assert refused.status_code == 409
    page = refused.content.decode()
    assert REFUSED in page
    assert "giải pháp khác, phương án cụ thể" in page
    assert "nay là “Nuôi 2 con bò sinh sản”" in page
    assert "nguyên nhân nghèo: lúc bạn mở trang là “(trống)”, nay là “Thiếu vốn" in page
    row = HouseholdPlan.objects.get(plan=plan, household=hung)
    assert (row.solution_note, row.expected_escape) == ("Nuôi 2 con bò sinh sản", False)
    again = post_form(refused)
    assert again["expected_escape"] == "on"
    again |= {"solution_note": "Nuôi 2 con bò sinh sản", "causes": ["capital"]}
    assert head_client.post(url, again).status_code == 302
    row.refresh_from_db()
    assert (row.solution_note, row.expected_escape) == ("Nuôi 2 con bò sinh sản", True)


def test_decision_on_a_plan_changed_since_the_page_was_loaded_is_refused(
    plan: VillagePlan,  # noqa: F811 - fixture
    register: dict[str, Household],  # noqa: F811 - fixture
    officer: User,
    admin: User,
    head_a1: User,
) -> None:
    """Returned, changed and submitted again while the officer read it: approving
    it would approve what he never read."""
    head = client_for(head_a1)
    fill_all(head, plan, register)
    submit(head, plan)
    url = reverse("tasks:plan_detail", args=[plan.pk])
    decide = reverse("tasks:plan_decide", args=[plan.pk])
    officer_client, decision = opened(officer, url, decide)
    client_for(admin).post(
        reverse("tasks:plan_decide", args=[plan.pk]),
        {"decision": "return", "comment": "Bổ sung người giúp đỡ."},
    )
    assert fill(head, plan, register["hung"], helper_person="Hà Văn Lâm").status_code
    submit(head, plan)

    decision |= {"decision": "approve", "comment": "Đồng ý."}
    refused = officer_client.post(decide, decision)

    assert refused.status_code == 409
    page = refused.content.decode()
    assert REFUSED in page
    assert "Kế hoạch: ý kiến của công chức LĐ-TB&amp;XH" in page
    assert "nay là “Bổ sung người giúp đỡ.”" in page
    assert "Hà Văn Lâm" in page
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED
    again = post_form(refused, decide)
    assert again["comment"] == "Đồng ý."
    assert (
        officer_client.post(decide, again | {"decision": "approve"}).status_code == 302
    )
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED


def test_decision_on_a_task_resubmitted_since_the_page_was_loaded_is_refused(
    task: Task,  # noqa: F811 - fixture
    sector: User,
    officer: User,
    admin: User,
) -> None:
    first = submitted(task, sector, note="Bản đầu.")
    url = reverse("tasks:detail", args=[task.pk])
    officer_client, decision = opened(
        officer, url, reverse("tasks:decide", args=[first.pk])
    )
    actions.return_submission(first, by=admin, comment="Thiếu số liệu.")
    second = submitted(task, sector, note="Bản bổ sung số liệu.")

    decision |= {"decision": "approved", "comment": "Đạt."}
    refused = officer_client.post(reverse("tasks:decide", args=[first.pk]), decision)

    assert refused.status_code == 409
    page = refused.content.decode()
    assert REFUSED in page
    assert "Nhiệm vụ: trả lại" in page
    assert "Nộp lại sau khi bị trả lại" in page
    first.refresh_from_db()
    assert first.decision == Decision.RETURNED
    task.refresh_from_db()
    assert task.status == TaskStatus.SUBMITTED
    # The page shown again offers the pending (second) submission, comment kept.
    again = post_form(refused, reverse("tasks:decide", args=[second.pk]))
    assert again["comment"] == "Đạt."
    response = officer_client.post(
        reverse("tasks:decide", args=[second.pk]), again | {"decision": "approved"}
    )
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.decision == Decision.APPROVED


def test_card_made_blank_by_another_save_meanwhile_is_no_conflict(
    plan: VillagePlan,  # noqa: F811 - fixture
    register: dict[str, Household],  # noqa: F811 - fixture
    officer: User,
    head_a1: User,
) -> None:
    """The plan page shows a listed household's card unsaved; the officer's save of
    the summary saves it blank. The head's card, opened before, overwrites nothing."""
    hung = register["hung"]
    HouseholdPlan.objects.get(plan=plan, household=hung).delete()
    url = reverse("tasks:plan_household", args=[plan.pk, hung.pk])
    head_client, card = opened(head_a1, url)
    summary = reverse("tasks:plan_edit", args=[plan.pk])
    officer_client, officer_form = opened(officer, summary)
    officer_client.post(summary, officer_form | {"summary": "Ưu tiên vay vốn."})
    assert HouseholdPlan.objects.filter(plan=plan, household=hung).exists()

    response = head_client.post(url, card | {"solution_note": "Nuôi bò"})

    assert response.status_code == 302
    row = HouseholdPlan.objects.get(plan=plan, household=hung)
    assert row.solution_note == "Nuôi bò"


def test_refused_summary_is_merged(
    plan: VillagePlan,  # noqa: F811 - fixture
    officer: User,
    head_a1: User,
) -> None:
    """Left alone, the summary shows the officer's new text; changed by both, the
    head's text is kept and the change marked."""
    url = reverse("tasks:plan_edit", args=[plan.pk])
    officer_client, officer_form = opened(officer, url)
    head_client, head_form = opened(head_a1, url)
    officer_client.post(url, officer_form | {"summary": "Ưu tiên vay vốn."})

    untouched = head_client.post(url, head_form)
    assert untouched.status_code == 409
    assert "cả hai cùng sửa:" not in untouched.content.decode()
    assert post_form(untouched)["summary"] == "Ưu tiên vay vốn."

    both = head_client.post(url, head_form | {"summary": "Ưu tiên nhà ở."})
    assert both.status_code == 409
    assert "cả hai cùng sửa:" in both.content.decode()
    assert post_form(both)["summary"] == "Ưu tiên nhà ở."


def test_refused_card_keeps_the_other_users_fields_and_the_users_tick(
    plan: VillagePlan,  # noqa: F811 - fixture
    register: dict[str, Household],  # noqa: F811 - fixture
    officer: User,
    head_a1: User,
) -> None:
    hung = register["hung"]
    url = reverse("tasks:plan_household", args=[plan.pk, hung.pk])
    officer_client, officer_form = opened(officer, url)
    head_client, head_form = opened(head_a1, url)
    officer_form |= {"solution_note": "Nuôi 2 con bò sinh sản", "causes": ["capital"]}
    assert officer_client.post(url, officer_form).status_code == 302

    refused = head_client.post(url, head_form | {"expected_escape": "on"})

    assert refused.status_code == 409
    again = post_form(refused)
    assert again["solution_note"] == "Nuôi 2 con bò sinh sản"
    assert again["causes"] == "capital"
    assert again["expected_escape"] == "on"
    assert head_client.post(url, again).status_code == 302
    row = HouseholdPlan.objects.get(plan=plan, household=hung)
    assert (row.solution_note, row.causes, row.expected_escape) == (
        "Nuôi 2 con bò sinh sản",
        ["capital"],
        True,
    )


def test_a_card_field_both_changed_keeps_the_users_value_and_is_marked(
    plan: VillagePlan,  # noqa: F811 - fixture
    register: dict[str, Household],  # noqa: F811 - fixture
    officer: User,
    head_a1: User,
) -> None:
    hung = register["hung"]
    url = reverse("tasks:plan_household", args=[plan.pk, hung.pk])
    officer_client, officer_form = opened(officer, url)
    head_client, head_form = opened(head_a1, url)
    officer_form |= {"solution_note": "Nuôi 2 con bò sinh sản"}
    assert officer_client.post(url, officer_form).status_code == 302

    refused = head_client.post(url, head_form | {"solution_note": "Trồng keo"})

    assert refused.status_code == 409
    assert "cả hai cùng sửa:" in refused.content.decode()
    assert post_form(refused)["solution_note"] == "Trồng keo"


def test_a_double_click_on_the_plan_summary_saves_once(
    plan: VillagePlan,  # noqa: F811 - fixture
    head_a1: User,
) -> None:
    """Without the form's one-time token the second click would meet the first
    click's own save as a conflict (409)."""
    url = reverse("tasks:plan_edit", args=[plan.pk])
    client, form = opened(head_a1, url)
    form["summary"] = "Ưu tiên vay vốn."
    records = plan.history.count()

    first = client.post(url, form)
    second = client.post(url, form)

    assert first.status_code == second.status_code == 302
    assert plan.history.count() == records + 1
