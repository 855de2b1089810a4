"""Indicators derived from the member list (DOMAIN.md §2.2, §10), without a database."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from households.indicators import MemberFacts, derive_indicators
from households.poverty import INDICATOR_SLUGS

REVIEW_DAY = date(2024, 10, 15)


def adult(name: str = "Bùi Văn Đức", **facts: object) -> MemberFacts:
    """An insured adult: deprived on nothing the members decide."""
    defaults: dict[str, object] = {
        "birth_year": 1980,
        "has_health_insurance": True,
        "health_insurance_expiry": date(2025, 12, 31),
    }
    return MemberFacts(full_name=name, **{**defaults, **facts})  # type: ignore[arg-type]


def child(name: str, birth_date: date, **facts: object) -> MemberFacts:
    """A child with a card and at school unless the test says otherwise."""
    defaults: dict[str, object] = {
        "birth_year": birth_date.year,
        "birth_date": birth_date,
        "has_health_insurance": True,
        "attends_school": True,
    }
    return MemberFacts(full_name=name, **{**defaults, **facts})  # type: ignore[arg-type]


def derive(*members: MemberFacts, floor_area_m2: Decimal | None = None) -> dict:
    return derive_indicators(list(members), floor_area_m2=floor_area_m2, on=REVIEW_DAY)


# --- Bảo hiểm y tế: every member aged 6 and over has a valid card -------------------


def test_bhyt_five_year_old_without_card_is_not_deprived() -> None:
    result = derive(
        adult(), child("Bùi Thị Lan", date(2019, 5, 1), has_health_insurance=False)
    )

    assert result["bao_hiem_y_te"].deprived is False


def test_bhyt_six_year_old_without_card_is_deprived_and_named() -> None:
    result = derive(
        adult(), child("Bùi Thị Lan", date(2018, 5, 1), has_health_insurance=False)
    )

    bhyt = result["bao_hiem_y_te"]
    assert bhyt.deprived is True
    assert "Bùi Thị Lan" in bhyt.explanation
    assert "Bùi Văn Đức" not in bhyt.explanation
    assert "BHYT" in bhyt.explanation


def test_bhyt_sixth_birthday_on_review_day_counts_as_six() -> None:
    result = derive(
        adult(), child("Bùi Thị Lan", date(2018, 10, 15), has_health_insurance=False)
    )

    assert result["bao_hiem_y_te"].deprived is True


def test_bhyt_day_before_sixth_birthday_is_still_covered_by_the_state() -> None:
    result = derive(
        adult(), child("Bùi Thị Lan", date(2018, 10, 16), has_health_insurance=False)
    )

    assert result["bao_hiem_y_te"].deprived is False


def test_bhyt_card_expired_the_day_before_review_is_deprived() -> None:
    result = derive(
        adult("Hà Văn Minh", health_insurance_expiry=date(2024, 10, 14)),
        adult("Hà Thị Hoa"),
    )

    bhyt = result["bao_hiem_y_te"]
    assert bhyt.deprived is True
    assert "Hà Văn Minh" in bhyt.explanation
    assert "Hà Thị Hoa" not in bhyt.explanation


def test_bhyt_card_expiring_on_review_day_is_still_valid() -> None:
    result = derive(adult("Hà Văn Minh", health_insurance_expiry=REVIEW_DAY))

    assert result["bao_hiem_y_te"].deprived is False


def test_bhyt_card_without_expiry_date_counts_as_valid() -> None:
    result = derive(adult(health_insurance_expiry=None))

    assert result["bao_hiem_y_te"].deprived is False


def test_bhyt_adult_without_card_is_deprived() -> None:
    result = derive(adult("Lò Văn Sáng", has_health_insurance=False))

    assert result["bao_hiem_y_te"].deprived is True
    assert "Lò Văn Sáng" in result["bao_hiem_y_te"].explanation


def test_bhyt_all_uninsured_members_are_named() -> None:
    result = derive(
        adult("Lò Văn Sáng", has_health_insurance=False),
        adult("Lò Thị Mai", has_health_insurance=False),
        adult("Lò Văn Tú"),
    )

    explanation = result["bao_hiem_y_te"].explanation
    assert "Lò Văn Sáng" in explanation
    assert "Lò Thị Mai" in explanation
    assert "Lò Văn Tú" not in explanation


def test_bhyt_everyone_insured_explains_in_vietnamese() -> None:
    result = derive(adult())

    assert result["bao_hiem_y_te"].explanation == (
        "Mọi thành viên từ 6 tuổi trở lên đều có thẻ BHYT còn hạn."
    )


# --- Tình trạng đi học: children from 3 to under 16 attend school -----------------


def test_school_child_aged_3_not_attending_is_deprived_and_named() -> None:
    result = derive(
        adult(), child("Quách Văn An", date(2021, 3, 1), attends_school=False)
    )

    school = result["tinh_trang_di_hoc_tre_em"]
    assert school.deprived is True
    assert "Quách Văn An" in school.explanation
    assert "không đi học" in school.explanation


def test_school_sixteen_year_old_not_attending_is_not_counted() -> None:
    result = derive(
        adult(), child("Quách Văn Bình", date(2008, 1, 1), attends_school=False)
    )

    school = result["tinh_trang_di_hoc_tre_em"]
    assert school.deprived is False
    assert school.explanation == "Hộ không có trẻ em từ 3 đến dưới 16 tuổi."


def test_school_fifteen_year_old_not_attending_is_deprived() -> None:
    result = derive(
        adult(), child("Quách Văn Bình", date(2008, 12, 1), attends_school=False)
    )

    assert result["tinh_trang_di_hoc_tre_em"].deprived is True


def test_school_unknown_attendance_of_a_school_age_child_is_deprived() -> None:
    # attends_school=None means "not recorded"; the reviewer confirms on the form.
    result = derive(
        adult(), child("Quách Văn An", date(2015, 3, 1), attends_school=None)
    )

    assert result["tinh_trang_di_hoc_tre_em"].deprived is True


@pytest.mark.parametrize(
    ("birth_date", "deprived"),
    [
        (date(2021, 10, 16), False),  # 3rd birthday tomorrow: still 2
        (date(2021, 10, 15), True),  # 3rd birthday today
        (date(2021, 10, 14), True),  # 3rd birthday yesterday
    ],
    ids=["day_before_3rd_birthday", "on_3rd_birthday", "day_after_3rd_birthday"],
)
def test_school_age_is_computed_from_birth_date_across_the_birthday(
    birth_date: date, deprived: bool
) -> None:
    result = derive(adult(), child("Quách Văn An", birth_date, attends_school=False))

    assert result["tinh_trang_di_hoc_tre_em"].deprived is deprived


def test_school_age_without_birth_date_uses_the_year_reached() -> None:
    toddler = MemberFacts(full_name="Quách Văn An", birth_year=2021)

    assert toddler.age_on(REVIEW_DAY) == 3
    assert derive(adult(), toddler)["tinh_trang_di_hoc_tre_em"].deprived is True


def test_school_all_children_attending_is_not_deprived() -> None:
    result = derive(adult(), child("Quách Văn An", date(2015, 3, 1)))

    school = result["tinh_trang_di_hoc_tre_em"]
    assert school.deprived is False
    assert school.explanation == "Mọi trẻ em từ 3 đến dưới 16 tuổi đều đang đi học."


# --- Người phụ thuộc: more than half of the members --------------------------------


def test_dependants_exactly_half_is_not_deprived() -> None:
    result = derive(
        adult("Cha"),
        adult("Mẹ"),
        child("Con cả", date(2014, 1, 1)),
        child("Con út", date(2018, 1, 1)),
    )

    dependants = result["nguoi_phu_thuoc"]
    assert dependants.deprived is False
    assert "2/4" in dependants.explanation


def test_dependants_three_of_five_is_deprived() -> None:
    result = derive(
        adult("Cha"),
        adult("Mẹ"),
        child("Con cả", date(2012, 1, 1)),
        child("Con thứ", date(2015, 1, 1)),
        child("Con út", date(2018, 1, 1)),
    )

    dependants = result["nguoi_phu_thuoc"]
    assert dependants.deprived is True
    assert "3/5" in dependants.explanation
    assert "người phụ thuộc" in dependants.explanation


def test_dependants_include_adults_on_social_allowance() -> None:
    result = derive(
        adult("Ông", birth_year=1940, receives_social_allowance=True),
        adult("Bà", birth_year=1942, receives_social_allowance=True),
        adult("Cháu"),
    )

    assert result["nguoi_phu_thuoc"].deprived is True
    assert "2/3" in result["nguoi_phu_thuoc"].explanation


def test_sixteen_year_old_is_not_a_dependant() -> None:
    result = derive(adult("Mẹ"), child("Con", date(2008, 1, 1)))

    assert result["nguoi_phu_thuoc"].deprived is False
    assert "0/2" in result["nguoi_phu_thuoc"].explanation


# --- Diện tích nhà ở bình quân: 8 m² per person ------------------------------------


def test_floor_area_7_9_m2_per_person_is_deprived() -> None:
    result = derive(adult("A"), adult("B"), floor_area_m2=Decimal("15.8"))

    area = result["dien_tich_nha_o_binh_quan"]
    assert area.deprived is True
    assert "7,9 m²/người" in area.explanation
    assert "2 người" in area.explanation


def test_floor_area_8_0_m2_per_person_is_not_deprived() -> None:
    result = derive(adult("A"), adult("B"), floor_area_m2=Decimal("16.0"))

    area = result["dien_tich_nha_o_binh_quan"]
    assert area.deprived is False
    assert "8,0 m²/người" in area.explanation


def test_floor_area_just_under_8_is_deprived_even_if_it_rounds_to_8() -> None:
    result = derive(adult("A"), adult("B"), adult("C"), floor_area_m2=Decimal("23.9"))

    assert result["dien_tich_nha_o_binh_quan"].deprived is True


def test_floor_area_explanation_never_shows_8_0_when_deprived() -> None:
    result = derive(adult("A"), adult("B"), adult("C"), floor_area_m2=Decimal("23.9"))

    area = result["dien_tich_nha_o_binh_quan"]
    assert area.deprived is True
    assert "7,9 m²/người" in area.explanation


def test_no_floor_area_leaves_the_indicator_to_the_reviewer() -> None:
    result = derive(adult())

    assert "dien_tich_nha_o_binh_quan" not in result
    assert set(result) == {
        "viec_lam",
        "trinh_do_giao_duc_nguoi_lon",
        "bao_hiem_y_te",
        "tinh_trang_di_hoc_tre_em",
        "dinh_duong",
        "nguoi_phu_thuoc",
    }


def test_no_members_derives_nothing() -> None:
    assert derive_indicators([], floor_area_m2=Decimal(40), on=REVIEW_DAY) == {}


# --- Dinh dưỡng: a malnourished child under 16 -------------------------------------


def test_nutrition_malnourished_child_is_deprived_and_named() -> None:
    result = derive(adult(), child("Hà Thị Nga", date(2020, 6, 1), stunted=True))

    nutrition = result["dinh_duong"]
    assert nutrition.deprived is True
    assert "Hà Thị Nga" in nutrition.explanation
    assert "suy dinh dưỡng" in nutrition.explanation


def test_nutrition_malnourished_adult_is_not_counted() -> None:
    result = derive(adult("Hà Văn Lực", underweight=True))

    nutrition = result["dinh_duong"]
    assert nutrition.deprived is False
    assert nutrition.explanation == "Không có trẻ em dưới 16 tuổi bị suy dinh dưỡng."


def test_nutrition_well_fed_children_are_not_deprived() -> None:
    assert (
        derive(adult(), child("Hà Thị Nga", date(2020, 6, 1)))["dinh_duong"].deprived
        is False
    )


# --- Shape ------------------------------------------------------------------------


def test_derived_keys_are_official_slugs_and_match_their_value() -> None:
    result = derive(adult(), floor_area_m2=Decimal(30))

    assert set(result) <= set(INDICATOR_SLUGS)
    assert all(key == value.slug for key, value in result.items())
