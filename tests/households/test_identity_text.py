"""Look-alike codes and hidden characters in names (issue 13, item 3)."""

from __future__ import annotations

import unicodedata
from io import BytesIO
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from giamngheo.models import User
from households.admin import VillageForm
from households.forms import MemberForm
from households.identity_text import clean_name, normalise_code
from households.models import Household, Member, Review, Village
from households.procedure_forms import RegularDecisionForm
from households.register_file import RegisterFileError
from households.register_import import ImportResult, import_register
from households.register_workbook import CODE_ROW
from tests.households.register_files import column_of, edited, export_of, set_cell
from tests.households.test_forms import (
    _fixed_day,  # noqa: F401 (autouse: the form's dates are checked against today)
    counts,
    household_data,
    member,
    post_create,
)
from tests.households.test_register_bad_files import tables_checksum

PRECOMPOSED = "Nguyễn Thị Hường"
COMBINING = unicodedata.normalize("NFD", PRECOMPOSED)


# --- The pure functions ---------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("CN-01-0001", "CN-01-0001"),
        ("ＣＮ-01-０００１", "CN-01-0001"),  # full-width letters and digits
        ("CN－01－0001", "CN-01-0001"),  # full-width hyphen
        (" CN-01-0001 ", "CN-01-0001"),
        ("０１２３４５６７８９０１", "012345678901"),  # a CCCD typed full-width
    ],
)
def test_normalise_code_folds_compatibility_forms(typed: str, stored: str) -> None:
    assert normalise_code(typed) == stored


@pytest.mark.parametrize(
    "hidden",
    ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u202e", "\t", "\n", "\x00"],
)
def test_normalise_code_refuses_hidden_characters(hidden: str) -> None:
    with pytest.raises(ValidationError) as caught:
        normalise_code(f"CN-01-{hidden}0001")

    assert "ký tự ẩn" in caught.value.messages[0]
    assert f"U+{ord(hidden):04X}" in caught.value.messages[0]


@pytest.mark.parametrize(
    "hidden",
    [
        "\u202e",  # right-to-left override
        "\u202a",
        "\u202d",
        "\u2066",  # isolates
        "\u2069",
        "\u200e",  # direction marks
        "\u200f",
        "\u200b",
        "\t",
        "\n",
        "\r",
        "\x07",
    ],
)
def test_clean_name_refuses_control_and_direction_characters(hidden: str) -> None:
    with pytest.raises(ValidationError) as caught:
        clean_name(f"Bùi Văn{hidden} Hùng")

    assert "ký tự điều khiển" in caught.value.messages[0]


@pytest.mark.parametrize(
    "name",
    [
        PRECOMPOSED,
        COMBINING,
        "Đinh Thị Ngọc Ánh",
        "Bùi Văn Quý",
        unicodedata.normalize("NFD", "Lường Thị Ỷ Ỳ Ỵ Ữ Ợ Ẫ Ặ Đ ơ ư"),
    ],
)
def test_clean_name_accepts_vietnamese_letters_and_stores_them_composed(
    name: str,
) -> None:
    cleaned = clean_name(name)

    assert cleaned == unicodedata.normalize("NFC", name)
    assert not any(unicodedata.combining(c) for c in cleaned)


def test_combining_and_precomposed_names_are_one_string() -> None:
    assert COMBINING != PRECOMPOSED
    assert clean_name(COMBINING) == clean_name(PRECOMPOSED) == PRECOMPOSED


# --- Through the forms and the pages --------------------------------------------------


@pytest.mark.parametrize(
    "code", ["CN-01-\u200b0001", "ＣＮ-01-０００１", "cn-01-000１"]
)
def test_a_look_alike_code_does_not_make_a_second_household(
    client: Client,
    officer: User,
    household_a1: Household,
    village_a2: Village,
    code: str,
) -> None:
    assert household_a1.code == "CN-01-0001"
    before = counts()

    response = post_create(
        client, officer, household_data(village_a2, member(), code=code)
    )

    assert response.status_code == 200
    errors = response.context["form"].errors["code"]
    assert any("đã có trong xã" in e or "ký tự ẩn" in e for e in errors)
    assert counts() == before
    assert Household.objects.count() == 1


def test_a_name_with_a_right_to_left_override_is_refused(
    client: Client, officer: User, village_a1: Village
) -> None:
    row = member(full_name="Bùi Văn \u202eTâm")

    response = post_create(client, officer, household_data(village_a1, row))

    assert response.status_code == 200
    errors = response.context["members"].forms[0].errors["full_name"]
    assert "ký tự đổi chiều chữ (U+202E)" in errors[0]
    assert counts() == (0, 0, 0)


def test_an_address_with_a_control_character_is_refused(
    client: Client, officer: User, village_a1: Village
) -> None:
    data = household_data(village_a1, member(), address="Xóm Lác\u2066 2")

    response = post_create(client, officer, data)

    assert response.status_code == 200
    assert "ký tự điều khiển" in response.context["form"].errors["address"][0]
    assert counts() == (0, 0, 0)


