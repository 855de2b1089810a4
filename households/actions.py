"""Writes of the register that span several rows: one transaction each."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction

from households import clock, edit_conflicts
from households.forms import (
    ArchiveForm,
    BaseMemberFormSet,
    HouseholdForm,
    MediumLivingForm,
    OpenRoundForm,
    RecogniseMediumLivingForm,
    ReopenRoundForm,
    ReviewForm,
)
from households.models import (
    Commune,
    Household,
    MediumLivingDetermination,
    RecognitionDecision,
    RegularDecision,
    Review,
    ReviewRound,
    RoundReopening,
    fold,
)
from households.procedure_forms import RegularDecisionForm

if TYPE_CHECKING:
    from giamngheo.models import User


@transaction.atomic
def save_household(
    form: HouseholdForm,
    members: BaseMemberFormSet,
    *,
    by: User,
    loaded: str | None = None,
) -> Household:
    """Save a household and its member list together, or nothing at all. An edit
    loaded at version `loaded` is refused (`EditConflict`, nothing written) if
    another user changed the household or its members since."""
    if form.instance.pk is not None:
        # The row lock makes a concurrent save of the same household wait here and
        # then see this one's records (edit_conflicts.refuse_if_changed).
        Household.objects.select_for_update().get(pk=form.instance.pk)
        edit_conflicts.refuse_if_changed(
            edit_conflicts.household_sources(form.instance.pk), loaded
        )
    household = form.save(commit=False)
    names = [
        member_form.cleaned_data["full_name"]
        for member_form in members.forms
        if member_form.cleaned_data and not member_form.cleaned_data.get("DELETE")
    ]
    # Set before the one save, so the history shows one change, not two.
    household.search_text = fold(f"{household.code} {' '.join(names)}")
    household.save()
    members.instance = household
    members.save()
    return household


@transaction.atomic
def record_review(form: ReviewForm, *, by: User, loaded: str | None = None) -> Review:
    """Save a review, checked again under a lock on the year's round: a round closed
    while the form was open refuses the review (Review.clean) instead of changing a
    recognised result. A form loaded at version `loaded` is refused (`EditConflict`)
    if the household, its members or its reviews changed since: the review was
    filled in from what the page showed."""
    household_id = form.household.pk
    Household.objects.select_for_update().get(pk=household_id)
    sources = edit_conflicts.review_sources(household_id)
    edit_conflicts.refuse_if_changed(sources, loaded)
    review = form.save(commit=False)
    list(
        ReviewRound.objects.select_for_update().filter(
            commune_id=review.household.commune_id, year=review.review_date.year
        )
    )
    review.household_size = form.cleaned_data["household_size"]
    review.recorded_by = by
    review.full_clean(exclude=["status", "standard_code"])
    review.save()
    return review


@transaction.atomic
def archive_household(form: ArchiveForm, *, by: User) -> Household:
    return form.save()


@transaction.atomic
def restore_household(household: Household, *, by: User) -> Household:
    household.archived_on = None
    household.archive_reason = ""
    household.archive_note = ""
    household.save()
    return household


@transaction.atomic
def open_round(form: OpenRoundForm, *, by: User) -> ReviewRound:
    review_round = form.save(commit=False)
    review_round.opened_by = by
    review_round.save()
    return review_round


@transaction.atomic
def close_round(
    review_round: ReviewRound,
    closed_on: date,
    *,
    decision_number: str,
    signer_name: str,
    by: User,
) -> ReviewRound:
    """Close the round with the chairman's recognition decision: its results are
    recognised from `closed_on`, the decision's date (QĐ 24/2021 Điều 4 khoản 4)."""
    review_round.closed_on = closed_on
    review_round.closed_by = by
    review_round.save()
    RecognitionDecision.objects.create(
        review_round=review_round,
        number=decision_number,
        signed_on=closed_on,
        signer_name=signer_name,
        recorded_by=by,
    )
    return review_round


@transaction.atomic
def reopen_round(
    review_round: ReviewRound, form: ReopenRoundForm, *, by: User
) -> RoundReopening:
    """Withdraw the recognition of a closed round, with the reason on record.

    The recognised result is a legal fact (QĐ 24/2021/QĐ-TTg Điều 4): changing it
    is a decision someone takes and answers for, so the reopening is a row of its own
    that names who, when, why and which recognition date it withdrew.
    """
    locked = ReviewRound.objects.select_for_update().get(pk=review_round.pk)
    if locked.closed_on is None:
        raise ValueError(f"{locked} đang mở.")
    reopening = RoundReopening.objects.create(
        review_round=locked,
        reopened_at=clock.now(),
        reopened_by=by,
        reason=form.cleaned_data["reason"],
        withdrawn_closed_on=locked.closed_on,
    )
    locked.closed_on = None
    locked.closed_by = None
    locked._change_reason = f"Mở lại: {reopening.reason}"  # type: ignore[attr-defined]
    locked.save()
    review_round.refresh_from_db()
    return reopening


@transaction.atomic
def record_medium_living(
    form: MediumLivingForm, *, by: User
) -> MediumLivingDetermination:
    """Save a determination of a farm household's living standard; its result is
    computed on save (`medium_standard.determine`)."""
    determination = form.save(commit=False)
    determination.recorded_by = by
    determination.full_clean(exclude=["in_band", "standard_code"])
    determination.save()
    return determination


@transaction.atomic
def recognise_medium_living(
    form: RecogniseMediumLivingForm, *, by: User
) -> MediumLivingDetermination:
    """Record the chairman's decision on a determination found in the band: the
    household is at the medium living standard from the decision date."""
    locked = MediumLivingDetermination.objects.select_for_update().get(
        pk=form.instance.pk
    )
    if locked.decision_date is not None:
        raise ValidationError(
            f"Kết quả xác định này đã được công nhận theo quyết định số "
            f"{locked.decision_number} ngày {locked.decision_date:%d/%m/%Y}."
        )
    locked.decision_number = form.cleaned_data["decision_number"]
    locked.decision_date = form.cleaned_data["decision_date"]
    locked.full_clean(exclude=["in_band", "standard_code"])
    locked._change_reason = "Công nhận hộ có mức sống trung bình"  # type: ignore[attr-defined]
    locked.save()
    return locked


@transaction.atomic
def decide_regular_reviews(
    form: RegularDecisionForm, *, commune: Commune, by: User
) -> RegularDecision:
    """Record the chairman's decision and attach the reviews it recognises, or
    nothing: a review another officer recognised meanwhile refuses the whole save
    (QĐ 24/2021 Điều 5)."""
    chosen = [r.pk for r in form.cleaned_data["reviews"]]
    still_awaiting = set(
        Review.objects.select_for_update()
        .filter(pk__in=chosen, regular_decision__isnull=True)
        .values_list("pk", flat=True)
    )
    if still_awaiting != set(chosen):
        raise ValidationError(
            {
                "reviews": "Có phiếu vừa được công nhận bằng quyết định khác: tải "
                "lại trang rồi chọn lại."
            }
        )
    decision: RegularDecision = form.save(commit=False)
    decision.commune = commune
    decision.recorded_by = by
    decision.full_clean()
    decision.save()
    # One save per review, so each review's history records its recognition.
    for review in Review.objects.filter(pk__in=chosen):
        review.regular_decision = decision
        review.save(update_fields=["regular_decision"])
    return decision
