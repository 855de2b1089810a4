"""How a household moved during a year (DOMAIN.md §4.1): pure functions, no database.

Each movement of the diễn biến tables has one test through `transition(YearFacts(...))`
and one through `year_facts(...)` from a hand-made history of (review date, status),
for the year 2024: the start is 31/12/2023, the end 31/12/2024.
"""

from __future__ import annotations

from datetime import date

import pytest

from households.transitions import (
    ESCAPED_POVERTY,
    NEAR_POOR_COLUMNS,
    POOR_COLUMNS,
    Transition,
    YearFacts,
    YearRow,
    add_months,
    end_of,
    recently_escaped,
    start_of,
    transition,
    year_facts,
    yearly_movements,
)

POOR, NEAR, MEDIUM, NOT = "poor", "near_poor", "medium", "not_poor"
LONG_AGO = date(2015, 1, 1)
D22, D23, D24 = date(2022, 11, 20), date(2023, 11, 20), date(2024, 11, 20)

# --- transition(YearFacts) -----------------------------------------------------------

FACTS: dict[Transition, YearFacts] = {
    Transition.REMAINED_POOR: YearFacts(start=POOR, end=POOR),
    Transition.POOR_TO_NEAR_POOR: YearFacts(start=POOR, end=NEAR),
    Transition.POOR_ESCAPED: YearFacts(start=POOR, end=NOT),
    Transition.POOR_LEFT: YearFacts(start=POOR, end=POOR, present_at_end=False),
    Transition.NEAR_POOR_TO_POOR: YearFacts(start=NEAR, end=POOR),
    Transition.REFELL_POOR: YearFacts(start=NOT, end=POOR, poor_before=True),
    Transition.NEW_POOR: YearFacts(start=NOT, end=POOR),
    Transition.POOR_ADDED: YearFacts(start=None, end=POOR, present_at_start=False),
    Transition.REMAINED_NEAR_POOR: YearFacts(start=NEAR, end=NEAR),
    Transition.NEAR_POOR_ESCAPED: YearFacts(start=NEAR, end=MEDIUM),
    Transition.NEAR_POOR_LEFT: YearFacts(start=NEAR, end=NEAR, present_at_end=False),
    Transition.REFELL_NEAR_POOR: YearFacts(start=NOT, end=NEAR, near_poor_before=True),
    Transition.NEW_NEAR_POOR: YearFacts(start=NOT, end=NEAR),
    Transition.NEAR_POOR_ADDED: YearFacts(start=None, end=NEAR, present_at_start=False),
    Transition.NONE: YearFacts(start=NOT, end=MEDIUM),
}


def test_every_movement_has_a_case() -> None:
    assert set(FACTS) == set(Transition)


@pytest.mark.parametrize("kind", list(Transition), ids=[t.value for t in Transition])
def test_transition_names_each_movement_from_the_year_facts(kind: Transition) -> None:
    assert transition(FACTS[kind]) == kind


def test_refell_poor_and_new_poor_differ_only_by_an_earlier_poor_review() -> None:
    refell = YearFacts(start=NOT, end=POOR, poor_before=True)
    new = YearFacts(start=NOT, end=POOR, poor_before=False)
    assert transition(refell) == Transition.REFELL_POOR
    assert transition(new) == Transition.NEW_POOR


def test_refell_near_poor_and_new_near_poor_differ_only_by_an_earlier_review() -> None:
    refell = YearFacts(start=MEDIUM, end=NEAR, near_poor_before=True)
    new = YearFacts(start=MEDIUM, end=NEAR, near_poor_before=False)
    assert transition(refell) == Transition.REFELL_NEAR_POOR
    assert transition(new) == Transition.NEW_NEAR_POOR


def test_a_household_never_reviewed_that_becomes_poor_is_new_poor() -> None:
    assert transition(YearFacts(start=None, end=POOR)) == Transition.NEW_POOR


def test_a_household_neither_present_at_start_nor_at_end_did_not_move() -> None:
    facts = YearFacts(
        start=POOR, end=POOR, present_at_start=False, present_at_end=False
    )
    assert transition(facts) == Transition.NONE


