"""Phiếu B2: the indicators that follow from employment, education, nutrition and the
dwelling's facts (households.indicators), at their edges, without a database."""

from __future__ import annotations

from datetime import date

import pytest

from households.indicators import (
    CLEAN_WATER_SOURCES,
    HYGIENIC_LATRINE_TYPES,
    LATRINE_TYPES,
    WATER_SOURCES,
    DwellingFacts,
    MemberFacts,
    derive_indicators,
    retirement_age_months,
)

ON = date(2024, 10, 15)


def person(born: date, **facts: object) -> MemberFacts:
    return MemberFacts(
        full_name="Bùi Văn Đức",
        birth_year=born.year,
        birth_date=born,
        **facts,  # type: ignore[arg-type]
    )


def aged(years: int, **facts: object) -> MemberFacts:
    """A member who turned `years` on 1 October 2024 (a fortnight before ON)."""
    return person(date(2024 - years, 10, 1), **facts)


def derive(*members: MemberFacts, dwelling: DwellingFacts | None = None) -> dict:
    return derive_indicators(
        list(members), floor_area_m2=None, on=ON, dwelling=dwelling
    )


# --- 1. Việc làm: working age from 15 to the retirement age ---------------------------


@pytest.mark.parametrize("employment", ["unemployed", "no_contract"])
def test_work_deprived_at_15_unemployed_or_without_contract(employment: str) -> None:
    result = derive(aged(15, employment=employment))["viec_lam"]

    assert result.deprived is True
    assert "Bùi Văn Đức" in result.explanation


def test_work_14_year_old_without_contract_is_not_of_working_age() -> None:
    assert derive(aged(14, employment="no_contract"))["viec_lam"].deprived is False


@pytest.mark.parametrize(
    "employment", ["contract", "self_employed", "student", "not_working", ""]
)
def test_work_other_situations_are_not_deprived(employment: str) -> None:
    assert derive(aged(30, employment=employment))["viec_lam"].deprived is False


def test_retirement_age_follows_the_schedule_of_nd_135_2020() -> None:
    assert retirement_age_months("male", 2021) == 60 * 12 + 3
    assert retirement_age_months("male", 2024) == 61 * 12
    assert retirement_age_months("male", 2028) == 62 * 12
    assert retirement_age_months("male", 2035) == 62 * 12
    assert retirement_age_months("female", 2021) == 55 * 12 + 4
    assert retirement_age_months("female", 2024) == 56 * 12 + 4
    assert retirement_age_months("female", 2035) == 60 * 12


def test_work_man_the_day_before_and_on_his_retirement_age_in_2024() -> None:
    # 61 years in 2024: born 16/10/1963 is 60 years 11 months on 15/10/2024.
    before = person(date(1963, 10, 16), sex="male", employment="no_contract")
    reached = person(date(1963, 10, 15), sex="male", employment="no_contract")

    assert derive(before)["viec_lam"].deprived is True
    assert derive(reached)["viec_lam"].deprived is False


def test_work_woman_past_her_retirement_age_is_not_counted() -> None:
    # 56 years 4 months in 2024: at 56 years 3 months she still counts.
    still = person(date(1968, 6, 16), sex="female", employment="unemployed")
    past = person(date(1968, 6, 15), sex="female", employment="unemployed")

    assert derive(still)["viec_lam"].deprived is True
    assert derive(past)["viec_lam"].deprived is False


def test_work_household_without_working_age_member_says_so() -> None:
    result = derive(aged(70, employment="not_working"))["viec_lam"]

    assert result.deprived is False
    assert "không có thành viên trong độ tuổi lao động" in result.explanation


# --- 5. Trình độ giáo dục của người lớn: 16 to 30 -------------------------------------


@pytest.mark.parametrize(
    ("age", "level", "deprived"),
    [
        (15, "none", False),  # a child: indicator 6, not 5
        (16, "primary", True),
        (16, "lower_secondary", False),
        (17, "primary", True),
        (17, "lower_secondary", False),
        (18, "lower_secondary", True),
        (18, "upper_secondary", False),
        (18, "vocational", False),
        (30, "lower_secondary", True),
        (30, "higher", False),
        (31, "none", False),
    ],
)
def test_adult_education_by_age_and_level(age: int, level: str, deprived: bool) -> None:
    result = derive(aged(age, education_level=level, employment="self_employed"))

    assert result["trinh_do_giao_duc_nguoi_lon"].deprived is deprived


def test_adult_education_a_student_is_not_deprived() -> None:
    member = aged(20, education_level="lower_secondary", employment="student")

    assert derive(member)["trinh_do_giao_duc_nguoi_lon"].deprived is False


def test_adult_education_names_the_member() -> None:
    result = derive(aged(20, education_level="primary"))["trinh_do_giao_duc_nguoi_lon"]

    assert "Bùi Văn Đức" in result.explanation


# --- 3. Dinh dưỡng: stunting or underweight, children under 16 ------------------------


