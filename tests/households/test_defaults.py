"""Defaults that make sense: a new member's work is asked, the next household code is
suggested following the village's pattern."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from giamngheo.models import User
from households.codes import first_code, next_code, suggest_code
from households.forms import MemberForm
from households.models import Household, Village
from tests.conftest import make_household


def text(response: Any) -> str:
    return response.content.decode()


# --- A new member's employment -------------------------------------------------------


def test_a_new_members_employment_starts_blank() -> None:
    form = MemberForm()
    html = str(form["employment"])
    assert '<option value="" selected>— Chọn việc làm —</option>' in html
    assert "selected>Tự làm" not in html


def test_a_new_member_without_employment_is_asked_for_it() -> None:
    form = MemberForm(
        {
            "full_name": "Bùi Thị Na",
            "relationship": "child",
            "sex": "female",
            "birth_year": "2024",
            "ethnicity": "muong",
            "education_level": "none",
        }
    )
    assert not form.is_valid()
    assert form.errors["employment"] == [
        "Chọn việc làm của nhân khẩu (trẻ nhỏ: “Trẻ em (chưa đến tuổi lao động)”; "
        "học sinh: “Đang đi học”)."
    ]


@pytest.mark.django_db
def test_the_add_household_page_shows_employment_blank_and_outside_the_details(
    client: Client, officer: User, village_a1: Village
) -> None:
    client.force_login(officer)
    page = text(client.get(reverse("households:create")))
    first_member = page.split("<details")[0]
    assert 'name="members-0-employment"' in first_member
    assert '<option value="" selected>— Chọn việc làm —</option>' in first_member


@pytest.mark.django_db
def test_an_existing_members_employment_is_kept(household_a1: Household) -> None:
    head = household_a1.members.get()
    form = MemberForm(instance=head)
    assert "— Chọn việc làm —" not in str(form["employment"])
    assert form["employment"].value() == "self_employed"


# --- The next free household code ----------------------------------------------------


@pytest.mark.parametrize(
    ("village_codes", "taken", "expected"),
    [
        (["CN-01-0001", "CN-01-0007", "CN-01-0003"], [], "CN-01-0008"),
        # The most used prefix wins; an odd code does not break the pattern.
        (["CN-01-0001", "CN-01-0002", "LM-9"], [], "CN-01-0003"),
        # A code taken in another village is skipped.
        (["CN-01-0001"], ["CN-01-0002", "CN-01-0003"], "CN-01-0004"),
        # The width grows only when the numbers do.
        (["A-99"], [], "A-100"),
        (["X7", "X12"], [], "X13"),
        # No number at the end: no pattern to follow.
        (["LANG-MOI"], [], None),
        ([], [], None),
    ],
)
def test_next_code_follows_the_village_pattern(
    village_codes: list[str], taken: list[str], expected: str | None
) -> None:
    assert next_code(village_codes, [*village_codes, *taken]) == expected


def test_first_code_of_an_empty_village_follows_the_position_pattern() -> None:
    coded = [(1, "CN-01-0042"), (2, "CN-02-0007"), (3, "LM-17")]
    assert first_code(9, coded, [c for _, c in coded]) == "CN-09-0001"
    assert first_code(9, [(1, "LM-17")], ["LM-17"]) is None


@pytest.mark.django_db
def test_suggest_code_reads_the_village_and_the_whole_commune(
    village_a1: Village, village_a2: Village
) -> None:
    make_household(village_a1, "CN-01-0001")
    make_household(village_a1, "CN-01-0005")
    # Somebody gave a household of another village the next code.
    make_household(village_a2, "CN-01-0006", "Quách Thị Lan")
    assert suggest_code(village_a1) == "CN-01-0007"


@pytest.mark.django_db
def test_choosing_a_village_fills_in_its_next_free_code(
    client: Client, officer: User, village_a1: Village, village_a2: Village
) -> None:
    make_household(village_a1, "CN-01-0041")
    make_household(village_a2, "CN-02-0012", "Quách Thị Lan")
    client.force_login(officer)
    page = text(client.get(reverse("households:create")))
    assert f'hx-get="{reverse("households:code_suggestion")}"' in page
    assert 'hx-target="#code-field"' in page

    url = reverse("households:code_suggestion")
    response = client.get(url, {"village": village_a2.pk, "code": ""})
    assert response.status_code == 200
    html = text(response)
    assert html.strip().startswith('<div id="code-field">')
    assert 'value="CN-02-0013"' in html
    assert "Mã hộ tiếp theo còn trống của thôn: <strong>CN-02-0013</strong>" in html

    # The officer changes village: the suggestion follows; a typed code is kept.
    changed = text(
        client.get(
            url,
            {
                "village": village_a1.pk,
                "code": "CN-02-0013",
                "suggested_code": "CN-02-0013",
            },
        )
    )
    assert 'value="CN-01-0042"' in changed
    typed = text(client.get(url, {"village": village_a1.pk, "code": "CN-01-0200"}))
    assert 'value="CN-01-0200"' in typed
    assert "CN-01-0042" in typed  # still shown as the suggestion


@pytest.mark.django_db
def test_code_suggestion_never_reads_another_scope(
    client: Client, head_a1: User, village_a2: Village, village_b1: Village
) -> None:
    make_household(village_a2, "CN-02-0012", "Quách Thị Lan")
    make_household(village_b1, "MT-01-0003", "Hà Văn Sơn")
    client.force_login(head_a1)
    for village in (village_a2, village_b1):
        html = text(
            client.get(reverse("households:code_suggestion"), {"village": village.pk})
        )
        assert "code-suggestion" not in html
        assert "CN-02-0013" not in html and "MT-01-0004" not in html


@pytest.mark.django_db
def test_a_village_head_gets_the_code_already_filled_in(
    client: Client, head_a1: User, village_a1: Village
) -> None:
    make_household(village_a1, "CN-01-0041")
    client.force_login(head_a1)
    page = text(client.get(reverse("households:create")))
    assert 'value="CN-01-0042"' in page
