"""The steps of a review round in a village, and the time limits of the procedure
(Quyết định 24/2021/QĐ-TTg Điều 4 and 5; DOMAIN.md §3.3–3.4).

Pure rules: no database, no project imports. The durations are data
(`ProcedureRules`), each with its source and whether the official text was read;
the pages show "chưa đối chiếu văn bản gốc" beside a duration that was not.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

NOT_VERIFIED = "chưa đối chiếu văn bản gốc"


@dataclass(frozen=True)
class Duration:
    days: int
    working: bool  # working days (Mon–Fri) or calendar days
    source: str
    verified: bool  # read in the official text (False: secondary or recalled)

    def __str__(self) -> str:
        return f"{self.days} ngày{' làm việc' if self.working else ''}"

    @property
    def note(self) -> str:
        return "" if self.verified else NOT_VERIFIED


@dataclass(frozen=True)
class ProcedureRules:
    """One version of the procedure's time limits."""

    code: str
    # Khoản 3 Điều 4: the list is posted at the UBND xã and the village.
    posting: Duration
    # The complaints raised during the posting are re-checked (phúc tra) within …
    complaint_answer: Duration
    # Điều 5: regular reviews start on this day of each month …
    regular_round_day: int
    regular_round_day_source: str
    # … and the chairman decides within … from the start of that monthly round.
    regular_decision: Duration
    # Điều 4: the periodic review runs 01/9 → 14/12 (month, day).
    periodic_until: tuple[int, int] = (12, 14)
    sources: tuple[str, ...] = field(default_factory=tuple)


RULES_2022_2025 = ProcedureRules(
    code="qd24-2021",
    posting=Duration(
        3,
        working=True,
        source="QĐ 24/2021/QĐ-TTg Điều 4 khoản 3 (RECALLED, DOMAIN.md §3.3)",
        verified=False,
    ),
    complaint_answer=Duration(
        3,
        working=True,
        source="QĐ 24/2021/QĐ-TTg Điều 4 khoản 3 (RECALLED, DOMAIN.md §3.3)",
        verified=False,
    ),
    regular_round_day=15,
    regular_round_day_source=(
        "QĐ 24/2021/QĐ-TTg Điều 5 (VERIFIED secondary, DOMAIN.md §3.1 [S9][S12])"
    ),
    regular_decision=Duration(
        15,
        working=False,
        source="QĐ 24/2021/QĐ-TTg Điều 5 (VERIFIED secondary, DOMAIN.md §3.4 [S12])",
        verified=False,
    ),
)


# --- Dates -------------------------------------------------------------------------


def is_working_day(day: date, holidays: Iterable[date] = ()) -> bool:
    """Monday to Friday, not a public holiday (the holidays are the caller's data)."""
    return day.weekday() < 5 and day not in set(holidays)


def working_days(start: date, end: date, holidays: Iterable[date] = ()) -> int:
    """Working days from `start` to `end`, both included (0 when end < start)."""
    off = set(holidays)
    count = 0
    day = start
    while day <= end:
        count += is_working_day(day, off)
        day += timedelta(days=1)
    return count


def add_working_days(start: date, days: int, holidays: Iterable[date] = ()) -> date:
    """The last day of `days` working days counted from the day after `start`."""
    off = set(holidays)
    day = start
    left = days
    while left > 0:
        day += timedelta(days=1)
        if is_working_day(day, off):
            left -= 1
    return day


# --- Public holidays ---------------------------------------------------------------


@dataclass(frozen=True)
class HolidayCalendar:
    """The public holidays read from the table (BLLĐ 2019 Điều 112) for a span of
    dates: the caller reads the table, the rules only receive it."""

    days: frozenset[date] = frozenset()
    unverified: frozenset[date] = frozenset()  # not read in the official text
    years: frozenset[int] = frozenset()  # the years the table has rows for


