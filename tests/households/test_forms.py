"""Bad input gets a Vietnamese message and saves nothing (ECOSYSTEM.md B6, B9–B11).

Through the views, as the commune officer posting what the browser posts, and directly
on the forms. Dates are typed dd/mm/yyyy; member rows use the formset prefix "members".
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from giamngheo.models import User
from households.forms import (
    ArchiveForm,
    BaseMemberFormSet,
    HouseholdForm,
    MemberForm,
    MemberFormSet,
    ReviewForm,
)
from households.models import (
    ArchiveReason,
    Household,
    Member,
    Review,
    Village,
)
from households.poverty import PovertyStatus

# A fixed working day: "tomorrow" computed at import must still be tomorrow when a
# test runs, even across midnight in Vietnam (17:00 UTC).
NOW = datetime(2026, 6, 15, 10, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
TODAY = NOW.date()


@pytest.fixture(autouse=True)
def _fixed_day(time_machine: Any) -> None:
    time_machine.move_to(NOW, tick=False)


REVIEW_DAY = "20/11/2025"


# --- What the browser posts ----------------------------------------------------------


def member(**fields: str) -> dict[str, str]:
    """One member row as MemberForm's fields; checkboxes are "on" or left out."""
    row = {
        "full_name": "Bùi Văn Tâm",
        "relationship": "head",
        "sex": "male",
        "birth_year": "1975",
        "birth_date": "",
        "ethnicity": "muong",
        "id_number": "",
        "has_health_insurance": "on",
        "health_insurance_number": "",
        "health_insurance_expiry": "",
        "attends_school": "",
        "education_level": "primary",
        "employment": "self_employed",
    }
    row.update(fields)
    return {key: value for key, value in row.items() if value is not None}


def members_data(*rows: dict[str, str], initial: int = 0) -> dict[str, str]:
    data = {
        "members-TOTAL_FORMS": str(len(rows)),
        "members-INITIAL_FORMS": str(initial),
        "members-MIN_NUM_FORMS": "1",
        "members-MAX_NUM_FORMS": "30",
    }
    for index, row in enumerate(rows):
        data.update({f"members-{index}-{key}": value for key, value in row.items()})
    return data


def household_fields(
    village: Village, code: str = "CN-01-0099", **fields: str
) -> dict[str, str]:
    """The household part of the form (without members)."""
    return {
        "code": code,
        "village": str(village.pk),
        "address": "",
        "ethnicity": "muong",
        "registered_on": "01/01/2020",
        **fields,
    }


def household_data(
    village: Village, *rows: dict[str, str], code: str = "CN-01-0099", **fields: str
) -> dict[str, str]:
    return household_fields(village, code, **fields) | members_data(*rows)


def edit_data(household: Household, **fields: str) -> dict[str, str]:
    """The edit form of a household with its head only, as loaded in the browser."""
    head = household.members.get()
    data = {
        "code": household.code,
        "village": str(household.village_id),
        "address": household.address,
        "ethnicity": household.ethnicity,
        "registered_on": household.registered_on.strftime("%d/%m/%Y"),
        **fields,
    }
    row = member(
        id=str(head.pk),
        household=str(household.pk),
        full_name=head.full_name,
        birth_year=str(head.birth_year),
    )
    return data | members_data(row, initial=1)


def review_data(**fields: str) -> dict[str, str]:
    return {
        "review_date": REVIEW_DAY,
        "kind": "periodic",
        "reviewer_name": "Bùi Văn Thắng",
        "income_per_person_month": "1200000",
        "floor_area_m2": "",
        "note": "",
        **fields,
    }


def counts() -> tuple[int, int, int]:
    return Household.objects.count(), Member.objects.count(), Review.objects.count()


def post_create(client: Client, user: User, data: dict[str, str]) -> Any:
    client.force_login(user)
    return client.post(reverse("households:create"), data)


def page_text(response: Any) -> str:
    return response.content.decode()


def member_errors(response: Any) -> list[str]:
    """Every message of the member formset: its own and each row's."""
    formset = response.context["members"]
    messages = list(formset.non_form_errors())
    for form in formset.forms:
        for errors in form.errors.values():
            messages.extend(errors)
    return messages


