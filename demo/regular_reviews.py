"""The demo's regular reviews (rà soát thường xuyên, QĐ 24/2021/QĐ-TTg Điều 5) after
the 2024 round: on the working date (20/12/2024) two households have asked since the
recognition of 14/12/2024.

- A near-poor household whose house the storm of 15/12 unroofed asked on 16/12; the
  survey team reviewed it on 18/12 (poor). Its result awaits the chairman's decision
  (due by 30/01/2025: the January round from the 15th, plus 15 days).
- A household that asked on 19/12 has not been reviewed yet.

Nothing here changes a status in force: a regular review holds from its decision.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date

from django.db import transaction

from demo.register import (
    COMMUNE_CODE,
    OFFICER_USERNAME,
    WORKING_DATE,
    require_demo_mode,
)
from giamngheo.models import User
from households.indicators import DwellingFacts, derive_indicators
from households.models import (
    Commune,
    Household,
    Review,
    ReviewKind,
    ReviewRequest,
)
from households.poverty import INDICATORS, PovertyStatus

STORM_REQUEST = date(2024, 12, 16)
STORM_REVIEW = date(2024, 12, 18)
LATER_REQUEST = date(2024, 12, 19)
NOTE = "Mẫu: bão ngày 15/12/2024 làm tốc mái, hư hỏng tường nhà."


@dataclass(frozen=True)
class RegularResult:
    created: bool
    awaiting: int = 0
    unanswered: int = 0


def seed_regular_reviews_2024() -> RegularResult:
    require_demo_mode()
    with transaction.atomic():
        commune = Commune.objects.get(code=COMMUNE_CODE)
        if ReviewRequest.objects.filter(household__commune=commune).exists():
            return RegularResult(created=False)
        officer = User.objects.get(commune=commune, username=OFFICER_USERNAME)
        near_poor = (
            Household.objects.filter(commune=commune)
            .active()
            .present_on(WORKING_DATE)
            .with_status_on(WORKING_DATE)
            .filter(status=PovertyStatus.NEAR_POOR)
            .order_by("code")
        )
        storm = _storm_review(near_poor, officer)
        if storm is None:
            return RegularResult(created=False)
        ReviewRequest.objects.create(
            household=storm.household,
            received_on=STORM_REQUEST,
            review=storm,
            note="Nhà bị bão làm hư hỏng.",
            recorded_by=officer,
        )
        later = (
            Household.objects.filter(commune=commune)
            .active()
            .present_on(WORKING_DATE)
            .with_status_on(WORKING_DATE)
            .exclude(status__in=[PovertyStatus.POOR, PovertyStatus.NEAR_POOR])
            .order_by("-code")
            .first()
        )
        if later is not None:
            ReviewRequest.objects.create(
                household=later,
                received_on=LATER_REQUEST,
                channel="online",
                recorded_by=officer,
            )
        return RegularResult(created=True, awaiting=1, unanswered=int(bool(later)))


def _storm_review(candidates: object, officer: User) -> Review | None:
    """The first near-poor household that the storm's damage makes poor: its last
    review's facts, with walls and roof no longer durable."""
    for household in candidates:  # type: ignore[attr-defined]
        last = household.latest_review(WORKING_DATE)
        if last is None or last.income_per_person_month is None:
            continue
        review = Review(
            household=household,
            review_date=STORM_REVIEW,
            kind=ReviewKind.REGULAR,
            # The village head reviews and records, as in the periodic rounds.
            reviewer_name=last.reviewer_name,
            recorded_by=last.recorded_by or officer,
            income_per_person_month=last.income_per_person_month,
            floor_area_m2=last.floor_area_m2,
            household_size=household.members.count(),
            note=NOTE,
        )
        for field in dataclasses.fields(DwellingFacts):
            setattr(review, field.name, getattr(last, field.name))
        review.wall_durable = review.roof_durable = False
        for indicator in INDICATORS:
            setattr(review, indicator.slug, getattr(last, indicator.slug))
        derived = derive_indicators(
            household.member_facts(),
            floor_area_m2=review.floor_area_m2,
            on=STORM_REVIEW,
            dwelling=review.dwelling_facts(),
        )
        for slug, indicator in derived.items():
            setattr(review, slug, indicator.deprived)
        review.keep_derivation(derived)
        if review.classify().status != PovertyStatus.POOR:
            continue
        review.full_clean()
        review.save()
        return review
    return None
