"""The review tables of 2024 (DOMAIN.md §3.8 reports 1–9, 11–15) on a hand-made
commune: every figure of every summary equals the same figure counted here, in plain
Python, over the households and members the test wrote down (`SPECS`).

Village A1 (Làng Chiềng) and A2 (Làng Bột). Reviews are dated 20/11 of 2022, 2023,
2024 and 01/03/2025; the end of 2024 is 31/12/2024, so the 2025 review never counts,
nor does a household registered in 2025 or one archived in June 2024.
"""

from __future__ import annotations

import io
import re
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from giamngheo.models import User
from households.models import Household, MediumLivingDetermination, Member, Village
from reports.summaries import review
from tests.conftest import make_review

pytestmark = pytest.mark.django_db

YEAR = 2024
END = date(2024, 12, 31)
START = date(2023, 12, 31)
D22, D23, D24, D25 = (
    date(2022, 11, 20),
    date(2023, 11, 20),
    date(2024, 11, 20),
    date(2025, 3, 1),
)
POOR, NEAR, MEDIUM, NOT = "poor", "near_poor", "medium", "not_poor"
INCOME = {POOR: 1_000_000, NEAR: 1_200_000, MEDIUM: 2_000_000, NOT: 3_000_000}
THREE = ("chat_luong_nha_o", "nha_tieu_hop_ve_sinh", "nguon_nuoc_sinh_hoat")
SLUGS = (
    "viec_lam",
    "nguoi_phu_thuoc",
    "dinh_duong",
    "bao_hiem_y_te",
    "trinh_do_giao_duc_nguoi_lon",
    "tinh_trang_di_hoc_tre_em",
    "chat_luong_nha_o",
    "dien_tich_nha_o_binh_quan",
    "nguon_nuoc_sinh_hoat",
    "nha_tieu_hop_ve_sinh",
    "su_dung_dich_vu_vien_thong",
    "phuong_tien_tiep_can_thong_tin",
)


@dataclass
class P:
    """A member as the test writes it down."""

    name: str
    born: int
    sex: str = "male"
    relationship: str = "child"
    ethnicity: str = "muong"
    insured: bool = True
    expiry: date | None = None
    attends: bool | None = None
    malnourished: bool = False


@dataclass
class H:
    """A household as the test writes it down: reviews are (date, status, deprived)."""

    code: str
    village: str
    members: list[P]
    reviews: list[tuple[date, str, tuple[str, ...]]]
    ethnicity: str = "muong"
    meritorious: bool = False
    no_labour: bool = False
    registered_on: date = date(2015, 1, 1)
    archived_on: date | None = None
    novelty: str = ""  # how the list of 14/15 marks it: new, refell, old
    # Farm households: their medium-living determinations, as (determined on,
    # income per person per month, the chairman's decision date or None).
    farm: str = ""
    determinations: list[tuple[date, int, date | None]] = field(default_factory=list)
    saved: Household | None = field(default=None, repr=False)

    def status_on(self, day: date) -> str | None:
        found = [r for r in sorted(self.reviews) if r[0] <= day]
        return found[-1][1] if found else None

    def deprived_on(self, day: date) -> tuple[str, ...]:
        found = [r for r in sorted(self.reviews) if r[0] <= day]
        return found[-1][2] if found else ()

    def present_on(self, day: date) -> bool:
        return self.registered_on <= day and (
            self.archived_on is None or self.archived_on > day
        )


def head(name: str, born: int, sex: str = "male", ethnicity: str = "muong") -> P:
    return P(name, born, sex, "head", ethnicity)


