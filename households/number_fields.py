"""Form fields for amounts in đồng and for decimals, typed the Vietnamese way.

Every money or decimal field of every form uses these (tests/households/
test_number_fields.py walks the forms to keep it so). They render as text inputs
with a numeric keypad: `type=number` cannot hold "1.500.000" (the browser drops or
mangles the dots) and answers in the browser's words, not ours.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from households.vietnamese_numbers import (
    COUNT_EXAMPLE,
    DECIMAL_EXAMPLE,
    MONEY_EXAMPLE,
    NumberEntryError,
    format_decimal,
    format_grouped,
    parse_count,
    parse_decimal,
    parse_money,
)

MONEY_MESSAGE = f"Nhập số tiền bằng chữ số, ví dụ {MONEY_EXAMPLE}."
COUNT_MESSAGE = f"Nhập số nguyên bằng chữ số, ví dụ {COUNT_EXAMPLE}."
DECIMAL_MESSAGE = (
    f"Nhập số bằng chữ số, phần thập phân sau dấu phẩy, ví dụ {DECIMAL_EXAMPLE}."
)


def _refusal(typed: Any, problem: NumberEntryError, message: str) -> ValidationError:
    return ValidationError(
        "“%(typed)s” chưa đúng: %(problem)s. %(message)s",
        code="invalid",
        params={"typed": str(typed).strip(), "problem": problem, "message": message},
    )


class WholeNumberField(forms.IntegerField):
    """A whole number typed with or without dots between groups of three."""

    parse = staticmethod(parse_count)

    def to_python(self, value: Any) -> int | None:
        if value in self.empty_values:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        try:
            return self.parse(str(value))
        except NumberEntryError as problem:
            raise _refusal(value, problem, self.error_messages["invalid"]) from None

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, str):
            # Typed text is shown back as typed when it is wrong, grouped when right.
            try:
                value = self.parse(value)
            except NumberEntryError:
                return value
        if isinstance(value, int) and not isinstance(value, bool):
            return format_grouped(value)
        return value


class MoneyField(WholeNumberField):
    """An amount in đồng: accepts "1.500.000", "1500000", "1 500 000", "1.500.000 đ";
    refuses "1.500000", "1,5", "1,5 triệu" and says why; shows "1.500.000"."""

    parse = staticmethod(parse_money)
    widget = forms.TextInput(
        attrs={
            "inputmode": "numeric",
            "autocomplete": "off",
            "placeholder": f"ví dụ {MONEY_EXAMPLE}",
            "data-number": "money",
        }
    )
    default_error_messages = {
        "invalid": MONEY_MESSAGE,
        "min_value": "Số tiền không được âm.",
        "max_value": "Số tiền quá lớn: kiểm tra lại các chữ số.",
    }


class CountField(WholeNumberField):
    """A number of people or households as a report gives it: "1.087" or "1087"."""

    widget = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})
    default_error_messages = {
        "invalid": COUNT_MESSAGE,
        "min_value": "Số không được âm.",
        "max_value": "Số quá lớn: kiểm tra lại các chữ số.",
    }


class DecimalCommaField(forms.DecimalField):
    """A decimal with the Vietnamese decimal comma: accepts "21,5" (and "21.5", where
    the dot cannot be a thousands separator); refuses "1.250" as ambiguous; shows
    "21,5". Not negative unless the form passes `min_value=None` explicitly."""

    widget = forms.TextInput(
        attrs={
            "inputmode": "decimal",
            "autocomplete": "off",
            "placeholder": f"ví dụ {DECIMAL_EXAMPLE}",
        }
    )
    default_error_messages = {
        "invalid": DECIMAL_MESSAGE,
        "min_value": "Số này không được âm.",
        "max_digits": "Số quá dài: nhiều nhất %(max)s chữ số.",
        "max_decimal_places": "Chỉ ghi nhiều nhất %(max)s chữ số sau dấu phẩy.",
        "max_whole_digits": "Phần nguyên quá dài: nhiều nhất %(max)s chữ số.",
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", Decimal(0))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Decimal | None:
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            return value
        if isinstance(value, int) and not isinstance(value, bool):
            return Decimal(value)
        try:
            return parse_decimal(str(value))
        except NumberEntryError as problem:
            raise _refusal(value, problem, self.error_messages["invalid"]) from None

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, str):
            try:
                value = parse_decimal(value)
            except NumberEntryError:
                return value
        if isinstance(value, Decimal | int) and not isinstance(value, bool):
            return format_decimal(value, grouped=False)
        return value
