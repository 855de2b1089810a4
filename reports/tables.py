"""The table model that the screen and the PDF share (`_review_table.html`), built from
the same `excel.Column`s as the Excel sheet, so the three never disagree on a header, a
code or a figure."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reports import excel

Column = excel.Column
INT = excel.INTEGER
PCT = excel.PERCENT_2


@dataclass(frozen=True)
class HeadCell:
    text: str
    colspan: int = 1
    rowspan: int = 1


@dataclass(frozen=True)
class Cell:
    value: object
    label: str  # the column's header, shown before the value on a phone
    css: str = ""  # "num" (right), "center", "label" (a name, kept on one line)
    rate: bool = False
    grouped: bool = False  # digit grouping: counts yes, years and STT no
    rowspan: int = 1


def _cell(column: Column, value: object, label: str, rowspan: int = 1) -> Cell:
    rate, grouped = column.number_format == PCT, column.number_format == INT
    if rate or grouped:
        css = "num"
    elif isinstance(value, str) and column.width >= 20:
        css = "label"
    else:
        css = "center"
    return Cell(value, label, css, rate=rate, grouped=grouped, rowspan=rowspan)


@dataclass(frozen=True)
class BodyRow:
    cells: tuple[Cell, ...]
    total: bool = False


@dataclass(frozen=True)
class HtmlTable:
    head: tuple[tuple[HeadCell, ...], ...]
    codes: tuple[str, ...]
    body: tuple[BodyRow, ...]
    compact: bool = False
    paired: bool = False

    @property
    def groups(self) -> tuple[tuple[BodyRow, ...], ...]:
        """The row groups: a Hộ line with its Nhân khẩu line when paired (one
        `tbody` the PDF keeps on one page), else all the rows together."""
        if not self.paired:
            return (self.body,) if self.body else ()
        return tuple(self.body[i : i + 2] for i in range(0, len(self.body), 2))


def head_rows(columns: Sequence[Column]) -> tuple[tuple[HeadCell, ...], ...]:
    if not any(c.group for c in columns):
        return (tuple(HeadCell(c.header) for c in columns),)
    top: list[HeadCell] = []
    below: list[HeadCell] = []
    index = 0
    while index < len(columns):
        group = columns[index].group
        if not group:
            top.append(HeadCell(columns[index].header, rowspan=2))
            index += 1
            continue
        end = index
        while end < len(columns) and columns[end].group == group:
            below.append(HeadCell(columns[end].header))
            end += 1
        top.append(HeadCell(group, colspan=end - index))
        index = end
    return (tuple(top), tuple(below))


def html_table(
    columns: Sequence[Column],
    lines: Sequence[Any],
    totals: Sequence[Any] = (),
    *,
    paired: bool = False,
    compact: bool = False,
) -> HtmlTable:
    """The table of `columns` over `lines` then `totals`. `paired`: lines come in
    pairs (Hộ / Nhân khẩu) sharing their first two cells (STT, name)."""
    labels = [f"{c.group} — {c.header}" if c.group else c.header for c in columns]

    def row(line: Any, *, total: bool, second: bool) -> BodyRow:
        cells = []
        for index, column in enumerate(columns):
            merged = paired and index < 2
            if merged and second:
                continue
            value = column.value(line)
            cells.append(_cell(column, value, labels[index], 2 if merged else 1))
        return BodyRow(tuple(cells), total=total)

    body = [
        row(line, total=is_total, second=paired and index % 2 == 1)
        for is_total, group in ((False, lines), (True, totals))
        for index, line in enumerate(group)
    ]
    return HtmlTable(
        head_rows(columns), tuple(c.code for c in columns), tuple(body), compact, paired
    )


@dataclass(frozen=True)
class PrintedVillage:
    """A village of a printed list: its heading and, per household, the texts of its
    lines. A household is one row group that the PDF never splits across pages."""

    name: str
    households: int
    persons: int
    groups: tuple[tuple[tuple[str, ...], ...], ...]


@dataclass(frozen=True)
class PrintedList:
    """Reports 14/15 as one lean table for WeasyPrint (profiled, scripts/bench_pdf.py):
    the texts are formatted here, the columns have fixed widths, and the cells carry no
    attribute, so that layout and style matching stay cheap on long lists."""

    head: tuple[tuple[HeadCell, ...], ...]
    codes: tuple[str, ...]
    widths: tuple[str, ...]  # percentages of the table's width, "12.5"
    villages: tuple[PrintedVillage, ...]
