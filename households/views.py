"""Pages of the register. Every read goes through `Household.objects.visible_to()`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from giamngheo.http import AuthenticatedRequest
from giamngheo.models import User
from households import actions, clock, poverty
from households.codes import suggest_code
from households.forms import (
    ArchiveForm,
    CloseRoundForm,
    HouseholdFilter,
    HouseholdForm,
    MemberFormSet,
    OpenRoundForm,
    ReopenRoundForm,
    ReviewForm,
    villages_for,
)
from households.models import (
    Commune,
    Household,
    HouseholdQuerySet,
    Member,
    Review,
    ReviewRound,
)
from households.poverty import INDICATORS, PovertyStatus
from households.rounds import round_counts, round_standing
from households.transitions import (
    ESCAPED_POVERTY,
    YearRow,
    add_months,
    end_of,
    recently_escaped,
    yearly_movements,
)

PAGE_SIZE = 25


def _household_for_reading(request: AuthenticatedRequest, pk: int) -> Household:
    return get_object_or_404(
        Household.objects.visible_to(request.user).select_related("village", "commune"),
        pk=pk,
    )


def _household_for_editing(request: AuthenticatedRequest, pk: int) -> Household:
    household = _household_for_reading(request, pk)  # out of scope: 404
    if not request.user.can_edit(household):  # in scope, read-only role: 403
        raise PermissionDenied("Vai trò của bạn không được sửa hộ này.")
    return household


def household_list(request: AuthenticatedRequest) -> HttpResponse:
    households = (
        Household.objects.visible_to(request.user)
        .with_current_status()
        .select_related("village")
        .prefetch_related("members")
    )
    household_filter = HouseholdFilter(
        request.GET or None, queryset=households, user=request.user
    )
    queryset = household_filter.qs if household_filter.is_bound else households.active()
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "households/household_list.html",
        {
            "filter": household_filter,
            "page": page,
            "can_create": request.user.can_edit_register,
        },
    )


@dataclass(frozen=True)
class HistoryEntry:
    when: datetime
    who: str
    what: str
    changes: list[str]


def _history(household: Household) -> list[HistoryEntry]:
    """Changes to the household, its members and its reviews, newest first."""
    kinds = {"+": "Tạo", "~": "Sửa", "-": "Xóa"}
    entries: list[HistoryEntry] = []
    sources: list[tuple[str, Any]] = [
        ("hộ", household.history.select_related("history_user")),
        (
            "nhân khẩu",
            Member.history.filter(household_id=household.pk).select_related(
                "history_user"
            ),
        ),
        (
            "phiếu rà soát",
            Review.history.filter(household_id=household.pk).select_related(
                "history_user"
            ),
        ),
    ]
    for label, records in sources:
        records = list(records.order_by("history_date"))
        previous: dict[int, Any] = {}
        for record in records:
            changes: list[str] = []
            before = previous.get(record.id)
            if before is not None and record.history_type == "~":
                delta = record.diff_against(before)
                for change in delta.changes:
                    field = record.instance._meta.get_field(change.field)
                    changes.append(str(getattr(field, "verbose_name", change.field)))
            previous[record.id] = record
            name = getattr(record, "full_name", None) or (
                f"{record.review_date:%d/%m/%Y}" if label == "phiếu rà soát" else ""
            )
            entries.append(
                HistoryEntry(
                    when=record.history_date,
                    who=str(record.history_user or "hệ thống"),
                    what=f"{kinds.get(record.history_type, '')} {label} {name}".strip(),
                    changes=changes,
                )
            )
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries


def household_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    household = _household_for_reading(request, pk)
    reviews = list(
        household.reviews.select_related("round").order_by("-review_date", "-id")
    )
    latest = reviews[0] if reviews else None
    today = clock.today()
    years = yearly_movements(
        [(r.review_date, r.status) for r in reversed(reviews)],
        registered_on=household.registered_on,
        archived_on=household.archived_on,
        until=today.year,
    )
    escaped = _recently_escaped(household, years, today)
    return render(
        request,
        "households/household_detail.html",
        {
            "household": household,
            "members": household.members.all(),
            "reviews": reviews,
            "latest": latest,
            "classification": latest.classify() if latest else None,
            "standard_notice": poverty.continuation_notice(latest.review_date)
            if latest
            else None,
            "indicators": INDICATORS,
            "history": _history(household),
            "can_edit": request.user.can_edit(household),
            "today": today,
            "years": list(reversed(years)),
            "recently_escaped_until": escaped,
        },
    )


def _recently_escaped(
    household: Household, years: list[YearRow], today: date
) -> date | None:
    """Until when the household counts as "hộ mới thoát nghèo", if it does today.

    The recognition date is the closing of that year's review round (the decision of
    the chairman), or the date of the review that found it out of poverty.
    """
    months = settings.RECENTLY_ESCAPED_MONTHS
    for row in reversed(years):
        if row.end == PovertyStatus.POOR:
            return None  # poor again since (tái nghèo): no longer "mới thoát nghèo"
        if row.movement not in ESCAPED_POVERTY:
            continue
        closed = (
            ReviewRound.objects.filter(
                commune_id=household.commune_id, year=row.year, closed_on__isnull=False
            )
            .values_list("closed_on", flat=True)
            .first()
        )
        review = household.latest_review(end_of(row.year))
        recognised = closed or (review.review_date if review else None)
        if recognised and recently_escaped(recognised, on=today, months=months):
            return add_months(recognised, months)
        return None
    return None


def _household_form_page(
    request: AuthenticatedRequest, household: Household | None
) -> HttpResponse:
    instance = household or Household()
    suggestion = None
    if request.method == "POST":
        form = HouseholdForm(request.POST, instance=instance, user=request.user)
        members = MemberFormSet(request.POST, instance=instance, prefix="members")
        if form.is_valid() and members.is_valid():
            saved = actions.save_household(form, members, by=request.user)
            messages.success(request, f"Đã lưu hộ {saved.code}.")
            return redirect(saved)
        messages.error(request, "Chưa lưu được: kiểm tra các ô báo lỗi bên dưới.")
    else:
        initial = {}
        if household is None and request.user.is_village_head:
            initial["village"] = request.user.village_id
            village = villages_for(request.user).first()
            suggestion = suggest_code(village) if village else None
            initial["code"] = suggestion or ""
        form = HouseholdForm(instance=instance, user=request.user, initial=initial)
        members = MemberFormSet(
            instance=instance,
            prefix="members",
            initial=None if household else [{"relationship": "head"}],
        )
    return render(
        request,
        "households/household_form.html",
        {
            "form": form,
            "members": members,
            "household": household,
            "suggestion": suggestion,
        },
    )


@require_GET
def household_code_suggestion(request: AuthenticatedRequest) -> HttpResponse:
    """htmx: the code field of the new-household form, with the next free code of the
    chosen village filled in (unless the officer already typed a code of their own)."""
    if not request.user.can_edit_register:
        raise PermissionDenied("Vai trò của bạn không được thêm hộ.")
    village_id = request.GET.get("village", "")
    village = (
        villages_for(request.user).filter(pk=int(village_id)).first()
        if village_id.isdigit()
        else None
    )
    suggestion = suggest_code(village) if village else None
    typed = request.GET.get("code", "").strip()
    if not typed or typed == request.GET.get("suggested_code"):
        typed = suggestion or ""
    form = HouseholdForm(user=request.user, initial={"code": typed})
    return render(
        request,
        "households/household_form.html#code",
        {"form": form, "suggestion": suggestion},
    )


def household_create(request: AuthenticatedRequest) -> HttpResponse:
    if not request.user.can_edit_register or not villages_for(request.user).exists():
        raise PermissionDenied("Vai trò của bạn không được thêm hộ.")
    return _household_form_page(request, None)


def household_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    household = _household_for_editing(request, pk)
    return _household_form_page(request, household)


def _review_form(
    request: AuthenticatedRequest,
    household: Household,
    review_round: ReviewRound | None = None,
) -> ReviewForm:
    if request.method == "POST":
        return ReviewForm(request.POST, household=household, review_round=review_round)
    latest = household.latest_review()
    today = clock.today()
    initial: dict[str, Any] = {
        "review_date": today,
        "reviewer_name": request.user.get_full_name(),
    }
    if latest is not None:
        initial["floor_area_m2"] = latest.floor_area_m2
        for indicator in INDICATORS:
            initial[indicator.slug] = getattr(latest, indicator.slug)
    if review_round is not None:
        initial["kind"] = "periodic"
        if not review_round.opened_on <= today <= date(review_round.year, 12, 31):
            initial["review_date"] = None
    elif _round_open_on(household, clock.today()) is not None:
        initial["kind"] = "periodic"
    form = ReviewForm(initial=initial, household=household, review_round=review_round)
    for slug, derived in form.derived().items():
        form.initial[slug] = derived.deprived
    return form


def review_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    household = _household_for_editing(request, pk)
    if household.is_archived:
        messages.error(request, "Hộ đã lưu trữ: khôi phục hộ trước khi rà soát.")
        return redirect(household)
    review_round = _open_round_from(request, household)
    form = _review_form(request, household, review_round)
    if request.method == "POST" and form.is_valid():
        try:
            review = actions.record_review(form, by=request.user)
        except ValidationError as exc:
            # The round was closed while the form was open: refused, nothing lost.
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                f"Đã ghi phiếu rà soát ngày {review.review_date:%d/%m/%Y} cho hộ "
                f"{household.code}: {review.get_status_display()}."
                + _continued_note(review.review_date),
            )
            if review_round is not None and "next" in request.POST:
                return redirect("households:round_next", year=review_round.year)
            return redirect(household)
    cleaned = getattr(form, "cleaned_data", {})
    on = cleaned.get("review_date") or form.initial.get("review_date")
    return render(
        request,
        "households/review_form.html",
        {
            "household": household,
            "form": form,
            "review_round": review_round,
            "open_round": None
            if review_round
            else _round_open_on(household, clock.today()),
            "standard_notice": poverty.continuation_notice(on) if on else None,
            **_preview_context(form),
        },
    )


def _round_open_on(household: Household, day: date) -> ReviewRound | None:
    """The commune's periodic round open on `day`, if any."""
    return ReviewRound.objects.filter(
        commune_id=household.commune_id,
        year=day.year,
        closed_on__isnull=True,
        opened_on__lte=day,
    ).first()


