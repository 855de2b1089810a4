"""Import a register workbook into a commune, all or nothing.

One code path for `manage.py import_register` and the web import: `import_register`
checks the file (households/register_file.py), then, in one transaction:

- matches each household of the file to the commune's register by its code, else by
  its head's CCCD; members within a household by CCCD, else by name and birth year;
- leaves alone a household whose every value equals the register's (and whose review
  line equals a review already recorded): a second import of the same file changes
  nothing;
- passes every new or changed household through the forms of the pages —
  `HouseholdForm` and `MemberFormSet`, `ArchiveForm`, `ReviewForm` and
  `actions.record_review` — so the file obeys exactly the rules a person typing it
  would (NFC names, a CCCD of 12 digits, one head, a review's date in a recognised
  round refused…); every refusal is named by sheet, line and column;
- never edits a review: a review line that differs from every recorded review is a
  new review, with the file's date and kind (a periodic review dated in the open
  round joins it; outside any round it holds from its date; a regular one waits for
  the chairman's decision, as on the review form);
- rolls everything back when any line is refused, or on a dry run (the plan is then
  the result); otherwise records an `ImportLog`.

A household of the register that the file does not list is left as it is (a file of
one village says nothing about the others); it is counted as "không có trong tệp".
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, transaction
from django.forms import BaseForm
from django.utils.datastructures import MultiValueDict

from households import actions, clock
from households.forms import (
    NO_DEVICE,
    ArchiveForm,
    HouseholdForm,
    MemberFormSet,
    ReviewForm,
)
from households.models import (
    Commune,
    Household,
    ImportLog,
    Member,
    Relationship,
    Review,
    fold,
)
from households.register_file import (
    Line,
    ParsedRegister,
    Problem,
    RegisterFileError,
    Report,
    check_file,
    free_text,
    no_report,
    read_register,
)
from households.register_workbook import (
    HOUSEHOLD_CODE,
    HOUSEHOLDS,
    MEMBERS,
    REVIEWS,
    Column,
    Kind,
    SheetLayout,
)

if TYPE_CHECKING:
    from giamngheo.models import User

NEW = "new"
CHANGED = "changed"
UNCHANGED = "unchanged"
ARCHIVED = "archived"
OUTCOME_LABELS = {
    NEW: "mới",
    CHANGED: "thay đổi",
    UNCHANGED: "không đổi",
    ARCHIVED: "lưu trữ",
}
ARCHIVE_FIELDS = ("archived_on", "archive_reason", "archive_note")
CHECKING = "Đang kiểm tra hộ"


@dataclass
class HouseholdPlan:
    code: str
    outcome: str
    changes: list[str] = field(default_factory=list)
    household_id: int | None = None


@dataclass
class ImportResult:
    file_name: str
    sha256: str
    dry_run: bool
    plans: list[HouseholdPlan]
    not_in_file: int
    new_reviews: int
    log: ImportLog | None = None

    def count(self, outcome: str) -> int:
        return sum(1 for p in self.plans if p.outcome == outcome)

    @property
    def summary(self) -> str:
        return (
            f"{self.count(NEW)} mới, {self.count(CHANGED)} thay đổi, "
            f"{self.count(UNCHANGED)} không đổi, {self.count(ARCHIVED)} lưu trữ; "
            f"{self.new_reviews} phiếu rà soát mới; {self.not_in_file} hộ của xã "
            "không có trong tệp (giữ nguyên)"
        )

    @property
    def changed_plans(self) -> list[HouseholdPlan]:
        return [p for p in self.plans if p.outcome != UNCHANGED]


def sha256_of(stream: IO[bytes]) -> str:
    stream.seek(0)
    digest = hashlib.sha256()
    for chunk in iter(lambda: stream.read(1024 * 1024), b""):
        digest.update(chunk)
    stream.seek(0)
    return digest.hexdigest()


def import_register(
    stream: IO[bytes],
    *,
    file_name: str,
    size: int,
    commune: Commune,
    by: User | None,
    dry_run: bool,
    report: Report = no_report,
) -> ImportResult:
    """Check, plan and (unless `dry_run`) apply the file; RegisterFileError lists
    every problem and then nothing is written. `report` hears the progress: the
    lines read, then the households checked."""
    check_file(stream, size=size)
    digest = sha256_of(stream)
    villages = {fold(v.name): v.pk for v in commune.villages.all()}
    parsed = read_register(stream, villages=villages, report=report)
    if parsed.commune_code and parsed.commune_code != commune.code:
        raise RegisterFileError(
            [
                Problem(
                    f"tệp được xuất từ xã mã “{parsed.commune_code}”, không phải xã "
                    f"{commune.name} (mã “{commune.code}”).",
                    "Thông tin",
                )
            ]
        )
    # Said before the transaction: on SQLite, the last progress the page sees.
    report(CHECKING, 0, len(parsed.households))
    with transaction.atomic():
        # One import at a time per commune: the matching reads what the other writes.
        Commune.objects.select_for_update().filter(pk=commune.pk).first()
        run = _Run(parsed, commune, by, report)
        run.apply()
        if run.problems:
            transaction.set_rollback(True)
            raise RegisterFileError(run.problems)
        result = ImportResult(
            file_name=file_name,
            sha256=digest,
            dry_run=dry_run,
            plans=run.plans,
            not_in_file=run.not_in_file,
            new_reviews=run.new_reviews,
        )
        if dry_run:
            transaction.set_rollback(True)
            return result
        result.log = ImportLog.objects.create(
            commune=commune,
            imported_by=by,
            imported_at=clock.now(),
            file_name=file_name[:200],
            sha256=digest,
            new=result.count(NEW),
            changed=result.count(CHANGED),
            unchanged=result.count(UNCHANGED),
            archived=result.count(ARCHIVED),
            reviews=result.new_reviews,
            changes=[
                {"code": p.code, "outcome": p.outcome, "changes": p.changes}
                for p in result.changed_plans
            ],
        )
        result.log.households.set(
            [p.household_id for p in result.changed_plans if p.household_id]
        )
    return result


# --- Values as the file and the register hold them -----------------------------------


def _stored(column: Column, obj: Any) -> Any:
    """A stored object's value in the file's terms (what `cell_to_value` gives)."""
    if column.kind == Kind.VILLAGE:
        return obj.village_id
    raw = getattr(obj, column.field)
    if column.kind == Kind.CHOICES:
        return None if raw is None else sorted(raw)
    if column.kind == Kind.TEXT:
        return free_text(raw or "", names=column.field == "full_name")
    if column.kind in (Kind.IDENTITY, Kind.CHOICE):
        return raw or ""
    if column.kind == Kind.DECIMAL:
        return None if raw is None else Decimal(raw)
    return raw


def _file(column: Column, line: Line) -> Any:
    value = line.values[column.field]
    if column.kind == Kind.CHOICES:
        return None if value is None else sorted(value)
    return value


def _fields(layout: SheetLayout) -> list[Column]:
    return [
        c
        for c in layout.columns
        if c.kind != Kind.READ_ONLY
        and (layout is HOUSEHOLDS or c is not HOUSEHOLD_CODE)
    ]


def _shown(column: Column, value: Any, villages: dict[int, str]) -> str:
    if value in (None, "", []):
        return "(trống)"
    if column.kind == Kind.VILLAGE:
        return villages.get(value, str(value))
    if column.kind == Kind.DATE:
        return f"{value:%d/%m/%Y}"
    if column.kind == Kind.CHOICES:
        return "; ".join(label for code, label in column.choices if code in value)
    if column.kind in (Kind.YES_NO, Kind.FACT, Kind.CHOICE):
        return column.label_of(value) or "(trống)"
    return str(value)


def _differences(
    layout: SheetLayout,
    stored: Any,
    line: Line,
    villages: dict[int, str],
    skip: tuple[str, ...] = (),
) -> list[str]:
    return [
        f"{c.header}: {_shown(c, _stored(c, stored), villages)} → "
        f"{_shown(c, _file(c, line), villages)}"
        for c in _fields(layout)
        if c.field not in skip and _stored(c, stored) != _file(c, line)
    ]


def _same_review(review: Review, line: Line) -> bool:
    return all(_stored(c, review) == _file(c, line) for c in _fields(REVIEWS))


# --- Form data: the values as a browser would post them ----------------------------


def _posted(column: Column, value: Any) -> list[str]:
    if column.kind == Kind.YES_NO:
        return ["on"] if value else []
    if column.kind == Kind.FACT:
        return ["unknown" if value is None else str(value).lower()]
    if column.kind == Kind.DATE:
        return [f"{value:%d/%m/%Y}" if value else ""]
    if column.kind == Kind.DECIMAL:
        return ["" if value is None else str(value).replace(".", ",")]
    if column.kind == Kind.CHOICES:
        if column.field == "information_devices" and value == []:
            return [NO_DEVICE]
        return list(value or [])
    return ["" if value is None else str(value)]


def _form_data(
    layout: SheetLayout, line: Line, prefix: str = ""
) -> dict[str, list[str]]:
    return {
        f"{prefix}{c.field}": _posted(c, line.values[c.field]) for c in _fields(layout)
    }


# --- The run -------------------------------------------------------------------------


class _Run:
    def __init__(
        self,
        parsed: ParsedRegister,
        commune: Commune,
        by: User | None,
        report: Report,
    ):
        self.parsed = parsed
        self.report = report
        self.commune = commune
        self.by = by
        self.problems: list[Problem] = []
        self.plans: list[HouseholdPlan] = []
        self.new_reviews = 0
        self.not_in_file = 0
        self.village_names = {v.pk: v.name for v in commune.villages.all()}

    def problem(self, line: Line, field_name: str | None, message: str) -> None:
        """A refusal on a line, in the column of the field (else the code's)."""
        columns = self.parsed.columns[line.sheet]
        column = columns.get(field_name or "") or columns[HOUSEHOLD_CODE.field]
        self.problems.append(Problem(message, line.sheet, line.number, column))

    def form_problems(self, line: Line, form: BaseForm, prefix: str = "") -> None:
        for name, errors in form.errors.items():
            name = name.removeprefix(prefix)
            if name.startswith("b1__"):
                name = "b1_score"
            for error in errors:
                self.problem(line, None if name == "__all__" else name, str(error))

    def apply(self) -> None:
        # Codes are stored upper-case (HouseholdForm), and read so from the file.
        households = {
            h.code.upper(): h
            for h in Household.objects.filter(commune=self.commune).prefetch_related(
                "members", "reviews"
            )
        }
        by_head_id = {
            m.id_number: h
            for h in households.values()
            for m in h.members.all()
            if m.relationship == Relationship.HEAD and m.id_number
        }
        members: dict[str, list[Line]] = defaultdict(list)
        for line in self.parsed.members:
            members[line.code].append(line)
        reviews = {line.code: line for line in self.parsed.reviews}
        matched: set[int] = set()
        file_codes = {line.code for line in self.parsed.households}
        total = len(self.parsed.households)
        for number, line in enumerate(self.parsed.households, start=1):
            self.report(CHECKING, number, total)
            household = households.get(line.code)
            if household is None:
                head = next(
                    (
                        m
                        for m in members[line.code]
                        if m.values["relationship"] == Relationship.HEAD
                    ),
                    None,
                )
                number = head.values["id_number"] if head else ""
                candidate = by_head_id.get(number) if number else None
                # Not one the file lists under its own code too.
                if candidate is not None and candidate.code.upper() not in file_codes:
                    household = candidate
            if household is not None and household.pk in matched:
                household = None
            if household is not None:
                matched.add(household.pk)
            # A line's values the database refuses (a duplicate, a value too
            # long) are that line's problem; a lost connection or a lock is not:
            # it stops the whole import (nothing written; the job says retry).
            try:
                with transaction.atomic():
                    self.household(line, household, members[line.code], reviews)
            except (IntegrityError, DataError) as exc:
                self.problem(line, None, f"không ghi được vào sổ ({exc}).")
        self.not_in_file = len({h.pk for h in households.values()} - matched)

    def household(
        self,
        line: Line,
        household: Household | None,
        member_lines: list[Line],
        reviews: dict[str, Line],
    ) -> None:
        plan = HouseholdPlan(code=line.code, outcome=NEW if household is None else "")
        stored_members = list(household.members.all()) if household else []
        pairs = self.match_members(stored_members, member_lines)
        review_line = reviews.get(line.code)
        if household is not None:
            plan.changes += _differences(
                HOUSEHOLDS, household, line, self.village_names, skip=ARCHIVE_FIELDS
            )
            for member, member_line in pairs:
                if member is None:
                    plan.changes.append(
                        f"Thêm nhân khẩu {member_line.values['full_name']}"
                    )
                elif member_line is None:
                    plan.changes.append(f"Bỏ nhân khẩu {member.full_name}")
                else:
                    differences = _differences(
                        MEMBERS, member, member_line, self.village_names
                    )
                    if differences:
                        plan.changes.append(
                            f"Nhân khẩu {member.full_name}: " + "; ".join(differences)
                        )
        household_changed = bool(plan.changes) or household is None
        new_review = review_line is not None and not (
            household is not None
            and any(_same_review(r, review_line) for r in household.reviews.all())
        )
        archive = line.values["archived_on"] is not None and (
            household is None
            or household.archived_on is None
            or any(getattr(household, f) != line.values[f] for f in ARCHIVE_FIELDS)
        )
        restore = (
            household is not None
            and household.archived_on is not None
            and line.values["archived_on"] is None
        )
        if not (household_changed or new_review or archive or restore):
            assert household is not None
            self.plans.append(HouseholdPlan(line.code, UNCHANGED, [], household.pk))
            return
        problems_before = len(self.problems)
        if household_changed:
            household = self.save_household(line, household, pairs)
            if household is None:
                return
        assert household is not None
        plan.household_id = household.pk
        if archive:
            form = ArchiveForm(
                MultiValueDict(_form_data(HOUSEHOLDS, line)), instance=household
            )
            form.fields["archived_on"].required = True
            if form.is_valid():
                actions.archive_household(form, by=self.by)  # type: ignore[arg-type]
                plan.changes.append(
                    f"Lưu trữ hộ từ ngày {line.values['archived_on']:%d/%m/%Y}"
                )
            else:
                self.form_problems(line, form)
        elif restore:
            actions.restore_household(household, by=self.by)  # type: ignore[arg-type]
            plan.changes.append("Khôi phục hộ (bỏ lưu trữ)")
        if new_review and review_line is not None:
            self.record_review(review_line, household, plan)
        if len(self.problems) == problems_before and not plan.outcome:
            plan.outcome = ARCHIVED if archive else CHANGED
        self.plans.append(plan)

    def match_members(
        self, stored: list[Member], lines: list[Line]
    ) -> list[tuple[Member | None, Line | None]]:
        """Each line with the member it is, by CCCD, else by name and birth year;
        then the members no line names (removed)."""
        free = list(stored)
        pairs: list[tuple[Member | None, Line | None]] = []
        for line in lines:
            number = line.values["id_number"]
            member = next((m for m in free if number and m.id_number == number), None)
            if member is None:
                name = fold(line.values["full_name"])
                member = next(
                    (
                        m
                        for m in free
                        if fold(m.full_name) == name
                        and m.birth_year == line.values["birth_year"]
                    ),
                    None,
                )
            if member is not None:
                free.remove(member)
            pairs.append((member, line))
        pairs += [(m, None) for m in free]
        return pairs

    def save_household(
        self,
        line: Line,
        household: Household | None,
        pairs: list[tuple[Member | None, Line | None]],
    ) -> Household | None:
        instance = household or Household(commune=self.commune)
        data = _form_data(HOUSEHOLDS, line)
        form = HouseholdForm(
            MultiValueDict(data),
            instance=instance,
            user=self.by,
            villages=self.commune.villages.all(),
        )
        prefix = "members-"
        existing = [(m, ml) for m, ml in pairs if m is not None]
        added = [(m, ml) for m, ml in pairs if m is None]
        member_data: dict[str, list[str]] = {
            "members-TOTAL_FORMS": [str(len(existing) + len(added))],
            "members-INITIAL_FORMS": [str(len(existing))],
        }
        ordered = existing + added
        for index, (member, member_line) in enumerate(ordered):
            form_prefix = f"{prefix}{index}-"
            if member is not None:
                member_data[f"{form_prefix}id"] = [str(member.pk)]
                member_data[f"{form_prefix}household"] = [str(instance.pk)]
            if member_line is None:
                assert member is not None
                member_data[f"{form_prefix}DELETE"] = ["on"]
                for column in _fields(MEMBERS):
                    member_data[f"{form_prefix}{column.field}"] = _posted(
                        column, _stored(column, member)
                    )
            else:
                member_data.update(_form_data(MEMBERS, member_line, form_prefix))
        formset = MemberFormSet(
            MultiValueDict(member_data), instance=instance, prefix="members"
        )
        household_ok = form.is_valid()
        members_ok = formset.is_valid()
        if not household_ok:
            self.form_problems(line, form)
        if not members_ok:
            for index, member_form in enumerate(formset.forms):
                member_line = ordered[index][1]
                if member_line is not None:
                    self.form_problems(member_line, member_form)
            first = next((ml for _, ml in ordered if ml is not None), None)
            for error in formset.non_form_errors():
                if first is None:
                    self.problem(line, None, str(error))
                else:
                    self.problem(first, "relationship", str(error))
        if not (household_ok and members_ok):
            return None
        return actions.save_household(form, formset, by=self.by)  # type: ignore[arg-type]

    def record_review(
        self, line: Line, household: Household, plan: HouseholdPlan
    ) -> None:
        form = ReviewForm(
            MultiValueDict(_form_data(REVIEWS, line)), household=household
        )
        if not form.is_valid():
            self.form_problems(line, form)
            return
        try:
            review = actions.record_review(form, by=self.by)  # type: ignore[arg-type]
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                for error in errors:
                    self.problem(line, None if name == "__all__" else name, error)
            return
        self.new_reviews += 1
        plan.changes.append(
            f"Phiếu rà soát mới ngày {review.review_date:%d/%m/%Y} "
            f"({review.get_kind_display().lower()}): {review.get_status_display()}"
        )