def test_the_movement_labels_are_the_names_of_the_report() -> None:
    assert Transition.REFELL_POOR.label == "Tái nghèo"
    assert Transition.NEW_POOR.label == "Hộ nghèo phát sinh mới"
    assert Transition.POOR_TO_NEAR_POOR.label == "Thoát nghèo, trở thành hộ cận nghèo"
    assert Transition.POOR_ESCAPED.label == "Thoát nghèo, vượt chuẩn cận nghèo"
    assert Transition.REFELL_NEAR_POOR.label == "Tái cận nghèo"
    assert Transition.NEW_NEAR_POOR.label == "Hộ cận nghèo phát sinh mới"


def test_escaping_poverty_is_becoming_near_poor_or_above_the_near_poor_line() -> None:
    assert (
        frozenset({Transition.POOR_TO_NEAR_POOR, Transition.POOR_ESCAPED})
        == ESCAPED_POVERTY
    )


def test_each_table_column_holds_one_movement() -> None:
    assert sorted(POOR_COLUMNS.values()) == list(range(2, 9))
    assert sorted(NEAR_POOR_COLUMNS.values()) == list(range(2, 9))
    # Poor → near-poor leaves the poor table (col. 2) and enters the near-poor one (5).
    assert POOR_COLUMNS[Transition.POOR_TO_NEAR_POOR] == 2
    assert NEAR_POOR_COLUMNS[Transition.POOR_TO_NEAR_POOR] == 5
    assert NEAR_POOR_COLUMNS[Transition.NEAR_POOR_TO_POOR] == 2
    assert POOR_COLUMNS[Transition.NEAR_POOR_TO_POOR] == 5


# --- year_facts from a history -------------------------------------------------------

History = list[tuple[date, str]]
# (history, registered_on, archived_on) for the year 2024.
HISTORIES: dict[Transition, tuple[History, date, date | None]] = {
    Transition.REMAINED_POOR: ([(D23, POOR), (D24, POOR)], LONG_AGO, None),
    Transition.POOR_TO_NEAR_POOR: ([(D23, POOR), (D24, NEAR)], LONG_AGO, None),
    Transition.POOR_ESCAPED: ([(D23, POOR), (D24, NOT)], LONG_AGO, None),
    Transition.POOR_LEFT: ([(D23, POOR)], LONG_AGO, date(2024, 6, 1)),
    Transition.NEAR_POOR_TO_POOR: ([(D23, NEAR), (D24, POOR)], LONG_AGO, None),
    Transition.REFELL_POOR: ([(D22, POOR), (D23, NOT), (D24, POOR)], LONG_AGO, None),
    Transition.NEW_POOR: ([(D22, NOT), (D23, NOT), (D24, POOR)], LONG_AGO, None),
    Transition.POOR_ADDED: ([(date(2024, 3, 10), POOR)], date(2024, 3, 1), None),
    Transition.REMAINED_NEAR_POOR: ([(D23, NEAR), (D24, NEAR)], LONG_AGO, None),
    Transition.NEAR_POOR_ESCAPED: ([(D23, NEAR), (D24, NOT)], LONG_AGO, None),
    Transition.NEAR_POOR_LEFT: ([(D23, NEAR)], LONG_AGO, date(2024, 9, 30)),
    Transition.REFELL_NEAR_POOR: (
        [(D22, NEAR), (D23, MEDIUM), (D24, NEAR)],
        LONG_AGO,
        None,
    ),
    Transition.NEW_NEAR_POOR: (
        [(D22, NOT), (D23, MEDIUM), (D24, NEAR)],
        LONG_AGO,
        None,
    ),
    Transition.NEAR_POOR_ADDED: ([(date(2024, 5, 2), NEAR)], date(2024, 5, 1), None),
    # Poor in 2022, archived before the start of 2024: not in the 2024 tables.
    Transition.NONE: ([(D22, POOR)], LONG_AGO, date(2023, 6, 1)),
}


def test_every_movement_has_a_history() -> None:
    assert set(HISTORIES) == set(Transition)


