"""Report 10 (DOMAIN.md §3.8): poor and near-poor households grouped by the causes of
poverty.

The causes are recorded with the review (`Review.poverty_causes`, a list of
`PovertyCause` values), so every poor and near-poor household of the register on 31/12
counts, with the causes of the review that classified it (its latest up to that day).
A household counts once under each of its causes, so the causes of a line may add up
to more than its households; one whose review records no cause is counted under
"Chưa ghi nguyên nhân", never left out, so a blank is never read as "no cause".
1 query.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from households.models import Commune, HouseholdQuerySet, PovertyCause, Village
from households.transitions import end_of
from reports.summaries.review import (
    NEAR_POOR,
    POOR,
    Summary,
    _table,
)

CAUSES: tuple[PovertyCause, ...] = tuple(PovertyCause)
POOR_LINE = "Hộ nghèo"
NEAR_POOR_LINE = "Hộ cận nghèo"


@dataclass(frozen=True)
class _Classified:
    id: int
    village_id: int
    status: str
    causes: frozenset[str]


@dataclass(frozen=True)
class CauseCounts:
    unit: str  # C: "Hộ nghèo" / "Hộ cận nghèo"
    households: int  # D: households of the class
    by_cause: tuple[int, ...]  # 1–8, in CAUSES order
    unrecorded: int  # 9: no cause recorded with the review


@dataclass(frozen=True)
class CauseRow:
    number: str  # A
    name: str  # B
    poor: CauseCounts
    near_poor: CauseCounts

    @property
    def lines(self) -> tuple[CauseCounts, CauseCounts]:
        return (self.poor, self.near_poor)


@dataclass(frozen=True)
class ReviewCauses(Summary):
    rows: tuple[CauseRow, ...]
    total: CauseRow


def _counts(unit: str, households: list[_Classified]) -> CauseCounts:
    return CauseCounts(
        unit=unit,
        households=len(households),
        by_cause=tuple(sum(1 for h in households if c in h.causes) for c in CAUSES),
        unrecorded=sum(1 for h in households if not h.causes),
    )


def _row(number: str, name: str, households: list[_Classified]) -> CauseRow:
    return CauseRow(
        number=number,
        name=name,
        poor=_counts(POOR_LINE, [h for h in households if h.status == POOR]),
        near_poor=_counts(
            NEAR_POOR_LINE, [h for h in households if h.status == NEAR_POOR]
        ),
    )


def review_causes(
    commune: Commune,
    year: int,
    households: HouseholdQuerySet,
    villages: Sequence[Village],
    *,
    whole_commune: bool = True,
) -> ReviewCauses:
    end = end_of(year)
    known = set(PovertyCause.values)
    classified = [
        _Classified(
            household_id,
            village_id,
            status,
            frozenset(str(c) for c in (causes or []) if c in known),
        )
        for household_id, village_id, status, causes in (
            households.present_on(end)
            .with_status_on(end)
            .with_status(POOR, NEAR_POOR)
            .with_poverty_causes_on(end)
            .order_by("code")
            .values_list("id", "village_id", "status", "poverty_causes")
        )
    ]
    rows, total = _table(classified, villages, _row, whole_commune=whole_commune)
    return ReviewCauses(commune=commune, year=year, on=end, rows=rows, total=total)