SPECS: list[H] = [
    H(
        "A1-01",
        "a1",
        [
            head("Bùi Văn Hùng", 1980),
            P("Quách Thị Mai", 1982, "female", "spouse"),
            P("Bùi Văn An", 2014, attends=True),  # 10
            P("Bùi Thị Bình", 2020, "female", attends=False, malnourished=True),  # 4
            P("Bùi Văn Lớn", 2008, insured=False),  # 16: no longer a child
        ],
        [(D23, POOR, THREE), (D24, POOR, (*THREE, "bao_hiem_y_te"))],
        novelty="old",
    ),
    H(
        "A1-02",
        "a1",
        [
            head("Nguyễn Thị Liên", 1975, "female", "kinh"),
            P("Nguyễn Văn Long", 2010, ethnicity="kinh", insured=False, attends=False),
            P(
                "Nguyễn Thị Sáu",
                2018,
                "female",
                ethnicity="kinh",
                insured=False,
                attends=True,
            ),  # 6: needs a card
        ],
        [
            (D23, NEAR, ("viec_lam",)),
            (D24, POOR, ("viec_lam", "dinh_duong", "bao_hiem_y_te")),
        ],
        ethnicity="kinh",
        meritorious=True,
        novelty="new",  # near-poor → poor
    ),
    H(
        "A1-03",
        "a1",
        [head("Hà Văn Sơn", 1950), P("Lò Thị Xuân", 1952, "female", "spouse", "thai")],
        [(D22, POOR, THREE), (D23, NOT, ()), (D24, POOR, THREE)],
        no_labour=True,
        novelty="refell",
    ),
    H(
        "A1-04",
        "a1",
        [
            head("Đinh Văn Tiến", 1990),
            P("Đinh Thị Hoa", 2012, "female", attends=True, expiry=date(2024, 6, 30)),
        ],
        [(D23, NOT, ()), (D24, NEAR, ("nguon_nuoc_sinh_hoat",))],
        novelty="new",
        # Recognised in February, near-poor at the end of the year: column 5 only.
        farm="lam_nghiep",
        determinations=[(date(2024, 1, 15), 1_800_000, date(2024, 2, 1))],
    ),
    H(
        "A1-05",
        "a1",
        [head("Trần Văn Nam", 1970, ethnicity="kinh")],
        [],
        "kinh",
        # Recognised in 2023, then found above the band in June 2024.
        farm="nong_nghiep",
        determinations=[
            (date(2023, 6, 15), 2_200_000, date(2023, 6, 20)),
            (date(2024, 6, 15), 2_250_001, None),
        ],
    ),
    H(
        "A1-06",
        "a1",
        [head("Bùi Văn Khánh", 1965), P("Bùi Thị Hạnh", 1967, "female", "spouse")],
        [(D23, POOR, THREE)],
        archived_on=date(2024, 6, 1),
    ),
    H(
        "A1-07",
        "a1",
        [head("Bùi Văn Mới", 1995)],
        [(D25, POOR, THREE)],
        registered_on=date(2025, 2, 1),
    ),
    H(
        "A1-08",
        "a1",
        [
            head("Phạm Thị Lan", 1985, "female"),
            P("Phạm Văn Tú", 1983, "male", "spouse"),
        ],
        [(D23, MEDIUM, ()), (D24, MEDIUM, ())],
        farm="nong_nghiep",
        determinations=[(date(2024, 3, 15), 2_000_000, date(2024, 4, 1))],
    ),
    H(
        "A2-01",
        "a2",
        [
            head("Triệu Văn Phú", 1960, ethnicity="dao"),
            P("Bàn Thị Sáu", 1962, "female", "spouse", "dao"),
            P(
                "Triệu Văn Bảo",
                2019,
                relationship="grandchild",
                ethnicity="dao",
                insured=False,
                attends=True,
            ),  # 5: insured by the state
            P("Triệu Thị Út", 2021, "female", "grandchild", "dao", attends=False),  # 3
        ],
        [(D23, POOR, THREE), (D24, POOR, THREE), (D25, NOT, ())],
        ethnicity="dao",
        meritorious=True,
        no_labour=True,
        novelty="old",
    ),
    H(
        "A2-02",
        "a2",
        [
            head("Lê Văn Hải", 1988, ethnicity="kinh"),
            P(
                "Lê Thị Thu",
                2009,
                "female",
                ethnicity="kinh",
                attends=True,
                malnourished=True,
            ),
        ],
        [(D23, NEAR, ("viec_lam", "dinh_duong")), (D24, NEAR, ("dinh_duong",))],
        ethnicity="kinh",
        novelty="old",
    ),
    H(
        "A2-03",
        "a2",
        [head("Quách Văn Đông", 1979)],
        [(D23, POOR, THREE), (D24, NEAR, THREE[:2])],
        novelty="new",  # poor → near-poor
        # In the band in October, recognised only in January 2025.
        farm="nong_nghiep",
        determinations=[(date(2024, 10, 15), 2_000_000, date(2025, 1, 10))],
    ),
    H(
        "A2-04",
        "a2",
        [head("Bùi Thị Nga", 1990, "female")],
        [(D23, NOT, ()), (D24, NOT, ())],
        # Above the band by the review's estimate, in it by the actual income.
        farm="ngu_nghiep",
        determinations=[(date(2024, 5, 15), 2_100_000, date(2024, 5, 30))],
    ),
]


def build(villages: dict[str, Village], specs: list[H]) -> list[H]:
    for spec in specs:
        village = villages[spec.village]
        household = Household.objects.create(
            commune=village.commune,
            village=village,
            code=spec.code,
            ethnicity=spec.ethnicity,
            has_meritorious_person=spec.meritorious,
            no_labour_capacity=spec.no_labour,
            registered_on=spec.registered_on,
            archived_on=spec.archived_on,
            archive_reason="moved_away" if spec.archived_on else "",
            farm_livelihood=spec.farm,
        )
        for p in spec.members:
            Member.objects.create(
                household=household,
                full_name=p.name,
                birth_year=p.born,
                sex=p.sex,
                relationship=p.relationship,
                ethnicity=p.ethnicity,
                has_health_insurance=p.insured,
                health_insurance_expiry=p.expiry,
                attends_school=p.attends,
                underweight=p.malnourished,
            )
        for on, status, deprived in spec.reviews:
            make_review(household, income=INCOME[status], deprived=deprived, on=on)
        size = len(spec.members)
        for determined_on, income, decided_on in spec.determinations:
            MediumLivingDetermination.objects.create(
                household=household,
                requested_on=determined_on,
                determined_on=determined_on,
                income_12_months=income * size * 12,
                persons=size,
                decision_number=f"{determined_on.month}/QĐ-UBND" if decided_on else "",
                decision_date=decided_on,
            )
        spec.saved = household
    return specs


@pytest.fixture
def villages(village_a1: Village, village_a2: Village) -> dict[str, Village]:
    return {"a1": village_a1, "a2": village_a2}


@pytest.fixture
def specs(villages: dict[str, Village]) -> list[H]:
    return build(villages, [H(**{**s.__dict__, "saved": None}) for s in SPECS])


def summarise(
    function: Callable[..., Any], villages: dict[str, Village], **kwargs: object
) -> Any:
    commune = villages["a1"].commune
    return function(
        commune,
        YEAR,
        Household.objects.filter(commune=commune),
        [villages["a1"], villages["a2"]],
        **kwargs,
    )


