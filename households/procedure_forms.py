"""Forms of the review procedure: requests and their answers, the village meeting
with its votes, the posting, complaints (QĐ 24/2021/QĐ-TTg Điều 4, 5)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from households import text_limits
from households.forms import DateInput
from households.identity_text import clean_name, normalise_code
from households.models import (
    Complaint,
    Household,
    HouseholdQuerySet,
    Posting,
    RegularDecision,
    Review,
    ReviewRequest,
    VillageMeeting,
)
from households.procedure import meeting_agrees

REFUSE = "refuse"


class ReviewRequestForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = ReviewRequest
        fields = ["kind", "received_on", "channel", "note"]
        widgets = {"received_on": DateInput()}
        error_messages = {
            "received_on": {"required": "Ghi ngày nhận giấy đề nghị."},
        }


class RequestAnswerForm(forms.Form):
    """Answer a request: by one of the household's reviews, or a written refusal."""

    request_id = forms.IntegerField(widget=forms.HiddenInput)
    answer = forms.ChoiceField(label="Trả lời")
    refused_on = forms.DateField(
        label="Ngày trả lời từ chối", required=False, widget=DateInput()
    )
    refusal_reason = forms.CharField(
        label="Lý do từ chối",
        max_length=text_limits.REASON,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, household: Household, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        reviews = household.reviews.order_by("-review_date", "-id")
        self.reviews = {str(r.pk): r for r in reviews}
        self.fields["answer"].choices = [
            ("", "— Chọn —"),
            *[(pk, f"Bằng phiếu {r}") for pk, r in self.reviews.items()],
            (REFUSE, "Từ chối (trả lời bằng văn bản, nêu lý do)"),
        ]

    def answered(self, request: ReviewRequest) -> ReviewRequest:
        """The request with the answer set; raises ValidationError per field."""
        data = self.cleaned_data
        if data["answer"] == REFUSE:
            request.review = None
            request.refused_on = data["refused_on"]
            request.refusal_reason = data["refusal_reason"]
        else:
            request.review = self.reviews[data["answer"]]
            request.refused_on = None
            request.refusal_reason = ""
        request.full_clean()
        return request


class MeetingForm(forms.ModelForm):  # type: ignore[type-arg]
    """The meeting and, for each household reviewed in the village, the number of
    attendees who agree with its result. Correcting a recorded meeting, a household
    reviewed after it may be left blank (no vote of that meeting)."""

    class Meta:
        model = VillageMeeting
        fields = ["held_on", "chaired_by", "secretary", "attendees", "note"]
        widgets = {
            "held_on": DateInput(),
            "note": forms.Textarea(attrs={"rows": 2}),
        }
        error_messages = {
            "held_on": {"required": "Ghi ngày họp."},
            "chaired_by": {"required": "Ghi người chủ trì cuộc họp."},
            "attendees": {"required": "Ghi số người dự họp."},
        }

    def __init__(
        self, *args: Any, reviewed: list[tuple[Household, Review]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.reviewed = reviewed
        recorded = (
            {v.household_id: v.agreeing for v in self.instance.votes.all()}
            if self.instance.pk
            else None
        )
        for household, review in reviewed:
            self.fields[f"agree_{household.pk}"] = forms.IntegerField(
                label=f"{household.code} — {household.head_name} "
                f"({review.get_status_display().lower()})",
                min_value=0,
                required=recorded is None or household.pk in recorded,
                initial=None if recorded is None else recorded.get(household.pk),
                error_messages={
                    "required": "Ghi số người đồng ý.",
                    "min_value": "Số người đồng ý không được âm.",
                },
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            )

    def vote_fields(self) -> list[forms.BoundField]:
        return [self[f"agree_{h.pk}"] for h, _ in self.reviewed]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        attendees = cleaned.get("attendees")
        if attendees:
            for household, _ in self.reviewed:
                name = f"agree_{household.pk}"
                agreeing = cleaned.get(name)
                if agreeing is not None and agreeing > attendees:
                    self.add_error(
                        name,
                        f"Số người đồng ý ({agreeing}) không được lớn hơn số người "
                        f"dự họp ({attendees}).",
                    )
        return cleaned

    def votes(self) -> dict[Household, int]:
        return {
            h: self.cleaned_data[f"agree_{h.pk}"]
            for h, _ in self.reviewed
            if self.cleaned_data.get(f"agree_{h.pk}") is not None
        }

    def failing(self) -> list[Household]:
        attendees = self.cleaned_data["attendees"]
        return [h for h, n in self.votes().items() if not meeting_agrees(attendees, n)]


class PostingForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Posting
        fields = ["posted_from", "posted_until", "place"]
        widgets = {"posted_from": DateInput(), "posted_until": DateInput()}
        error_messages = {
            "posted_from": {"required": "Ghi ngày bắt đầu niêm yết."},
            "posted_until": {"required": "Ghi ngày kết thúc niêm yết."},
            "place": {"required": "Ghi nơi niêm yết."},
        }


class ComplaintForm(forms.ModelForm):  # type: ignore[type-arg]
    household_code = forms.CharField(
        label="Mã hộ bị khiếu nại (nếu có)", max_length=20, required=False
    )

    class Meta:
        model = Complaint
        fields = ["received_on", "complainant", "content"]
        widgets = {
            "received_on": DateInput(),
            "content": forms.Textarea(attrs={"rows": 2}),
        }
        error_messages = {
            "received_on": {"required": "Ghi ngày nhận khiếu nại."},
            "complainant": {"required": "Ghi người khiếu nại."},
            "content": {"required": "Ghi nội dung khiếu nại."},
        }

    def __init__(self, *args: Any, households: HouseholdQuerySet, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.households = households
        if self.instance.household_id is not None:
            self.fields["household_code"].initial = self.instance.household.code

    def clean_household_code(self) -> Household | None:
        code = normalise_code(self.cleaned_data["household_code"]).upper()
        if not code:
            return None
        household = self.households.filter(code=code).first()
        if household is None:
            raise ValidationError(f"Không có hộ mã {code} trong thôn này.")
        return household


class ComplaintAnswerForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Complaint
        fields = ["answered_on", "answer", "outcome"]
        widgets = {
            "answered_on": DateInput(),
            "answer": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("answered_on", "answer", "outcome"):
            self.fields[name].required = True
        self.fields["answered_on"].error_messages["required"] = "Ghi ngày trả lời."
        self.fields["answer"].error_messages["required"] = "Ghi nội dung trả lời."
        self.fields["outcome"].error_messages["required"] = "Chọn kết quả giải quyết."


class RegularDecisionForm(forms.ModelForm):  # type: ignore[type-arg]
    """The chairman's decision on the month's regular reviews (QĐ 24/2021 Điều 5):
    its number, date and signer, and the reviews it recognises."""

    reviews = forms.ModelMultipleChoiceField(
        label="Các phiếu rà soát thường xuyên được công nhận",
        queryset=Review.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Chọn ít nhất một phiếu rà soát thường xuyên để công nhận.",
            "invalid_choice": "Phiếu rà soát đã chọn không còn chờ công nhận.",
            "invalid_pk_value": "Phiếu rà soát đã chọn không hợp lệ.",
        },
    )

    class Meta:
        model = RegularDecision
        fields = ["number", "signed_on", "signer_name"]
        widgets = {"signed_on": DateInput()}
        error_messages = {
            "number": {"required": "Ghi số, ký hiệu quyết định (ví dụ 45/QĐ-UBND)."},
            "signed_on": {"required": "Ghi ngày Chủ tịch UBND xã ký quyết định."},
            "signer_name": {"required": "Ghi họ tên Chủ tịch UBND xã ký quyết định."},
        }

    def __init__(self, *args: Any, awaiting: QuerySet[Review], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        reviews = self.fields["reviews"]
        assert isinstance(reviews, forms.ModelMultipleChoiceField)
        reviews.queryset = awaiting
        reviews.label_from_instance = lambda r: (  # type: ignore[method-assign]
            f"{r.household.code} {r.household.head_name} ({r.household.village}) — "
            f"rà soát ngày {r.review_date:%d/%m/%Y}: {r.get_status_display()}"
        )

    def clean_signer_name(self) -> str:
        return clean_name(self.cleaned_data["signer_name"])

    def clean_number(self) -> str:
        # "45/qđ-ubnd " is the number the officer meant: one spelling is kept.
        return "".join(self.cleaned_data["number"].split()).upper()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        signed_on = cleaned.get("signed_on")
        chosen = cleaned.get("reviews")
        if signed_on is not None and chosen:
            later = [r for r in chosen if r.review_date > signed_on]
            if later:
                self.add_error(
                    "reviews",
                    "Quyết định không công nhận được phiếu rà soát ghi sau ngày ký "
                    f"({signed_on:%d/%m/%Y}): "
                    + ", ".join(
                        f"hộ {r.household.code} (ngày {r.review_date:%d/%m/%Y})"
                        for r in later
                    )
                    + ".",
                )
        return cleaned


class ComplaintEditForm(ComplaintForm):
    """Correct a complaint: what was received and, once answered, the answer. The
    answer's three fields go together (`Complaint.clean`)."""

    class Meta(ComplaintForm.Meta):
        fields = [
            "received_on",
            "complainant",
            "content",
            "answered_on",
            "answer",
            "outcome",
        ]
        widgets = {
            **ComplaintForm.Meta.widgets,
            "answered_on": DateInput(),
            "answer": forms.Textarea(attrs={"rows": 2}),
        }
