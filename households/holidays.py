"""The table of public holidays (Bộ luật Lao động 2019 Điều 112) that the review
procedure's working days skip. Data, not code: loaded from
`households/data/ngay-nghi-le-*.csv` by migration 0009 and by
`manage.py load_public_holidays FILE`, corrected in the admin. Imported by
`households.models`, so `PublicHoliday` is a model of the `households` app.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Self

from django.db import models, transaction

from households import text_limits
from households.holidays_file import HolidayRow
from households.procedure import HolidayCalendar


class PublicHolidayQuerySet(models.QuerySet["PublicHoliday"]):
    def between(self, start: date, end: date) -> Self:
        return self.filter(date__range=(start, end))


class PublicHoliday(models.Model):
    """A day off for a public holiday, a day off in lieu (nghỉ bù) or a swapped
    day off (hoán đổi): not a working day of the UBND xã."""

    date = models.DateField("ngày", unique=True)
    name = models.CharField("tên ngày nghỉ", max_length=200)
    source = models.TextField(
        "nguồn",
        max_length=text_limits.NOTE,
        help_text="Văn bản quy định ngày nghỉ này (điều luật, thông báo của Chính "
        "phủ).",
    )
    verified = models.BooleanField(
        "đã đối chiếu văn bản gốc",
        default=False,
        help_text="Chỉ đánh dấu khi đã đọc ngày này trong văn bản gốc (thông báo "
        "nghỉ lễ, tết của năm).",
    )

    objects = PublicHolidayQuerySet.as_manager()

    class Meta:
        verbose_name = "ngày nghỉ lễ, tết"
        verbose_name_plural = "bảng ngày nghỉ lễ, tết"
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} — {self.name}"


def holidays_between(start: date, end: date) -> HolidayCalendar:
    """The table's holidays from `start` to `end`, for the pure rules of
    `households.procedure` (one query)."""
    rows = list(
        PublicHoliday.objects.between(start, end).values_list("date", "verified")
    )
    # A year counts as covered when the table has rows for it at all.
    years = {
        d.year
        for d in PublicHoliday.objects.filter(
            date__year__gte=start.year, date__year__lte=end.year
        ).dates("date", "year")
    }
    return HolidayCalendar(
        days=frozenset(d for d, _ in rows),
        unverified=frozenset(d for d, verified in rows if not verified),
        years=frozenset(years),
    )


@dataclass(frozen=True)
class LoadResult:
    added: int
    changed: int
    unchanged: int
    kept_verified: tuple[date, ...]  # verified rows a file row did not overwrite

    def __str__(self) -> str:
        text = (
            f"Bảng ngày nghỉ lễ: thêm {self.added}, sửa {self.changed}, giữ nguyên "
            f"{self.unchanged} ngày."
        )
        if self.kept_verified:
            days = ", ".join(f"{d:%d/%m/%Y}" for d in self.kept_verified)
            text += (
                f" Giữ bản đã đối chiếu văn bản gốc của {len(self.kept_verified)} ngày "
                f"({days}) thay cho dòng chưa đối chiếu của tệp."
            )
        return text


def load_public_holidays(rows: Sequence[HolidayRow]) -> LoadResult:
    """Add or update the rows by date, in one transaction; loading the same rows
    again changes nothing. A row already verified in the database is not replaced
    by an unverified one. Rows of the table that the file lacks are kept."""
    added = changed = unchanged = 0
    kept: list[date] = []
    with transaction.atomic():
        existing = {
            h.date: h
            for h in PublicHoliday.objects.select_for_update().filter(
                date__in=[r.date for r in rows]
            )
        }
        for row in rows:
            holiday = existing.get(row.date)
            if holiday is None:
                PublicHoliday.objects.create(
                    date=row.date,
                    name=row.name,
                    source=row.source,
                    verified=row.verified,
                )
                added += 1
            elif (holiday.name, holiday.source, holiday.verified) == (
                row.name,
                row.source,
                row.verified,
            ):
                unchanged += 1
            elif holiday.verified and not row.verified:
                kept.append(row.date)
            else:
                holiday.name, holiday.source = row.name, row.source
                holiday.verified = row.verified
                holiday.save()
                changed += 1
    return LoadResult(added, changed, unchanged, tuple(kept))