def test_a_combining_mark_name_is_stored_composed(
    client: Client, officer: User, village_a1: Village
) -> None:
    row = member(full_name=unicodedata.normalize("NFD", "Nguyễn Văn Tâm"))

    response = post_create(client, officer, household_data(village_a1, row))

    assert response.status_code == 302
    assert Member.objects.get().full_name == "Nguyễn Văn Tâm"


def test_a_full_width_cccd_is_stored_in_ascii_digits() -> None:
    form = MemberForm(member(id_number="０１２３４５６７８９０１"))

    assert form.is_valid(), form.errors
    assert form.cleaned_data["id_number"] == "012345678901"


def test_a_cccd_in_another_script_s_digits_is_refused() -> None:
    # Arabic-Indic digits are digits to isdigit() and stay what they are under NFKC.
    form = MemberForm(member(id_number="٠١٢٣٤٥٦٧٨٩٠١"))

    assert not form.is_valid()
    assert "12 chữ số" in form.errors["id_number"][0]


def test_a_cccd_with_a_zero_width_space_is_refused() -> None:
    form = MemberForm(member(id_number="012345\u200b78901"))

    assert not form.is_valid()
    assert "ký tự ẩn" in form.errors["id_number"][0]


def test_a_village_name_with_a_hidden_character_is_refused_in_the_admin(
    village_a1: Village,
) -> None:
    data: dict[str, Any] = {"commune": village_a1.commune_id, "position": 3}
    refused = VillageForm(data | {"name": "Bản\u200b Lác"})
    composed = VillageForm(data | {"name": unicodedata.normalize("NFD", "Bản Mới")})

    assert not refused.is_valid()
    assert "ký tự điều khiển" in refused.errors["name"][0]
    assert composed.is_valid(), composed.errors
    assert composed.cleaned_data["name"] == "Bản Mới"


# --- Through the register import ------------------------------------------------


def import_file(data: bytes, household: Household, by: User) -> ImportResult:
    return import_register(
        BytesIO(data),
        file_name="so-ho.xlsx",
        size=len(data),
        commune=household.commune,
        by=by,
        dry_run=False,
    )


def full_width_codes(workbook: Any) -> None:
    for title in ("Hộ", "Nhân khẩu", "Rà soát"):
        sheet = workbook[title]
        column = column_of(sheet, "ma_ho")
        for row in range(CODE_ROW + 1, sheet.max_row + 1):
            cell = sheet.cell(row=row, column=column)
            if cell.value == "CN-01-0001":
                cell.value = "ＣＮ-01-０００１"


def test_a_register_file_with_full_width_codes_finds_its_households(
    household_a1: Household, household_a2: Household, officer: User
) -> None:
    data = edited(export_of(household_a1.commune), full_width_codes)

    result = import_file(data, household_a1, officer)

    assert result.count("unchanged") == 2
    assert Household.objects.count() == 2


def test_a_register_file_with_a_hidden_character_in_a_code_is_refused(
    household_a1: Household, household_a2: Household, officer: User
) -> None:
    def hidden_code(workbook: Any) -> None:
        set_cell(workbook["Hộ"], CODE_ROW + 1, "ma_ho", "CN-01-\u200b0009")

    data = edited(export_of(household_a1.commune), hidden_code)
    before = tables_checksum()

    with pytest.raises(RegisterFileError) as caught:
        import_file(data, household_a1, officer)

    assert "ký tự ẩn hoặc ký tự điều khiển (U+200B)" in str(caught.value)
    assert tables_checksum() == before


def test_a_register_file_with_a_right_to_left_override_in_a_name_is_refused(
    household_a1: Household, household_a2: Household, officer: User
) -> None:
    def overridden_name(workbook: Any) -> None:
        set_cell(workbook["Nhân khẩu"], CODE_ROW + 1, "ho_ten", "Bùi \u202eVăn Tâm")

    data = edited(export_of(household_a1.commune), overridden_name)
    before = tables_checksum()

    with pytest.raises(RegisterFileError) as caught:
        import_file(data, household_a1, officer)

    assert "ký tự đổi chiều chữ (U+202E)" in str(caught.value)
    assert tables_checksum() == before


def test_a_decision_signer_with_a_right_to_left_override_is_refused() -> None:
    form = RegularDecisionForm(
        {
            "number": "45/QĐ-UBND",
            "signed_on": "01/10/2025",
            "signer_name": "Hà \u202eVăn",
        },
        awaiting=Review.objects.none(),
    )

    assert not form.is_valid()
    assert "ký tự đổi chiều chữ (U+202E)" in form.errors["signer_name"][0]


def test_a_code_searched_in_full_width_finds_the_household(
    client: Client, officer: User, household_a1: Household
) -> None:
    client.force_login(officer)

    response = client.get("/ho/", {"q": "ＣＮ-01-０００１"})

    assert household_a1.code in response.content.decode()
    assert list(Household.objects.search("ＣＮ-01-０００１")) == [household_a1]