# --- Independent counting over SPECS --------------------------------------------------


def present(specs: list[H], village: str | None = None) -> list[H]:
    return [
        s
        for s in specs
        if s.present_on(END) and (village is None or s.village == village)
    ]


def of_class(specs: list[H], status: str, village: str | None = None) -> list[H]:
    return [s for s in present(specs, village) if s.status_on(END) == status]


def medium_living(specs: list[H], village: str | None = None) -> list[H]:
    """Report 1 columns 7/13, counted here: the farm households whose latest
    determination holding on 31/12 (a recognition from its decision date, a result
    out of the rural band 1.500.000 < income ≤ 2.250.000 from its own date) recognised
    them, and that are neither poor nor near-poor then."""

    def recognised(spec: H) -> bool:
        holding = []
        for determined_on, income, decided_on in spec.determinations:
            in_band = 1_500_000 < income <= 2_250_000
            effective = decided_on if in_band else determined_on
            if effective is not None and effective <= END:
                holding.append((effective, determined_on, in_band))
        return bool(holding) and max(holding)[2]

    return [
        s
        for s in present(specs, village)
        if recognised(s) and s.status_on(END) not in (POOR, NEAR)
    ]


def pct(count: int, total: int) -> Decimal:
    return (Decimal(count) * 100 / Decimal(total)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )


def persons(specs: list[H]) -> int:
    return sum(len(s.members) for s in specs)


SCOPES = [("a1", 0), ("a2", 1), (None, None)]  # village, row index (None: total)


def row_of(summary: Any, index: int | None) -> Any:
    return summary.total if index is None else summary.rows[index]


# --- Report 1 -------------------------------------------------------------------------


def test_report_1_counts_households_and_persons_by_class(
    specs: list[H], villages: dict[str, Village]
) -> None:
    summary = summarise(review.review_result, villages)

    assert [r.name for r in summary.rows] == ["Làng Chiềng", "Làng Bột"]
    assert summary.total.name == "Tổng cộng toàn xã"
    for village, index in SCOPES:
        row = row_of(summary, index)
        households = present(specs, village)
        assert row.households == len(households)
        assert row.persons == persons(households)
        for status, count, people, share, people_share in (
            (POOR, "poor", "poor_persons", "poor_rate", "poor_persons_rate"),
            (
                NEAR,
                "near_poor",
                "near_poor_persons",
                "near_poor_rate",
                "near_poor_persons_rate",
            ),
        ):
            group = of_class(specs, status, village)
            assert getattr(row, count) == len(group)
            assert getattr(row, people) == persons(group)
            assert getattr(row, share) == pct(len(group), len(households))
            assert getattr(row, people_share) == pct(
                persons(group), persons(households)
            )
        group = medium_living(specs, village)
        assert row.medium == len(group)
        assert row.medium_persons == persons(group)
        assert row.medium_rate == pct(len(group), len(households))
        assert row.medium_persons_rate == pct(persons(group), persons(households))
    # The commune as written down: 10 households, 23 persons, 4 poor; the farm
    # households recognised at the medium living standard are A1-08 (the review's
    # band too) and A2-04 (above it by the review's estimate), not A1-04 (near-poor),
    # A1-05 (found above the band since) nor A2-03 (recognised in 2025).
    assert (summary.total.households, summary.total.persons) == (10, 23)
    assert (summary.total.poor, summary.total.near_poor, summary.total.medium) == (
        4,
        3,
        2,
    )
    assert [s.code for s in medium_living(specs)] == ["A1-08", "A2-04"]
    assert summary.total.medium_persons == 3


# --- Reports 2 and 3 ------------------------------------------------------------------


@pytest.mark.parametrize("status", [POOR, NEAR])
def test_reports_2_and_3_dynamics_hold_their_identity_and_match_the_register(
    specs: list[H], villages: dict[str, Village], status: str
) -> None:
    summary = summarise(review.review_dynamics, villages, status=status)
    result = summarise(review.review_result, villages)

    assert summary.identity_holds()
    for row in (*summary.rows, summary.total):
        for c in (row.households, row.persons):
            assert c[9] == c[1] - c[2] - c[3] - c[4] + c[5] + c[6] + c[7] + c[8]
    for village, index in SCOPES:
        row = row_of(summary, index)
        start = [
            s
            for s in specs
            if s.present_on(START)
            and s.status_on(START) == status
            and (village is None or s.village == village)
        ]
        end = of_class(specs, status, village)
        assert row.households[1] == len(start)
        assert row.persons[1] == persons(start)
        assert row.households[9] == len(end)
        assert row.persons[9] == persons(end)
        # Column 9 is report 1's count of the class.
        counted = row_of(result, index)
        assert row.households[9] == getattr(
            counted, "poor" if status == POOR else "near_poor"
        )
    if status == POOR:
        # 2 poor → near-poor (A2-03), 4 left (A1-06), 5 near-poor → poor (A1-02),
        # 6 tái nghèo (A1-03).
        moves = summary.total.households
        assert (moves[2], moves[3], moves[4], moves[5], moves[6], moves[7]) == (
            1,
            0,
            1,
            1,
            1,
            0,
        )


# --- Reports 4–7 ----------------------------------------------------------------------


