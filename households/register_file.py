"""Read a register workbook back (the layout of households/register_workbook.py).

Two steps, both without writing anything:

1. `check_file`: before any parsing, the file's size (`REGISTER_IMPORT_MAX_MB`), its
   first bytes (a real .xlsx is a zip; an old .xls renamed is named as such), its zip
   directory (a truncated file has none) and what it declares: at most
   `MAX_ZIP_ENTRIES` parts, at most `REGISTER_IMPORT_MAX_UNZIPPED_MB` unpacked and no
   part packed more than `MAX_RATIO` times (a zip bomb). Python's zipfile never
   unpacks a part beyond its declared size, so the declared sizes bound the memory.
2. `read_register`: the sheets, their headers and column codes, then every line, read
   in openpyxl's streaming mode with formulas as formulas (never evaluated: a cell
   holding one is refused), each cell turned into the value the form field takes —
   Vietnamese numbers by households/vietnamese_numbers.py, dates dd/mm/yyyy, labels
   of the coded fields — or a problem named by sheet, line, column and reason.

The rules of the register itself (a CCCD of 12 digits, one head per household, a
review's date in a recognised round…) are the forms' and the models': the import
runs every new or changed household through them (households/register_import.py).
"""

from __future__ import annotations

import unicodedata
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from households.identity_text import normalise_code
from households.models import fold
from households.register_workbook import (
    CODE_ROW,
    FIRST_DATA_ROW,
    HEADER_ROW,
    HOUSEHOLD_CODE,
    HOUSEHOLDS,
    INFO_SHEET,
    LIST_SEPARATOR,
    MEMBERS,
    NO_DEVICE_LABEL,
    SHEETS,
    Column,
    Kind,
    Report,
    SheetLayout,
    no_report,
)
from households.vietnamese_numbers import (
    NumberEntryError,
    parse_count,
    parse_decimal,
    parse_money,
)

