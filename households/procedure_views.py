"""Pages of the review procedure (QĐ 24/2021/QĐ-TTg Điều 4, 5): households'
requests, the round's list to review, and each village's meeting, posting and
complaints.

Who may write: the officer everything; a village head their own village's meeting;
the chairman and the sector officers read. Correcting a record and its signed scan:
households.procedure_record_views, under the same rule."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from simple_history.utils import bulk_create_with_history

from households import clock
from households.models import (
    Complaint,
    Household,
    HouseholdQuerySet,
    MeetingVote,
    Posting,
    PublicHoliday,
    Review,
    ReviewRequest,
    ReviewRound,
    Village,
    VillageMeeting,
)
from households.procedure import complaint_deadline, posting_end
from households.procedure_forms import (
    ComplaintAnswerForm,
    ComplaintForm,
    MeetingForm,
    PostingForm,
    RequestAnswerForm,
    ReviewRequestForm,
)
from households.procedure_models import RULES
from households.round_procedure import (
    list_to_review,
    round_holidays,
    village_standings,
)
from households.submit_once import submit_once
from households.views import commune_of

if TYPE_CHECKING:
    from django.forms import Form

    from giamngheo.http import AuthenticatedRequest
    from giamngheo.models import User


def _is_officer(user: User) -> bool:
    return user.is_superuser or user.is_officer


# --- Requests (giấy đề nghị) -----------------------------------------------------


def request_list(request: AuthenticatedRequest) -> HttpResponse:
    """Every request in the user's scope, unanswered first by deadline."""
    commune = commune_of(request)
    today = clock.today()
    requests = list(
        ReviewRequest.objects.visible_to(request.user)
        .filter(household__commune=commune)
        .select_related(
            "household__village", "review__regular_decision", "review__round", "round"
        )
        .prefetch_related("household__members")
    )
    requests.sort(key=lambda r: (r.answered_on is not None, r.deadline, r.pk))
    only_overdue = request.GET.get("qua-han") == "1"
    if only_overdue:
        requests = [r for r in requests if r.is_overdue(today)]
    return render(
        request,
        "households/request_list.html",
        {
            "requests": requests,
            "today": today,
            "only_overdue": only_overdue,
            "overdue": sum(
                1 for r in requests if r.answered_on is None and r.is_overdue(today)
            ),
            "rules": RULES,
        },
    )


