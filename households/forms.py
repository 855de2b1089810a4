"""Forms of the register: households with their members, reviews, archiving, filters."""

from __future__ import annotations

import unicodedata
from datetime import date
from typing import TYPE_CHECKING, Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Max, QuerySet
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.urls import reverse

from households import clock
from households.indicators import DerivedIndicator
from households.models import (
    Commune,
    Employment,
    Ethnicity,
    Household,
    HouseholdQuerySet,
    MediumLivingDetermination,
    Member,
    Relationship,
    Review,
    ReviewKind,
    ReviewRound,
    Village,
)
from households.number_fields import DecimalCommaField, MoneyField
from households.poverty import INDICATORS, PovertyStatus

if TYPE_CHECKING:
    from giamngheo.models import User

NO_REVIEW = "none"


def nfc(value: str) -> str:
    """Text from Excel or macOS may arrive decomposed (NFD); store it composed."""
    return unicodedata.normalize("NFC", value).strip()


def villages_for(user: User) -> QuerySet[Village]:
    villages = Village.objects.all()
    if user.is_superuser:
        return villages
    if user.is_village_head:
        return villages.filter(pk=user.village_id)
    return villages.filter(commune_id=user.commune_id)


class DateInput(forms.DateInput):
    """A text date in dd/mm/yyyy: the format people write, on every phone."""

    def __init__(self, **kwargs: Any) -> None:
        attrs = {
            "placeholder": "dd/mm/yyyy",
            "inputmode": "numeric",
            "autocomplete": "off",
        }
        super().__init__(format="%d/%m/%Y", attrs=attrs | kwargs.pop("attrs", {}))


class SchoolAttendanceSelect(forms.NullBooleanSelect):
    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.choices = [
            ("unknown", "Không áp dụng (không phải trẻ 3–15 tuổi)"),
            ("true", "Có đi học"),
            ("false", "Không đi học"),
        ]


class HouseholdForm(forms.ModelForm[Household]):
    class Meta:
        model = Household
        fields = [
            "code",
            "village",
            "address",
            "ethnicity",
            "registered_on",
            "has_meritorious_person",
            "no_labour_capacity",
            "farm_livelihood",
        ]
        widgets = {"registered_on": DateInput()}

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        village_field = self.fields["village"]
        assert isinstance(village_field, forms.ModelChoiceField)
        village_field.queryset = villages_for(user)
        village_field.empty_label = "— Chọn thôn, làng —"
        if self.instance.pk is None:
            # Choosing the village asks the server for its next free code (htmx).
            village_field.widget.attrs.update(
                {
                    "hx-get": reverse("households:code_suggestion"),
                    "hx-target": "#code-field",
                    "hx-swap": "outerHTML",
                    "hx-include": "#code-field",
                    "hx-trigger": "change",
                }
            )

    def clean_code(self) -> str:
        code = nfc(self.cleaned_data["code"]).upper()
        if not code:
            raise ValidationError("Nhập mã hộ.")
        return code

    def clean_address(self) -> str:
        return nfc(self.cleaned_data["address"])

    def clean_registered_on(self) -> Any:
        registered_on = self.cleaned_data["registered_on"]
        if registered_on > clock.today():
            raise ValidationError("Ngày vào sổ hộ không được ở tương lai.")
        return registered_on

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        village = cleaned.get("village")
        code = cleaned.get("code")
        if village and code:
            clash = Household.objects.filter(commune_id=village.commune_id, code=code)
            if self.instance.pk:
                clash = clash.exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error("code", f"Mã hộ {code} đã có trong xã. Chọn mã khác.")
        return cleaned

    def save(self, commit: bool = True) -> Household:
        household = super().save(commit=False)
        household.commune_id = household.village.commune_id
        if commit:
            household.save()
        return household