@pytest.mark.parametrize("status", [POOR, NEAR])
def test_reports_4_to_7_count_deprivations_of_the_latest_review(
    specs: list[H], villages: dict[str, Village], status: str
) -> None:
    summary = summarise(review.review_deprivations, villages, status=status)

    for village, index in SCOPES:
        row = row_of(summary, index)
        group = of_class(specs, status, village)
        counts = tuple(
            sum(1 for s in group if slug in s.deprived_on(END)) for slug in SLUGS
        )
        assert row.households == len(group)
        assert row.by_indicator == counts
        assert row.deprivations == sum(len(s.deprived_on(END)) for s in group)
        assert row.rates == tuple(pct(n, len(group)) if group else None for n in counts)
    if status == POOR:
        # A1-01's 2024 review added BHYT: 2 of the 4 poor households lack it.
        assert summary.total.by_indicator[SLUGS.index("bao_hiem_y_te")] == 2
        assert summary.total.rates[SLUGS.index("bao_hiem_y_te")] == Decimal("50.00")


# --- Report 8 -------------------------------------------------------------------------


def groups_of(spec: H) -> set[str]:
    groups = set()
    if spec.meritorious:
        groups.add("meritorious")
    if spec.no_labour:
        groups.add("no_labour_capacity")
    if spec.ethnicity != "kinh":
        groups.add("ethnic_minority")
    return groups


def test_report_8_counts_every_group_of_a_household_as_the_form_does(
    specs: list[H], villages: dict[str, Village]
) -> None:
    summary = summarise(review.review_target_groups, villages)

    overlapping = 0
    for village, index in SCOPES:
        row = row_of(summary, index)
        for status, attr in ((POOR, "poor"), (NEAR, "near_poor")):
            group = of_class(specs, status, village)
            for line, weight in (
                (row.households, lambda s: 1),
                (row.persons, lambda s: len(s.members)),
            ):
                counts = getattr(line, attr)
                assert counts.total == sum(weight(s) for s in group)
                for name in ("meritorious", "no_labour_capacity", "ethnic_minority"):
                    expected = sum(weight(s) for s in group if name in groups_of(s))
                    assert getattr(counts, name) == expected
                assert counts.other == sum(weight(s) for s in group if not groups_of(s))
                overlapping += sum(1 for s in group if len(groups_of(s)) > 1)
    # The commune has a DTTS household with a person of merit (or without labour):
    # it counts in both columns, so the groups add up to more than the total.
    assert overlapping > 0
    assert [line.unit for line in summary.total.lines] == ["Hộ", "Nhân khẩu"]


# --- Report 9 -------------------------------------------------------------------------


def test_report_9_counts_households_and_persons_by_ethnicity(
    specs: list[H], villages: dict[str, Village]
) -> None:
    summary = summarise(review.review_ethnicity, villages)

    seen = {s.ethnicity for s in present(specs)} | {
        m.ethnicity for s in present(specs) for m in s.members
    }
    groups = [e for e in ("muong", "thai", "dao", "mong", "khac") if e in seen]
    assert [code for code, _ in summary.groups] == groups == ["muong", "thai", "dao"]
    assert [label for _, label in summary.groups] == ["Mường", "Thái", "Dao"]
    for village, index in SCOPES:
        row = row_of(summary, index)
        for status, attr in ((POOR, "poor"), (NEAR, "near_poor")):
            group = of_class(specs, status, village)
            households = getattr(row.households, attr)
            assert households.total == len(group)
            assert households.kinh == sum(1 for s in group if s.ethnicity == "kinh")
            assert households.ethnic_minority == sum(
                1 for s in group if s.ethnicity != "kinh"
            )
            assert households.by_group == tuple(
                sum(1 for s in group if s.ethnicity == e) for e in groups
            )
            people = [m for s in group for m in s.members]
            counted = getattr(row.persons, attr)
            assert counted.total == len(people)
            assert counted.kinh == sum(1 for m in people if m.ethnicity == "kinh")
            assert counted.by_group == tuple(
                sum(1 for m in people if m.ethnicity == e) for e in groups
            )


# --- Report 11 ------------------------------------------------------------------------


def test_report_11_counts_children_and_their_deprivations(
    specs: list[H], villages: dict[str, Village]
) -> None:
    summary = summarise(review.review_children, villages)

    def flags(p: P) -> tuple[bool, bool, bool, bool]:
        age = 2024 - p.born  # birth year only: the age reached in 2024
        insured = p.insured and (p.expiry is None or p.expiry >= END)
        return (
            age < 16,
            6 <= age < 16 and not insured,
            age < 16 and p.malnourished,
            3 <= age < 16 and not p.attends,
        )

    for village, index in SCOPES:
        row = row_of(summary, index)
        for status, attr in ((POOR, "poor"), (NEAR, "near_poor")):
            people = [
                flags(m) for s in of_class(specs, status, village) for m in s.members
            ]
            counts = getattr(row, attr)
            assert counts.children == sum(f[0] for f in people)
            assert counts.no_insurance == sum(f[1] for f in people)
            assert counts.malnourished == sum(f[2] for f in people)
            assert counts.health == sum(f[1] + f[2] for f in people)
            assert counts.education == sum(f[3] for f in people)
    # Poor: An, Bình (malnourished, not at school), Long (no BHYT, not at school),
    # Sáu (6, no BHYT), Bảo (5: no card needed), Út (3, not at school); Lớn is 16.
    # Near-poor: Hoa (card expired 30/06), Thu (malnourished).
    assert summary.total.poor == review.ChildrenCounts(6, 2, 1, 3)
    assert summary.total.near_poor == review.ChildrenCounts(2, 1, 1, 0)


def test_report_11_counts_a_child_lacking_both_health_measures_in_each() -> None:
    """The form's health column adds its two measures (no BHYT + malnutrition)."""
    child = review.Person(
        id=1,
        full_name="Bùi Văn Tí",
        birth_year=2014,
        birth_date=None,
        sex="male",
        relationship="child",
        ethnicity="muong",
        has_health_insurance=False,
        health_insurance_expiry=None,
        attends_school=True,
        stunted=False,
        underweight=True,
    )
    assert review.child_deprivations(child, END) == (True, True, True, False)
    entry = review.Entry(1, "X-01", 1, POOR, "muong", False, False, (child,))
    counts = review._children_counts([entry], END)
    assert (counts.children, counts.health) == (1, 2)


# --- Reports 14 and 15 ----------------------------------------------------------------


@pytest.mark.parametrize("status", [POOR, NEAR])
def test_reports_14_and_15_list_households_with_their_members(
    specs: list[H], villages: dict[str, Village], status: str
) -> None:
    summary = summarise(review.household_list, villages, status=status)

    assert [v.name for v in summary.villages] == ["Làng Chiềng", "Làng Bột"]
    for listed, village in zip(summary.villages, ("a1", "a2"), strict=True):
        group = sorted(of_class(specs, status, village), key=lambda s: s.code)
        assert [h.code for h in listed.households] == [s.code for s in group]
        assert [h.number for h in listed.households] == list(range(1, len(group) + 1))
        for household, spec in zip(listed.households, group, strict=True):
            assert household.novelty == spec.novelty
            assert household.has_meritorious_person == spec.meritorious
            assert household.no_labour_capacity == spec.no_labour
            assert household.ethnic_minority == (spec.ethnicity != "kinh")
            assert [m.full_name for m in household.members] == [
                p.name for p in spec.members
            ]
            assert household.members[0].relationship == "Chủ hộ"
            assert [m.number for m in household.members] == list(
                range(1, len(spec.members) + 1)
            )
            assert [(m.birth_year, m.female) for m in household.members] == [
                (p.born, p.sex == "female") for p in spec.members
            ]
    assert summary.households == len(of_class(specs, status))
    assert summary.persons == persons(of_class(specs, status))


def test_support_marks_follow_the_cards_the_schooling_and_the_plans() -> None:
    """The pure rule of the support columns, without the database."""

    def person(card: str = "", attends: bool | None = None, **kw: Any) -> Any:
        return review.Person(
            id=1,
            full_name="Bùi Văn An",
            birth_year=2012,
            birth_date=None,
            sex="male",
            relationship="child",
            ethnicity="muong",
            has_health_insurance=bool(card),
            health_insurance_expiry=kw.get("expiry"),
            attends_school=attends,
            stunted=False,
            underweight=False,
            health_insurance_number=card,
        )

    on = END
    supports = review.household_supports
    assert supports([person("HN2380000000001")], (), on) == {review.HEALTH}
    assert supports([person("cn3380000000001")], (), on) == {review.HEALTH}
    # A card paid by another group, or expired on 31/12, is no support of the class.
    assert supports([person("GD4380000000001")], (), on) == set()
    expired = person("HN2380000000001", expiry=date(2024, 6, 30))
    assert supports([expired], (), on) == set()
    assert supports([person(attends=True)], (), on) == {review.EDUCATION}
    assert supports(
        [person()],
        ("production", "livelihood", "credit", "housing", "training", "bogus"),
        on,
    ) == {review.PRODUCTION, review.CREDIT, review.HOUSING, review.OTHER_SUPPORT}
    assert supports([person()], ("health_insurance",), on) == {review.HEALTH}


