"""The register's Excel round trip on a seeded demo (issue 11's "done when").

Against an existing seeded database (DATABASE_URL), e.g.:

    DATABASE_URL=sqlite:///demo.sqlite3 DEBUG=True DEMO_MODE=True \
        DEMO_WORKING_DATE=20/12/2024 .venv/bin/python \
        scripts/check_register_roundtrip.py [--apply]

1. exports the commune and imports the file back (dry run): "0 mới, 0 thay đổi";
2. changes the income of the first household in the file: exactly one new review
   (its review in force is a record of the end-2023 review, outside any round, so the
   new record holds from its date);
3. changes the income of a household whose review belongs to the recognised 2024
   round, keeping its date: refused with the way forward (a regular review dated
   today), nothing written; as a regular review dated today: one new review, awaiting
   the chairman's decision;
4. with --apply, writes step 2 and imports the same file again: nothing changes.
Prints the timings. Writes nothing without --apply.
"""

from __future__ import annotations

import os
import sys
import time
from io import BytesIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "giamngheo.settings")

import django

django.setup()

from openpyxl import load_workbook  # noqa: E402

from households import clock  # noqa: E402
from households.models import Commune, Household, Review  # noqa: E402
from households.register_file import RegisterFileError  # noqa: E402
from households.register_import import import_register  # noqa: E402
from households.register_workbook import CODE_ROW, export_register  # noqa: E402

COMMUNE = "cao-ngoc"


def run(data: bytes, commune: Commune, *, dry_run: bool) -> str:
    started = time.perf_counter()
    result = import_register(
        BytesIO(data),
        file_name="so-ho.xlsx",
        size=len(data),
        commune=commune,
        by=None,
        dry_run=dry_run,
    )
    print(f"  ({time.perf_counter() - started:.1f} s) {result.summary}")
    for plan in result.changed_plans:
        print(f"  {plan.code}: {'; '.join(plan.changes)}")
    return result.summary


def changed(data: bytes, row: int, **cells: object) -> bytes:
    workbook = load_workbook(BytesIO(data))
    sheet = workbook["Rà soát"]
    codes = [c.value for c in sheet[CODE_ROW]]
    for code, value in cells.items():
        sheet.cell(row=row, column=codes.index(code) + 1).value = value
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


def row_in_the_recognised_round(data: bytes, year: int) -> int:
    sheet = load_workbook(BytesIO(data), read_only=True)["Rà soát"]
    rows = sheet.iter_rows(min_row=CODE_ROW, values_only=True)
    codes = list(next(rows))
    for number, values in enumerate(rows, start=CODE_ROW + 1):
        day = values[codes.index("ngay_ra_soat")]
        if day.year == year and values[codes.index("loai")].startswith("Rà soát định"):
            return number
    raise AssertionError(f"no review of the {year} round in the file")


def main() -> None:
    apply = "--apply" in sys.argv
    commune = Commune.objects.get(code=COMMUNE)
    started = time.perf_counter()
    data = export_register(
        Household.objects.filter(commune=commune),
        commune=commune,
        village=None,
        exported_by="scripts/check_register_roundtrip.py",
    )
    print(f"Export: {len(data):,} bytes in {time.perf_counter() - started:.1f} s")
    print("1. The export imported back (dry run):")
    assert run(data, commune, dry_run=True).startswith("0 mới, 0 thay đổi")
    reviews = Review.objects.count()
    print("2. The first household's income changed:")
    one_income = changed(data, 3, thu_nhap=4_000_000)
    summary = run(one_income, commune, dry_run=not apply)
    assert "0 mới, 1 thay đổi" in summary and "; 1 phiếu rà soát mới" in summary
    assert Review.objects.count() == reviews + (1 if apply else 0)
    row = row_in_the_recognised_round(data, 2024)
    print(f"3. The income of line {row}, a review of the recognised 2024 round:")
    try:
        run(changed(data, row, thu_nhap=4_000_000), commune, dry_run=True)
    except RegisterFileError as exc:
        print("  refused:", exc.problems[0])
    else:
        raise AssertionError("a review in the recognised round was accepted")
    print("   … as a regular review dated today (dry run):")
    regular = changed(
        data,
        row,
        thu_nhap=4_000_000,
        ngay_ra_soat=clock.today().strftime("%d/%m/%Y"),
        loai="Rà soát thường xuyên",
    )
    assert "; 1 phiếu rà soát mới" in run(regular, commune, dry_run=True)
    if apply:
        print("4. Step 2's file again:")
        assert "; 0 phiếu rà soát mới" in run(one_income, commune, dry_run=False)
        assert Review.objects.count() == reviews + 1
    print("OK")


if __name__ == "__main__":
    main()
