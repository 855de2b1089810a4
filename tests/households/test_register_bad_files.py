"""The bad-file corpus (issue 11, item 7): every file is refused with its message,
quickly, and nothing is written — every table of the project holds the same rows
(their count and a checksum) before and after."""

from __future__ import annotations

import hashlib
import time
import zipfile
from collections.abc import Callable
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from giamngheo.models import User
from households.models import Household
from households.register_file import RegisterFileError
from households.register_import import import_register
from households.register_workbook import (
    CODE_ROW,
    HEADER_ROW,
    HOUSEHOLDS,
    MEMBERS,
    REVIEWS,
)
from tests.conftest import make_review
from tests.households.bad_files import counted_bad_file
from tests.households.register_files import column_of, edited, export_of, set_cell

PROJECT_APPS = ("giamngheo", "households", "targets", "tasks", "reports")
MB = 1024 * 1024


def tables_checksum() -> tuple[dict[str, int], str]:
    """Each table's row count, and one SHA-256 over every row of them all."""
    counts: dict[str, int] = {}
    digest = hashlib.sha256()
    for label in PROJECT_APPS:
        for model in apps.get_app_config(label).get_models():
            rows = list(model._default_manager.order_by("pk").values())
            counts[model._meta.label] = len(rows)
            digest.update(repr(rows).encode())
    return counts, digest.hexdigest()


@pytest.fixture
def base(household_a1: Household, household_a2: Household) -> bytes:
    head = household_a1.members.get()
    head.id_number = "038080001234"
    head.save()
    make_review(household_a1, income=1_200_000)
    return export_of(household_a1.commune)


def rows_edit(sheet: str, row: int, **cells: Any) -> Callable[[bytes], bytes]:
    def edit(workbook: Any) -> None:
        for code, value in cells.items():
            set_cell(workbook[sheet], row, code, value)

    return lambda data: edited(data, edit)


def workbook_edit(change: Callable[[Any], None]) -> Callable[[bytes], bytes]:
    return lambda data: edited(data, change)


def empty_workbook(_: bytes) -> bytes:
    out = BytesIO()
    Workbook().save(out)
    return out.getvalue()


def rename_sheet(workbook: Any) -> None:
    workbook["Hộ"].title = "Sheet1"


def drop_column(workbook: Any) -> None:
    sheet = workbook["Hộ"]
    sheet.delete_cols(column_of(sheet, "dia_chi"))


def extra_column(workbook: Any) -> None:
    sheet = workbook["Hộ"]
    column = len(HOUSEHOLDS.columns) + 1
    sheet.cell(row=HEADER_ROW, column=column).value = "Số điện thoại"
    sheet.cell(row=CODE_ROW, column=column).value = "so_dien_thoai"


def renamed_header(workbook: Any) -> None:
    sheet = workbook["Hộ"]
    sheet.cell(row=HEADER_ROW, column=column_of(sheet, "dia_chi")).value = "Nơi ở"


def no_code_row(workbook: Any) -> None:
    for title in ("Hộ", "Nhân khẩu", "Rà soát"):
        workbook[title].delete_rows(CODE_ROW)


def duplicate_code(workbook: Any) -> None:
    set_cell(workbook["Hộ"], 4, "ma_ho", "CN-01-0001")
    set_cell(workbook["Nhân khẩu"], 4, "ma_ho", "CN-01-0001")


def member_without_household(workbook: Any) -> None:
    set_cell(workbook["Nhân khẩu"], 4, "ma_ho", "CN-09-0009")


def two_heads(workbook: Any) -> None:
    members = workbook["Nhân khẩu"]
    for column in range(1, len(MEMBERS.columns) + 1):
        members.cell(row=5, column=column).value = members.cell(
            row=3, column=column
        ).value
    set_cell(members, 5, "ho_ten", "Bùi Văn Hải")
    set_cell(members, 5, "cccd", None)


def other_commune(workbook: Any) -> None:
    workbook["Thông tin"]["B1"].value = "b"


def a_good_new_household_and_a_bad_one(workbook: Any) -> None:
    households, members = workbook["Hộ"], workbook["Nhân khẩu"]
    for row, code, year in ((5, "CN-01-0100", 1970), (6, "CN-01-0101", 2030)):
        for column, value in {
            "ma_ho": code,
            "thon": "Làng Chiềng",
            "dan_toc": "Mường",
            "ngay_vao_so": "01/01/2020",
        }.items():
            set_cell(households, row, column, value)
        for column, value in {
            "ma_ho": code,
            "ho_ten": "Bùi Văn Mới",
            "quan_he": "Chủ hộ",
            "gioi_tinh": "Nam",
            "nam_sinh": year,  # 2030: in the future
            "dan_toc": "Mường",
            "trinh_do": "Tiểu học",
            "viec_lam": "Thất nghiệp",
        }.items():
            set_cell(members, row, column, value)


