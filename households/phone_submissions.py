"""Read the export of the phones' submissions (ODK Central, KoBoToolbox) of the
village's phone form (households/xlsform.py), without writing anything.

What the servers give, and what is read:

- KoBoToolbox "XLS" export (an .xlsx, one line per submission) or its CSV export
  (";" between columns by default); ODK Central's CSV of the form, alone or in the
  .zip it downloads ("All data and media"), where the form's own table is the CSV
  whose header names `ma_ho`.
- Headers are the form's field names, which are the review form's. A group may stand
  before the name ("phieu_b1/b1__so_nhan_khau" on KoBo, "phieu_b1-b1__so_nhan_khau" on
  ODK Central); the columns KoBo adds for each option of a multiple choice
  ("…/chi_so_thieu_hut/viec_lam", 0 or 1) are left aside: the choice's own column
  holds the codes, separated by spaces.
- Each submission has its own id (`meta/instanceID`, "uuid:…"; ODK Central's `KEY`,
  KoBo's `_uuid`), by which a second import of the same export records nothing.
- A submission the server's reviewer rejected (ODK Central "rejected", KoBo "Not
  approved") is left aside and counted.

Values are as the phone stores them, not as a person types them in Vietnamese: a date
is "2025-10-15", a decimal "35.5".

The checks on the file are those of the register import (size, .xls renamed, zip
bomb, truncated file: households/register_file.py); a cell with a formula is refused,
never evaluated.
"""

from __future__ import annotations

import csv
import io
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.conf import settings

from households.register_file import (
    ZIP,
    Problem,
    RegisterFileError,
    check_size,
    check_zip,
    free_text,
    is_workbook,
    opened_workbook,
    refuse_xls,
)
from households.xlsform import (
    DEPRIVED,
    HOUSEHOLD,
    SCREEN_PREFIX,
)

# The groups of the phone form, which servers may write before a field's name.
GROUPS = ("phieu_a", "phieu_b1", "phieu_b2", "meta")
MULTIPLE_CHOICES = (DEPRIVED, "information_devices")
# Where each server writes the submission's id, in the order they are trusted.
INSTANCE_ID_HEADERS = (
    "meta/instanceID",
    "meta-instanceID",
    "instanceID",
    "KEY",
    "_uuid",
)
REVIEW_STATE_HEADERS = ("ReviewState", "_validation_status")
REJECTED_STATES = {"rejected", "validation_status_not_approved"}
CSV_DELIMITERS = ",;\t"
# Problems name the line and column only: an export has one table.
FILE_LABEL = ""


@dataclass
class Submission:
    """One submission: its line in the file, its id and its fields by name."""

    number: int
    instance_id: str
    values: dict[str, str]
    rejected: bool = False
    # {field name: the header of its column}, to name the column of a refusal.
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def code(self) -> str:
        # NFKC as HouseholdForm reads a code: a full-width "ＣＮ-01-０００１" typed on
        # the phone finds household CN-01-0001 (invisible characters find nothing).
        return (
            unicodedata.normalize("NFKC", self.values.get(HOUSEHOLD, ""))
            .strip()
            .upper()
        )

    def where(self, name: str | None) -> str:
        return self.headers.get(name or "", "") or self.headers.get(HOUSEHOLD, "")


def field_name(header: str) -> str | None:
    """The form's field a header names, "" for a column of no interest, None for an
    option's 0/1 column of a multiple choice."""
    name = header.strip()
    if name in INSTANCE_ID_HEADERS:
        return "instance_id"
    if name in REVIEW_STATE_HEADERS:
        return "review_state"
    for group in GROUPS:
        for separator in ("-", "."):
            name = name.removeprefix(f"{group}{separator}")
    parts = [p for p in name.split("/") if p]
    while len(parts) > 1 and parts[0] in GROUPS:
        parts = parts[1:]
    if not parts:
        return ""
    if len(parts) > 1:
        return None if parts[-2] in MULTIPLE_CHOICES else ""
    return parts[0]


