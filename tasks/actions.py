"""Writes on tasks: start, submit, approve, return. One transaction and one TaskEvent
each; the status moves only along

    chưa bắt đầu → đang thực hiện → đã nộp → đã duyệt
                                     ↘ trả lại → đã nộp (again)

Who may do what is checked here too, so a caller other than the task pages (the
village plans) cannot skip it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.core.files.storage import Storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from households import clock, edit_conflicts
from households.uploads import CheckedFile, check_upload
from targets.models import ServiceTarget
from tasks.models import (
    Attachment,
    Decision,
    EventKind,
    Submission,
    SubmissionFigure,
    Task,
    TaskEvent,
    TaskStatus,
)

if TYPE_CHECKING:
    from giamngheo.models import User

SUBMITTABLE = (TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS, TaskStatus.RETURNED)


class TransitionRefused(Exception):
    """The task is not in a status that allows this step (message in Vietnamese)."""


@dataclass(frozen=True)
class ReportedFigure:
    """A figure for a target as submitted, next to the live value it started from."""

    service_target: ServiceTarget
    live_ok: int
    live_total: int
    reported_ok: int
    reported_total: int
    reason: str = ""

    @property
    def differs(self) -> bool:
        return (self.reported_ok, self.reported_total) != (
            self.live_ok,
            self.live_total,
        )


def may_work_on(user: User, task: Task) -> bool:
    """A member of the task's unit or one of its assignees (start, submit)."""
    if user.is_superuser:
        return True
    if user.commune_id != task.commune_id:
        return False
    return (
        task.unit.members.filter(pk=user.pk).exists()
        or task.assignees.filter(pk=user.pk).exists()
    )


def may_decide(user: User, task: Task) -> bool:
    """The commune's LĐ-TB&XH officer approves or returns submissions."""
    if user.is_superuser:
        return True
    return user.is_officer and user.commune_id == task.commune_id


def _locked(task: Task) -> Task:
    """Re-read the status under a row lock, so two clicks cannot both succeed."""
    current = Task.objects.select_for_update().only("status").get(pk=task.pk)
    task.status = current.status
    return task


def _event(task: Task, kind: EventKind, by: User | None, comment: str = "") -> None:
    TaskEvent.objects.create(
        task=task, kind=kind, actor=by, at=clock.now(), comment=comment
    )


def _set_status(task: Task, status: TaskStatus) -> None:
    task.status = status
    task.save(update_fields=["status"])


@transaction.atomic
def start_task(task: Task, *, by: User) -> Task:
    if not may_work_on(by, task):
        raise PermissionDenied("Bạn không thuộc đơn vị được giao nhiệm vụ này.")
    _locked(task)
    if task.status != TaskStatus.NOT_STARTED:
        raise TransitionRefused(
            f"Nhiệm vụ đang ở tình trạng “{task.get_status_display()}”, không thể "
            "bắt đầu lại."
        )
    _set_status(task, TaskStatus.IN_PROGRESS)
    _event(task, EventKind.STARTED, by)
    return task


def _check_figures(task: Task, figures: Sequence[ReportedFigure]) -> None:
    linked = set(task.service_targets.values_list("pk", flat=True))
    for figure in figures:
        code = figure.service_target.code
        if figure.service_target.pk not in linked:
            raise TransitionRefused(f"Chỉ tiêu {code} không thuộc nhiệm vụ này.")
        if figure.reported_ok > figure.reported_total:
            raise TransitionRefused(
                f"Chỉ tiêu {code}: số đạt không được lớn hơn tổng số."
            )
        if figure.differs and not figure.reason.strip():
            raise TransitionRefused(
                f"Chỉ tiêu {code}: số liệu khác số liệu sổ hộ "
                f"({figure.live_ok}/{figure.live_total}), phải ghi lý do."
            )


