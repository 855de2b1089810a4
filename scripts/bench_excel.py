"""A whole commune's Biểu 14 or 15 as Excel against raw openpyxl writing the same cells.

The list is built once (not timed here: `scripts/bench_pages.py` times the whole
request); then, interleaved `--runs` times, the report's workbook
(`reports.excel.workbook_bytes`, styled: borders, bold total, number formats, merged
heading) and a bare openpyxl workbook with the same values in the same cells, saved
to bytes. Prints both medians and their ratio. On a seeded database, e.g.:

    DATABASE_URL=postgres://… DEMO_MODE=True SECRET_KEY=… \\
        .venv/bin/python scripts/bench_excel.py --username canbo_1 --number 14

A benchmark, never a test: the figures depend on the machine.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "giamngheo.settings")

import django  # noqa: E402

django.setup()

from openpyxl import Workbook  # noqa: E402

from giamngheo.models import User  # noqa: E402
from reports import excel  # noqa: E402
from reports.review_documents import household_list_of, list_sheet  # noqa: E402
from reports.scope import scope_for  # noqa: E402


def raw_bytes(sheet: excel.Sheet) -> bytes:
    """The same values in the same cells, no style at all."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws["A1"] = sheet.heading
    ws["A2"] = sheet.subtitle
    for index, column in enumerate(sheet.columns, start=1):
        ws.cell(row=4, column=index, value=column.header)
        ws.cell(row=5, column=index, value=column.code)
    items = [*sheet.rows, *([sheet.total] if sheet.total is not None else [])]
    for row, item in enumerate(items, start=6):
        for index, column in enumerate(sheet.columns, start=1):
            value = column.value(item)
            ws.cell(row=row, column=index, value=value)
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--username", default="canbo")
    parser.add_argument("--year", type=int, default=2024)
    parser.add_argument("--number", type=int, choices=(14, 15), default=14)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    user = User.objects.get(username=args.username)
    listed = household_list_of(scope_for(user, args.year), args.number)
    sheet, info = list_sheet(listed, user)
    cells = (len(sheet.rows) + 3) * len(sheet.columns)
    styled, raw = [], []
    for _ in range(args.runs):
        start = time.perf_counter()
        excel.workbook_bytes([sheet], info)
        styled.append(time.perf_counter() - start)
        start = time.perf_counter()
        raw_bytes(sheet)
        raw.append(time.perf_counter() - start)
    report, bare = statistics.median(styled), statistics.median(raw)
    print(
        f"Biểu {args.number}: {len(sheet.rows)} dòng, {cells} ô; "
        f"báo cáo {report * 1000:.0f} ms, openpyxl trần {bare * 1000:.0f} ms, "
        f"tỷ lệ {report / bare:.2f}×"
    )


if __name__ == "__main__":
    main()