def _text(value: Any) -> str:
    """A cell as text: a date as the phone writes it, a whole number without ".0"."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return free_text(value)


def read_submissions(stream: IO[bytes], *, size: int) -> list[Submission]:
    """Every submission of the export; RegisterFileError lists what is wrong."""
    check_size(size)
    stream.seek(0)
    head = stream.read(8)
    stream.seek(0)
    refuse_xls(head)
    if head.startswith(ZIP):
        names = check_zip(stream)
        if is_workbook(names):
            rows = _workbook_rows(stream)
        else:
            rows = _zipped_csv_rows(stream, names)
    else:
        rows = _csv_rows(stream.read())
    return _submissions(rows)


def _workbook_rows(stream: IO[bytes]) -> list[tuple[int, list[Any]]]:
    """The first sheet whose header names the household, as lines of values; a
    formula cell is refused here."""
    problems: list[Problem] = []
    with opened_workbook(stream) as workbook:
        for sheet in workbook.worksheets:
            rows = sheet.iter_rows()
            first = next(rows, None)
            if first is None:
                continue
            headers = [_text(c.value) for c in first]
            if HOUSEHOLD not in {field_name(h) for h in headers}:
                continue
            lines: list[tuple[int, list[Any]]] = [(1, headers)]
            for number, row in enumerate(rows, start=2):
                if number - 1 > settings.REGISTER_IMPORT_MAX_ROWS:
                    raise RegisterFileError([_too_many(sheet.title, number)])
                values = []
                for index, cell in enumerate(row):
                    if cell.data_type == "f":
                        problems.append(
                            Problem(
                                "ô có công thức: bản xuất từ máy chủ không có công "
                                "thức, tải lại bản xuất (công thức không được tính).",
                                sheet.title,
                                number,
                                headers[index] if index < len(headers) else "",
                            )
                        )
                        values.append(None)
                    else:
                        values.append(cell.value)
                lines.append((number, values))
            if problems:
                raise RegisterFileError(problems)
            return lines
    raise RegisterFileError([_no_household_column()])


def _zipped_csv_rows(stream: IO[bytes], names: set[str]) -> list[tuple[int, list[Any]]]:
    """ODK Central's download: the CSV of the form itself among the others."""
    with zipfile.ZipFile(stream) as archive:
        for info in archive.infolist():
            if not info.filename.lower().endswith(".csv"):
                continue
            with archive.open(info) as part:
                data = part.read(settings.REGISTER_IMPORT_MAX_MB * 1024 * 1024 + 1)
            try:
                rows = _csv_rows(data)
            except RegisterFileError:
                continue
            return rows
    raise RegisterFileError(
        [
            Problem(
                "Tệp nén không có bảng CSV nào của phiếu rà soát (cần tệp CSV có cột "
                f"{HOUSEHOLD}), và cũng không phải tệp Excel .xlsx."
            )
        ]
    )