@submit_once
def household_requests(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A household's requests: record one, answer one (the officer)."""
    household = get_object_or_404(Household.objects.visible_to(request.user), pk=pk)
    can_write = _is_officer(request.user)
    form = ReviewRequestForm()
    answer_form: RequestAnswerForm | None = None
    if request.method == "POST":
        if not can_write:
            raise PermissionDenied("Chỉ công chức LĐ-TB&XH ghi giấy đề nghị của hộ.")
        if request.POST.get("action") == "answer":
            answer_form = RequestAnswerForm(request.POST, household=household)
            if _answer(request, household, answer_form):
                return redirect("households:household_requests", pk=household.pk)
        else:
            form = ReviewRequestForm(request.POST)
            if form.is_valid() and _record(request, household, form):
                return redirect("households:household_requests", pk=household.pk)
        messages.error(request, "Chưa lưu được: xem lỗi bên dưới.")
    requests = household.requests.select_related(
        "review__regular_decision", "review__round", "round"
    )
    return render(
        request,
        "households/household_requests.html",
        {
            "household": household,
            "requests": requests,
            "form": form,
            "answer_form": answer_form
            or RequestAnswerForm(household=household, initial={}),
            "failed_answer": answer_form,
            "can_write": can_write,
            "today": clock.today(),
        },
    )


def _record(
    request: AuthenticatedRequest, household: Household, form: ReviewRequestForm
) -> bool:
    review_request: ReviewRequest = form.save(commit=False)
    review_request.household = household
    review_request.recorded_by = request.user
    # A request received while the year's periodic round is open is on its list.
    review_round = ReviewRound.objects.filter(
        commune=household.commune, year=review_request.received_on.year
    ).first()
    if (
        review_round is not None
        and review_round.is_open
        and review_round.opened_on <= review_request.received_on
    ):
        review_request.round = review_round
    try:
        review_request.full_clean()
    except ValidationError as exc:
        form.add_error(None, exc)
        return False
    with transaction.atomic():
        review_request.save()
    messages.success(
        request,
        f"Đã ghi giấy đề nghị; hạn trả lời: {review_request.deadline:%d/%m/%Y}.",
    )
    return True


def _answer(
    request: AuthenticatedRequest, household: Household, form: RequestAnswerForm
) -> bool:
    if not form.is_valid():
        return False
    review_request = household.requests.filter(
        pk=form.cleaned_data["request_id"]
    ).first()
    if review_request is None:
        form.add_error(None, "Không tìm thấy giấy đề nghị này của hộ.")
        return False
    try:
        form.answered(review_request)
    except ValidationError as exc:
        _add_errors(form, exc)
        return False
    with transaction.atomic():
        review_request.save()
    messages.success(request, "Đã ghi trả lời giấy đề nghị.")
    return True


def _add_errors(form: Form, exc: ValidationError) -> None:
    errors = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
    for name, texts in errors.items():
        field = name if name in form.fields else None
        for text in texts:
            form.add_error(field, text)


# --- The round's list to review ---------------------------------------------------


def round_list_to_review(request: AuthenticatedRequest, year: int) -> HttpResponse:
    """Điều 4 khoản 1: the households to review, per village; ?thon=<id> for one."""
    commune = commune_of(request)
    review_round = get_object_or_404(ReviewRound, commune=commune, year=year)
    households = Household.objects.visible_to(request.user).filter(commune=commune)
    village = None
    if request.GET.get("thon"):
        try:
            village_id = int(request.GET["thon"])
        except ValueError:
            raise Http404("Không tìm thấy thôn này.") from None
        village = get_object_or_404(
            Village.objects.filter(commune=commune, households__in=households)
            .distinct()
            .filter(pk=village_id)
        )
        households = households.filter(village=village)
    lines = list_to_review(review_round, households)
    return render(
        request,
        "households/round_list_to_review.html",
        {"review_round": review_round, "lines": lines, "village": village},
    )


# --- One village's procedure ------------------------------------------------------


ACTIONS = ("meeting", "posting", "complaint", "answer")


def _village_in_scope(
    request: AuthenticatedRequest, year: int, village_id: int
) -> tuple[ReviewRound, Village]:
    commune = commune_of(request)
    review_round = get_object_or_404(ReviewRound, commune=commune, year=year)
    village = get_object_or_404(Village, commune=commune, pk=village_id)
    user = request.user
    if user.is_village_head and user.village_id != village.pk:
        raise Http404("Không tìm thấy thôn này.")
    return review_round, village


def _reviewed(
    review_round: ReviewRound, village: Village
) -> list[tuple[Household, Review]]:
    """Each household of the village reviewed in the round, with its last review."""
    last = Review.objects.filter(round=review_round, household=OuterRef("pk")).order_by(
        "-review_date", "-id"
    )
    households = (
        Household.objects.filter(village=village, reviews__round=review_round)
        .annotate(last_review=Subquery(last.values("pk")[:1]))
        .distinct()
        .prefetch_related("members")
    )
    reviews = Review.objects.in_bulk([h.last_review for h in households])
    return [(h, reviews[h.last_review]) for h in households]


@submit_once
def round_village(
    request: AuthenticatedRequest, year: int, village_id: int
) -> HttpResponse:
    review_round, village = _village_in_scope(request, year, village_id)
    user = request.user
    may_meet = _is_officer(user) or (
        user.is_village_head and user.village_id == village.pk
    )
    reviewed = _reviewed(review_round, village)
    village_households = Household.objects.filter(village=village)
    forms: dict[str, Form] = {
        "meeting": MeetingForm(reviewed=reviewed),
        "posting": PostingForm(),
        "complaint": ComplaintForm(households=village_households),
    }
    if request.method == "POST":
        action = request.POST.get("action", "")
        allowed = may_meet if action in ("meeting", "") else _is_officer(user)
        if not allowed:
            raise PermissionDenied(
                "Vai trò của bạn không được ghi việc này của thôn."
                if may_meet
                else "Chỉ công chức LĐ-TB&XH và trưởng thôn ghi việc của thôn."
            )
        if not review_round.is_open:
            messages.error(
                request,
                f"{str(review_round).capitalize()} đã được công nhận ngày "
                f"{review_round.closed_on:%d/%m/%Y}: không ghi thêm. Nếu phải sửa, "
                "công chức LĐ-TB&XH mở lại đợt (ghi rõ lý do).",
            )
            return redirect(
                "households:round_village", year=year, village_id=village.pk
            )
        if action not in ACTIONS:
            messages.error(request, "Chọn việc cần ghi.")
        else:
            done = _save_step(
                request, action, review_round, village, reviewed, village_households
            )
            if isinstance(done, str):
                messages.success(request, done)
                return redirect(
                    "households:round_village", year=year, village_id=village.pk
                )
            forms[action] = done
            messages.error(request, "Chưa lưu được: xem lỗi bên dưới.")
    households = Household.objects.visible_to(user).filter(village=village)
    holidays = round_holidays(review_round)
    standing = village_standings(
        review_round,
        households,
        today=clock.today(),
        villages=[village],
        holidays=holidays,
    )[0]
    complaints = list(
        Complaint.objects.filter(review_round=review_round, village=village)
    )
    # The legal end of each posting and the deadline of each complaint skip the
    # weekends and the public holidays of the table (BLLĐ 2019 Điều 112).
    postings = [
        (p, posting_end(p.posted_from, RULES, holidays))
        for p in Posting.objects.filter(review_round=review_round, village=village)
    ]
    complaint_rows = [
        (c, complaint_deadline(c.received_on, RULES, holidays)) for c in complaints
    ]
    return render(
        request,
        "households/round_village.html",
        {
            "review_round": review_round,
            "village": village,
            "standing": standing,
            "reviewed": reviewed,
            "meetings": VillageMeeting.objects.filter(
                review_round=review_round, village=village
            ).prefetch_related("votes__household__members"),
            "postings": postings,
            "complaints": complaint_rows,
            "today": clock.today(),
            "holidays_unverified": bool(holidays.unverified),
            "answer_forms": {
                c.pk: ComplaintAnswerForm(instance=c, prefix=f"c{c.pk}")
                for c in complaints
                if c.answered_on is None
            }
            | (
                {forms["answer"].instance.pk: forms["answer"]}
                if "answer" in forms
                else {}
            ),
            "forms": forms,
            "may_meet": may_meet and review_round.is_open,
            # The minutes' scan may still be attached after the recognition.
            "may_attach_minutes": may_meet,
            "is_officer": _is_officer(user) and review_round.is_open,
            "rules": RULES,
        },
    )


def _save_step(
    request: AuthenticatedRequest,
    action: str,
    review_round: ReviewRound,
    village: Village,
    reviewed: list[tuple[Household, Review]],
    village_households: HouseholdQuerySet,
) -> str | Form:
    """Save one step's record in one transaction: the success message, or the
    bound form with its errors."""
    if action == "meeting":
        form: Form = MeetingForm(request.POST, reviewed=reviewed)
        if not form.is_valid():
            return form
        meeting = form.save(commit=False)
        meeting.review_round, meeting.village = review_round, village
        meeting.recorded_by = request.user
        if not _clean(form, meeting):
            return form
        with transaction.atomic():
            meeting.save()
            bulk_create_with_history(
                [
                    MeetingVote(meeting=meeting, household=h, agreeing=n)
                    for h, n in form.votes().items()
                ],
                MeetingVote,
                default_user=request.user,
            )
        failing = form.failing()
        if failing:
            return (
                f"Đã ghi cuộc họp ngày {meeting.held_on:%d/%m/%Y}. "
                f"{len(failing)} hộ chưa được quá nửa số người dự họp đồng ý "
                f"({', '.join(h.code for h in failing)}): rà soát lại và họp lại."
            )
        return f"Đã ghi cuộc họp ngày {meeting.held_on:%d/%m/%Y}."
    if action == "posting":
        form = PostingForm(request.POST)
        if not form.is_valid():
            return form
        posting = form.save(commit=False)
        posting.review_round, posting.village = review_round, village
        posting.recorded_by = request.user
        if not _clean(form, posting):
            return form
        with transaction.atomic():
            posting.save()
        return f"Đã ghi việc niêm yết từ {posting.posted_from:%d/%m/%Y}."
    if action == "complaint":
        form = ComplaintForm(request.POST, households=village_households)
        if not form.is_valid():
            return form
        complaint = form.save(commit=False)
        complaint.household = form.cleaned_data["household_code"]
        complaint.review_round, complaint.village = review_round, village
        complaint.recorded_by = request.user
        if not _clean(form, complaint):
            return form
        with transaction.atomic():
            complaint.save()
        return "Đã ghi khiếu nại."
    # answer
    complaint_id = request.POST.get("complaint_id", "")
    complaint = Complaint.objects.filter(
        review_round=review_round,
        village=village,
        pk=int(complaint_id) if complaint_id.isdigit() else 0,
        answered_on__isnull=True,
    ).first()
    if complaint is None:
        raise Http404("Không tìm thấy khiếu nại này.")
    form = ComplaintAnswerForm(
        request.POST, instance=complaint, prefix=f"c{complaint.pk}"
    )
    if not form.is_valid() or not _clean(form, form.instance):
        return form
    with transaction.atomic():
        form.save()
    return "Đã ghi trả lời khiếu nại."


def _clean(form: Form, instance: object) -> bool:
    try:
        instance.full_clean()  # type: ignore[attr-defined]
    except ValidationError as exc:
        _add_errors(form, exc)
        return False
    return True


# --- The public holidays ------------------------------------------------------------


def public_holiday_list(request: AuthenticatedRequest) -> HttpResponse:
    """The table of public holidays that the working days skip, by year, with each
    row's source; the superuser corrects it in the admin."""
    holidays = list(PublicHoliday.objects.all())
    years: dict[int, list[PublicHoliday]] = {}
    for holiday in holidays:
        years.setdefault(holiday.date.year, []).append(holiday)
    return render(
        request,
        "households/public_holiday_list.html",
        {
            "years": sorted(years.items(), reverse=True),
            "unverified": sum(1 for h in holidays if not h.verified),
            "count": len(holidays),
        },
    )
