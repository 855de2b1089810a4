"""The review tables of a year (DOMAIN.md §3.8): every figure of reports 1–9 and
11–15, computed once from the register as it stood on 31/12 of the year.

A household counts when it is on the register that day (`present_on(end)`); its class
is its latest review up to that day (`with_status_on(end)`), and so are its
deprivations (`with_indicators_on(end, …)`). Members carry no dates in the register, so
persons are the household's members as recorded now — the rule `targets.dynamics` uses
too, which keeps report 1's figures equal to column 9 of reports 2 and 3.

Each function reads a few flat `values_list()` results (households, members, and for
some reports the deprivations or the year's movements) and counts in Python, so the
number of queries never depends on the number of households or villages. Every row,
the commune total included, is computed by the same function from a list of
households, so a total can never disagree with its rows.

Report 10 (nguyên nhân nghèo) reads the causes recorded with the reviews and lives in
`reports.summaries.causes`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Protocol

from django.db.models import Count, F, FilteredRelation, Q

from households import figures
from households.indicators import (
    BHYT_MIN_AGE,
    CHILD_UNTIL,
    SCHOOL_AGE_FROM,
    SCHOOL_AGE_UNTIL,
    MemberFacts,
)
from households.models import (
    Commune,
    Ethnicity,
    Household,
    HouseholdQuerySet,
    MediumLivingDetermination,
    Relationship,
    Sex,
    Village,
)
from households.poverty import INDICATOR_SLUGS, PovertyStatus
from households.rates import rate
from households.transitions import end_of
from targets.dynamics import DynamicsRow, dynamics, household_transitions
from tasks.models import HouseholdPlan, PlanStatus

POOR = PovertyStatus.POOR.value
NEAR_POOR = PovertyStatus.NEAR_POOR.value
MEDIUM = PovertyStatus.MEDIUM.value
KINH = Ethnicity.KINH.value
HOUSEHOLD = "Hộ"
PERSONS = "Nhân khẩu"


def total_name(whole_commune: bool) -> str:
    return "Tổng cộng toàn xã" if whole_commune else "Cộng"


def _rate(count: int, total: int) -> Decimal | None:
    """Percent, 2 decimals, half-up; nothing when there is nothing to divide by."""
    return rate(count, total) if total > 0 else None


# --- What the register says on 31/12 --------------------------------------------------


@dataclass(frozen=True)
class Person:
    id: int
    full_name: str
    birth_year: int
    birth_date: date | None
    sex: str
    relationship: str
    ethnicity: str
    has_health_insurance: bool
    health_insurance_expiry: date | None
    attends_school: bool | None
    stunted: bool
    underweight: bool
    health_insurance_number: str = ""

    @property
    def malnourished(self) -> bool:
        return self.stunted or self.underweight

    def facts(self) -> MemberFacts:
        return MemberFacts(
            full_name=self.full_name,
            birth_year=self.birth_year,
            birth_date=self.birth_date,
            has_health_insurance=self.has_health_insurance,
            health_insurance_expiry=self.health_insurance_expiry,
            attends_school=self.attends_school,
            stunted=self.stunted,
            underweight=self.underweight,
        )


@dataclass(frozen=True)
class Entry:
    """One household on the register on the end date, with its members."""

    id: int
    code: str
    village_id: int
    status: str | None
    ethnicity: str
    has_meritorious_person: bool
    no_labour_capacity: bool
    members: tuple[Person, ...]

    @property
    def persons(self) -> int:
        return len(self.members)

    @property
    def ethnic_minority(self) -> bool:
        return self.ethnicity != KINH


def register_on(households: HouseholdQuerySet, end: date) -> list[Entry]:
    """The households present on `end`, their class then, their members. 2 queries."""
    present = households.present_on(end)
    members: dict[int, list[Person]] = defaultdict(list)
    for household_id, *fields in (
        present.their_members()
        .order_by("household_id", "id")
        .values_list(
            "household_id",
            "id",
            "full_name",
            "birth_year",
            "birth_date",
            "sex",
            "relationship",
            "ethnicity",
            "has_health_insurance",
            "health_insurance_expiry",
            "attends_school",
            "stunted",
            "underweight",
            "health_insurance_number",
        )
    ):
        members[household_id].append(Person(*fields))
    rows = (
        present.with_status_on(end)
        .order_by("code")
        .values_list(
            "id",
            "code",
            "village_id",
            "status",
            "ethnicity",
            "has_meritorious_person",
            "no_labour_capacity",
        )
    )
    return [Entry(*row, members=_head_first(members.get(row[0], []))) for row in rows]


@dataclass(frozen=True)
class Counted:
    """Households present on the end date of one village, one class then, and
    whether the medium living standard is recognised for them: how many, and how
    many members (report 1 counts, it reads no member)."""

    village_id: int
    status: str | None
    medium: bool
    households: int
    persons: int


def counted_on(
    households: HouseholdQuerySet, end: date, medium_living: set[int]
) -> list[Counted]:
    """The register on `end` counted by the database, per village, class and
    recognised medium living standard (2 queries): a commune of 20,000 households has
    some 80,000 members, and report 1 only counts them."""
    grouped = (
        households.present_on(end)
        .with_status_on(end)
        .annotate(medium=Q(id__in=medium_living))
        .values("village_id", "status", "medium")
        .order_by()
    )
    # Two plain aggregates: counting households over the members' join would need
    # COUNT(DISTINCT), a sort of every member.
    # Members joined within the commune: read through `Member.commune`'s index.
    own_members = FilteredRelation(
        "members", condition=Q(members__commune_id=F("commune_id"))
    )
    persons = {
        (village, status, medium): count
        for village, status, medium, count in grouped.alias(own_members=own_members)
        .annotate(count=Count("own_members"))
        .values_list("village_id", "status", "medium", "count")
    }
    return [
        Counted(
            village, status, medium, count, persons.get((village, status, medium), 0)
        )
        for village, status, medium, count in grouped.annotate(
            count=Count("id")
        ).values_list("village_id", "status", "medium", "count")
    ]


def _head_first(members: list[Person]) -> tuple[Person, ...]:
    return tuple(
        sorted(members, key=lambda m: (m.relationship != Relationship.HEAD, m.id))
    )


class _InVillage(Protocol):
    @property
    def village_id(self) -> int: ...


def _by_village[T: _InVillage](
    items: Iterable[T], villages: Sequence[Village]
) -> tuple[dict[int, list[T]], list[T]]:
    """Items per village of `villages` (in their order), and all of them together."""
    grouped: dict[int, list[T]] = {v.pk: [] for v in villages}
    for item in items:
        if item.village_id in grouped:
            grouped[item.village_id].append(item)
    return grouped, [i for rows in grouped.values() for i in rows]


def _table[T: _InVillage, R](
    items: Iterable[T],
    villages: Sequence[Village],
    make: Callable[[str, str, list[T]], R],
    *,
    whole_commune: bool,
) -> tuple[tuple[R, ...], R]:
    """One row per village by `make`, and the total row by the same `make`."""
    grouped, everyone = _by_village(items, villages)
    rows = tuple(
        make(str(number), village.name, grouped[village.pk])
        for number, village in enumerate(villages, start=1)
    )
    return rows, make("", total_name(whole_commune), everyone)


@dataclass(frozen=True)
class Summary:
    commune: Commune
    year: int
    on: date

    @property
    def show_total(self) -> bool:
        return len(getattr(self, "rows", ())) > 1


# --- Report 1: kết quả chính thức rà soát ---------------------------------------------


@dataclass(frozen=True)
class ResultRow:
    number: str  # A
    name: str  # B
    households: int  # 1
    persons: int  # 2
    poor: int  # 3
    near_poor: int  # 5
    # 7 and 13: hộ làm nông, lâm, ngư, diêm nghiệp có mức sống trung bình, as the
    # chairman recognised them (`MediumLivingDetermination`), not the review's band.
    medium: int  # 7
    poor_persons: int  # 9
    near_poor_persons: int  # 11
    medium_persons: int  # 13

    @property
    def poor_rate(self) -> Decimal | None:  # 4 = 3/1×100
        return _rate(self.poor, self.households)

    @property
    def near_poor_rate(self) -> Decimal | None:  # 6 = 5/1×100
        return _rate(self.near_poor, self.households)

    @property
    def medium_rate(self) -> Decimal | None:  # 8 = 7/1×100
        return _rate(self.medium, self.households)

    @property
    def poor_persons_rate(self) -> Decimal | None:  # 10 = 9/2×100
        return _rate(self.poor_persons, self.persons)

    @property
    def near_poor_persons_rate(self) -> Decimal | None:  # 12 = 11/2×100
        return _rate(self.near_poor_persons, self.persons)

    @property
    def medium_persons_rate(self) -> Decimal | None:  # 14 = 13/2×100
        return _rate(self.medium_persons, self.persons)


def _result_row(number: str, name: str, counted: list[Counted]) -> ResultRow:
    def of(status: str) -> list[Counted]:
        return [c for c in counted if c.status == status]

    poor, near_poor = of(POOR), of(NEAR_POOR)
    # A recognised farm household that the review has since found poor or near-poor
    # counts in that class only, so that columns 3, 5 and 7 never overlap.
    medium = [c for c in counted if c.medium and c.status not in (POOR, NEAR_POOR)]
    return ResultRow(
        number=number,
        name=name,
        households=sum(c.households for c in counted),
        persons=sum(c.persons for c in counted),
        poor=sum(c.households for c in poor),
        near_poor=sum(c.households for c in near_poor),
        medium=sum(c.households for c in medium),
        poor_persons=sum(c.persons for c in poor),
        near_poor_persons=sum(c.persons for c in near_poor),
        medium_persons=sum(c.persons for c in medium),
    )


def _one_commune(commune: Commune, villages: Sequence[Village]) -> Commune | None:
    """The commune, when the report is one commune's (or some of its villages'):
    its figures may then be read from the commune's cache. None for the province's
    total over several communes."""
    return commune if all(v.commune_id == commune.pk for v in villages) else None


@dataclass(frozen=True)
class ReviewResult(Summary):
    rows: tuple[ResultRow, ...]
    total: ResultRow


def review_result(
    commune: Commune,
    year: int,
    households: HouseholdQuerySet,
    villages: Sequence[Village],
    *,
    whole_commune: bool = True,
) -> ReviewResult:
    """Report 1: households and persons by class, per village. 3 queries.

    Columns 7 and 13 count the farm households (hộ làm nông, lâm, ngư, diêm nghiệp)
    whose medium living standard the chairman recognised and which is in force on
    31/12 (QĐ 24/2021/QĐ-TTg; `MediumLivingQuerySet.recognised_on`)."""
    end = end_of(year)

    def count(register: HouseholdQuerySet) -> list[Counted]:
        medium_living = MediumLivingDetermination.objects.filter(
            household__in=register.present_on(end).values("id")
        ).recognised_on(end)
        return counted_on(register, end, medium_living)

    rows, total = _table(
        # The whole commune's, once per change of its register (households/
        # figures.py); `_table` keeps the villages in `villages`.
        figures.cached(
            commune.pk,
            f"report-1:{year}",
            lambda: count(Household.objects.filter(commune=commune)),
        )
        if _one_commune(commune, villages)
        else count(households),
        villages,
        _result_row,
        whole_commune=whole_commune,
    )
    return ReviewResult(commune, year, end, rows, total)


# --- Reports 2 and 3: diễn biến -------------------------------------------------------


@dataclass(frozen=True)
class ReviewDynamics(Summary):
    status: str  # POOR (report 2) or NEAR_POOR (report 3)
    rows: tuple[DynamicsRow, ...]
    total: DynamicsRow

    def identity_holds(self) -> bool:
        return all(r.identity_holds() for r in (*self.rows, self.total))


def review_dynamics(
    commune: Commune,
    year: int,
    households: HouseholdQuerySet,
    villages: Sequence[Village],
    *,
    status: str,
    whole_commune: bool = True,
) -> ReviewDynamics:
    """Reports 2 (poor) and 3 (near-poor), from `targets.dynamics`. 3 queries."""
    table = dynamics(
        households, villages, year, commune=_one_commune(commune, villages)
    )
    rows, total = (
        (table.poor, table.poor_total)
        if status == POOR
        else (table.near_poor, table.near_poor_total)
    )
    total = DynamicsRow(
        total_name(whole_commune), households=total.households, persons=total.persons
    )
    return ReviewDynamics(commune, year, end_of(year), status, tuple(rows), total)


# --- Reports 4–7: thiếu hụt dịch vụ xã hội cơ bản ------------------------------------


@dataclass(frozen=True)
class DeprivationRow:
    number: str  # A
    name: str  # B
    households: int  # 1 Tổng số hộ nghèo (cận nghèo)
    by_indicator: tuple[int, ...]  # 3–14, in INDICATORS order

    @property
    def deprivations(self) -> int:  # 2 Tổng số thiếu hụt
        return sum(self.by_indicator)

    @property
    def rates(self) -> tuple[Decimal | None, ...]:  # reports 5/7
        return tuple(_rate(n, self.households) for n in self.by_indicator)


@dataclass(frozen=True)
class _Deprived:
    id: int
    village_id: int
    flags: tuple[bool | None, ...]


@dataclass(frozen=True)
class ReviewDeprivations(Summary):
    status: str
    rows: tuple[DeprivationRow, ...]
    total: DeprivationRow


def review_deprivations(
    commune: Commune,
    year: int,
    households: HouseholdQuerySet,
    villages: Sequence[Village],
    *,
    status: str,
    whole_commune: bool = True,
) -> ReviewDeprivations:
    """Reports 4/5 (poor) and 6/7 (near-poor): households deprived per indicator,
    from each household's latest review up to 31/12. 1 query."""
    end = end_of(year)
    deprived = [
        _Deprived(household_id, village_id, tuple(flags))
        for household_id, village_id, *flags in (
            households.present_on(end)
            .with_status_on(end)
            .with_status(status)
            .with_indicators_on(end, *INDICATOR_SLUGS)
            .order_by()
            .values_list(
                "id", "village_id", *[f"deprived_{s}" for s in INDICATOR_SLUGS]
            )
        )
    ]

    def make(number: str, name: str, rows: list[_Deprived]) -> DeprivationRow:
        return DeprivationRow(
            number=number,
            name=name,
            households=len(rows),
            by_indicator=tuple(
                sum(1 for r in rows if r.flags[i]) for i in range(len(INDICATOR_SLUGS))
            ),
        )

    rows, total = _table(deprived, villages, make, whole_commune=whole_commune)
    return ReviewDeprivations(commune, year, end, status, rows, total)