def _csv_rows(data: bytes) -> list[tuple[int, list[Any]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RegisterFileError(
            [
                Problem(
                    "Tệp không phải Excel .xlsx cũng không phải CSV mã UTF-8: tải lại "
                    "bản xuất từ KoBoToolbox (XLS) hoặc ODK Central (CSV)."
                )
            ]
        ) from None
    if "\x00" in text:
        raise RegisterFileError([Problem("Tệp có ký tự lạ (không phải văn bản CSV).")])
    first_line = text.split("\n", 1)[0]
    delimiter = max(CSV_DELIMITERS, key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        headers = next(reader, [])
        if HOUSEHOLD not in {field_name(h) for h in headers}:
            raise RegisterFileError([_no_household_column()])
        lines: list[tuple[int, list[Any]]] = [(1, headers)]
        for number, row in enumerate(reader, start=2):
            if number - 1 > settings.REGISTER_IMPORT_MAX_ROWS:
                raise RegisterFileError([_too_many(FILE_LABEL, number)])
            lines.append((number, list(row)))
    except csv.Error as exc:
        raise RegisterFileError([Problem(f"Tệp CSV hỏng ({exc}).")]) from None
    return lines


def _too_many(sheet: str, number: int) -> Problem:
    limit = f"{settings.REGISTER_IMPORT_MAX_ROWS:,}".replace(",", ".")
    return Problem(
        f"quá {limit} bản gửi: chia bản xuất theo thôn rồi nạp từng tệp.",
        sheet,
        number,
    )


def _no_household_column() -> Problem:
    return Problem(
        f"Không thấy cột {HOUSEHOLD} (hộ được rà soát): đây có phải bản xuất phiếu rà "
        "soát của thôn không? Trên KoBoToolbox, khi tải dữ liệu chọn “XML values and "
        "headers” (tên cột là mã, không phải nhãn tiếng Việt); trên ODK Central tải "
        "“CSV”."
    )


def _submissions(rows: list[tuple[int, list[Any]]]) -> list[Submission]:
    (_, headers), *lines = rows
    names = [field_name(_text(h)) for h in headers]
    columns: dict[str, int] = {}
    shown: dict[str, str] = {}
    problems: list[Problem] = []
    for index, name in enumerate(names):
        if not name:
            continue
        if name in columns:
            if name != "instance_id":  # several servers' id columns: the first wins
                problems.append(
                    Problem(
                        f"hai cột cùng là {name}: “{_text(headers[columns[name]])}” và "
                        f"“{_text(headers[index])}”.",
                        FILE_LABEL,
                        1,
                    )
                )
            continue
        columns[name] = index
        shown[name] = _text(headers[index])
    if "instance_id" not in columns:
        problems.append(
            Problem(
                "thiếu cột mã bản gửi (meta/instanceID, KEY hoặc _uuid): tải lại bản "
                "xuất đầy đủ các cột từ máy chủ.",
                FILE_LABEL,
                1,
            )
        )
    if problems:
        raise RegisterFileError(problems)
    submissions: list[Submission] = []
    seen: dict[str, int] = {}
    for number, row in lines:
        values = {
            name: _text(row[index]) if index < len(row) else ""
            for name, index in columns.items()
        }
        if not any(values.values()):
            continue
        instance_id = values.pop("instance_id")
        if instance_id and not instance_id.startswith("uuid:"):
            instance_id = f"uuid:{instance_id}"
        state = values.pop("review_state", "")
        if not instance_id:
            problems.append(
                Problem(
                    "bản gửi không có mã.", FILE_LABEL, number, shown["instance_id"]
                )
            )
            continue
        if instance_id in seen:
            problems.append(
                Problem(
                    f"bản gửi {instance_id} đã có ở dòng {seen[instance_id]}.",
                    FILE_LABEL,
                    number,
                    shown["instance_id"],
                )
            )
            continue
        seen[instance_id] = number
        submissions.append(
            Submission(
                number=number,
                instance_id=instance_id[:100],
                values=values,
                rejected=state.strip() in REJECTED_STATES,
                headers=shown,
            )
        )
    if problems:
        raise RegisterFileError(problems)
    if not submissions:
        raise RegisterFileError([Problem("Tệp chưa có bản gửi nào.")])
    return submissions


# --- From the phone's values to what the forms take ----------------------------------


def phone_date(text: str) -> str:
    """ "2025-10-15" (or "2025-10-15T08:30:00.000+07:00") as the forms take it."""
    day = text.strip()[:10]
    try:
        return f"{date.fromisoformat(day):%d/%m/%Y}"
    except ValueError:
        return text.strip()  # dd/mm/yyyy typed into a spreadsheet: the form checks it


def phone_decimal(text: str) -> str:
    """ "35.5" as the forms take it ("35,5"): the phone writes a point."""
    text = text.strip()
    if not text:
        return ""
    try:
        number = Decimal(text)
    except InvalidOperation:
        return text  # the form names what is wrong with it
    return str(number).replace(".", ",")


def choices_of(text: str) -> list[str]:
    return [part for part in text.split() if part]


def is_screen_answer(name: str) -> bool:
    return name.startswith(SCREEN_PREFIX)
