"""Forms of the task pages: a submission (note, files, figures), the officer's
decision, and the filters of the commune board."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from households import text_limits
from households.forms import DateInput, nfc
from households.models import Household
from households.number_fields import CountField
from households.uploads import KINDS, MAX_FILES, CheckedFile, check_upload
from targets.measurement import service_progress
from targets.models import ServiceTarget
from targets.progress import Measurement
from tasks.actions import ReportedFigure
from tasks.models import Decision, Task, TaskQuerySet, TaskStatus, Unit


class MultipleFileInput(forms.ClearableFileInput):
    # Django refuses `multiple` on the plain widget since 3.2.19 (CVE-2023-31047):
    # the field below must validate every file, not just the last one.
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input ("Uploading multiple files", Django docs)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single_file_clean = super().clean
        if isinstance(data, list | tuple):
            return [single_file_clean(d, initial) for d in data if d]
        return [single_file_clean(data, initial)] if data else []


class SubmissionForm(forms.Form):
    note = forms.CharField(
        label="Nội dung đã thực hiện, ghi chú",
        required=False,
        max_length=text_limits.LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    attachments = MultipleFileField(
        label="Tệp đính kèm",
        required=False,
        help_text=(
            "PDF, Excel (.xlsx, .xls), Word (.docx, .doc) hoặc ảnh (.png, .jpg); "
            f"tối đa 10 MB mỗi tệp, {MAX_FILES} tệp mỗi lần nộp."
        ),
        error_messages={
            "empty": "Tệp rỗng (0 byte).",
            "invalid": "Không đọc được tệp gửi lên, hãy chọn lại tệp.",
        },
        widget=MultipleFileInput(attrs={"accept": ",".join(KINDS)}),
    )

    def __init__(self, *args: Any, has_figures: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.has_figures = has_figures

    def clean_note(self) -> str:
        return nfc(self.cleaned_data["note"])

    def clean_attachments(self) -> list[CheckedFile]:
        files = self.cleaned_data["attachments"]
        if len(files) > MAX_FILES:
            raise ValidationError(
                f"Mỗi lần nộp đính kèm tối đa {MAX_FILES} tệp (đã chọn {len(files)})."
            )
        checked: list[CheckedFile] = []
        errors: list[str] = []
        for upload in files:
            try:
                checked.append(check_upload(upload))
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return checked

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors or self.has_figures:
            return cleaned
        if not cleaned.get("note") and not cleaned.get("attachments"):
            raise ValidationError(
                "Ghi nội dung đã thực hiện hoặc đính kèm ít nhất một tệp."
            )
        return cleaned


class FigureForm(forms.Form):
    """A target's figure: pre-filled with the live value; changing it needs a reason."""

    reported_ok = CountField(label="Số đạt", min_value=0)
    reported_total = CountField(label="Tổng số", min_value=0)
    reason = forms.CharField(
        label="Lý do khác số liệu sổ hộ",
        max_length=300,
        required=False,
        help_text="Bắt buộc khi sửa số liệu so với sổ hộ.",
    )

    def __init__(
        self,
        *args: Any,
        target: ServiceTarget,
        live: Measurement,
        report: str = "",
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("prefix", f"chi-tieu-{target.pk}")
        kwargs["initial"] = {"reported_ok": live.ok, "reported_total": live.total}
        super().__init__(*args, **kwargs)
        self.target = target
        self.live = live
        # The report attached to the submission: its figures are the submission's.
        self.report = report
        self.fields["reported_ok"].label = f"Số {target.unit} đạt"
        self.fields["reported_total"].label = f"Tổng số {target.unit}"

    def clean_reason(self) -> str:
        return nfc(self.cleaned_data["reason"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        ok, total = cleaned.get("reported_ok"), cleaned.get("reported_total")
        if ok is None or total is None:
            return cleaned
        if ok > total:
            self.add_error("reported_ok", "Số đạt không được lớn hơn tổng số.")
        elif self.report and (ok, total) != (self.live.ok, self.live.total):
            self.add_error(
                None,
                f"{self.report} ghi {self.live.ok}/{self.live.total} "
                f"{self.target.unit}: số liệu nộp phải đúng số liệu báo cáo đính "
                "kèm. Muốn báo cáo số khác, bỏ chọn “Đính kèm báo cáo” (và ghi lý "
                "do) hoặc ban hành báo cáo mới.",
            )
        elif (ok, total) != (self.live.ok, self.live.total) and not cleaned.get(
            "reason"
        ):
            self.add_error(
                "reason",
                f"Số liệu khác số liệu sổ hộ ({self.live.ok}/{self.live.total} "
                f"{self.target.unit}): ghi lý do.",
            )
        return cleaned

    def figure(self) -> ReportedFigure:
        return ReportedFigure(
            service_target=self.target,
            live_ok=self.live.ok,
            live_total=self.live.total,
            reported_ok=self.cleaned_data["reported_ok"],
            reported_total=self.cleaned_data["reported_total"],
            reason=self.cleaned_data["reason"],
        )


def figure_forms(
    task: Task,
    data: Any = None,
    *,
    on: date | None = None,
    frozen: Mapping[str, tuple[int, int]] | None = None,
    report: str = "",
) -> list[FigureForm]:
    """One form per service target the task reports on, with its reference value:
    the figures of the issued report attached (`frozen`, by target code), or else
    the commune's register read on `on` (default: today). With `report` (the
    attached report, named), a figure other than the reference is refused.

    The reference is computed again on every request: the register or the issued
    report, never a number sent back by the browser.
    """
    households = Household.objects.filter(commune_id=task.commune_id)
    result: list[FigureForm] = []
    for target in task.service_targets.all():
        if frozen is not None and target.code in frozen:
            ok, total = frozen[target.code]
            live = Measurement(ok, total, target.comparator, target.threshold)
        else:
            live = service_progress(target, households, [], on=on).commune
        result.append(FigureForm(data, target=target, live=live, report=report))
    return result


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Kết quả",
        choices=[
            (Decision.APPROVED, "Duyệt"),
            (Decision.RETURNED, "Trả lại để sửa, bổ sung"),
        ],
        error_messages={"required": "Chọn duyệt hoặc trả lại."},
    )
    comment = forms.CharField(
        label="Ý kiến",
        required=False,
        max_length=text_limits.NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Bắt buộc khi trả lại: ghi rõ cần sửa, bổ sung những gì.",
    )

    def clean_comment(self) -> str:
        return nfc(self.cleaned_data["comment"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("decision") == Decision.RETURNED and not cleaned.get("comment"):
            self.add_error(
                "comment", "Trả lại phải ghi ý kiến: cần sửa, bổ sung những gì."
            )
        return cleaned


class BoardFilter(django_filters.FilterSet):
    unit = django_filters.ModelChoiceFilter(
        queryset=Unit.objects.none(), label="Đơn vị", empty_label="Tất cả"
    )
    status = django_filters.ChoiceFilter(
        choices=TaskStatus.choices, label="Tình trạng", empty_label="Tất cả"
    )
    year = django_filters.ChoiceFilter(
        choices=[], label="Năm", empty_label="Tất cả", method="filter_year"
    )
    due_from = django_filters.DateFilter(
        label="Ngày cuối từ", method="filter_due_from", widget=DateInput()
    )
    due_to = django_filters.DateFilter(
        label="đến ngày", method="filter_due_to", widget=DateInput()
    )
    overdue = django_filters.BooleanFilter(
        label="Chỉ việc quá hạn",
        method="filter_overdue",
        widget=forms.CheckboxInput(),
    )

    class Meta:
        model = Task
        fields = ["unit", "status", "year", "due_from", "due_to", "overdue"]

    def __init__(
        self,
        *args: Any,
        units: QuerySet[Unit],
        years: list[int],
        today: date,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.filters["unit"].queryset = units
        self.filters["year"].extra["choices"] = [(str(y), str(y)) for y in years]

    def filter_year(self, queryset: TaskQuerySet, name: str, value: str) -> Any:
        return queryset.filter(year=int(value))

    # The range reads on the last on-time day (the day before "trước …").
    def filter_due_from(self, queryset: TaskQuerySet, name: str, value: date) -> Any:
        return queryset.filter(due_before__gte=value + timedelta(days=1))

    def filter_due_to(self, queryset: TaskQuerySet, name: str, value: date) -> Any:
        return queryset.filter(due_before__lte=value + timedelta(days=1))

    def filter_overdue(self, queryset: TaskQuerySet, name: str, value: bool) -> Any:
        return queryset.overdue(self.today) if value else queryset
