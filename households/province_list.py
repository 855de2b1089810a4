"""The province's list of poor and near-poor households, read from Excel.

The layout is one sheet, one line per household, with these columns in any order
(other columns — STT, address, notes… — are ignored):

| column | headers recognised (with or without accents, any case) |
|---|---|
| mã hộ | Mã hộ, Mã hộ gia đình, Mã số hộ, ma_ho |
| họ tên chủ hộ (required) | Họ tên chủ hộ, Họ và tên chủ hộ, Tên chủ hộ, Chủ hộ |
| số CCCD chủ hộ | Số CCCD chủ hộ, Số CCCD, CCCD, Số định danh (cá nhân), CCCD/CMND |
| thôn (optional) | Thôn, Thôn, làng, Thôn/bản, Thôn/xóm, Làng, Bản, Xóm, Tổ dân phố |
| phân loại (required) | Phân loại, Phân loại hộ, Loại hộ, Tình trạng, Kết quả rà soát |

At least one of mã hộ and số CCCD chủ hộ must be present. The header line may be
below a title (the first 20 lines are searched); the data follow it. "Phân loại"
takes "Hộ nghèo" / "Hộ cận nghèo" (or "nghèo", "cận nghèo", "HN", "HCN"), and the
other statuses of the register by their label. An identity number may be a number
cell (a CCCD that lost its leading 0 still pairs: leading zeros are ignored).

Reading reuses the register import's checks (households/register_file.py: size, real
xlsx, zip bomb) and its problems named by sheet, line and column; a cell holding a
formula is refused, never computed. A blank template: `blank_template()`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from io import BytesIO
from typing import IO, Any

from django.conf import settings
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from households.models import Household, Relationship, fold
from households.poverty import PovertyStatus
from households.province_comparison import Comparison, ListRow, RegisterRow
from households.register_file import (
    Problem,
    RegisterFileError,
    check_file,
    free_text,
    opened_workbook,
)
from households.spreadsheet_cells import TEXT, write_cell

HEADER_SEARCH_ROWS = 20
TEMPLATE_SHEET = "Danh sách"


@dataclass(frozen=True)
class ListColumn:
    field: str
    header: str  # the template's header
    aliases: tuple[str, ...]  # headers recognised, as `header_key` folds them
    required: bool = False


CODE = ListColumn("code", "Mã hộ", ("ma ho", "ma ho gia dinh", "ma so ho", "ma ho gd"))
HEAD_NAME = ListColumn(
    "head_name",
    "Họ tên chủ hộ",
    ("ho ten chu ho", "ho va ten chu ho", "ten chu ho", "chu ho"),
    required=True,
)
ID_NUMBER = ListColumn(
    "id_number",
    "Số CCCD chủ hộ",
    (
        "so cccd chu ho",
        "cccd chu ho",
        "so cccd",
        "cccd",
        "so dinh danh",
        "so dinh danh ca nhan",
        "so dinh danh chu ho",
        "cccd cmnd",
        "so cccd cmnd",
    ),
)
VILLAGE = ListColumn(
    "village",
    "Thôn",
    (
        "thon",
        "thon lang",
        "thon ban",
        "thon xom",
        "thon to",
        "lang",
        "ban",
        "xom",
        "to dan pho",
    ),
)
STATUS = ListColumn(
    "status",
    "Phân loại",
    ("phan loai", "phan loai ho", "loai ho", "tinh trang", "ket qua ra soat"),
    required=True,
)
COLUMNS = (CODE, HEAD_NAME, ID_NUMBER, VILLAGE, STATUS)

STATUS_WORDS = {
    "ngheo": PovertyStatus.POOR,
    "hn": PovertyStatus.POOR,
    "can ngheo": PovertyStatus.NEAR_POOR,
    "hcn": PovertyStatus.NEAR_POOR,
} | {
    key: status
    for status in PovertyStatus
    for key in (status.value.replace("_", " "), " ".join(fold(status.label).split()))
}


def header_key(value: Any) -> str:
    """A header as compared: no accents, case, punctuation or "(*)"."""
    text = fold(free_text(value)) if value is not None else ""
    text = text.replace("(*)", " ").replace("_", " ")
    return " ".join("".join(c if c.isalnum() else " " for c in text).split())


def status_of(text: str) -> str | None:
    key = header_key(text)
    return STATUS_WORDS.get(key) or STATUS_WORDS.get(key.removeprefix("ho "))


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return free_text(value, names=True)


def _where(index: int, header: Any) -> str:
    return f"{get_column_letter(index + 1)} ({_cell_text(header)})"


def _columns_in(row: tuple[Any, ...]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, value in enumerate(row):
        key = header_key(value)
        for column in COLUMNS:
            if key in column.aliases and column.field not in found:
                found[column.field] = index
    return found


def _usable(found: dict[str, int]) -> bool:
    return all(c.field in found for c in COLUMNS if c.required) and (
        CODE.field in found or ID_NUMBER.field in found
    )


def _layout_problem(title: str) -> Problem:
    return Problem(
        "không tìm thấy dòng tiêu đề của danh sách trong 20 dòng đầu: cần các cột "
        "“Họ tên chủ hộ”, “Phân loại” và “Mã hộ” hoặc “Số CCCD chủ hộ” (xem tệp "
        "mẫu).",
        title,
    )


def _read_rows(
    sheet: Any, found: dict[str, int], header_line: int, headers: Any
) -> tuple[list[ListRow], list[Problem]]:
    title = sheet.title
    rows: list[ListRow] = []
    problems: list[Problem] = []
    seen_codes: dict[str, int] = {}
    seen_ids: dict[str, int] = {}
    limit = settings.REGISTER_IMPORT_MAX_ROWS
    for number, row in enumerate(
        sheet.iter_rows(min_row=header_line + 1), start=header_line + 1
    ):
        if number - header_line > limit:
            problems.append(
                Problem(
                    f"quá {limit:,} dòng: chia danh sách theo thôn.".replace(",", "."),
                    title,
                    number,
                )
            )
            break
        cells = {f: row[i] if i < len(row) else None for f, i in found.items()}
        if all(c is None or c.value in (None, "") for c in cells.values()):
            continue
        values: dict[str, str] = {}
        for field, cell in cells.items():
            where = _where(found[field], headers[found[field]])
            if cell is not None and cell.data_type == "f":
                problems.append(
                    Problem(
                        "ô có công thức: ghi giá trị, không ghi công thức.",
                        title,
                        number,
                        where,
                    )
                )
                continue
            if cell is not None and cell.data_type == "e":
                problems.append(
                    Problem(f"ô báo lỗi {cell.value}.", title, number, where)
                )
                continue
            values[field] = _cell_text(cell.value if cell is not None else None)
        if len(values) < len(cells):
            continue
        for column in COLUMNS:
            if column.required and not values.get(column.field):
                problems.append(
                    Problem(
                        "còn trống (bắt buộc).",
                        title,
                        number,
                        _where(found[column.field], headers[found[column.field]]),
                    )
                )
        status = status_of(values["status"]) if values.get("status") else None
        if values.get("status") and status is None:
            problems.append(
                Problem(
                    f"“{values['status']}” không phải phân loại hộ (ghi “Hộ nghèo” "
                    "hoặc “Hộ cận nghèo”).",
                    title,
                    number,
                    _where(found[STATUS.field], headers[found[STATUS.field]]),
                )
            )
        code = "".join(values.get("code", "").split()).upper()
        id_number = "".join(values.get("id_number", "").split())
        for key, seen, column in (
            (code, seen_codes, CODE),
            (id_number.lstrip("0"), seen_ids, ID_NUMBER),
        ):
            if not key:
                continue
            if key in seen:
                problems.append(
                    Problem(
                        f"{column.header} {values[column.field]} đã có ở dòng "
                        f"{seen[key]}: mỗi hộ một dòng.",
                        title,
                        number,
                        _where(found[column.field], headers[found[column.field]]),
                    )
                )
            else:
                seen[key] = number
        if status is not None and values.get("head_name"):
            rows.append(
                ListRow(
                    line=number,
                    code=code,
                    head_name=values["head_name"],
                    id_number=id_number,
                    village=values.get("village", ""),
                    status=str(status),
                )
            )
    return rows, problems


def read_province_list(stream: IO[bytes], *, size: int) -> list[ListRow]:
    """The lines of the list; RegisterFileError names every problem found."""
    check_file(stream, size=size)
    with opened_workbook(stream) as workbook:
        for sheet in workbook.worksheets:
            for number, row in enumerate(
                sheet.iter_rows(max_row=HEADER_SEARCH_ROWS, values_only=True), start=1
            ):
                found = _columns_in(row)
                if _usable(found):
                    rows, problems = _read_rows(sheet, found, number, row)
                    if problems:
                        raise RegisterFileError(problems)
                    if not rows:
                        raise RegisterFileError(
                            [Problem("danh sách chưa có hộ nào.", sheet.title)]
                        )
                    return rows
        first = workbook.worksheets[0].title if workbook.worksheets else ""
        raise RegisterFileError([_layout_problem(first)])


def blank_template() -> bytes:
    """The layout above, empty: headers, text cells for the identities, a sample
    of the statuses in a note line."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = TEMPLATE_SHEET
    headers = [c.header + (" (*)" if c.required else "") for c in COLUMNS]
    sheet.append(headers)
    for index, width in enumerate((16, 28, 18, 18, 16), start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = width
        sheet.cell(row=1, column=index).font = Font(bold=True)
        for line in range(2, 1002):
            if index in (1, 3):
                sheet.cell(row=line, column=index).number_format = "@"
    notes = workbook.create_sheet("Hướng dẫn")
    for line in (
        "Mỗi dòng một hộ, từ dòng 2 của trang “Danh sách”.",
        "Bắt buộc: Họ tên chủ hộ, Phân loại, và Mã hộ hoặc Số CCCD chủ hộ.",
        "Phân loại: “Hộ nghèo” hoặc “Hộ cận nghèo”.",
        "Mã hộ và Số CCCD là ô văn bản (Text): giữ số 0 ở đầu.",
        "Tệp chỉ để đối chiếu: không ghi gì vào sổ hộ.",
    ):
        notes.append([line])
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


DIFFERENCE_HEADERS = (
    "Nhóm",
    "Dòng trong danh sách",
    "Mã hộ (danh sách)",
    "Chủ hộ (danh sách)",
    "Số CCCD (danh sách)",
    "Thôn (danh sách)",
    "Phân loại (danh sách)",
    "Mã hộ (sổ hộ)",
    "Chủ hộ (sổ hộ)",
    "Số CCCD (sổ hộ)",
    "Thôn (sổ hộ)",
    "Phân loại (sổ hộ)",
    "Ghép theo",
    "Ghi chú",
)


def differences_workbook(result: Comparison, *, day: date) -> bytes:
    """The differences of a comparison (every part but the matched), one line each,
    for the officer's follow-up or the reply to the province."""
    blank_list: tuple[object, ...] = (None,) * 5
    blank_register: tuple[object, ...] = (None,) * 5

    def of_list(row: ListRow) -> tuple[object, ...]:
        return (
            row.line,
            row.code,
            row.head_name,
            row.id_number,
            row.village,
            row.status_label,
        )

    def of_register(row: RegisterRow) -> tuple[object, ...]:
        return (row.code, row.head_name, row.id_number, row.village, row.status_label)

    lines: list[tuple[object, ...]] = [
        (
            "Khác phân loại",
            *of_list(p.listed),
            *of_register(p.register),
            p.by_label,
            "; ".join(p.notes),
        )
        for p in result.differ
    ]
    lines += [
        ("Chỉ có trong danh sách", *of_list(r), *blank_register, None, None)
        for r in result.only_in_list
    ]
    lines += [
        ("Chỉ có trong sổ hộ", None, *blank_list, *of_register(r), None, None)
        for r in result.only_in_register
    ]
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = f"Chênh lệch {day:%d-%m-%Y}"
    for column, header in enumerate(DIFFERENCE_HEADERS, start=1):
        write_cell(sheet.cell(row=1, column=column), header)
        sheet.cell(row=1, column=column).font = Font(bold=True)
    for number, line in enumerate(lines, start=2):
        for column, value in enumerate(line, start=1):
            if value not in (None, ""):
                text = TEXT if isinstance(value, str) else None
                write_cell(sheet.cell(row=number, column=column), value, text)
    sheet.freeze_panes = "A2"
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


def register_rows_on(households: Any, day: date) -> list[RegisterRow]:
    """The register's side of the comparison: each household (archived ones too,
    so that a listed household that left is named), its head and its status in
    force on `day`."""
    rows: list[RegisterRow] = []
    queryset = (
        households.with_status_on(day)
        .select_related("village")
        .prefetch_related("members")
        .order_by("code")
    )
    household: Household
    for household in queryset:
        head = next(
            (m for m in household.members.all() if m.relationship == Relationship.HEAD),
            None,
        )
        rows.append(
            RegisterRow(
                household_id=household.pk,
                code=household.code,
                head_name=head.full_name if head else "",
                id_number=head.id_number if head else "",
                village=household.village.name,
                status=household.status,  # type: ignore[attr-defined]
                present=household.present_on(day),
            )
        )
    return rows