def has_message(messages: list[str], text: str) -> bool:
    return any(text in message for message in messages)


# --- Household: heads and members ---------------------------------------------------


def test_household_with_two_heads_is_refused_and_nothing_is_saved(
    client: Client, officer: User, village_a1: Village
) -> None:
    data = household_data(
        village_a1, member(), member(full_name="Quách Thị Hoa", sex="female")
    )

    response = post_create(client, officer, data)

    assert response.status_code == 200
    assert has_message(member_errors(response), "đúng một chủ hộ")
    assert "đúng một chủ hộ" in page_text(response)
    assert counts() == (0, 0, 0)


def test_household_without_a_head_is_refused(
    client: Client, officer: User, village_a1: Village
) -> None:
    data = household_data(village_a1, member(relationship="spouse"))

    response = post_create(client, officer, data)

    assert response.status_code == 200
    assert has_message(member_errors(response), "đúng một chủ hộ")
    assert counts() == (0, 0, 0)


def test_household_with_zero_members_is_refused(
    client: Client, officer: User, village_a1: Village
) -> None:
    response = post_create(client, officer, household_data(village_a1))

    assert response.status_code == 200
    assert response.context["members"].non_form_errors()
    assert counts() == (0, 0, 0)


def test_household_with_zero_members_gets_the_vietnamese_message(
    client: Client, officer: User, village_a1: Village
) -> None:
    response = post_create(client, officer, household_data(village_a1))

    assert list(response.context["members"].non_form_errors()) == [
        "Hộ phải có ít nhất một nhân khẩu."
    ]


def test_deleting_the_only_member_gets_the_vietnamese_message(
    client: Client, officer: User, household_a1: Household
) -> None:
    client.force_login(officer)
    data = edit_data(household_a1) | {"members-0-DELETE": "on"}

    response = client.post(reverse("households:edit", args=[household_a1.pk]), data)

    assert response.status_code == 200
    assert "Hộ phải có ít nhất một nhân khẩu." in page_text(response)
    assert household_a1.members.count() == 1


def test_valid_household_is_saved_with_its_members(
    client: Client, officer: User, village_a1: Village
) -> None:
    data = household_data(
        village_a1,
        member(),
        member(
            full_name="Bùi Thị Mai",
            relationship="child",
            sex="female",
            birth_year="2015",
            birth_date="05/03/2015",
            attends_school="true",
        ),
        code="cn-01-0099",
        address="Xóm Chiềng",
    )

    response = post_create(client, officer, data)

    household = Household.objects.get()
    assert response.status_code == 302
    assert response.url == household.get_absolute_url()
    assert household.code == "CN-01-0099"
    assert household.commune == village_a1.commune
    child = household.members.get(relationship="child")
    assert child.birth_date == date(2015, 3, 5)
    assert child.attends_school is True
    assert "bui thi mai" in household.search_text


# --- Household: the code --------------------------------------------------------------


def test_duplicate_code_in_the_same_commune_is_refused(
    client: Client, officer: User, household_a1: Household, village_a2: Village
) -> None:
    data = household_data(village_a2, member(), code="cn-01-0001")

    response = post_create(client, officer, data)

    assert response.status_code == 200
    assert any("đã có trong xã" in e for e in response.context["form"].errors["code"])
    assert counts() == (1, 1, 0)


def test_same_code_in_another_commune_is_accepted(
    client: Client, officer: User, household_b: Household, village_a1: Village
) -> None:
    data = household_data(village_a1, member(), code=household_b.code)

    response = post_create(client, officer, data)

    assert response.status_code == 302
    assert Household.objects.filter(code=household_b.code).count() == 2


def test_household_form_refuses_duplicate_code_directly(
    officer: User, household_a1: Household, village_a2: Village
) -> None:
    form = HouseholdForm(
        household_fields(village_a2, code=" CN-01-0001 "),
        instance=Household(),
        user=officer,
    )

    assert not form.is_valid()
    assert "Mã hộ CN-01-0001 đã có trong xã" in form.errors["code"][0]


