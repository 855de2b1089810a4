"""The register workbook's layout (households/register_workbook.py) and its export."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook

from households.forms import DWELLING_FIELDS, MemberForm
from households.models import Household, Member, Relationship, Review
from households.poverty import INDICATORS
from households.register_workbook import (
    CODE_ROW,
    HEADER_ROW,
    HOUSEHOLDS,
    LISTS_SHEET,
    MEMBERS,
    REVIEWS,
    SHEETS,
    Kind,
    export_register,
)
from tests.conftest import make_review

MODELS = {HOUSEHOLDS.title: Household, MEMBERS.title: Member, REVIEWS.title: Review}


@pytest.mark.parametrize("layout", SHEETS, ids=lambda s: s.title)
def test_every_column_has_a_unique_code_and_a_model_field(layout: object) -> None:
    assert len(set(layout.codes)) == len(layout.codes)  # type: ignore[attr-defined]
    model = MODELS[layout.title]  # type: ignore[attr-defined]
    for column in layout.columns[1:]:  # type: ignore[attr-defined]
        model._meta.get_field(column.field)  # raises when the model has none


def test_coded_columns_offer_the_models_labels() -> None:
    relationship = MEMBERS.column("quan_he")
    assert relationship.kind == Kind.CHOICE
    assert dict(relationship.choices) == {
        str(v): str(label) for v, label in Relationship.choices
    }
    assert REVIEWS.column("loai").choices == (
        ("periodic", "Rà soát định kỳ hằng năm"),
        ("regular", "Rà soát thường xuyên"),
    )


def test_the_review_sheet_holds_the_facts_the_indicators_and_the_income() -> None:
    fields = {c.field for c in REVIEWS.columns}
    assert set(DWELLING_FIELDS) <= fields
    assert {i.slug for i in INDICATORS} <= fields
    assert {"income_per_person_month", "b1_score", "review_date", "kind"} <= fields
    assert {"reviewer_name", "floor_area_m2", "poverty_causes", "note"} <= fields


def test_the_member_sheet_holds_every_field_of_the_member_form() -> None:
    assert set(MemberForm._meta.fields or ()) == {c.field for c in MEMBERS.columns[1:]}


def test_headers_are_vietnamese_with_their_diacritics() -> None:
    assert HOUSEHOLDS.column("ngay_vao_so").header == "Ngày vào sổ hộ"
    assert MEMBERS.column("cccd").header == "Số CCCD/định danh"


def exported(officer: object, household: Household) -> object:
    data = export_register(
        Household.objects.filter(pk=household.pk),
        commune=household.commune,
        village=None,
        exported_by="Bùi Thị Lan",
    )
    return load_workbook(BytesIO(data))


@pytest.fixture
def household(household_a1: Household) -> Household:
    household_a1.address = '=HYPERLINK("http://x")'
    household_a1.registered_on = date(2020, 3, 5)
    household_a1.save()
    head = household_a1.members.get()
    head.id_number = "038123456789"
    head.health_insurance_number = "DN4380123456789"
    head.save()
    make_review(
        household_a1,
        income=1_500_000,
        deprived=("chat_luong_nha_o",),
        wall_durable=False,
    )
    return household_a1


def test_export_writes_identity_numbers_as_text_and_user_text_never_as_formula(
    officer: object, household: Household
) -> None:
    workbook = exported(officer, household)
    members = workbook["Nhân khẩu"]
    codes = [c.value for c in members[CODE_ROW]]
    cccd = members.cell(row=3, column=codes.index("cccd") + 1)
    assert cccd.value == "038123456789"
    assert cccd.data_type == "s"
    assert cccd.number_format == "@"
    sheet = workbook["Hộ"]
    codes = [c.value for c in sheet[CODE_ROW]]
    address = sheet.cell(row=3, column=codes.index("dia_chi") + 1)
    assert address.value == '=HYPERLINK("http://x")'
    assert address.data_type == "s"  # text, not a formula
    registered = sheet.cell(row=3, column=codes.index("ngay_vao_so") + 1)
    assert registered.value.date() == date(2020, 3, 5)
    assert registered.number_format == "DD/MM/YYYY"


def test_export_has_headers_codes_frozen_panes_and_drop_downs(
    officer: object, household: Household
) -> None:
    workbook = exported(officer, household)
    assert workbook.sheetnames[:3] == ["Hộ", "Nhân khẩu", "Rà soát"]
    assert workbook[LISTS_SHEET].sheet_state == "hidden"
    sheet = workbook["Rà soát"]
    assert sheet.cell(row=HEADER_ROW, column=1).value == "Mã hộ (*)"
    assert [c.value for c in sheet[CODE_ROW]] == list(REVIEWS.codes)
    assert sheet.freeze_panes == "B3"
    formulas = {v.formula1 for v in sheet.data_validations.dataValidation}
    assert any(f.startswith("'Danh mục'!") for f in formulas)
    row = {
        code: sheet.cell(row=3, column=i + 1).value
        for i, code in enumerate(REVIEWS.codes)
    }
    assert row["thu_nhap"] == 1_500_000
    assert row["tuong"] == "Không bền chắc"
    assert row["chat_luong_nha_o"] == "Có"
    assert row["viec_lam"] == "Không"
    assert row["loai"] == "Rà soát định kỳ hằng năm"
