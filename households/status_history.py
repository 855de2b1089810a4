"""When each household's status held: the periods of its reviews' results, kept
current as the reviews, rounds and decisions change.

The status on a day is the result of the review in force that day
(`ReviewQuerySet.in_force_on`, QĐ 24/2021/QĐ-TTg Điều 4 and 5): a periodic review of a
round from the round's recognition, a regular review from the chairman's decision, a
periodic review outside any round from its own date; of two taking effect the same
day, the later review. Asked as a subquery per household and per day, that rule cost
most of the dashboard's, the targets' and the review tables' time at 20,000
households (issue 12). So it is kept as data: one `StatusPeriod` row per review while
it is the one in force, from the day it took effect until the next one did
(`periods`, a pure function), and `HouseholdQuerySet.with_status_on` joins the row
whose period holds the day.

The rows are rewritten for a household, in the same transaction, whenever one of its
reviews is saved or deleted, the round of its reviews is closed or reopened, or a
regular decision over its reviews is saved (the signal receivers below). A write that
bypasses `save()` (`bulk_create`, `QuerySet.update` of a review's round or decision,
`COPY`) must call `refresh_households` or `rebuild` itself (the demo's seeds do);
`manage.py rebuild_status_periods` rebuilds every row, and the tests compare the kept
rows with a rebuild after random histories.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.db.models.signals import post_delete, post_save, pre_save

from households import figures

BATCH = 2000


@dataclass(frozen=True)
class Claim:
    """A review that takes effect: when, and what it says."""

    review_id: int
    takes_effect: date
    review_date: date
    status: str


@dataclass(frozen=True)
class Period:
    review_id: int
    status: str
    valid_from: date
    valid_until: date | None  # the day the next review took effect; None: still


def periods(claims: Iterable[Claim]) -> list[Period]:
    """A household's periods: each day a review takes effect starts one, held by the
    latest review (by date, then id) taking effect that day, until the next."""
    winners: dict[date, Claim] = {}
    for claim in sorted(
        claims, key=lambda c: (c.takes_effect, c.review_date, c.review_id)
    ):
        winners[claim.takes_effect] = claim
    days = sorted(winners)
    return [
        Period(
            winners[day].review_id,
            winners[day].status,
            day,
            days[index + 1] if index + 1 < len(days) else None,
        )
        for index, day in enumerate(days)
    ]


def _claims(review_model: Any, household_ids: list[int]) -> dict[int, list[Claim]]:
    """The reviews of these households that take effect (or have), by household."""
    regular = "regular"  # ReviewKind.REGULAR: spelled here for the migration too
    rows = (
        review_model.objects.filter(household_id__in=household_ids)
        .filter(
            Q(round__isnull=True, regular_decision__isnull=True) & ~Q(kind=regular)
            | Q(round__closed_on__isnull=False)
            | Q(regular_decision__signed_on__isnull=False)
        )
        .annotate(
            takes_effect=Coalesce(
                "round__closed_on", "regular_decision__signed_on", "review_date"
            )
        )
        .values_list("household_id", "id", "takes_effect", "review_date", "status")
        .order_by()
    )
    claims: dict[int, list[Claim]] = defaultdict(list)
    for household_id, *claim in rows:
        claims[household_id].append(Claim(*claim))
    return claims


def refresh_households(
    household_ids: Iterable[int],
    *,
    review_model: Any = None,
    period_model: Any = None,
) -> None:
    """Rewrite these households' periods from their reviews (the models may be a
    migration's historical ones)."""
    from households.models import Review, StatusPeriod

    if review_model is None or period_model is None:
        review_model, period_model = Review, StatusPeriod
    ids = sorted(set(household_ids))
    with transaction.atomic():
        for start in range(0, len(ids), BATCH):
            batch = ids[start : start + BATCH]
            claims = _claims(review_model, batch)
            household_model = period_model._meta.get_field("household").related_model
            communes = dict(
                household_model.objects.filter(pk__in=batch).values_list(
                    "pk", "commune_id"
                )
            )
            if period_model is StatusPeriod:  # not in a migration
                figures.mark_changed(communes.values())
            period_model.objects.filter(household_id__in=batch).delete()
            period_model.objects.bulk_create(
                (
                    period_model(
                        household_id=household_id,
                        commune_id=communes[household_id],
                        review_id=p.review_id,
                        status=p.status,
                        valid_from=p.valid_from,
                        valid_until=p.valid_until,
                    )
                    for household_id in batch
                    for p in periods(claims.get(household_id, ()))
                ),
                batch_size=BATCH,
            )