def test_household_keeps_its_own_code_when_edited(
    officer: User, household_a1: Household
) -> None:
    form = HouseholdForm(
        household_fields(household_a1.village, code="CN-01-0001", ethnicity="kinh"),
        instance=household_a1,
        user=officer,
    )

    assert form.is_valid(), form.errors


def test_registration_date_in_the_future_is_refused(
    officer: User, village_a1: Village
) -> None:
    tomorrow = (TODAY + timedelta(days=1)).strftime("%d/%m/%Y")
    form = HouseholdForm(
        household_fields(village_a1, registered_on=tomorrow),
        instance=Household(),
        user=officer,
    )

    assert not form.is_valid()
    assert "tương lai" in form.errors["registered_on"][0]


def test_registration_date_is_read_day_first(
    officer: User, village_a1: Village
) -> None:
    form = HouseholdForm(
        household_fields(village_a1, registered_on="05/03/2024"),
        instance=Household(),
        user=officer,
    )

    assert form.is_valid(), form.errors
    assert form.cleaned_data["registered_on"] == date(2024, 3, 5)


def test_blank_code_gets_a_vietnamese_message(
    officer: User, village_a1: Village
) -> None:
    form = HouseholdForm(
        household_fields(village_a1, code="   "),
        instance=Household(),
        user=officer,
    )

    assert not form.is_valid()
    assert "code" in form.errors
    assert "required" not in form.errors["code"][0].lower()


# --- Members --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (
            {"birth_year": str(TODAY.year + 1), "relationship": "child"},
            "birth_year",
            "Năm sinh không được ở tương lai.",
        ),
        (
            {
                "birth_year": str(TODAY.year),
                "birth_date": (TODAY + timedelta(days=1)).strftime("%d/%m/%Y"),
                "relationship": "child",
            },
            "birth_date",
            "Ngày sinh không được ở tương lai.",
        ),
        (
            {"birth_year": str(TODAY.year - 10)},
            "relationship",
            "Chủ hộ phải từ 16 tuổi",
        ),
        (
            {"birth_year": str(TODAY.year - 30), "attends_school": "true"},
            "attends_school",
            "từ 3 đến dưới 16 tuổi",
        ),
        (
            {"birth_year": str(TODAY.year - 30), "attends_school": "false"},
            "attends_school",
            "từ 3 đến dưới 16 tuổi",
        ),
        ({"id_number": "03808000123"}, "id_number", "đúng 12 chữ số"),
        ({"id_number": "03808000123A"}, "id_number", "đúng 12 chữ số"),
        ({"id_number": "0380800012345"}, "id_number", "12"),
        (
            {"birth_year": "1980", "birth_date": "05/03/1981"},
            "birth_year",
            "Năm sinh phải trùng",
        ),
        ({"full_name": "Hùng"}, "full_name", "Ghi đầy đủ họ và tên"),
        (
            {"has_health_insurance": None, "health_insurance_expiry": "31/12/2026"},
            "health_insurance_expiry",
            "Chỉ ghi hạn thẻ BHYT khi thành viên có thẻ.",
        ),
        (
            {"birth_year": str(TODAY.year - 30), "stunted": "on"},
            "stunted",
            "dưới 16 tuổi",
        ),
        (
            {"birth_year": str(TODAY.year - 16), "underweight": "on"},
            "underweight",
            "dưới 16 tuổi",
        ),
    ],
    ids=[
        "born_next_year",
        "born_tomorrow",
        "head_aged_10",
        "school_at_30",
        "not_in_school_at_30",
        "cccd_11_digits",
        "cccd_with_a_letter",
        "cccd_13_digits",
        "year_differs_from_date",
        "one_word_name",
        "bhyt_expiry_without_card",
        "stunted_adult",
        "underweight_at_16",
    ],
)
def test_bad_member_is_refused_through_the_view_and_nothing_is_saved(
    client: Client,
    officer: User,
    village_a1: Village,
    fields: dict[str, str],
    field: str,
    message: str,
) -> None:
    rows = [member(**fields)]
    if fields.get("relationship") == "child":
        rows.insert(0, member(full_name="Bùi Văn Cha"))
    data = household_data(village_a1, *rows)

    response = post_create(client, officer, data)

    assert response.status_code == 200
    bad_form = response.context["members"].forms[-1]
    assert field in bad_form.errors, bad_form.errors
    assert any(message in error for error in bad_form.errors[field])
    assert message in page_text(response)
    assert counts() == (0, 0, 0)


