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


def write_cell(cell: Any, value: object, number_format: str | None = None) -> None:
    """Put `value` in `cell`; text (user text included) never becomes a formula."""
    if isinstance(value, Decimal):
        cell.value = float(value)
    elif isinstance(value, datetime):
        cell.value = value.replace(tzinfo=None)
    else:
        cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        if number_format == TEXT:
            cell.number_format = TEXT
    elif isinstance(value, datetime):
        cell.number_format = DATE_TIME
    elif isinstance(value, date):
        cell.number_format = DATE
    elif number_format and value is not None:
        cell.number_format = number_format