@transaction.atomic
def submit_task(
    task: Task,
    *,
    by: User,
    note: str,
    figures: Sequence[ReportedFigure],
    files: Sequence[CheckedFile | UploadedFile],
) -> Submission:
    """Hand in the task (first time, or again after a return) with its figures and
    files (checked again here: ValidationError if one is refused). If anything
    fails, nothing is kept: no rows, no files on disk."""
    if not may_work_on(by, task):
        raise PermissionDenied("Bạn không thuộc đơn vị được giao nhiệm vụ này.")
    _locked(task)
    if task.status not in SUBMITTABLE:
        raise TransitionRefused(
            "Nhiệm vụ đã nộp, đang chờ duyệt: không nộp thêm được."
            if task.status == TaskStatus.SUBMITTED
            else "Nhiệm vụ đã được duyệt: không nộp lại được."
        )
    _check_figures(task, figures)
    checked = [
        check_upload(f.upload if isinstance(f, CheckedFile) else f) for f in files
    ]

    resubmission = task.status == TaskStatus.RETURNED
    submission = Submission.objects.create(
        task=task, submitted_by=by, submitted_at=clock.now(), note=note.strip()
    )
    SubmissionFigure.objects.bulk_create(
        SubmissionFigure(
            submission=submission,
            service_target=f.service_target,
            live_ok=f.live_ok,
            live_total=f.live_total,
            reported_ok=f.reported_ok,
            reported_total=f.reported_total,
            reason=f.reason.strip() if f.differs else "",
        )
        for f in figures
    )
    stored: list[tuple[Storage, str]] = []
    try:
        for file in checked:
            attachment = Attachment(
                submission=submission,
                original_name=file.original_name,
                content_type=file.content_type,
                size=file.size,
                sha256=file.sha256,
            )
            attachment.file.save(file.original_name, file.upload, save=False)
            stored.append((attachment.file.storage, attachment.file.name))
            attachment.save()
        _set_status(task, TaskStatus.SUBMITTED)
        count = len(checked)
        _event(
            task,
            EventKind.SUBMITTED,
            by,
            ("Nộp lại sau khi bị trả lại" if resubmission else "Nộp lần đầu")
            + (f", {count} tệp đính kèm" if count else ""),
        )
    except BaseException:
        # The rows roll back with the transaction; the files on disk do not.
        for storage, name in stored:
            storage.delete(name)
        raise
    return submission


def _pending(submission: Submission, task: Task) -> None:
    if submission.decision != Decision.PENDING:
        raise TransitionRefused(
            f"Lần nộp này đã được xử lý ({submission.get_decision_display().lower()})."
        )
    if task.status != TaskStatus.SUBMITTED:
        raise TransitionRefused(
            f"Nhiệm vụ đang ở tình trạng “{task.get_status_display()}”, chưa nộp nên "
            "không duyệt hay trả lại được."
        )
    latest = task.submissions.order_by("-submitted_at", "-pk").first()
    if latest is None or latest.pk != submission.pk:
        raise TransitionRefused("Chỉ xử lý được lần nộp mới nhất của nhiệm vụ.")


def task_sources(task_id: int) -> list[edit_conflicts.Source]:
    """What a decision on a task's submission is taken against: the task and its
    events (every submission and decision adds one)."""
    return [
        edit_conflicts.Source("Nhiệm vụ", Task.history.filter(id=task_id)),
        # A task returned and submitted again ends where it was: its events say so.
        edit_conflicts.Source(
            "Nhiệm vụ",
            TaskEvent.objects.filter(task_id=task_id)
            .exclude(kind=EventKind.REMINDED)  # a reminder changes nothing decided
            .select_related("actor"),
            event=_event_change,
        ),
    ]


def _event_change(event: TaskEvent) -> edit_conflicts.Change:
    return edit_conflicts.Change(
        f"Nhiệm vụ: {event.get_kind_display().lower()}",
        "(chưa có)",
        event.comment or event.get_kind_display(),
        edit_conflicts.who(event.actor),
        event.at,
    )


def _decide(
    submission: Submission,
    decision: Decision,
    *,
    by: User,
    comment: str,
    loaded: str | None = None,
) -> Submission:
    task = submission.task
    if not may_decide(by, task):
        raise PermissionDenied(
            "Chỉ công chức LĐ-TB&XH của xã được duyệt hoặc trả lại nhiệm vụ."
        )
    if decision == Decision.RETURNED and not comment.strip():
        raise TransitionRefused("Trả lại phải ghi ý kiến: cần sửa, bổ sung những gì.")
    _locked(task)
    # A decision on a page loaded before the task moved on is shown what moved.
    edit_conflicts.refuse_if_changed(task_sources(task.pk), loaded)
    submission.refresh_from_db(fields=["decision"])
    _pending(submission, task)
    submission.decision = decision
    submission.decided_by = by
    submission.decided_at = clock.now()
    submission.comment = comment.strip()
    submission.save(update_fields=["decision", "decided_by", "decided_at", "comment"])
    if decision == Decision.APPROVED:
        _set_status(task, TaskStatus.APPROVED)
        _event(task, EventKind.APPROVED, by, submission.comment)
    else:
        _set_status(task, TaskStatus.RETURNED)
        _event(task, EventKind.RETURNED, by, submission.comment)
    return submission


@transaction.atomic
def approve_submission(
    submission: Submission,
    *,
    by: User,
    comment: str = "",
    loaded: str | None = None,
) -> Submission:
    return _decide(submission, Decision.APPROVED, by=by, comment=comment, loaded=loaded)


@transaction.atomic
def return_submission(
    submission: Submission, *, by: User, comment: str, loaded: str | None = None
) -> Submission:
    """Send the task back to its unit; the comment says what to fix (required)."""
    return _decide(submission, Decision.RETURNED, by=by, comment=comment, loaded=loaded)
