"""The change history of a household, its members and its reviews, as the detail page
shows it, and of a review procedure's record (a meeting with its votes, a posting,
a complaint, a decision) as its correction page shows it (django-simple-history
records, newest first)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import models

from households.models import (
    Complaint,
    Household,
    MeetingVote,
    Member,
    Posting,
    RecognitionDecision,
    Review,
    VillageMeeting,
)


@dataclass(frozen=True)
class HistoryEntry:
    when: datetime
    who: str
    what: str
    changes: list[str]


def household_history(household: Household) -> list[HistoryEntry]:
    """Changes to the household, its members and its reviews, newest first."""
    kinds = {"+": "Tạo", "~": "Sửa", "-": "Xóa"}
    entries: list[HistoryEntry] = []
    sources: list[tuple[str, Any]] = [
        ("hộ", household.history.select_related("history_user")),
        (
            "nhân khẩu",
            Member.history.filter(household_id=household.pk).select_related(
                "history_user"
            ),
        ),
        (
            "phiếu rà soát",
            Review.history.filter(household_id=household.pk).select_related(
                "history_user"
            ),
        ),
    ]
    for label, records in sources:
        records = list(records.order_by("history_date"))
        previous: dict[int, Any] = {}
        for record in records:
            changes: list[str] = []
            before = previous.get(record.id)
            if before is not None and record.history_type == "~":
                delta = record.diff_against(before)
                for change in delta.changes:
                    field = record.instance._meta.get_field(change.field)
                    changes.append(str(getattr(field, "verbose_name", change.field)))
            previous[record.id] = record
            name = getattr(record, "full_name", None) or (
                f"{record.review_date:%d/%m/%Y}" if label == "phiếu rà soát" else ""
            )
            reason = getattr(record, "history_change_reason", None)
            if label == "hộ" and record.history_type == "~" and reason:
                # Why, when a whole operation changed it (a commune merger).
                name = f"({reason})"
            entries.append(
                HistoryEntry(
                    when=record.history_date,
                    who=str(record.history_user or "hệ thống"),
                    what=f"{kinds.get(record.history_type, '')} {label} {name}".strip(),
                    changes=changes,
                )
            )
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries


# Who entered it and when is the entry's own; the stored file is named by its name.
UNSHOWN = {"recorded_by", "created_at", "signed_scan", "signed_scan_type"}
RECORD_LABELS: dict[type[models.Model], str] = {
    VillageMeeting: "cuộc họp",
    Posting: "việc niêm yết",
    Complaint: "khiếu nại",
    RecognitionDecision: "quyết định",
}


def _shown(field: Any, value: Any) -> str:
    if value is None or value == "":
        return "(trống)"
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation:
        related = field.related_model._default_manager.filter(pk=value).first()
        return str(getattr(related, "code", related) or f"#{value}")
    return str(value)


def record_history(
    record: VillageMeeting | Posting | Complaint | RecognitionDecision,
) -> list[HistoryEntry]:
    """Every change to a procedure record, each with its values before and after;
    a meeting's votes included."""
    kinds = {"+": "Ghi", "~": "Sửa", "-": "Xóa"}
    sources: list[tuple[str, Any]] = [
        (RECORD_LABELS[type(record)], record.history.all())
    ]
    if isinstance(record, VillageMeeting):
        sources.append(
            ("biểu quyết về hộ", MeetingVote.history.filter(meeting_id=record.pk))
        )
    entries: list[HistoryEntry] = []
    for label, rows in sources:
        previous: dict[int, Any] = {}
        for row in rows.select_related("history_user").order_by("history_id"):
            changes: list[str] = []
            before = previous.get(row.id)
            if before is not None and row.history_type == "~":
                delta = row.diff_against(before, excluded_fields=UNSHOWN)
                for change in delta.changes:
                    field = row.instance._meta.get_field(change.field)
                    changes.append(
                        f"{field.verbose_name}: {_shown(field, change.old)} → "
                        f"{_shown(field, change.new)}"
                    )
            previous[row.id] = row
            name = (
                _shown(MeetingVote._meta.get_field("household"), row.household_id)
                if label == "biểu quyết về hộ"
                else ""
            )
            entries.append(
                HistoryEntry(
                    when=row.history_date,
                    who=str(row.history_user or "hệ thống"),
                    what=f"{kinds.get(row.history_type, '')} {label} {name}".strip(),
                    changes=changes,
                )
            )
    # Newest first; a meeting and its votes saved together keep their order.
    entries.reverse()
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries
