"""Forms of the village plans, made for a village head's phone: checkboxes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from households import text_limits
from households.forms import nfc
from households.identity_text import clean_name
from households.models import PovertyCause, Village
from households.number_fields import MoneyField
from tasks.models import HouseholdPlan, SupportLine, VillagePlan

# The village branches of the mass organisations and the Front (§III.2.10, §IV.2)
# that §III.2.11 asks to assign to each poor household.
HELPER_GROUPS = (
    "Chi hội Phụ nữ",
    "Chi hội Nông dân",
    "Chi hội Cựu chiến binh",
    "Chi đoàn Thanh niên",
    "Ban công tác Mặt trận thôn",
)
HELPER_SEPARATOR = "; "


class HouseholdPlanForm(forms.ModelForm[HouseholdPlan]):
    """One poor household: causes, solutions, resources, helper, expected escape.

    Nothing is required to save (the head fills it in over several visits); what the
    plan needs before it is submitted is checked by `plan_actions.missing_parts`.
    """

    causes = forms.MultipleChoiceField(
        label="Nguyên nhân nghèo",
        choices=PovertyCause.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Chọn một hoặc nhiều nguyên nhân.",
    )
    solutions = forms.MultipleChoiceField(
        label="Giải pháp hỗ trợ",
        choices=SupportLine.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    resource_amount = MoneyField(
        label="Số tiền dự kiến hỗ trợ (đồng)", min_value=0, required=False
    )
    helper_groups = forms.MultipleChoiceField(
        label="Chi hội giúp đỡ",
        choices=[(name, name) for name in HELPER_GROUPS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    helper_person = forms.CharField(
        label="Cá nhân giúp đỡ (họ và tên)",
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "Ví dụ: Bùi Văn Thắng"}),
    )

    class Meta:
        model = HouseholdPlan
        fields = [
            "causes",
            "solutions",
            "solution_note",
            "resource_amount",
            "resource_in_kind",
            "resource_source",
            "expected_escape",
        ]
        labels = {
            "solution_note": "Phương án cụ thể, giải pháp khác",
            "resource_in_kind": "Hỗ trợ bằng hiện vật",
            "resource_source": "Nguồn hỗ trợ",
        }
        widgets = {
            "solution_note": forms.Textarea(
                attrs={
                    "rows": 3,
                    "placeholder": "Ví dụ: nuôi 2 con bò sinh sản, vay 50 triệu đồng",
                }
            ),
            "resource_in_kind": forms.TextInput(
                attrs={"placeholder": "Ví dụ: 2 con bò giống, 500 cây keo"}
            ),
            "resource_source": forms.TextInput(
                attrs={"placeholder": "Ví dụ: NHCSXH, Quỹ Vì người nghèo"}
            ),
        }

    def __init__(self, *args: Any, year: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["expected_escape"].label = f"Dự kiến thoát nghèo trong năm {year}"
        parts = [p for p in self.instance.helper.split(HELPER_SEPARATOR) if p.strip()]
        self.initial.setdefault(
            "helper_groups", [p for p in parts if p in HELPER_GROUPS]
        )
        self.initial.setdefault(
            "helper_person",
            HELPER_SEPARATOR.join(p for p in parts if p not in HELPER_GROUPS),
        )

    def clean_solution_note(self) -> str:
        return nfc(self.cleaned_data["solution_note"])

    def clean_resource_in_kind(self) -> str:
        return nfc(self.cleaned_data["resource_in_kind"])

    def clean_resource_source(self) -> str:
        return nfc(self.cleaned_data["resource_source"])

    def clean_helper_person(self) -> str:
        return " ".join(clean_name(self.cleaned_data["helper_person"]).split())

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        groups = cleaned.get("helper_groups") or []
        person = cleaned.get("helper_person") or ""
        helper = HELPER_SEPARATOR.join([*groups, *([person] if person else [])])
        max_length = HouseholdPlan._meta.get_field("helper").max_length or 150
        if len(helper) > max_length:
            self.add_error(
                "helper_person",
                f"Phần người giúp đỡ dài quá {max_length} ký tự: ghi ngắn gọn hơn.",
            )
        self.instance.helper = helper
        return cleaned


class PlanSummaryForm(forms.ModelForm[VillagePlan]):
    class Meta:
        model = VillagePlan
        fields = ["summary"]
        labels = {"summary": "Nội dung chung của kế hoạch"}
        widgets = {"summary": forms.Textarea(attrs={"rows": 8})}
        help_texts = {
            "summary": "Mục tiêu của thôn, cách tuyên truyền, vận động Quỹ Vì người "
            "nghèo, kiểm tra việc sử dụng vốn vay… (không bắt buộc)."
        }

    def clean_summary(self) -> str:
        return nfc(self.cleaned_data["summary"])


class NewPlanForm(forms.Form):
    """Open a village's plan for the year ("Lập kế hoạch")."""

    village = forms.ModelChoiceField(
        label="Thôn, làng", queryset=Village.objects.none(), empty_label=None
    )

    def __init__(self, *args: Any, villages: QuerySet[Village], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages  # type: ignore[attr-defined]


class DecisionForm(forms.Form):
    APPROVE = "approve"
    RETURN = "return"

    decision = forms.ChoiceField(
        choices=[(APPROVE, "Duyệt kế hoạch"), (RETURN, "Trả lại cho thôn")]
    )
    comment = forms.CharField(
        label="Ý kiến của công chức LĐ-TB&XH",
        max_length=text_limits.NOTE,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Bắt buộc khi trả lại: ghi rõ thôn cần sửa gì.",
    )

    def clean_comment(self) -> str:
        return nfc(self.cleaned_data["comment"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("decision") == self.RETURN and not cleaned.get("comment"):
            raise ValidationError(
                "Trả lại kế hoạch phải ghi ý kiến để thôn biết cần sửa gì."
            )
        return cleaned


class ReopenForm(forms.Form):
    comment = forms.CharField(
        label="Lý do mở lại, nội dung cần sửa",
        max_length=text_limits.REASON,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Mở lại kế hoạch phải ghi lý do, nội dung cần sửa."
        },
    )

    def clean_comment(self) -> str:
        comment = nfc(self.cleaned_data["comment"])
        if not comment:
            raise ValidationError("Mở lại kế hoạch phải ghi lý do, nội dung cần sửa.")
        return comment
