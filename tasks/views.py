"""One task's page and what is done on it: read, start, submit (with the report a
unit issued), approve or return, download an attachment. Every read goes through
`Task.objects.visible_to()`: a task out of scope answers 404; a step the role may not
take answers 403. The lists of tasks are in list_views.py."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from households import clock, edit_conflicts
from households.submit_once import submit_once
from targets.measurement import default_as_of
from tasks import actions, attachments
from tasks.actions import SUBMITTABLE, TransitionRefused, may_decide, may_work_on
from tasks.forms import (
    DecisionForm,
    FigureForm,
    SubmissionForm,
    figure_forms,
)
from tasks.list_views import TaskRow
from tasks.models import (
    Attachment,
    Decision,
    Submission,
    SubmissionFigure,
    Task,
    TaskStatus,
    VillagePlan,
)

if TYPE_CHECKING:
    from giamngheo.http import AuthenticatedRequest


def _task_for_reading(request: AuthenticatedRequest, pk: int) -> Task:
    return get_object_or_404(
        Task.objects.visible_to(request.user).select_related("unit", "poverty_target"),
        pk=pk,
    )


def _task_for_working(request: AuthenticatedRequest, pk: int) -> Task:
    task = _task_for_reading(request, pk)  # out of scope: 404
    if not may_work_on(request.user, task):  # in scope, not the unit's: 403
        raise PermissionDenied("Bạn không thuộc đơn vị được giao nhiệm vụ này.")
    return task


def _detail_page(
    request: AuthenticatedRequest,
    task: Task,
    decision_form: DecisionForm | None = None,
    status: int = 200,
    conflict: edit_conflicts.EditConflict | None = None,
    edit_version: str | None = None,
) -> HttpResponse:
    user = request.user
    today = clock.today()
    submissions = list(
        task.submissions.select_related("submitted_by", "decided_by").prefetch_related(
            Prefetch(
                "figures",
                SubmissionFigure.objects.select_related("service_target").order_by(
                    "service_target__position"
                ),
            ),
            "attachments",
        )
    )
    pending = (
        submissions[0]
        if submissions
        and task.status == TaskStatus.SUBMITTED
        and submissions[0].decision == Decision.PENDING
        else None
    )
    plan = _village_plan_of(task)
    # A village's plan task is submitted and decided on the plan itself.
    can_decide = may_decide(user, task) and plan is None
    if pending is not None and can_decide and decision_form is None:
        decision_form = DecisionForm()
    can_work = may_work_on(user, task) and plan is None
    return render(
        request,
        "tasks/task_detail.html",
        {
            "task": task,
            "row": TaskRow(task, today),
            "members": task.unit.members.all(),
            "assignees": task.assignees.all(),
            "service_targets": task.service_targets.all(),
            "submissions": submissions,
            "pending": pending,
            "events": task.events.select_related("actor"),
            "can_start": can_work and task.status == TaskStatus.NOT_STARTED,
            "can_submit": can_work and task.status in SUBMITTABLE,
            "decision_form": decision_form if can_decide and pending else None,
            "today": today,
            "plan": plan,
            # The task is in scope, so are the reports issued for it.
            "issued_reports": task.issued_reports.all(),
            "edit_version": edit_version
            or edit_conflicts.version(actions.task_sources(task.pk)),
            "edit_conflict": conflict,
        },
        status=status,
    )


def task_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _detail_page(request, _task_for_reading(request, pk))


@require_POST
def task_start(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    task = _task_for_working(request, pk)
    try:
        actions.start_task(task, by=request.user)
    except TransitionRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, "Đã ghi nhận: nhiệm vụ đang được thực hiện.")
    return redirect(task)


def _village_plan_of(task: Task) -> VillagePlan | None:
    try:
        return task.village_plan
    except VillagePlan.DoesNotExist:
        return None


def _submit(
    request: AuthenticatedRequest,
    task: Task,
    form: SubmissionForm,
    figures: list[FigureForm],
    attached: attachments.Attachable | None,
) -> None:
    """One transaction: the attached document's files (the document is made first
    if need be), then the submission; the figures must be the document's."""
    try:
        with transaction.atomic():
            files: list[Any] = list(form.cleaned_data["attachments"])
            if attached is not None:
                files += attached.files(
                    by=request.user,
                    figures={
                        f.target.code: (
                            f.cleaned_data["reported_ok"],
                            f.cleaned_data["reported_total"],
                        )
                        for f in figures
                    },
                )
            actions.submit_task(
                task,
                by=request.user,
                note=form.cleaned_data["note"],
                figures=[f.figure() for f in figures],
                files=files,
            )
    except BaseException:
        if attached is not None:
            attached.discard()
        raise


