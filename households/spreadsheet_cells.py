"""Values written into an openpyxl cell: numbers stay numbers, text stays text.

The one place that writes user text into a spreadsheet (the reports' Excel files and
the register workbook both come through `write_cell`). openpyxl stores any string
starting with "=" as a formula unless the cell is told it holds a string, so a name
typed "=HYPERLINK(…)" or "+84…" would run in Excel; here it is always text.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

DATE = "DD/MM/YYYY"
DATE_TIME = "DD/MM/YYYY HH:MM"
TEXT = "@"


def cell_content(
    value: object, number_format: str | None = None
) -> tuple[object, bool, str | None]:
    """What a cell holds for `value`: the value openpyxl stores, whether it must be
    stored as text (never as a formula), and its number format (None: General)."""
    if isinstance(value, str):
        return value, True, TEXT if number_format == TEXT else None
    if isinstance(value, datetime):
        return value.replace(tzinfo=None), False, DATE_TIME
    if isinstance(value, date):
        return value, False, DATE
    stored = float(value) if isinstance(value, Decimal) else value
    return stored, False, number_format if value is not None else None


def write_cell(cell: Any, value: object, number_format: str | None = None) -> None:
    """Put `value` in `cell`; text (user text included) never becomes a formula."""
    cell.value, text, cell_format = cell_content(value, number_format)
    if text:
        cell.data_type = "s"
    if cell_format:
        cell.number_format = cell_format