@dataclass(frozen=True)
class Deadline:
    """The last day of a time limit, and the holidays that moved it."""

    day: date
    skipped: tuple[date, ...]  # public holidays on weekdays, not counted
    unverified: bool  # one of them was not read in the official text
    uncovered: tuple[int, ...]  # years of the span the holiday table lacks

    @property
    def note(self) -> str:
        parts = []
        if self.skipped:
            days = ", ".join(f"{d:%d/%m/%Y}" for d in self.skipped)
            parts.append(
                f"không tính ngày nghỉ lễ, tết {days} theo bảng ngày nghỉ lễ"
                + (f" — {NOT_VERIFIED}" if self.unverified else "")
            )
        if self.uncovered:
            years = ", ".join(str(y) for y in self.uncovered)
            parts.append(
                f"bảng ngày nghỉ lễ chưa có năm {years}: hạn này chưa trừ ngày nghỉ lễ"
            )
        return "; ".join(parts)


def deadline_after(
    start: date, duration: Duration, calendar: HolidayCalendar
) -> Deadline:
    """The last day of `duration` counted from the day after `start`."""
    if duration.working:
        end = add_working_days(start, duration.days, calendar.days)
    else:
        end = start + timedelta(days=duration.days)
    skipped = tuple(
        sorted(d for d in calendar.days if start < d <= end and d.weekday() < 5)
        if duration.working
        else ()
    )
    return Deadline(
        day=end,
        skipped=skipped,
        unverified=any(d in calendar.unverified for d in skipped),
        uncovered=tuple(
            y
            for y in range(start.year, end.year + 1)
            if duration.working and y not in calendar.years
        ),
    )


def posting_end(
    posted_from: date, rules: ProcedureRules, calendar: HolidayCalendar
) -> Deadline:
    """The earliest last day of a posting that starts on `posted_from` and lasts the
    legal time (Điều 4 khoản 3): the posting's first day counts."""
    return deadline_after(posted_from - timedelta(days=1), rules.posting, calendar)


def complaint_deadline(
    received_on: date, rules: ProcedureRules, calendar: HolidayCalendar
) -> Deadline:
    """The last day to answer a complaint about the posted list, counted from the
    day after it was received."""
    return deadline_after(received_on, rules.complaint_answer, calendar)


def regular_round_start(received_on: date, rules: ProcedureRules) -> date:
    """The monthly round of regular reviews that takes a request: the first
    round day (the 15th) on or after the day it was received. (Reading of Điều 5:
    a request received after the 15th waits for the next month's round.)"""
    start = received_on.replace(day=rules.regular_round_day)
    if start >= received_on:
        return start
    year, month = (
        (received_on.year + 1, 1)
        if received_on.month == 12
        else (received_on.year, received_on.month + 1)
    )
    return date(year, month, rules.regular_round_day)


def regular_deadline(received_on: date, rules: ProcedureRules) -> date:
    """The last day for the chairman's decision on a regular review's request."""
    start = regular_round_start(received_on, rules)
    return start + timedelta(days=rules.regular_decision.days)


def periodic_deadline(year: int, rules: ProcedureRules) -> date:
    month, day = rules.periodic_until
    return date(year, month, day)


# --- The village meeting -----------------------------------------------------------


def meeting_agrees(attendees: int, agreeing: int) -> bool:
    """A household's result stands when more than half of the attendees agree
    (issue 10; DOMAIN.md §3.3 step 2b reads "≥ 50 %" from secondary sources: the
    stricter "more than half" is kept until the official text is read)."""
    return attendees > 0 and 2 * agreeing > attendees


# --- Where a village is ------------------------------------------------------------


class Step(enum.StrEnum):
    NOTHING = "nothing"
    SURVEY = "survey"
    MEETING = "meeting"
    REVIEW_AGAIN = "review_again"
    POSTING = "posting"
    POSTED = "posted"  # posting under way
    POSTING_SHORT = "posting_short"
    COMPLAINTS = "complaints"
    READY = "ready"
    RECOGNISED = "recognised"

    @property
    def label(self) -> str:
        return STEP_LABELS[self]

    @property
    def passed(self) -> bool:
        """Meeting and posting done, nothing pending: the chairman may recognise."""
        return self in (Step.NOTHING, Step.READY, Step.RECOGNISED)


