"""The public holidays' table (BLLĐ 2019 Điều 112) and the working days that skip
it: the rows shipped with the app, the loader command, and the village page's
posting end and complaint deadline across 2/9/2025.

The shipped rows are the ones migration 0010 loads, none of them verified against
the Government's yearly notices. Each test loads them again with the migration's own
function: a transactional test run before (the browser tests) flushes every table,
the migration's rows included.
"""

from __future__ import annotations

import csv
import importlib
import os
import subprocess
import sys
from datetime import date, datetime
from io import StringIO
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from giamngheo.models import User
from households.holidays import holidays_between
from households.holidays_file import HolidaysFileError, read_holidays_file
from households.models import (
    Complaint,
    Household,
    Posting,
    PublicHoliday,
    ReviewRound,
    VillageMeeting,
)
from households.procedure import (
    NOT_VERIFIED,
    RULES_2022_2025,
    HolidayCalendar,
    MeetingFacts,
    PostingFacts,
    Step,
    VillageFacts,
    add_working_days,
    complaint_deadline,
    posting_end,
    village_step,
    working_days,
)
from tests.conftest import make_review

VN = ZoneInfo("Asia/Ho_Chi_Minh")
DATA = (
    Path(__file__).resolve().parents[2] / "households/data/ngay-nghi-le-2022-2027.csv"
)
HEADER = "Ngày,Tên ngày nghỉ,Nguồn,Đã đối chiếu văn bản gốc\n"
RULES = RULES_2022_2025

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _shipped_rows(db: None) -> None:
    migration = importlib.import_module(
        "households.migrations.0010_holidays_public_holidays"
    )
    PublicHoliday.objects.all().delete()
    migration.load_holidays(apps, None)


def days_off(start: date, end: date) -> frozenset[date]:
    return holidays_between(start, end).days


# --- The shipped table --------------------------------------------------------------


def test_the_migration_loads_every_row_of_the_shipped_file_unverified() -> None:
    with DATA.open(encoding="utf-8") as stream:
        lines = list(csv.reader(stream))[1:]

    assert PublicHoliday.objects.count() == len(lines) > 80
    assert not PublicHoliday.objects.filter(verified=True).exists()
    assert {h.date.year for h in PublicHoliday.objects.all()} == set(range(2022, 2028))


def test_the_shipped_file_passes_the_loader_and_changes_nothing() -> None:
    before = list(PublicHoliday.objects.values_list("date", "name", "source"))
    rows = read_holidays_file(DATA.read_bytes())

    out = _load(DATA)

    assert f"thêm 0, sửa 0, giữ nguyên {len(rows)} ngày" in out
    assert list(PublicHoliday.objects.values_list("date", "name", "source")) == before


def test_every_unverified_row_says_so_in_its_source() -> None:
    law_rows = PublicHoliday.objects.exclude(name__startswith="Ngày Văn hóa")
    for holiday in law_rows:
        assert "chưa đối chiếu thông báo của Chính phủ" in holiday.source, holiday
    culture = PublicHoliday.objects.get(date=date(2026, 11, 24))
    assert "Không thuộc BLLĐ 2019 Điều 112" in culture.source


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (date(2025, 1, 1), "Tết Dương lịch (1/1)"),
        (date(2025, 1, 29), "Tết Nguyên đán Ất Tỵ (mùng 1 tháng Giêng)"),
        (date(2025, 4, 7), "Giỗ Tổ Hùng Vương (10/3 âm lịch)"),
        (date(2025, 4, 30), "Ngày Chiến thắng (30/4)"),
        (date(2025, 5, 1), "Ngày Quốc tế Lao động (1/5)"),
        (date(2025, 9, 2), "Quốc khánh (2/9)"),
        (date(2024, 2, 10), "Tết Nguyên đán Giáp Thìn (mùng 1 tháng Giêng)"),
        (date(2026, 2, 17), "Tết Nguyên đán Bính Ngọ (mùng 1 tháng Giêng)"),
        (date(2026, 4, 26), "Giỗ Tổ Hùng Vương (10/3 âm lịch)"),
    ],
    ids=str,
)
def test_the_table_has_the_law_s_holidays_on_their_solar_dates(
    day: date, name: str
) -> None:
    assert PublicHoliday.objects.get(date=day).name == name


