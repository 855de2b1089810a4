"""The periodic review round: open it, review household after household, close it.

QĐ 24/2021/QĐ-TTg Điều 4: the round reviews (a) the households the commune manages as
poor or near-poor and (b) those that asked to be reviewed; here (b) is any household the
officer reviews during the round.
"""

from __future__ import annotations

from dataclasses import dataclass

from households.models import Household, HouseholdQuerySet, ReviewRound
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