def test_member_form_refuses_a_head_aged_10_directly() -> None:
    form = MemberForm(member(birth_year=str(TODAY.year - 10)))

    assert not form.is_valid()
    assert form.errors["relationship"] == ["Chủ hộ phải từ 16 tuổi trở lên."]


def test_member_form_refuses_school_for_a_30_year_old_directly() -> None:
    form = MemberForm(member(birth_year=str(TODAY.year - 30), attends_school="true"))

    assert not form.is_valid()
    assert "từ 3 đến dưới 16 tuổi" in form.errors["attends_school"][0]
    assert "30 tuổi" in form.errors["attends_school"][0]


def test_member_form_accepts_a_12_digit_cccd_directly() -> None:
    form = MemberForm(member(id_number="038080001234"))

    assert form.is_valid(), form.errors


def test_member_form_reads_the_birth_date_day_first() -> None:
    form = MemberForm(
        member(relationship="child", birth_year="", birth_date="05/03/2015")
    )

    assert form.is_valid(), form.errors
    assert form.cleaned_data["birth_date"] == date(2015, 3, 5)
    assert form.cleaned_data["birth_year"] == 2015


def test_member_formset_refuses_two_heads_directly() -> None:
    formset = MemberFormSet(
        members_data(member(), member(full_name="Quách Thị Hoa", sex="female")),
        instance=Household(),
        prefix="members",
    )

    assert isinstance(formset, BaseMemberFormSet)
    assert not formset.is_valid()
    assert "đúng một chủ hộ (đang có 2)" in formset.non_form_errors()[0]


# --- Reviews -------------------------------------------------------------------------


def post_review(
    client: Client, user: User, household: Household, data: dict[str, str]
) -> Any:
    client.force_login(user)
    return client.post(reverse("households:review_create", args=[household.pk]), data)


def test_review_with_negative_income_is_refused(
    client: Client, officer: User, household_a1: Household
) -> None:
    response = post_review(
        client, officer, household_a1, review_data(income_per_person_month="-1000")
    )

    assert response.status_code == 200
    assert response.context["form"].errors["income_per_person_month"] == [
        "Thu nhập không được âm."
    ]
    assert "không được âm" in page_text(response)
    assert Review.objects.count() == 0


def test_review_dated_tomorrow_is_refused(
    client: Client, officer: User, household_a1: Household
) -> None:
    tomorrow = (TODAY + timedelta(days=1)).strftime("%d/%m/%Y")

    response = post_review(
        client, officer, household_a1, review_data(review_date=tomorrow)
    )

    assert response.status_code == 200
    assert "tương lai" in response.context["form"].errors["review_date"][0]
    assert Review.objects.count() == 0


def test_review_before_any_poverty_standard_is_refused(
    client: Client, officer: User, household_a1: Household
) -> None:
    response = post_review(
        client, officer, household_a1, review_data(review_date="20/11/2020")
    )

    assert response.status_code == 200
    assert "Chưa có chuẩn nghèo" in response.context["form"].errors["review_date"][0]
    assert Review.objects.count() == 0


def test_review_overriding_a_member_derived_indicator_without_a_note_is_refused(
    client: Client, officer: User, household_a1: Household
) -> None:
    # The head is insured, so "Bảo hiểm y tế" is computed as not deprived.
    data = review_data(bao_hiem_y_te="on")

    response = post_review(client, officer, household_a1, data)

    assert response.status_code == 200
    [error] = response.context["form"].errors["note"]
    assert "Ghi lý do" in error
    assert "Bảo hiểm y tế" in error
    assert Review.objects.count() == 0


def test_review_overriding_a_member_derived_indicator_with_a_note_is_saved(
    client: Client, officer: User, household_a1: Household
) -> None:
    data = review_data(bao_hiem_y_te="on", note="Thẻ BHYT bị mất, chưa cấp lại.")

    response = post_review(client, officer, household_a1, data)

    assert response.status_code == 302
    review = Review.objects.get()
    assert review.bao_hiem_y_te is True
    assert review.note == "Thẻ BHYT bị mất, chưa cấp lại."


