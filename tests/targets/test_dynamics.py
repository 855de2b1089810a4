"""The diễn biến tables of 2024 (DOMAIN.md §3.8 reports 2 and 3) on a hand-made commune.

One household per movement: village A1 holds the poor movements, village A2 the
near-poor ones. Reviews are dated 20/11 of 2022, 2023 and 2024; the start of 2024 is
31/12/2023. Each household has its own number of members, so persons are checked too.
"""

from __future__ import annotations

from datetime import date

import pytest

from giamngheo.models import User
from households.models import ArchiveReason, Household, Member, Village
from households.transitions import Transition
from targets.dynamics import Dynamics, DynamicsRow, dynamics, household_transitions
from tests.conftest import make_household, make_review

pytestmark = pytest.mark.django_db

LONG_AGO = date(2015, 1, 1)
D22, D23, D24 = date(2022, 11, 20), date(2023, 11, 20), date(2024, 11, 20)
POOR, NEAR, NOT = "poor", "near_poor", "not_poor"
REVIEW = {
    POOR: {
        "income": 1_200_000,
        "deprived": ("viec_lam", "dinh_duong", "bao_hiem_y_te"),
    },
    NEAR: {"income": 1_200_000},
    NOT: {"income": 3_000_000},
}

# code: (village, persons, [(date, status)], registered_on, archived_on, movement)
CASES: dict[str, tuple[str, int, list[tuple[date, str]], date, date | None, str]] = {
    "A1-01": ("a1", 2, [(D23, POOR), (D24, POOR)], LONG_AGO, None, "remained_poor"),
    "A1-02": ("a1", 3, [(D23, POOR), (D24, NEAR)], LONG_AGO, None, "poor_to_near_poor"),
    "A1-03": ("a1", 4, [(D23, POOR), (D24, NOT)], LONG_AGO, None, "poor_escaped"),
    "A1-04": ("a1", 5, [(D23, POOR)], LONG_AGO, date(2024, 5, 1), "poor_left"),
    "A1-05": ("a1", 6, [(D23, NEAR), (D24, POOR)], LONG_AGO, None, "near_poor_to_poor"),
    "A1-06": (
        "a1",
        7,
        [(D22, POOR), (D23, NOT), (D24, POOR)],
        LONG_AGO,
        None,
        "refell_poor",
    ),
    "A1-07": (
        "a1",
        8,
        [(D22, NOT), (D23, NOT), (D24, POOR)],
        LONG_AGO,
        None,
        "new_poor",
    ),
    "A1-08": ("a1", 9, [(D24, POOR)], date(2024, 3, 1), None, "poor_added"),
    "A2-01": (
        "a2",
        1,
        [(D23, NEAR), (D24, NEAR)],
        LONG_AGO,
        None,
        "remained_near_poor",
    ),
    "A2-02": ("a2", 2, [(D23, NEAR), (D24, NOT)], LONG_AGO, None, "near_poor_escaped"),
    "A2-03": ("a2", 3, [(D23, NEAR)], LONG_AGO, date(2024, 8, 15), "near_poor_left"),
    "A2-04": (
        "a2",
        4,
        [(D22, NEAR), (D23, NOT), (D24, NEAR)],
        LONG_AGO,
        None,
        "refell_near_poor",
    ),
    "A2-05": (
        "a2",
        5,
        [(D22, NOT), (D23, NOT), (D24, NEAR)],
        LONG_AGO,
        None,
        "new_near_poor",
    ),
    "A2-06": ("a2", 6, [(D24, NEAR)], date(2024, 2, 1), None, "near_poor_added"),
    "A2-07": ("a2", 7, [(D23, NOT), (D24, NOT)], LONG_AGO, None, "none"),
    # Poor in 2022, archived before the start of 2024: in no column of 2024.
    "A2-08": ("a2", 8, [(D22, POOR)], LONG_AGO, date(2023, 6, 1), "none"),
}