def _continued_note(on: date) -> str:
    notice = poverty.continuation_notice(on)
    return f" {notice}" if notice else ""


def _open_round_from(
    request: AuthenticatedRequest, household: Household
) -> ReviewRound | None:
    """The open round named by ?dot=<year>, for sequential entry."""
    year = request.GET.get("dot")
    if not year or not year.isdigit():
        return None
    review_round = ReviewRound.objects.filter(
        commune_id=household.commune_id, year=int(year)
    ).first()
    if review_round is None:
        raise Http404("Không có đợt rà soát đang mở cho năm này.")
    if not review_round.is_open and request.method != "POST":
        raise Http404("Không có đợt rà soát đang mở cho năm này.")
    # A form posted after the round was closed is refused by validation (the
    # recognised round's message), with what was typed kept on the page.
    return review_round


def _preview_context(form: ReviewForm) -> dict[str, Any]:
    """The classification the entered facts would give, for the live preview."""
    derived = form.derived()
    rows = [
        {"field": form[i.slug], "indicator": i, "derived": derived.get(i.slug)}
        for i in INDICATORS
    ]
    classification, why_blank = _preview(form)
    return {"indicator_rows": rows, "preview": classification, "why_blank": why_blank}


def _preview(form: ReviewForm) -> tuple[poverty.Classification | None, str]:
    """The classification, or why there is none yet, in words for the officer."""
    # After is_valid(), cleaned_data holds every field that did validate, so the
    # preview works while other fields (the reviewer's name…) are still empty.
    cleaned = getattr(form, "cleaned_data", {})
    income = cleaned.get("income_per_person_month")
    typed_income = str(form["income_per_person_month"].data or "").strip()
    if form.is_bound and typed_income and "income_per_person_month" in form.errors:
        problem = " ".join(form.errors["income_per_person_month"])
        return None, f"Chưa phân loại được. Thu nhập bình quân: {problem}"
    if income is None:
        return None, (
            "Chưa phân loại được: nhập thu nhập bình quân (đồng/người/tháng), "
            "kết quả sẽ hiện ở đây."
        )
    # The date picks the standard, so no result is shown without a valid date.
    typed_date = str(form["review_date"].data or "").strip()
    if form.is_bound and typed_date and "review_date" in form.errors:
        problem = " ".join(form.errors["review_date"])
        return None, f"Chưa phân loại được. Ngày rà soát: {problem}"
    on = cleaned.get("review_date")
    if on is None:
        return None, (
            "Chưa phân loại được: nhập ngày rà soát (dd/mm/yyyy), ngày này quyết "
            "định chuẩn nghèo áp dụng."
        )
    try:
        classification = poverty.classify(
            income,
            [i.slug for i in INDICATORS if cleaned.get(i.slug)],
            urban=form.household.commune.is_urban,
            standard=poverty.standard_in_force(on),
        )
    except ValueError as error:
        return None, f"Chưa phân loại được: {error}"
    return classification, ""