def test_valid_review_status_is_computed_and_a_posted_status_is_ignored(
    client: Client, officer: User, household_a1: Household
) -> None:
    data = review_data(
        review_date="05/03/2024",
        su_dung_dich_vu_vien_thong="on",
        chat_luong_nha_o="on",
        nguon_nuoc_sinh_hoat="on",
        status=PovertyStatus.NOT_POOR,
        standard_code="bogus",
    )

    response = post_review(client, officer, household_a1, data)

    assert response.status_code == 302
    assert response.url == household_a1.get_absolute_url()
    review = Review.objects.get()
    assert review.status == PovertyStatus.POOR
    assert review.standard_code == "2022-2025"
    assert review.review_date == date(2024, 3, 5)
    assert review.income_per_person_month == 1_200_000
    assert review.household_size == 1
    assert review.recorded_by == officer


def test_review_with_two_deprivations_under_the_line_is_near_poor(
    client: Client, officer: User, household_a1: Household
) -> None:
    data = review_data(su_dung_dich_vu_vien_thong="on", chat_luong_nha_o="on")

    post_review(client, officer, household_a1, data)

    assert Review.objects.get().status == PovertyStatus.NEAR_POOR


def test_review_form_has_no_status_field() -> None:
    assert "status" not in ReviewForm.base_fields
    assert "standard_code" not in ReviewForm.base_fields
    assert "household_size" not in ReviewForm.base_fields


def test_review_form_refuses_negative_income_directly(household_a1: Household) -> None:
    form = ReviewForm(review_data(income_per_person_month="-1"), household=household_a1)

    assert not form.is_valid()
    assert form.errors["income_per_person_month"] == ["Thu nhập không được âm."]


def test_review_of_an_archived_household_is_refused(
    client: Client, officer: User, household_a1: Household
) -> None:
    household_a1.archived_on = date(2025, 1, 2)
    household_a1.archive_reason = ArchiveReason.MOVED_AWAY
    household_a1.save()

    response = post_review(
        client, officer, household_a1, review_data(su_dung_dich_vu_vien_thong="on")
    )

    assert response.status_code == 302
    assert Review.objects.count() == 0


# --- Atomicity: a failed edit leaves the old values -----------------------------------


def test_edit_with_a_bad_member_leaves_the_household_unchanged(
    client: Client, officer: User, household_a1: Household
) -> None:
    client.force_login(officer)
    data = edit_data(household_a1, address="Xóm Mới") | {
        "members-0-birth_year": str(TODAY.year + 1)
    }
    history_before = household_a1.history.count()

    response = client.post(reverse("households:edit", args=[household_a1.pk]), data)

    assert response.status_code == 200
    household_a1.refresh_from_db()
    assert household_a1.address == ""
    assert household_a1.members.get().birth_year == 1980
    assert household_a1.history.count() == history_before