@pytest.mark.parametrize("kind", list(Transition), ids=[t.value for t in Transition])
def test_year_facts_of_a_history_give_each_movement(kind: Transition) -> None:
    history, registered_on, archived_on = HISTORIES[kind]
    facts = year_facts(
        history, year=2024, registered_on=registered_on, archived_on=archived_on
    )
    assert transition(facts) == kind


def test_refell_poor_and_new_poor_histories_share_start_and_end() -> None:
    refell = year_facts(
        HISTORIES[Transition.REFELL_POOR][0],
        year=2024,
        registered_on=LONG_AGO,
        archived_on=None,
    )
    new = year_facts(
        HISTORIES[Transition.NEW_POOR][0],
        year=2024,
        registered_on=LONG_AGO,
        archived_on=None,
    )
    assert (refell.start, refell.end) == (new.start, new.end) == (NOT, POOR)
    assert refell.poor_before is True
    assert new.poor_before is False


def test_refell_near_poor_and_new_near_poor_histories_share_start_and_end() -> None:
    refell = year_facts(
        HISTORIES[Transition.REFELL_NEAR_POOR][0],
        year=2024,
        registered_on=LONG_AGO,
        archived_on=None,
    )
    new = year_facts(
        HISTORIES[Transition.NEW_NEAR_POOR][0],
        year=2024,
        registered_on=LONG_AGO,
        archived_on=None,
    )
    assert (refell.start, refell.end) == (new.start, new.end) == (MEDIUM, NEAR)
    assert refell.near_poor_before is True
    assert new.near_poor_before is False


def test_year_facts_take_the_latest_review_up_to_each_boundary() -> None:
    history = [
        (date(2023, 3, 1), POOR),
        (date(2023, 12, 31), NEAR),  # the start day itself counts for the start
        (date(2024, 12, 31), NOT),  # the end day itself counts for the end
        (date(2025, 1, 1), POOR),  # after the year: ignored
    ]
    facts = year_facts(history, year=2024, registered_on=LONG_AGO, archived_on=None)
    assert facts == YearFacts(
        start=NEAR,
        end=NOT,
        present_at_start=True,
        present_at_end=True,
        poor_before=True,
        near_poor_before=True,
    )


def test_a_review_during_the_year_does_not_count_as_before() -> None:
    # Poor only in March 2024, not poor at both ends: no movement, and no "before".
    history = [(D23, NOT), (date(2024, 3, 1), POOR), (D24, NOT)]
    facts = year_facts(history, year=2024, registered_on=LONG_AGO, archived_on=None)
    assert facts.poor_before is False
    assert transition(facts) == Transition.NONE


def test_archived_on_the_start_day_is_absent_at_the_start() -> None:
    facts = year_facts(
        [(D23, POOR)], year=2024, registered_on=LONG_AGO, archived_on=date(2023, 12, 31)
    )
    assert facts.present_at_start is False
    assert transition(facts) == Transition.NONE


def test_archived_on_the_end_day_has_left_during_the_year() -> None:
    facts = year_facts(
        [(D23, POOR)], year=2024, registered_on=LONG_AGO, archived_on=date(2024, 12, 31)
    )
    assert facts.present_at_start is True
    assert facts.present_at_end is False
    assert transition(facts) == Transition.POOR_LEFT


def test_archived_after_the_year_is_present_at_both_ends() -> None:
    facts = year_facts(
        [(D23, POOR), (D24, POOR)],
        year=2024,
        registered_on=LONG_AGO,
        archived_on=date(2025, 1, 1),
    )
    assert facts.present_at_start and facts.present_at_end
    assert transition(facts) == Transition.REMAINED_POOR


def test_registered_on_the_start_day_is_present_at_the_start() -> None:
    facts = year_facts(
        [(D23, POOR), (D24, POOR)],
        year=2024,
        registered_on=date(2023, 12, 31),
        archived_on=None,
    )
    assert facts.present_at_start is True
    assert transition(facts) == Transition.REMAINED_POOR


def test_a_household_without_any_review_did_not_move() -> None:
    facts = year_facts([], year=2024, registered_on=LONG_AGO, archived_on=None)
    assert facts == YearFacts(start=None, end=None)
    assert transition(facts) == Transition.NONE


