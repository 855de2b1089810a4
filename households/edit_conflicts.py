"""Sửa cùng lúc: optimistic locking for every form that edits a record someone else
may edit (a household with its members, a review, a village plan and its cards, the
year's allocation, a decision on a submission or a plan).

A record's version is read from its django-simple-history records: for each source
(the household's history, its members' history…) the number of records and the
newest id. Every write that goes through `save()` or `delete()` adds a record, so
the version moves whoever wrote (a form, an import, the admin, a merger) without a
version column that each of those paths would have to keep up.

The form carries the version it was loaded from (`FIELD`, a hidden input). Its save
locks the record's row, then `refuse_if_changed` reads the version again inside the
same transaction: if another user's change since the load touches a value (a field,
a member added or removed), `EditConflict` is raised before anything is written. It
names each change (field, the value loaded, the value now, who and when) and carries
the current version, so the page shows the user's own values again with that version:
a second "Lưu" applies them knowingly. A save whose version moved without any value
changing (the other user saved the same values) goes through: it overwrites nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import models
from django.http import HttpRequest
from django.utils import timezone

from households.models import Household, Member, Review

# The hidden input every guarded form carries.
FIELD = "loaded_version"

# Bookkeeping a user never typed: a change to it alone is not a conflict.
UNSHOWN = {"updated_at", "created_at", "search_text", "commune"}

_TOKEN = re.compile(r"^\d+\.\d+(-\d+\.\d+)*$")


@dataclass(frozen=True)
class Change:
    what: str
    loaded: str
    now: str
    who: str
    when: datetime

    def __str__(self) -> str:
        return (
            f"{self.what}: lúc bạn mở trang là “{self.loaded}”, nay là “{self.now}” "
            f"({self.who} sửa lúc {timezone.localtime(self.when):%H:%M %d/%m/%Y})"
        )


@dataclass(frozen=True)
class Source:
    """The history records of one kind of row that make up a record's version:
    `records` is a queryset of historical records (e.g. the members of a household,
    deleted ones included); `name` names one row in a message.

    A log that is only ever added to (a task's events) is a source too: `event`
    then says what each new row of it did, and its rows' ids are the version."""

    label: str
    records: models.QuerySet[Any]
    name: Callable[[Any], str] = field(default=lambda record: "")
    event: Callable[[Any], Change] | None = None
    # The words for the codes a list field stores (a JSON list of choices).
    words: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return "id" if self.event is not None else "history_id"


class EditConflict(Exception):
    """The record changed since the form was loaded; nothing was written."""

    def __init__(self, changes: Sequence[Change], current: str) -> None:
        super().__init__(
            "Người khác đã sửa nội dung này sau khi bạn mở trang, nên chưa lưu gì."
        )
        self.changes = list(changes)
        self.current = current

    @property
    def message(self) -> str:
        return (
            "Chưa lưu: người khác đã sửa nội dung này sau khi bạn mở trang. Những gì "
            "bạn nhập vẫn còn bên dưới; xem các thay đổi của họ rồi bấm lưu lần nữa "
            "nếu vẫn muốn áp dụng."
        )


def version(sources: Sequence[Source]) -> str:
    """`<count>.<newest id>` of each source's records, joined by "-"."""
    parts = []
    for source in sources:
        counted = source.records.aggregate(
            count=models.Count(source.key), newest=models.Max(source.key)
        )
        parts.append(f"{counted['count']}.{counted['newest'] or 0}")
    return "-".join(parts)


def loaded_version(request: HttpRequest) -> str | None:
    """The version the posted form was loaded from; None when the post carries none
    (a client other than the pages: it is not checked)."""
    value = request.POST.get(FIELD)
    return None if value is None else value.strip()


def refuse_if_changed(sources: Sequence[Source], loaded: str | None) -> str:
    """Raise `EditConflict` if a value changed since version `loaded`; return the
    current version. Call it inside the save's transaction, after locking the row
    the save writes, so that a concurrent save waits and then sees this one."""
    current = version(sources)
    if loaded is None or loaded == current:
        return current
    if not _TOKEN.match(loaded) or loaded.count("-") != current.count("-"):
        raise EditConflict(
            [
                Change(
                    "Trang",
                    "phiên bản không đọc được",
                    "đã có thay đổi",
                    "hệ thống",
                    timezone.now(),
                )
            ],
            current,
        )
    changes: list[Change] = []
    for source, part, now_part in zip(
        sources, loaded.split("-"), current.split("-"), strict=True
    ):
        if part == now_part:
            continue
        count, newest = (int(n) for n in part.split("."))
        found = _changes_since(source, newest)
        late = not source.records.filter(**{f"{source.key}__gt": newest}).exists()
        if late and int(now_part.split(".")[0]) != count:
            # A record committed late with an older id: something changed, though
            # its values cannot be told apart from what was loaded.
            found = [
                Change(source.label, "(không rõ)", "đã thay đổi", "?", timezone.now())
            ]
        changes += found
    if changes:
        raise EditConflict(changes, current)
    return current


def _changes_since(source: Source, newest: int) -> list[Change]:
    """What the records newer than `newest` changed, row by row, against each row's
    state at the load (its newest record up to `newest`)."""
    if source.event is not None:
        return [
            source.event(row)
            for row in source.records.filter(id__gt=newest).order_by("id")
        ]
    fresh = list(source.records.filter(history_id__gt=newest).order_by("history_id"))
    changes: list[Change] = []
    for row_id in dict.fromkeys(r.id for r in fresh):
        after = [r for r in fresh if r.id == row_id][-1]
        before = (
            source.records.filter(id=row_id, history_id__lte=newest)
            .order_by("-history_id")
            .first()
        )
        if before is not None and before.history_type == "-":
            before = None
        who, when = _who(after), after.history_date
        name = source.name(after) or (source.name(before) if before else "")
        title = f"{source.label} {name}".strip()
        if before is None:
            # A row made blank (a plan's card saved for the first time by another
            # card's save) holds nothing anyone typed: nothing to overwrite.
            if after.history_type != "-" and not _blank(after):
                changes.append(Change(title, "(chưa có)", "đã thêm", who, when))
            continue
        if after.history_type == "-":
            changes.append(Change(title, "có", "đã xóa", who, when))
            continue
        delta = after.diff_against(before, excluded_fields=UNSHOWN)
        for change in delta.changes:
            model_field = after.instance._meta.get_field(change.field)
            label = str(getattr(model_field, "verbose_name", change.field))
            changes.append(
                Change(
                    f"{title}: {label}" if title else label.capitalize(),
                    shown(model_field, change.old, source.words.get(change.field)),
                    shown(model_field, change.new, source.words.get(change.field)),
                    who,
                    when,
                )
            )
    return changes


def _blank(record: Any) -> bool:
    """Every value a user types is still the field's default."""
    for model_field in record.instance._meta.concrete_fields:
        if (
            model_field.is_relation
            or model_field.primary_key
            or model_field.name in UNSHOWN
        ):
            continue
        if getattr(record, model_field.attname) != model_field.get_default():
            return False
    return True


def _who(record: Any) -> str:
    return who(getattr(record, "history_user", None))


def who(user: Any) -> str:
    """A user as a message names them."""
    if user is None:
        return "hệ thống"
    return user.get_full_name() or user.get_username()


def shown(model_field: Any, value: Any, words: Mapping[str, str] | None = None) -> str:
    """A stored value as the user reads it."""
    if value is None or value == "" or value == []:
        return "(trống)"
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, datetime):
        return f"{timezone.localtime(value):%H:%M %d/%m/%Y}"
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, list):
        return ", ".join(str((words or {}).get(v, v)) for v in value)
    if getattr(model_field, "choices", None):
        return str(dict(model_field.flatchoices).get(value, value))
    if getattr(model_field, "is_relation", False):
        related = model_field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related is not None else f"#{value}"
    return str(value)


def household_sources(household_id: int | None) -> list[Source]:
    """A household and its members: what the household form edits."""
    return [
        Source("Hộ", Household.history.filter(id=household_id or 0)),
        Source(
            "Nhân khẩu",
            Member.history.filter(household_id=household_id or 0),
            name=lambda record: record.full_name,
        ),
    ]


def review_sources(household_id: int) -> list[Source]:
    """A household, its members and its reviews: what a new review is read against."""
    return [
        *household_sources(household_id),
        Source(
            "Phiếu rà soát",
            Review.history.filter(household_id=household_id),
            name=lambda record: f"ngày {record.review_date:%d/%m/%Y}",
        ),
    ]
