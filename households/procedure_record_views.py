"""Correct a village's procedure records while the round is open (QĐ 24/2021/QĐ-TTg
Điều 4), and keep the signed paper of a meeting's minutes and of the recognition
decision.

Who may: whoever may record it (households.procedure_views): the officer every
record, a village head their own village's meetings; the others read, and the
scans are served to whoever sees the record, never from a public address."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from households import procedure_records
from households.history import record_history
from households.models import (
    Complaint,
    Household,
    Posting,
    RecognitionDecision,
    ReviewRound,
    Village,
    VillageMeeting,
)
from households.procedure_forms import ComplaintEditForm, MeetingForm, PostingForm
from households.procedure_views import (
    _add_errors,
    _clean,
    _is_officer,
    _reviewed,
    _village_in_scope,
)
from households.views import commune_of

if TYPE_CHECKING:
    from django.forms import ModelForm

    from giamngheo.http import AuthenticatedRequest
    from giamngheo.models import User

# Where each kind of record sits on the village's page.
ANCHORS = {VillageMeeting: "hop-dan", Posting: "niem-yet", Complaint: "khieu-nai"}
NOT_SAVED = "Chưa lưu được: xem lỗi bên dưới."


def _may_meet(user: User, village: Village) -> bool:
    return _is_officer(user) or (user.is_village_head and user.village_id == village.pk)


def _back(record: procedure_records.Record) -> HttpResponseRedirect:
    url = reverse(
        "households:round_village",
        args=[record.review_round.year, record.village_id],
    )
    return redirect(f"{url}#{ANCHORS[type(record)]}")


def _record[R: (VillageMeeting, Posting, Complaint)](
    request: AuthenticatedRequest, model: type[R], year: int, village_id: int, pk: int
) -> R:
    """The record of the village in the user's scope (404), if the user may write
    it (403)."""
    review_round, village = _village_in_scope(request, year, village_id)
    record = get_object_or_404(
        model.objects.select_related("review_round", "village"),
        review_round=review_round,
        village=village,
        pk=pk,
    )
    if model is VillageMeeting:
        if not _may_meet(request.user, village):
            raise PermissionDenied(
                "Chỉ công chức LĐ-TB&XH và trưởng thôn sửa cuộc họp của thôn."
            )
    elif not _is_officer(request.user):
        raise PermissionDenied("Chỉ công chức LĐ-TB&XH sửa việc này của thôn.")
    return record


def _edit_page(
    request: AuthenticatedRequest,
    record: procedure_records.Record,
    form: ModelForm,  # type: ignore[type-arg]
    *,
    title: str,
    delete_url: str,
) -> HttpResponse:
    return render(
        request,
        "households/procedure_record_form.html",
        {
            "record": record,
            "review_round": record.review_round,
            "village": record.village,
            "form": form,
            "title": title,
            "delete_url": delete_url,
            "anchor": ANCHORS[type(record)],
            "is_meeting": isinstance(record, VillageMeeting),
            "history": record_history(record),
        },
    )


def _closed(
    request: AuthenticatedRequest, record: procedure_records.Record
) -> HttpResponse | None:
    """The village's page with the refusal, when the round is recognised."""
    refusal = procedure_records.refusal(record)
    if refusal is None:
        return None
    messages.error(request, refusal)
    return _back(record)


def _save(
    request: AuthenticatedRequest,
    form: ModelForm,  # type: ignore[type-arg]
    record: procedure_records.Record,
    done: str,
) -> HttpResponse | None:
    """Save a valid correction (the redirect), or leave the errors on the form."""
    if not form.is_valid() or not _clean(form, record):
        return None
    try:
        if isinstance(record, VillageMeeting):
            assert isinstance(form, MeetingForm)
            procedure_records.correct_meeting(record, form.votes(), by=request.user)
        else:
            procedure_records.correct_record(record, by=request.user)
    except ValidationError as exc:
        _add_errors(form, exc)
        return None
    messages.success(request, done)
    return _back(record)


def meeting_edit(
    request: AuthenticatedRequest, year: int, village_id: int, pk: int
) -> HttpResponse:
    meeting = _record(request, VillageMeeting, year, village_id, pk)
    closed = _closed(request, meeting)
    if closed:
        return closed
    reviewed = _reviewed(meeting.review_round, meeting.village)
    if request.method == "POST":
        form = MeetingForm(request.POST, instance=meeting, reviewed=reviewed)
        saved = _save(
            request, form, meeting, f"Đã sửa cuộc họp ngày {meeting.held_on:%d/%m/%Y}."
        )
        if saved:
            return saved
        messages.error(request, NOT_SAVED)
    else:
        form = MeetingForm(instance=meeting, reviewed=reviewed)
    return _edit_page(
        request,
        meeting,
        form,
        title=f"Sửa cuộc họp dân ngày {meeting.held_on:%d/%m/%Y}",
        delete_url=reverse(
            "households:meeting_delete", args=[year, meeting.village_id, meeting.pk]
        ),
    )


def posting_edit(
    request: AuthenticatedRequest, year: int, village_id: int, pk: int
) -> HttpResponse:
    posting = _record(request, Posting, year, village_id, pk)
    closed = _closed(request, posting)
    if closed:
        return closed
    if request.method == "POST":
        form = PostingForm(request.POST, instance=posting)
        saved = _save(request, form, posting, "Đã sửa việc niêm yết.")
        if saved:
            return saved
        messages.error(request, NOT_SAVED)
    else:
        form = PostingForm(instance=posting)
    return _edit_page(
        request,
        posting,
        form,
        title=f"Sửa việc niêm yết từ ngày {posting.posted_from:%d/%m/%Y}",
        delete_url=reverse(
            "households:posting_delete", args=[year, posting.village_id, posting.pk]
        ),
    )


