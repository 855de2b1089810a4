"""The periodic review round: open it, review household after household, close it.

QĐ 24/2021/QĐ-TTg Điều 4: the round reviews (a) the households the commune manages as
poor or near-poor and (b) those that asked to be reviewed; here (b) is any household the
officer reviews during the round.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, OuterRef, Q, Subquery

from households.models import Household, HouseholdQuerySet, Review, ReviewRound
from households.poverty import PovertyStatus
from households.transitions import start_of


@dataclass
class RoundStanding:
    review_round: ReviewRound
    to_review: list[Household]
    reviewed_ids: set[int]

    @property
    def remaining(self) -> list[Household]:
        return [h for h in self.to_review if h.pk not in self.reviewed_ids]

    @property
    def done(self) -> int:
        return len(self.to_review) - len(self.remaining)

    @property
    def extra_reviewed(self) -> int:
        """Households reviewed in the round that were not on the list."""
        listed = {h.pk for h in self.to_review}
        return len(self.reviewed_ids - listed)


def round_standing(
    review_round: ReviewRound, households: HouseholdQuerySet
) -> RoundStanding:
    """The listed households (poor or near-poor at the start of the year, still on the
    register) and which of the visible households the round has reviewed."""
    start = start_of(review_round.year)
    listed = (
        households.active()
        .present_on(start)
        .with_status_on(start)
        .with_status(PovertyStatus.POOR, PovertyStatus.NEAR_POOR)
        .select_related("village")
        .prefetch_related("members")
        .order_by("village__position", "code")
    )
    reviewed = set(
        households.filter(reviews__round=review_round).values_list("id", flat=True)
    )
    return RoundStanding(review_round, list(listed), reviewed)


@dataclass(frozen=True)
class RoundCounts:
    """What the round's page says about its reviews, counted from the stored rows."""

    reviews: int  # phiếu rà soát of the round
    households: int  # households with at least one review in the round
    poor: int  # by the household's last review in the round
    near_poor: int
    medium: int
    not_poor: int


def round_counts(
    review_round: ReviewRound, households: HouseholdQuerySet
) -> RoundCounts:
    """Count the round's reviews of the visible households, and classify each
    household by its last review in the round."""
    reviews = Review.objects.filter(round=review_round, household__in=households)
    last = reviews.filter(household=OuterRef("household")).order_by(
        "-review_date", "-id"
    )
    latest = reviews.filter(pk=Subquery(last.values("pk")[:1]))
    by_status = latest.aggregate(
        households=Count("id"),
        **{
            status.value: Count("id", filter=Q(status=status))
            for status in PovertyStatus
        },
    )
    return RoundCounts(
        reviews=reviews.count(),
        households=by_status["households"],
        poor=by_status[PovertyStatus.POOR],
        near_poor=by_status[PovertyStatus.NEAR_POOR],
        medium=by_status[PovertyStatus.MEDIUM],
        not_poor=by_status[PovertyStatus.NOT_POOR],
    )
