"""Write households/data/ngay-nghi-le-2022-2027.csv, the public holidays that the
procedure's working days skip (Bộ luật Lao động 2019 Điều 112), 2022–2027.

One-off: the app reads the CSV (migration 0009, `manage.py load_public_holidays`),
never these packages. No Government announcement was read: every row is written
"Không" (not checked against the original text). Where the dates come from:

- the solar dates of the lunar holidays (Tết Nguyên đán, Giỗ Tổ Hùng Vương 10/3 âm
  lịch) from the Vietnamese lunar calendar (UTC+7) of `holidays`, checked here
  against `vnlunar`;
- which days of Tết are taken, the day next to 2/9, the days off in lieu of a
  holiday on a weekend (BLLĐ 2019 Điều 111 khoản 3, recalled) and the swapped days
  from the rules and the per-year list of `holidays` (python-holidays), which cites
  the Government's yearly texts — a secondary source;
- 24/11 (Ngày Văn hóa Việt Nam) from 2026: listed by `holidays`, not in Điều 112;
  its legal basis is not known here.

A Saturday worked in exchange for a weekday off (làm bù) is not in the table: the
procedure does not count Saturdays.

Run in a throwaway virtual environment (neither package is a dependency of the
app): install holidays==0.109 and vnlunar==1.0.5 in it, then run this file with its
python from the project's folder.
"""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path

import holidays  # type: ignore[import-not-found]
import vnlunar  # type: ignore[import-not-found]

OUT = (
    Path(__file__).resolve().parent.parent
    / "households/data/ngay-nghi-le-2022-2027.csv"
)
YEARS = range(2022, 2028)
HEADER = ("Ngày", "Tên ngày nghỉ", "Nguồn", "Đã đối chiếu văn bản gốc")

LAW = "BLLĐ 2019 Điều 112; ngày cụ thể chưa đối chiếu thông báo của Chính phủ"
LUNAR = (
    "ngày dương lịch quy đổi từ âm lịch Việt Nam (UTC+7) bằng thư viện holidays, "
    "đối chiếu thư viện vnlunar"
)
RULE = (
    "ngày được chọn theo quy tắc của thư viện holidays (python-holidays 0.109), "
    "nguồn thứ cấp, không phải thông báo đã đọc"
)
IN_LIEU = (
    "BLLĐ 2019 Điều 111 khoản 3 (nghỉ bù khi ngày lễ trùng ngày nghỉ hằng tuần, "
    "ghi theo trí nhớ); ngày cụ thể chưa đối chiếu thông báo của Chính phủ"
)
FUTURE = (
    "năm {year}: chưa đọc được thông báo nghỉ lễ của năm, ngày chọn trong Tết, "
    "ngày liền kề 2/9 và ngày nghỉ bù là dự kiến"
)
CULTURE = (
    "Không thuộc BLLĐ 2019 Điều 112: thư viện holidays (python-holidays 0.109) ghi "
    "Ngày Văn hóa Việt Nam 24/11 là ngày nghỉ từ năm 2026, dẫn Nghị quyết 80-NQ/TW qua "
    "một bài báo; chưa rõ có luật sửa đổi BLLĐ hay văn bản nào quy định ngày nghỉ này, "
    "chưa đối chiếu văn bản gốc"
)
LUNAR_MONTHS = {12: "tháng Chạp", 1: "tháng Giêng"}
WEEKDAYS = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")


def lunar(day: date) -> tuple[int, int]:
    result = vnlunar.convert_solar_to_lunar(day.day, day.month, day.year, 7)
    return result["day"], result["month"]


def lunar_label(day: date) -> str:
    d, m = lunar(day)
    number = f"mùng {d}" if d <= 10 else str(d)
    return f"{number} {LUNAR_MONTHS.get(m, f'tháng {m}')}"


def solar(day: int, month: int, year: int) -> date:
    d, m, y = vnlunar.convert_lunar_to_solar(day, month, year, 0, 7)
    return date(y, m, d)


def rows_of(year: int) -> list[tuple[date, str, str]]:
    table = holidays.country_holidays("VN", years=year, language="en_US")
    tet = solar(1, 1, year)
    hung_kings = solar(10, 3, year)
    # The two calendars must agree on the lunar holidays the rows are built on.
    assert tet in table, (year, tet)
    assert hung_kings in table, (year, hung_kings)
    can_chi = vnlunar.get_year_can_chi(year)
    future = f"; {FUTURE.format(year=year)}" if year >= 2027 else ""
    rows = []
    for day, english in sorted(table.items()):
        name: str
        source: str
        if tet - timedelta(days=10) <= day <= tet + timedelta(days=10):
            # Điều 112 khoản 3: the Prime Minister picks the five days each year.
            name = f"Tết Nguyên đán {can_chi} ({lunar_label(day)})"
            source = f"{LAW}; {LUNAR}; {RULE}"
        elif day == hung_kings:
            name = "Giỗ Tổ Hùng Vương (10/3 âm lịch)"
            source = f"{LAW}; {LUNAR}"
        elif "substituted" in english:
            worked = english.split("from ")[1].rstrip(")")
            m, d, y = (int(x) for x in worked.split("/"))
            swapped = date(y, m, d)
            name = (
                f"Nghỉ hoán đổi, làm bù {WEEKDAYS[swapped.weekday()]} "
                f"{swapped:%d/%m/%Y}"
            )
            source = (
                "Hoán đổi ngày làm việc theo danh sách năm của thư viện holidays "
                "(python-holidays 0.109), dẫn văn bản của Chính phủ năm "
                f"{year}; chưa đối chiếu thông báo của Chính phủ"
            )
        elif "observed" in english:
            what = english.removesuffix(" (observed)")
            name = f"Nghỉ bù {VIETNAMESE[what]} (trùng ngày nghỉ hằng tuần)"
            source = f"{IN_LIEU}; {RULE}"
        elif english == "National Day" and (day.month, day.day) != (9, 2):
            name = "Quốc khánh (ngày liền kề ngày 2/9)"
            source = f"{LAW}; {RULE}"
        elif english == "Vietnam Cultural Day":
            name = "Ngày Văn hóa Việt Nam (24/11)"
            source = CULTURE
        else:
            name = FIXED[english]
            source = LAW
        rows.append((day, name, source + future))
    return rows


VIETNAMESE = {
    "New Year's Day": "Tết Dương lịch",
    "Hung Kings' Commemoration Day": "Giỗ Tổ Hùng Vương",
    "Liberation Day/Reunification Day": "Ngày Chiến thắng 30/4",
    "International Labor Day": "Ngày Quốc tế Lao động 1/5",
    "National Day": "Quốc khánh 2/9",
    "Vietnam Cultural Day": "Ngày Văn hóa Việt Nam",
}
FIXED = {
    "New Year's Day": "Tết Dương lịch (1/1)",
    "Liberation Day/Reunification Day": "Ngày Chiến thắng (30/4)",
    "International Labor Day": "Ngày Quốc tế Lao động (1/5)",
    "National Day": "Quốc khánh (2/9)",
}


def main() -> None:
    with OUT.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(HEADER)
        for year in YEARS:
            for day, name, source in rows_of(year):
                writer.writerow((f"{day:%d/%m/%Y}", name, source, "Không"))
    print(f"Đã ghi {OUT}")


if __name__ == "__main__":
    main()