# --- Report 8: nhóm đối tượng --------------------------------------------------------


# Report 8 counts target groups that overlap, as the form does: a Mường household with
# a person of merit is counted under "Hộ DTTS" and under "Hộ có người có công". The
# form's code row reads "5 = 1 − 2 − 3 − 4" for "Khác"; that holds only when no
# household is in two groups, and in a mostly Mường commune most households of the two
# small groups are also DTTS, so 1 − 2 − 3 − 4 would go negative. The reproduction of
# the provincial reports (DOMAIN.md §3.8 [S15]) counts "Khác" as the households in none
# of the three groups, and so does this report; 2 + 3 + 4 + 5 may then exceed 1.
GROUPS = ("ethnic_minority", "no_labour_capacity", "meritorious")
GROUP_NOTE = (
    "Các nhóm đối tượng chồng lấn nhau, như biểu quy định: một hộ thuộc nhiều nhóm "
    "(ví dụ hộ DTTS có người có công) được tính ở mỗi nhóm của hộ, nên cột 2 + 3 + 4 "
    "+ 5 có thể lớn hơn cột 1. Cột Khác là số hộ không thuộc nhóm nào trong ba nhóm "
    "trên; mẫu biểu ghi 5 = 1 − 2 − 3 − 4, công thức này chỉ đúng khi không hộ nào "
    "thuộc hai nhóm."
)