def test_lists_mark_support_from_the_register_and_the_plans_handed_in(
    client: Client,
    officer: User,
    specs: list[H],
    villages: dict[str, Village],
) -> None:
    from tasks.models import HouseholdPlan, PlanStatus, VillagePlan

    saved = {s.code: s.saved for s in specs}
    Member.objects.filter(full_name="Bùi Văn An").update(
        health_insurance_number="HN2380000000001"
    )
    for village, status, code, lines in (
        ("a1", PlanStatus.APPROVED, "A1-03", ["credit", "training"]),
        ("a2", PlanStatus.DRAFT, "A2-01", ["credit"]),  # not handed in: no mark
    ):
        plan = VillagePlan.objects.create(
            village=villages[village],
            year=YEAR,
            due_before=date(2024, 3, 15),
            status=status,
        )
        HouseholdPlan.objects.create(plan=plan, household=saved[code], solutions=lines)

    summary = summarise(review.household_list, villages, status=POOR)
    marks = {h.code: h.supports for v in summary.villages for h in v.households}
    assert marks == {
        "A1-01": {review.HEALTH, review.EDUCATION},  # An's HN card, An at school
        "A1-02": {review.EDUCATION},  # Sáu at school
        "A1-03": {review.CREDIT, review.OTHER_SUPPORT},  # the approved plan
        "A2-01": {review.EDUCATION},  # Bảo at school; the draft plan does not count
    }

    client.force_login(officer)
    url = reverse("reports:household_list", args=[YEAR, 15])
    page = client.get(url).content.decode()
    assert "Hỗ trợ vay vốn tín dụng" in page and "Chính sách hỗ trợ" in page
    assert "mã thẻ bắt đầu HN, CN" in page
    workbook = openpyxl.load_workbook(
        io.BytesIO(client.get(url, {"format": "xlsx"}).content)
    )
    sheet = workbook["Biểu 15"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    header = next(r for r in rows if "Hỗ trợ y tế" in r)
    first = header.index("Hỗ trợ y tế")
    head_line = next(r for r in rows if r[2] == "Hà Văn Sơn")  # A1-03's head
    assert head_line[first : first + 6] == [None, None, None, "x", None, "x"]


# --- Reports 12 and 13 ---------------------------------------------------------------


def is_female_head(spec: H) -> bool:
    return any(p.relationship == "head" and p.sex == "female" for p in spec.members)


@pytest.mark.parametrize("status", [POOR, NEAR])
def test_reports_12_and_13_split_every_count_kinh_and_dtts(
    specs: list[H], villages: dict[str, Village], status: str
) -> None:
    summary = summarise(review.review_class_result, villages, status=status)

    def split(ethnicities: list[str]) -> tuple[int, int, int]:
        kinh = sum(1 for e in ethnicities if e == "kinh")
        return len(ethnicities), kinh, len(ethnicities) - kinh

    def got(count: review.SplitCount) -> tuple[int, int, int]:
        return count.total, count.kinh, count.ethnic_minority

    for village, index in SCOPES:
        row = row_of(summary, index)
        everyone = present(specs, village)
        group = of_class(specs, status, village)
        assert got(row.households) == split([s.ethnicity for s in everyone])
        assert got(row.persons) == split(
            [m.ethnicity for s in everyone for m in s.members]
        )
        assert got(row.in_class) == split([s.ethnicity for s in group])
        assert got(row.class_persons) == split(
            [m.ethnicity for s in group for m in s.members]
        )
        assert row.meritorious == sum(1 for s in group if s.meritorious)
        assert row.no_labour_capacity == sum(1 for s in group if s.no_labour)
        assert row.female_head == sum(1 for s in group if is_female_head(s))
    # Written down: 10 households (A1-02, A1-05, A2-02 Kinh), of them 4 poor (A1-01,
    # A1-02 Kinh with a person of merit and a woman at its head, A1-03 without labour,
    # A2-01 Dao with both).
    if status == POOR:
        assert got(summary.total.households) == (10, 3, 7)
        assert got(summary.total.in_class) == (4, 1, 3)
        assert (
            summary.total.meritorious,
            summary.total.no_labour_capacity,
            summary.total.female_head,
        ) == (2, 2, 1)


def test_report_12_page_pdf_and_excel_show_the_same_figures(
    client: Client, officer: User, specs: list[H], villages: dict[str, Village]
) -> None:
    client.force_login(officer)
    url = reverse("reports:review_12", args=[YEAR])
    summary = summarise(review.review_class_result, villages, status=POOR)

    body = client.get(url).content.decode()
    assert "Tổng hợp kết quả rà soát hộ nghèo theo chuẩn nghèo đa chiều" in body
    assert "Chủ hộ là nữ" in body and "Hộ chính sách người có công" in body
    rows = _sheet_rows(client.get(url, {"format": "xlsx"}).content, "Biểu 12")
    total = next(r for r in rows if r[1].value == "Tổng cộng toàn xã")
    t = summary.total
    assert [c.value for c in total[2:17]] == [
        t.households.total,
        t.households.kinh,
        t.households.ethnic_minority,
        t.persons.total,
        t.persons.kinh,
        t.persons.ethnic_minority,
        t.in_class.total,
        t.in_class.kinh,
        t.in_class.ethnic_minority,
        t.meritorious,
        t.no_labour_capacity,
        t.female_head,
        t.class_persons.total,
        t.class_persons.kinh,
        t.class_persons.ethnic_minority,
    ]
    pdf = client.get(url, {"format": "pdf"})
    assert pdf.status_code == 200 and pdf.content[:4] == b"%PDF"


# --- Constant number of queries -------------------------------------------------------


SUMMARIES: list[tuple[str, Callable[..., Any], dict[str, object]]] = [
    ("1", review.review_result, {}),
    ("2", review.review_dynamics, {"status": POOR}),
    ("3", review.review_dynamics, {"status": NEAR}),
    ("4-5", review.review_deprivations, {"status": POOR}),
    ("6-7", review.review_deprivations, {"status": NEAR}),
    ("8", review.review_target_groups, {}),
    ("9", review.review_ethnicity, {}),
    ("11", review.review_children, {}),
    ("12", review.review_class_result, {"status": POOR}),
    ("13", review.review_class_result, {"status": NEAR}),
    ("15", review.household_list, {"status": POOR}),
    ("14", review.household_list, {"status": NEAR}),
]


def many(count: int, start: int) -> list[H]:
    statuses = (POOR, NEAR, MEDIUM, NOT)
    return [
        H(
            f"N-{n:03d}",
            "a1" if n % 2 else "a2",
            [head(f"Hộ Số {n}", 1980), P(f"Con Số {n}", 2015, attends=True)],
            [
                (D23, statuses[n % 4], THREE if n % 4 == 0 else ()),
                (D24, statuses[(n + 1) % 4], THREE if n % 4 == 3 else ()),
            ],
        )
        for n in range(start, start + count)
    ]


@pytest.mark.parametrize(("name", "function", "kwargs"), SUMMARIES)
def test_queries_do_not_grow_with_the_number_of_households(
    villages: dict[str, Village],
    name: str,
    function: Callable[..., Any],
    kwargs: dict[str, object],
) -> None:
    build(villages, many(3, 0))
    with CaptureQueriesContext(connection) as few:
        summarise(function, villages, **kwargs)
    build(villages, many(27, 3))
    with CaptureQueriesContext(connection) as lots:
        summarise(function, villages, **kwargs)

    # The lists read the village plans' support lines too: one query more; and the
    # members are read through their communes' index: one query for the communes;
    # and the year's movements are the commune's cached ones: one query for its
    # register's version (households/figures.py).
    assert len(few) == len(lots) <= (8 if name in ("14", "15") else 6), name


# --- Views: screen, Excel, PDF, scope -------------------------------------------------


def test_report_1_page_shows_figures_codes_and_format_links(
    client: Client, officer: User, specs: list[H]
) -> None:
    client.force_login(officer)
    body = client.get(reverse("reports:review_1", args=[YEAR])).content.decode()

    assert "Tổng cộng toàn xã" in body
    assert "4 = 3/1×100" in body and "14 = 13/2×100" in body
    assert "40,00 %" in body  # 4 poor of 10 households
    assert "66,67 %" in body  # A1: 10 of 15 persons poor
    assert "?format=pdf" in body and "?format=xlsx" in body


def test_every_report_of_the_year_answers_in_every_format(
    client: Client, officer: User, specs: list[H]
) -> None:
    client.force_login(officer)
    index = client.get(reverse("reports:index"))
    shown = index.context["year"]
    numbers = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13)

    def urls(year: int) -> list[str]:
        return [
            *[reverse(f"reports:review_{n}", args=[year]) for n in numbers],
            *[reverse("reports:household_list", args=[year, n]) for n in (14, 15)],
        ]

    for url in urls(shown):
        assert f'href="{url}"' in index.content.decode()
        assert f'href="{url}?format=pdf"' in index.content.decode()
    for url in urls(YEAR):
        assert client.get(url).status_code == 200, url
        xlsx = client.get(url, {"format": "xlsx"})
        assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK", url
    assert client.get(f"/bao-cao/{YEAR}/bieu-16/").status_code == 404


