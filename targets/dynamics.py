"""The "diễn biến" tables of the year-end review (DOMAIN.md §3.8 reports 2 and 3).

For every household of the scope the register gives its statuses at the start and the
end of the year; `households.transitions.transition` names the movement, and the tables
count movements per village, in households and in persons (phân tổ Hộ / Nhân khẩu).
Two queries, whatever the number of households.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count

from households import figures
from households.models import (
    Commune,
    Household,
    HouseholdQuerySet,
    StatusPeriod,
    Village,
)
from households.transitions import (
    NEAR_POOR_COLUMNS,
    POOR_COLUMNS,
    Transition,
    end_of,
    transition,
    year_facts,
)

COLUMNS = range(1, 10)


@dataclass
class DynamicsRow:
    """Columns 1–9 of a diễn biến table: 1 đầu kỳ, 2–4 giảm, 5–8 tăng, 9 cuối kỳ."""

    name: str
    households: dict[int, int] = field(
        default_factory=lambda: dict.fromkeys(COLUMNS, 0)
    )
    persons: dict[int, int] = field(default_factory=lambda: dict.fromkeys(COLUMNS, 0))

    def add(self, column: int, persons: int) -> None:
        self.households[column] += 1
        self.persons[column] += persons

    def identity_holds(self) -> bool:
        """9 = 1 − 2 − 3 − 4 + 5 + 6 + 7 + 8, for households and for persons."""
        return all(
            c[9] == c[1] - c[2] - c[3] - c[4] + c[5] + c[6] + c[7] + c[8]
            for c in (self.households, self.persons)
        )


@dataclass
class Dynamics:
    year: int
    poor: list[DynamicsRow]
    near_poor: list[DynamicsRow]
    poor_total: DynamicsRow
    near_poor_total: DynamicsRow
    # Household ids by movement, for the lists behind each figure.
    by_transition: dict[Transition, list[int]]


def household_transitions(
    households: HouseholdQuerySet, year: int, *, commune: Commune | None = None
) -> dict[int, tuple[int, Transition, int]]:
    """household id -> (village id, movement in `year`, persons now).

    `commune`: the households are that commune's (or some of its villages'): the
    whole commune's movements are then read from its cached figures
    (households/figures.py), computed once per change of its register."""
    if commune is not None:
        return figures.cached(
            commune.pk,
            f"transitions:{year}",
            lambda: household_transitions(
                Household.objects.filter(commune=commune), year
            ),
        )
    end = end_of(year)
    scope = households.filter(registered_on__lte=end)
    people = dict(scope.annotate(n=Count("members")).values_list("id", "n").order_by())
    info = {
        row[0]: row[1:]
        for row in scope.values_list(
            "id", "village_id", "registered_on", "archived_on"
        ).order_by()
    }
    history: dict[int, list[tuple[object, str]]] = defaultdict(list)
    # Each review counts from the day it took effect (a round's on its recognition):
    # the status periods (households/status_history.py) hold exactly that.
    reviews = (
        StatusPeriod.objects.filter(
            household__in=scope.values("id"), valid_from__lte=end
        )
        .order_by("valid_from")
        .values_list("household_id", "valid_from", "status")
    )
    for household_id, in_force_from, status in reviews:
        history[household_id].append((in_force_from, status))
    result = {}
    for household_id, (village_id, registered_on, archived_on) in info.items():
        facts = year_facts(
            history.get(household_id, []),  # type: ignore[arg-type]
            year=year,
            registered_on=registered_on,
            archived_on=archived_on,
        )
        result[household_id] = (
            village_id,
            transition(facts),
            people.get(household_id, 0),
        )
    return result


def dynamics(
    households: HouseholdQuerySet,
    villages: Iterable[Village],
    year: int,
    *,
    commune: Commune | None = None,
) -> Dynamics:
    """The year's movements per village.

    `commune`: the households are that commune's, restricted to `villages`: the table
    is then computed once per change of the commune's register (households/
    figures.py) for these villages."""
    villages = list(villages)
    if commune is not None:
        shown = ",".join(str(v.pk) for v in villages)
        return figures.cached(
            commune.pk,
            f"dynamics:{year}:{hashlib.sha256(shown.encode()).hexdigest()}",
            lambda: dynamics(Household.objects.filter(commune=commune), villages, year),
        )
    poor = {v.pk: DynamicsRow(v.name) for v in villages}
    near_poor = {v.pk: DynamicsRow(v.name) for v in villages}
    poor_total, near_poor_total = DynamicsRow("Toàn xã"), DynamicsRow("Toàn xã")
    by_transition: dict[Transition, list[int]] = defaultdict(list)

    start_poor = {
        Transition.REMAINED_POOR,
        Transition.POOR_TO_NEAR_POOR,
        Transition.POOR_ESCAPED,
        Transition.POOR_LEFT,
    }
    end_poor = {
        Transition.REMAINED_POOR,
        Transition.NEAR_POOR_TO_POOR,
        Transition.REFELL_POOR,
        Transition.NEW_POOR,
        Transition.POOR_ADDED,
    }
    start_near = {
        Transition.REMAINED_NEAR_POOR,
        Transition.NEAR_POOR_TO_POOR,
        Transition.NEAR_POOR_ESCAPED,
        Transition.NEAR_POOR_LEFT,
    }
    end_near = {
        Transition.REMAINED_NEAR_POOR,
        Transition.POOR_TO_NEAR_POOR,
        Transition.REFELL_NEAR_POOR,
        Transition.NEW_NEAR_POOR,
        Transition.NEAR_POOR_ADDED,
    }
    for household_id, (village_id, move, persons) in household_transitions(
        households, year
    ).items():
        if village_id not in poor:
            continue
        by_transition[move].append(household_id)
        for rows, starts, ends, columns in (
            ((poor[village_id], poor_total), start_poor, end_poor, POOR_COLUMNS),
            (
                (near_poor[village_id], near_poor_total),
                start_near,
                end_near,
                NEAR_POOR_COLUMNS,
            ),
        ):
            for row in rows:
                if move in starts:
                    row.add(1, persons)
                if move in columns:
                    row.add(columns[move], persons)
                if move in ends:
                    row.add(9, persons)
    return Dynamics(
        year=year,
        poor=list(poor.values()),
        near_poor=list(near_poor.values()),
        poor_total=poor_total,
        near_poor_total=near_poor_total,
        by_transition=dict(by_transition),
    )
