"""Read the public holidays' CSV file (`households/data/ngay-nghi-le-*.csv`).

UTF-8, comma-separated, a header line then one line per day off:

    Ngày,Tên ngày nghỉ,Nguồn,Đã đối chiếu văn bản gốc
    02/09/2025,Quốc khánh (2/9),BLLĐ 2019 Điều 112; …,Không

The date is day/month/year; the last column is "Có" only when the day was read in the
official text. Every problem is reported with its line, in Vietnamese, and nothing is
returned unless the whole file is right. No database here: `households.holidays`
stores the rows.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date

HEADER = ("ngày", "tên ngày nghỉ", "nguồn", "đã đối chiếu văn bản gốc")
YES = {"có", "co", "x"}
NO = {"không", "khong", ""}
NAME_MAX = 200
FIRST_YEAR, LAST_YEAR = 2000, 2100
DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


@dataclass(frozen=True)
class HolidayRow:
    date: date
    name: str
    source: str
    verified: bool


@dataclass
class HolidaysFileError(ValueError):
    problems: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return " ".join(self.problems)


def _clean(value: str) -> str:
    return " ".join(value.split())


def read_holidays_file(data: bytes) -> list[HolidayRow]:
    """Parse the file; raise HolidaysFileError listing every problem found."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise HolidaysFileError(
            ["Không đọc được tệp: cần tệp CSV mã UTF-8 (xem tệp mẫu)."]
        ) from exc
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise HolidaysFileError([f"Dòng 1: không đọc được ({exc})."]) from exc
    if header is None or tuple(_clean(c).lower() for c in header) != HEADER:
        expected = ",".join(h.capitalize() for h in HEADER)
        raise HolidaysFileError([f"Dòng 1: dòng tiêu đề phải là “{expected}”."])
    problems: list[str] = []
    rows: list[HolidayRow] = []
    seen: dict[date, int] = {}
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(f"Dòng {reader.line_num}: không đọc được ({exc}).")
            break
        line = reader.line_num
        if not any(c.strip() for c in cells):
            continue  # a blank line
        row = _read_row(line, cells, problems)
        if row is None:
            continue
        if row.date in seen:
            problems.append(
                f"Dòng {line}: ngày {row.date:%d/%m/%Y} đã có ở dòng {seen[row.date]}."
            )
            continue
        seen[row.date] = line
        rows.append(row)
    if not rows and not problems:
        problems.append("Tệp không có dòng ngày nghỉ nào.")
    if problems:
        raise HolidaysFileError(problems)
    return rows


def _date(text: str) -> date | None:
    match = DATE.fullmatch(text)
    if match is None:
        return None
    day, month, year = (int(g) for g in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _read_row(line: int, cells: list[str], problems: list[str]) -> HolidayRow | None:
    where = f"Dòng {line}"
    if len(cells) != len(HEADER):
        problems.append(
            f"{where}: cần {len(HEADER)} cột (ngày, tên, nguồn, đã đối chiếu), "
            f"dòng này có {len(cells)} cột."
        )
        return None
    raw_date, name, source, raw_verified = (_clean(c) for c in cells)
    found: list[str] = []
    day = _date(raw_date)
    if day is None:
        found.append(
            f"ngày “{raw_date}” không hợp lệ (ghi ngày/tháng/năm, ví dụ 02/09/2025)"
        )
    elif not FIRST_YEAR <= day.year <= LAST_YEAR:
        found.append(f"năm {day.year} nằm ngoài {FIRST_YEAR}–{LAST_YEAR}")
    if not name:
        found.append("thiếu tên ngày nghỉ")
    elif len(name) > NAME_MAX:
        found.append(f"tên ngày nghỉ dài quá {NAME_MAX} ký tự")
    if not source:
        found.append("thiếu nguồn (văn bản quy định ngày nghỉ)")
    verified = raw_verified.lower()
    if verified not in YES | NO:
        found.append(
            f"cột “Đã đối chiếu văn bản gốc” ghi “{raw_verified}”: chỉ ghi Có "
            "hoặc Không"
        )
    if found:
        problems.append(f"{where}: {'; '.join(found)}.")
        return None
    assert day is not None
    return HolidayRow(day, name, source, verified in YES)