@dataclass(frozen=True)
class GroupCounts:
    total: int  # 1 (6)
    ethnic_minority: int  # 2 (7)
    no_labour_capacity: int  # 3 (8)
    meritorious: int  # 4 (9)
    other: int  # 5 (10): in none of the three groups


def target_groups(entry: Entry) -> frozenset[str]:
    """Every group of report 8 a household is in; none means "Khác"."""
    flags = {
        "ethnic_minority": entry.ethnic_minority,
        "no_labour_capacity": entry.no_labour_capacity,
        "meritorious": entry.has_meritorious_person,
    }
    return frozenset(group for group in GROUPS if flags[group])


def _group_counts(entries: list[Entry], weight: Callable[[Entry], int]) -> GroupCounts:
    sums: dict[str, int] = defaultdict(int)
    for entry in entries:
        groups = target_groups(entry)
        for group in groups or ("other",):
            sums[group] += weight(entry)
    return GroupCounts(
        total=sum(weight(e) for e in entries),
        ethnic_minority=sums["ethnic_minority"],
        no_labour_capacity=sums["no_labour_capacity"],
        meritorious=sums["meritorious"],
        other=sums["other"],
    )


@dataclass(frozen=True)
class TargetGroupLine:
    """One line of a Phân tổ table: Hộ or Nhân khẩu of one village."""

    number: str
    name: str
    unit: str  # C: "Hộ" / "Nhân khẩu"
    poor: GroupCounts  # 1–5
    near_poor: GroupCounts  # 6–10


