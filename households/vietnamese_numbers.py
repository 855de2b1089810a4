"""Numbers as Vietnamese people write them: "1.500.000" đồng, "21,5" m².

Pure functions, no Django: the form fields in `households/number_fields.py` use them.
Vietnamese writing groups thousands with a dot (or a space) and marks decimals with a
comma (TCVN 7870-1 / ISO 80000-1 allow the space; the dot is what people write).
A parse error is a `NumberEntryError` whose text says, in plain words, what is wrong.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

# Separators people put between groups of three digits. U+202F (narrow no-break
# space) is what some phones and spreadsheets insert.
GROUP_SEPARATORS = ". \u00a0\u202f"
DECIMAL_MARK = ","

MONEY_EXAMPLE = "1.500.000"
COUNT_EXAMPLE = "1.087"
DECIMAL_EXAMPLE = "21,5"

# Words for amounts people abbreviate; "1,5 triệu" must be written out in full.
# Matched only between non-letters ("1tr5", "500k"), not inside a word.
_LETTER = r"[^\W\d_]"
_ABBREVIATIONS = re.compile(
    rf"(?<!{_LETTER})(triệu|tr|nghìn|ngàn|k|tỷ|tỉ)(?!{_LETTER})", re.IGNORECASE
)
_CURRENCY = re.compile(r"\s*(đồng|đ|vnđ|vnd)\s*$", re.IGNORECASE)
_AREA_UNIT = re.compile(r"\s*(m²|m2)\s*$", re.IGNORECASE)
_GROUP_SPLIT = re.compile("[" + re.escape(GROUP_SEPARATORS) + "]")
_DIGITS = re.compile(r"[0-9]+")


class NumberEntryError(ValueError):
    """What is wrong with a typed number, as a Vietnamese sentence fragment."""


def _sign(text: str) -> tuple[int, str]:
    if text.startswith(("-", "\u2212")):  # ASCII hyphen or the minus sign U+2212
        return -1, text[1:].lstrip()
    if text.startswith("+"):
        return 1, text[1:].lstrip()
    return 1, text


def _grouped_digits(text: str) -> str:
    """ "1.500.000" or "1 500 000" or "1500000" -> "1500000", or NumberEntryError."""
    if _DIGITS.fullmatch(text):
        return text
    groups = _GROUP_SPLIT.split(text)
    if not all(_DIGITS.fullmatch(g) for g in groups):
        raise NumberEntryError("giữa các chữ số chỉ có một dấu chấm hoặc dấu cách")
    first, rest = groups[0], groups[1:]
    if len(first) > 3 or any(len(g) != 3 for g in rest):
        raise NumberEntryError(
            "dấu chấm (hoặc dấu cách) tách từng nhóm đủ 3 chữ số, tính từ bên phải"
        )
    if first.startswith("0"):
        raise NumberEntryError("số có nhóm nghìn không bắt đầu bằng chữ số 0")
    return "".join(groups)


def _refuse_letters(text: str, allowed: str) -> None:
    if _ABBREVIATIONS.search(text):
        raise NumberEntryError(
            "ghi đủ các chữ số, không viết tắt “triệu”, “tr”, “nghìn”, “k”"
        )
    if any(c not in "0123456789" + allowed for c in text):
        raise NumberEntryError("chỉ ghi chữ số")


def parse_money(text: str) -> int | None:
    """An amount in đồng: "1.500.000", "1500000", "1 500 000", "1.500.000 đ".

    đồng have no decimals, so a comma is refused rather than guessed at, and so is a
    dot that does not separate groups of three ("1.500000", "1.5"): reading either
    would silently store an amount a thousand times off. Blank gives None.
    """
    text = text.strip()
    if not text:
        return None
    return _parse_whole(
        _CURRENCY.sub("", text) or "đ",  # "đ" alone is not a blank field
        comma="số tiền tính bằng đồng, không có phần lẻ sau dấu phẩy",
    )


def parse_count(text: str) -> int | None:
    """A number of people or households: "1.087", "1087", "1 087"; blank gives None."""
    return _parse_whole(
        text.strip(), comma="số đếm là số nguyên, không có phần lẻ sau dấu phẩy"
    )


def _parse_whole(text: str, *, comma: str) -> int | None:
    if not text:
        return None
    sign, text = _sign(text)
    _refuse_letters(text, GROUP_SEPARATORS + DECIMAL_MARK)
    if DECIMAL_MARK in text:
        raise NumberEntryError(comma)
    if not text:
        raise NumberEntryError("chỉ ghi chữ số")
    return sign * int(_grouped_digits(text))


def parse_decimal(text: str) -> Decimal | None:
    """A decimal written the Vietnamese way: "21,5", "1.250,5", "21"; blank gives None.

    The comma is the decimal mark. A dot is read as a decimal mark only when it cannot
    be a thousands separator: one dot not followed by exactly three digits ("21.5",
    which is what a phone keypad set to English offers). "1.250" could be 1250 or
    1,25 and is refused with a message saying to use the comma; "1.250.000" (several
    dots) can only be grouping and is read as 1250000.
    """
    text = _AREA_UNIT.sub("", text.strip())
    if not text:
        return None
    sign, text = _sign(text)
    _refuse_letters(text, GROUP_SEPARATORS + DECIMAL_MARK)
    if text.count(DECIMAL_MARK) > 1:
        raise NumberEntryError("chỉ có một dấu phẩy, trước phần thập phân")
    if DECIMAL_MARK in text:
        whole, fraction = text.split(DECIMAL_MARK)
        if not _DIGITS.fullmatch(fraction):
            raise NumberEntryError("sau dấu phẩy chỉ ghi chữ số")
    elif text.count(".") == 1 and not re.search(r"\.[0-9]{3}$", text):
        whole, fraction = text.split(".")
        if not _DIGITS.fullmatch(fraction) or not _DIGITS.fullmatch(whole):
            raise NumberEntryError("dùng dấu phẩy cho phần thập phân")
    elif text.count(".") == 1 and _DIGITS.fullmatch(text.replace(".", "")):
        raise NumberEntryError(
            "không rõ là số nguyên hay số thập phân: dùng dấu phẩy cho phần thập "
            "phân (21,5), bỏ dấu chấm nếu là số nguyên (1250)"
        )
    else:
        whole, fraction = text, ""
    if not whole:
        raise NumberEntryError("ghi phần nguyên trước dấu phẩy, ví dụ 0,5")
    digits = _grouped_digits(whole) + ("." + fraction if fraction else "")
    try:
        value = Decimal(digits)
    except InvalidOperation as exc:  # pragma: no cover - digits are checked above
        raise NumberEntryError("chỉ ghi chữ số") from exc
    return -value if sign < 0 else value


def _grouped(whole: int) -> str:
    return f"{whole:,}".replace(",", ".")


def format_grouped(number: int) -> str:
    """An amount or a count: 1500000 -> "1.500.000"."""
    return ("-" if number < 0 else "") + _grouped(abs(int(number)))


def format_decimal(value: Decimal | int, *, grouped: bool = True) -> str:
    """Decimal("21.5") -> "21,5"; Decimal("1250.0") -> "1.250" (no trailing zeros).

    `grouped=False` is for a value shown back in an input: "1.250" alone could be read
    as 1,25 and is refused by `parse_decimal`, so the input gets "1250".
    """
    number = Decimal(value)
    sign = "-" if number < 0 else ""
    number = abs(number)
    whole, _, fraction = f"{number.normalize():f}".partition(".")
    whole = _grouped(int(whole)) if grouped else str(int(whole))
    return f"{sign}{whole}{DECIMAL_MARK}{fraction}" if fraction else sign + whole


def format_percent(value: Decimal | float | int, places: int = 2) -> str:
    """5.2075 -> "5,21 %": half-up to `places` decimals, kept even when zero
    ("3,00 %"), decimal comma, dots between thousands, as every page writes a rate."""
    quantum = Decimal(1).scaleb(-int(places))
    rounded = Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)
    sign = "-" if rounded < 0 else ""
    whole, _, fraction = f"{abs(rounded):f}".partition(".")
    written = _grouped(int(whole)) + (f"{DECIMAL_MARK}{fraction}" if fraction else "")
    return f"{sign}{written} %"