@submit_once
def task_submit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    task = _task_for_working(request, pk)
    plan = _village_plan_of(task)
    if plan is not None:
        # A village's plan task moves with its plan: submit the plan itself.
        messages.info(request, "Nhiệm vụ này được nộp bằng kế hoạch của thôn.")
        return redirect(plan)
    if task.status not in SUBMITTABLE:
        messages.error(
            request,
            "Nhiệm vụ đã nộp, đang chờ duyệt: không nộp thêm được."
            if task.status == TaskStatus.SUBMITTED
            else "Nhiệm vụ đã được duyệt: không nộp lại được.",
        )
        return redirect(task)
    data = request.POST if request.method == "POST" else None
    # The figures are read on the task's deadline, or are those of the document
    # attached (the September report of its targets, offered by `reports`).
    as_of = default_as_of(task.due_before, task.year)
    offer = attachments.offer_for(task, as_of=as_of)
    # Checked by default; an unchecked box is absent from the POST.
    attach = offer is not None and (
        data is None or data.get("dinh_kem_bao_cao") == "on"
    )
    attached = offer if attach else None
    figures = figure_forms(
        task,
        data,
        on=as_of,
        frozen=attached.frozen_figures if attached else None,
        report=attached.name if attached else "",
    )
    form = SubmissionForm(
        data, request.FILES if data is not None else None, has_figures=bool(figures)
    )
    if request.method == "POST":
        valid = form.is_valid()
        valid = all([f.is_valid() for f in figures]) and valid
        if valid:
            try:
                _submit(request, task, form, figures, attached)
            except (
                actions.TransitionRefused,
                attachments.AttachmentRefused,
            ) as refused:
                messages.error(request, str(refused))
                return redirect(task)
            messages.success(request, f"Đã nộp nhiệm vụ “{task.title}”.")
            return redirect(task)
        messages.error(
            request, "Chưa nộp được, chưa lưu gì: kiểm tra các ô báo lỗi bên dưới."
        )
    returned = (
        task.submissions.filter(decision=Decision.RETURNED)
        .select_related("decided_by")
        .first()
        if task.status == TaskStatus.RETURNED
        else None
    )
    return render(
        request,
        "tasks/task_submit.html",
        {
            "task": task,
            "row": TaskRow(task, clock.today()),
            "form": form,
            "figures": figures,
            "returned": returned,
            "offer": offer,
            "attach": attach,
            "as_of": as_of,
        },
    )


@require_POST
@submit_once
def submission_decide(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    submission: Submission = get_object_or_404(
        Submission.objects.select_related("task__unit", "task__poverty_target"),
        pk=pk,
        task__in=Task.objects.visible_to(request.user).values("pk"),
    )
    task = submission.task
    if not may_decide(request.user, task):
        raise PermissionDenied(
            "Chỉ công chức LĐ-TB&XH của xã được duyệt hoặc trả lại nhiệm vụ."
        )
    plan = _village_plan_of(task)
    if plan is not None:
        messages.info(
            request, "Duyệt hoặc trả lại nhiệm vụ này trên kế hoạch của thôn."
        )
        return redirect(plan)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Chưa ghi kết quả duyệt: xem lỗi bên dưới.")
        return _detail_page(
            request,
            task,
            decision_form=form,
            edit_version=edit_conflicts.loaded_version(request),
        )
    comment = form.cleaned_data["comment"]
    loaded = edit_conflicts.loaded_version(request)
    try:
        if form.cleaned_data["decision"] == Decision.APPROVED:
            actions.approve_submission(
                submission, by=request.user, comment=comment, loaded=loaded
            )
            messages.success(request, f"Đã duyệt nhiệm vụ “{task.title}”.")
        else:
            actions.return_submission(
                submission, by=request.user, comment=comment, loaded=loaded
            )
            messages.success(
                request, f"Đã trả lại nhiệm vụ “{task.title}” để sửa, bổ sung."
            )
    except edit_conflicts.EditConflict as conflict:
        # The page again, with the officer's comment kept and the task as it is now.
        task.refresh_from_db()
        return _detail_page(
            request,
            task,
            decision_form=form,
            status=409,
            conflict=conflict,
            edit_version=conflict.current,
        )
    except TransitionRefused as refused:
        messages.error(request, str(refused))
    return redirect(task)


def attachment_download(request: AuthenticatedRequest, pk: int) -> FileResponse:
    attachment = get_object_or_404(
        Attachment,
        pk=pk,
        submission__task__in=Task.objects.visible_to(request.user).values("pk"),
    )
    try:
        stream = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404("Tệp không còn trên máy chủ.") from None
    return FileResponse(
        stream,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