# --- Working days across the holidays ------------------------------------------------


def test_add_working_days_skips_tet_2025() -> None:
    off = days_off(date(2025, 1, 1), date(2025, 2, 28))
    # Friday 24/01; Tết Ất Tỵ: Monday 27/01 to Friday 31/01 are off.
    assert {date(2025, 1, d) for d in range(27, 32)} <= off

    assert add_working_days(date(2025, 1, 24), 3) == date(2025, 1, 29)
    assert add_working_days(date(2025, 1, 24), 3, off) == date(2025, 2, 5)
    assert working_days(date(2025, 1, 24), date(2025, 2, 4), off) == 3


def test_add_working_days_skips_national_day_2025() -> None:
    off = days_off(date(2025, 8, 1), date(2025, 9, 30))
    assert {date(2025, 9, 1), date(2025, 9, 2)} <= off

    assert add_working_days(date(2025, 8, 29), 3) == date(2025, 9, 3)
    assert add_working_days(date(2025, 8, 29), 3, off) == date(2025, 9, 5)


def test_a_deadline_names_the_holidays_it_skipped_and_that_they_are_unverified() -> (
    None
):
    calendar = holidays_between(date(2025, 8, 1), date(2025, 9, 30))

    deadline = complaint_deadline(date(2025, 8, 29), RULES, calendar)

    assert deadline.day == date(2025, 9, 5)
    assert deadline.skipped == (date(2025, 9, 1), date(2025, 9, 2))
    assert deadline.note == (
        "không tính ngày nghỉ lễ, tết 01/09/2025, 02/09/2025 theo bảng ngày nghỉ lễ"
        f" — {NOT_VERIFIED}"
    )


def test_a_verified_holiday_drops_the_warning() -> None:
    PublicHoliday.objects.filter(date__in=[date(2025, 9, 1), date(2025, 9, 2)]).update(
        verified=True
    )
    calendar = holidays_between(date(2025, 8, 1), date(2025, 9, 30))

    deadline = complaint_deadline(date(2025, 8, 29), RULES, calendar)

    assert NOT_VERIFIED not in deadline.note
    assert "01/09/2025, 02/09/2025" in deadline.note


def test_a_year_missing_from_the_table_is_said() -> None:
    calendar = holidays_between(date(2031, 1, 1), date(2031, 12, 31))

    deadline = posting_end(date(2031, 9, 1), RULES, calendar)

    assert deadline.day == date(2031, 9, 3)
    assert "bảng ngày nghỉ lễ chưa có năm 2031" in deadline.note


def test_the_posting_s_first_day_counts() -> None:
    calendar = HolidayCalendar(
        days=frozenset({date(2025, 9, 1), date(2025, 9, 2)}), years=frozenset({2025})
    )
    # Thursday 28/08 + Friday 29/08 + Wednesday 03/09.
    assert posting_end(date(2025, 8, 28), RULES, calendar).day == date(2025, 9, 3)
    # Starting on a Saturday: Monday to Wednesday.
    assert posting_end(date(2025, 9, 6), RULES, calendar).day == date(2025, 9, 10)


def test_a_posting_over_a_holiday_is_short() -> None:
    calendar = holidays_between(date(2025, 8, 1), date(2025, 9, 30))
    facts = VillageFacts(
        to_review=frozenset({1}),
        reviewed={1: date(2025, 8, 20)},
        meeting=MeetingFacts(date(2025, 8, 25), 20, {1: 15}),
        posting=PostingFacts(date(2025, 8, 28), date(2025, 9, 2)),
        open_complaints=0,
        holidays=tuple(calendar.days),
    )

    standing = village_step(
        facts, today=date(2025, 9, 10), recognised=False, rules=RULES
    )

    assert standing.step == Step.POSTING_SHORT
    assert "niêm yết 2 ngày làm việc" in standing.detail