@dataclass(frozen=True)
class TargetGroupRow:
    number: str
    name: str
    households: TargetGroupLine
    persons: TargetGroupLine

    @property
    def lines(self) -> tuple[TargetGroupLine, TargetGroupLine]:
        return (self.households, self.persons)


def _target_group_row(number: str, name: str, entries: list[Entry]) -> TargetGroupRow:
    poor = [e for e in entries if e.status == POOR]
    near = [e for e in entries if e.status == NEAR_POOR]

    def line(unit: str, weight: Callable[[Entry], int]) -> TargetGroupLine:
        return TargetGroupLine(
            number,
            name,
            unit,
            _group_counts(poor, weight),
            _group_counts(near, weight),
        )

    return TargetGroupRow(
        number,
        name,
        households=line(HOUSEHOLD, lambda e: 1),
        persons=line(PERSONS, lambda e: e.persons),
    )


@dataclass(frozen=True)
class ReviewTargetGroups(Summary):
    rows: tuple[TargetGroupRow, ...]
    total: TargetGroupRow


def review_target_groups(
    commune: Commune,
    year: int,
    households: HouseholdQuerySet,
    villages: Sequence[Village],
    *,
    whole_commune: bool = True,
) -> ReviewTargetGroups:
    """Report 8: poor and near-poor households (and their persons) by target group."""
    end = end_of(year)
    rows, total = _table(
        register_on(households, end),
        villages,
        _target_group_row,
        whole_commune=whole_commune,
    )
    return ReviewTargetGroups(commune, year, end, rows, total)