@pytest.fixture
def commune(village_a1: Village, village_a2: Village) -> dict[str, Household]:
    villages = {"a1": village_a1, "a2": village_a2}
    households = {}
    for code, (village, persons, history, registered, archived, _) in CASES.items():
        household = make_household(villages[village], code, registered_on=registered)
        for n in range(persons - 1):
            Member.objects.create(
                household=household,
                full_name=f"Thành viên {n}",
                birth_year=2000,
                sex="female",
                relationship="child",
            )
        for day, status in history:
            make_review(household, on=day, **REVIEW[status])  # type: ignore[arg-type]
        if archived:
            household.archived_on = archived
            household.archive_reason = ArchiveReason.MOVED_AWAY
            household.save()
        households[code] = household
    # Registered after 2024: not in the 2024 tables at all.
    later = make_household(village_a1, "A1-99", registered_on=date(2025, 2, 1))
    make_review(later, on=date(2025, 3, 1), **REVIEW[POOR])  # type: ignore[arg-type]
    households["A1-99"] = later
    return households


def table_2024(villages: list[Village]) -> Dynamics:
    commune = villages[0].commune
    return dynamics(Household.objects.filter(commune=commune), villages, 2024)


def persons(*codes: str) -> int:
    return sum(CASES[c][1] for c in codes)


def columns(row: DynamicsRow) -> tuple[list[int], list[int]]:
    return list(row.households.values()), list(row.persons.values())


def test_the_statuses_of_the_fixture_are_the_intended_ones(
    commune: dict[str, Household],
) -> None:
    for code, (_, _, history, *_rest) in CASES.items():
        statuses = [
            r.status for r in commune[code].reviews.order_by("review_date", "id")
        ]
        assert statuses == [s for _, s in history], code


def test_each_household_gets_its_movement(commune: dict[str, Household]) -> None:
    moves = household_transitions(
        Household.objects.filter(commune=commune["A1-01"].commune), 2024
    )
    assert {commune[code].pk: moves[commune[code].pk][1] for code in CASES} == {
        commune[code].pk: Transition(case[5]) for code, case in CASES.items()
    }
    assert commune["A1-99"].pk not in moves
    village, _, people = moves[commune["A1-08"].pk]
    assert (village, people) == (commune["A1-08"].village_id, 9)


def test_poor_table_of_the_village_with_every_poor_movement(
    commune: dict[str, Household], village_a1: Village, village_a2: Village
) -> None:
    table = table_2024([village_a1, village_a2])
    a1 = table.poor[0]
    assert a1.name == "Làng Chiềng"
    #          1  2  3  4  5  6  7  8  9
    assert columns(a1) == (
        [4, 1, 1, 1, 1, 1, 1, 1, 5],
        [
            persons("A1-01", "A1-02", "A1-03", "A1-04"),
            persons("A1-02"),
            persons("A1-03"),
            persons("A1-04"),
            persons("A1-05"),
            persons("A1-06"),
            persons("A1-07"),
            persons("A1-08"),
            persons("A1-01", "A1-05", "A1-06", "A1-07", "A1-08"),
        ],
    )
    assert a1.persons[1] == 14
    assert a1.persons[9] == 32


def test_near_poor_table_of_the_village_with_every_poor_movement(
    commune: dict[str, Household], village_a1: Village, village_a2: Village
) -> None:
    a1 = table_2024([village_a1, village_a2]).near_poor[0]
    # Start: A1-05 near-poor; it becomes poor (2), A1-02 comes from poor (5).
    assert columns(a1) == (
        [1, 1, 0, 0, 1, 0, 0, 0, 1],
        [6, 6, 0, 0, 3, 0, 0, 0, 3],
    )


def test_near_poor_table_of_the_village_with_every_near_poor_movement(
    commune: dict[str, Household], village_a1: Village, village_a2: Village
) -> None:
    a2 = table_2024([village_a1, village_a2]).near_poor[1]
    assert a2.name == "Làng Bột"
    #          1  2  3  4  5  6  7  8  9
    assert columns(a2) == (
        [3, 0, 1, 1, 0, 1, 1, 1, 4],
        [
            persons("A2-01", "A2-02", "A2-03"),
            0,
            persons("A2-02"),
            persons("A2-03"),
            0,
            persons("A2-04"),
            persons("A2-05"),
            persons("A2-06"),
            persons("A2-01", "A2-04", "A2-05", "A2-06"),
        ],
    )


def test_poor_table_of_the_village_without_poor_households_is_zero(
    commune: dict[str, Household], village_a1: Village, village_a2: Village
) -> None:
    a2 = table_2024([village_a1, village_a2]).poor[1]
    assert columns(a2) == ([0] * 9, [0] * 9)


