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

Forms that edit values field by field (a household and its members, a plan's summary
and cards) show the refused page as a three-way merge (`merge_form`, `merge_rows`):
each field compares the user's posted value with the value at the loaded version and
the value now. A field the user did not touch takes the other user's value, one only
the user changed keeps the user's, and one both changed differently keeps the user's
and is marked "cả hai cùng sửa". So the second "Lưu" the user will click posts the
merged values and cannot quietly undo what the other user saved.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest, QueryDict
from django.utils import timezone
from django.utils.datastructures import MultiValueDict

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
    # Which value changed, for the merge to mark it: the source's label, the row's
    # id and the model field ("" for a row added or deleted).
    source: str = ""
    row: Any = None
    field: str = ""
    # Both users changed this value differently: the form keeps the user's.
    both: bool = False
    note: str = ""

    def __str__(self) -> str:
        text = (
            f"{self.what}: lúc bạn mở trang là “{self.loaded}”, nay là “{self.now}” "
            f"({self.who} sửa lúc {timezone.localtime(self.when):%H:%M %d/%m/%Y})"
        )
        if self.both:
            text += (
                " — cả hai cùng sửa: ô bên dưới giữ giá trị bạn nhập, xem lại rồi "
                "mới lưu"
            )
        if self.note:
            text += f" — {self.note}"
        return text


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
        self.merged = False

    def mark(
        self,
        source: str,
        row: Any,
        fields: Iterable[str],
        *,
        note: str = "",
    ) -> None:
        """Mark the changes of `fields` of one row as changed by both users, or add
        `note` to the row's own change (added, deleted) when `fields` is empty."""
        wanted = set(fields)
        self.changes = [
            replace(change, both=True)
            if change.source == source and change.row == row and change.field in wanted
            else replace(change, note=note)
            if note and change.source == source and change.row == row
            else change
            for change in self.changes
        ]

    @property
    def message(self) -> str:
        if self.merged:
            return (
                "Chưa lưu: người khác đã sửa nội dung này sau khi bạn mở trang. Bên "
                "dưới đã gộp hai bản: ô bạn không sửa nay có giá trị mới của họ, ô "
                "bạn đã sửa giữ giá trị bạn nhập; ô hai người cùng sửa được ghi rõ "
                "trong danh sách này. Xem lại rồi bấm lưu lần nữa."
            )
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


def stale(sources: Sequence[Source], loaded: str | None) -> EditConflict | None:
    """The conflict a save from version `loaded` would meet, read without a lock: a
    form that did not validate (a row it posts was deleted meanwhile) is shown again
    merged too."""
    try:
        refuse_if_changed(sources, loaded)
    except EditConflict as conflict:
        return conflict
    return None


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
                changes.append(
                    Change(
                        title, "(chưa có)", "đã thêm", who, when, source.label, row_id
                    )
                )
            continue
        if after.history_type == "-":
            changes.append(
                Change(title, "có", "đã xóa", who, when, source.label, row_id)
            )
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
                    source.label,
                    row_id,
                    change.field,
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


# The three-way merge of a refused form ------------------------------------------


class Pick(enum.Enum):
    MINE = "mine"  # only the user changed it (or nobody did): the posted value
    THEIRS = "theirs"  # only the other user changed it: the current value
    BOTH = "both"  # both changed it differently: the posted value, marked


def merge_value(mine: Any, loaded: Any, theirs: Any) -> Pick:
    """Which value a refused form shows again for one field, from the value the user
    posted, the value at the version the page was loaded from and the value now."""
    if mine == loaded:
        return Pick.MINE if theirs == loaded else Pick.THEIRS
    if theirs in (loaded, mine):
        return Pick.MINE
    return Pick.BOTH


def rows_at(source: Source, loaded: str | None, index: int) -> dict[Any, Any] | None:
    """Each row of `source` as it was at version `loaded` (its part `index`), as a
    model instance by id; rows deleted by then are left out. None when the version
    cannot be read (nothing to merge against)."""
    if loaded is None or not _TOKEN.match(loaded):
        return None
    parts = loaded.split("-")
    if index >= len(parts):
        return None
    newest = int(parts[index].split(".")[1])
    rows: dict[Any, Any] = {}
    for record in source.records.filter(history_id__lte=newest).order_by(
        "id", "-history_id"
    ):
        if record.id in rows:
            continue
        rows[record.id] = None if record.history_type == "-" else record.instance
    return {row_id: row for row_id, row in rows.items() if row is not None}


def as_data(bound_field: forms.BoundField) -> list[str]:
    """The values a browser posts for an unbound form's field as it is shown."""
    widget = bound_field.field.widget
    value = bound_field.value()
    if isinstance(widget, forms.CheckboxInput):
        return ["on"] if widget.check_test(value) else []
    formatted = widget.format_value(value)
    if isinstance(formatted, list):
        return [str(v) for v in formatted]
    return ["" if formatted is None else str(formatted)]


def _comparable(bound_field: forms.BoundField, values: list[str]) -> Any:
    """A posted field's value as the field cleans it, so that "1/2/2020" and
    "01/02/2020" or " Xóm " and "Xóm" compare equal."""
    data = MultiValueDict({bound_field.html_name: values})
    raw = bound_field.field.widget.value_from_datadict(
        data, MultiValueDict(), bound_field.html_name
    )
    try:
        value = bound_field.field.clean(raw)
    except ValidationError:
        return values
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple):
        return sorted(map(str, value))
    return value


