"""Money and decimal fields: typed the Vietnamese way, refused in plain words, shown
grouped with dots and with the decimal comma; and every form of the project uses them.
"""

from __future__ import annotations

import importlib
import inspect
from decimal import Decimal
from typing import Any

import pytest
from django import forms
from django.db import models
from django.test import Client
from django.urls import reverse

from giamngheo.models import User
from households.forms import ReviewForm
from households.models import Household, Review
from households.number_fields import DecimalCommaField, MoneyField
from targets.models import Population, ServiceTarget
from targets.progress import Measurement
from tasks.forms import FigureForm
from tasks.models import HouseholdPlan
from tasks.plan_forms import HouseholdPlanForm

PLAIN_MONEY_MESSAGE = "Nhập số tiền bằng chữ số, ví dụ 1.500.000."
REVIEW_DAY = "20/11/2025"

# Every module that defines forms a person fills in.
FORM_MODULES = (
    "households.forms",
    "targets.forms",
    "tasks.forms",
    "tasks.plan_forms",
)


class AmountForm(forms.Form):
    amount = MoneyField(label="Số tiền (đồng)", min_value=0, required=False)
    area = DecimalCommaField(
        label="Diện tích (m²)", max_digits=7, decimal_places=1, required=False
    )


# --- The fields on their own (no database) ---------------------------------------


@pytest.mark.parametrize("typed", ["1.500.000", "1500000", "1 500 000", "1.500.000 đ"])
def test_money_field_accepts_the_ways_people_write_an_amount(typed: str) -> None:
    form = AmountForm({"amount": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["amount"] == 1_500_000


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("1.500000", "tách từng nhóm đủ 3 chữ số"),
        ("1,5", "không có phần lẻ sau dấu phẩy"),
        ("1,5 triệu", "không viết tắt"),
        ("mười lăm", "chỉ ghi chữ số"),
    ],
)
def test_money_field_refuses_what_it_cannot_read_and_says_why(
    typed: str, reason: str
) -> None:
    form = AmountForm({"amount": typed})
    assert not form.is_valid()
    [message] = form.errors["amount"]
    assert message.startswith(f"“{typed}” chưa đúng: ")
    assert reason in message
    assert message.endswith(PLAIN_MONEY_MESSAGE)


def test_money_field_refuses_a_negative_amount() -> None:
    form = AmountForm({"amount": "-1.500.000"})
    assert not form.is_valid()
    assert form.errors["amount"] == ["Số tiền không được âm."]


def test_money_field_renders_as_text_with_a_numeric_keypad_grouped_with_dots() -> None:
    html = str(AmountForm(initial={"amount": 1_500_000})["amount"])
    assert 'type="text"' in html
    assert 'inputmode="numeric"' in html
    assert 'value="1.500.000"' in html
    assert 'type="number"' not in html


def test_money_typed_plain_is_shown_back_grouped_and_a_wrong_one_as_typed() -> None:
    assert 'value="1.500.000"' in str(AmountForm({"amount": "1500000"})["amount"])
    assert 'value="1.500000"' in str(AmountForm({"amount": "1.500000"})["amount"])


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("21,5", Decimal("21.5")), ("21.5", Decimal("21.5")), ("21", Decimal(21))],
)
def test_decimal_field_reads_the_decimal_comma(typed: str, expected: Decimal) -> None:
    form = AmountForm({"area": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["area"] == expected


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("1.250", "dùng dấu phẩy cho phần thập phân"),
        ("21,55", "nhiều nhất 1 chữ số sau dấu phẩy"),
        ("-3,5", "không được âm"),
        ("hai mươi", "chỉ ghi chữ số"),
    ],
)
def test_decimal_field_refuses_in_plain_words(typed: str, reason: str) -> None:
    form = AmountForm({"area": typed})
    assert not form.is_valid()
    assert reason in form.errors["area"][0]


