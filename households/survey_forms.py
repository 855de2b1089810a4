"""Forms of the survey pages: Phiếu A and the upload of a Phiếu B1 points file."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from households import clock, poverty, quick_screen
from households.forms import DateInput
from households.identity_text import clean_name
from households.models import Household, ReviewRound
from households.surveys import QuickScreen

PREFIX = "a__"
MAX_POINTS_FILE = 5 * 1024 * 1024


class QuickScreenForm(forms.ModelForm[QuickScreen]):
    """Phiếu A as the survey team filled it: a tick for every "có"."""

    class Meta:
        model = QuickScreen
        fields = ["screen_date", "screener_name", "note"]
        widgets = {
            "screen_date": DateInput(),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(
        self,
        *args: Any,
        household: Household,
        review_round: ReviewRound | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.household = household
        self.round = review_round
        self.instance.household = household
        # The date typed picks the standard, hence the question list; a date no
        # standard covers (refused by clean_screen_date) keeps today's questions so
        # that the answers are shown back.
        self.questions = None
        for on in (self._typed_date(), clock.today()):
            try:
                standard = poverty.standard_in_force(on) if on else None
            except ValueError:
                continue
            if standard is not None:
                self.questions = quick_screen.list_for(standard.code)
                break
        for question in self.questions.questions if self.questions else ():
            self.fields[PREFIX + question.code] = forms.BooleanField(
                label=question.text, required=False
            )

    def _typed_date(self) -> date | None:
        if not self.is_bound:
            return None
        try:
            typed = self.fields["screen_date"].clean(
                self.data.get(self.add_prefix("screen_date"))
            )
        except ValidationError:
            return None
        return typed if isinstance(typed, date) else None

    def groups(self) -> list[tuple[quick_screen.Group, list[forms.BoundField]]]:
        if self.questions is None:
            return []
        return [
            (group, [self[PREFIX + q.code] for q in group.questions])
            for group in self.questions.groups
        ]

    def clean_screener_name(self) -> str:
        return clean_name(self.cleaned_data["screener_name"])

    def clean_screen_date(self) -> date:
        day: date = self.cleaned_data["screen_date"]
        if day > clock.today():
            raise ValidationError("Ngày rà soát nhanh không được ở tương lai.")
        try:
            poverty.standard_in_force(day)
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc
        if self.round is not None and not (
            self.round.opened_on <= day <= date(self.round.year, 12, 31)
        ):
            raise ValidationError(
                f"Phiếu A của {str(self.round).lower()} phải ghi ngày từ "
                f"{self.round.opened_on:%d/%m/%Y} đến 31/12/{self.round.year}."
            )
        return day

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.questions is None:
            raise ValidationError(
                "Chưa có bộ câu hỏi Phiếu A cho chuẩn nghèo áp dụng vào ngày này."
            )
        self.instance.questions_code = self.questions.code
        self.instance.answers = [
            q.code for q in self.questions.questions if cleaned.get(PREFIX + q.code)
        ]
        day = cleaned.get("screen_date")
        if self.round is not None:
            self.instance.round = self.round
        elif day is not None:
            # A screen dated in the commune's open round belongs to it.
            self.instance.round = ReviewRound.objects.filter(
                commune_id=self.household.commune_id,
                year=day.year,
                closed_on__isnull=True,
                opened_on__lte=day,
            ).first()
        return cleaned


class PointsFileForm(forms.Form):
    file = forms.FileField(
        label="Tệp bảng điểm (.xlsx)",
        error_messages={
            "required": "Chọn tệp Excel bảng điểm Phiếu B1 để nạp.",
            "empty": "Tệp rỗng.",
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise ValidationError("Chỉ nhận tệp Excel .xlsx (theo tệp mẫu).")
        if upload.size > MAX_POINTS_FILE:
            raise ValidationError("Tệp quá lớn: bảng điểm không quá 5 MB.")
        return upload
