"""Summaries → .xlsx bytes (openpyxl): numbers stay numbers, user text stays text.

Each report declares its columns as `Column(header, code, value, …)`, so a header and
the value under it are written side by side (STYLE.md E5), plus a sheet that records
what was exported, by whom, when and with which filters.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from copy import copy
from dataclasses import dataclass, field
from datetime import datetime
from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from households import spreadsheet_cells
from households.spreadsheet_cells import cell_content, write_cell

DATE = spreadsheet_cells.DATE
INTEGER = "#,##0"
PERCENT_2 = "0.00"
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="EEF2F6")


@dataclass(frozen=True)
class Column:
    header: str
    code: str
    value: Callable[[Any], object]
    number_format: str | None = None
    width: float = 12
    group: str | None = None  # a merged header above consecutive columns


@dataclass
class Sheet:
    title: str
    heading: str
    columns: Sequence[Column]
    rows: Sequence[Any]
    total: Any | None = None
    subtitle: str = ""
    landscape: bool = True
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ExportInfo:
    report: str
    commune: str
    exported_by: str
    exported_at: datetime
    filters: dict[str, str]


class _Styles:
    """Cell styles set once through openpyxl, then copied as their arrays of style
    ids: assigning a Border, a Font or a Fill looks each up in the workbook's style
    lists by hash, which cost twice the writing itself on a commune's list."""

    def __init__(self) -> None:
        self._arrays: dict[object, Any] = {}

    def apply(self, cell: Any, key: Any, style: Callable[[Any, Any], None]) -> None:
        """Give `cell` the style `key`, set by `style(cell, key)` the first time."""
        array = self._arrays.get(key)
        if array is None:
            style(cell, key)
            self._arrays[key] = copy(cell._style)
        else:
            cell._style = copy(array)


BOLD = Font(bold=True)
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _header_style(cell: Any, key: str) -> None:
    cell.font, cell.alignment, cell.border, cell.fill = BOLD, CENTRE, BOX, HEADER_FILL


def _code_style(cell: Any, key: str) -> None:
    cell.font, cell.alignment, cell.border = Font(italic=True), CENTRE, BOX


def _data_style(cell: Any, key: tuple[str | None, bool]) -> None:
    number_format, total = key
    if number_format:
        cell.number_format = number_format
    cell.border = BOX
    if total:
        cell.font = BOLD


def _header_rows(
    ws: Worksheet, columns: Sequence[Column], first_row: int, styles: _Styles
) -> int:
    """Group headers (merged), column headers, and the column-code row."""
    has_groups = any(c.group for c in columns)
    header_row = first_row + 1 if has_groups else first_row
    for index, column in enumerate(columns, start=1):
        cell = ws.cell(row=header_row, column=index, value=column.header)
        styles.apply(cell, "header", _header_style)
        code = ws.cell(row=header_row + 1, column=index)
        write_cell(code, column.code)
        styles.apply(code, "code", _code_style)
        ws.column_dimensions[get_column_letter(index)].width = column.width
    if has_groups:
        index = 1
        while index <= len(columns):
            group = columns[index - 1].group
            end = index
            while end < len(columns) and group and columns[end].group == group:
                end += 1
            if group:
                ws.cell(row=first_row, column=index, value=group)
                if end > index:
                    ws.merge_cells(
                        start_row=first_row,
                        start_column=index,
                        end_row=first_row,
                        end_column=end,
                    )
            else:
                ws.merge_cells(
                    start_row=first_row,
                    start_column=index,
                    end_row=header_row,
                    end_column=index,
                )
                ws.cell(row=first_row, column=index, value=columns[index - 1].header)
            for col in range(index, end + 1):
                for row in (first_row, header_row):
                    styles.apply(ws.cell(row=row, column=col), "header", _header_style)
            index = end + 1
    return header_row + 1  # the code row


def _write_sheet(ws: Worksheet, sheet: Sheet) -> None:
    ws.title = sheet.title[:31]
    last_column = get_column_letter(len(sheet.columns))
    ws["A1"] = sheet.heading
    ws["A1"].font = Font(bold=True, size=13)
    ws.merge_cells(f"A1:{last_column}1")
    ws["A1"].alignment = Alignment(horizontal="center")
    if sheet.subtitle:
        ws["A2"] = sheet.subtitle
        ws["A2"].font = Font(italic=True)
        ws.merge_cells(f"A2:{last_column}2")
        ws["A2"].alignment = Alignment(horizontal="center")
    styles = _Styles()
    code_row = _header_rows(ws, sheet.columns, first_row=4, styles=styles)
    row_number = code_row + 1
    # Each data cell's style is one of a few: its number format, bold or not (the
    # total), always boxed (issue 12).
    for item in [*sheet.rows, *([sheet.total] if sheet.total is not None else [])]:
        total = item is sheet.total
        for index, column in enumerate(sheet.columns, start=1):
            value, text, number_format = cell_content(
                column.value(item), column.number_format
            )
            cell = ws.cell(row=row_number, column=index, value=value)
            if text:
                cell.data_type = "s"
            styles.apply(cell, (number_format, total), _data_style)
        row_number += 1
    for note in sheet.notes:
        row_number += 1
        write_cell(ws.cell(row=row_number, column=1), note)
    ws.freeze_panes = ws.cell(row=code_row + 1, column=3)
    ws.print_title_rows = f"4:{code_row}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if sheet.landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def workbook_bytes(sheets: Sequence[Sheet], info: ExportInfo) -> bytes:
    wb = Workbook()
    first = wb.active
    assert first is not None
    for index, sheet in enumerate(sheets):
        ws = first if index == 0 else wb.create_sheet()
        _write_sheet(ws, sheet)
    meta = wb.create_sheet("Thông tin xuất")
    lines: list[tuple[str, object]] = [
        ("Báo cáo", info.report),
        ("Xã", info.commune),
        ("Người xuất", info.exported_by),
        ("Thời gian xuất", info.exported_at.replace(tzinfo=None)),
        *[(f"Lọc: {k}", v) for k, v in info.filters.items()],
        ("Nguồn số liệu", "Sổ hộ gia đình của hệ thống giảm nghèo, tại thời điểm xuất"),
    ]
    for row, (label, value) in enumerate(lines, start=1):
        meta.cell(row=row, column=1, value=label).font = Font(bold=True)
        write_cell(meta.cell(row=row, column=2), value)
    meta.column_dimensions["A"].width = 22
    meta.column_dimensions["B"].width = 60
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
