"""Writes of the village plans (kế hoạch thôn, §III.2.11): one transaction each.

The plan is the village's task for 15/03: submitting, returning and approving the plan
does the same to its task, so the task board and the plan never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction

from households import clock, edit_conflicts
from households.models import Household, HouseholdQuerySet, PovertyCause, Village
from households.transitions import start_of
from tasks import actions as task_actions
from tasks.models import (
    Decision,
    DeliverableKind,
    EventKind,
    HouseholdPlan,
    PlanStatus,
    SupportLine,
    Task,
    TaskEvent,
    TaskStatus,
    VillagePlan,
)
from tasks.plan_forms import HouseholdPlanForm, PlanSummaryForm

if TYPE_CHECKING:
    from giamngheo.models import User

# "xong trước ngày 15/03" (§III.2.11): the 14th is the last day on time.
DUE_DAY = (3, 15)
EDITABLE = (PlanStatus.DRAFT, PlanStatus.RETURNED)


class PlanError(Exception):
    """A transition the plan's status does not allow; the message says why."""


@dataclass(frozen=True)
class Missing:
    """A listed household whose plan lacks something needed to submit."""

    household_plan: HouseholdPlan
    parts: list[str]

    def __str__(self) -> str:
        household = self.household_plan.household
        return f"Hộ {household.head_name} ({household.code}): {', '.join(self.parts)}."


class PlanIncomplete(PlanError):
    def __init__(self, missing: list[Missing]) -> None:
        super().__init__(f"{len(missing)} hộ nghèo còn thiếu thông tin.")
        self.missing = missing


def listed_households(village: Village, year: int) -> HouseholdQuerySet:
    """The village's poor households at the start of the year, from the register."""
    start = start_of(year)
    return (
        Household.objects.filter(village=village)
        .present_on(start)
        .with_status_on(start)
        .with_status("poor")
    )


def missing_parts(household_plan: HouseholdPlan) -> list[str]:
    """What §III.2.11 asks for that this household's plan does not say yet."""
    parts = []
    if not household_plan.causes:
        parts.append("chưa chọn nguyên nhân nghèo")
    if not household_plan.solutions and not household_plan.solution_note.strip():
        parts.append("chưa có giải pháp hỗ trợ")
    if not household_plan.helper.strip():
        parts.append("chưa phân công chi hội hoặc người giúp đỡ")
    return parts


def plan_sources(plan_id: int) -> list[edit_conflicts.Source]:
    """The plan's own row: what its summary form edits."""
    return [edit_conflicts.Source("Kế hoạch", VillagePlan.history.filter(id=plan_id))]


# The card's lists are stored as codes; a conflict names them in words.
CARD_WORDS = {
    "causes": dict(PovertyCause.choices),
    "solutions": dict(SupportLine.choices),
}


def card_sources(plan_id: int, household_id: int) -> list[edit_conflicts.Source]:
    """One household's card of the plan (none yet while its row is unsaved)."""
    return [
        edit_conflicts.Source(
            "Phương án của hộ",
            HouseholdPlan.history.filter(plan_id=plan_id, household_id=household_id),
            words=CARD_WORDS,
        )
    ]


def decision_sources(plan_id: int) -> list[edit_conflicts.Source]:
    """What a decision on the plan is taken against: the plan and all its cards."""
    return [
        *plan_sources(plan_id),
        edit_conflicts.Source(
            "Phương án của hộ",
            HouseholdPlan.history.filter(plan_id=plan_id),
            name=lambda record: record.household.code,
            words=CARD_WORDS,
        ),
    ]


def _record(plan: VillagePlan, by: User, reason: str) -> None:
    """Save the plan with who did it and why, for its history."""
    plan._history_user = by  # type: ignore[attr-defined]
    plan._change_reason = reason  # type: ignore[attr-defined]
    plan.save()


def _plan_task(village: Village, year: int) -> Task | None:
    """The village's "plan" task of the year, if the commune's plan assigned one."""
    return (
        Task.objects.filter(
            unit__village=village,
            kind=DeliverableKind.PLAN,
            year=year,
            village_plan__isnull=True,
        )
        .order_by("due_before", "pk")
        .first()
    )


def unsaved_rows(plan: VillagePlan) -> list[HouseholdPlan]:
    """A row, not saved, for every listed household that has none yet: what the plan
    page shows on a GET (which writes nothing) and what `sync_households` saves."""
    have = set(plan.households.values_list("household_id", flat=True))
    return [
        HouseholdPlan(plan=plan, household=household)
        for household in listed_households(plan.village, plan.year)
        .exclude(pk__in=have)
        .prefetch_related("members")
    ]