def complaint_edit(
    request: AuthenticatedRequest, year: int, village_id: int, pk: int
) -> HttpResponse:
    """Correct a complaint, its answer included (an unanswered one is answered on
    the village's page too)."""
    complaint = _record(request, Complaint, year, village_id, pk)
    closed = _closed(request, complaint)
    if closed:
        return closed
    households = Household.objects.filter(village=complaint.village)
    if request.method == "POST":
        form = ComplaintEditForm(
            request.POST, instance=complaint, households=households
        )
        if form.is_valid():
            complaint.household = form.cleaned_data["household_code"]
        saved = _save(request, form, complaint, "Đã sửa khiếu nại.")
        if saved:
            return saved
        messages.error(request, NOT_SAVED)
    else:
        form = ComplaintEditForm(instance=complaint, households=households)
    return _edit_page(
        request,
        complaint,
        form,
        title=f"Sửa khiếu nại nhận ngày {complaint.received_on:%d/%m/%Y}",
        delete_url=reverse(
            "households:complaint_delete",
            args=[year, complaint.village_id, complaint.pk],
        ),
    )


def _delete(
    request: AuthenticatedRequest, record: procedure_records.Record, done: str
) -> HttpResponse:
    try:
        procedure_records.delete_record(record, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)
    return _back(record)


@require_POST
def meeting_delete(
    request: AuthenticatedRequest, year: int, village_id: int, pk: int
) -> HttpResponse:
    meeting = _record(request, VillageMeeting, year, village_id, pk)
    return _delete(
        request,
        meeting,
        f"Đã xóa cuộc họp ngày {meeting.held_on:%d/%m/%Y} và các biểu quyết của nó.",
    )


@require_POST
def posting_delete(
    request: AuthenticatedRequest, year: int, village_id: int, pk: int
) -> HttpResponse:
    posting = _record(request, Posting, year, village_id, pk)
    return _delete(
        request,
        posting,
        f"Đã xóa việc niêm yết từ ngày {posting.posted_from:%d/%m/%Y}.",
    )


@require_POST
def complaint_delete(
    request: AuthenticatedRequest, year: int, village_id: int, pk: int
) -> HttpResponse:
    complaint = _record(request, Complaint, year, village_id, pk)
    return _delete(
        request,
        complaint,
        f"Đã xóa khiếu nại nhận ngày {complaint.received_on:%d/%m/%Y}.",
    )


# --- Signed scans ------------------------------------------------------------------


def _serve_scan(record: VillageMeeting | RecognitionDecision) -> FileResponse:
    if not record.signed_scan:
        raise Http404("Chưa có bản có chữ ký.")
    try:
        stream = record.signed_scan.open("rb")
    except FileNotFoundError:
        raise Http404("Tệp không còn trên máy chủ.") from None
    return FileResponse(
        stream,
        as_attachment=True,
        filename=record.signed_scan_name,
        content_type=record.signed_scan_type,
    )


def _attach(
    request: AuthenticatedRequest,
    record: VillageMeeting | RecognitionDecision,
    back: HttpResponseRedirect,
) -> HttpResponseRedirect:
    upload = request.FILES.get("ban_ky")
    if upload is None:
        messages.error(request, "Chưa chọn tệp bản có chữ ký (PDF hoặc ảnh).")
        return back
    replaced = bool(record.signed_scan)
    try:
        procedure_records.attach_scan(record, upload, by=request.user)
    except ValidationError as exc:
        messages.error(request, f"Chưa lưu bản có chữ ký: {' '.join(exc.messages)}")
        return back
    done = "Đã thay" if replaced else "Đã lưu"
    messages.success(request, f"{done} bản có chữ ký ({record.signed_scan_name}).")
    return back


def meeting_scan(
    request: AuthenticatedRequest, year: int, village_id: int, pk: int
) -> HttpResponse:
    """GET: the signed minutes, to whoever sees the village; POST: attach them
    (whoever may record the meeting)."""
    review_round, village = _village_in_scope(request, year, village_id)
    meeting = get_object_or_404(
        VillageMeeting.objects.select_related("review_round"),
        review_round=review_round,
        village=village,
        pk=pk,
    )
    if request.method != "POST":
        return _serve_scan(meeting)
    if not _may_meet(request.user, village):
        raise PermissionDenied(
            "Chỉ công chức LĐ-TB&XH và trưởng thôn lưu biên bản họp của thôn."
        )
    return _attach(request, meeting, _back(meeting))


def decision_scan(request: AuthenticatedRequest, year: int, pk: int) -> HttpResponse:
    """GET: the signed recognition decision, to whoever sees the round; POST: attach
    it (the officer, who records the decision when closing the round)."""
    commune = commune_of(request)
    review_round = get_object_or_404(ReviewRound, commune=commune, year=year)
    decision = get_object_or_404(
        RecognitionDecision.objects.select_related("review_round"),
        review_round=review_round,
        pk=pk,
    )
    if request.method != "POST":
        return _serve_scan(decision)
    if not _is_officer(request.user):
        raise PermissionDenied(
            "Chỉ công chức LĐ-TB&XH lưu bản có chữ ký của quyết định công nhận."
        )
    back = redirect(f"{reverse('households:round_detail', args=[year])}#thu-tuc")
    return _attach(request, decision, back)