def rebuild(*, review_model: Any = None, period_model: Any = None) -> int:
    """Every household's periods from scratch; returns how many periods."""
    from households.models import Review, StatusPeriod

    if review_model is None or period_model is None:
        review_model, period_model = Review, StatusPeriod
    with transaction.atomic():
        period_model.objects.all().delete()
        ids = (
            review_model.objects.values_list("household_id", flat=True)
            .order_by()
            .distinct()
        )
        refresh_households(ids, review_model=review_model, period_model=period_model)
        if period_model is StatusPeriod:
            # Also the communes whose households have no review yet.
            household_model = period_model._meta.get_field("household").related_model
            figures.mark_changed(
                household_model.objects.values_list("commune_id", flat=True)
                .order_by()
                .distinct()
            )
        return int(period_model.objects.count())


# --- Kept current ---------------------------------------------------------------------


# Also on loaddata's raw saves: whichever of a review, its round and its decision is
# loaded last rewrites the household's periods with all three in place.


def _review_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    refresh_households([instance.household_id])


def _reviews_of(field: str) -> Any:
    def receiver(sender: Any, instance: Any, **kwargs: Any) -> None:
        if instance.pk is None:
            return
        from households.models import Review

        refresh_households(
            Review.objects.filter(**{field: instance.pk})
            .values_list("household_id", flat=True)
            .order_by()
            .distinct()
        )

    return receiver


def _household_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    """A household moved to another commune takes its periods and members along."""
    from households.models import Member, StatusPeriod

    for model in (StatusPeriod, Member):
        elsewhere = model.objects.filter(household_id=instance.pk).exclude(
            commune_id=instance.commune_id
        )
        # The commune it left counts it no more (figures.py).
        figures.mark_changed(elsewhere.values_list("commune_id", flat=True))
        elsewhere.update(commune_id=instance.commune_id)


def _member_saving(sender: Any, instance: Any, **kwargs: Any) -> None:
    """A member is counted with its household's commune (`Member.commune`)."""
    from households.models import Household

    if instance.household_id is None:
        return
    if type(instance).household.is_cached(instance):
        instance.commune_id = instance.household.commune_id
    else:
        instance.commune_id = (
            Household.objects.filter(pk=instance.household_id)
            .values_list("commune_id", flat=True)
            .first()
        )


_round_changed = _reviews_of("round_id")
_decision_changed = _reviews_of("regular_decision_id")


def connect() -> None:
    """Called from `HouseholdsConfig.ready()`."""
    from households.models import (
        Household,
        Member,
        RegularDecision,
        Review,
        ReviewRound,
    )

    post_save.connect(_household_saved, sender=Household, dispatch_uid="periods-home")
    pre_save.connect(_member_saving, sender=Member, dispatch_uid="member-commune")

    post_save.connect(_review_changed, sender=Review, dispatch_uid="periods-review")
    post_delete.connect(
        _review_changed, sender=Review, dispatch_uid="periods-review-deleted"
    )
    post_save.connect(_round_changed, sender=ReviewRound, dispatch_uid="periods-round")
    post_save.connect(
        _decision_changed, sender=RegularDecision, dispatch_uid="periods-decision"
    )