@transaction.atomic
def sync_households(
    plan: VillagePlan, *, besides: int | None = None
) -> list[HouseholdPlan]:
    """Add a row for every listed household that has none (but household `besides`,
    whose row the caller saves); rows are never removed."""
    rows = [r for r in unsaved_rows(plan) if r.household_id != besides]
    for row in rows:
        row.save()  # one by one, so each row has its history
    return rows


@transaction.atomic
def open_plan(village: Village, year: int, *, by: User) -> VillagePlan:
    """Create the village's plan for the year (or return it), with its households."""
    existing = VillagePlan.objects.filter(village=village, year=year).first()
    if existing is not None:
        sync_households(existing)
        return existing
    task = _plan_task(village, year)
    plan_obj = VillagePlan(
        village=village,
        year=year,
        task=task,
        due_before=task.due_before if task else date(year, *DUE_DAY),
    )
    _record(plan_obj, by, "Lập kế hoạch")
    sync_households(plan_obj)
    if (
        task is not None
        and task.status == TaskStatus.NOT_STARTED
        and task_actions.may_work_on(by, task)
    ):
        task_actions.start_task(task, by=by)
    return plan_obj


def refuse_unless_editable(plan: VillagePlan) -> None:
    if plan.status == PlanStatus.APPROVED:
        raise PlanError(
            "Kế hoạch đã được duyệt nên không sửa được. Cần thay đổi thì đề nghị "
            "công chức LĐ-TB&XH mở lại kế hoạch."
        )
    if plan.status == PlanStatus.SUBMITTED:
        raise PlanError(
            "Kế hoạch đã nộp, đang chờ duyệt nên không sửa được. Cần sửa thì đề nghị "
            "công chức LĐ-TB&XH trả lại kế hoạch."
        )


@transaction.atomic
def save_summary(
    form: PlanSummaryForm, *, by: User, loaded: str | None = None
) -> VillagePlan:
    plan = VillagePlan.objects.select_for_update().get(pk=form.instance.pk)
    refuse_unless_editable(plan)
    edit_conflicts.refuse_if_changed(plan_sources(plan.pk), loaded)
    sync_households(plan)  # the rows the page showed unsaved are kept from now on
    plan.summary = form.cleaned_data["summary"]
    _record(plan, by, "Sửa nội dung chung")
    return plan


@transaction.atomic
def save_household_plan(
    form: HouseholdPlanForm, *, by: User, loaded: str | None = None
) -> HouseholdPlan:
    """Save one household's plan (creating the row for a household added later)."""
    plan = VillagePlan.objects.select_for_update().get(pk=form.instance.plan_id)
    refuse_unless_editable(plan)
    edit_conflicts.refuse_if_changed(
        card_sources(plan.pk, form.instance.household_id), loaded
    )
    household_plan = form.save(commit=False)
    # The page showed the listed households' rows unsaved (a GET writes nothing):
    # the first card saved keeps the others' rows too.
    sync_households(plan, besides=household_plan.household_id)
    household_plan._history_user = by  # type: ignore[attr-defined]
    household_plan.full_clean(validate_unique=False)
    household_plan.save()
    return household_plan


def incomplete(plan: VillagePlan) -> list[Missing]:
    """The listed households whose plan is not complete enough to submit."""
    listed = set(
        listed_households(plan.village, plan.year).values_list("pk", flat=True)
    )
    rows = plan.households.filter(household_id__in=listed).select_related("household")
    missing = []
    for row in rows.prefetch_related("household__members"):
        parts = missing_parts(row)
        if parts:
            missing.append(Missing(row, parts))
    return missing


# The task moves with the plan, through the task actions (which check who may act).
# A step the task's status does not allow is skipped: the task was moved on its own
# page already, and the plan must not be blocked by it.


def _submit_task(task: Task, *, by: User, note: str) -> None:
    if task.status in task_actions.SUBMITTABLE:
        try:
            task_actions.submit_task(task, by=by, note=note, figures=[], files=[])
        except task_actions.TransitionRefused as refusal:
            raise PlanError(str(refusal)) from refusal


