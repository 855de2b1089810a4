"""The reporting calendar of the review (QĐ 24/2021/QĐ-TTg Điều 7, DOMAIN.md §15) as
tasks of the year, like the plan's duties: the commune reports its regular reviews
every month (on the 5th, February to September), the preliminary result of the
periodic review by 15/11 and the official result by 20/12.

The dates are data (`CALENDAR`), with their source; VERIFIED (secondary: DOMAIN.md
§15), the article's own text not read ("chưa đối chiếu văn bản gốc"). The reports go
up the chain in force on their date: to UBND huyện until 30/06/2025, then, districts
gone (Thông tư 13/2025/TT-BNNMT, in force 01/07/2025), to the province.

`create_reporting_tasks` makes the year's tasks once: a task of the calendar that
already exists (same commune, year, source and date) is left as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction

from households.local_government import has_districts
from households.models import Commune
from targets.models import Recipient
from tasks.models import DeliverableKind, Task, Unit

SOURCE = "QĐ 24/2021/QĐ-TTg, Điều 7"
SOURCE_NOTE = "chưa đối chiếu văn bản gốc (nguồn thứ cấp, DOMAIN.md §15)"
MONTHLY_DAY = 5
MONTHLY_MONTHS = range(2, 10)  # February to September
PRELIMINARY = (11, 15)  # (month, day): sơ bộ kết quả rà soát định kỳ
OFFICIAL = (12, 20)  # kết quả chính thức


@dataclass(frozen=True)
class ReportingDeadline:
    title: str
    duty_text: str
    last_day: date  # the last day on time ("chậm nhất ngày …")
    recipient: str

    @property
    def due_before(self) -> date:
        return self.last_day + timedelta(days=1)

    @property
    def deadline_text(self) -> str:
        return f"Chậm nhất ngày {self.last_day:%d/%m/%Y}"


def recipient_on(day: date) -> str:
    # From 01/07/2025 the commune reports to the province (Sở NN&MT).
    return Recipient.UBND_HUYEN if has_districts(day) else Recipient.UBND_TINH


def _to(recipient: str) -> str:
    return str(Recipient(recipient).label)


def reporting_deadlines(year: int) -> list[ReportingDeadline]:
    """The reports of the calendar for `year`, in date order. Pure."""
    deadlines = []
    for month in MONTHLY_MONTHS:
        day = date(year, month, MONTHLY_DAY)
        to = recipient_on(day)
        deadlines.append(
            ReportingDeadline(
                title=(
                    "Báo cáo kết quả rà soát thường xuyên hộ nghèo, hộ cận nghèo "
                    f"(kỳ ngày {day:%d/%m/%Y})"
                ),
                duty_text=(
                    "Báo cáo định kỳ hằng tháng kết quả rà soát thường xuyên hộ "
                    f"nghèo, hộ cận nghèo gửi {_to(to)} ({SOURCE}; {SOURCE_NOTE})."
                ),
                last_day=day,
                recipient=to,
            )
        )
    for (month, day_of_month), title, text in (
        (
            PRELIMINARY,
            f"Báo cáo sơ bộ kết quả rà soát định kỳ hộ nghèo, hộ cận nghèo năm {year}",
            "Báo cáo sơ bộ kết quả rà soát định kỳ hộ nghèo, hộ cận nghèo",
        ),
        (
            OFFICIAL,
            f"Báo cáo kết quả chính thức rà soát hộ nghèo, hộ cận nghèo năm {year}",
            "Báo cáo kết quả chính thức rà soát định kỳ hộ nghèo, hộ cận nghèo "
            "(Biểu số 01–15)",
        ),
    ):
        day = date(year, month, day_of_month)
        to = recipient_on(day)
        deadlines.append(
            ReportingDeadline(
                title=title,
                duty_text=f"{text} gửi {_to(to)} ({SOURCE}; {SOURCE_NOTE}).",
                last_day=day,
                recipient=to,
            )
        )
    return deadlines


def create_reporting_tasks(commune: Commune, year: int, unit: Unit) -> list[Task]:
    """The calendar's tasks of `year` for `unit` (the LĐ-TB&XH officer's), those not
    there yet; returns the ones created. One transaction."""
    if unit.commune_id != commune.pk:
        raise ValueError("Đơn vị không thuộc xã này.")
    with transaction.atomic():
        existing = set(
            Task.objects.filter(commune=commune, year=year, source=SOURCE).values_list(
                "due_before", flat=True
            )
        )
        created = []
        for position, deadline in enumerate(reporting_deadlines(year), start=1):
            if deadline.due_before in existing:
                continue
            task = Task(
                commune=commune,
                year=year,
                title=deadline.title,
                duty_text=deadline.duty_text,
                source=SOURCE,
                unit=unit,
                kind=DeliverableKind.REPORT,
                due_before=deadline.due_before,
                deadline_text=deadline.deadline_text,
                recipient=deadline.recipient,
                position=900 + position,
            )
            task.full_clean()
            task.save()
            created.append(task)
    return created
