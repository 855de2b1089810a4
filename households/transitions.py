"""How a household moved between the start and the end of a year.

The "diễn biến" tables of the annual review (DOMAIN.md §3.8 reports 2 and 3, §4.1)
compare each household's status at the start of the year (the previous year's review)
with its status at the end. This module names that movement; it is a pure function,
and the tables count its results, so `end = start − out + in` holds by construction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.db import models

from households.poverty import PovertyStatus

POOR = PovertyStatus.POOR.value
NEAR_POOR = PovertyStatus.NEAR_POOR.value


class Transition(models.TextChoices):
    REMAINED_POOR = "remained_poor", "Hộ nghèo cũ (vẫn nghèo)"
    POOR_TO_NEAR_POOR = "poor_to_near_poor", "Thoát nghèo, trở thành hộ cận nghèo"
    POOR_ESCAPED = "poor_escaped", "Thoát nghèo, vượt chuẩn cận nghèo"
    POOR_LEFT = "poor_left", "Hộ nghèo khác giảm (chuyển đi, giải thể, nhập hộ)"
    NEAR_POOR_TO_POOR = "near_poor_to_poor", "Hộ cận nghèo trở thành hộ nghèo"
    REFELL_POOR = "refell_poor", "Tái nghèo"
    NEW_POOR = "new_poor", "Hộ nghèo phát sinh mới"
    POOR_ADDED = "poor_added", "Hộ nghèo khác tăng (chuyển đến, tách hộ)"
    REMAINED_NEAR_POOR = "remained_near_poor", "Hộ cận nghèo cũ (vẫn cận nghèo)"
    NEAR_POOR_ESCAPED = "near_poor_escaped", "Thoát cận nghèo"
    NEAR_POOR_LEFT = (
        "near_poor_left",
        "Hộ cận nghèo khác giảm (chuyển đi, giải thể, nhập hộ)",
    )
    REFELL_NEAR_POOR = "refell_near_poor", "Tái cận nghèo"
    NEW_NEAR_POOR = "new_near_poor", "Hộ cận nghèo phát sinh mới"
    NEAR_POOR_ADDED = "near_poor_added", "Hộ cận nghèo khác tăng (chuyển đến, tách hộ)"
    NONE = "none", "Không thuộc diện nghèo, cận nghèo"


ESCAPED_POVERTY = frozenset({Transition.POOR_TO_NEAR_POOR, Transition.POOR_ESCAPED})

# Report 2 (diễn biến hộ nghèo) and report 3 (hộ cận nghèo): the column each movement
# is counted in. Columns 1 (đầu kỳ) and 9 (cuối kỳ) are the statuses themselves.
POOR_COLUMNS: dict[Transition, int] = {
    Transition.POOR_TO_NEAR_POOR: 2,
    Transition.POOR_ESCAPED: 3,
    Transition.POOR_LEFT: 4,
    Transition.NEAR_POOR_TO_POOR: 5,
    Transition.REFELL_POOR: 6,
    Transition.NEW_POOR: 7,
    Transition.POOR_ADDED: 8,
}
NEAR_POOR_COLUMNS: dict[Transition, int] = {
    Transition.NEAR_POOR_TO_POOR: 2,
    Transition.NEAR_POOR_ESCAPED: 3,
    Transition.NEAR_POOR_LEFT: 4,
    Transition.POOR_TO_NEAR_POOR: 5,
    Transition.REFELL_NEAR_POOR: 6,
    Transition.NEW_NEAR_POOR: 7,
    Transition.NEAR_POOR_ADDED: 8,
}


@dataclass(frozen=True)
class YearFacts:
    """What the register says about one household for one year.

    `start`/`end` are the statuses of the latest review up to 31/12 of the previous year
    and up to the end of the year (None when never reviewed); `present_*` whether the
    household was on the register (registered, not archived) on those dates; `*_before`
    whether a review earlier than the start one found it poor / near-poor.
    """

    start: str | None
    end: str | None
    present_at_start: bool = True
    present_at_end: bool = True
    poor_before: bool = False
    near_poor_before: bool = False


def transition(facts: YearFacts) -> Transition:
    start = facts.start if facts.present_at_start else None
    end = facts.end if facts.present_at_end else None

    if start == POOR:
        if not facts.present_at_end:
            return Transition.POOR_LEFT
        if end == POOR:
            return Transition.REMAINED_POOR
        if end == NEAR_POOR:
            return Transition.POOR_TO_NEAR_POOR
        return Transition.POOR_ESCAPED
    if end == POOR:
        if not facts.present_at_start:
            return Transition.POOR_ADDED
        if start == NEAR_POOR:
            return Transition.NEAR_POOR_TO_POOR
        # Tái nghèo: escaped earlier and poor again; otherwise newly poor.
        return Transition.REFELL_POOR if facts.poor_before else Transition.NEW_POOR
    if start == NEAR_POOR:
        if not facts.present_at_end:
            return Transition.NEAR_POOR_LEFT
        if end == NEAR_POOR:
            return Transition.REMAINED_NEAR_POOR
        return Transition.NEAR_POOR_ESCAPED
    if end == NEAR_POOR:
        if not facts.present_at_start:
            return Transition.NEAR_POOR_ADDED
        if facts.near_poor_before:
            return Transition.REFELL_NEAR_POOR
        return Transition.NEW_NEAR_POOR
    return Transition.NONE


def start_of(year: int) -> date:
    """The date whose status is "at the start of `year`": 31/12 of the year before."""
    return date(year - 1, 12, 31)


def end_of(year: int) -> date:
    return date(year, 12, 31)


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - a month always has 28 days


def recently_escaped(recognised_on: date, *, on: date, months: int) -> bool:
    """ "Hộ mới thoát nghèo" for `months` months from the recognition date."""
    return recognised_on <= on < add_months(recognised_on, months)


def year_facts(
    history: Sequence[tuple[date, str]],
    *,
    year: int,
    registered_on: date,
    archived_on: date | None,
) -> YearFacts:
    """YearFacts from a household's reviews as (date, status), oldest first."""
    start_day, end_day = start_of(year), end_of(year)
    start = end = None
    poor_before = near_poor_before = False
    for day, status in history:
        if day <= start_day:
            start = status
            poor_before = poor_before or status == POOR
            near_poor_before = near_poor_before or status == NEAR_POOR
        if day <= end_day:
            end = status
    return YearFacts(
        start=start,
        end=end,
        present_at_start=registered_on <= start_day
        and (archived_on is None or archived_on > start_day),
        present_at_end=registered_on <= end_day
        and (archived_on is None or archived_on > end_day),
        poor_before=poor_before,
        near_poor_before=near_poor_before,
    )


@dataclass(frozen=True)
class YearRow:
    year: int
    start: str | None
    end: str | None
    movement: Transition


def yearly_movements(
    history: Sequence[tuple[date, str]],
    *,
    registered_on: date,
    archived_on: date | None,
    until: int,
) -> list[YearRow]:
    """One row per year from the year after the first review up to `until`."""
    if not history:
        return []
    rows = []
    for year in range(history[0][0].year + 1, until + 1):
        facts = year_facts(
            history, year=year, registered_on=registered_on, archived_on=archived_on
        )
        rows.append(YearRow(year, facts.start, facts.end, transition(facts)))
    return rows