# --- The loader -----------------------------------------------------------------------


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "ngay-nghi-le.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def _load(path: Path) -> str:
    out = StringIO()
    call_command("load_public_holidays", str(path), stdout=out)
    return out.getvalue()


GOOD = (
    "01/01/2031,Tết Dương lịch (1/1),BLLĐ 2019 Điều 112,Không\n"
    '02/09/2031,Quốc khánh (2/9),"Thông báo số 1/TB-BNV, đã đọc",Có\n'
)


def test_the_loader_adds_the_rows_and_loading_twice_changes_nothing(
    tmp_path: Path,
) -> None:
    path = _write(tmp_path, GOOD)
    before = PublicHoliday.objects.count()

    assert "thêm 2, sửa 0, giữ nguyên 0 ngày" in _load(path)
    rows = list(PublicHoliday.objects.filter(date__year=2031).values())
    assert "thêm 0, sửa 0, giữ nguyên 2 ngày" in _load(path)

    assert PublicHoliday.objects.count() == before + 2
    assert list(PublicHoliday.objects.filter(date__year=2031).values()) == rows
    national_day = PublicHoliday.objects.get(date=date(2031, 9, 2))
    assert national_day.verified
    assert national_day.source == "Thông báo số 1/TB-BNV, đã đọc"


def test_the_loader_updates_a_row_but_never_unverifies_one(tmp_path: Path) -> None:
    _load(_write(tmp_path, GOOD))
    changed = GOOD.replace("Tết Dương lịch (1/1)", "Tết Dương lịch").replace(
        'đã đọc",Có', 'đã đọc",Không'
    )

    out = _load(_write(tmp_path, changed))

    assert "thêm 0, sửa 1, giữ nguyên 0 ngày" in out
    assert "Giữ bản đã đối chiếu văn bản gốc của 1 ngày (02/09/2031)" in out
    assert PublicHoliday.objects.get(date=date(2031, 1, 1)).name == "Tết Dương lịch"
    assert PublicHoliday.objects.get(date=date(2031, 9, 2)).verified


def test_a_bad_row_writes_nothing_and_names_its_line(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        GOOD + "31/02/2031,Ngày không có,Nguồn,Không\n",
    )
    before = PublicHoliday.objects.count()

    with pytest.raises(CommandError) as raised:
        _load(path)

    message = str(raised.value)
    assert "không ghi ngày nào" in message
    assert "Dòng 4: ngày “31/02/2031” không hợp lệ" in message
    assert PublicHoliday.objects.count() == before


def test_the_command_exits_non_zero_on_a_bad_file(tmp_path: Path) -> None:
    path = _write(tmp_path, "02/09/2031,Quốc khánh,,Không\n")
    result = subprocess.run(
        [sys.executable, "manage.py", "load_public_holidays", str(path)],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
        check=False,
        env={
            **os.environ,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
        },
    )

    assert result.returncode != 0
    assert "Dòng 2: thiếu nguồn" in result.stderr


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ("02/09/2031,Quốc khánh,Nguồn\n", "Dòng 2: cần 4 cột"),
        ("02/09/2031,,Nguồn,Không\n", "Dòng 2: thiếu tên ngày nghỉ"),
        ("02/09/2031,Quốc khánh,Nguồn,Rồi\n", "chỉ ghi Có hoặc Không"),
        ("2031-09-02,Quốc khánh,Nguồn,Không\n", "ghi ngày/tháng/năm"),
        (
            "02/09/2031,Quốc khánh,Nguồn,Không\n\n02/09/2031,Quốc khánh,Nguồn,Có\n",
            "Dòng 4: ngày 02/09/2031 đã có ở dòng 2",
        ),
        ("", "không có dòng ngày nghỉ nào"),
    ],
    ids=["columns", "name", "verified", "date-format", "duplicate", "empty"],
)
def test_the_file_s_problems_are_named_by_line(body: str, problem: str) -> None:
    with pytest.raises(HolidaysFileError) as raised:
        read_holidays_file((HEADER + body).encode())

    assert problem in str(raised.value)


