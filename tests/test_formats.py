"""Vietnamese input and output formats (ECOSYSTEM.md row A18, note N3).

Django's `vi` locale parses 05/03/2024 as 3 May and prints 1234567 without grouping;
settings and `giamngheo/formats/vi` fix both, and these tests keep it that way.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django import forms
from django.template import Context, Template
from django.utils import translation


@pytest.fixture(autouse=True)
def _vietnamese() -> object:
    with translation.override("vi"):
        yield


def render(source: str, **context: object) -> str:
    return Template(source).render(Context(context))


# --- Input ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("05/03/2024", date(2024, 3, 5)),
        ("5/3/2024", date(2024, 3, 5)),
        ("31/12/2024", date(2024, 12, 31)),
        ("05-03-2024", date(2024, 3, 5)),
        ("2024-03-05", date(2024, 3, 5)),
    ],
    ids=["dd/mm/yyyy", "d/m/yyyy", "day_over_12", "dd-mm-yyyy", "iso"],
)
def test_date_field_parses_day_first(typed: str, expected: date) -> None:
    field = forms.DateField()

    assert field.clean(typed) == expected


def test_date_field_rejects_month_13_instead_of_swapping() -> None:
    with pytest.raises(forms.ValidationError):
        forms.DateField().clean("05/13/2024")


def test_date_field_in_a_form_reads_05_03_2024_as_5_march() -> None:
    class ReviewDateForm(forms.Form):
        review_date = forms.DateField()

    form = ReviewDateForm(data={"review_date": "05/03/2024"})

    assert form.is_valid(), form.errors
    assert form.cleaned_data["review_date"] == date(2024, 3, 5)


def test_date_widget_shows_day_first() -> None:
    class ReviewDateForm(forms.Form):
        review_date = forms.DateField()

    form = ReviewDateForm(initial={"review_date": date(2024, 3, 5)})

    assert 'value="05/03/2024"' in str(form["review_date"])


def test_decimal_field_accepts_decimal_comma() -> None:
    field = forms.DecimalField(localize=True)

    assert field.clean("1.234.567,5") == Decimal("1234567.5")


# --- Output -----------------------------------------------------------------------


def test_integer_renders_with_dot_grouping() -> None:
    assert render("{{ n }}", n=1234567) == "1.234.567"


def test_decimal_renders_with_dot_grouping_and_decimal_comma() -> None:
    assert render("{{ n }}", n=Decimal("1234567.5")) == "1.234.567,5"


def test_small_integer_is_not_grouped() -> None:
    assert render("{{ n }}", n=999) == "999"


def test_unlocalize_keeps_ids_plain_for_urls() -> None:
    assert render("{% load l10n %}{{ n|unlocalize }}", n=1234) == "1234"


def test_date_renders_day_first() -> None:
    assert render("{{ d }}", d=date(2024, 3, 5)) == "05/03/2024"


# --- Filters (template builtins, no {% load %}) -------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (date(2024, 2, 5), "ngày 05 tháng 02 năm 2024"),
        (date(2024, 1, 9), "ngày 09 tháng 01 năm 2024"),
        (date(2024, 3, 15), "ngày 15 tháng 3 năm 2024"),
        (date(2024, 12, 1), "ngày 01 tháng 12 năm 2024"),
        (date(2024, 10, 31), "ngày 31 tháng 10 năm 2024"),
    ],
    ids=["feb_gets_zero", "jan_gets_zero", "march_has_none", "dec_day_1", "oct_31"],
)
def test_official_date_follows_nd_30_2020(value: date, expected: str) -> None:
    assert render("{{ d|official_date }}", d=value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("5.2075"), "5,21 %"),
        (Decimal("3.2547"), "3,25 %"),
        (Decimal("0.125"), "0,13 %"),
        (Decimal("0.135"), "0,14 %"),
        (Decimal("12"), "12,00 %"),
        (0, "0,00 %"),
    ],
    ids=["up", "down", "half_up_0_125", "half_up_0_135", "whole", "zero"],
)
def test_percent_rounds_half_up_with_decimal_comma(
    value: Decimal | int, expected: str
) -> None:
    assert render("{{ v|percent }}", v=value) == expected


def test_percent_with_one_place() -> None:
    assert render("{{ v|percent:1 }}", v=Decimal("5.25")) == "5,3 %"


def test_percent_of_a_float_rounds_its_written_value() -> None:
    # 0.125 is exact in binary but 2.675 is not; str() keeps the written value.
    assert render("{{ v|percent }}", v=2.675) == "2,68 %"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1500000, "1.500.000 đ"),
        (Decimal("2250000"), "2.250.000 đ"),
        (0, "0 đ"),
        (500, "500 đ"),
    ],
    ids=["rural_line", "decimal_medium_line", "zero", "small"],
)
def test_vnd_groups_thousands_with_dots(value: int | Decimal, expected: str) -> None:
    assert render("{{ v|vnd }}", v=value) == expected


@pytest.mark.parametrize("name", ["official_date", "percent", "vnd"])
def test_filters_render_none_as_empty(name: str) -> None:
    assert render(f"{{{{ v|{name} }}}}", v=None) == ""


def test_filters_are_builtins_in_an_app_template() -> None:
    source = "{{ d|official_date }} — {{ p|percent }} — {{ m|vnd }}"

    assert render(source, d=date(2024, 2, 5), p=Decimal("5.2075"), m=1500000) == (
        "ngày 05 tháng 02 năm 2024 — 5,21 % — 1.500.000 đ"
    )
