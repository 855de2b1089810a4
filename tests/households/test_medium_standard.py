"""The medium living standard of farm households (QĐ 24/2021/QĐ-TTg) at every edge,
without the database: the lines come from the standard, never from this test's own
figures except where it checks them against ND 07/2021 Điều 3."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from households.medium_standard import Decided, determine, recognised_on
from households.poverty import STANDARD_2022_2025, STANDARD_2027_2030, Standard

S = STANDARD_2022_2025
PERSONS = 4


def with_monthly(amount: int, *, persons: int = PERSONS) -> int:
    """The 12 months' income that gives `amount` per person per month."""
    return amount * persons * 12


def result(
    monthly: int,
    *,
    urban: bool = False,
    plus: int = 0,
    allowances: int = 0,
    farms: bool = True,
    standard: Standard = S,
) -> bool:
    return determine(
        income_12_months=with_monthly(monthly) + plus + allowances,
        excluded_allowances=allowances,
        persons=PERSONS,
        farms=farms,
        urban=urban,
        standard=standard,
    ).in_band


def test_the_2022_2025_band_is_the_decree_s() -> None:
    # ND 07/2021 Điều 3: rural > 1.500.000 and ≤ 2.250.000; urban > 2.000.000 and
    # ≤ 3.000.000 đồng per person per month.
    assert (S.poverty_line(urban=False), S.medium_line(urban=False)) == (
        1_500_000,
        2_250_000,
    )
    assert (S.poverty_line(urban=True), S.medium_line(urban=True)) == (
        2_000_000,
        3_000_000,
    )


@pytest.mark.parametrize("urban", [False, True])
def test_exactly_the_poverty_line_is_not_medium(urban: bool) -> None:
    assert not result(S.poverty_line(urban=urban), urban=urban)


@pytest.mark.parametrize("urban", [False, True])
def test_one_dong_over_the_poverty_line_is_medium(urban: bool) -> None:
    # One đồng more over the 12 months is already over the line.
    assert result(S.poverty_line(urban=urban), urban=urban, plus=1)
    assert result(S.poverty_line(urban=urban) + 1, urban=urban)


@pytest.mark.parametrize("urban", [False, True])
def test_exactly_the_medium_line_is_medium(urban: bool) -> None:
    assert result(S.medium_line(urban=urban), urban=urban)


@pytest.mark.parametrize("urban", [False, True])
def test_one_dong_over_the_medium_line_is_not(urban: bool) -> None:
    assert not result(S.medium_line(urban=urban), urban=urban, plus=1)
    assert not result(S.medium_line(urban=urban) + 1, urban=urban)


def test_the_rural_medium_line_is_inside_the_urban_band_only() -> None:
    assert not result(1_800_000, urban=True)  # under the urban poverty line
    assert result(1_800_000, urban=False)
    assert result(2_800_000, urban=True)
    assert not result(2_800_000, urban=False)


def test_state_allowances_do_not_count() -> None:
    # 1.600.000 earned + 300.000 of allowances: the allowances are left out.
    assert result(1_600_000, allowances=with_monthly(300_000))
    # 1.400.000 earned + 300.000 of allowances would be in the band if counted.
    assert not result(1_400_000, allowances=with_monthly(300_000))


def test_a_household_that_does_not_farm_is_never_in_the_band() -> None:
    found = determine(
        income_12_months=with_monthly(2_000_000),
        excluded_allowances=0,
        persons=PERSONS,
        farms=False,
        urban=False,
        standard=S,
    )
    assert not found.in_band
    assert "không làm nông, lâm, ngư, diêm nghiệp" in found.reasons


def test_reasons_name_the_income_the_persons_and_the_lines() -> None:
    found = determine(
        income_12_months=98_400_000,
        excluded_allowances=2_400_000,
        persons=4,
        farms=True,
        urban=False,
        standard=S,
    )
    assert found.in_band
    assert found.counted_income == 96_000_000
    assert found.per_person_month == Decimal(2_000_000)
    assert found.reasons == (
        "Thu nhập thực tế 12 tháng 98.400.000 đồng, không tính 2.400.000 đồng trợ "
        "cấp, trợ giúp xã hội từ ngân sách nhà nước, còn 96.000.000 đồng; bình quân "
        "2.000.000 đồng/người/tháng (4 nhân khẩu) — trên chuẩn cận nghèo 1.500.000 "
        "đồng và không quá 2.250.000 đồng (khu vực nông thôn) nên đạt mức sống trung "
        "bình."
    )