def _sheet_rows(content: bytes, title: str) -> list[list[Any]]:
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    assert "Thông tin xuất" in workbook.sheetnames
    sheet = workbook[title]
    return [[c for c in row] for row in sheet.iter_rows(min_row=7)]


def test_report_1_excel_numbers_equal_the_summary(
    client: Client, officer: User, specs: list[H], villages: dict[str, Village]
) -> None:
    client.force_login(officer)
    response = client.get(reverse("reports:review_1", args=[YEAR]), {"format": "xlsx"})
    summary = summarise(review.review_result, villages)

    rows = _sheet_rows(response.content, "Biểu 01")
    by_name = {row[1].value: row for row in rows if row[1].value}
    for expected in (*summary.rows, summary.total):
        cells = by_name[expected.name]
        values = [c.value for c in cells[2:16]]
        assert values[:4] == [
            expected.households,
            expected.persons,
            expected.poor,
            pytest.approx(float(expected.poor_rate)),
        ]
        assert values[8] == expected.poor_persons
        assert values[9] == pytest.approx(float(expected.poor_persons_rate))
        assert all(c.data_type == "n" for c in cells[2:16])
    assert isinstance(by_name["Tổng cộng toàn xã"][2].value, int)


def test_report_8_excel_has_a_line_per_unit(
    client: Client, officer: User, specs: list[H], villages: dict[str, Village]
) -> None:
    client.force_login(officer)
    response = client.get(reverse("reports:review_8", args=[YEAR]), {"format": "xlsx"})
    summary = summarise(review.review_target_groups, villages)

    rows = [r for r in _sheet_rows(response.content, "Biểu 08") if r[2].value]
    units = [r[2].value for r in rows]
    assert units == ["Hộ", "Nhân khẩu"] * 3
    total_persons = rows[-1]
    poor = summary.total.persons.poor
    assert [c.value for c in total_persons[3:8]] == [
        poor.total,
        poor.ethnic_minority,
        poor.no_labour_capacity,
        poor.meritorious,
        poor.other,
    ]


def test_a_name_that_looks_like_a_formula_stays_text_in_excel(
    client: Client, officer: User, village_a1: Village
) -> None:
    spec = H(
        "F-01",
        "a1",
        [head('=HYPERLINK("x")', 1980)],
        [(D24, POOR, THREE)],
    )
    build({"a1": village_a1}, [spec])
    client.force_login(officer)
    response = client.get(
        reverse("reports:household_list", args=[YEAR, 15]), {"format": "xlsx"}
    )

    rows = _sheet_rows(response.content, "Biểu 15")
    cells = [row[2] for row in rows if row[2].value == '=HYPERLINK("x")']
    assert len(cells) == 1
    assert cells[0].data_type == "s"
    born = next(row[3] for row in rows if row[2].value == '=HYPERLINK("x")')
    assert born.value == 1980 and born.data_type == "n"