# --- Report 9: dân tộc ----------------------------------------------------------------


@dataclass(frozen=True)
class EthnicityCounts:
    total: int
    by_group: tuple[int, ...]  # one per ReviewEthnicity.groups, in that order
    kinh: int

    @property
    def ethnic_minority(self) -> int:  # Tổng DTTS
        return self.total - self.kinh


@dataclass(frozen=True)
class EthnicityLine:
    number: str
    name: str
    unit: str
    poor: EthnicityCounts
    near_poor: EthnicityCounts


@dataclass(frozen=True)
class EthnicityRow:
    number: str
    name: str
    households: EthnicityLine
    persons: EthnicityLine

    @property
    def lines(self) -> tuple[EthnicityLine, EthnicityLine]:
        return (self.households, self.persons)


@dataclass(frozen=True)
class ReviewEthnicity(Summary):
    # The ethnic minority groups present in the scope (households or members), in
    # the order of `Ethnicity`, "Khác" last.
    groups: tuple[tuple[str, str], ...]
    rows: tuple[EthnicityRow, ...]
    total: EthnicityRow


def review_ethnicity(
    commune: Commune,
    year: int,
    households: HouseholdQuerySet,
    villages: Sequence[Village],
    *,
    whole_commune: bool = True,
) -> ReviewEthnicity:
    """Report 9: poor and near-poor households by the household's ethnicity, and their
    persons by each person's own ethnicity. 2 queries."""
    end = end_of(year)
    entries = register_on(households, end)
    _, everyone = _by_village(entries, villages)
    present = {e.ethnicity for e in everyone} | {
        m.ethnicity for e in everyone for m in e.members
    }
    groups = tuple(
        (value, str(label))
        for value, label in Ethnicity.choices
        if value != KINH and value in present
    )
    codes = [KINH, *(value for value, _ in groups)]

    def counts(values: list[str]) -> EthnicityCounts:
        by_code = {code: values.count(code) for code in codes}
        return EthnicityCounts(
            total=len(values),
            by_group=tuple(by_code[value] for value, _ in groups),
            kinh=by_code[KINH],
        )

    def make(number: str, name: str, rows: list[Entry]) -> EthnicityRow:
        poor = [e for e in rows if e.status == POOR]
        near = [e for e in rows if e.status == NEAR_POOR]

        def persons(of: list[Entry]) -> list[str]:
            return [m.ethnicity for e in of for m in e.members]

        return EthnicityRow(
            number,
            name,
            households=EthnicityLine(
                number,
                name,
                HOUSEHOLD,
                counts([e.ethnicity for e in poor]),
                counts([e.ethnicity for e in near]),
            ),
            persons=EthnicityLine(
                number,
                name,
                PERSONS,
                counts(persons(poor)),
                counts(persons(near)),
            ),
        )

    rows, total = _table(entries, villages, make, whole_commune=whole_commune)
    return ReviewEthnicity(commune, year, end, groups, rows, total)


