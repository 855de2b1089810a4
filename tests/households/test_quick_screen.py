"""Phiếu A (nhận dạng nhanh): the rule of the question list at its edges, the page
from the household and the round, and the round's count of households screened out."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from giamngheo.models import User
from households import quick_screen
from households.models import Household, ReviewRound
from households.surveys import QuickScreen, QuickScreenResult

SAMPLE = quick_screen.question_list("2022-2025-mau")


@pytest.mark.parametrize(
    ("yes", "expected"),
    [
        (set(), quick_screen.CONTINUE),
        ({"o_to"}, quick_screen.SCREENED_OUT),
        ({"tu_lanh", "may_giat"}, quick_screen.CONTINUE),
        ({"tu_lanh", "may_giat", "may_tinh"}, quick_screen.SCREENED_OUT),
    ],
    ids=["nothing", "one_of_group_1", "two_of_group_2", "three_of_group_2"],
)
def test_the_sample_rule_at_its_edges(yes: set[str], expected: str) -> None:
    assert SAMPLE.decide(yes).result == expected


def test_the_reasons_name_what_was_ticked() -> None:
    reasons = SAMPLE.decide({"o_to"}).reasons
    assert "Nhóm 1: 1 đặc điểm: Hộ có ô tô" in reasons
    assert reasons.endswith("dừng rà soát, hộ không thuộc diện lập Phiếu B.")


def test_an_unknown_question_is_refused() -> None:
    with pytest.raises(ValueError, match="không có trong Phiếu A: thuyen"):
        SAMPLE.decide({"thuyen"})


def test_the_sample_list_is_marked_and_belongs_to_its_standard() -> None:
    assert SAMPLE.mark == "Bộ câu hỏi mẫu — chưa đối chiếu văn bản gốc"
    assert quick_screen.list_for("2022-2025") == SAMPLE
    assert quick_screen.list_for("2027-2030") is None


def screen_data(*yes: str, day: str = "20/11/2025") -> dict[str, str]:
    return {
        "screen_date": day,
        "screener_name": "Bùi Văn Thắng",
        **{f"a__{code}": "on" for code in yes},
    }


def test_a_screened_out_household_is_counted_in_the_round(
    client: Client, officer: User, household_a1: Household, household_a2: Household
) -> None:
    review_round = ReviewRound.objects.create(
        commune=household_a1.commune, year=2025, opened_on=date(2025, 9, 1)
    )
    client.force_login(officer)
    url_1 = reverse("households:quick_screen", args=[household_a1.pk])
    url_2 = reverse("households:quick_screen", args=[household_a2.pk])

    out = client.post(url_1, screen_data("o_to"))
    on = client.post(url_2, screen_data("tu_lanh"))

    assert out.url == household_a1.get_absolute_url()
    assert on.url == reverse("households:review_create", args=[household_a2.pk]) + (
        "?dot=2025"
    )
    screen = QuickScreen.objects.get(household=household_a1)
    assert screen.round == review_round
    assert screen.result == QuickScreenResult.SCREENED_OUT
    assert screen.answers == ["o_to"]
    assert screen.recorded_by == officer
    page = client.get(reverse("households:round_detail", args=[2025]))
    assert page.context["screens"].households == 2
    assert page.context["screens"].screened_out == 1
    assert page.context["screens"].continued == 1
    assert "<strong>1</strong> hộ dừng rà soát" in page.content.decode()
    detail = client.get(household_a1.get_absolute_url()).content.decode()
    assert "Dừng rà soát" in detail
    assert "Bộ câu hỏi mẫu — chưa đối chiếu văn bản gốc" in detail


def test_the_form_shows_the_questions_and_the_sample_mark(
    client: Client, officer: User, household_a1: Household
) -> None:
    client.force_login(officer)
    page = client.get(reverse("households:quick_screen", args=[household_a1.pk]))
    html = page.content.decode()
    assert "Hộ có ô tô" in html
    assert "Bộ câu hỏi mẫu — chưa đối chiếu văn bản gốc" in html


def test_a_future_date_is_refused_and_nothing_is_lost(
    client: Client, officer: User, household_a1: Household
) -> None:
    client.force_login(officer)
    url = reverse("households:quick_screen", args=[household_a1.pk])
    response = client.post(url, screen_data("o_to", day="01/01/2099"))

    assert response.status_code == 200
    assert "không được ở tương lai" in response.content.decode()
    assert response.context["form"]["a__o_to"].value() is True  # nothing lost
    assert not QuickScreen.objects.exists()