def test_totals_are_the_sum_of_the_villages(
    commune: dict[str, Household], village_a1: Village, village_a2: Village
) -> None:
    table = table_2024([village_a1, village_a2])
    assert table.poor_total.name == table.near_poor_total.name == "Toàn xã"
    assert columns(table.poor_total) == columns(table.poor[0])
    assert columns(table.near_poor_total) == (
        [4, 1, 1, 1, 1, 1, 1, 1, 5],
        [
            6 + 6,
            6,
            2,
            3,
            3,
            4,
            5,
            6,
            3 + 1 + 4 + 5 + 6,
        ],
    )
    for total, rows in (
        (table.poor_total, table.poor),
        (table.near_poor_total, table.near_poor),
    ):
        for c in range(1, 10):
            assert total.households[c] == sum(r.households[c] for r in rows)
            assert total.persons[c] == sum(r.persons[c] for r in rows)


def test_end_equals_start_minus_out_plus_in_for_every_row(
    commune: dict[str, Household], village_a1: Village, village_a2: Village
) -> None:
    table = table_2024([village_a1, village_a2])
    rows = [*table.poor, *table.near_poor, table.poor_total, table.near_poor_total]
    assert all(row.identity_holds() for row in rows)


def test_end_equals_start_minus_out_plus_in_every_year(
    commune: dict[str, Household], village_a1: Village, village_a2: Village
) -> None:
    for year in (2023, 2024, 2025):
        table = dynamics(
            Household.objects.filter(commune=village_a1.commune),
            [village_a1, village_a2],
            year,
        )
        for row in (*table.poor, *table.near_poor, table.poor_total):
            assert row.identity_holds(), (year, row.name)


def test_the_end_of_2023_is_the_start_of_2024(
    commune: dict[str, Household], village_a1: Village, village_a2: Village
) -> None:
    households = Household.objects.filter(commune=village_a1.commune)
    end_2023 = dynamics(households, [village_a1, village_a2], 2023)
    start_2024 = dynamics(households, [village_a1, village_a2], 2024)
    assert end_2023.poor_total.households[9] == start_2024.poor_total.households[1]
    assert (
        end_2023.near_poor_total.households[9]
        == start_2024.near_poor_total.households[1]
    )


def test_identity_holds_detects_a_wrong_row() -> None:
    row = DynamicsRow("Sai")
    row.add(1, 3)
    assert row.identity_holds() is False
    row.add(9, 3)
    assert row.identity_holds() is True
    row.persons[9] += 1
    assert row.identity_holds() is False


def test_households_behind_each_figure(
    commune: dict[str, Household], village_a1: Village, village_a2: Village
) -> None:
    table = table_2024([village_a1, village_a2])
    expected: dict[Transition, list[int]] = {}
    for code, case in CASES.items():
        expected.setdefault(Transition(case[5]), []).append(commune[code].pk)
    assert {k: sorted(v) for k, v in table.by_transition.items()} == {
        k: sorted(v) for k, v in expected.items()
    }
    assert table.by_transition[Transition.REFELL_POOR] == [commune["A1-06"].pk]
    assert table.by_transition[Transition.NEW_POOR] == [commune["A1-07"].pk]


def test_the_village_head_table_counts_only_their_village(
    commune: dict[str, Household], village_a1: Village, head_a1: User
) -> None:
    table = dynamics(Household.objects.visible_to(head_a1), [village_a1], 2024)
    assert [r.name for r in table.poor] == ["Làng Chiềng"]
    assert columns(table.poor_total) == columns(table.poor[0])
    assert columns(table.near_poor_total)[0] == [1, 1, 0, 0, 1, 0, 0, 0, 1]
    assert all(
        pk in {h.pk for h in commune.values() if h.village_id == village_a1.pk}
        for pks in table.by_transition.values()
        for pk in pks
    )


def test_households_of_villages_not_asked_for_are_left_out(
    commune: dict[str, Household], village_a1: Village, village_a2: Village
) -> None:
    table = table_2024([village_a2])
    assert columns(table.poor_total) == ([0] * 9, [0] * 9)
    assert table.near_poor_total.households[9] == 4
    assert Transition.REMAINED_POOR not in table.by_transition
