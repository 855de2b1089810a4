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

from households import b1_form, clock, text_limits
from households.identity_text import clean_name, normalise_code
from households.indicators import INFORMATION_DEVICES, DerivedIndicator, DwellingFacts
from households.models import (
    Commune,
    Employment,
    Ethnicity,
    Household,
    HouseholdQuerySet,
    MediumLivingDetermination,
    Member,
    PovertyCause,
    Relationship,
    Review,
    ReviewKind,
    ReviewRound,
    Village,
)
from households.number_fields import CountField, DecimalCommaField, MoneyField
from households.poverty import INDICATORS, PovertyStatus
from households.procedure_models import DECISION_NUMBER
from households.round_procedure import closing_refusal

if TYPE_CHECKING:
    from giamngheo.models import User
    from households.points import Item
    from households.surveys import PointsTable

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
    return villages.filter(commune_id=user.scope_commune_id)


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


class FactSelect(forms.NullBooleanSelect):
    """A fact that may not have been recorded: "—", then the two answers."""

    def __init__(self, yes: str, no: str, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.choices = [("unknown", "— Chưa ghi —"), ("true", yes), ("false", no)]


NO_DEVICE = "none"
DWELLING_FIELDS = (
    "wall_durable",
    "frame_durable",
    "roof_durable",
    "water_source",
    "latrine_type",
    "uses_internet",
    "information_devices",
    "hears_loudspeaker",
)


class InformationDevicesField(forms.MultipleChoiceField):
    """The devices the household has; "Không có phương tiện nào" says none, nothing
    ticked means not recorded (None)."""

    def __init__(self) -> None:
        super().__init__(
            choices=[*INFORMATION_DEVICES, (NO_DEVICE, "Không có phương tiện nào")],
            widget=forms.CheckboxSelectMultiple,
            required=False,
            label="Phương tiện tiếp cận thông tin hộ có",
            help_text="Không đánh dấu gì: chưa ghi.",
        )

    def prepare_value(self, value: Any) -> Any:
        if value == []:
            return [NO_DEVICE]
        return value

    def clean(self, value: Any) -> list[str] | None:
        chosen = super().clean(value)
        if not chosen:
            return None
        if NO_DEVICE in chosen:
            if len(chosen) > 1:
                raise ValidationError(
                    "Đã chọn “Không có phương tiện nào” thì không chọn thêm phương "
                    "tiện khác."
                )
            return []
        return [code for code, _ in INFORMATION_DEVICES if code in chosen]


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

    def __init__(
        self,
        *args: Any,
        user: User | None,
        villages: QuerySet[Village] | None = None,
        **kwargs: Any,
    ) -> None:
        """`villages` (the register import) instead of the user's own villages."""
        super().__init__(*args, **kwargs)
        self.user = user
        village_field = self.fields["village"]
        assert isinstance(village_field, forms.ModelChoiceField)
        if villages is None:
            assert user is not None
            villages = villages_for(user)
        village_field.queryset = villages
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
        # "ＣＮ-01-０００１" is CN-01-0001: the duplicate check below then sees it.
        code = normalise_code(self.cleaned_data["code"]).upper()
        if not code:
            raise ValidationError("Nhập mã hộ.")
        return code

    def clean_address(self) -> str:
        return clean_name(self.cleaned_data["address"])

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
            "stunted",
            "underweight",
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
        name = clean_name(self.cleaned_data["full_name"])
        if len(name.split()) < 2:
            raise ValidationError("Ghi đầy đủ họ và tên, ví dụ: Bùi Văn Hùng.")
        return " ".join(name.split())

    def clean_id_number(self) -> str:
        return normalise_code(self.cleaned_data["id_number"])

    def clean_health_insurance_number(self) -> str:
        return normalise_code(self.cleaned_data["health_insurance_number"])

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
    """A review. Indicators that follow from the members and the recorded facts are
    pre-filled and explained; changing one away from the computed value needs a note
    saying why."""

    information_devices = InformationDevicesField()

    # The Phiếu B1 part (households/b1_form.py).
    b1_table: PointsTable | None
    b1_items: tuple[Item, ...]
    b1_missing_table: str
    b1_total: int | None

    # Not required: a poor or near-poor result without a cause is saved and counted
    # under "Chưa ghi nguyên nhân" in report 10, so that the classification (which
    # the law asks for) is never held back by the cause, which the village often
    # settles later; the report shows what is missing.
    poverty_causes = forms.MultipleChoiceField(
        label="Nguyên nhân nghèo",
        choices=PovertyCause.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Ghi với hộ nghèo, hộ cận nghèo; chọn mọi nguyên nhân của hộ.",
    )

    class Meta:
        model = Review
        fields = [
            "review_date",
            "kind",
            "reviewer_name",
            "income_per_person_month",
            "b1_score",
            "floor_area_m2",
            *DWELLING_FIELDS,
            *[i.slug for i in INDICATORS],
            "poverty_causes",
            "note",
        ]
        widgets = {
            "review_date": DateInput(),
            "note": forms.Textarea(attrs={"rows": 2}),
            "wall_durable": FactSelect("Bền chắc", "Không bền chắc"),
            "frame_durable": FactSelect("Bền chắc", "Không bền chắc"),
            "roof_durable": FactSelect("Bền chắc", "Không bền chắc"),
            "uses_internet": FactSelect("Có", "Không"),
            "hears_loudspeaker": FactSelect("Nghe được", "Không nghe được"),
        }
        field_classes = {
            "income_per_person_month": MoneyField,
            "b1_score": CountField,
            "floor_area_m2": DecimalCommaField,
        }
        labels = {"b1_score": "Tổng điểm Phiếu B1"}
        help_texts = {
            "income_per_person_month": "Hoặc điền Phiếu B1 bên dưới.",
            "b1_score": "Tự tính khi trả lời đủ các câu; hoặc ghi tổng điểm của "
            "phiếu giấy.",
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
        for name in ("water_source", "latrine_type"):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [("", "— Chưa ghi —"), *list(field.choices)[1:]]
        self.fields["b1_score"].error_messages["min_value"] = (
            "Tổng điểm B1 không được âm."
        )
        b1_form.add_b1_fields(self)

    def clean_reviewer_name(self) -> str:
        return clean_name(self.cleaned_data["reviewer_name"])

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
        """Indicators computed from the members and the facts entered, for the date
        entered."""
        from households.indicators import derive_indicators

        data = getattr(self, "cleaned_data", None) or {}
        review_date = data.get("review_date") or clock.today()
        floor_area = data.get("floor_area_m2", self.initial.get("floor_area_m2"))
        facts = {
            name: data.get(name, self.initial.get(name)) for name in DWELLING_FIELDS
        }
        devices = facts["information_devices"]
        dwelling = DwellingFacts(
            **{
                **facts,
                "water_source": facts["water_source"] or "",
                "latrine_type": facts["latrine_type"] or "",
                "information_devices": None if devices is None else tuple(devices),
            }
        )
        return derive_indicators(
            self.household.member_facts(),
            floor_area_m2=floor_area,
            on=review_date,
            dwelling=dwelling,
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        b1_form.clean_b1(self, cleaned)
        if self.errors:
            return cleaned
        derived = self.derived()
        overridden = [
            self.fields[slug].label
            for slug, indicator in derived.items()
            if bool(cleaned.get(slug)) != indicator.deprived
        ]
        if overridden and not cleaned.get("note", "").strip():
            self.add_error(
                "note",
                "Ghi lý do vì sao kết quả khác với số liệu đã ghi (nhân khẩu, nhà ở, "
                "nước, vệ sinh, thông tin) ở các chỉ số: "
                + ", ".join(str(label) for label in overridden)
                + ".",
            )
        # The facts' verdicts as they stood when the review was recorded.
        self.instance.keep_derivation(derived)
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
    """Closing the round is recording the chairman's recognition decision (QĐ
    24/2021 Điều 4 khoản 4): its number, its date (the statuses take effect that
    day) and its signer."""

    closed_on = forms.DateField(
        label="Ngày ký quyết định công nhận (ngày kết quả có hiệu lực)",
        widget=DateInput(),
    )
    decision_number = forms.CharField(
        label="Số, ký hiệu quyết định công nhận",
        max_length=30,
        help_text="Ví dụ: 123/QĐ-UBND",
        error_messages={"required": "Ghi số, ký hiệu quyết định công nhận."},
    )
    signer_name = forms.CharField(
        label="Người ký (Chủ tịch UBND xã)",
        max_length=100,
        error_messages={"required": "Ghi họ tên người ký quyết định."},
    )

    def __init__(self, *args: Any, review_round: ReviewRound, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.round = review_round
        self.fields["closed_on"].initial = min(
            clock.today(), date(review_round.year, 12, 14)
        )
        self.fields["signer_name"].initial = review_round.commune.chairman_name

    def clean_decision_number(self) -> str:
        number = nfc(self.cleaned_data["decision_number"]).strip().replace(" ", "")
        if not DECISION_NUMBER.match(number):
            raise ValidationError(
                "Số, ký hiệu viết như “123/QĐ-UBND”: số, dấu “/”, rồi ký hiệu "
                "(Nghị định 30/2020/NĐ-CP)."
            )
        return number

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        closed_on = cleaned.get("closed_on")
        if closed_on is not None and not self.errors:
            refusal = closing_refusal(self.round, on=closed_on)
            if refusal:
                raise ValidationError(refusal)
        return cleaned

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
        max_length=text_limits.REASON,
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
