"""The classification rule of ND 07/2021 Điều 3 (DOMAIN.md §2), without the database."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest

from households.poverty import (
    INDICATOR_SLUGS,
    INDICATORS,
    STANDARD_2022_2025,
    STANDARD_2027_2030,
    PovertyStatus,
    Standard,
    classify,
    standard_in_force,
)
from households.vietnamese_numbers import format_decimal

# The twelve indicator slugs of DOMAIN.md §2.2, in the order of the official reports.
DOMAIN_SLUGS = (
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
TWO = DOMAIN_SLUGS[:2]
THREE = DOMAIN_SLUGS[:3]


@dataclass(frozen=True)
class Case:
    income: int | Decimal
    deprived: Iterable[str]
    expected: str
    urban: bool = False
    standard: Standard = STANDARD_2022_2025


CASES: dict[str, Case] = {
    # Rural income line, 1,500,000 VND (ND 07/2021 Điều 3 khoản 1).
    "rural_income_at_line_with_3_deprivations_is_poor": Case(1_500_000, THREE, "poor"),
    "rural_income_at_line_with_2_deprivations_is_near_poor": Case(
        1_500_000, TWO, "near_poor"
    ),
    "rural_income_one_dong_over_line_is_medium": Case(1_500_001, THREE, "medium"),
    "rural_income_one_dong_over_line_without_deprivation_is_medium": Case(
        1_500_001, (), "medium"
    ),
    # The deprivation threshold: 3 of 12.
    "two_deprivations_is_near_poor": Case(1_000_000, TWO, "near_poor"),
    "three_deprivations_is_poor": Case(1_000_000, THREE, "poor"),
    "no_deprivation_under_line_is_near_poor": Case(1_000_000, (), "near_poor"),
    "all_12_deprivations_under_line_is_poor": Case(1_000_000, DOMAIN_SLUGS, "poor"),
    "all_12_deprivations_over_medium_line_is_not_poor": Case(
        5_000_000, DOMAIN_SLUGS, "not_poor"
    ),
    # Urban income line, 2,000,000 VND.
    "urban_income_at_line_with_3_deprivations_is_poor": Case(
        2_000_000, THREE, "poor", urban=True
    ),
    "urban_income_at_line_with_2_deprivations_is_near_poor": Case(
        2_000_000, TWO, "near_poor", urban=True
    ),
    "urban_income_one_dong_over_line_is_medium": Case(
        2_000_001, THREE, "medium", urban=True
    ),
    "rural_line_does_not_apply_in_town": Case(1_800_000, THREE, "poor", urban=True),
    "urban_line_does_not_apply_in_the_countryside": Case(1_800_000, THREE, "medium"),
    # Medium living standard band: up to 2,250,000 rural, 3,000,000 urban.
    "rural_income_at_medium_line_is_medium": Case(2_250_000, (), "medium"),
    "rural_income_one_dong_over_medium_line_is_not_poor": Case(
        2_250_001, (), "not_poor"
    ),
    "urban_income_at_medium_line_is_medium": Case(3_000_000, (), "medium", urban=True),
    "urban_income_one_dong_over_medium_line_is_not_poor": Case(
        3_000_001, (), "not_poor", urban=True
    ),
    # Inputs.
    "zero_income_without_deprivation_is_near_poor": Case(0, (), "near_poor"),
    "zero_income_with_3_deprivations_is_poor": Case(0, THREE, "poor"),
    "decimal_income_at_line_is_near_poor": Case(
        Decimal("1500000.00"), TWO, "near_poor"
    ),
    "decimal_income_half_dong_over_line_is_medium": Case(
        Decimal("1500000.5"), THREE, "medium"
    ),
    "duplicate_deprivations_count_once": Case(
        1_000_000, ["viec_lam", "viec_lam", "dinh_duong", "dinh_duong"], "near_poor"
    ),
    "deprivations_as_a_set_are_accepted": Case(1_000_000, set(THREE), "poor"),
    # 2027–2030 (Nghị định 351/2025/NĐ-CP): 2,200,000 rural, 2,800,000 urban, poor
    # from 3 deprivations; the medium band (1.5 × line) is not verified.
    "2027_rural_at_line_with_3_deprivations_is_poor": Case(
        2_200_000, THREE, "poor", standard=STANDARD_2027_2030
    ),
    "2027_rural_at_line_with_2_deprivations_is_near_poor": Case(
        2_200_000, TWO, "near_poor", standard=STANDARD_2027_2030
    ),
    "2027_rural_one_dong_over_line_with_3_deprivations_is_medium": Case(
        2_200_001, THREE, "medium", standard=STANDARD_2027_2030
    ),
    "2027_rural_one_dong_over_line_with_2_deprivations_is_medium": Case(
        2_200_001, TWO, "medium", standard=STANDARD_2027_2030
    ),
    "2027_urban_at_line_with_3_deprivations_is_poor": Case(
        2_800_000, THREE, "poor", urban=True, standard=STANDARD_2027_2030
    ),
    "2027_urban_at_line_with_2_deprivations_is_near_poor": Case(
        2_800_000, TWO, "near_poor", urban=True, standard=STANDARD_2027_2030
    ),
    "2027_urban_one_dong_over_line_with_3_deprivations_is_medium": Case(
        2_800_001, THREE, "medium", urban=True, standard=STANDARD_2027_2030
    ),
    "2027_urban_one_dong_over_line_with_2_deprivations_is_medium": Case(
        2_800_001, TWO, "medium", urban=True, standard=STANDARD_2027_2030
    ),
    "2027_rural_line_does_not_apply_in_town": Case(
        2_500_000, THREE, "poor", urban=True, standard=STANDARD_2027_2030
    ),
    "2027_urban_line_does_not_apply_in_the_countryside": Case(
        2_500_000, THREE, "medium", standard=STANDARD_2027_2030
    ),
    "2027_rural_at_medium_line_is_medium": Case(
        3_300_000, (), "medium", standard=STANDARD_2027_2030
    ),
    "2027_rural_one_dong_over_medium_line_is_not_poor": Case(
        3_300_001, (), "not_poor", standard=STANDARD_2027_2030
    ),
    "2027_urban_at_medium_line_is_medium": Case(
        4_200_000, (), "medium", urban=True, standard=STANDARD_2027_2030
    ),
    "2027_urban_one_dong_over_medium_line_is_not_poor": Case(
        4_200_001, (), "not_poor", urban=True, standard=STANDARD_2027_2030
    ),
    "poor_in_2027_would_be_medium_under_2022_2025": Case(2_000_000, THREE, "medium"),
    "medium_in_2022_2025_is_poor_in_2027": Case(
        2_000_000, THREE, "poor", standard=STANDARD_2027_2030
    ),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_classification_truth_table(case: Case) -> None:
    result = classify(
        case.income, case.deprived, urban=case.urban, standard=case.standard
    )
    assert result.status == case.expected
    assert result.standard is case.standard


def test_generator_of_deprivations_is_consumed_once_and_counted() -> None:
    deprived = (slug for slug in THREE)

    result = classify(1_000_000, deprived)

    assert result.status == PovertyStatus.POOR
    assert result.deprivation_count == 3


def test_duplicates_are_counted_once_and_kept_in_official_order() -> None:
    result = classify(
        1_000_000, ["bao_hiem_y_te", "viec_lam", "bao_hiem_y_te", "viec_lam"]
    )

    assert result.deprived == ("viec_lam", "bao_hiem_y_te")
    assert result.deprivation_count == 2
    assert result.status == PovertyStatus.NEAR_POOR


def test_default_standard_is_2022_2025() -> None:
    assert classify(1_000_000, ()).standard is STANDARD_2022_2025


def test_status_values_are_the_stored_strings() -> None:
    assert PovertyStatus.POOR == "poor"
    assert PovertyStatus.NEAR_POOR == "near_poor"
    assert PovertyStatus.MEDIUM == "medium"
    assert PovertyStatus.NOT_POOR == "not_poor"
    assert {s.value for s in PovertyStatus} == {
        "poor",
        "near_poor",
        "medium",
        "not_poor",
    }


# --- Bad input ------------------------------------------------------------------


def test_negative_income_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="âm"):
        classify(-1, ())


def test_negative_decimal_income_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="âm"):
        classify(Decimal("-0.01"), ())


def test_unknown_indicator_code_is_a_value_error_naming_it() -> None:
    with pytest.raises(ValueError, match="khong_ton_tai"):
        classify(1_000_000, ["viec_lam", "khong_ton_tai"])


def test_plain_string_as_deprivations_is_a_type_error() -> None:
    # A string is iterable: "viec_lam" would otherwise become 8 one-letter codes.
    with pytest.raises(TypeError):
        classify(1_000_000, "viec_lam")


@pytest.mark.parametrize(
    "income",
    [1_500_000.0, 0.0, True, False, "1500000", None],
    ids=["float", "float_zero", "bool_true", "bool_false", "string", "none"],
)
def test_income_of_the_wrong_type_is_a_type_error(income: object) -> None:
    with pytest.raises(TypeError):
        classify(income, ())  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "income",
    [Decimal("NaN"), Decimal("sNaN"), Decimal("Infinity"), Decimal("-Infinity")],
    ids=["nan", "signalling_nan", "infinity", "minus_infinity"],
)
def test_non_finite_decimal_income_is_a_value_error(income: Decimal) -> None:
    with pytest.raises(ValueError, match="không hợp lệ"):
        classify(income, ())


# --- Reasons, in Vietnamese -----------------------------------------------------


@pytest.mark.parametrize(
    "income",
    [Decimal("1200000"), Decimal("1234567.5"), Decimal("999.25"), Decimal("0"), 7],
    ids=["round", "half-dong", "small-decimal", "zero", "int"],
)
def test_reasons_write_amounts_as_format_decimal_does(
    income: int | Decimal,
) -> None:
    # The rule writes its own amounts (it imports nothing of the project); they read
    # as `format_decimal` writes them everywhere else.
    reasons = classify(income, []).reasons

    assert reasons.startswith(
        f"Thu nhập bình quân {format_decimal(income)} đồng/người/tháng, "
        f"không vượt chuẩn nghèo {format_decimal(1_500_000)} đồng"
    )


def test_poor_reason_cites_rural_line_indicator_names_and_verdict() -> None:
    result = classify(
        1_200_000, ["bao_hiem_y_te", "nguon_nuoc_sinh_hoat", "chat_luong_nha_o"]
    )

    assert result.status == PovertyStatus.POOR
    assert "1.200.000" in result.reasons
    assert "1.500.000" in result.reasons
    assert "nông thôn" in result.reasons
    assert "Bảo hiểm y tế" in result.reasons
    assert "Nguồn nước sinh hoạt" in result.reasons
    assert "Chất lượng nhà ở" in result.reasons
    assert "3/12" in result.reasons
    assert "hộ nghèo" in result.reasons
    assert "cận nghèo" not in result.reasons


def test_near_poor_reason_says_ho_can_ngheo() -> None:
    result = classify(1_500_000, ["viec_lam"])

    assert "1.500.000" in result.reasons
    assert "Việc làm" in result.reasons
    assert "hộ cận nghèo" in result.reasons


def test_near_poor_reason_without_deprivations_says_so() -> None:
    result = classify(1_000_000, ())

    assert "không thiếu hụt chỉ số nào" in result.reasons
    assert "hộ cận nghèo" in result.reasons


def test_urban_reason_cites_thanh_thi_and_urban_line() -> None:
    result = classify(1_900_000, THREE, urban=True)

    assert "thành thị" in result.reasons
    assert "nông thôn" not in result.reasons
    assert "2.000.000" in result.reasons
    assert "Người phụ thuộc trong hộ gia đình" in result.reasons
    assert "Dinh dưỡng" in result.reasons


def test_medium_reason_cites_both_lines() -> None:
    result = classify(2_000_000, ())

    assert "1.500.000" in result.reasons
    assert "2.250.000" in result.reasons
    assert "mức sống trung bình" in result.reasons


def test_not_poor_reason_cites_medium_line() -> None:
    result = classify(3_500_000, (), urban=True)

    assert "3.000.000" in result.reasons
    assert "thành thị" in result.reasons
    assert "không thuộc diện nghèo, cận nghèo" in result.reasons


def test_reason_lists_indicators_in_official_order() -> None:
    result = classify(
        1_000_000, ["phuong_tien_tiep_can_thong_tin", "bao_hiem_y_te", "viec_lam"]
    )

    names = ["Việc làm", "Bảo hiểm y tế", "Phương tiện phục vụ tiếp cận thông tin"]
    positions = [result.reasons.index(name) for name in names]
    assert positions == sorted(positions)


def test_custom_standard_lines_appear_in_the_reason() -> None:
    result = classify(2_100_000, THREE, standard=STANDARD_2027_2030)

    assert "2.200.000" in result.reasons
    assert "1.500.000" not in result.reasons


# --- Standards and indicators ---------------------------------------------------


@pytest.mark.parametrize(
    "on",
    [date(2024, 1, 1), date(2024, 9, 1), date(2024, 12, 31)],
    ids=["2024_first_day", "2024_review_season", "2024_last_day"],
)
def test_standard_in_force_in_2024_is_2022_2025(on: date) -> None:
    assert standard_in_force(on) is STANDARD_2022_2025
    assert standard_in_force(on).code == "2022-2025"


def test_standard_2022_2025_is_extended_through_2026() -> None:
    assert standard_in_force(date(2026, 12, 31)) is STANDARD_2022_2025


@pytest.mark.parametrize(
    "on",
    [date(2019, 6, 1), date(2021, 12, 31), date(2031, 1, 1)],
    ids=["2019", "2021_still_qd_59_2015", "2031_not_yet_encoded"],
)
def test_no_standard_in_force_is_a_value_error(on: date) -> None:
    with pytest.raises(ValueError, match="Chưa có chuẩn nghèo"):
        standard_in_force(on)


@pytest.mark.parametrize(
    "on",
    [date(2027, 1, 1), date(2028, 9, 1), date(2030, 12, 31)],
    ids=["2027_first_day", "2028", "2030_last_day"],
)
def test_standard_in_force_from_2027_to_2030_is_the_new_one(on: date) -> None:
    assert standard_in_force(on) is STANDARD_2027_2030
    assert standard_in_force(on).code == "2027-2030"


def test_2027_2030_standard_has_the_decree_351_values() -> None:
    s = STANDARD_2027_2030
    assert (s.poverty_line_rural, s.poverty_line_urban) == (2_200_000, 2_800_000)
    assert s.min_deprivations_for_poor == 3
    assert (s.valid_from, s.valid_to) == (date(2027, 1, 1), date(2030, 12, 31))
    assert s.continuation_notice(date(2027, 6, 1)) is None


def test_2027_2030_standard_says_what_is_not_verified() -> None:
    # Its indicator list and medium band were not read in the decree's own text.
    s = STANDARD_2027_2030
    assert s.indicator_slugs == INDICATOR_SLUGS
    assert "chưa đối chiếu văn bản gốc" in s.indicators_note
    assert "2022–2025" in s.indicators_note
    assert "chưa đối chiếu văn bản gốc" in s.medium_band_note
    assert (s.medium_line_rural, s.medium_line_urban) == (3_300_000, 4_200_000)
    assert STANDARD_2022_2025.indicators_note == ""


def test_2026_is_still_the_continued_2022_2025_standard() -> None:
    assert standard_in_force(date(2026, 12, 31)) is STANDARD_2022_2025
    notice = STANDARD_2022_2025.continuation_notice(date(2026, 12, 31))
    assert notice is not None and "351/2025" in notice


def test_2027_urban_reason_says_do_thi_and_the_new_line() -> None:
    result = classify(2_800_000, THREE, urban=True, standard=STANDARD_2027_2030)
    assert "khu vực đô thị" in result.reasons
    assert "thành thị" not in result.reasons
    assert "2.800.000" in result.reasons


def test_a_standard_counts_only_its_own_indicators() -> None:
    narrow = Standard(
        code="x",
        name="x",
        valid_from=date(2040, 1, 1),
        valid_to=date(2040, 12, 31),
        poverty_line_rural=1,
        poverty_line_urban=1,
        medium_line_rural=2,
        medium_line_urban=2,
        min_deprivations_for_poor=1,
        indicator_slugs=("viec_lam",),
    )
    with pytest.raises(ValueError, match="dinh_duong"):
        classify(0, ["dinh_duong"], standard=narrow)
    assert "1/1 chỉ số" in classify(0, ["viec_lam"], standard=narrow).reasons


def test_2022_2025_standard_has_the_decree_values() -> None:
    s = STANDARD_2022_2025
    assert (s.poverty_line_rural, s.poverty_line_urban) == (1_500_000, 2_000_000)
    assert (s.medium_line_rural, s.medium_line_urban) == (2_250_000, 3_000_000)
    assert s.min_deprivations_for_poor == 3


def test_there_are_exactly_12_indicators_in_domain_order() -> None:
    assert len(INDICATORS) == 12
    assert INDICATOR_SLUGS == DOMAIN_SLUGS
    assert tuple(i.slug for i in INDICATORS) == DOMAIN_SLUGS


def test_indicators_cover_the_six_basic_social_services() -> None:
    services = {i.service for i in INDICATORS}
    assert services == {
        "Việc làm",
        "Y tế",
        "Giáo dục",
        "Nhà ở",
        "Nước sinh hoạt và vệ sinh",
        "Thông tin",
    }
    assert all(sum(i.service == s for i in INDICATORS) == 2 for s in services)


def test_fractional_income_just_over_the_line_is_not_shown_equal_to_it() -> None:
    result = classify(Decimal("1500000.5"), ())

    assert result.status == PovertyStatus.MEDIUM
    assert "Thu nhập bình quân 1.500.000,5 đồng" in result.reasons
