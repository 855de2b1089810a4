"""The change history of a household, its members and its reviews, as the detail page
shows it (django-simple-history records, newest first)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from households.models import Household, Member, Review


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
