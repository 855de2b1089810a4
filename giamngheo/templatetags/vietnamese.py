"""Template filters for Vietnamese official writing (loaded as a builtin)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django import template
from django.utils.formats import number_format

from households.vietnamese_numbers import format_percent

register = template.Library()


@register.filter
def official_date(value: date | None) -> str:
    """ND 30/2020: "ngày 05 tháng 02 năm 2024" — day < 10 and months 1, 2 get a 0."""
    if value is None:
        return ""
    month = f"{value.month:02d}" if value.month < 3 else str(value.month)
    return f"ngày {value.day:02d} tháng {month} năm {value.year}"


@register.filter
def percent(value: Decimal | float | int | None, places: int = 2) -> str:
    """5.2075 -> "5,21 %" (half-up, decimal comma)."""
    if value is None:
        return ""
    return format_percent(value, int(places))


@register.filter
def vnd(value: int | Decimal | None) -> str:
    """1500000 -> "1.500.000 đ"."""
    if value is None:
        return ""
    return f"{number_format(int(value), force_grouping=True, use_l10n=True)} đ"


@register.filter
def status_label(value: str | None) -> str:
    """A stored status code ("near_poor") as people read it ("Hộ cận nghèo")."""
    from households.poverty import PovertyStatus

    if not value:
        return "Chưa rà soát"
    try:
        return str(PovertyStatus(value).label)
    except ValueError:
        return str(value)


@register.filter
def member_age(member: Any, on: date) -> int:
    return int(member.age_on(on))


@register.filter
def deprivation_names(review: Any) -> str:
    """The Vietnamese names of the indicators a review found deprived."""
    from households.poverty import INDICATORS_BY_SLUG

    return ", ".join(INDICATORS_BY_SLUG[s].name for s in review.deprived_slugs())


@register.filter
def rate_of(count: int, total: int) -> Decimal | None:
    """{{ poor|rate_of:households|percent }} -> "5,21 %"; nothing when total is 0."""
    from households.rates import rate

    return rate(int(count), int(total)) if total else None


@register.filter
def sub(value: int, other: int) -> int:
    """{{ target|sub:expected }}: what is still missing."""
    return int(value) - int(other)
