"""Sửa cùng lúc (households/edit_conflicts.py): two users open the same household's
form; the first saves; the second's stale save is refused with what changed, writes
nothing, and a second "Lưu" of the page shown again applies the second's values."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from giamngheo.models import User
from households.models import Household, Review
from tests.conftest import make_review
from tests.form_pages import post_form


def opened(user: User, url: str) -> tuple[Client, dict[str, Any]]:
    """A client of `user` that opened the page, and the form it holds."""
    client = Client()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return client, post_form(response)


@pytest.mark.django_db
def test_stale_household_save_is_refused_and_can_be_applied_again(
    officer: User, head_a1: User, household_a1: Household
) -> None:
    url = reverse("households:edit", args=[household_a1.pk])
    officer_client, officer_form = opened(officer, url)
    head_client, head_form = opened(head_a1, url)

    officer_form["address"] = "Xóm Chiềng"
    officer_form["members-0-full_name"] = "Bùi Văn Hưng"
    assert officer_client.post(url, officer_form).status_code == 302

    head_form["no_labour_capacity"] = "on"
    refused = head_client.post(url, head_form)

    assert refused.status_code == 409
    page = refused.content.decode()
    assert "người khác đã sửa nội dung này sau khi bạn mở trang" in page
    assert "địa chỉ: lúc bạn mở trang là “(trống)”, nay là “Xóm Chiềng”" in page
    assert "Nhân khẩu Bùi Văn Hưng: họ và tên" in page
    assert "“Bùi Văn Hùng”, nay là “Bùi Văn Hưng”" in page
    household_a1.refresh_from_db()
    assert household_a1.address == "Xóm Chiềng"
    assert household_a1.no_labour_capacity is False
    assert household_a1.members.get().full_name == "Bùi Văn Hưng"

    # The page shown again keeps the head's tick, at the current version: a second
    # "Lưu" applies it knowingly (and, the form being the head's, his other values).
    again = post_form(refused)
    assert again["no_labour_capacity"] == "on"
    assert again["loaded_version"] != head_form["loaded_version"]
    again["address"] = "Xóm Chiềng"
    again["members-0-full_name"] = "Bùi Văn Hưng"
    assert head_client.post(url, again).status_code == 302
    household_a1.refresh_from_db()
    assert household_a1.no_labour_capacity is True
    assert household_a1.address == "Xóm Chiềng"


@pytest.mark.django_db
def test_save_after_a_change_of_no_value_goes_through(
    officer: User, head_a1: User, household_a1: Household
) -> None:
    """The other user saved the very values loaded: nothing would be overwritten."""
    url = reverse("households:edit", args=[household_a1.pk])
    officer_client, officer_form = opened(officer, url)
    head_client, head_form = opened(head_a1, url)
    assert officer_client.post(url, officer_form).status_code == 302

    head_form["address"] = "Xóm Mới"
    response = head_client.post(url, head_form)
    assert response.status_code == 302, response.context["edit_conflict"].changes
    household_a1.refresh_from_db()
    assert household_a1.address == "Xóm Mới"


@pytest.mark.django_db
def test_change_by_another_write_path_is_seen_too(
    officer: User, household_a1: Household
) -> None:
    """The version is the history: a change saved outside the form (an import, the
    admin) refuses a stale form as well."""
    url = reverse("households:edit", args=[household_a1.pk])
    client, form = opened(officer, url)
    household_a1.address = "Bản Lở"
    household_a1.save()

    form["address"] = "Xóm Chiềng"
    refused = client.post(url, form)

    assert refused.status_code == 409
    assert "nay là “Bản Lở”" in refused.content.decode()
    household_a1.refresh_from_db()
    assert household_a1.address == "Bản Lở"


@pytest.mark.django_db
def test_stale_review_is_refused_when_the_household_got_a_review_meanwhile(
    officer: User, head_a1: User, household_a1: Household
) -> None:
    make_review(household_a1)
    url = reverse("households:review_create", args=[household_a1.pk])
    first, first_form = opened(officer, url)
    second, second_form = opened(officer, url)

    facts = {"kind": "regular", "review_date": "20/11/2025"}
    first_form |= facts | {"income_per_person_month": "900000", "reviewer_name": "A"}
    response = first.post(url, first_form)
    assert response.status_code == 302, response.context["form"].errors
    second_form |= facts | {"income_per_person_month": "3000000", "reviewer_name": "B"}
    refused = second.post(url, second_form)

    assert refused.status_code == 409
    page = refused.content.decode()
    assert "người khác đã sửa nội dung này sau khi bạn mở trang" in page
    assert "Phiếu rà soát ngày" in page
    assert "đã thêm" in page
    assert list(
        Review.objects.filter(household=household_a1).values_list(
            "reviewer_name", flat=True
        )
    ) == ["A", "Bùi Văn Thắng"]

    again = post_form(refused)
    assert again["income_per_person_month"] in ("3000000", "3.000.000")
    assert second.post(url, again).status_code == 302
    assert Review.objects.filter(reviewer_name="B").exists()


# The refused page is a three-way merge -------------------------------------------


def _with_spouse(form: dict[str, Any], name: str = "Quách Thị Nguyệt") -> None:
    """Add a second member row to a posted household form."""
    form |= {
        "members-TOTAL_FORMS": "2",
        "members-1-full_name": name,
        "members-1-relationship": "spouse",
        "members-1-sex": "female",
        "members-1-birth_year": "1978",
        "members-1-ethnicity": "muong",
        "members-1-attends_school": "unknown",
        "members-1-education_level": "primary",
        "members-1-employment": "self_employed",
    }


@pytest.mark.django_db
def test_refused_form_keeps_the_other_users_change_to_a_field_left_alone(
    officer: User, head_a1: User, household_a1: Household
) -> None:
    """The officer changes the address; the head, whose page was open before, only
    ticks a box. His page shown again holds the officer's address and his tick, so
    his second "Lưu" keeps both instead of putting the old address back."""
    url = reverse("households:edit", args=[household_a1.pk])
    officer_client, officer_form = opened(officer, url)
    head_client, head_form = opened(head_a1, url)
    officer_form["address"] = "Xóm Chiềng"
    officer_form["members-0-full_name"] = "Bùi Văn Hưng"
    assert officer_client.post(url, officer_form).status_code == 302

    head_form["no_labour_capacity"] = "on"
    refused = head_client.post(url, head_form)

    assert refused.status_code == 409
    assert "cả hai cùng sửa:" not in refused.content.decode()
    again = post_form(refused)
    assert again["address"] == "Xóm Chiềng"
    assert again["members-0-full_name"] == "Bùi Văn Hưng"
    assert again["no_labour_capacity"] == "on"
    assert head_client.post(url, again).status_code == 302
    household_a1.refresh_from_db()
    assert household_a1.address == "Xóm Chiềng"
    assert household_a1.no_labour_capacity is True
    assert household_a1.members.get().full_name == "Bùi Văn Hưng"


@pytest.mark.django_db
def test_a_field_both_changed_keeps_the_users_value_and_is_marked(
    officer: User, head_a1: User, household_a1: Household
) -> None:
    url = reverse("households:edit", args=[household_a1.pk])
    officer_client, officer_form = opened(officer, url)
    head_client, head_form = opened(head_a1, url)
    officer_form["address"] = "Xóm Chiềng"
    assert officer_client.post(url, officer_form).status_code == 302

    head_form["address"] = "Bản Lở"
    refused = head_client.post(url, head_form)

    assert refused.status_code == 409
    page = refused.content.decode()
    assert "nay là “Xóm Chiềng”" in page
    assert "cả hai cùng sửa:" in page
    assert post_form(refused)["address"] == "Bản Lở"


@pytest.mark.django_db
def test_a_member_the_other_user_added_survives_the_second_save(
    officer: User, head_a1: User, household_a1: Household
) -> None:
    url = reverse("households:edit", args=[household_a1.pk])
    officer_client, officer_form = opened(officer, url)
    head_client, head_form = opened(head_a1, url)
    _with_spouse(officer_form)
    response = officer_client.post(url, officer_form)
    assert response.status_code == 302, response.context["members"].errors

    head_form["no_labour_capacity"] = "on"
    refused = head_client.post(url, head_form)

    assert refused.status_code == 409
    again = post_form(refused)
    assert again["members-TOTAL_FORMS"] == "2"
    assert again["members-INITIAL_FORMS"] == "2"
    assert head_client.post(url, again).status_code == 302
    household_a1.refresh_from_db()
    assert household_a1.no_labour_capacity is True
    assert sorted(household_a1.members.values_list("full_name", flat=True)) == [
        "Bùi Văn Hùng",
        "Quách Thị Nguyệt",
    ]


@pytest.mark.django_db
def test_a_member_the_other_user_deleted_is_not_made_again(
    officer: User, head_a1: User, household_a1: Household
) -> None:
    url = reverse("households:edit", args=[household_a1.pk])
    client = Client()
    client.force_login(officer)
    form = post_form(client.get(url))
    _with_spouse(form)
    assert client.post(url, form).status_code == 302

    officer_client, officer_form = opened(officer, url)
    head_client, head_form = opened(head_a1, url)
    spouse = next(k for k, v in officer_form.items() if v == "Quách Thị Nguyệt")
    row = spouse.removesuffix("full_name")
    officer_form[f"{row}DELETE"] = "on"
    assert officer_client.post(url, officer_form).status_code == 302

    head_form[f"{row}birth_year"] = "1979"
    refused = head_client.post(url, head_form)

    assert refused.status_code == 409
    page = refused.content.decode()
    assert "đã xóa" in page
    assert "những gì bạn sửa ở dòng này đã bỏ" in page
    again = post_form(refused)
    assert "Quách Thị Nguyệt" not in again.values()
    assert head_client.post(url, again).status_code == 302
    assert list(household_a1.members.values_list("full_name", flat=True)) == [
        "Bùi Văn Hùng"
    ]


@pytest.mark.django_db
def test_a_double_click_on_lưu_saves_once_and_is_no_conflict(
    officer: User, household_a1: Household
) -> None:
    """The second click of a double click carries the same version as the first,
    which has just moved it: without the form's one-time token it would meet the
    user's own change as a conflict (409)."""
    url = reverse("households:edit", args=[household_a1.pk])
    client, form = opened(officer, url)
    form["address"] = "Xóm Chiềng"
    records = household_a1.history.count()

    first = client.post(url, form)
    second = client.post(url, form)

    assert first.status_code == second.status_code == 302
    assert second.url == first.url
    assert household_a1.history.count() == records + 1
