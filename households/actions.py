"""Writes of the register that span several rows: one transaction each."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from giamngheo.models import User
from households.forms import (
    ArchiveForm,
    BaseMemberFormSet,
    HouseholdForm,
    OpenRoundForm,
    ReviewForm,
)
from households.models import Household, Review, ReviewRound, fold


@transaction.atomic
def save_household(
    form: HouseholdForm, members: BaseMemberFormSet, *, by: User
) -> Household:
    """Save a household and its member list together, or nothing at all."""
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
def record_review(form: ReviewForm, *, by: User) -> Review:
    review = form.save(commit=False)
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
def close_round(review_round: ReviewRound, closed_on: date, *, by: User) -> ReviewRound:
    """Close the round: its results are recognised from `closed_on`."""
    review_round.closed_on = closed_on
    review_round.closed_by = by
    review_round.save()
    return review_round