def xls_renamed(_: bytes) -> bytes:
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4096


def truncated(data: bytes) -> bytes:
    return data[: len(data) // 2]


def not_a_spreadsheet(_: bytes) -> bytes:
    return b"%PDF-1.7\n" + b"x" * 100


def zip_bomb(_: bytes) -> bytes:
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (20 * MB))
    return out.getvalue()


def nothing(_: bytes) -> bytes:
    return b""


CORPUS: list[tuple[str, Callable[[bytes], bytes], str]] = [
    ("empty-file", nothing, "Tệp rỗng"),
    ("empty-workbook", empty_workbook, "Tệp thiếu trang tính “Hộ”, “Nhân khẩu”"),
    ("wrong-sheet", workbook_edit(rename_sheet), "Tệp thiếu trang tính “Hộ” "),
    (
        "missing-header",
        workbook_edit(drop_column),
        "thiếu cột “Địa chỉ” (mã cột dia_chi)",
    ),
    ("extra-header", workbook_edit(extra_column), "mã cột “so_dien_thoai” không có"),
    ("renamed-header", workbook_edit(renamed_header), "tiêu đề “Nơi ở” không khớp"),
    ("no-code-row", workbook_edit(no_code_row), "dòng 2 phải là dòng mã cột"),
    (
        "duplicate-code",
        workbook_edit(duplicate_code),
        "mã hộ CN-01-0001 đã có ở dòng 3",
    ),
    (
        "cccd-11-digits",
        rows_edit("Nhân khẩu", 3, cccd="03808000123"),
        "Nhân khẩu”, dòng 3, cột H (Số CCCD/định danh): Số CCCD/định danh gồm đúng 12",
    ),
    ("cccd-as-number", rows_edit("Nhân khẩu", 3, cccd=38080001234), "ô đang ở dạng số"),
    (
        "31-02-2024",
        rows_edit("Hộ", 3, ngay_vao_so="31/02/2024"),
        "Hộ”, dòng 3, cột E (Ngày vào sổ hộ): ngày 31/02/2024 không có thật",
    ),
    ("negative-income", rows_edit("Rà soát", 3, thu_nhap=-500000), "không được âm"),
    (
        "non-numeric-income",
        rows_edit("Rà soát", 3, thu_nhap="một triệu hai"),
        "cột E (Thu nhập bình quân (đồng/người/tháng)): “một triệu hai”",
    ),
    ("decimal-income", rows_edit("Rà soát", 3, thu_nhap="1,5"), "“1,5”"),
    (
        "unknown-village",
        rows_edit("Hộ", 3, thon="Làng Xa"),
        "“Làng Xa” không có trong xã",
    ),
    ("text-in-numbers", rows_edit("Nhân khẩu", 3, nam_sinh="năm 80"), "“năm 80”"),
    (
        "unknown-label",
        rows_edit("Nhân khẩu", 3, gioi_tinh="M"),
        "“M” không có trong danh mục",
    ),
    ("formula-cell", rows_edit("Rà soát", 3, thu_nhap="=1000000*2"), "ô có công thức"),
    (
        "missing-required",
        rows_edit("Nhân khẩu", 3, ho_ten=None),
        "còn trống (bắt buộc)",
    ),
    (
        "member-of-no-household",
        workbook_edit(member_without_household),
        "CN-09-0009 không có",
    ),
    ("two-heads", workbook_edit(two_heads), "Mỗi hộ có đúng một chủ hộ"),
    (
        "another-communes-file",
        workbook_edit(other_commune),
        "tệp được xuất từ xã mã “b”",
    ),
    (
        "one-bad-row-among-new-ones",
        workbook_edit(a_good_new_household_and_a_bad_one),
        "dòng 6, cột E (Năm sinh): Năm sinh không được ở tương lai",
    ),
    ("xls-renamed", xls_renamed, "Excel 97–2003 (.xls)"),
    ("truncated", truncated, "bị hỏng hoặc chưa tải về hết"),
    ("not-a-spreadsheet", not_a_spreadsheet, "không phải là tệp Excel .xlsx"),
    ("zip-bomb", zip_bomb, "cấu trúc bất thường"),
]


def refused(data: bytes, household: Household, by: User | None) -> RegisterFileError:
    with pytest.raises(RegisterFileError) as caught, counted_bad_file():
        import_register(
            BytesIO(data),
            file_name="xau.xlsx",
            size=len(data),
            commune=household.commune,
            by=by,
            dry_run=False,
        )
    return caught.value


def test_the_corpus_has_at_least_twenty_files() -> None:
    assert len(CORPUS) >= 20