def test_edit_whose_member_save_fails_halfway_leaves_the_household_unchanged(
    client: Client,
    officer: User,
    household_a1: Household,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The household row is written first; a failure after it must undo it."""

    def broken_save(self: BaseMemberFormSet, commit: bool = True) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(BaseMemberFormSet, "save", broken_save)
    client.force_login(officer)
    data = edit_data(household_a1, address="Xóm Mới")

    with pytest.raises(RuntimeError):
        client.post(reverse("households:edit", args=[household_a1.pk]), data)

    household_a1.refresh_from_db()
    assert household_a1.address == ""


def test_create_whose_member_save_fails_halfway_leaves_no_household(
    client: Client,
    officer: User,
    village_a1: Village,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken_save(self: BaseMemberFormSet, commit: bool = True) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(BaseMemberFormSet, "save", broken_save)

    with pytest.raises(RuntimeError):
        post_create(client, officer, household_data(village_a1, member()))

    assert counts() == (0, 0, 0)


def household_of_father_and_son(village: Village, *, head_first: bool) -> Household:
    """A father (head) and his adult son, recorded in either order."""
    household = Household.objects.create(
        commune=village.commune, village=village, code="CN-01-0050"
    )
    father = Member(
        household=household,
        full_name="Bùi Văn Già",
        birth_year=1950,
        sex="male",
        relationship="head",
        has_health_insurance=True,
    )
    son = Member(
        household=household,
        full_name="Bùi Văn Nam",
        birth_year=1995,
        sex="male",
        relationship="child",
        has_health_insurance=True,
    )
    for person in (father, son) if head_first else (son, father):
        person.save()
    return household


@pytest.mark.parametrize("head_first", [True, False], ids=["head_first", "head_last"])
def test_handing_the_head_role_to_another_member_is_saved(
    client: Client, officer: User, village_a1: Village, head_first: bool
) -> None:
    household = household_of_father_and_son(village_a1, head_first=head_first)
    father = household.members.get(relationship="head")
    son = household.members.get(relationship="child")
    rows = {
        father.pk: member(
            id=str(father.pk),
            full_name=father.full_name,
            birth_year="1950",
            relationship="parent",
        ),
        son.pk: member(id=str(son.pk), full_name=son.full_name, birth_year="1995"),
    }
    client.force_login(officer)
    data = {
        "code": household.code,
        "village": str(village_a1.pk),
        "address": "",
        "ethnicity": "muong",
        "registered_on": "01/01/2020",
    } | members_data(*(rows[pk] for pk in sorted(rows)), initial=2)

    response = client.post(reverse("households:edit", args=[household.pk]), data)

    assert response.status_code == 302
    assert household.members.get(relationship="head") == son


@pytest.mark.parametrize("head_first", [True, False], ids=["head_first", "head_last"])
def test_deleting_the_head_and_naming_another_member_head_is_saved(
    client: Client, officer: User, village_a1: Village, head_first: bool
) -> None:
    household = household_of_father_and_son(village_a1, head_first=head_first)
    father = household.members.get(relationship="head")
    son = household.members.get(relationship="child")
    rows = {
        father.pk: member(
            id=str(father.pk),
            full_name=father.full_name,
            birth_year="1950",
            DELETE="on",
        ),
        son.pk: member(id=str(son.pk), full_name=son.full_name, birth_year="1995"),
    }
    client.force_login(officer)
    data = {
        "code": household.code,
        "village": str(village_a1.pk),
        "address": "",
        "ethnicity": "muong",
        "registered_on": "01/01/2020",
    } | members_data(*(rows[pk] for pk in sorted(rows)), initial=2)

    response = client.post(reverse("households:edit", args=[household.pk]), data)

    assert response.status_code == 302
    assert list(household.members.all()) == [son]
    assert household.members.get().relationship == "head"


# --- Archive and restore --------------------------------------------------------------


def post_archive(
    client: Client, user: User, household: Household, data: dict[str, str]
) -> Any:
    client.force_login(user)
    return client.post(reverse("households:archive", args=[household.pk]), data)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"archived_on": "05/03/2025", "archive_reason": ""}, "archive_reason"),
        ({"archived_on": "", "archive_reason": "moved_away"}, "archived_on"),
        (
            {
                "archived_on": (TODAY + timedelta(days=1)).strftime("%d/%m/%Y"),
                "archive_reason": "moved_away",
            },
            "archived_on",
        ),
        ({"archived_on": "05/03/2025", "archive_reason": "vanished"}, "archive_reason"),
    ],
    ids=["no_reason", "no_date", "date_tomorrow", "unknown_reason"],
)
def test_archive_needs_a_reason_and_a_past_date(
    client: Client,
    officer: User,
    household_a1: Household,
    data: dict[str, str],
    field: str,
) -> None:
    response = post_archive(client, officer, household_a1, data | {"archive_note": ""})

    assert response.status_code == 200
    assert field in response.context["form"].errors
    household_a1.refresh_from_db()
    assert household_a1.archived_on is None
    assert household_a1.archive_reason == ""


def test_archive_post_without_any_field_shows_the_required_errors(
    client: Client, officer: User, household_a1: Household
) -> None:
    response = post_archive(client, officer, household_a1, {})

    assert response.context["form"].errors


def test_archive_form_requires_a_reason_and_a_date_directly(
    household_a1: Household,
) -> None:
    form = ArchiveForm({"archived_on": "", "archive_reason": ""}, instance=household_a1)

    assert not form.is_valid()
    assert set(form.errors) == {"archived_on", "archive_reason"}


def listed_codes(client: Client, query: str = "") -> list[str]:
    response = client.get(reverse("households:list") + query)
    return [household.code for household in response.context["page"].object_list]


def test_archived_household_leaves_the_list_but_is_kept_and_restore_brings_it_back(
    client: Client, officer: User, household_a1: Household, household_a2: Household
) -> None:
    response = post_archive(
        client,
        officer,
        household_a1,
        {
            "archived_on": "05/03/2025",
            "archive_reason": "moved_away",
            "archive_note": "",
        },
    )

    assert response.status_code == 302
    household_a1.refresh_from_db()
    assert household_a1.archived_on == date(2025, 3, 5)
    assert household_a1.archive_reason == ArchiveReason.MOVED_AWAY
    assert household_a1.members.count() == 1
    assert listed_codes(client) == [household_a2.code]
    assert listed_codes(client, "?archived=yes") == [household_a1.code]
    assert listed_codes(client, "?archived=all") == [
        household_a1.code,
        household_a2.code,
    ]
    detail = client.get(household_a1.get_absolute_url())
    assert detail.status_code == 200
    assert "Đã lưu trữ" in page_text(detail)

    response = client.post(reverse("households:restore", args=[household_a1.pk]))

    assert response.status_code == 302
    household_a1.refresh_from_db()
    assert household_a1.archived_on is None
    assert household_a1.archive_reason == ""
    assert listed_codes(client) == [household_a1.code, household_a2.code]


def test_restoring_a_household_that_is_not_archived_changes_nothing(
    client: Client, officer: User, household_a1: Household
) -> None:
    client.force_login(officer)
    before = household_a1.history.count()

    response = client.post(reverse("households:restore", args=[household_a1.pk]))

    assert response.status_code == 302
    assert household_a1.history.count() == before


def test_archived_household_is_not_counted_on_the_villages_page(
    client: Client, officer: User, household_a1: Household
) -> None:
    post_archive(
        client,
        officer,
        household_a1,
        {
            "archived_on": "05/03/2025",
            "archive_reason": "dissolved",
            "archive_note": "",
        },
    )

    response = client.get(reverse("households:villages"))

    rows = response.context["rows"]
    assert [r["households"] for r in rows] == [0]
    assert Household.objects.filter(pk=household_a1.pk).exists()


# --- History --------------------------------------------------------------------------


def test_editing_through_the_view_writes_one_history_row_by_the_officer(
    client: Client, officer: User, household_a1: Household
) -> None:
    client.force_login(officer)
    before = household_a1.history.count()

    response = client.post(
        reverse("households:edit", args=[household_a1.pk]),
        edit_data(household_a1, address="Xóm Mới"),
    )

    assert response.status_code == 302
    assert household_a1.history.count() == before + 1
    latest = household_a1.history.latest()
    assert latest.history_user == officer
    assert latest.history_type == "~"
    assert latest.address == "Xóm Mới"


def test_detail_page_shows_the_change_history_with_the_officer_name(
    client: Client, officer: User, household_a1: Household
) -> None:
    client.force_login(officer)
    client.post(
        reverse("households:edit", args=[household_a1.pk]),
        edit_data(household_a1, address="Xóm Mới"),
    )

    page = page_text(client.get(household_a1.get_absolute_url()))

    history = page[page.index("Lịch sử thay đổi") :]
    assert "Bùi Thị Lan" in history
    assert "địa chỉ" in history


def test_recording_a_review_shows_in_the_history_with_the_officer_name(
    client: Client, officer: User, household_a1: Household
) -> None:
    post_review(
        client, officer, household_a1, review_data(su_dung_dich_vu_vien_thong="on")
    )

    page = page_text(client.get(household_a1.get_absolute_url()))

    history = page[page.index("Lịch sử thay đổi") :]
    assert f"Tạo phiếu rà soát {REVIEW_DAY} — Bùi Thị Lan" in history.replace(
        "</strong>", ""
    ).replace("<strong>", "")
