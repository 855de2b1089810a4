"""Measuring a target: comparators, whether a value meets it, and the gap.

Pure functions, tested without the database. The plan writes its service-access targets
as "trên 70 %" (over 70 %: `>`), "80 %" (at least: `>=`) or "100 %" (all: `=`); the
extract (§b) keeps the literal reading, so exactly 70 % does not meet "trên 70 %".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

from django.db import models

from households.rates import rate


class Comparator(models.TextChoices):
    GT = "gt", "trên"
    GTE = "gte", "từ … trở lên"
    EQ = "eq", "đạt"


def meets(ok: int, total: int, comparator: str, threshold: Decimal) -> bool:
    """Compare the exact share ok/total (not a rounded rate) with the threshold."""
    if total == 0:
        return True  # nobody to reach: nothing left to do
    share = Decimal(ok) * 100 / Decimal(total)
    if comparator == Comparator.GT:
        return share > threshold
    # "đạt 100 %" can only be reached by equality; read any EQ target as "at least".
    return share >= threshold


def required(total: int, comparator: str, threshold: Decimal) -> int:
    """The smallest count out of `total` that meets the target."""
    exact = Decimal(total) * threshold / 100
    if comparator == Comparator.GT:
        return min(total, int(exact.to_integral_value(rounding=ROUND_FLOOR)) + 1)
    return int(exact.to_integral_value(rounding=ROUND_CEILING))


def gap(ok: int, total: int, comparator: str, threshold: Decimal) -> int:
    """How many more households or persons must be reached to meet the target."""
    return max(0, required(total, comparator, threshold) - ok)


@dataclass(frozen=True)
class Measurement:
    ok: int
    total: int
    comparator: str
    threshold: Decimal

    @property
    def concerned(self) -> int:
        """Those not yet reached (the households or persons the gap is about)."""
        return self.total - self.ok

    @property
    def percent(self) -> Decimal | None:
        return rate(self.ok, self.total) if self.total else None

    @property
    def met(self) -> bool:
        return meets(self.ok, self.total, self.comparator, self.threshold)

    @property
    def gap(self) -> int:
        return gap(self.ok, self.total, self.comparator, self.threshold)


def reduction_progress(start: int, target_end: int, current: int) -> Decimal | None:
    """Share of the planned reduction achieved so far, in percent (None if no plan)."""
    planned = start - target_end
    if planned <= 0:
        return None
    return (Decimal(start - current) * 100 / Decimal(planned)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )


# The forecast of the year: the villages' plans against the reduction targets.


@dataclass(frozen=True)
class VillageForecast:
    """One village: its reduction target (None: none allocated), the households its
    plan expects to escape poverty, and whether that plan counts (handed in)."""

    target: int | None
    expected: int
    planned: bool

    @property
    def shortfall(self) -> int | None:
        """Households the forecast falls short of the target by; 0 when it meets or
        exceeds it, None without a target."""
        if self.target is None:
            return None
        return max(self.target - self.expected, 0)


@dataclass(frozen=True)
class Forecast:
    villages: dict[int, VillageForecast]
    target: int | None  # the reduction target of the whole (None: none set)

    @property
    def expected(self) -> int:
        return sum(v.expected for v in self.villages.values())

    @property
    def planned(self) -> int:
        """Villages whose plan counts in the forecast."""
        return sum(v.planned for v in self.villages.values())

    @property
    def shortfall(self) -> int | None:
        """Target minus forecast of the whole, 0 when the forecast meets it.

        Not the sum of the villages' shortfalls: a village expecting more than its
        target makes up for one expecting less, since the target is the commune's.
        """
        if self.target is None:
            return None
        return max(self.target - self.expected, 0)


def forecast(
    targets: Mapping[int, int | None],
    expected: Mapping[int, int],
    *,
    target: int | None = None,
) -> Forecast:
    """The forecast and shortfall of each village in `targets` and of their whole.

    `targets`: every village in scope, with its reduction target (None: none
    allocated). `expected`: the households expected to escape, per village whose plan
    counts (submitted or approved, `tasks.plan_forecast.expected_escapes`); a village
    missing from it (no plan, a draft or a returned plan) counts 0 expected escapes,
    so its whole target is short. `target`: the target of the whole when it has its
    own (the commune's reduction, `poor_start - poor_target_end`); by default the sum
    of the villages' targets, None when no village has one.
    """
    villages = {
        village: VillageForecast(
            target=village_target,
            expected=expected.get(village, 0),
            planned=village in expected,
        )
        for village, village_target in targets.items()
    }
    if target is None:
        known = [t for t in targets.values() if t is not None]
        target = sum(known) if known else None
    return Forecast(villages=villages, target=target)