def _decide_task(task: Task, *, by: User, approve: bool, comment: str) -> None:
    if task.status != TaskStatus.SUBMITTED:
        return
    submission = task.submissions.order_by("-submitted_at", "-pk").first()
    if submission is None or submission.decision != Decision.PENDING:
        return
    try:
        if approve:
            task_actions.approve_submission(submission, by=by, comment=comment)
        else:
            task_actions.return_submission(submission, by=by, comment=comment)
    except task_actions.TransitionRefused as refusal:
        raise PlanError(str(refusal)) from refusal


def _task_of(plan: VillagePlan) -> Task | None:
    if plan.task_id is None:
        # Linked now if the commune's tasks were created after the plan was opened.
        plan.task = _plan_task(plan.village, plan.year)
    return plan.task


@transaction.atomic
def submit_plan(plan: VillagePlan, *, by: User) -> VillagePlan:
    """Hand the plan in. The first submission's time decides whether it is late."""
    plan = VillagePlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status not in EDITABLE:
        raise PlanError(f"Kế hoạch đang ở trạng thái “{plan.get_status_display()}”.")
    sync_households(plan)
    missing = incomplete(plan)
    if missing:
        raise PlanIncomplete(missing)
    again = plan.submitted_at is not None
    if not again:
        plan.submitted_at = clock.now()
    plan.status = PlanStatus.SUBMITTED
    task = _task_of(plan)
    _record(plan, by, "Nộp lại kế hoạch" if again else "Nộp kế hoạch")
    if task is not None:
        escaping = plan.households.filter(expected_escape=True).count()
        _submit_task(
            task,
            by=by,
            note=(
                f"Kế hoạch giảm nghèo năm {plan.year} của {plan.village}: "
                f"{plan.households.count()} hộ nghèo, "
                f"{escaping} hộ dự kiến thoát nghèo."
            ),
        )
    return plan


def _decided(plan: VillagePlan, loaded: str | None) -> VillagePlan:
    plan = VillagePlan.objects.select_for_update().get(pk=plan.pk)
    # A decision on a plan returned, changed and submitted again since the page was
    # loaded would approve what the officer never read.
    edit_conflicts.refuse_if_changed(decision_sources(plan.pk), loaded)
    if plan.status != PlanStatus.SUBMITTED:
        raise PlanError("Chỉ duyệt hoặc trả lại kế hoạch đã nộp, đang chờ duyệt.")
    return plan


@transaction.atomic
def approve_plan(
    plan: VillagePlan, *, by: User, comment: str = "", loaded: str | None = None
) -> VillagePlan:
    plan = _decided(plan, loaded)
    plan.status = PlanStatus.APPROVED
    plan.approved_at = clock.now()
    plan.approved_by = by
    plan.officer_comment = comment
    _record(plan, by, "Duyệt kế hoạch")
    if plan.task is not None:
        _decide_task(plan.task, by=by, approve=True, comment=comment)
    return plan


@transaction.atomic
def return_plan(
    plan: VillagePlan, *, by: User, comment: str, loaded: str | None = None
) -> VillagePlan:
    if not comment.strip():
        raise PlanError("Trả lại kế hoạch phải ghi ý kiến để thôn biết cần sửa gì.")
    plan = _decided(plan, loaded)
    plan.status = PlanStatus.RETURNED
    plan.officer_comment = comment
    _record(plan, by, "Trả lại kế hoạch")
    if plan.task is not None:
        _decide_task(plan.task, by=by, approve=False, comment=comment)
    return plan


@transaction.atomic
def reopen_plan(plan: VillagePlan, *, by: User, comment: str) -> VillagePlan:
    """Unlock an approved plan so the village can change it (then submit it again)."""
    if not comment.strip():
        raise PlanError("Mở lại kế hoạch phải ghi lý do, nội dung cần sửa.")
    plan = VillagePlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != PlanStatus.APPROVED:
        raise PlanError("Chỉ mở lại kế hoạch đã được duyệt.")
    plan.status = PlanStatus.RETURNED
    plan.approved_at = None
    plan.approved_by = None
    plan.officer_comment = comment
    _record(plan, by, "Mở lại kế hoạch đã duyệt")
    if plan.task is not None:
        # No task action unlocks an approved task: done here, with its event.
        plan.task.status = TaskStatus.RETURNED
        plan.task.save(update_fields=["status"])
        TaskEvent.objects.create(
            task=plan.task,
            kind=EventKind.RETURNED,
            actor=by,
            at=clock.now(),
            comment=f"Mở lại kế hoạch đã duyệt: {comment}",
        )
    return plan
