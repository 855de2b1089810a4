"""A round's results hold from the chairman's recognition, not from the survey day
(QĐ 24/2021/QĐ-TTg Điều 4 khoản 4): `Review.objects.in_force_on`, and every reader of
"the status on a day" through it."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from giamngheo.models import User
from households.models import (
    Household,
    RegularDecision,
    Review,
    ReviewKind,
    ReviewRound,
)
from tests.conftest import make_review

POOR = ("viec_lam", "chat_luong_nha_o", "nguon_nuoc_sinh_hoat")
SURVEYED = date(2024, 10, 6)
RECOGNISED = date(2024, 12, 14)

pytestmark = pytest.mark.django_db


@pytest.fixture
def surveyed(household_a1: Household) -> tuple[Household, ReviewRound]:
    """Poor at the end-2023 review; surveyed near-poor in the 2024 round."""
    make_review(household_a1, deprived=POOR, on=date(2023, 11, 20))
    review_round = ReviewRound.objects.create(
        commune=household_a1.commune, year=2024, opened_on=date(2024, 9, 1)
    )
    make_review(household_a1, on=SURVEYED, round=review_round)
    return household_a1, review_round


def status_on(household: Household, day: date) -> str | None:
    return (
        Household.objects.filter(pk=household.pk)
        .with_status_on(day)
        .values_list("status", flat=True)
        .get()
    )


def test_an_open_rounds_review_is_not_yet_in_force(
    surveyed: tuple[Household, ReviewRound],
) -> None:
    household, _ = surveyed
    assert status_on(household, SURVEYED) == "poor"
    assert status_on(household, date(2024, 12, 31)) == "poor"
    assert household.latest_review(date(2024, 12, 31)).review_date == date(2023, 11, 20)


def test_a_recognised_round_holds_from_its_decision_date(
    surveyed: tuple[Household, ReviewRound],
) -> None:
    household, review_round = surveyed
    review_round.closed_on = RECOGNISED
    review_round.save()
    assert status_on(household, date(2024, 12, 13)) == "poor"
    assert status_on(household, RECOGNISED) == "near_poor"
    review = household.latest_review(RECOGNISED)
    assert review is not None and review.takes_effect_on == RECOGNISED


def test_a_reopened_round_withdraws_its_results(
    surveyed: tuple[Household, ReviewRound],
) -> None:
    household, review_round = surveyed
    review_round.closed_on = RECOGNISED
    review_round.save()
    review_round.closed_on = None  # reopened: the recognition is withdrawn
    review_round.save()
    assert status_on(household, date(2024, 12, 31)) == "poor"


def test_a_regular_review_holds_from_the_chairmans_decision(
    surveyed: tuple[Household, ReviewRound],
) -> None:
    """QĐ 24/2021 Điều 5: a regular review is recognised by a decision of the
    chairman; before it, the household keeps the result in force."""
    household, review_round = surveyed
    review_round.closed_on = RECOGNISED
    review_round.save()
    regular = make_review(
        household, deprived=POOR, on=date(2024, 12, 16), kind=ReviewKind.REGULAR
    )
    assert regular.takes_effect_on is None
    assert status_on(household, date(2024, 12, 31)) == "near_poor"

    regular.regular_decision = RegularDecision.objects.create(
        commune=household.commune,
        number="88/QĐ-UBND",
        signed_on=date(2024, 12, 20),
        signer_name="Phạm Văn Hòa",
    )
    regular.save()
    assert regular.takes_effect_on == date(2024, 12, 20)
    assert status_on(household, date(2024, 12, 19)) == "near_poor"
    assert status_on(household, date(2024, 12, 20)) == "poor"
    ordered = list(
        Review.objects.in_force_on(date(2024, 12, 31)).filter(household=household)
    )
    assert [r.review_date for r in ordered] == [
        date(2024, 12, 16),
        SURVEYED,
        date(2023, 11, 20),
    ]


def test_the_household_page_shows_the_result_in_force_and_the_one_awaiting(
    client: Client, officer: User, surveyed: tuple[Household, ReviewRound]
) -> None:
    household, _ = surveyed
    client.force_login(officer)
    response = client.get(household.get_absolute_url())
    assert response.context["latest"].review_date == date(2023, 11, 20)
    page = response.content.decode()
    assert 'id="cho-cong-nhan"' in page
    assert "chờ Chủ tịch UBND xã công nhận" in page
