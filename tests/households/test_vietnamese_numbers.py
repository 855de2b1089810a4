"""Reading and writing numbers the Vietnamese way: pure functions, no database."""

from __future__ import annotations

from decimal import Decimal

import pytest

from households.vietnamese_numbers import (
    NumberEntryError,
    format_decimal,
    format_grouped,
    parse_count,
    parse_decimal,
    parse_money,
)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1.500.000", 1_500_000),
        ("1500000", 1_500_000),
        ("1 500 000", 1_500_000),
        ("1\u00a0500\u00a0000", 1_500_000),
        ("1\u202f500\u202f000", 1_500_000),
        ("  1.500.000  ", 1_500_000),
        ("1.500.000 đ", 1_500_000),
        ("5.000.000 đồng", 5_000_000),
        ("0", 0),
        ("999", 999),
        ("12.345.678.901", 12_345_678_901),
        ("-1.500.000", -1_500_000),
        ("", None),
        ("   ", None),
    ],
    ids=[
        "dots",
        "plain",
        "spaces",
        "nbsp",
        "narrow_nbsp",
        "padded",
        "with_d",
        "with_dong",
        "zero",
        "one_group",
        "billions",
        "negative_is_read_for_the_field_to_refuse",
        "blank",
        "only_spaces",
    ],
)
def test_money_is_read_as_people_write_it(typed: str, expected: int | None) -> None:
    assert parse_money(typed) == expected


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("1.500000", "nhóm đủ 3 chữ số"),
        ("1.5", "nhóm đủ 3 chữ số"),
        ("15.00.000", "nhóm đủ 3 chữ số"),
        ("1500.000.000.0", "nhóm đủ 3 chữ số"),
        ("1,5", "không có phần lẻ sau dấu phẩy"),
        ("1,500,000", "không có phần lẻ sau dấu phẩy"),
        ("1.500.000,50", "không có phần lẻ sau dấu phẩy"),
        ("1,5 triệu", "không viết tắt"),
        ("1tr5", "không viết tắt"),
        ("500k", "không viết tắt"),
        ("abc", "chỉ ghi chữ số"),
        ("1.500.000$", "chỉ ghi chữ số"),
        ("đ", "chỉ ghi chữ số"),
        ("1..500", "một dấu chấm hoặc dấu cách"),
        ("0.500", "không bắt đầu bằng chữ số 0"),
    ],
    ids=[
        "dot_then_six_digits",
        "dot_then_one_digit",
        "groups_of_two",
        "trailing_short_group",
        "decimal_comma",
        "english_grouping",
        "cents",
        "trieu",
        "tr",
        "k",
        "letters",
        "dollar",
        "only_the_currency",
        "double_dot",
        "leading_zero_group",
    ],
)
def test_money_that_could_be_misread_is_refused_with_the_reason(
    typed: str, problem: str
) -> None:
    with pytest.raises(NumberEntryError, match=problem):
        parse_money(typed)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("21,5", Decimal("21.5")),
        ("21", Decimal(21)),
        ("0,5", Decimal("0.5")),
        ("21.5", Decimal("21.5")),
        ("8.75", Decimal("8.75")),
        ("1.250,5", Decimal("1250.5")),
        ("1 250,5", Decimal("1250.5")),
        ("1.250.000", Decimal(1250000)),
        ("21,5 m²", Decimal("21.5")),
        ("21,5m2", Decimal("21.5")),
        ("-3,5", Decimal("-3.5")),
        ("", None),
    ],
    ids=[
        "comma",
        "whole",
        "below_one",
        "dot_that_cannot_be_grouping",
        "dot_two_places",
        "grouped_with_comma",
        "space_grouped_with_comma",
        "several_dots_are_grouping",
        "with_unit",
        "with_m2",
        "negative",
        "blank",
    ],
)
def test_decimals_are_read_with_the_decimal_comma(
    typed: str, expected: Decimal | None
) -> None:
    assert parse_decimal(typed) == expected


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("1.250", "dùng dấu phẩy cho phần thập phân"),
        ("21.500", "dùng dấu phẩy cho phần thập phân"),
        ("21,5,1", "chỉ có một dấu phẩy"),
        ("21,", "sau dấu phẩy chỉ ghi chữ số"),
        (",5", "ghi phần nguyên"),
        ("21,5 mét", "chỉ ghi chữ số"),
        ("hai mươi", "chỉ ghi chữ số"),
        ("12.34.5", "nhóm đủ 3 chữ số"),
    ],
    ids=[
        "dot_then_three_digits_is_ambiguous",
        "ambiguous_with_two_digits_before",
        "two_commas",
        "nothing_after_comma",
        "nothing_before_comma",
        "word_unit",
        "words",
        "bad_groups",
    ],
)
def test_decimals_that_could_be_misread_are_refused_with_the_reason(
    typed: str, problem: str
) -> None:
    with pytest.raises(NumberEntryError, match=problem):
        parse_decimal(typed)


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (0, "0"),
        (999, "999"),
        (1000, "1.000"),
        (1_500_000, "1.500.000"),
        (12_345_678_901, "12.345.678.901"),
        (-1_500_000, "-1.500.000"),
    ],
)
def test_money_is_written_grouped_with_dots(amount: int, expected: str) -> None:
    assert format_grouped(amount) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("21.5"), "21,5"),
        (Decimal("21.0"), "21"),
        (Decimal("0.5"), "0,5"),
        (Decimal("1250.50"), "1.250,5"),
        (Decimal("1250"), "1.250"),
        (Decimal("-3.5"), "-3,5"),
        (8, "8"),
    ],
)
def test_decimals_are_written_with_the_decimal_comma(
    value: Decimal | int, expected: str
) -> None:
    assert format_decimal(value) == expected


@pytest.mark.parametrize(
    "amount", [0, 7, 1000, 1_500_000, 2_250_000, 987_654_321, 10**15]
)
def test_money_written_reads_back_the_same(amount: int) -> None:
    assert parse_money(format_grouped(amount)) == amount


@pytest.mark.parametrize(
    "value",
    ["0", "0.5", "21.5", "999.9", "1250", "1250.5", "150000", "1500000", "12345.67"],
)
def test_a_decimal_shown_in_an_input_reads_back_the_same(value: str) -> None:
    assert parse_decimal(format_decimal(Decimal(value), grouped=False)) == Decimal(
        value
    )


def test_a_decimal_in_an_input_is_not_grouped_so_it_is_not_ambiguous() -> None:
    assert format_decimal(Decimal("1250.0"), grouped=False) == "1250"
    with pytest.raises(NumberEntryError):
        parse_decimal(format_decimal(Decimal("1250.0")))


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("1.087", 1087), ("1087", 1087), ("1 108", 1108), ("0", 0), ("", None)],
)
def test_counts_are_read_with_or_without_grouping(
    typed: str, expected: int | None
) -> None:
    assert parse_count(typed) == expected


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("1,5", "số đếm là số nguyên"),
        ("10.87", "nhóm đủ 3 chữ số"),
        ("1.087 đ", "chỉ ghi chữ số"),
        ("1k", "không viết tắt"),
    ],
)
def test_counts_that_could_be_misread_are_refused(typed: str, problem: str) -> None:
    with pytest.raises(NumberEntryError, match=problem):
        parse_count(typed)


@pytest.mark.parametrize("typed", ["²", "١٢٣", "1.5²0"])
def test_digits_of_other_scripts_are_refused_not_crashed_on(typed: str) -> None:
    with pytest.raises(NumberEntryError, match="chỉ ghi chữ số"):
        parse_money(typed)