@pytest.mark.parametrize("measure", ["stunted", "underweight"])
def test_nutrition_either_measure_at_15_is_deprived(measure: str) -> None:
    result = derive(aged(15, **{measure: True}))["dinh_duong"]

    assert result.deprived is True
    assert ("thấp còi" if measure == "stunted" else "nhẹ cân") in result.explanation


@pytest.mark.parametrize("measure", ["stunted", "underweight"])
def test_nutrition_either_measure_at_16_is_not_counted(measure: str) -> None:
    assert derive(aged(16, **{measure: True}))["dinh_duong"].deprived is False


def test_nutrition_both_measures_named_once() -> None:
    result = derive(aged(4, stunted=True, underweight=True))["dinh_duong"]

    assert "(thấp còi, nhẹ cân)" in result.explanation
    assert aged(4, stunted=True).malnourished is True
    assert aged(4).malnourished is False


# --- 7. Chất lượng nhà ở: at least 2 of 3 structures not durable ----------------------


@pytest.mark.parametrize(
    ("wall", "frame", "roof", "deprived"),
    [
        (True, True, True, False),
        (False, True, True, False),  # one is not enough
        (True, False, True, False),
        (True, True, False, False),
        (False, False, True, True),  # two
        (False, True, False, True),
        (True, False, False, True),
        (False, False, False, True),
        (False, False, None, True),  # decided by two
        (True, True, None, False),
    ],
)
def test_housing_two_of_three_structures(
    wall: bool, frame: bool, roof: bool | None, deprived: bool
) -> None:
    dwelling = DwellingFacts(wall_durable=wall, frame_durable=frame, roof_durable=roof)

    assert derive(aged(40), dwelling=dwelling)["chat_luong_nha_o"].deprived is deprived


@pytest.mark.parametrize(
    ("wall", "frame", "roof"),
    [(None, None, None), (False, True, None), (None, None, False)],
)
def test_housing_undecided_is_left_to_the_reviewer(
    wall: bool | None, frame: bool | None, roof: bool | None
) -> None:
    dwelling = DwellingFacts(wall_durable=wall, frame_durable=frame, roof_durable=roof)

    assert "chat_luong_nha_o" not in derive(aged(40), dwelling=dwelling)


def test_housing_names_the_weak_structures() -> None:
    dwelling = DwellingFacts(wall_durable=False, frame_durable=True, roof_durable=False)

    explanation = derive(dwelling=dwelling)["chat_luong_nha_o"].explanation
    assert "tường, mái" in explanation


# --- 9, 10. Water source and latrine type -------------------------------------------


@pytest.mark.parametrize(("code", "label", "clean"), WATER_SOURCES)
def test_water_every_source(code: str, label: str, clean: bool) -> None:
    result = derive(dwelling=DwellingFacts(water_source=code))["nguon_nuoc_sinh_hoat"]

    assert result.deprived is (not clean)
    assert label in result.explanation


@pytest.mark.parametrize(("code", "label", "hygienic"), LATRINE_TYPES)
def test_latrine_every_type(code: str, label: str, hygienic: bool) -> None:
    result = derive(dwelling=DwellingFacts(latrine_type=code))["nha_tieu_hop_ve_sinh"]

    assert result.deprived is (not hygienic)
    assert label in result.explanation


def test_clean_and_hygienic_lists() -> None:
    assert set(CLEAN_WATER_SOURCES) == {
        "piped",
        "drilled_well",
        "protected_dug_well",
        "protected_spring",
        "rainwater",
        "bottled",
    }
    assert set(HYGIENIC_LATRINE_TYPES) == {
        "septic",
        "pour_flush",
        "double_vault",
        "ventilated_pit",
    }


# --- 11, 12. Internet; information devices and the loudspeaker -----------------------


@pytest.mark.parametrize(("uses", "deprived"), [(True, False), (False, True)])
def test_internet(uses: bool, deprived: bool) -> None:
    result = derive(dwelling=DwellingFacts(uses_internet=uses))

    assert result["su_dung_dich_vu_vien_thong"].deprived is deprived


@pytest.mark.parametrize(
    ("devices", "loudspeaker", "deprived"),
    [
        ((), False, True),  # nothing, and out of the loudspeakers' reach
        ((), True, False),  # the loudspeaker is enough
        (("phone",), False, False),
        (("tv",), None, False),  # a device decides it
        (("radio",), True, False),
        (("computer",), False, False),
        ((), None, None),  # undecided
        (None, False, None),
        (None, True, False),
        (None, None, None),
    ],
)
def test_information_devices_and_loudspeaker(
    devices: tuple[str, ...] | None, loudspeaker: bool | None, deprived: bool | None
) -> None:
    dwelling = DwellingFacts(information_devices=devices, hears_loudspeaker=loudspeaker)
    result = derive(dwelling=dwelling).get("phuong_tien_tiep_can_thong_tin")

    assert (None if result is None else result.deprived) is deprived


def test_nothing_recorded_derives_no_dwelling_indicator() -> None:
    assert derive(dwelling=DwellingFacts()) == {}