def merge_form(
    mine: forms.BaseForm, loaded: forms.BaseForm, theirs: forms.BaseForm
) -> tuple[dict[str, list[str]], set[str]]:
    """The data to show a refused form again with: `mine` is bound to the post,
    `loaded` and `theirs` are unbound on the row as loaded and as it is now. Returns
    the merged values by the posted form's input names and the fields both users
    changed."""
    merged: dict[str, list[str]] = {}
    both: set[str] = set()
    # A formset's own fields (id, DELETE, the parent) are the formset's to keep.
    for name in [name for name in mine.fields if name in theirs.fields]:
        key = mine[name].html_name
        posted = mine.data.getlist(key) if hasattr(mine.data, "getlist") else []
        now = as_data(theirs[name])
        pick = merge_value(
            _comparable(mine[name], posted),
            _comparable(loaded[name], as_data(loaded[name])),
            _comparable(theirs[name], now),
        )
        merged[key] = now if pick is Pick.THEIRS else posted
        if pick is Pick.BOTH:
            both.add(name)
    return merged, both


def merge_record(
    form: forms.BaseForm,
    *,
    source: Source,
    loaded: str | None,
    index: int,
    current: models.Model,
    make: Callable[[Any], forms.BaseForm],
    conflict: EditConflict,
    blank: models.Model | None = None,
    stored_as: Mapping[str, str] | None = None,
) -> QueryDict | None:
    """The posted data of a form that edits one row (`current`, read after the
    refusal), merged field by field against the row at version `loaded` (`index`:
    the source's part of it), and the conflict's changes marked. `blank` stands
    for a row that did not exist yet at the load; `stored_as` names the model field
    of a form field that is not one. None: nothing to merge against."""
    rows = rows_at(source, loaded, index)
    if rows is None or not isinstance(form.data, QueryDict):
        return None
    before = rows.get(current.pk) or blank or current
    merged, both = merge_form(form, make(before), make(current))
    conflict.mark(source.label, current.pk, {(stored_as or {}).get(n, n) for n in both})
    conflict.merged = True
    return rebind(form.data, merged)


def rebind(data: QueryDict, merged: Mapping[str, list[str]]) -> QueryDict:
    """A copy of `data` with `merged`'s values in place of the posted ones."""
    copy = data.copy()
    for key, values in merged.items():
        copy.setlist(key, values)
    return copy


def merge_rows(
    formset: forms.BaseFormSet[Any],
    *,
    source: Source,
    loaded: Mapping[Any, Any],
    current: Sequence[Any],
    make: Callable[[Any, str], forms.BaseForm],
    conflict: EditConflict,
    data: QueryDict,
) -> QueryDict:
    """The posted data of a model formset merged row by row (see `merge_form`): rows
    the other user added are added; rows they deleted are dropped, with a note when
    the user had edited them; the user's new rows are kept. The rows are numbered
    again (the rows kept from the database first, as a formset needs them)."""
    now = {row.pk: row for row in current}
    kept: list[dict[str, list[str]]] = []
    new: list[dict[str, list[str]]] = []
    shown: set[Any] = set()
    pk_name = formset.model._meta.pk.name  # type: ignore[attr-defined]
    for form in formset.forms:
        prefix = f"{form.prefix}-"
        own = {
            key.removeprefix(prefix): data.getlist(key)
            for key in data
            if key.startswith(prefix)
        }
        # The posted id, not the form's instance: a row deleted meanwhile has none.
        posted_id = own.get(pk_name, [""])[-1]
        if form not in formset.initial_forms or not posted_id.isdigit():
            new.append(own)
            continue
        row_id = int(posted_id)
        shown.add(row_id)
        deleting = formset.can_delete and own.get("DELETE", [""])[-1] not in (
            "",
            "false",
            "off",
        )
        if row_id not in now:
            before = loaded.get(row_id)
            if not deleting and before is not None and _edited(form, before, make):
                conflict.mark(
                    source.label,
                    row_id,
                    (),
                    note="những gì bạn sửa ở dòng này đã bỏ",
                )
            continue
        if deleting:
            # The user's deletion stands; the other user's edits to the row go with
            # it, so say so next to them.
            conflict.mark(
                source.label, row_id, (), note="bạn đã chọn xóa dòng này: vẫn xóa"
            )
            new_rows = own
        else:
            before = loaded.get(row_id) or now[row_id]
            merged, both = merge_form(
                form,
                make(before, form.prefix or ""),
                make(now[row_id], form.prefix or ""),
            )
            conflict.mark(source.label, row_id, both)
            new_rows = own | {
                key.removeprefix(prefix): values for key, values in merged.items()
            }
        kept.append(new_rows)
    for row in current:
        if row.pk in shown:
            continue
        added = make(row, "added")
        values = {name: as_data(added[name]) for name in added.fields}
        values[pk_name] = [str(row.pk)]
        fk = getattr(formset, "fk", None)
        if fk is not None:
            values[fk.name] = [str(getattr(row, fk.attname))]
        kept.append(values)
    result = data.copy()
    for key in list(result):
        if key.startswith(f"{formset.prefix}-") and key.count("-") >= 2:
            del result[key]
    for index, values in enumerate([*kept, *new]):
        for name, posted in values.items():
            result.setlist(f"{formset.prefix}-{index}-{name}", posted)
    result[f"{formset.prefix}-TOTAL_FORMS"] = str(len(kept) + len(new))
    result[f"{formset.prefix}-INITIAL_FORMS"] = str(len(kept))
    return result


def _edited(
    form: forms.BaseForm, before: Any, make: Callable[[Any, str], forms.BaseForm]
) -> bool:
    """The user changed a value of this row since the load."""
    loaded = make(before, form.prefix or "")
    return any(
        _comparable(form[name], form.data.getlist(form[name].html_name))
        != _comparable(loaded[name], as_data(loaded[name]))
        for name in form.fields
        if name in loaded.fields
    )