def _pdf_text(content: bytes, tmp_path: Path, *pages: str) -> str:
    assert content.startswith(b"%PDF")
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(content)
    return subprocess.run(
        ["pdftotext", *pages, str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def _fonts(content: bytes, tmp_path: Path) -> list[str]:
    pdf = tmp_path / "fonts.pdf"
    pdf.write_bytes(content)
    return subprocess.run(
        ["pdffonts", str(pdf)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]


def test_report_1_pdf_is_an_official_report_with_the_figures(
    client: Client, officer: User, specs: list[H], tmp_path: Path
) -> None:
    client.force_login(officer)
    response = client.get(reverse("reports:review_1", args=[YEAR]), {"format": "pdf"})

    text = " ".join(_pdf_text(response.content, tmp_path).split())
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "ỦY BAN NHÂN DÂN" in text and "XÃ CAO NGỌC" in text
    assert "BÁO CÁO" in text and "/BC-UBND" in text
    assert (
        "Tổng hợp kết quả chính thức rà soát hộ nghèo, hộ cận nghèo, hộ làm nông, "
        "lâm, ngư nghiệp có mức sống trung bình năm 2024"
    ) in text
    assert "Biểu số 01" in text
    assert "Tổng cộng toàn xã" in text
    assert "40,00 %" in text and "66,67 %" in text
    assert "TM. ỦY BAN NHÂN DÂN" in text and "Nơi nhận:" in text
    # Printed today, after the districts were abolished (01/07/2025).
    assert "Sở Nông nghiệp và Môi trường tỉnh Thanh Hóa" in text
    fonts = _fonts(response.content, tmp_path)
    assert fonts and all("Liberation-Serif" in line for line in fonts)


def test_a_long_household_list_repeats_its_header_on_every_page(
    client: Client, officer: User, village_a1: Village, tmp_path: Path
) -> None:
    specs = [
        H(
            f"L-{n:03d}",
            "a1",
            [
                head(f"Bùi Văn Chủ {n}", 1970),
                P(f"Quách Thị Vợ {n}", 1972, "female", "spouse"),
                P(f"Bùi Văn Con {n}", 2000),
                P(f"Bùi Thị Cháu {n}", 2018, "female", "grandchild", attends=True),
            ],
            [(D24, POOR, THREE)],
        )
        for n in range(120)
    ]
    build({"a1": village_a1}, specs)
    client.force_login(officer)
    response = client.get(
        reverse("reports:household_list", args=[YEAR, 15]),
        {"format": "pdf", "village": village_a1.pk},
    )

    first = _pdf_text(response.content, tmp_path, "-f", "1", "-l", "1")
    second = _pdf_text(response.content, tmp_path, "-f", "2", "-l", "2")
    last = _pdf_text(response.content, tmp_path, "-f", "4", "-l", "4")
    assert "Danh sách chi tiết hộ nghèo năm 2024" in " ".join(first.split())
    for page in (" ".join(second.split()), " ".join(last.split())):
        assert "STT chủ hộ" in page and "Họ và tên" in page and "KCKNLĐ" in page
        assert "Chính sách hỗ trợ" in page
    assert "Bùi Văn Chủ 119" in _pdf_text(response.content, tmp_path)
    fonts = _fonts(response.content, tmp_path)
    assert all("Liberation-Serif" in line for line in fonts)


def test_a_village_head_reports_only_on_their_village(
    client: Client, head_a1: User, specs: list[H], village_a2: Village
) -> None:
    client.force_login(head_a1)
    for name in ("reports:review_1", "reports:review_8"):
        body = client.get(reverse(name, args=[YEAR])).content.decode()
        assert "Làng Chiềng" in body
        assert "Làng Bột" not in body
        assert "Tổng cộng toàn xã" not in body
    listed = client.get(reverse("reports:household_list", args=[YEAR, 15]))
    assert "Bùi Văn Hùng" in listed.content.decode()  # A1-01
    assert "Triệu Văn Phú" not in listed.content.decode()  # A2-01
    other = client.get(
        reverse("reports:household_list", args=[YEAR, 15]), {"village": village_a2.pk}
    )
    assert other.status_code == 404


def test_an_officer_can_narrow_a_report_to_one_village(
    client: Client, officer: User, specs: list[H], village_a2: Village
) -> None:
    client.force_login(officer)
    response = client.get(
        reverse("reports:review_1", args=[YEAR]), {"village": village_a2.pk}
    )
    body = response.content.decode()

    assert "Làng Bột" in body
    assert "Tổng cộng toàn xã" not in body
    assert f"village={village_a2.pk}&amp;format=pdf" in body
    pdf = client.get(
        reverse("reports:review_1", args=[YEAR]),
        {"village": village_a2.pk, "format": "pdf"},
    )
    assert pdf.status_code == 200


def test_another_communes_officer_sees_none_of_these_households(
    client: Client, outsider: User, specs: list[H]
) -> None:
    client.force_login(outsider)
    body = client.get(reverse("reports:household_list", args=[YEAR, 15])).content
    assert "Bùi Văn Hùng" not in body.decode()


def test_every_report_of_the_index_offers_view_pdf_and_excel(
    client: Client, officer: User, specs: list[H]
) -> None:
    client.force_login(officer)
    page = client.get(reverse("reports:index")).content.decode()

    items = re.findall(r"<li>(.*?)</li>", page, re.S)
    reports = [item for item in items if "format=pdf" in item or "Xem" in item]
    assert len(reports) >= 19  # Phụ lục 01, status, 11 tables, 2 lists, 5 September
    for item in reports:
        if "bản in là Biểu số 02 và 03" in item:  # diễn biến: a page, printed as 02/03
            continue
        labels = re.findall(r'<a href="[^"]*">([^<]*)</a>', item)
        assert labels[-3:] == ["Xem", "Tải PDF", "Tải Excel"], item