class MemberForm(forms.ModelForm[Member]):
    class Meta:
        model = Member
        fields = [
            "full_name",
            "relationship",
            "sex",
            "birth_year",
            "birth_date",
            "ethnicity",
            "id_number",
            "has_health_insurance",
            "health_insurance_number",
            "health_insurance_expiry",
            "attends_school",
            "education_level",
            "employment",
            "has_disability",
            "receives_social_allowance",
            "malnourished",
        ]
        widgets = {
            "birth_date": DateInput(),
            "health_insurance_expiry": DateInput(),
            "attends_school": SchoolAttendanceSelect(),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            # A new member's work is asked, never assumed: the model's default
            # ("Tự làm") would make a baby self-employed.
            employment = self.fields["employment"]
            assert isinstance(employment, forms.ChoiceField)
            employment.choices = [("", "— Chọn việc làm —"), *Employment.choices]
            employment.error_messages["required"] = (
                "Chọn việc làm của nhân khẩu (trẻ nhỏ: “Trẻ em (chưa đến tuổi lao "
                "động)”; học sinh: “Đang đi học”)."
            )
            self.initial["employment"] = (kwargs.get("initial") or {}).get(
                "employment", ""
            )

    def validate_constraints(self) -> None:
        # one_head_per_household is checked on the whole list by BaseMemberFormSet.
        return

    def clean_full_name(self) -> str:
        name = nfc(self.cleaned_data["full_name"])
        if len(name.split()) < 2:
            raise ValidationError("Ghi đầy đủ họ và tên, ví dụ: Bùi Văn Hùng.")
        return " ".join(name.split())

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        birth_date = cleaned.get("birth_date")
        if birth_date and not cleaned.get("birth_year"):
            cleaned["birth_year"] = birth_date.year
            self.instance.birth_year = birth_date.year
            self.errors.pop("birth_year", None)
        return cleaned


class BaseMemberFormSet(BaseInlineFormSet[Member, Household, MemberForm]):
    default_error_messages = {
        "too_few_forms": "Hộ phải có ít nhất một nhân khẩu.",
        "too_many_forms": "Một hộ ghi được nhiều nhất %(num)d nhân khẩu.",
    }

    def save(self, commit: bool = True) -> list[Member]:
        if commit:
            # The database holds one head at a time: when the head changes (the head
            # died, moved away…), step the old head down before the new one is saved.
            stepping_down = [
                form.instance.pk
                for form in self.initial_forms
                if form.instance.pk
                and form.initial.get("relationship") == Relationship.HEAD
                and (
                    form in self.deleted_forms
                    or form.cleaned_data.get("relationship") != Relationship.HEAD
                )
            ]
            Member.objects.filter(pk__in=stepping_down).update(
                relationship=Relationship.OTHER
            )
        return super().save(commit)

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        kept = [
            form
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE", False)
        ]
        if not kept:
            raise ValidationError("Hộ phải có ít nhất một nhân khẩu.")
        heads = [
            f for f in kept if f.cleaned_data.get("relationship") == Relationship.HEAD
        ]
        if len(heads) != 1:
            raise ValidationError(
                f"Mỗi hộ có đúng một chủ hộ (đang có {len(heads)}). "
                "Chọn “Chủ hộ” ở cột quan hệ cho đúng một người."
            )


MemberFormSet = inlineformset_factory(
    Household,
    Member,
    form=MemberForm,
    formset=BaseMemberFormSet,
    extra=0,
    can_delete=True,
    min_num=1,
    validate_min=True,
    max_num=30,
    validate_max=True,
)


class ReviewForm(forms.ModelForm[Review]):
    """A review. Indicators that follow from the members are pre-filled and explained;
    changing one away from the computed value needs a note saying why."""

    class Meta:
        model = Review
        fields = [
            "review_date",
            "kind",
            "reviewer_name",
            "income_per_person_month",
            "floor_area_m2",
            *[i.slug for i in INDICATORS],
            "note",
        ]
        widgets = {
            "review_date": DateInput(),
            "note": forms.Textarea(attrs={"rows": 2}),
        }
        field_classes = {
            "income_per_person_month": MoneyField,
            "floor_area_m2": DecimalCommaField,
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
        self.instance.round = review_round
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        if review_round is not None:
            kind.disabled = True
            kind.initial = ReviewKind.PERIODIC
            self.initial["kind"] = ReviewKind.PERIODIC
        else:
            # Outside a round the form asks which kind of review it is, instead of
            # taking the model's default: QĐ 24/2021 Điều 4 (định kỳ) or Điều 5
            # (thường xuyên) decide how the result counts.
            kind.choices = [("", "— Chọn loại rà soát —"), *ReviewKind.choices]
            kind.error_messages["required"] = (
                "Chọn loại rà soát: định kỳ hằng năm (trong đợt rà soát của xã) hay "
                "thường xuyên (hộ đề nghị, hộ có biến động)."
            )
            if not self.instance.pk:
                self.initial["kind"] = (kwargs.get("initial") or {}).get("kind", "")
                # Not the model's default (định kỳ) while nobody has chosen: the
                # recognised-round check must not refuse a kind the officer never
                # picked (the preview runs before the kind is chosen).
                self.instance.kind = ""
        self.fields["income_per_person_month"].error_messages["min_value"] = (
            "Thu nhập không được âm."
        )

    def clean_reviewer_name(self) -> str:
        return nfc(self.cleaned_data["reviewer_name"])

    def clean_review_date(self) -> Any:
        review_date = self.cleaned_data["review_date"]
        if review_date > clock.today():
            raise ValidationError("Ngày rà soát không được ở tương lai.")
        if self.round is not None and not (
            self.round.opened_on <= review_date <= date(self.round.year, 12, 31)
        ):
            raise ValidationError(
                f"Phiếu của {str(self.round).lower()} phải ghi ngày từ "
                f"{self.round.opened_on:%d/%m/%Y} đến 31/12/{self.round.year}."
            )
        return review_date

    def derived(self) -> dict[str, DerivedIndicator]:
        """Indicators computed from the member list, for the date and area entered."""
        from households.indicators import derive_indicators

        data = getattr(self, "cleaned_data", None) or {}
        review_date = data.get("review_date") or clock.today()
        floor_area = data.get("floor_area_m2", self.initial.get("floor_area_m2"))
        return derive_indicators(
            self.household.member_facts(), floor_area_m2=floor_area, on=review_date
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        overridden = [
            self.fields[slug].label
            for slug, derived in self.derived().items()
            if bool(cleaned.get(slug)) != derived.deprived
        ]
        if overridden and not cleaned.get("note", "").strip():
            self.add_error(
                "note",
                "Ghi lý do vì sao kết quả khác với số liệu nhân khẩu ở các chỉ số: "
                + ", ".join(str(label) for label in overridden)
                + ".",
            )
        cleaned["household_size"] = len(self.household.member_facts())
        self._join_open_round(cleaned)
        return cleaned

    def _join_open_round(self, cleaned: dict[str, Any]) -> None:
        """A periodic review dated in the commune's open round belongs to it, so the
        round's page counts it whichever page it was entered from."""
        review_date = cleaned.get("review_date")
        if self.round is not None or review_date is None:
            return
        if cleaned.get("kind") != ReviewKind.PERIODIC:
            return
        open_round = ReviewRound.objects.filter(
            commune_id=self.household.commune_id,
            year=review_date.year,
            closed_on__isnull=True,
            opened_on__lte=review_date,
        ).first()
        self.instance.round = open_round


class ArchiveForm(forms.ModelForm[Household]):
    class Meta:
        model = Household
        fields = ["archived_on", "archive_reason", "archive_note"]
        widgets = {"archived_on": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["archived_on"].required = True
        self.fields["archive_reason"].required = True
        self.fields["archived_on"].initial = clock.today()

    def clean_archived_on(self) -> Any:
        archived_on = self.cleaned_data["archived_on"]
        if archived_on > clock.today():
            raise ValidationError("Ngày lưu trữ không được ở tương lai.")
        return archived_on


class HouseholdFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label="Tìm theo tên hoặc mã hộ")
    village = django_filters.ModelChoiceFilter(
        queryset=Village.objects.none(), label="Thôn, làng", empty_label="Tất cả"
    )
    status = django_filters.ChoiceFilter(
        choices=[*PovertyStatus.choices, (NO_REVIEW, "Chưa rà soát")],
        method="filter_status",
        label="Phân loại hiện nay",
        empty_label="Tất cả",
    )
    ethnicity = django_filters.ChoiceFilter(
        choices=Ethnicity.choices, label="Dân tộc", empty_label="Tất cả"
    )
    flag = django_filters.ChoiceFilter(
        choices=[
            ("ethnic_minority", "Dân tộc thiểu số"),
            ("female_head", "Chủ hộ là nữ"),
            ("meritorious", "Hộ có người có công"),
            ("no_labour", "Hộ không có khả năng lao động"),
        ],
        method="filter_flag",
        label="Nhóm đối tượng",
        empty_label="Tất cả",
    )
    archived = django_filters.ChoiceFilter(
        choices=[("yes", "Chỉ hộ đã lưu trữ"), ("all", "Cả hộ đã lưu trữ")],
        method="filter_archived",
        label="Hộ đã lưu trữ",
        empty_label="Không hiện",
    )

    class Meta:
        model = Household
        fields = ["q", "village", "status", "ethnicity", "flag", "archived"]

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["village"].queryset = villages_for(user)

    @property
    def qs(self) -> HouseholdQuerySet:
        queryset = super().qs
        if not self.form.cleaned_data.get("archived"):
            queryset = queryset.active()
        return queryset

    def filter_q(self, queryset: HouseholdQuerySet, name: str, value: str) -> Any:
        return queryset.search(value)

    def filter_status(self, queryset: HouseholdQuerySet, name: str, value: str) -> Any:
        if value == NO_REVIEW:
            return queryset.filter(status__isnull=True)
        return queryset.with_status(value)

    def filter_flag(self, queryset: HouseholdQuerySet, name: str, value: str) -> Any:
        if value == "ethnic_minority":
            return queryset.ethnic_minority()
        if value == "female_head":
            return queryset.female_headed()
        if value == "meritorious":
            return queryset.filter(has_meritorious_person=True)
        return queryset.filter(no_labour_capacity=True)

    def filter_archived(
        self, queryset: HouseholdQuerySet, name: str, value: str
    ) -> Any:
        return queryset.archived() if value == "yes" else queryset


class OpenRoundForm(forms.ModelForm[ReviewRound]):
    class Meta:
        model = ReviewRound
        fields = ["year", "opened_on"]
        widgets = {"opened_on": DateInput()}

    def __init__(self, *args: Any, commune: Commune, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.commune = commune
        today = clock.today()
        self.fields["year"].initial = today.year
        self.fields["opened_on"].initial = today
        self.fields[
            "opened_on"
        ].help_text = (
            "Rà soát định kỳ hằng năm từ 01/9 đến 14/12 (Quyết định 24/2021/QĐ-TTg)."
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        year, opened_on = cleaned.get("year"), cleaned.get("opened_on")
        if year and not 2000 <= year <= 2099:
            self.add_error("year", "Năm không hợp lệ.")
            return cleaned
        if year and opened_on:
            if opened_on.year != year:
                self.add_error("opened_on", f"Ngày bắt đầu phải thuộc năm {year}.")
            elif opened_on > clock.today():
                self.add_error("opened_on", "Ngày bắt đầu không được ở tương lai.")
        if (
            year
            and ReviewRound.objects.filter(
                commune=self.instance.commune, year=year
            ).exists()
        ):
            self.add_error("year", f"Đã có đợt rà soát định kỳ năm {year}.")
        return cleaned


class CloseRoundForm(forms.Form):
    closed_on = forms.DateField(
        label="Ngày kết thúc, công nhận kết quả", widget=DateInput()
    )

    def __init__(self, *args: Any, review_round: ReviewRound, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.round = review_round
        self.fields["closed_on"].initial = min(
            clock.today(), date(review_round.year, 12, 14)
        )

    def clean_closed_on(self) -> date:
        closed_on: date = self.cleaned_data["closed_on"]
        if closed_on < self.round.opened_on:
            raise ValidationError("Ngày kết thúc không được trước ngày bắt đầu đợt.")
        if closed_on > clock.today():
            raise ValidationError("Ngày kết thúc không được ở tương lai.")
        if closed_on.year != self.round.year:
            raise ValidationError(f"Ngày kết thúc phải thuộc năm {self.round.year}.")
        last = self.round.reviews.aggregate(last=Max("review_date"))["last"]
        if last is not None and closed_on < last:
            raise ValidationError(
                f"Đợt đã có phiếu rà soát ngày {last:%d/%m/%Y}: ngày kết thúc không "
                "được trước ngày đó."
            )
        return closed_on


class ReopenRoundForm(forms.Form):
    reason = forms.CharField(
        label="Lý do mở lại đợt",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=(
            "Ví dụ: Phòng LĐ-TB&XH huyện phúc tra phát hiện sai sót ở hộ …, "
            "theo văn bản số …"
        ),
        error_messages={
            "required": "Ghi lý do mở lại đợt: kết quả đã công nhận chỉ được sửa "
            "khi có lý do rõ ràng."
        },
    )

    def clean_reason(self) -> str:
        reason = " ".join(nfc(self.cleaned_data["reason"]).split())
        if len(reason) < 10:
            raise ValidationError(
                "Ghi lý do cụ thể (ít nhất 10 ký tự): vì sao phải sửa kết quả đã "
                "công nhận."
            )
        return reason


class MediumLivingForm(forms.ModelForm[MediumLivingDetermination]):
    """A determination of a farm household's living standard (QĐ 24/2021/QĐ-TTg):
    its actual income of the 12 months before, and the chairman's decision when it
    is already known."""

    class Meta:
        model = MediumLivingDetermination
        fields = [
            "requested_on",
            "determined_on",
            "income_12_months",
            "excluded_allowances",
            "persons",
            "decision_number",
            "decision_date",
            "note",
        ]
        widgets = {
            "requested_on": DateInput(),
            "determined_on": DateInput(),
            "decision_date": DateInput(),
            "note": forms.Textarea(attrs={"rows": 2}),
        }
        field_classes = {
            "income_12_months": MoneyField,
            "excluded_allowances": MoneyField,
        }

    def __init__(self, *args: Any, household: Household, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.household = household
        self.instance.household = household
        self.fields["persons"].error_messages["min_value"] = (
            "Số nhân khẩu phải từ 1 trở lên."
        )

    def clean_decision_number(self) -> str:
        return nfc(self.cleaned_data["decision_number"])

    def clean_note(self) -> str:
        return nfc(self.cleaned_data["note"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.household.farm_livelihood:
            raise ValidationError(
                "Hộ chưa được ghi là hộ làm nông, lâm, ngư, diêm nghiệp: chỉ hộ "
                "này mới được xác định mức sống trung bình. Sửa thông tin hộ trước."
            )
        return cleaned


class RecogniseMediumLivingForm(forms.ModelForm[MediumLivingDetermination]):
    """The chairman's recognition of a determination found in the band."""

    class Meta:
        model = MediumLivingDetermination
        fields = ["decision_number", "decision_date"]
        widgets = {"decision_date": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decision_number"].required = True
        self.fields["decision_number"].error_messages["required"] = (
            "Nhập số quyết định công nhận."
        )
        self.fields["decision_date"].required = True
        self.fields["decision_date"].error_messages["required"] = (
            "Nhập ngày quyết định công nhận."
        )

    def clean_decision_number(self) -> str:
        return nfc(self.cleaned_data["decision_number"])
