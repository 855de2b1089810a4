"""Rates, comparators, gaps and the reduction progress: pure functions, no database.

Rates are derived from counts, 2 decimals, half-up (DOMAIN.md §4.2). The plan's service
targets read literally: "trên 70 %" is `>`, so exactly 70 % does not meet it.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from households.rates import rate
from targets.progress import (
    Comparator,
    Measurement,
    forecast,
    gap,
    meets,
    reduction_progress,
    required,
)

# --- rate ----------------------------------------------------------------------------


def test_rate_of_64_poor_households_out_of_1229_is_5_21_percent() -> None:
    assert rate(64, 1229) == Decimal("5.21")


def test_rate_of_40_poor_households_out_of_1229_is_3_25_percent() -> None:
    assert rate(40, 1229) == Decimal("3.25")


def test_rate_keeps_two_decimals_even_when_exact() -> None:
    assert str(rate(1, 8)) == "12.50"
    assert str(rate(5, 5)) == "100.00"
    assert str(rate(0, 7)) == "0.00"


@pytest.mark.parametrize(
    ("count", "total", "expected"),
    [
        (1, 800, Decimal("0.13")),  # 0.125 exactly: half-up, not banker's 0.12
        (1, 8, Decimal("12.50")),
        (3, 1600, Decimal("0.19")),  # 0.1875
        (1, 3, Decimal("33.33")),
        (2, 3, Decimal("66.67")),
    ],
)
def test_rate_rounds_half_up_at_the_edge(
    count: int, total: int, expected: Decimal
) -> None:
    assert rate(count, total) == expected


@pytest.mark.parametrize("count", [0, 5])
def test_rate_out_of_zero_households_raises(count: int) -> None:
    with pytest.raises(ValueError, match="lớn hơn 0"):
        rate(count, 0)


def test_rate_of_a_negative_count_raises() -> None:
    with pytest.raises(ValueError, match="không được âm"):
        rate(-1, 10)


# --- "trên 70 %": strictly over ------------------------------------------------------


def test_exactly_70_percent_does_not_meet_over_70_percent() -> None:
    assert meets(7, 10, "gt", Decimal(70)) is False
    assert required(10, "gt", Decimal(70)) == 8
    assert gap(7, 10, "gt", Decimal(70)) == 1


def test_8_out_of_10_meets_over_70_percent() -> None:
    assert meets(8, 10, Comparator.GT, Decimal(70)) is True
    assert gap(8, 10, Comparator.GT, Decimal(70)) == 0


def test_over_70_percent_compares_the_exact_share_not_the_rounded_rate() -> None:
    # 7001/10001 = 70.0029...%: over 70 although the rate rounds to 70.00.
    assert rate(7001, 10001) == Decimal("70.00")
    assert meets(7001, 10001, "gt", Decimal(70)) is True


def test_over_90_percent_of_64_households_needs_58() -> None:
    assert required(64, "gt", Decimal(90)) == 58  # 57.6 -> at least 58
    assert meets(57, 64, "gt", Decimal(90)) is False
    assert meets(58, 64, "gt", Decimal(90)) is True
    assert gap(50, 64, "gt", Decimal(90)) == 8


def test_over_a_threshold_that_is_a_whole_count_needs_one_more() -> None:
    assert required(20, "gt", Decimal(50)) == 11


# --- "80 %": at least ----------------------------------------------------------------


def test_exactly_80_percent_meets_80_percent_at_least() -> None:
    assert meets(8, 10, "gte", Decimal(80)) is True
    assert required(10, "gte", Decimal(80)) == 8
    assert gap(8, 10, "gte", Decimal(80)) == 0


def test_just_under_80_percent_does_not_meet_80_percent_at_least() -> None:
    assert meets(7, 10, "gte", Decimal(80)) is False
    assert gap(7, 10, "gte", Decimal(80)) == 1
    assert required(64, "gte", Decimal(80)) == 52  # 51.2 -> 52


# --- "100 %": everyone ---------------------------------------------------------------


def test_100_percent_is_met_only_when_everyone_is_reached() -> None:
    assert meets(10, 10, "eq", Decimal(100)) is True
    assert meets(9, 10, "eq", Decimal(100)) is False
    assert required(10, "eq", Decimal(100)) == 10
    assert gap(9, 10, "eq", Decimal(100)) == 1
    assert gap(0, 10, "eq", Decimal(100)) == 10


# --- nobody to reach -----------------------------------------------------------------


@pytest.mark.parametrize("comparator", ["gt", "gte", "eq"])
def test_a_target_with_nobody_to_reach_is_met_with_no_gap(comparator: str) -> None:
    threshold = Decimal(100) if comparator == "eq" else Decimal(70)
    assert meets(0, 0, comparator, threshold) is True
    assert required(0, comparator, threshold) == 0
    assert gap(0, 0, comparator, threshold) == 0
    measurement = Measurement(0, 0, comparator, threshold)
    assert measurement.met is True
    assert measurement.gap == 0
    assert measurement.percent is None
    assert measurement.concerned == 0


# --- Measurement ---------------------------------------------------------------------


def test_measurement_of_7_out_of_10_against_over_70_percent() -> None:
    measurement = Measurement(ok=7, total=10, comparator="gt", threshold=Decimal(70))
    assert measurement.percent == Decimal("70.00")
    assert measurement.met is False
    assert measurement.gap == 1
    assert measurement.concerned == 3


def test_measurement_of_7_out_of_10_against_over_90_percent() -> None:
    measurement = Measurement(ok=7, total=10, comparator="gt", threshold=Decimal(90))
    assert measurement.met is False
    assert measurement.gap == 3  # needs 10: 9 is exactly 90 %, not over
    assert measurement.concerned == 3


def test_measurement_percent_is_the_rounded_rate() -> None:
    measurement = Measurement(ok=2, total=3, comparator="gte", threshold=Decimal(80))
    assert measurement.percent == Decimal("66.67")
    assert measurement.gap == 1


def test_measurement_that_meets_has_no_gap_but_may_still_have_concerned() -> None:
    measurement = Measurement(ok=9, total=10, comparator="gte", threshold=Decimal(80))
    assert measurement.met is True
    assert measurement.gap == 0
    assert measurement.concerned == 1


# --- reduction progress --------------------------------------------------------------


def test_reduction_progress_is_the_share_of_the_planned_reduction_achieved() -> None:
    # From 64 to 40: 24 households to lift; 12 lifted so far.
    assert reduction_progress(64, 40, 52) == Decimal("50.0")
    assert reduction_progress(64, 40, 40) == Decimal("100.0")
    assert reduction_progress(64, 40, 64) == Decimal("0.0")


def test_reduction_progress_rounds_to_one_decimal() -> None:
    assert reduction_progress(10, 7, 9) == Decimal("33.3")


def test_reduction_progress_rounds_half_up_like_every_rate() -> None:
    # 1 of 400 planned = 0.25 %: half-up gives 0.3 (half-even would give 0.2).
    assert reduction_progress(400, 0, 399) == Decimal("0.3")


def test_reduction_progress_beyond_the_target_is_over_100() -> None:
    assert reduction_progress(64, 40, 30) == Decimal("141.7")


def test_reduction_progress_when_poverty_grew_is_negative() -> None:
    assert reduction_progress(64, 40, 70) == Decimal("-25.0")


@pytest.mark.parametrize(("start", "target_end"), [(40, 40), (40, 45)])
def test_reduction_progress_without_a_planned_reduction_is_none(
    start: int, target_end: int
) -> None:
    assert reduction_progress(start, target_end, 30) is None


# --- forecast: the villages' plans against the reduction targets --------------------

# (targets per village, expected escapes of the handed-in plans, the whole's own
#  target or None) -> (per village: (expected, shortfall, planned)),
#  (expected, target, shortfall, planned villages) of the whole.
FORECASTS = [
    pytest.param(
        {1: 3, 2: 2},
        {1: 3, 2: 2},
        None,
        {1: (3, 0, True), 2: (2, 0, True)},
        (5, 5, 0, 2),
        id="every_plan_meets_its_target",
    ),
    pytest.param(
        {1: 3, 2: 2},
        {1: 1},
        None,
        {1: (1, 2, True), 2: (0, 2, False)},
        (1, 5, 4, 1),
        id="no_plan_counts_0_expected",
    ),
    pytest.param(
        {1: 3, 2: 0},
        {1: 2, 2: 1},
        None,
        {1: (2, 1, True), 2: (1, 0, True)},
        (3, 3, 0, 2),
        id="one_village_above_makes_up_for_one_below",
    ),
    pytest.param(
        {1: 3, 2: 1},
        {1: 1, 2: 2},
        None,
        {1: (1, 2, True), 2: (2, 0, True)},
        (3, 4, 1, 2),
        id="total_is_target_minus_forecast_not_a_sum_of_clipped",
    ),
    pytest.param(
        {1: 2, 2: 2},
        {1: 5, 2: 1},
        None,
        {1: (5, 0, True), 2: (1, 1, True)},
        (6, 4, 0, 2),
        id="forecast_above_the_whole_target_leaves_0",
    ),
    pytest.param(
        {1: None, 2: 2},
        {1: 1, 2: 1},
        None,
        {1: (1, None, True), 2: (1, 1, True)},
        (2, 2, 0, 2),
        id="a_village_without_target_has_no_shortfall",
    ),
    pytest.param(
        {1: None, 2: None},
        {},
        None,
        {1: (0, None, False), 2: (0, None, False)},
        (0, None, None, 0),
        id="no_target_at_all",
    ),
    pytest.param(
        {1: 3, 2: 2},
        {1: 3, 2: 2},
        24,
        {1: (3, 0, True), 2: (2, 0, True)},
        (5, 24, 19, 2),
        id="the_whole_has_its_own_target",
    ),
    pytest.param({}, {}, 24, {}, (0, 24, 24, 0), id="no_village_in_scope"),
]


@pytest.mark.parametrize(
    ("targets", "expected", "target", "villages", "whole"), FORECASTS
)
def test_forecast(
    targets: dict[int, int | None],
    expected: dict[int, int],
    target: int | None,
    villages: dict[int, tuple[int, int | None, bool]],
    whole: tuple[int, int | None, int | None, int],
) -> None:
    result = forecast(targets, expected, target=target)

    assert {
        k: (v.expected, v.shortfall, v.planned) for k, v in result.villages.items()
    } == villages
    assert (result.expected, result.target, result.shortfall, result.planned) == whole
    if result.target is not None and result.expected <= result.target:
        # The report's column "4 = 3 − 2" holds in the total row.
        assert result.shortfall == result.target - result.expected
