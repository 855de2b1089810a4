"""The review form of a household (phiếu rà soát) and its live classification preview.
A review entered within an open periodic round (`?dot=<year>`) belongs to that round."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from households import actions, b1_form, clock, edit_conflicts, poverty
from households.forms import DWELLING_FIELDS, ReviewForm
from households.models import Household, Review, ReviewRound
from households.poverty import INDICATORS
from households.submit_once import submit_once
from households.views import household_for_editing

if TYPE_CHECKING:
    from giamngheo.http import AuthenticatedRequest


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
        # The dwelling as last seen: the survey team confirms or corrects it.
        for name in DWELLING_FIELDS:
            initial[name] = getattr(latest, name)
        for indicator in INDICATORS:
            initial[indicator.slug] = getattr(latest, indicator.slug)
        # The causes found last time, to confirm or change.
        initial["poverty_causes"] = list(latest.poverty_causes or [])
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


@submit_once
def review_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    household = household_for_editing(request, pk)
    if household.is_archived:
        messages.error(request, "Hộ đã lưu trữ: khôi phục hộ trước khi rà soát.")
        return redirect(household)
    review_round = _open_round_from(request, household)
    form = _review_form(request, household, review_round)
    # The household, its members and its reviews as the form was filled in from.
    edit_version = edit_conflicts.version(edit_conflicts.review_sources(household.pk))
    if request.method == "POST":
        edit_version = edit_conflicts.loaded_version(request) or edit_version
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            review = actions.record_review(
                form, by=request.user, loaded=edit_conflicts.loaded_version(request)
            )
        except edit_conflicts.EditConflict as refused:
            conflict, edit_version = refused, refused.current
        except ValidationError as exc:
            # The round was closed while the form was open: refused, nothing lost.
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                f"Đã ghi phiếu rà soát ngày {review.review_date:%d/%m/%Y} cho hộ "
                f"{household.code}: {review.get_status_display()}."
                + _continued_note(review.review_date)
                + _awaiting_note(review),
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
            "edit_version": edit_version,
            "edit_conflict": conflict,
            **_preview_context(form),
        },
        status=409 if conflict else 200,
    )


def _round_open_on(household: Household, day: date) -> ReviewRound | None:
    """The commune's periodic round open on `day`, if any."""
    return ReviewRound.objects.filter(
        commune_id=household.commune_id,
        year=day.year,
        closed_on__isnull=True,
        opened_on__lte=day,
    ).first()


def _awaiting_note(review: Review) -> str:
    """When the result is not yet in force: what it waits for (QĐ 24/2021)."""
    if review.takes_effect_on is not None:
        return ""
    if review.round_id is not None:
        return " Kết quả có hiệu lực khi Chủ tịch UBND xã công nhận kết quả của đợt."
    return (
        " Kết quả có hiệu lực từ ngày Chủ tịch UBND xã ký quyết định công nhận "
        "(rà soát thường xuyên)."
    )


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
    # Indicators whose tick differs from what the facts now give: a changed fact is
    # shown at once, before the officer saves and is asked for a note.
    cleaned = getattr(form, "cleaned_data", None)
    differing = (
        [
            {"indicator": i, "derived": derived[i.slug]}
            for i in INDICATORS
            if i.slug in derived
            and i.slug in cleaned
            and bool(cleaned[i.slug]) != derived[i.slug].deprived
        ]
        if form.is_bound and cleaned is not None
        else []
    )
    return {
        "indicator_rows": rows,
        "preview": classification,
        "why_blank": why_blank,
        "differing": differing,
        "b1_fields": b1_form.b1_fields(form),
        "b1_open": bool(form.instance.b1_answers)
        or any(f.errors for f in b1_form.b1_fields(form)),
    }


def _preview(form: ReviewForm) -> tuple[poverty.Classification | None, str]:
    """The classification, or why there is none yet, in words for the officer."""
    # After is_valid(), cleaned_data holds every field that did validate, so the
    # preview works while other fields (the reviewer's name…) are still empty.
    cleaned = getattr(form, "cleaned_data", {})
    income = cleaned.get("income_per_person_month")
    score = cleaned.get("b1_score")
    for name, what in (
        ("income_per_person_month", "Thu nhập bình quân"),
        ("b1_score", "Tổng điểm B1"),
    ):
        typed = str(form[name].data or "").strip()
        if form.is_bound and typed and name in form.errors:
            problem = " ".join(form.errors[name])
            return None, f"Chưa phân loại được. {what}: {problem}"
    if income is not None and score is not None:
        return None, (
            "Chưa phân loại được: ghi thu nhập bình quân hoặc tổng điểm Phiếu B1, "
            "không ghi cả hai."
        )
    if income is None and score is None:
        return None, (
            "Chưa phân loại được: nhập thu nhập bình quân (đồng/người/tháng) hoặc "
            "điền Phiếu B1, kết quả sẽ hiện ở đây."
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
            b1_score=score,
            urban=form.household.commune.is_urban,
            standard=poverty.standard_in_force(on),
        )
    except ValueError as error:
        return None, f"Chưa phân loại được: {error}"
    return classification, ""


@require_POST
def review_preview(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """htmx: re-classify as the officer types, before anything is saved."""
    household = household_for_editing(request, pk)
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