@require_POST
def review_preview(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """htmx: re-classify as the officer types, before anything is saved."""
    household = _household_for_editing(request, pk)
    form = ReviewForm(
        request.POST,
        household=household,
        review_round=_open_round_from(request, household),
    )
    form.is_valid()
    return render(
        request,
        "households/review_form.html#preview",
        {"household": household, "form": form, **_preview_context(form)},
    )


def household_archive(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    household = _household_for_editing(request, pk)
    if household.is_archived:
        messages.info(request, "Hộ này đã được lưu trữ.")
        return redirect(household)
    form = ArchiveForm(
        request.POST if request.method == "POST" else None, instance=household
    )
    if request.method == "POST" and form.is_valid():
        actions.archive_household(form, by=request.user)
        messages.success(request, f"Đã lưu trữ hộ {household.code}.")
        return redirect(household)
    return render(
        request,
        "households/household_confirm_archive.html",
        {"household": household, "form": form},
    )


@require_POST
def household_restore(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    household = _household_for_editing(request, pk)
    if not household.is_archived:
        messages.info(request, "Hộ này chưa bị lưu trữ.")
        return redirect(household)
    actions.restore_household(household, by=request.user)
    messages.success(request, f"Đã khôi phục hộ {household.code}.")
    return redirect(household)


def village_list(request: AuthenticatedRequest) -> HttpResponse:
    counts = {
        row["village"]: row
        for row in Household.objects.visible_to(request.user)
        .active()
        .with_current_status()
        .values("village")
        .annotate(
            households=Count("id"),
            poor=Count("id", filter=Q(status=PovertyStatus.POOR)),
            near_poor=Count("id", filter=Q(status=PovertyStatus.NEAR_POOR)),
        )
        .order_by()
    }
    member_counts = dict(
        Member.objects.filter(
            household__in=Household.objects.visible_to(request.user).active()
        )
        .values_list("household__village")
        .annotate(n=Count("id"))
        .order_by()
    )
    villages = villages_for(request.user).select_related("commune")
    rows = []
    for village in villages:
        row = counts.get(village.pk, {})
        rows.append(
            {
                "village": village,
                "households": row.get("households", 0),
                "members": member_counts.get(village.pk, 0),
                "poor": row.get("poor", 0),
                "near_poor": row.get("near_poor", 0),
            }
        )
    totals = {
        key: sum(r[key] for r in rows)
        for key in ("households", "members", "poor", "near_poor")
    }
    return render(
        request, "households/village_list.html", {"rows": rows, "totals": totals}
    )


def commune_of(request: AuthenticatedRequest) -> Commune:
    """The commune whose pages the user works on (a superuser: the first one)."""
    if request.user.commune is not None:
        return request.user.commune
    commune = (
        Commune.objects.order_by("pk").first() if request.user.is_superuser else None
    )
    if commune is None:
        raise Http404("Tài khoản chưa gắn với xã nào.")
    return commune


def _may_run_rounds(user: User) -> bool:
    return user.is_superuser or user.is_officer


def round_list(request: AuthenticatedRequest) -> HttpResponse:
    commune = commune_of(request)
    form = OpenRoundForm(
        request.POST if request.method == "POST" else None, commune=commune
    )
    if request.method == "POST":
        if not _may_run_rounds(request.user):
            raise PermissionDenied("Chỉ công chức LĐ-TB&XH được mở đợt rà soát.")
        if form.is_valid():
            review_round = actions.open_round(form, by=request.user)
            messages.success(request, f"Đã mở {str(review_round).lower()}.")
            return redirect("households:round_detail", year=review_round.year)
        messages.error(request, "Chưa mở được đợt rà soát: xem lỗi bên dưới.")
    # The same count as the round's page: the reviews of the households the user sees.
    visible = Household.objects.visible_to(request.user)
    rounds = ReviewRound.objects.filter(commune=commune).annotate(
        n=Count("reviews", filter=Q(reviews__household__in=visible))
    )
    return render(
        request,
        "households/round_list.html",
        {"rounds": rounds, "form": form, "can_run": _may_run_rounds(request.user)},
    )


def round_detail(request: AuthenticatedRequest, year: int) -> HttpResponse:
    commune = commune_of(request)
    review_round = get_object_or_404(ReviewRound, commune=commune, year=year)
    households = Household.objects.visible_to(request.user).filter(commune=commune)
    close_form = CloseRoundForm(
        request.POST if request.method == "POST" else None, review_round=review_round
    )
    if request.method == "POST":
        if not _may_run_rounds(request.user):
            raise PermissionDenied("Chỉ công chức LĐ-TB&XH được kết thúc đợt rà soát.")
        if not review_round.is_open:
            messages.info(request, "Đợt rà soát này đã kết thúc.")
            return redirect("households:round_detail", year=year)
        if close_form.is_valid():
            actions.close_round(
                review_round, close_form.cleaned_data["closed_on"], by=request.user
            )
            messages.success(
                request,
                f"Đã kết thúc {str(review_round).lower()}; kết quả được công nhận từ "
                f"ngày {review_round.closed_on:%d/%m/%Y}.",
            )
            return redirect("households:round_detail", year=year)
        messages.error(request, "Chưa kết thúc được đợt rà soát: xem lỗi bên dưới.")
    return _round_page(request, review_round, households, close_form=close_form)


def _round_page(
    request: AuthenticatedRequest,
    review_round: ReviewRound,
    households: HouseholdQuerySet,
    *,
    close_form: CloseRoundForm | None = None,
    reopen_form: ReopenRoundForm | None = None,
) -> HttpResponse:
    return render(
        request,
        "households/round_detail.html",
        {
            "review_round": review_round,
            "standing": round_standing(review_round, households),
            "counts": round_counts(review_round, households),
            "reopenings": review_round.reopenings.select_related("reopened_by"),
            "close_form": close_form or CloseRoundForm(review_round=review_round),
            "reopen_form": reopen_form or ReopenRoundForm(),
            "can_run": _may_run_rounds(request.user),
            "can_review": request.user.can_edit_register,
        },
    )


@require_POST
def round_reopen(request: AuthenticatedRequest, year: int) -> HttpResponse:
    """The officer withdraws the recognition of a closed round, with a reason."""
    commune = commune_of(request)
    review_round = get_object_or_404(ReviewRound, commune=commune, year=year)
    if not _may_run_rounds(request.user):
        raise PermissionDenied("Chỉ công chức LĐ-TB&XH được mở lại đợt rà soát.")
    if review_round.is_open:
        messages.info(request, "Đợt rà soát này đang mở.")
        return redirect("households:round_detail", year=year)
    form = ReopenRoundForm(request.POST)
    if form.is_valid():
        reopening = actions.reopen_round(review_round, form, by=request.user)
        messages.success(
            request,
            f"Đã mở lại {str(review_round).lower()}; kết quả công nhận ngày "
            f"{reopening.withdrawn_closed_on:%d/%m/%Y} không còn hiệu lực cho đến khi "
            "kết thúc đợt lần nữa.",
        )
        return redirect("households:round_detail", year=year)
    messages.error(request, "Chưa mở lại được đợt rà soát: xem lỗi bên dưới.")
    households = Household.objects.visible_to(request.user).filter(commune=commune)
    return _round_page(request, review_round, households, reopen_form=form)


def round_next(request: AuthenticatedRequest, year: int) -> HttpResponse:
    """Fast sequential entry: open the review form of the next household to review."""
    commune = commune_of(request)
    review_round = get_object_or_404(ReviewRound, commune=commune, year=year)
    if not review_round.is_open:
        messages.info(request, "Đợt rà soát này đã kết thúc.")
        return redirect("households:round_detail", year=year)
    if not request.user.can_edit_register:
        raise PermissionDenied("Vai trò của bạn không được ghi phiếu rà soát.")
    households = Household.objects.visible_to(request.user).filter(commune=commune)
    remaining = round_standing(review_round, households).remaining
    if not remaining:
        messages.success(request, "Đã rà soát hết các hộ trong danh sách của đợt.")
        return redirect("households:round_detail", year=year)
    url = reverse("households:review_create", args=[remaining[0].pk])
    return redirect(f"{url}?dot={year}")
