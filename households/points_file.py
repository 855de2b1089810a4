"""Read a Phiếu B1 points table from the Excel file the province issues.

The file has two sheets (the sample `households/data/bang-diem-b1-mau.xlsx` shows
them):

- "Thông tin": one line per key in column A, its value in column B — Chuẩn nghèo
  (a standard code, 2022-2025), Vùng (one of the six regions, by name), Khu vực
  (Nông thôn / Thành thị), Tên bảng, Nguồn, Đã đối chiếu văn bản gốc (Có / Không),
  Ghi chú;
- "Bảng điểm": a header line (Mã câu, Câu hỏi, Mã trả lời, Trả lời, Điểm), then one
  line per answer; a line whose Mã câu and Câu hỏi are empty continues the question
  above it.

Every problem is reported with its sheet, line and column, in Vietnamese, and nothing
is loaded unless the whole file is right. No database here: `households.actions`
stores the result in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import IO, Any
from zipfile import BadZipFile

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from households import text_limits
from households.points import Answer, Item
from households.poverty import STANDARDS
from households.regions import Region

INFO_SHEET = "Thông tin"
TABLE_SHEET = "Bảng điểm"
HEADER = ("Mã câu", "Câu hỏi", "Mã trả lời", "Trả lời", "Điểm")
INFO_KEYS = {
    "chuẩn nghèo": "standard",
    "vùng": "region",
    "khu vực": "area",
    "tên bảng": "name",
    "nguồn": "source",
    "đã đối chiếu văn bản gốc": "verified",
    "ghi chú": "note",
}
REQUIRED_INFO = ("standard", "region", "area", "name", "source")
# The columns of PointsTable and PointsRow (households/surveys.py): a longer text is
# named here, not refused by PostgreSQL with a 500.
INFO_LIMITS = {"name": 200, "source": 300, "note": text_limits.NOTE}
COLUMN_LIMITS = (
    ("A (Mã câu)", 40),
    ("B (Câu hỏi)", 300),
    ("C (Mã trả lời)", 40),
    ("D (Trả lời)", 300),
)
YES = {"có", "co", "x", "yes"}
NO = {"không", "khong", "", "no"}


@dataclass(frozen=True)
class ParsedTable:
    standard_code: str
    region: str
    urban: bool
    name: str
    source: str
    verified: bool
    note: str
    items: tuple[Item, ...]


@dataclass
class PointsFileError(ValueError):
    problems: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return " ".join(self.problems)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _fold(text: str) -> str:
    return text.strip().lower().rstrip(":")


def read_points_file(stream: IO[bytes]) -> ParsedTable:
    """Parse the file; raise PointsFileError listing every problem found."""
    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except (
        InvalidFileException,
        BadZipFile,
        OSError,
        KeyError,
        TypeError,
        ValueError,
    ) as exc:
        raise PointsFileError(
            ["Không đọc được tệp: cần tệp Excel (.xlsx) theo mẫu bảng điểm B1."]
        ) from exc
    problems: list[str] = []
    missing = [s for s in (INFO_SHEET, TABLE_SHEET) if s not in workbook.sheetnames]
    if missing:
        names = ", ".join(f"“{s}”" for s in missing)
        raise PointsFileError([f"Tệp thiếu trang tính {names} (xem tệp mẫu)."])
    info = _read_info(workbook[INFO_SHEET], problems)
    items = _read_items(workbook[TABLE_SHEET], problems)
    workbook.close()
    if problems:
        raise PointsFileError(problems)
    return ParsedTable(items=items, **info)


def _read_info(sheet: Any, problems: list[str]) -> dict[str, Any]:
    raw: dict[str, tuple[int, str]] = {}
    for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        key = _fold(_text(row[0] if row else None))
        if key in INFO_KEYS:
            value = _text(row[1] if len(row) > 1 else None)
            raw[INFO_KEYS[key]] = (number, value)
    where = f"Trang “{INFO_SHEET}”"
    for key in REQUIRED_INFO:
        if not raw.get(key, (0, ""))[1]:
            label = next(k for k, v in INFO_KEYS.items() if v == key)
            problems.append(f"{where}: thiếu “{label.capitalize()}” (cột B).")
    for key, limit in INFO_LIMITS.items():
        line, value = raw.get(key, (0, ""))
        if len(value) > limit:
            label = next(k for k, v in INFO_KEYS.items() if v == key)
            problems.append(
                f"{where}, dòng {line}, cột B: “{label.capitalize()}” dài "
                f"{len(value)} ký tự, tối đa {limit}."
            )
    info: dict[str, Any] = {
        "standard_code": "",
        "region": "",
        "urban": False,
        "name": raw.get("name", (0, ""))[1],
        "source": raw.get("source", (0, ""))[1],
        "note": raw.get("note", (0, ""))[1],
        "verified": False,
    }
    line, code = raw.get("standard", (0, ""))
    if code:
        if code in STANDARDS:
            info["standard_code"] = code
        else:
            known = ", ".join(STANDARDS)
            problems.append(
                f"{where}, dòng {line}, cột B: chuẩn nghèo “{code}” không có "
                f"(dùng một trong: {known})."
            )
    line, region = raw.get("region", (0, ""))
    if region:
        by_name = {_fold(label): value for value, label in Region.choices}
        by_name.update({value: value for value in Region.values})
        if _fold(region) in by_name:
            info["region"] = by_name[_fold(region)]
        else:
            problems.append(
                f"{where}, dòng {line}, cột B: vùng “{region}” không phải một trong "
                f"sáu vùng kinh tế - xã hội ({'; '.join(Region.labels)})."
            )
    line, area = raw.get("area", (0, ""))
    if area:
        if _fold(area) in ("nông thôn", "thành thị", "đô thị"):
            info["urban"] = _fold(area) != "nông thôn"
        else:
            problems.append(
                f"{where}, dòng {line}, cột B: khu vực “{area}” phải là “Nông thôn” "
                "hoặc “Thành thị”."
            )
    line, verified = raw.get("verified", (0, ""))
    if _fold(verified) in YES:
        info["verified"] = True
    elif _fold(verified) not in NO:
        problems.append(
            f"{where}, dòng {line}, cột B: “Đã đối chiếu văn bản gốc” ghi “Có” hoặc "
            f"“Không”, không phải “{verified}”."
        )
    return info


def _read_items(sheet: Any, problems: list[str]) -> tuple[Item, ...]:
    where = f"Trang “{TABLE_SHEET}”"
    rows = list(sheet.iter_rows(values_only=True))
    header = tuple(_text(v) for v in (rows[0] if rows else ())[: len(HEADER)])
    if tuple(_fold(h) for h in header) != tuple(_fold(h) for h in HEADER):
        problems.append(
            f"{where}, dòng 1: tiêu đề cột phải là {', '.join(HEADER)} "
            f"(đang là: {', '.join(header) or 'trống'})."
        )
        return ()
    items: list[tuple[str, str, list[Answer]]] = []
    seen_items: set[str] = set()
    for number, row in enumerate(rows[1:], start=2):
        cells = [_text(v) for v in (*row, *[None] * len(HEADER))[: len(HEADER)]]
        if not any(cells):
            continue
        item_code, question, answer_code, label, points_text = cells
        too_long = [
            f"{where}, dòng {number}, cột {column}: dài {len(text)} ký tự, tối đa "
            f"{limit}."
            for (column, limit), text in zip(COLUMN_LIMITS, cells, strict=False)
            if len(text) > limit
        ]
        if too_long:
            problems.extend(too_long)
            continue
        if item_code or question:
            if not item_code or not question:
                column = "A (Mã câu)" if not item_code else "B (Câu hỏi)"
                problems.append(f"{where}, dòng {number}, cột {column}: còn trống.")
                continue
            if item_code in seen_items:
                problems.append(
                    f"{where}, dòng {number}, cột A (Mã câu): mã câu “{item_code}” "
                    "đã dùng cho một câu khác ở trên."
                )
                continue
            seen_items.add(item_code)
            items.append((item_code, question, []))
        elif not items:
            problems.append(
                f"{where}, dòng {number}, cột A (Mã câu): dòng trả lời đầu tiên phải "
                "có mã câu và câu hỏi."
            )
            continue
        answers = items[-1][2]
        if not answer_code:
            problems.append(f"{where}, dòng {number}, cột C (Mã trả lời): còn trống.")
        elif any(a.code == answer_code for a in answers):
            problems.append(
                f"{where}, dòng {number}, cột C (Mã trả lời): mã “{answer_code}” đã "
                f"có trong câu “{items[-1][0]}”."
            )
        if not label:
            problems.append(f"{where}, dòng {number}, cột D (Trả lời): còn trống.")
        try:
            points = int(points_text)
        except ValueError:
            problems.append(
                f"{where}, dòng {number}, cột E (Điểm): “{points_text}” không phải "
                "số điểm nguyên."
            )
            continue
        if answer_code and label:
            answers.append(Answer(answer_code, label, points))
    for code, _question, answers in items:
        if not answers:
            problems.append(f"{where}: câu “{code}” chưa có câu trả lời nào.")
    if not items and not problems:
        problems.append(f"{where}: chưa có câu hỏi nào.")
    return tuple(Item(c, q, tuple(a)) for c, q, a in items)
