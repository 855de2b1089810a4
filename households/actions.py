"""Writes of the register that span several rows: one transaction each."""

from __future__ import annotations

from django.db import transaction

from giamngheo.models import User
from households.forms import ArchiveForm, BaseMemberFormSet, HouseholdForm, ReviewForm
from households.models import Household, Review


@transaction.atomic
def save_household(
    form: HouseholdForm, members: BaseMemberFormSet, *, by: User
) -> Household:
    """Save a household and its member list together, or nothing at all."""
    household = form.save()
    members.instance = household
    members.save()
    household.refresh_search_text()
    household.save(update_fields=["search_text", "updated_at"])
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