STEP_LABELS = {
    Step.NOTHING: "Không có hộ cần rà soát",
    Step.SURVEY: "1. Đang rà soát hộ",
    Step.MEETING: "2. Chờ họp dân",
    Step.REVIEW_AGAIN: "2. Rà soát lại, họp lại",
    Step.POSTING: "3. Chờ niêm yết",
    Step.POSTED: "3. Đang niêm yết",
    Step.POSTING_SHORT: "3. Niêm yết chưa đủ thời gian",
    Step.COMPLAINTS: "3. Đang giải quyết khiếu nại",
    Step.READY: "4. Chờ quyết định công nhận",
    Step.RECOGNISED: "Đã công nhận",
}


@dataclass(frozen=True)
class MeetingFacts:
    held_on: date
    attendees: int
    votes: dict[int, int]  # household id → number agreeing


@dataclass(frozen=True)
class PostingFacts:
    posted_from: date
    posted_until: date


@dataclass(frozen=True)
class VillageFacts:
    to_review: frozenset[int]  # household ids on the round's list
    reviewed: dict[int, date]  # household id → date of its last review in the round
    meeting: MeetingFacts | None  # the latest meeting
    posting: PostingFacts | None  # the latest posting
    open_complaints: int
    holidays: Sequence[date] = ()


@dataclass(frozen=True)
class Standing:
    step: Step
    detail: str

    @property
    def label(self) -> str:
        return self.step.label


def village_step(
    facts: VillageFacts, *, today: date, recognised: bool, rules: ProcedureRules
) -> Standing:
    """Where a village is in the round on `today` (QĐ 24/2021 Điều 4: list and
    survey, village meeting, posting and complaints, recognition)."""
    if recognised:
        return Standing(Step.RECOGNISED, "")
    if not facts.to_review and not facts.reviewed:
        return Standing(Step.NOTHING, "")
    missing = facts.to_review - facts.reviewed.keys()
    if missing:
        done = len(facts.to_review) - len(missing)
        return Standing(
            Step.SURVEY, f"đã rà soát {done}/{len(facts.to_review)} hộ trong danh sách"
        )
    meeting = facts.meeting
    last_review = max(facts.reviewed.values())
    if meeting is None:
        return Standing(Step.MEETING, "chưa họp dân thống nhất kết quả")
    if meeting.held_on < last_review:
        return Standing(
            Step.MEETING,
            f"có phiếu rà soát ngày {last_review:%d/%m/%Y}, sau cuộc họp ngày "
            f"{meeting.held_on:%d/%m/%Y}: họp lại",
        )
    unvoted = facts.reviewed.keys() - meeting.votes.keys()
    if unvoted:
        return Standing(
            Step.MEETING, f"{len(unvoted)} hộ đã rà soát chưa được họp dân biểu quyết"
        )
    failed = [
        h
        for h, agreeing in meeting.votes.items()
        if h in facts.reviewed and not meeting_agrees(meeting.attendees, agreeing)
    ]
    if failed:
        return Standing(
            Step.REVIEW_AGAIN,
            f"{len(failed)} hộ chưa được quá nửa số người dự họp đồng ý",
        )
    posting = facts.posting
    if posting is None or posting.posted_from < meeting.held_on:
        return Standing(Step.POSTING, "chưa niêm yết kết quả sau cuộc họp")
    if today <= posting.posted_until:
        return Standing(
            Step.POSTED, f"niêm yết đến hết {posting.posted_until:%d/%m/%Y}"
        )
    posted = working_days(posting.posted_from, posting.posted_until, facts.holidays)
    if posted < rules.posting.days:
        return Standing(
            Step.POSTING_SHORT,
            f"niêm yết {posted} ngày làm việc, cần {rules.posting}: niêm yết lại",
        )
    if facts.open_complaints:
        return Standing(
            Step.COMPLAINTS, f"{facts.open_complaints} khiếu nại chưa trả lời"
        )
    return Standing(Step.READY, "")