# --- Report 11: trẻ em ----------------------------------------------------------------


@dataclass(frozen=True)
class ChildrenCounts:
    children: int  # under 16 on 31/12
    no_insurance: int  # 6 to under 16 without a BHYT card valid on 31/12
    malnourished: int  # under 16, malnourished
    education: int  # aged 3 to under 16 and not attending school

    @property
    def health(self) -> int:
        """Thiếu hụt y tế: the two measures of the health dimension added, as the
        form adds them (DOMAIN.md §3.8 [S15]: no BHYT + malnutrition), so a child
        lacking both counts in each."""
        return self.no_insurance + self.malnourished


def child_deprivations(person: Person, on: date) -> tuple[bool, bool, bool, bool]:
    """(is a child, without BHYT, malnourished, deprived in education) on `on`.

    The rules of `households.indicators`: BHYT counts from age 6 (younger children are
    insured by the state), an unknown school attendance counts as not attending.
    """
    facts = person.facts()
    age = facts.age_on(on)
    if age >= CHILD_UNTIL:
        return False, False, False, False
    no_insurance = age >= BHYT_MIN_AGE and not facts.insured_on(on)
    education = SCHOOL_AGE_FROM <= age < SCHOOL_AGE_UNTIL and not facts.attends_school
    return True, no_insurance, facts.malnourished, education


def _children_counts(entries: list[Entry], on: date) -> ChildrenCounts:
    flags = [child_deprivations(m, on) for e in entries for m in e.members]
    return ChildrenCounts(
        children=sum(1 for f in flags if f[0]),
        no_insurance=sum(1 for f in flags if f[1]),
        malnourished=sum(1 for f in flags if f[2]),
        education=sum(1 for f in flags if f[3]),
    )


@dataclass(frozen=True)
class ChildrenRow:
    number: str
    name: str
    poor: ChildrenCounts  # 1–3
    near_poor: ChildrenCounts  # 4–6


@dataclass(frozen=True)
class ReviewChildren(Summary):
    rows: tuple[ChildrenRow, ...]
    total: ChildrenRow


def review_children(
    commune: Commune,
    year: int,
    households: HouseholdQuerySet,
    villages: Sequence[Village],
    *,
    whole_commune: bool = True,
) -> ReviewChildren:
    """Report 11: children of poor and near-poor households and their deprivations."""
    end = end_of(year)

    def make(number: str, name: str, rows: list[Entry]) -> ChildrenRow:
        return ChildrenRow(
            number,
            name,
            poor=_children_counts([e for e in rows if e.status == POOR], end),
            near_poor=_children_counts([e for e in rows if e.status == NEAR_POOR], end),
        )

    rows, total = _table(
        register_on(households, end), villages, make, whole_commune=whole_commune
    )
    return ReviewChildren(commune, year, end, rows, total)


# --- Reports 12 and 13: kết quả rà soát theo chuẩn nghèo đa chiều -------------------


@dataclass(frozen=True)
class SplitCount:
    """A count split Kinh / DTTS (the form's Tây Nguyên "dân tộc tại chỗ" column does
    not apply in Thanh Hóa)."""

    kinh: int
    ethnic_minority: int

    @property
    def total(self) -> int:
        return self.kinh + self.ethnic_minority


def _split(ethnicities: Iterable[str]) -> SplitCount:
    values = list(ethnicities)
    kinh = sum(1 for e in values if e == KINH)
    return SplitCount(kinh=kinh, ethnic_minority=len(values) - kinh)


def female_head(entry: Entry) -> bool:
    """The household's head is a woman (no head recorded: not counted)."""
    return any(
        m.relationship == Relationship.HEAD and m.sex == Sex.FEMALE
        for m in entry.members
    )


@dataclass(frozen=True)
class ClassResultRow:
    number: str  # A
    name: str  # B
    households: SplitCount  # 1–3 Tổng số hộ dân cư
    persons: SplitCount  # 4–6 Tổng số nhân khẩu
    in_class: SplitCount  # 7–9 hộ nghèo (cận nghèo)
    meritorious: int  # 10 hộ chính sách người có công (CSCC)
    no_labour_capacity: int  # 11 hộ không có khả năng lao động (KCKNLĐ)
    female_head: int  # 12 chủ hộ là nữ
    class_persons: SplitCount  # 13–15 khẩu nghèo (cận nghèo)