def test_a_wrong_header_or_encoding_is_refused() -> None:
    with pytest.raises(HolidaysFileError, match="Dòng 1: dòng tiêu đề"):
        read_holidays_file(b"date,name,source,verified\n02/09/2031,x,y,Kh\n")
    with pytest.raises(HolidaysFileError, match="UTF-8"):
        read_holidays_file(HEADER.encode("utf-16"))


# --- The village page -----------------------------------------------------------------


@pytest.fixture
def posted_over_national_day(
    client: Client, time_machine: Any, household_a1: Household, officer: User
) -> str:
    """Village A1's 2025 round: reviewed, met, posted Thursday 28/08 to Tuesday
    02/09/2025 (1/9 and 2/9 off), a complaint received Friday 29/08; the day is
    10/09/2025."""
    time_machine.move_to(datetime(2025, 9, 10, 9, tzinfo=VN), tick=False)
    household_a1.registered_on = date(2015, 1, 1)
    household_a1.save()
    poor = ("viec_lam", "chat_luong_nha_o", "nguon_nuoc_sinh_hoat")
    make_review(household_a1, deprived=poor, on=date(2024, 11, 20))
    review_round = ReviewRound.objects.create(
        commune=household_a1.commune, year=2025, opened_on=date(2025, 8, 1)
    )
    make_review(household_a1, deprived=poor, on=date(2025, 8, 20), round=review_round)
    village = household_a1.village
    meeting = VillageMeeting.objects.create(
        review_round=review_round,
        village=village,
        held_on=date(2025, 8, 25),
        chaired_by="Bùi Văn Thắng",
        attendees=20,
    )
    meeting.votes.create(household=household_a1, agreeing=15)
    Posting.objects.create(
        review_round=review_round,
        village=village,
        posted_from=date(2025, 8, 28),
        posted_until=date(2025, 9, 2),
    )
    Complaint.objects.create(
        review_round=review_round,
        village=village,
        received_on=date(2025, 8, 29),
        complainant="Hà Thị Mai",
        content="Hộ chưa được rà soát lại.",
    )
    client.force_login(officer)
    response = client.get(reverse("households:round_village", args=[2025, village.pk]))
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


def test_the_page_ends_the_posting_after_the_holidays(
    posted_over_national_day: str,
) -> None:
    page = posted_over_national_day

    assert "khi niêm yết đến hết ngày <strong>03/09/2025</strong>" in page
    assert (
        "không tính ngày nghỉ lễ, tết 01/09/2025, 02/09/2025 theo bảng ngày nghỉ lễ "
        f"— {NOT_VERIFIED}" in page
    )
    assert "Niêm yết chưa đủ thời gian" in page
    assert "niêm yết 2 ngày làm việc, cần 3 ngày làm việc" in page


def test_the_page_gives_the_complaint_s_deadline_after_the_holidays(
    posted_over_national_day: str,
) -> None:
    page = posted_over_national_day

    assert "Hạn trả lời: đến hết ngày <strong>05/09/2025</strong>" in page
    assert "Quá hạn trả lời" in page
    link = reverse("households:public_holidays")
    assert f'các ngày nghỉ lễ, tết của <a href="{link}">bảng ngày nghỉ lễ</a>' in page
    assert "(bảng có ngày chưa đối chiếu văn bản gốc)" in page


def test_the_holiday_list_shows_source_and_verification(
    client: Client, officer: User
) -> None:
    client.force_login(officer)

    page = client.get(reverse("households:public_holidays")).content.decode()

    assert "Năm 2025" in page
    assert "Quốc khánh (2/9)" in page
    assert "Chưa đối chiếu văn bản gốc" in page
    assert "BLLĐ 2019 Điều 112" in page