def test_decimal_field_renders_with_the_decimal_comma() -> None:
    html = str(AmountForm(initial={"area": Decimal("21.5")})["area"])
    assert 'type="text"' in html
    assert 'inputmode="decimal"' in html
    assert 'value="21,5"' in html


# --- Every form of the project uses them -----------------------------------------


def _form_classes() -> list[type[forms.BaseForm]]:
    found = []
    for name in FORM_MODULES:
        module = importlib.import_module(name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == name:
                found.append(cls)
    return found


def _model_field(form_class: type[forms.BaseForm], name: str) -> Any:
    meta = getattr(form_class, "_meta", None)
    model = getattr(meta, "model", None)
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except Exception:  # a declared field that is not a model field
        return None


def _is_money(field: forms.Field, model_field: Any) -> bool:
    """An amount in đồng: the label or the model field says so."""
    words = f"{field.label or ''} {getattr(model_field, 'verbose_name', '')}".lower()
    return "đồng" in words


def _is_decimal(field: forms.Field, model_field: Any) -> bool:
    return isinstance(field, forms.DecimalField | forms.FloatField) or isinstance(
        model_field, models.DecimalField | models.FloatField
    )


def _money_and_decimal_fields() -> list[tuple[str, str, forms.Field, str]]:
    fields = []
    for form_class in _form_classes():
        for name, field in form_class.base_fields.items():
            model_field = _model_field(form_class, name)
            if _is_money(field, model_field):
                fields.append((form_class.__name__, name, field, "money"))
            elif _is_decimal(field, model_field):
                fields.append((form_class.__name__, name, field, "decimal"))
    return fields


def test_the_walk_finds_the_known_money_and_decimal_fields() -> None:
    found = {(form, name, kind) for form, name, _, kind in _money_and_decimal_fields()}
    assert {
        ("ReviewForm", "income_per_person_month", "money"),
        ("ReviewForm", "floor_area_m2", "decimal"),
        ("HouseholdPlanForm", "resource_amount", "money"),
    } <= found


@pytest.mark.parametrize(
    ("form", "name", "field", "kind"),
    _money_and_decimal_fields(),
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_every_money_and_decimal_field_of_every_form_reads_vietnamese(
    form: str, name: str, field: forms.Field, kind: str
) -> None:
    expected = MoneyField if kind == "money" else DecimalCommaField
    assert isinstance(field, expected), f"{form}.{name} is a {type(field).__name__}"
    assert field.widget.input_type == "text"


# --- Through the review page (the officer types "1.500.000") ----------------------


def review_data(**fields: str) -> dict[str, str]:
    return {
        "review_date": REVIEW_DAY,
        "kind": "periodic",
        "reviewer_name": "Bùi Văn Thắng",
        "income_per_person_month": "1.500.000",
        "floor_area_m2": "",
        "note": "",
        **fields,
    }


def post_review(client: Client, user: User, household: Household, **fields: str) -> Any:
    client.force_login(user)
    url = reverse("households:review_create", args=[household.pk])
    return client.post(url, review_data(**fields))


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["1.500.000", "1500000", "1 500 000"])
def test_review_with_an_income_written_the_vietnamese_way_is_saved(
    client: Client, officer: User, household_a1: Household, typed: str
) -> None:
    response = post_review(client, officer, household_a1, income_per_person_month=typed)
    assert response.status_code == 302
    assert Review.objects.get().income_per_person_month == 1_500_000


@pytest.mark.django_db
def test_review_with_income_1_500000_is_refused_in_plain_words_and_nothing_saved(
    client: Client, officer: User, household_a1: Household
) -> None:
    response = post_review(
        client, officer, household_a1, income_per_person_month="1.500000"
    )
    assert response.status_code == 200
    [message] = response.context["form"].errors["income_per_person_month"]
    assert message.startswith("“1.500000” chưa đúng")
    assert message.endswith(PLAIN_MONEY_MESSAGE)
    assert 'value="1.500000"' in response.content.decode()
    assert Review.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["21,5", "21.5"])