def test_reasons_under_the_line_send_the_household_to_the_review() -> None:
    found = determine(
        income_12_months=with_monthly(1_500_000),
        excluded_allowances=0,
        persons=PERSONS,
        farms=True,
        urban=False,
        standard=S,
    )
    assert "không vượt chuẩn nghèo 1.500.000 đồng" in found.reasons
    assert "rà soát hộ nghèo, hộ cận nghèo" in found.reasons


def test_a_fraction_of_a_dong_is_shown_not_rounded_into_the_band() -> None:
    found = determine(
        income_12_months=2_250_000 * 24 + 12,  # 2.250.000,5 per person per month
        excluded_allowances=0,
        persons=2,
        farms=True,
        urban=False,
        standard=S,
    )
    assert not found.in_band
    assert "bình quân 2.250.000,5 đồng/người/tháng" in found.reasons


def test_the_2027_band_carries_its_unverified_note() -> None:
    found = determine(
        income_12_months=with_monthly(3_000_000),
        excluded_allowances=0,
        persons=PERSONS,
        farms=True,
        urban=False,
        standard=STANDARD_2027_2030,
    )
    assert found.in_band  # 2.200.000 < 3.000.000 ≤ 3.300.000
    assert STANDARD_2027_2030.medium_band_note in found.reasons
    assert "chưa đối chiếu văn bản gốc" in found.reasons


@pytest.mark.parametrize(
    ("income", "allowances", "persons", "message"),
    [
        (-1, 0, 1, "không được âm"),
        (1, -1, 1, "không được âm"),
        (1, 2, 1, "không được lớn hơn"),
        (1, 0, 0, "từ 1 trở lên"),
    ],
)
def test_impossible_facts_are_refused_in_vietnamese(
    income: int, allowances: int, persons: int, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        determine(
            income_12_months=income,
            excluded_allowances=allowances,
            persons=persons,
            farms=True,
            urban=False,
            standard=S,
        )


def test_an_amount_that_is_not_a_whole_number_is_refused() -> None:
    with pytest.raises(TypeError):
        determine(
            income_12_months=1.5,  # type: ignore[arg-type]
            excluded_allowances=0,
            persons=1,
            farms=True,
            urban=False,
            standard=S,
        )


# --- In force on a day -----------------------------------------------------------


def decided(
    determined: date, in_band: bool, decision: date | None, household: int = 1
) -> Decided:
    return Decided(household, in_band, determined, decision)


def test_a_recognition_holds_from_its_decision_date() -> None:
    rows = [decided(date(2024, 3, 15), True, date(2024, 4, 1))]
    assert recognised_on(rows, date(2024, 3, 31)) == set()
    assert recognised_on(rows, date(2024, 4, 1)) == {1}
    assert recognised_on(rows, date(2024, 12, 31)) == {1}


def test_a_result_in_the_band_not_yet_recognised_holds_nothing() -> None:
    rows = [decided(date(2024, 3, 15), True, None)]
    assert recognised_on(rows, date(2024, 12, 31)) == set()


def test_the_next_determination_ends_a_recognition() -> None:
    rows = [
        decided(date(2023, 6, 15), True, date(2023, 6, 20)),
        decided(date(2024, 6, 15), False, None),
    ]
    assert recognised_on(rows, date(2024, 6, 14)) == {1}
    assert recognised_on(rows, date(2024, 6, 15)) == set()


def test_a_pending_determination_leaves_the_earlier_recognition_in_force() -> None:
    rows = [
        decided(date(2023, 6, 15), True, date(2023, 6, 20)),
        decided(date(2024, 6, 15), True, None),
    ]
    assert recognised_on(rows, date(2024, 12, 31)) == {1}


def test_households_are_counted_each_on_their_own() -> None:
    rows = [
        decided(date(2024, 1, 15), True, date(2024, 2, 1), household=1),
        decided(date(2024, 1, 15), False, None, household=2),
        decided(date(2024, 1, 15), True, date(2024, 2, 1), household=3),
    ]
    assert recognised_on(rows, date(2024, 12, 31)) == {1, 3}
