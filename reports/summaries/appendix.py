"""Phụ lục 01 "Giao chỉ tiêu giảm nghèo": the year's targets per village, from the
register (baseline) and the allocation, in a constant number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from households.models import Commune, HouseholdQuerySet, Village
from households.transitions import start_of
from targets.measurement import PovertyRow, poverty_progress
from targets.models import PovertyTarget


@dataclass(frozen=True)
class Appendix01Row:
    """A row of Phụ lục 01 "Giao chỉ tiêu giảm nghèo" (seed extract §e)."""

    number: str
    name: str
    households: int  # 1
    poor_start: int  # 2
    rate_start: Decimal | None  # 3 = 2/1×100
    reduction: int | None  # 4
    poor_target_end: int | None  # 5 = 2 − 4
    rate_target: Decimal | None  # 6 = 5/1×100

    @property
    def rate_reduction(self) -> Decimal | None:  # 7 = 3 − 6
        if self.rate_start is None or self.rate_target is None:
            return None
        return self.rate_start - self.rate_target


@dataclass(frozen=True)
class Appendix01:
    commune: Commune
    year: int
    baseline_date: date
    target: PovertyTarget | None
    rows: tuple[Appendix01Row, ...]
    total: Appendix01Row


def _row(number: str, row: PovertyRow) -> Appendix01Row:
    return Appendix01Row(
        number=number,
        name=row.name,
        households=row.households_start,
        poor_start=row.poor_start,
        rate_start=row.rate_start,
        reduction=row.poor_reduction,
        poor_target_end=row.poor_target_end,
        rate_target=row.rate_target,
    )


def appendix_01(
    commune: Commune,
    year: int,
    households: HouseholdQuerySet,
    villages: list[Village],
    *,
    whole_commune: bool,
) -> Appendix01:
    target = (
        PovertyTarget.objects.filter(commune=commune, year=year)
        .prefetch_related("allocations")
        .first()
    )
    progress = poverty_progress(
        year, target, households, villages, whole_commune=whole_commune
    )
    rows = tuple(_row(str(i), r) for i, r in enumerate(progress.villages, start=1))
    total = _row("", progress.total)
    if whole_commune:
        total = Appendix01Row(**{**total.__dict__, "name": "Tổng cộng toàn xã"})
    return Appendix01(
        commune=commune,
        year=year,
        baseline_date=start_of(year),
        target=target,
        rows=rows,
        total=total,
    )