def test_review_floor_area_is_read_with_the_decimal_comma(
    client: Client, officer: User, household_a1: Household, typed: str
) -> None:
    response = post_review(client, officer, household_a1, floor_area_m2=typed)
    assert response.status_code == 302
    assert Review.objects.get().floor_area_m2 == Decimal("21.5")


@pytest.mark.django_db
def test_review_floor_area_1_250_is_refused_as_ambiguous(
    client: Client, officer: User, household_a1: Household
) -> None:
    response = post_review(client, officer, household_a1, floor_area_m2="1.250")
    assert response.status_code == 200
    assert "dấu phẩy" in response.context["form"].errors["floor_area_m2"][0]
    assert Review.objects.count() == 0


@pytest.mark.django_db
def test_review_page_shows_the_last_area_with_a_comma_and_income_as_text(
    client: Client, officer: User, household_a1: Household
) -> None:
    post_review(client, officer, household_a1, floor_area_m2="21,5")
    response = client.get(reverse("households:review_create", args=[household_a1.pk]))
    income = str(response.context["form"]["income_per_person_month"])
    area = str(response.context["form"]["floor_area_m2"])
    assert 'type="text"' in income
    assert 'inputmode="numeric"' in income
    assert 'value="21,5"' in area


@pytest.mark.django_db
def test_review_form_refuses_1_500000_directly(household_a1: Household) -> None:
    form = ReviewForm(
        review_data(income_per_person_month="1.500000"), household=household_a1
    )
    assert not form.is_valid()
    assert form.errors["income_per_person_month"][0].endswith(PLAIN_MONEY_MESSAGE)


# --- The village plan's amount ----------------------------------------------------


@pytest.mark.parametrize("typed", ["1.500000", "1,5"])
def test_plan_amount_that_could_be_misread_is_refused(typed: str) -> None:
    form = HouseholdPlanForm(
        {"resource_amount": typed}, instance=HouseholdPlan(), year=2024
    )
    assert not form.is_valid()
    assert form.errors["resource_amount"][0].endswith(PLAIN_MONEY_MESSAGE)


def test_plan_amount_is_shown_grouped_with_dots() -> None:
    form = HouseholdPlanForm(
        instance=HouseholdPlan(resource_amount=30_000_000), year=2024
    )
    assert 'value="30.000.000"' in str(form["resource_amount"])


# --- A unit's reported figures (education: 1.087/1.108 pupils) --------------------


def figure_form(ok: str | None = None, total: str | None = None) -> FigureForm:
    target = ServiceTarget(population=Population.CHILDREN)
    live = Measurement(ok=1087, total=1108, comparator="gte", threshold=Decimal(95))
    if ok is None:
        return FigureForm(target=target, live=live)
    prefix = f"chi-tieu-{target.pk}"
    data = {f"{prefix}-reported_ok": ok, f"{prefix}-reported_total": total or ""}
    return FigureForm(data, target=target, live=live)


def test_figures_typed_with_dots_are_read() -> None:
    form = figure_form("1.087", "1 108")
    assert form.is_valid(), form.errors
    assert (form.cleaned_data["reported_ok"], form.cleaned_data["reported_total"]) == (
        1087,
        1108,
    )


def test_a_figure_with_a_decimal_comma_is_refused_in_plain_words() -> None:
    form = figure_form("1,5", "1.108")
    assert not form.is_valid()
    assert form.errors["reported_ok"] == [
        "“1,5” chưa đúng: số đếm là số nguyên, không có phần lẻ sau dấu phẩy. "
        "Nhập số nguyên bằng chữ số, ví dụ 1.087."
    ]


def test_figures_are_prefilled_grouped_with_dots() -> None:
    html = str(figure_form()["reported_total"])
    assert 'value="1.108"' in html
    assert 'type="text"' in html