@pytest.mark.parametrize(
    ("make", "message"), [c[1:] for c in CORPUS], ids=[c[0] for c in CORPUS]
)
def test_a_bad_file_is_refused_with_its_message_and_nothing_written(
    base: bytes,
    household_a1: Household,
    officer: User,
    make: Callable[[bytes], bytes],
    message: str,
) -> None:
    data = make(base)
    before = tables_checksum()
    started = time.perf_counter()

    error = refused(data, household_a1, officer)

    assert message in str(error), str(error)
    assert tables_checksum() == before
    assert time.perf_counter() - started < 10


def test_a_50_mb_file_is_refused_before_it_is_read(
    base: bytes, household_a1: Household, tmp_path: Path
) -> None:
    path = tmp_path / "lon.xlsx"
    with path.open("wb") as out:  # sparse: 50 MB on paper, nothing on the disk
        out.write(base[:4])
        out.truncate(50 * MB)
    before = tables_checksum()
    with (
        pytest.raises(CommandError, match="Tệp nặng 50,0 MB, quá giới hạn 10 MB"),
        counted_bad_file(),
    ):
        call_command("import_register", str(path), commune="a")
    assert tables_checksum() == before


def test_a_zip_that_unpacks_beyond_the_limit_is_refused(
    base: bytes, household_a1: Household, settings: Any
) -> None:
    settings.REGISTER_IMPORT_MAX_UNZIPPED_MB = 0
    assert "cấu trúc bất thường" in str(refused(base, household_a1, None))


def test_a_sheet_beyond_the_line_limit_is_refused(
    base: bytes, household_a1: Household, settings: Any
) -> None:
    settings.REGISTER_IMPORT_MAX_ROWS = 1
    assert "quá 1 dòng" in str(refused(base, household_a1, None))


def raw_xlsx(sheets: dict[str, list[list[str]]]) -> bytes:
    """A minimal .xlsx written directly (inline strings, with its dimension as Excel
    writes it): 10.000 lines in a fraction of a second."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rels = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    package = "http://schemas.openxmlformats.org/package/2006"
    kind = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{n}.xml" '
            f'ContentType="{kind}.worksheet+xml"/>'
            for n in range(1, len(sheets) + 1)
        )
        archive.writestr(
            "[Content_Types].xml",
            f'<Types xmlns="{package}/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            f'ContentType="{kind}.sheet.main+xml"/>'
            f"{overrides}</Types>",
        )
        archive.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{package}/relationships"><Relationship Id="rId1" '
            f'Type="{rels}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        names = "".join(
            f'<sheet name="{title}" sheetId="{n}" r:id="rId{n}"/>'
            for n, title in enumerate(sheets, start=1)
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{main}" xmlns:r="{rels}"><sheets>{names}</sheets>'
            "</workbook>",
        )
        targets = "".join(
            f'<Relationship Id="rId{n}" Type="{rels}/worksheet" '
            f'Target="worksheets/sheet{n}.xml"/>'
            for n in range(1, len(sheets) + 1)
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{package}/relationships">{targets}</Relationships>',
        )
        for n, rows in enumerate(sheets.values(), start=1):
            width = max(len(r) for r in rows)
            lines = "".join(
                f'<row r="{r}">'
                + "".join(
                    f'<c r="{get_column_letter(c)}{r}" t="inlineStr">'
                    f"<is><t>{v}</t></is></c>"
                    for c, v in enumerate(row, start=1)
                    if v
                )
                + "</row>"
                for r, row in enumerate(rows, start=1)
            )
            archive.writestr(
                f"xl/worksheets/sheet{n}.xml",
                f'<worksheet xmlns="{main}"><dimension ref="A1:'
                f'{get_column_letter(width)}{len(rows)}"/><sheetData>{lines}'
                "</sheetData></worksheet>",
            )
    return out.getvalue()


def ten_thousand_households(last_village: str) -> bytes:
    """10.000 household lines, the last of an unknown village (the other sheets have
    their headers only: the first sheet's refusal is what is timed)."""
    lines = [
        [
            f"CN-01-{n:05d}",
            last_village if n == 9999 else "Làng Chiềng",
            "",
            "Mường",
            "01/01/2020",
        ]
        for n in range(10_000)
    ]
    return raw_xlsx(
        {
            layout.title: [
                [c.header for c in layout.columns],
                list(layout.codes),
                *(lines if layout is HOUSEHOLDS else []),
            ]
            for layout in (HOUSEHOLDS, MEMBERS, REVIEWS)
        }
    )


def test_ten_thousand_lines_with_one_bad_are_refused_quickly(
    household_a1: Household,
) -> None:
    data = ten_thousand_households("Làng Xa")
    before = tables_checksum()
    started = time.perf_counter()

    error = refused(data, household_a1, None)

    assert time.perf_counter() - started < 30
    assert [str(p) for p in error.problems] == [
        "Trang “Hộ”, dòng 10002, cột B (Thôn, làng): thôn, làng “Làng Xa” không có "
        "trong xã (chọn trong danh sách thả xuống, tên như ở trang “Thôn, làng”)."
    ]
    assert tables_checksum() == before
