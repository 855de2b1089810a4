"""Import the phones' submissions into a periodic round, all or nothing.

One code path for `manage.py import_submissions` and the round's import page, and the
same rules as the pages: each submission passes through the forms a person would fill
— `QuickScreenForm` for its Phiếu A answers, `ReviewForm` (with the round) for its
Phiếu B — and is recorded by the same actions (`record_quick_screen`,
`record_review`). So a date outside the round, an income that is not a number, a B1
total that disagrees with the answers or an indicator ticked against the household's
facts without a note is refused exactly as on the review page, and named by line and
column.

- The Phiếu A result is the server's, from the question list in force on the date;
  a household it screens out gets no review, whatever the phone said.
- A submission already imported (same id, on the review or the Phiếu A it made) is
  left alone: a second import of the same export records nothing.
- Two new submissions for one household are refused: the officer deletes the extra
  one on the server (or rejects it there: rejected submissions are left aside).
- One refused submission, or a dry run, rolls everything back; otherwise an
  `ImportLog` (kind "phone") records who, when, the file's SHA-256 and the counts,
  and the households' pages link to it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, transaction
from django.forms import BaseForm
from django.utils.datastructures import MultiValueDict

from households import actions, clock, survey_actions
from households.forms import NO_DEVICE, ReviewForm
from households.models import Commune, Household, ImportKind, ImportLog, Review
from households.phone_submissions import (
    FILE_LABEL,
    Submission,
    choices_of,
    is_screen_answer,
    phone_date,
    phone_decimal,
    read_submissions,
)
from households.poverty import INDICATORS
from households.register_file import Problem, RegisterFileError
from households.register_import import sha256_of
from households.register_workbook import Report, no_report
from households.survey_forms import PREFIX as SCREEN_FIELD_PREFIX
from households.survey_forms import QuickScreenForm
from households.surveys import QuickScreen, QuickScreenResult
from households.xlsform import (
    B1_PREFIX,
    B1_SCORE,
    DEPRIVED,
    FLOOR_AREA,
    INCOME,
    NOTE,
    REVIEW_DATE,
    REVIEWER,
    SCREEN_PREFIX,
    YES,
)

if TYPE_CHECKING:
    from giamngheo.models import User
    from households.models import ReviewRound

CHECKING = "Đang kiểm tra bản gửi"
REVIEWED = "reviewed"
SCREENED_OUT = "screened_out"
ALREADY = "already"
REJECTED = "rejected"
OUTCOME_LABELS = {
    REVIEWED: "phiếu rà soát mới",
    SCREENED_OUT: "dừng ở Phiếu A",
    ALREADY: "đã nạp trước đây",
    REJECTED: "bị từ chối trên máy chủ, bỏ qua",
}
YES_NO_FIELDS = (
    "wall_durable",
    "frame_durable",
    "roof_durable",
    "uses_internet",
    "hears_loudspeaker",
)
CHOICE_FIELDS = ("water_source", "latrine_type")
INDICATOR_SLUGS = {i.slug for i in INDICATORS}


@dataclass
class SubmissionPlan:
    number: int
    code: str
    outcome: str
    changes: list[str] = field(default_factory=list)
    household_id: int | None = None


@dataclass
class SubmissionsResult:
    file_name: str
    sha256: str
    dry_run: bool
    plans: list[SubmissionPlan]
    log: ImportLog | None = None

    def count(self, outcome: str) -> int:
        return sum(1 for p in self.plans if p.outcome == outcome)

    @property
    def summary(self) -> str:
        return (
            f"{self.count(REVIEWED)} phiếu rà soát mới, {self.count(SCREENED_OUT)} hộ "
            f"dừng ở Phiếu A, {self.count(ALREADY)} bản gửi đã nạp trước đây, "
            f"{self.count(REJECTED)} bản gửi bị từ chối trên máy chủ (bỏ qua)"
        )

    @property
    def written(self) -> list[SubmissionPlan]:
        return [p for p in self.plans if p.outcome in (REVIEWED, SCREENED_OUT)]


def round_refusal(review_round: ReviewRound) -> str:
    """Why no submission can go into the round, or ""."""
    if review_round.closed_on is not None:
        return (
            f"{review_round} đã được công nhận kết quả ngày "
            f"{review_round.closed_on:%d/%m/%Y}: không nạp thêm phiếu vào đợt này."
        )
    return ""


def import_submissions(
    stream: IO[bytes],
    *,
    file_name: str,
    size: int,
    review_round: ReviewRound,
    by: User | None,
    dry_run: bool,
    report: Report = no_report,
) -> SubmissionsResult:
    """Check, plan and (unless `dry_run`) record the export's submissions in the
    round; RegisterFileError lists every problem and then nothing is written.
    `report` hears each submission checked (a background job's progress)."""
    refusal = round_refusal(review_round)
    if refusal:
        raise RegisterFileError([Problem(refusal)])
    submissions = read_submissions(stream, size=size)
    digest = sha256_of(stream)
    # Before the transaction: SQLite shows no progress made inside it.
    report(CHECKING, 0, len(submissions))
    commune = review_round.commune
    with transaction.atomic():
        # One import at a time per commune, as for the register.
        Commune.objects.select_for_update().filter(pk=commune.pk).first()
        run = _Run(review_round, by)
        run.apply(submissions, report)
        if run.problems:
            transaction.set_rollback(True)
            raise RegisterFileError(run.problems)
        result = SubmissionsResult(file_name, digest, dry_run, run.plans)
        if dry_run:
            transaction.set_rollback(True)
            return result
        written = result.written
        result.log = ImportLog.objects.create(
            commune=commune,
            kind=ImportKind.PHONE,
            review_round=review_round,
            imported_by=by,
            imported_at=clock.now(),
            file_name=file_name[:200],
            sha256=digest,
            changed=len({p.household_id for p in written}),
            unchanged=result.count(ALREADY),
            reviews=result.count(REVIEWED),
            changes=[
                {"code": p.code, "outcome": p.outcome, "changes": p.changes}
                for p in written
            ],
        )
        result.log.households.set({p.household_id for p in written})
    return result


class _Run:
    def __init__(self, review_round: ReviewRound, by: User | None):
        self.round = review_round
        self.by = by
        self.problems: list[Problem] = []
        self.plans: list[SubmissionPlan] = []

    def problem(self, line: Submission, name: str | None, message: str) -> None:
        self.problems.append(
            Problem(message, FILE_LABEL, line.number, line.where(name))
        )

    def form_problems(self, line: Submission, form: BaseForm) -> None:
        """A review form's refusals, each in the column of its field (an indicator's
        in the column of the ticked indicators)."""
        for name, errors in form.errors.items():
            column = DEPRIVED if name in INDICATOR_SLUGS else name
            for error in errors:
                self.problem(line, None if name == "__all__" else column, str(error))

    def apply(self, submissions: list[Submission], report: Report) -> None:
        commune = self.round.commune
        codes = {s.code for s in submissions}
        households = {
            h.code.upper(): h
            for h in Household.objects.filter(commune=commune, code__in=codes)
        }
        ids = [s.instance_id for s in submissions]
        imported = set(
            Review.objects.filter(
                household__commune=commune, submission_id__in=ids
            ).values_list("submission_id", flat=True)
        ) | set(
            QuickScreen.objects.filter(
                household__commune=commune, submission_id__in=ids
            ).values_list("submission_id", flat=True)
        )
        first_line: dict[str, int] = {}
        for done, line in enumerate(submissions, start=1):
            report(CHECKING, done, len(submissions))
            plan = SubmissionPlan(line.number, line.code, "")
            if line.rejected:
                plan.outcome = REJECTED
                self.plans.append(plan)
                continue
            household = households.get(line.code)
            if not line.code:
                self.problem(line, None, "chưa chọn hộ được rà soát.")
                continue
            if household is None:
                self.problem(
                    line,
                    None,
                    f"mã hộ {line.code} không có trong sổ hộ của xã {commune.name}.",
                )
                continue
            plan.household_id = household.pk
            if line.instance_id in imported:
                plan.outcome = ALREADY
                self.plans.append(plan)
                continue
            if household.is_archived:
                self.problem(
                    line,
                    None,
                    f"hộ {line.code} đã lưu trữ: khôi phục hộ trước khi nạp phiếu.",
                )
                continue
            if line.code in first_line:
                self.problem(
                    line,
                    None,
                    f"hộ {line.code} đã có bản gửi ở dòng {first_line[line.code]}: "
                    "mỗi hộ một bản gửi (xóa hoặc từ chối bản thừa trên máy chủ rồi "
                    "tải lại).",
                )
                continue
            first_line[line.code] = line.number
            before = len(self.problems)
            # A line's values the database refuses (a duplicate, a value too
            # long) are that line's problem; a lost connection or a lock is not:
            # it stops the whole import (nothing written; the job says retry).
            try:
                with transaction.atomic():
                    self.record(line, household, plan)
                    if len(self.problems) > before:
                        transaction.set_rollback(True)
            except (IntegrityError, DataError) as exc:
                self.problem(line, None, f"không ghi được ({exc}).")
            if len(self.problems) == before:
                self.plans.append(plan)

    def record(
        self, line: Submission, household: Household, plan: SubmissionPlan
    ) -> None:
        values = line.values
        answered = [n for n in values if is_screen_answer(n)]
        if answered:
            screen = self.record_screen(line, household)
            if screen is None:
                return
            plan.changes.append(
                f"Phiếu A ngày {screen.screen_date:%d/%m/%Y}: "
                f"{screen.get_result_display()}"
            )
            if screen.result == QuickScreenResult.SCREENED_OUT:
                plan.outcome = SCREENED_OUT
                return
        form = ReviewForm(
            MultiValueDict(self.review_data(values)),
            household=household,
            review_round=self.round,
        )
        form.instance.submission_id = line.instance_id
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
        plan.outcome = REVIEWED
        plan.changes.append(
            f"Phiếu rà soát ngày {review.review_date:%d/%m/%Y} từ điện thoại "
            f"({review.reviewer_name}): {review.get_status_display()}"
        )

    def record_screen(
        self, line: Submission, household: Household
    ) -> QuickScreen | None:
        values = line.values
        data: dict[str, list[str]] = {
            "screen_date": [phone_date(values.get(REVIEW_DATE, ""))],
            "screener_name": [values.get(REVIEWER, "")],
            "note": [values.get(NOTE, "")],
        }
        for name, value in values.items():
            if is_screen_answer(name) and value.strip() == YES:
                code = name.removeprefix(SCREEN_PREFIX)
                data[f"{SCREEN_FIELD_PREFIX}{code}"] = ["on"]
        form = QuickScreenForm(
            MultiValueDict(data), household=household, review_round=self.round
        )
        if not form.is_valid():
            for name, errors in form.errors.items():
                column = {
                    "screen_date": REVIEW_DATE,
                    "screener_name": REVIEWER,
                    "note": NOTE,
                }.get(name, SCREEN_PREFIX + name.removeprefix(SCREEN_FIELD_PREFIX))
                for error in errors:
                    self.problem(line, None if name == "__all__" else column, error)
            return None
        screen = form.save(commit=False)
        screen.submission_id = line.instance_id
        return survey_actions.record_quick_screen(screen, by=self.by)  # type: ignore[arg-type]

    @staticmethod
    def review_data(values: dict[str, str]) -> dict[str, list[str]]:
        """The submission as the review page would post it."""
        data: dict[str, list[str]] = {
            "review_date": [phone_date(values.get(REVIEW_DATE, ""))],
            "reviewer_name": [values.get(REVIEWER, "")],
            "income_per_person_month": [values.get(INCOME, "")],
            "b1_score": [values.get(B1_SCORE, "")],
            "floor_area_m2": [phone_decimal(values.get(FLOOR_AREA, ""))],
            "note": [values.get(NOTE, "")],
        }
        for name in YES_NO_FIELDS:
            answer = values.get(name, "").strip()
            data[name] = ["true" if answer == YES else "false" if answer else "unknown"]
        for name in CHOICE_FIELDS:
            data[name] = [values.get(name, "").strip()]
        # The question says "leave empty if the household has none".
        data["information_devices"] = choices_of(
            values.get("information_devices", "")
        ) or [NO_DEVICE]
        deprived = set(choices_of(values.get(DEPRIVED, "")))
        for indicator in INDICATORS:
            if indicator.slug in deprived:
                data[indicator.slug] = ["on"]
        for name, value in values.items():
            if name.startswith(B1_PREFIX):
                data[name] = [value.strip()]
        return data