ZIP = b"PK\x03\x04"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls (Excel 97–2003)
MAX_ZIP_ENTRIES = 2000
# A sheet of text and numbers packs 5–20 times; far more is a bomb.
MAX_RATIO = 200
SOME_MB = 1024 * 1024


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the file, where it is, in Vietnamese."""

    reason: str
    sheet: str = ""
    row: int | None = None
    column: str = ""  # "C (Địa chỉ)"

    def __str__(self) -> str:
        where = [f"Trang “{self.sheet}”"] if self.sheet else []
        if self.row is not None:
            where.append(f"dòng {self.row}")
        if self.column:
            where.append(f"cột {self.column}")
        return (", ".join(where) + ": " if where else "") + self.reason


# A page lists at most this many of a refused file's problems (and says how many more).
SHOWN_PROBLEMS = 200


@dataclass
class RegisterFileError(Exception):
    problems: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)

    def shown(self, message: str) -> dict[str, Any]:
        """What a page shows of the refused file (the imports' jobs store it): the
        message and the first problems, with how many more there are."""
        return {
            "message": message,
            "problems": [str(p) for p in self.problems[:SHOWN_PROBLEMS]],
            "more_problems": max(0, len(self.problems) - SHOWN_PROBLEMS),
        }


@dataclass
class Line:
    """One line of a sheet: the form's values by field, and where each came from."""

    sheet: str
    number: int
    values: dict[str, Any]

    @property
    def code(self) -> str:
        return str(self.values[HOUSEHOLD_CODE.field])


@dataclass
class ParsedRegister:
    households: list[Line]
    members: list[Line]
    reviews: list[Line]
    # {sheet title: {field: "C (Địa chỉ)"}}: where each field's column is.
    columns: dict[str, dict[str, str]]
    commune_code: str = ""


def _megabytes(size: float) -> str:
    return f"{size / SOME_MB:.1f}".replace(".", ",")


def check_size(size: int) -> None:
    """Refuse an empty file or one over `REGISTER_IMPORT_MAX_MB`."""
    limit = settings.REGISTER_IMPORT_MAX_MB * SOME_MB
    if size == 0:
        raise RegisterFileError([Problem("Tệp rỗng (0 byte).")])
    if size > limit:
        raise RegisterFileError(
            [
                Problem(
                    f"Tệp nặng {_megabytes(size)} MB, quá giới hạn "
                    f"{settings.REGISTER_IMPORT_MAX_MB} MB. Sổ hộ của một xã chỉ vài "
                    "MB: kiểm tra tệp có ảnh hay trang tính thừa không."
                )
            ]
        )


def refuse_xls(head: bytes) -> None:
    if head.startswith(OLE):
        raise RegisterFileError(
            [
                Problem(
                    "Tệp là Excel 97–2003 (.xls), không phải .xlsx: mở tệp trong Excel "
                    "rồi “Lưu thành” (Save As) Excel Workbook (.xlsx)."
                )
            ]
        )


def check_zip(stream: IO[bytes]) -> set[str]:
    """The names of a zip's parts (lower-case, "/"), after refusing a truncated
    archive or a bomb, from the zip directory alone (nothing unpacked)."""
    try:
        with zipfile.ZipFile(stream) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise RegisterFileError(
            [
                Problem(
                    "Tệp bị hỏng hoặc chưa tải về hết (không đọc được mục lục của "
                    "tệp). Lưu hoặc tải lại tệp rồi nạp lại."
                )
            ]
        ) from None
    finally:
        stream.seek(0)
    unzipped = sum(e.file_size for e in entries)
    unzipped_limit = settings.REGISTER_IMPORT_MAX_UNZIPPED_MB * SOME_MB
    packed_too_tight = any(
        e.file_size > SOME_MB and e.file_size > MAX_RATIO * max(e.compress_size, 1)
        for e in entries
    )
    if len(entries) > MAX_ZIP_ENTRIES or unzipped > unzipped_limit or packed_too_tight:
        raise RegisterFileError(
            [
                Problem(
                    "Tệp có cấu trúc bất thường (quá nhiều phần, hoặc giải nén ra "
                    f"{_megabytes(unzipped)} MB, hoặc nén quá mức): không đọc tệp này."
                )
            ]
        )
    return {e.filename.replace("\\", "/").lower() for e in entries}


def is_workbook(names: set[str]) -> bool:
    return "[content_types].xml" in names and "xl/workbook.xml" in names


def check_file(stream: IO[bytes], *, size: int) -> None:
    """Refuse a file that is not a sane .xlsx before anything parses it."""
    check_size(size)
    stream.seek(0)
    head = stream.read(8)
    stream.seek(0)
    refuse_xls(head)
    if not head.startswith(ZIP):
        raise RegisterFileError(
            [Problem("Tệp không phải là tệp Excel .xlsx (có thể đã bị đổi tên).")]
        )
    if not is_workbook(check_zip(stream)):
        raise RegisterFileError(
            [Problem("Tệp không phải là tệp Excel .xlsx (thiếu phần sổ tính).")]
        )


# --- Cells ---------------------------------------------------------------------------


class CellError(ValueError):
    pass


def _nfc(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def _key(text: str) -> str:
    """How a label is compared: composed, spaces collapsed, case ignored."""
    return _nfc(text).casefold()


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _nfc(str(value))


def free_text(value: Any, *, names: bool = False) -> str:
    """Text as the forms store it: composed (NFC), stripped, one kind of line break
    (XML reads "\r\n" back as "\n"); a name's spaces collapsed, as MemberForm does."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = unicodedata.normalize("NFC", str(value)).replace("\r\n", "\n").strip()
    return " ".join(text.split()) if names else text


def _whole(value: Any, parse: Any) -> int | None:
    if isinstance(value, bool):
        raise CellError("phải là số")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not value.is_integer():
            raise CellError(f"{value} không phải số nguyên")
        return int(value)
    try:
        return parse(_text(value))  # type: ignore[no-any-return]
    except NumberEntryError as exc:
        raise CellError(f"“{_text(value)}”: {exc}") from None


def _date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)):
        raise CellError("ghi ngày dạng dd/mm/yyyy (ô đang là số)")
    text = _text(value)
    parts = text.replace("-", "/").replace(".", "/").split("/")
    if len(parts) != 3 or not all(p.isdigit() for p in parts) or len(parts[2]) != 4:
        raise CellError(f"“{text}” không phải ngày dạng dd/mm/yyyy")
    day, month, year = (int(p) for p in parts)
    try:
        return date(year, month, day)
    except ValueError:
        raise CellError(f"ngày {text} không có thật") from None


@cache
def _labels(column: Column) -> dict[str, str]:
    """A column's choices by label and by code, as `_key` compares them."""
    return {_key(code): code for code, _ in column.choices} | {
        _key(label): code for code, label in column.choices
    }


def _label(column: Column, text: str) -> str:
    found = _labels(column).get(_key(text))
    if found is None:
        allowed = "; ".join(label for _, label in column.choices)
        raise CellError(f"“{text}” không có trong danh mục ({allowed})")
    return found


def cell_to_value(column: Column, value: Any, villages: dict[str, int]) -> Any:
    """The value the form field takes, from a cell's value; CellError if none."""
    blank = value is None or (isinstance(value, str) and not value.strip())
    if blank:
        if column.required:
            raise CellError("còn trống (bắt buộc)")
        return {
            Kind.YES_NO: False,
            Kind.FACT: None,
            Kind.DATE: None,
            Kind.YEAR: None,
            Kind.MONEY: None,
            Kind.COUNT: None,
            Kind.DECIMAL: None,
            Kind.CHOICES: None if column.field == "information_devices" else [],
        }.get(column.kind, "")
    kind = column.kind
    if kind == Kind.TEXT:
        return free_text(value, names=column.field == "full_name")
    if kind == Kind.IDENTITY:
        if isinstance(value, (int, float)):
            raise CellError(
                "ô đang ở dạng số nên Excel có thể đã bỏ số 0 ở đầu hoặc làm tròn: "
                "định dạng cột là Văn bản (Text) rồi ghi lại đủ các chữ số"
            )
        try:
            # As the forms read it: "ＣＮ-01-０００１" finds household CN-01-0001.
            text = normalise_code(_text(value)).replace(" ", "")
        except ValidationError as exc:
            raise CellError(exc.messages[0]) from exc
        return text.upper() if column is HOUSEHOLD_CODE else text
    if kind == Kind.DATE:
        return _date(value)
    if kind in (Kind.YEAR, Kind.COUNT):
        number = _whole(value, parse_count)
        if number is not None and number < 0:
            raise CellError("không được âm")
        return number
    if kind == Kind.MONEY:
        number = _whole(value, parse_money)
        if number is not None and number < 0:
            raise CellError("không được âm")
        return number
    if kind == Kind.DECIMAL:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            number = Decimal(str(value))
        else:
            try:
                number = parse_decimal(_text(value))
            except NumberEntryError as exc:
                raise CellError(f"“{_text(value)}”: {exc}") from None
        if number is not None and number < 0:
            raise CellError("không được âm")
        return number
    if kind == Kind.YES_NO:
        text = _key(_text(value))
        if text in ("có", "co", "x"):
            return True
        if text in ("không", "khong"):
            return False
        raise CellError(f"“{_text(value)}”: ghi “Có” hoặc “Không”")
    if kind == Kind.FACT:
        return _label(column, _text(value)) == "true"
    if kind == Kind.CHOICE:
        return _label(column, _text(value))
    if kind == Kind.CHOICES:
        parts = [p for p in (_text(p) for p in str(value).split(LIST_SEPARATOR)) if p]
        if column.field == "information_devices" and [_key(p) for p in parts] == [
            _key(NO_DEVICE_LABEL)
        ]:
            return []
        chosen = {_label(column, p) for p in parts}
        return [code for code, _ in column.choices if code in chosen]
    if kind == Kind.VILLAGE:
        text = _text(value)
        if fold(text) not in villages:
            raise CellError(
                f"thôn, làng “{text}” không có trong xã (chọn trong danh sách thả "
                "xuống, tên như ở trang “Thôn, làng”)"
            )
        return villages[fold(text)]
    return None  # READ_ONLY


# --- Sheets --------------------------------------------------------------------------


def _where(index: int, column: Column) -> str:
    return f"{get_column_letter(index + 1)} ({column.header})"


def _header_text(value: Any) -> str:
    text = _text(value)
    return text.removesuffix("(*)").strip()


def _columns_of(
    layout: SheetLayout, headers: tuple[Any, ...], codes: tuple[Any, ...]
) -> tuple[dict[int, Column], list[Problem]]:
    """Which column of the sheet holds which field, from the column-code line."""
    problems: list[Problem] = []
    found: dict[int, Column] = {}
    by_code = {c.code: c for c in layout.columns}
    if not any(_text(c) in by_code for c in codes):
        return {}, [
            Problem(
                "dòng 2 phải là dòng mã cột (ma_ho, …) như tệp mẫu; tải tệp mẫu bằng "
                "“Xuất sổ hộ ra Excel” rồi chép số liệu vào.",
                layout.title,
                CODE_ROW,
            )
        ]
    for index, raw in enumerate(codes):
        code = _text(raw)
        if not code:
            if _text(headers[index] if index < len(headers) else None):
                problems.append(
                    Problem(
                        "cột có tiêu đề nhưng không có mã cột ở dòng 2.",
                        layout.title,
                        CODE_ROW,
                        get_column_letter(index + 1),
                    )
                )
            continue
        column = by_code.get(code)
        if column is None:
            problems.append(
                Problem(
                    f"mã cột “{code}” không có trong mẫu sổ hộ (cột thừa hoặc bị đổi "
                    "tên).",
                    layout.title,
                    CODE_ROW,
                    get_column_letter(index + 1),
                )
            )
            continue
        if column in found.values():
            problems.append(
                Problem(
                    f"mã cột “{code}” có hai lần.",
                    layout.title,
                    CODE_ROW,
                    get_column_letter(index + 1),
                )
            )
            continue
        header = _header_text(headers[index] if index < len(headers) else None)
        if _key(header) != _key(column.header):
            problems.append(
                Problem(
                    f"tiêu đề “{header}” không khớp mã cột “{code}”: cần "
                    f"“{column.header}”.",
                    layout.title,
                    HEADER_ROW,
                    get_column_letter(index + 1),
                )
            )
        found[index] = column
    for column in layout.columns:
        if column.kind != Kind.READ_ONLY and column not in found.values():
            problems.append(
                Problem(
                    f"thiếu cột “{column.header}” (mã cột {column.code}).", layout.title
                )
            )
    return found, problems


def _read_sheet(
    sheet: Any,
    layout: SheetLayout,
    villages: dict[str, int],
    problems: list[Problem],
    columns: dict[str, dict[str, str]],
    report: Report,
) -> list[Line]:
    rows = enumerate(sheet.iter_rows(), start=1)
    first = next(rows, None)
    second = next(rows, None)
    if first is None:
        problems.append(Problem("trang trống (không có dòng tiêu đề).", layout.title))
        return []
    headers = tuple(c.value for c in first[1])
    codes = tuple(c.value for c in second[1]) if second else ()
    found, header_problems = _columns_of(layout, headers, codes)
    problems.extend(header_problems)
    if header_problems:
        return []
    columns[layout.title] = {c.field: _where(i, c) for i, c in found.items()}
    lines: list[Line] = []
    limit = settings.REGISTER_IMPORT_MAX_ROWS
    phase = f"Đang đọc trang “{layout.title}”, dòng"
    # The dimension the file declares (read-only mode reads no further): a guess.
    total = sheet.max_row if isinstance(sheet.max_row, int) else None
    for number, row in rows:
        report(phase, number, max(total, number) if total else None)
        if number - FIRST_DATA_ROW + 1 > limit:
            problems.append(
                Problem(
                    f"quá {limit:,} dòng: một lần nạp không quá chừng ấy dòng mỗi "
                    "trang (chia tệp theo thôn).".replace(",", "."),
                    layout.title,
                    number,
                )
            )
            break
        cells = {i: row[i] for i in found if i < len(row)}
        if all(c.value is None or c.value == "" for c in cells.values()):
            continue
        values: dict[str, Any] = {}
        for index, column in found.items():
            cell = cells.get(index)
            where = _where(index, column)
            if cell is not None and cell.data_type == "f":
                problems.append(
                    Problem(
                        "ô có công thức: ghi giá trị, không ghi công thức (công thức "
                        "không được tính khi nạp).",
                        layout.title,
                        number,
                        where,
                    )
                )
                continue
            if cell is not None and cell.data_type == "e":
                problems.append(
                    Problem(f"ô báo lỗi {cell.value}.", layout.title, number, where)
                )
                continue
            if column.kind == Kind.READ_ONLY:
                continue
            try:
                values[column.field] = cell_to_value(
                    column, cell.value if cell is not None else None, villages
                )
            except CellError as exc:
                problems.append(Problem(f"{exc}.", layout.title, number, where))
        if HOUSEHOLD_CODE.field in values:
            lines.append(Line(layout.title, number, values))
    return lines


def _cross_checks(parsed: ParsedRegister, problems: list[Problem]) -> None:
    where = parsed.columns
    seen: dict[str, int] = {}
    for line in parsed.households:
        if line.code in seen:
            problems.append(
                Problem(
                    f"mã hộ {line.code} đã có ở dòng {seen[line.code]}: mỗi hộ "
                    "một dòng.",
                    line.sheet,
                    line.number,
                    where[line.sheet]["code"],
                )
            )
        else:
            seen[line.code] = line.number
    with_members = {line.code for line in parsed.members}
    for line in parsed.households:
        if line.code not in with_members:
            problems.append(
                Problem(
                    f"hộ {line.code} chưa có nhân khẩu nào ở trang “{MEMBERS.title}”.",
                    line.sheet,
                    line.number,
                    where[line.sheet]["code"],
                )
            )
    identity: dict[str, int] = {}
    for line in parsed.members:
        if line.code not in seen:
            problems.append(
                Problem(
                    f"mã hộ {line.code} không có ở trang “{HOUSEHOLDS.title}”.",
                    line.sheet,
                    line.number,
                    where[line.sheet]["code"],
                )
            )
        number = line.values.get("id_number")
        if number:
            if number in identity:
                problems.append(
                    Problem(
                        f"số CCCD {number} đã có ở dòng {identity[number]}: mỗi người "
                        "một số.",
                        line.sheet,
                        line.number,
                        where[line.sheet]["id_number"],
                    )
                )
            else:
                identity[number] = line.number
    reviewed: dict[str, int] = {}
    for line in parsed.reviews:
        if line.code not in seen:
            problems.append(
                Problem(
                    f"mã hộ {line.code} không có ở trang “{HOUSEHOLDS.title}”.",
                    line.sheet,
                    line.number,
                    where[line.sheet]["code"],
                )
            )
        if line.code in reviewed:
            problems.append(
                Problem(
                    f"hộ {line.code} đã có phiếu rà soát ở dòng {reviewed[line.code]}: "
                    "mỗi hộ một dòng (phiếu rà soát mới nhất).",
                    line.sheet,
                    line.number,
                    where[line.sheet]["code"],
                )
            )
        reviewed.setdefault(line.code, line.number)


UNREADABLE = "Không đọc được tệp Excel (tệp hỏng hoặc không đúng định dạng)."


@contextmanager
def opened_workbook(stream: IO[bytes]) -> Iterator[Workbook]:
    """The workbook read as data (`read_only`, formulas as their text, never
    evaluated), closed after; a file openpyxl cannot read, at once or part way
    (truncated XML…), is a RegisterFileError."""
    try:
        workbook = load_workbook(stream, read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds on a broken file
        raise RegisterFileError([Problem(UNREADABLE)]) from None
    try:
        yield workbook
    except RegisterFileError:
        raise
    except Exception:  # a part that is not what it claims
        raise RegisterFileError([Problem(UNREADABLE)]) from None
    finally:
        workbook.close()


def read_register(
    stream: IO[bytes], *, villages: dict[str, int], report: Report = no_report
) -> ParsedRegister:
    """Parse the workbook (after `check_file`); `villages` maps each village's
    accent-free name to its id. RegisterFileError lists every problem found."""
    with opened_workbook(stream) as workbook:
        missing = [s.title for s in SHEETS if s.title not in workbook.sheetnames]
        if missing:
            raise RegisterFileError(
                [
                    Problem(
                        "Tệp thiếu trang tính "
                        + ", ".join(f"“{t}”" for t in missing)
                        + " (các trang cần có: "
                        + ", ".join(f"“{s.title}”" for s in SHEETS)
                        + "; xem tệp mẫu “Xuất sổ hộ ra Excel”)."
                    )
                ]
            )
        problems: list[Problem] = []
        columns: dict[str, dict[str, str]] = {}
        sheets = [
            _read_sheet(workbook[s.title], s, villages, problems, columns, report)
            for s in SHEETS
        ]
        commune_code = ""
        if INFO_SHEET in workbook.sheetnames:
            for row in workbook[INFO_SHEET].iter_rows(max_row=10, values_only=True):
                if row and _text(row[0]) == "Mã xã" and len(row) > 1:
                    commune_code = _text(row[1])
    parsed = ParsedRegister(*sheets, columns=columns, commune_code=commune_code)
    if not problems:
        _cross_checks(parsed, problems)
    if not problems and not parsed.households:
        problems.append(Problem("chưa có hộ nào.", HOUSEHOLDS.title))
    if problems:
        raise RegisterFileError(problems)
    return parsed
