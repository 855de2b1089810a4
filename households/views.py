"""Pages of the register. Every read goes through `Household.objects.visible_to()`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from giamngheo.http import AuthenticatedRequest
from households import actions, poverty
from households.forms import (
    ArchiveForm,
    HouseholdFilter,
    HouseholdForm,
    MemberFormSet,
    ReviewForm,
    villages_for,
)
from households.models import Household, Member, Review
from households.poverty import INDICATORS, PovertyStatus

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
    reviews = list(household.reviews.order_by("-review_date", "-id"))
    latest = reviews[0] if reviews else None
    return render(
        request,
        "households/household_detail.html",
        {
            "household": household,
            "members": household.members.all(),
            "reviews": reviews,
            "latest": latest,
            "classification": latest.classify() if latest else None,
            "indicators": INDICATORS,
            "history": _history(household),
            "can_edit": request.user.can_edit(household),
            "today": timezone.localdate(),
        },
    )


def _household_form_page(
    request: AuthenticatedRequest, household: Household | None
) -> HttpResponse:
    instance = household or Household()
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
        form = HouseholdForm(instance=instance, user=request.user, initial=initial)
        members = MemberFormSet(
            instance=instance,
            prefix="members",
            initial=None if household else [{"relationship": "head"}],
        )
    return render(
        request,
        "households/household_form.html",
        {"form": form, "members": members, "household": household},
    )


def household_create(request: AuthenticatedRequest) -> HttpResponse:
    if not request.user.can_edit_register or not villages_for(request.user).exists():
        raise PermissionDenied("Vai trò của bạn không được thêm hộ.")
    return _household_form_page(request, None)


def household_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    household = _household_for_editing(request, pk)
    return _household_form_page(request, household)


def _review_form(request: AuthenticatedRequest, household: Household) -> ReviewForm:
    if request.method == "POST":
        return ReviewForm(request.POST, household=household)
    latest = household.latest_review()
    today = timezone.localdate()
    initial: dict[str, Any] = {
        "review_date": today,
        "reviewer_name": request.user.get_full_name(),
    }
    if latest is not None:
        initial["floor_area_m2"] = latest.floor_area_m2
        for indicator in INDICATORS:
            initial[indicator.slug] = getattr(latest, indicator.slug)
    form = ReviewForm(initial=initial, household=household)
    for slug, derived in form.derived().items():
        form.initial[slug] = derived.deprived
    return form


def review_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    household = _household_for_editing(request, pk)
    if household.is_archived:
        messages.error(request, "Hộ đã lưu trữ: khôi phục hộ trước khi rà soát.")
        return redirect(household)
    form = _review_form(request, household)
    if request.method == "POST" and form.is_valid():
        review = actions.record_review(form, by=request.user)
        messages.success(
            request,
            f"Đã ghi phiếu rà soát ngày {review.review_date:%d/%m/%Y}: "
            f"{review.get_status_display()}.",
        )
        return redirect(household)
    return render(
        request,
        "households/review_form.html",
        {"household": household, "form": form, **_preview_context(form)},
    )


def _preview_context(form: ReviewForm) -> dict[str, Any]:
    """The classification the entered facts would give, for the live preview."""
    derived = form.derived()
    rows = [
        {"field": form[i.slug], "indicator": i, "derived": derived.get(i.slug)}
        for i in INDICATORS
    ]
    classification = None
    # After is_valid(), cleaned_data holds every field that did validate, so the
    # preview works while other fields (the reviewer's name…) are still empty.
    cleaned = getattr(form, "cleaned_data", {})
    income = cleaned.get("income_per_person_month")
    if income is not None:
        on = cleaned.get("review_date") or timezone.localdate()
        try:
            classification = poverty.classify(
                income,
                [i.slug for i in INDICATORS if cleaned.get(i.slug)],
                urban=form.household.commune.is_urban,
                standard=poverty.standard_in_force(on),
            )
        except ValueError:
            classification = None
    return {"indicator_rows": rows, "preview": classification}


@require_POST
def review_preview(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """htmx: re-classify as the officer types, before anything is saved."""
    household = _household_for_editing(request, pk)
    form = ReviewForm(request.POST, household=household)
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
    form = ArchiveForm(request.POST or None, instance=household)
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
