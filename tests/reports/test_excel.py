"""The reports' workbooks (reports/excel.py): every data cell boxed, the total row
bold, numbers and dates with their formats, user text never a formula — also with
the styles copied from cell to cell rather than assigned to each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO

from openpyxl import load_workbook

from reports import excel


@dataclass
class Line:
    name: str
    households: int | None
    rate: Decimal | None
    on: date | None


COLUMNS = [
    excel.Column("Tên", "A", lambda r: r.name),
    excel.Column("Số hộ", "1", lambda r: r.households, excel.INTEGER),
    excel.Column("Tỷ lệ", "2", lambda r: r.rate, excel.PERCENT_2),
    excel.Column("Ngày", "3", lambda r: r.on),
]


def test_each_cell_keeps_its_format_its_box_and_its_text() -> None:
    rows = [
        Line("Làng Chiềng", 1200, Decimal("5.21"), date(2024, 12, 31)),
        Line('=HYPERLINK("http://x")', None, None, None),
        Line("Thôn Mới", 3, Decimal("0.5"), date(2025, 1, 2)),
    ]
    total = Line("Toàn xã", 1203, Decimal("5.00"), None)
    sheet = excel.Sheet("Biểu 1", "BIỂU 1", COLUMNS, rows, total=total)
    info = excel.ExportInfo("Biểu 1", "Cao Ngọc", "canbo", datetime(2026, 12, 4), {})

    ws = load_workbook(BytesIO(excel.workbook_bytes([sheet], info)))["Biểu 1"]

    for column in range(1, 5):
        header, code = ws.cell(row=4, column=column), ws.cell(row=5, column=column)
        assert header.font.b and header.fill.fgColor.rgb.endswith("EEF2F6")
        assert header.border.top.style == "thin"
        assert code.font.i and not code.font.b and code.border.top.style == "thin"
        assert header.alignment.horizontal == code.alignment.horizontal == "center"
    assert [ws.cell(row=5, column=c).value for c in range(1, 5)] == ["A", "1", "2", "3"]
    first = 6  # heading, subtitle, blank, headers, codes
    values = [
        [ws.cell(row=r, column=c).value for c in range(1, 5)]
        for r in range(first, first + 4)
    ]
    assert values == [
        ["Làng Chiềng", 1200, 5.21, datetime(2024, 12, 31)],
        ['=HYPERLINK("http://x")', None, None, None],
        ["Thôn Mới", 3, 0.5, datetime(2025, 1, 2)],
        ["Toàn xã", 1203, 5.0, None],
    ]
    assert ws.cell(row=first + 1, column=1).data_type == "s"
    for r in range(first, first + 4):
        for c in range(1, 5):
            cell = ws.cell(row=r, column=c)
            assert cell.border.left.style == "thin", cell.coordinate
            assert cell.border.bottom.style == "thin", cell.coordinate
            assert bool(cell.font.b) == (r == first + 3), cell.coordinate
    assert ws.cell(row=first, column=2).number_format == excel.INTEGER
    assert ws.cell(row=first, column=3).number_format == excel.PERCENT_2
    assert ws.cell(row=first, column=4).number_format == excel.DATE
    assert ws.cell(row=first, column=1).number_format == "General"
    assert ws.cell(row=first + 3, column=2).number_format == excel.INTEGER