def test_start_and_end_of_a_year() -> None:
    assert start_of(2024) == date(2023, 12, 31)
    assert end_of(2024) == date(2024, 12, 31)


# --- add_months and "hộ mới thoát nghèo" ---------------------------------------------


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2024, 1, 31), 1, date(2024, 2, 29)),  # leap year
        (date(2023, 1, 31), 1, date(2023, 2, 28)),
        (date(2024, 3, 31), 1, date(2024, 4, 30)),
        (date(2023, 12, 14), 36, date(2026, 12, 14)),
        (date(2024, 2, 29), 36, date(2027, 2, 28)),
        (date(2024, 2, 29), 48, date(2028, 2, 29)),
        (date(2024, 11, 30), 2, date(2025, 1, 30)),  # over the new year
        (date(2024, 3, 15), 0, date(2024, 3, 15)),
    ],
)
def test_add_months_keeps_the_day_or_the_last_day_of_the_month(
    day: date, months: int, expected: date
) -> None:
    assert add_months(day, months) == expected


def test_recently_escaped_lasts_until_the_day_before_the_end() -> None:
    recognised = date(2023, 12, 14)  # ends 14/12/2026
    assert recently_escaped(recognised, on=date(2026, 12, 13), months=36) is True
    assert recently_escaped(recognised, on=date(2026, 12, 14), months=36) is False
    assert recently_escaped(recognised, on=date(2027, 6, 1), months=36) is False


def test_recently_escaped_starts_on_the_recognition_day() -> None:
    recognised = date(2023, 12, 14)
    assert recently_escaped(recognised, on=date(2023, 12, 13), months=36) is False
    assert recently_escaped(recognised, on=date(2023, 12, 14), months=36) is True


def test_recently_escaped_recognised_on_31_january_ends_at_month_end() -> None:
    recognised = date(2024, 1, 31)  # one month later: 29/02/2024
    assert recently_escaped(recognised, on=date(2024, 2, 28), months=1) is True
    assert recently_escaped(recognised, on=date(2024, 2, 29), months=1) is False


# --- yearly_movements ----------------------------------------------------------------


def test_yearly_movements_give_one_row_per_year_after_the_first_review() -> None:
    history = [
        (D22, POOR),
        (D23, POOR),
        (D24, NEAR),
        (date(2025, 11, 20), NOT),
        (date(2026, 11, 20), POOR),
    ]
    rows = yearly_movements(
        history, registered_on=LONG_AGO, archived_on=None, until=2026
    )
    assert rows == [
        YearRow(2023, POOR, POOR, Transition.REMAINED_POOR),
        YearRow(2024, POOR, NEAR, Transition.POOR_TO_NEAR_POOR),
        YearRow(2025, NEAR, NOT, Transition.NEAR_POOR_ESCAPED),
        YearRow(2026, NOT, POOR, Transition.REFELL_POOR),
    ]


def test_yearly_movements_continue_without_new_reviews_up_to_the_last_year() -> None:
    rows = yearly_movements(
        [(D22, POOR)], registered_on=LONG_AGO, archived_on=None, until=2024
    )
    assert [(r.year, r.movement) for r in rows] == [
        (2023, Transition.REMAINED_POOR),
        (2024, Transition.REMAINED_POOR),
    ]


def test_yearly_movements_show_the_year_the_household_left() -> None:
    rows = yearly_movements(
        [(D22, POOR)],
        registered_on=LONG_AGO,
        archived_on=date(2024, 4, 1),
        until=2025,
    )
    assert [(r.year, r.movement) for r in rows] == [
        (2023, Transition.REMAINED_POOR),
        (2024, Transition.POOR_LEFT),
        (2025, Transition.NONE),
    ]


def test_yearly_movements_of_a_household_never_reviewed_are_empty() -> None:
    assert (
        yearly_movements([], registered_on=LONG_AGO, archived_on=None, until=2026) == []
    )


def test_yearly_movements_of_a_first_review_this_year_are_empty() -> None:
    rows = yearly_movements(
        [(date(2026, 10, 1), POOR)],
        registered_on=LONG_AGO,
        archived_on=None,
        until=2026,
    )
    assert rows == []