@dataclass(frozen=True)
class ReviewClassResult(Summary):
    status: str  # POOR (report 12) or NEAR_POOR (report 13)
    rows: tuple[ClassResultRow, ...]
    total: ClassResultRow


def review_class_result(
    commune: Commune,
    year: int,
    households: HouseholdQuerySet,
    villages: Sequence[Village],
    *,
    status: str,
    whole_commune: bool = True,
) -> ReviewClassResult:
    """Reports 12 (poor) and 13 (near-poor): every household and person of the
    village split Kinh / DTTS, then those of the class split the same way, with the
    households of a person of merit, without labour capacity, and headed by a woman.
    Households by the household's ethnicity, persons by their own (as report 9).
    2 queries."""
    end = end_of(year)

    def make(number: str, name: str, entries: list[Entry]) -> ClassResultRow:
        of = [e for e in entries if e.status == status]
        return ClassResultRow(
            number=number,
            name=name,
            households=_split(e.ethnicity for e in entries),
            persons=_split(m.ethnicity for e in entries for m in e.members),
            in_class=_split(e.ethnicity for e in of),
            meritorious=sum(1 for e in of if e.has_meritorious_person),
            no_labour_capacity=sum(1 for e in of if e.no_labour_capacity),
            female_head=sum(1 for e in of if female_head(e)),
            class_persons=_split(m.ethnicity for e in of for m in e.members),
        )

    rows, total = _table(
        register_on(households, end), villages, make, whole_commune=whole_commune
    )
    return ReviewClassResult(commune, year, end, status, rows, total)


# --- Reports 14 and 15: danh sách chi tiết -------------------------------------------

NEW, REFELL, OLD = "new", "refell", "old"
# The year's movement of a household that is poor (near-poor) at the end, as the list
# marks it. Coming from the other class, or moving in, puts it on this year's list
# for the first time: "mới".
_NOVELTY = {
    "remained_poor": OLD,
    "refell_poor": REFELL,
    "new_poor": NEW,
    "near_poor_to_poor": NEW,
    "poor_added": NEW,
    "remained_near_poor": OLD,
    "refell_near_poor": REFELL,
    "new_near_poor": NEW,
    "poor_to_near_poor": NEW,
    "near_poor_added": NEW,
}


# The support columns of lists 14/15 (DOMAIN.md §3.8: Hỗ trợ y tế, giáo dục, sản xuất,
# vay vốn tín dụng, nhà ở, Khác), each marked from what the register and the village
# plans can say; SUPPORT_NOTES tells the reader where each mark comes from.
HEALTH, EDUCATION, PRODUCTION, CREDIT, HOUSING, OTHER_SUPPORT = (
    "health",
    "education",
    "production",
    "credit",
    "housing",
    "other",
)
SUPPORTS = (HEALTH, EDUCATION, PRODUCTION, CREDIT, HOUSING, OTHER_SUPPORT)
# The support lines of a household's plan (tasks.SupportLine values), by column.
PLAN_SUPPORT = {
    "health_insurance": HEALTH,
    "production": PRODUCTION,
    "livelihood": PRODUCTION,
    "training": OTHER_SUPPORT,
    "credit": CREDIT,
    "housing": HOUSING,
}
# The first two letters of a BHYT card number name the group that pays for it: HN
# (hộ nghèo, the state pays in full) and CN (hộ cận nghèo, the state subsidises) —
# ND 146/2018 as amended by ND 75/2023 for the support; the codes are those of the
# social-insurance agency's card list: chưa đối chiếu văn bản gốc.
STATE_CARD_CODES = ("HN", "CN")
SUPPORT_NOTES = (
    "Hỗ trợ y tế: có thành viên dùng thẻ BHYT còn hạn ngày 31/12 do Nhà nước đóng "
    "hoặc hỗ trợ cho hộ nghèo, cận nghèo (mã thẻ bắt đầu HN, CN; mã đối tượng chưa đối "
    "chiếu văn bản gốc), hoặc phương án của hộ trong kế hoạch thôn có hỗ trợ thẻ BHYT.",
    "Hỗ trợ giáo dục: hộ có thành viên đang đi học, thuộc diện miễn, giảm học phí của "
    "học sinh hộ nghèo, cận nghèo (theo sổ hộ; sổ không ghi khoản đã nhận).",
    "Hỗ trợ sản xuất, vay vốn tín dụng, nhà ở, Khác (đào tạo nghề, việc làm): theo "
    "phương án của hộ trong kế hoạch giảm nghèo năm của thôn đã nộp hoặc đã duyệt; hộ "
    "không có phương án (như phần lớn hộ cận nghèo) để trống các cột này.",
)


