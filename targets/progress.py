"""Measuring a target: comparators, whether a value meets it, and the gap.

Pure functions, tested without the database. The plan writes its service-access targets
as "trên 70 %" (over 70 %: `>`), "80 %" (at least: `>=`) or "100 %" (all: `=`); the
extract (§b) keeps the literal reading, so exactly 70 % does not meet "trên 70 %".
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

from django.db import models

from households.poverty import rate


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
