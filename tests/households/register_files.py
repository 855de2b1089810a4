"""Register workbooks for the import tests: the export of a commune, edited."""

from __future__ import annotations

from collections.abc import Callable
from io import BytesIO
from typing import Any

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from households.models import Commune, Household
from households.register_workbook import CODE_ROW, export_register


def export_of(commune: Commune) -> bytes:
    return export_register(
        Household.objects.filter(commune=commune),
        commune=commune,
        village=None,
        exported_by="Bùi Thị Lan",
    )


def column_of(sheet: Worksheet, code: str) -> int:
    codes = [c.value for c in sheet[CODE_ROW]]
    return codes.index(code) + 1


def set_cell(sheet: Worksheet, row: int, code: str, value: Any) -> None:
    sheet.cell(row=row, column=column_of(sheet, code)).value = value


def edited(data: bytes, edit: Callable[[Any], None]) -> bytes:
    workbook = load_workbook(BytesIO(data))
    edit(workbook)
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()