def household_supports(
    members: Iterable[Person], plan_lines: Iterable[str], on: date
) -> frozenset[str]:
    """The support columns a listed household is marked in (see SUPPORT_NOTES)."""
    people = list(members)
    marks = {PLAN_SUPPORT[line] for line in plan_lines if line in PLAN_SUPPORT}
    if any(
        m.health_insurance_number[:2].upper() in STATE_CARD_CODES
        and m.facts().insured_on(on)
        for m in people
    ):
        marks.add(HEALTH)
    if any(m.attends_school for m in people):
        marks.add(EDUCATION)
    return frozenset(marks)


def planned_support(
    households: HouseholdQuerySet, year: int
) -> dict[int, tuple[str, ...]]:
    """The support lines of each household's plan of `year`, from the village plans
    handed in (submitted or approved). 1 query."""
    return {
        household_id: tuple(str(s) for s in (solutions or []))
        for household_id, solutions in HouseholdPlan.objects.filter(
            plan__year=year,
            plan__status__in=(PlanStatus.SUBMITTED, PlanStatus.APPROVED),
            household__in=households.values("id"),
        ).values_list("household_id", "solutions")
    }


@dataclass(frozen=True)
class ListedMember:
    number: int  # STT thành viên
    full_name: str
    birth_year: int
    female: bool
    ethnicity: str
    relationship: str


@dataclass(frozen=True)
class ListedHousehold:
    number: int  # STT chủ hộ
    id: int
    code: str
    novelty: str  # NEW, REFELL or OLD
    has_meritorious_person: bool
    ethnic_minority: bool
    no_labour_capacity: bool
    members: tuple[ListedMember, ...]
    supports: frozenset[str] = frozenset()


@dataclass(frozen=True)
class VillageList:
    village_id: int
    name: str
    households: tuple[ListedHousehold, ...]

    @property
    def persons(self) -> int:
        return sum(len(h.members) for h in self.households)


@dataclass(frozen=True)
class HouseholdList(Summary):
    status: str
    villages: tuple[VillageList, ...]

    @property
    def households(self) -> int:
        return sum(len(v.households) for v in self.villages)

    @property
    def persons(self) -> int:
        return sum(v.persons for v in self.villages)


def household_list(
    commune: Commune,
    year: int,
    households: HouseholdQuerySet,
    villages: Sequence[Village],
    *,
    status: str,
) -> HouseholdList:
    """Reports 15 (poor) and 14 (near-poor): the households of the class on 31/12 with
    their members, per village, numbered from 1 in each village, with the support
    columns (`household_supports`). 6 queries."""
    end = end_of(year)
    moves = household_transitions(
        households, year, commune=_one_commune(commune, villages)
    )
    plans = planned_support(households, year)
    entries = [e for e in register_on(households, end) if e.status == status]
    grouped, _ = _by_village(entries, villages)
    ethnicity = dict(Ethnicity.choices)
    relationship = dict(Relationship.choices)
    lists = []
    for village in villages:
        listed = []
        for number, entry in enumerate(grouped[village.pk], start=1):
            members = tuple(
                ListedMember(
                    number=index,
                    full_name=m.full_name,
                    birth_year=m.birth_year,
                    female=m.sex == Sex.FEMALE,
                    ethnicity=str(ethnicity.get(m.ethnicity, m.ethnicity)),
                    relationship=str(relationship.get(m.relationship, m.relationship)),
                )
                for index, m in enumerate(entry.members, start=1)
            )
            listed.append(
                ListedHousehold(
                    number=number,
                    id=entry.id,
                    code=entry.code,
                    novelty=_NOVELTY.get(str(moves[entry.id][1]), NEW),
                    has_meritorious_person=entry.has_meritorious_person,
                    ethnic_minority=entry.ethnic_minority,
                    no_labour_capacity=entry.no_labour_capacity,
                    members=members,
                    supports=household_supports(
                        entry.members, plans.get(entry.id, ()), end
                    ),
                )
            )
        lists.append(VillageList(village.pk, village.name, tuple(listed)))
    return HouseholdList(commune, year, end, status, tuple(lists))
