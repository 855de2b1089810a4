"""Service-access and poverty targets measured against a hand-made register.

Every village here is small enough that the right answer is known by counting: each
test builds the households, reviews and members it needs and measures on a fixed day.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from giamngheo.models import User
from households.models import ArchiveReason, Household, Member, Village
from targets.measurement import (
    ServiceProgress,
    poor_at_start,
    poverty_progress,
    service_progress,
)
from targets.models import (
    Measure,
    Population,
    PovertyTarget,
    ServiceTarget,
    VillageAllocation,
)
from tests.conftest import make_household, make_review

pytestmark = pytest.mark.django_db

ON = date(2024, 6, 30)
LONG_AGO = date(2015, 1, 1)
REVIEWED = date(2023, 11, 20)
# Three deprivations that no service target reads: enough to be poor.
POOR_BASE = ("viec_lam", "nguoi_phu_thuoc", "dinh_duong")

POPULATIONS = {
    Measure.CHILDREN_IN_SCHOOL: Population.CHILDREN,
    Measure.NEAR_POOR_INSURED: Population.NEAR_POOR_MEMBERS,
}


def service_target(
    village: Village,
    measure: str,
    comparator: str = "gt",
    threshold: int | str = 70,
    code: str = "1",
) -> ServiceTarget:
    return ServiceTarget.objects.create(
        commune=village.commune,
        year=2024,
        code=code,
        position=int(code) if code.isdigit() else 0,
        text=f"Chỉ tiêu {measure}",
        measure=measure,
        population=POPULATIONS.get(measure, Population.POOR_HOUSEHOLDS),
        indicators="chỉ số thiếu hụt",
        comparator=comparator,
        threshold=Decimal(threshold),
        threshold_as_written=f"{threshold} %",
        responsible="Công chức LĐ-TB&XH",
        report_due_before=date(2024, 9, 25),
    )


def poor(village: Village, code: str, *deprived: str, **fields: object) -> Household:
    """A poor household (reviewed 20/11/2023), also deprived on `deprived`."""
    household = make_household(village, code, registered_on=LONG_AGO, **fields)
    make_review(household, deprived=POOR_BASE + deprived, on=REVIEWED)
    return household


def near_poor(village: Village, code: str, **fields: object) -> Household:
    household = make_household(village, code, registered_on=LONG_AGO, **fields)
    make_review(household, income=1_200_000, on=REVIEWED)
    return household


def not_poor(village: Village, code: str, *deprived: str) -> Household:
    household = make_household(village, code, registered_on=LONG_AGO)
    make_review(household, income=3_000_000, deprived=deprived, on=REVIEWED)
    return household


def member(household: Household, name: str, **fields: object) -> Member:
    values: dict[str, object] = {
        "birth_year": 1985,
        "sex": "female",
        "relationship": "child",
    }
    return Member.objects.create(household=household, full_name=name, **values | fields)


def measure(
    target: ServiceTarget, villages: list[Village], user: User | None = None
) -> object:
    households = Household.objects.visible_to(user) if user else Household.objects.all()
    return service_progress(
        target, households.filter(commune=target.commune), villages, on=ON
    )


def split(result: ServiceProgress) -> dict[str, tuple[int, int]]:
    return {v.name: (m.ok, m.total) for v, m in result.villages}


def codes(result: ServiceProgress) -> list[str]:
    return [c.household_code for c in result.concerned]


# --- Poor households with a hygienic latrine -----------------------------------------


@pytest.fixture
def latrine_village(village_a1: Village) -> Village:
    """10 poor households, 3 of them without a hygienic latrine: 70 % reached."""
    for n in range(1, 11):
        extra = ("nha_tieu_hop_ve_sinh",) if n <= 3 else ()
        poor(village_a1, f"A1-{n:02}", *extra)
    return village_a1


def test_latrine_70_percent_does_not_meet_over_90_percent(
    latrine_village: Village,
) -> None:
    target = service_target(latrine_village, Measure.POOR_LATRINE, "gt", 90)
    result = measure(target, [latrine_village])
    assert (result.commune.ok, result.commune.total) == (7, 10)
    assert result.commune.percent == Decimal("70.00")
    assert result.commune.met is False
    assert result.commune.gap == 3  # 9/10 is exactly 90 %, not over
    assert result.gap_sentence == (
        "Còn thiếu 3 hộ nghèo chưa có nhà tiêu hợp vệ sinh để đạt chỉ tiêu."
    )
    assert result.concerned_sentence == "3 hộ nghèo chưa có nhà tiêu hợp vệ sinh"
    assert codes(result) == ["A1-01", "A1-02", "A1-03"]


def test_latrine_exactly_70_percent_does_not_meet_over_70_percent(
    latrine_village: Village,
) -> None:
    target = service_target(latrine_village, Measure.POOR_LATRINE, "gt", 70)
    result = measure(target, [latrine_village])
    assert (result.commune.ok, result.commune.total) == (7, 10)
    assert result.commune.met is False
    assert result.commune.gap == 1


def test_latrine_exactly_70_percent_meets_70_percent_at_least(
    latrine_village: Village,
) -> None:
    target = service_target(latrine_village, Measure.POOR_LATRINE, "gte", 70)
    result = measure(target, [latrine_village])
    assert result.commune.met is True
    assert result.commune.gap == 0
    assert result.gap_sentence == "Đã đạt chỉ tiêu."
    assert len(result.concerned) == 3  # still listed: they are not reached yet


def test_latrine_concerned_names_the_household_heads(village_a1: Village) -> None:
    poor(village_a1, "A1-01", "nha_tieu_hop_ve_sinh")
    household = make_household(
        village_a1, "A1-02", "Hà Thị Mai", registered_on=LONG_AGO
    )
    make_review(household, deprived=(*POOR_BASE, "nha_tieu_hop_ve_sinh"), on=REVIEWED)
    target = service_target(village_a1, Measure.POOR_LATRINE)
    result = measure(target, [village_a1])
    assert [(c.household_code, c.name, c.village_name) for c in result.concerned] == [
        ("A1-01", "Bùi Văn Hùng", "Làng Chiềng"),
        ("A1-02", "Hà Thị Mai", "Làng Chiềng"),
    ]
    assert result.concerned[1].household_id == household.pk


def test_latrine_counts_only_poor_households_present_on_the_day(
    village_a1: Village,
) -> None:
    poor(village_a1, "A1-01")
    poor(village_a1, "A1-02", "nha_tieu_hop_ve_sinh")
    # Deprived on the latrine but not counted:
    near_poor(village_a1, "A1-03")
    Household.objects.filter(code="A1-03").get().reviews.update(
        nha_tieu_hop_ve_sinh=True
    )
    not_poor(village_a1, "A1-04", "nha_tieu_hop_ve_sinh")
    poor(
        village_a1,
        "A1-05",
        "nha_tieu_hop_ve_sinh",
        archived_on=date(2024, 3, 1),
        archive_reason=ArchiveReason.MOVED_AWAY,
    )
    late = make_household(village_a1, "A1-06", registered_on=date(2024, 7, 1))
    make_review(late, deprived=(*POOR_BASE, "nha_tieu_hop_ve_sinh"), on=REVIEWED)
    unreviewed = make_household(village_a1, "A1-07", registered_on=LONG_AGO)
    assert unreviewed.reviews.count() == 0
    # Reviewed poor only after the day: not poor yet on 30/06/2024.
    after = make_household(village_a1, "A1-08", registered_on=LONG_AGO)
    make_review(
        after, deprived=(*POOR_BASE, "nha_tieu_hop_ve_sinh"), on=date(2024, 9, 1)
    )

    target = service_target(village_a1, Measure.POOR_LATRINE)
    result = measure(target, [village_a1])
    assert (result.commune.ok, result.commune.total) == (1, 2)
    assert codes(result) == ["A1-02"]


def test_latrine_reads_the_latest_review_up_to_the_day(village_a1: Village) -> None:
    household = poor(village_a1, "A1-01", "nha_tieu_hop_ve_sinh")
    make_review(household, deprived=POOR_BASE, on=date(2024, 3, 1))  # built one
    make_review(
        household, deprived=(*POOR_BASE, "nha_tieu_hop_ve_sinh"), on=date(2024, 8, 1)
    )
    target = service_target(village_a1, Measure.POOR_LATRINE)
    result = measure(target, [village_a1])
    assert (result.commune.ok, result.commune.total) == (1, 1)
    assert result.concerned == []


def test_latrine_is_split_per_village(village_a1: Village, village_a2: Village) -> None:
    for n in range(1, 5):
        poor(village_a1, f"A1-{n:02}", *(("nha_tieu_hop_ve_sinh",) if n == 1 else ()))
    for n in range(1, 3):
        poor(village_a2, f"A2-{n:02}", "nha_tieu_hop_ve_sinh")
    target = service_target(village_a1, Measure.POOR_LATRINE, "gt", 70)
    result = measure(target, [village_a1, village_a2])
    assert split(result) == {"Làng Chiềng": (3, 4), "Làng Bột": (0, 2)}
    [(_, m1), (_, m2)] = result.villages
    assert (m1.met, m1.gap, m1.concerned) == (True, 0, 1)
    assert (m2.met, m2.gap, m2.concerned) == (False, 2, 2)
    assert (result.commune.ok, result.commune.total) == (3, 6)
    assert result.commune.gap == 2  # 5/6 is over 70 %
    assert codes(result) == ["A1-01", "A2-01", "A2-02"]


def test_a_village_without_poor_households_meets_the_target(
    village_a1: Village, village_a2: Village
) -> None:
    poor(village_a1, "A1-01", "nha_tieu_hop_ve_sinh")
    target = service_target(village_a1, Measure.POOR_LATRINE, "gt", 70)
    result = measure(target, [village_a1, village_a2])
    [(_, m1), (_, m2)] = result.villages
    assert (m2.ok, m2.total, m2.met, m2.gap, m2.percent) == (0, 0, True, 0, None)
    assert m1.met is False


def test_the_village_head_measures_only_their_village(
    head_a1: User, village_a1: Village, village_a2: Village
) -> None:
    poor(village_a1, "A1-01")
    poor(village_a1, "A1-02", "nha_tieu_hop_ve_sinh")
    poor(village_a2, "A2-01", "nha_tieu_hop_ve_sinh")
    poor(village_a2, "A2-02", "nha_tieu_hop_ve_sinh")
    visible = Household.objects.visible_to(head_a1)
    assert set(visible.values_list("code", flat=True)) == {"A1-01", "A1-02"}
    target = service_target(village_a1, Measure.POOR_LATRINE)
    result = measure(target, [village_a1], head_a1)
    assert (result.commune.ok, result.commune.total) == (1, 2)
    assert split(result) == {"Làng Chiềng": (1, 2)}
    assert codes(result) == ["A1-02"]


# --- The other household measures ----------------------------------------------------


@pytest.mark.parametrize(
    ("measure_name", "indicator"),
    [
        (Measure.POOR_WATER, "nguon_nuoc_sinh_hoat"),
        (Measure.POOR_HOUSING_QUALITY, "chat_luong_nha_o"),
        (Measure.POOR_FLOOR_AREA, "dien_tich_nha_o_binh_quan"),
        (Measure.POOR_LATRINE, "nha_tieu_hop_ve_sinh"),
    ],
)
def test_a_household_measure_reads_its_own_indicator_only(
    village_a1: Village, measure_name: str, indicator: str
) -> None:
    others = [
        "nguon_nuoc_sinh_hoat",
        "chat_luong_nha_o",
        "dien_tich_nha_o_binh_quan",
        "nha_tieu_hop_ve_sinh",
    ]
    others.remove(indicator)
    poor(village_a1, "A1-01", indicator)
    poor(village_a1, "A1-02", *others)  # deprived on everything else: reached
    poor(village_a1, "A1-03")
    poor(village_a1, "A1-04", indicator, *others)
    target = service_target(village_a1, measure_name, "gte", 80)
    result = measure(target, [village_a1])
    assert (result.commune.ok, result.commune.total) == (2, 4)
    assert codes(result) == ["A1-01", "A1-04"]
    assert result.commune.gap == 2  # 80 % of 4 = 3.2 -> 4


def test_information_needs_both_telecom_and_information_means(
    village_a1: Village,
) -> None:
    poor(village_a1, "A1-01")  # both indicators fine: reached
    poor(village_a1, "A1-02", "su_dung_dich_vu_vien_thong")
    poor(village_a1, "A1-03", "phuong_tien_tiep_can_thong_tin")
    poor(
        village_a1,
        "A1-04",
        "su_dung_dich_vu_vien_thong",
        "phuong_tien_tiep_can_thong_tin",
    )
    poor(village_a1, "A1-05", "nha_tieu_hop_ve_sinh")  # other indicator: reached
    target = service_target(village_a1, Measure.POOR_INFORMATION, "eq", 100)
    result = measure(target, [village_a1])
    assert (result.commune.ok, result.commune.total) == (2, 5)
    assert codes(result) == ["A1-02", "A1-03", "A1-04"]
    assert result.commune.met is False
    assert result.commune.gap == 3
    assert result.gap_sentence == (
        "Còn thiếu 3 hộ nghèo chưa tiếp cận dịch vụ thông tin để đạt chỉ tiêu."
    )


# --- Children in school --------------------------------------------------------------


def test_children_in_school_count_every_household_of_the_commune(
    village_a1: Village, village_a2: Village
) -> None:
    poor_household = poor(village_a1, "A1-01")
    member(poor_household, "Bùi Thị Ba", birth_year=2021, attends_school=True)  # 3
    member(poor_household, "Bùi Văn Bốn", birth_year=2010, attends_school=False)
    rich = not_poor(village_a1, "A1-02")
    member(rich, "Quách Văn Năm", birth_year=2012, attends_school=True)
    member(rich, "Quách Thị Sáu", birth_year=2008, attends_school=True)  # 16: out
    member(rich, "Quách Văn Bảy", birth_year=2022)  # 2: out
    # Born 12/2008: still 15 on 30/06/2024, counted.
    member(
        rich,
        "Quách Thị Tám",
        birth_year=2008,
        birth_date=date(2008, 12, 1),
        attends_school=False,
    )
    unreviewed = make_household(village_a2, "A2-01", registered_on=LONG_AGO)
    member(unreviewed, "Hà Văn Chín", birth_year=2015, attends_school=True)
    member(unreviewed, "Hà Thị Mười", birth_year=2016)  # not recorded: not reached
    gone = make_household(
        village_a2,
        "A2-02",
        registered_on=LONG_AGO,
        archived_on=date(2024, 1, 10),
        archive_reason=ArchiveReason.MOVED_AWAY,
    )
    member(gone, "Hà Văn Mười Một", birth_year=2014, attends_school=False)
    later = make_household(village_a2, "A2-03", registered_on=date(2024, 8, 1))
    member(later, "Hà Văn Mười Hai", birth_year=2014, attends_school=False)

    target = service_target(village_a1, Measure.CHILDREN_IN_SCHOOL, "gte", 80)
    result = measure(target, [village_a1, village_a2])
    assert split(result) == {"Làng Chiềng": (2, 4), "Làng Bột": (1, 2)}
    assert (result.commune.ok, result.commune.total) == (3, 6)
    assert result.commune.gap == 2  # 80 % of 6 = 4.8 -> 5
    assert [(c.household_code, c.name) for c in result.concerned] == [
        ("A1-01", "Bùi Văn Bốn"),
        ("A1-02", "Quách Thị Tám"),
        ("A2-01", "Hà Thị Mười"),
    ]
    assert target.unit == "người"


def test_a_child_turning_16_later_in_the_year_is_still_counted(
    village_a1: Village,
) -> None:
    household = make_household(village_a1, "A1-01", registered_on=LONG_AGO)
    member(
        household,
        "Bùi Thị Hoa",
        birth_year=2008,
        birth_date=date(2008, 7, 1),
        attends_school=True,
    )
    member(
        household,
        "Bùi Văn Huy",
        birth_year=2008,
        birth_date=date(2008, 6, 30),  # 16 on the day: out
        attends_school=True,
    )
    target = service_target(village_a1, Measure.CHILDREN_IN_SCHOOL, "gte", 80)
    result = measure(target, [village_a1])
    assert (result.commune.ok, result.commune.total) == (1, 1)


# --- Near-poor members insured -------------------------------------------------------


def test_near_poor_insured_counts_the_persons_of_near_poor_households(
    village_a1: Village, village_a2: Village
) -> None:
    first = near_poor(village_a1, "A1-01")  # head insured, no expiry: reached
    member(
        first,
        "Bùi Thị Hạn",
        has_health_insurance=True,
        health_insurance_expiry=date(2024, 6, 29),  # expired the day before
    )
    member(
        first,
        "Bùi Văn Đúng",
        has_health_insurance=True,
        health_insurance_expiry=date(2024, 6, 30),  # valid through the day
    )
    member(first, "Bùi Thị Không", has_health_insurance=False)
    second = near_poor(village_a2, "A2-01", head_name="Quách Văn Tư")
    Member.objects.filter(household=second).update(has_health_insurance=False)
    member(second, "Quách Thị Năm", has_health_insurance=True)
    # Not near-poor: their members are not counted.
    member(poor(village_a1, "A1-02"), "Hà Văn Nghèo", has_health_insurance=False)
    member(not_poor(village_a1, "A1-03"), "Hà Văn Khá", has_health_insurance=False)
    gone = near_poor(
        village_a2,
        "A2-02",
        archived_on=date(2024, 2, 1),
        archive_reason=ArchiveReason.DISSOLVED,
    )
    member(gone, "Hà Thị Đi", has_health_insurance=False)

    target = service_target(village_a1, Measure.NEAR_POOR_INSURED, "eq", 100)
    result = measure(target, [village_a1, village_a2])
    assert split(result) == {"Làng Chiềng": (2, 4), "Làng Bột": (1, 2)}
    assert (result.commune.ok, result.commune.total) == (3, 6)
    assert result.commune.gap == 3
    assert [(c.household_code, c.name) for c in result.concerned] == [
        ("A1-01", "Bùi Thị Hạn"),
        ("A1-01", "Bùi Thị Không"),
        ("A2-01", "Quách Văn Tư"),
    ]
    assert result.concerned_sentence == (
        "3 khẩu thuộc hộ cận nghèo chưa có thẻ BHYT còn hạn"
    )


def test_near_poor_insured_reads_the_status_on_the_day(village_a1: Village) -> None:
    household = near_poor(village_a1, "A1-01")
    member(household, "Bùi Thị Không", has_health_insurance=False)
    make_review(household, income=3_000_000, on=date(2024, 3, 1))  # not near-poor
    target = service_target(village_a1, Measure.NEAR_POOR_INSURED, "eq", 100)
    result = measure(target, [village_a1])
    assert (result.commune.ok, result.commune.total) == (0, 0)
    assert result.commune.met is True


# --- Query counts --------------------------------------------------------------------


def build(village: Village, prefix: str, count: int) -> None:
    """`count` households, odd ones poor without a latrine, even ones near-poor."""
    for n in range(count):
        code = f"{prefix}-{n:03}"
        if n % 2:
            household = poor(village, code, "nha_tieu_hop_ve_sinh")
        else:
            household = near_poor(village, code)
        member(household, f"Con {n}", birth_year=2015, attends_school=n % 3 == 0)
        member(household, f"Vợ {n}", relationship="spouse", has_health_insurance=False)


@pytest.mark.parametrize(
    "measure_name",
    [Measure.POOR_LATRINE, Measure.CHILDREN_IN_SCHOOL, Measure.NEAR_POOR_INSURED],
)
def test_service_progress_queries_do_not_grow_with_households(
    village_a1: Village, village_a2: Village, measure_name: str
) -> None:
    target = service_target(village_a1, measure_name)
    villages = [village_a1, village_a2]

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            result = measure(target, villages)
            assert result.commune.total > 0
            assert result.concerned
        return len(context)

    build(village_a1, "S", 3)
    small = queries()
    build(village_a1, "M", 15)
    build(village_a2, "L", 15)
    assert queries() == small


def test_poverty_progress_queries_do_not_grow_with_households(
    village_a1: Village, village_a2: Village
) -> None:
    target = PovertyTarget.objects.create(
        commune=village_a1.commune, year=2024, poor_target_end=1
    )
    VillageAllocation.objects.create(
        target=target, village=village_a1, poor_reduction=1
    )
    VillageAllocation.objects.create(
        target=target, village=village_a2, poor_reduction=0
    )

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            progress = poverty_progress(
                2024,
                target,
                Household.objects.filter(commune=village_a1.commune),
                [village_a1, village_a2],
                on=ON,
            )
            assert progress.total.households_start > 0
        return len(context)

    build(village_a1, "S", 3)
    small = queries()
    build(village_a1, "M", 15)
    build(village_a2, "L", 15)
    assert queries() == small


# --- Poverty progress ----------------------------------------------------------------


@pytest.fixture
def register_2024(village_a1: Village, village_a2: Village) -> None:
    """Start of 2024 (31/12/2023): A1 has 4 poor of 10, A2 has 2 poor of 5.

    During 2024: in A1 two poor households escape, one moves away, one arrives poor;
    in A2 one poor household escapes and one near-poor becomes poor.
    """
    a1 = [poor(village_a1, f"A1-{n:02}") for n in range(1, 5)]
    a1 += [not_poor(village_a1, f"A1-{n:02}") for n in range(5, 9)]
    a1 += [near_poor(village_a1, f"A1-{n:02}") for n in range(9, 11)]
    a2 = [poor(village_a2, f"A2-{n:02}") for n in range(1, 3)]
    a2 += [near_poor(village_a2, f"A2-{n:02}") for n in range(3, 5)]
    a2 += [not_poor(village_a2, "A2-05")]
    during = date(2024, 10, 1)
    make_review(a1[0], income=3_000_000, on=during)
    make_review(a1[1], income=1_200_000, on=during)  # poor -> near-poor
    Household.objects.filter(pk=a1[2].pk).update(
        archived_on=date(2024, 5, 1), archive_reason=ArchiveReason.MOVED_AWAY
    )
    arrived = make_household(village_a1, "A1-11", registered_on=date(2024, 4, 1))
    make_review(arrived, deprived=POOR_BASE, on=date(2024, 4, 2))
    make_review(a2[0], income=3_000_000, on=during)
    make_review(a2[2], deprived=POOR_BASE, on=during)


@pytest.mark.usefixtures("register_2024")
def test_poverty_progress_rows_against_the_allocation(
    village_a1: Village, village_a2: Village
) -> None:
    target = PovertyTarget.objects.create(
        commune=village_a1.commune, year=2024, poor_target_end=3
    )
    VillageAllocation.objects.create(
        target=target, village=village_a1, poor_reduction=2
    )
    VillageAllocation.objects.create(
        target=target, village=village_a2, poor_reduction=1
    )
    progress = poverty_progress(
        2024,
        target,
        Household.objects.filter(commune=village_a1.commune),
        [village_a1, village_a2],
        on=date(2024, 12, 31),
    )
    assert progress.baseline_date == date(2023, 12, 31)
    a1, a2 = progress.villages
    assert a1.village == village_a1
    assert (a1.name, a1.households_start, a1.poor_start, a1.near_poor_start) == (
        "Làng Chiềng",
        10,
        4,
        2,
    )
    # Now: A1-01 escaped, A1-02 near-poor, A1-03 moved away, A1-11 arrived poor.
    assert (a1.households_now, a1.poor_now, a1.near_poor_now) == (10, 2, 3)
    assert (a1.poor_reduction, a1.poor_target_end) == (2, 2)
    assert (a1.lifted, a1.still_to_lift, a1.met) == (2, 0, True)
    assert a1.rate_start == Decimal("40.00")
    assert a1.rate_target == Decimal("20.00")
    assert a1.rate_now == Decimal("20.00")

    assert (a2.households_start, a2.poor_start, a2.near_poor_start) == (5, 2, 2)
    # A2-01 escaped, A2-03 became poor: still 2 poor against a target of 1.
    assert (a2.households_now, a2.poor_now, a2.near_poor_now) == (5, 2, 1)
    assert (a2.poor_reduction, a2.poor_target_end) == (1, 1)
    assert (a2.lifted, a2.still_to_lift, a2.met) == (0, 1, False)
    assert a2.rate_start == Decimal("40.00")
    assert a2.rate_target == Decimal("20.00")

    total = progress.total
    assert total.name == "Toàn xã"
    assert (total.households_start, total.poor_start) == (15, 6)
    assert (total.households_now, total.poor_now) == (15, 4)
    assert (total.poor_reduction, total.poor_target_end) == (3, 3)
    assert (total.still_to_lift, total.met) == (1, False)
    assert total.rate_start == Decimal("40.00")
    assert total.rate_now == Decimal("26.67")


@pytest.mark.usefixtures("register_2024")
def test_poverty_progress_at_the_start_of_the_year_is_the_baseline(
    village_a1: Village, village_a2: Village
) -> None:
    progress = poverty_progress(
        2024,
        None,
        Household.objects.filter(commune=village_a1.commune),
        [village_a1, village_a2],
        on=date(2024, 1, 1),
    )
    for row in (*progress.villages, progress.total):
        assert row.poor_now == row.poor_start
        assert row.households_now == row.households_start
        assert row.poor_reduction is None
        assert row.poor_target_end is None
        assert row.still_to_lift is None
        assert row.met is None
        assert row.rate_target is None
    assert progress.target is None


@pytest.mark.usefixtures("register_2024")
def test_poverty_progress_for_the_village_head_is_their_village(
    head_a1: User, village_a1: Village
) -> None:
    target = PovertyTarget.objects.create(
        commune=village_a1.commune, year=2024, poor_target_end=3
    )
    VillageAllocation.objects.create(
        target=target, village=village_a1, poor_reduction=2
    )
    progress = poverty_progress(
        2024,
        target,
        Household.objects.visible_to(head_a1),
        [village_a1],
        on=date(2024, 12, 31),
        whole_commune=False,
    )
    [row] = progress.villages
    assert (row.households_start, row.poor_start, row.poor_now) == (10, 4, 2)
    total = progress.total
    assert total.name == "Làng Chiềng"
    assert (total.poor_start, total.poor_reduction, total.poor_target_end) == (4, 2, 2)
    assert total.near_poor_target_end is None


@pytest.mark.usefixtures("register_2024")
def test_poor_at_start_counts_poor_households_per_village(
    village_a1: Village, village_a2: Village
) -> None:
    households = Household.objects.filter(commune=village_a1.commune)
    assert poor_at_start(households, 2024) == {village_a1.pk: 4, village_a2.pk: 2}
    # At the start of 2025: A1 has A1-04 and A1-11, A2 has A2-02 and A2-03.
    assert poor_at_start(households, 2025) == {village_a1.pk: 2, village_a2.pk: 2}


def test_poverty_progress_without_households_has_no_rates(
    village_a1: Village,
) -> None:
    progress = poverty_progress(
        2024, None, Household.objects.none(), [village_a1], on=ON
    )
    [row] = progress.villages
    assert (row.households_start, row.poor_start, row.rate_start, row.rate_now) == (
        0,
        0,
        None,
        None,
    )


# --- The figures alone, counted by the database ---------------------------------


@pytest.mark.parametrize(
    "measure_code", [Measure.CHILDREN_IN_SCHOOL, Measure.NEAR_POOR_INSURED]
)
def test_the_counts_alone_equal_the_list_on_every_boundary(
    village_a1: Village, village_a2: Village, measure_code: str
) -> None:
    """The dashboard and the targets page count in SQL (`list_concerned=False`);
    the concerned list counts in Python: children born on each side of the 3rd and
    16th birthdays, with and without a birth date, insurance expiring on either side
    of the day, must give the same figures."""
    target = service_target(village_a1, measure_code)
    day = ON
    births = [
        {"birth_year": day.year - 3, "birth_date": day.replace(year=day.year - 3)},
        {"birth_year": day.year - 3, "birth_date": date(day.year - 3, 12, 31)},
        {"birth_year": day.year - 16, "birth_date": day.replace(year=day.year - 16)},
        {"birth_year": day.year - 16, "birth_date": date(day.year - 16, 12, 31)},
        {"birth_year": day.year - 15, "birth_date": None},
        {"birth_year": day.year - 16, "birth_date": None},
        {"birth_year": day.year - 3, "birth_date": None},
        {"birth_year": day.year - 2, "birth_date": None},
    ]
    expiries = [None, day, date(day.year, 1, 1), date(day.year + 1, 1, 1)]
    for number, village in enumerate([village_a1, village_a2, village_a1]):
        household = near_poor(village, f"B-{number}")
        for index, birth in enumerate(births):
            member(
                household,
                f"Con {number}-{index}",
                attends_school=[True, False, None][index % 3],
                has_health_insurance=index % 4 != 3,
                health_insurance_expiry=expiries[index % 4],
                **birth,
            )
    households = Household.objects.filter(commune=target.commune)
    villages = [village_a1, village_a2]
    listed = service_progress(target, households, villages, on=day)
    counted = service_progress(
        target, households, villages, on=day, list_concerned=False
    )
    assert split(counted) == split(listed)
    assert (counted.commune.ok, counted.commune.total) == (
        listed.commune.ok,
        listed.commune.total,
    )
    assert listed.commune.total > listed.commune.ok > 0
    assert counted.concerned == []
