"""The status periods (households/status_history.py) never drift from the rule: after
random histories of reviews, rounds closed and reopened and regular decisions, the
periods kept by the signals equal a rebuild from scratch, and the status the join
gives on any day equals the rule's own query (`ReviewQuerySet.in_force_on`)."""

from __future__ import annotations

import random
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import OuterRef, Subquery

from households import status_history
from households.models import (
    Household,
    RegularDecision,
    Review,
    ReviewKind,
    ReviewRound,
    StatusPeriod,
    Village,
)
from households.poverty import INDICATOR_SLUGS, PovertyStatus
from households.status_history import Claim, Period, periods
from tests.conftest import make_household

D = date


def test_each_day_a_review_takes_effect_starts_a_period() -> None:
    claims = [
        Claim(1, D(2022, 12, 10), D(2022, 10, 1), "poor"),
        Claim(2, D(2023, 12, 10), D(2023, 10, 1), "near_poor"),
        Claim(3, D(2023, 5, 2), D(2023, 5, 2), "poor"),
    ]
    assert periods(claims) == [
        Period(1, "poor", D(2022, 12, 10), D(2023, 5, 2)),
        Period(3, "poor", D(2023, 5, 2), D(2023, 12, 10)),
        Period(2, "near_poor", D(2023, 12, 10), None),
    ]


def test_of_two_taking_effect_the_same_day_the_later_review_holds() -> None:
    claims = [
        Claim(7, D(2023, 12, 10), D(2023, 11, 1), "not_poor"),
        Claim(5, D(2023, 12, 10), D(2023, 11, 2), "poor"),
        Claim(9, D(2023, 12, 10), D(2023, 11, 2), "near_poor"),
    ]
    assert periods(claims) == [Period(9, "near_poor", D(2023, 12, 10), None)]
    assert periods([]) == []


def reference(day: date) -> dict[int, tuple[object, ...]]:
    """Status and indicators by the rule's own query, as `with_status_on` and
    `with_indicators_on` read them before the periods (one query)."""
    latest = Review.objects.in_force_on(day).filter(household=OuterRef("pk"))
    rows = Household.objects.annotate(
        in_force_status=Subquery(latest.values("status")[:1]),
        **{f"in_force_{s}": Subquery(latest.values(s)[:1]) for s in INDICATOR_SLUGS},
    ).values_list("pk", "in_force_status", *[f"in_force_{s}" for s in INDICATOR_SLUGS])
    return {pk: tuple(rest) for pk, *rest in rows}


def joined(day: date) -> dict[int, tuple[object, ...]]:
    rows = (
        Household.objects.with_status_on(day)
        .with_indicators_on(day, *INDICATOR_SLUGS)
        .values_list("pk", "status", *[f"deprived_{s}" for s in INDICATOR_SLUGS])
    )
    return {pk: tuple(rest) for pk, *rest in rows}


def kept() -> list[tuple[int, int, int, str, date, date | None]]:
    return list(
        StatusPeriod.objects.order_by("household", "valid_from").values_list(
            "household_id",
            "commune_id",
            "review_id",
            "status",
            "valid_from",
            "valid_until",
        )
    )


def check(days: list[date]) -> None:
    before = kept()
    status_history.rebuild()
    assert kept() == before, "the periods kept drifted from a rebuild"
    for day in days:
        assert joined(day) == reference(day), day


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_histories_never_drift(village_a1: Village, seed: int) -> None:
    rng = random.Random(seed)
    commune = village_a1.commune
    households = [
        make_household(village_a1, f"CN-01-{n:04d}", f"Bùi Văn {n}") for n in range(4)
    ]
    rounds: dict[int, ReviewRound] = {}
    decisions: list[RegularDecision] = []
    days = [D(2021, 1, 1) + timedelta(days=rng.randrange(1500)) for _ in range(6)]
    for step in range(40):
        action = rng.choice(
            [
                "review",
                "review",
                "round_review",
                "close",
                "reopen",
                "regular",
                "decide",
                "delete",
                "edit",
            ]
        )
        household = rng.choice(households)
        year = rng.choice([2022, 2023, 2024])
        on = D(year, rng.randint(9, 11), rng.randint(1, 28))
        income = rng.choice([800_000, 1_400_000, 2_500_000])
        deprived = rng.sample(list(INDICATOR_SLUGS), rng.randint(0, 4))
        if action == "review":
            review = Review(
                household=household,
                review_date=on - timedelta(days=rng.randrange(200)),
                reviewer_name="Bùi Văn Thắng",
                income_per_person_month=income,
                household_size=1,
            )
            for slug in deprived:
                setattr(review, slug, True)
            review.save()
        elif action == "round_review":
            review_round = rounds.get(year)
            if review_round is None:
                review_round = rounds[year] = ReviewRound.objects.create(
                    commune=commune, year=year, opened_on=D(year, 9, 1)
                )
            if review_round.closed_on is None:
                Review.objects.create(
                    household=household,
                    review_date=on,
                    round=review_round,
                    reviewer_name="Bùi Văn Thắng",
                    income_per_person_month=income,
                    household_size=1,
                    **dict.fromkeys(deprived, True),
                )
        elif action == "close" and rounds:
            review_round = rng.choice(list(rounds.values()))
            review_round.closed_on = D(review_round.year, 12, rng.randint(1, 14))
            review_round.save()
        elif action == "reopen" and rounds:
            review_round = rng.choice(list(rounds.values()))
            review_round.closed_on = None
            review_round.save()
        elif action == "regular":
            Review.objects.create(
                household=household,
                review_date=on,
                kind=ReviewKind.REGULAR,
                reviewer_name="Bùi Văn Thắng",
                income_per_person_month=income,
                household_size=1,
            )
        elif action == "decide":
            awaiting = list(
                Review.objects.filter(
                    kind=ReviewKind.REGULAR, regular_decision__isnull=True
                )
            )
            if awaiting:
                decision = RegularDecision.objects.create(
                    commune=commune,
                    number=f"{step}/QĐ-UBND",
                    signed_on=max(r.review_date for r in awaiting)
                    + timedelta(days=rng.randrange(1, 30)),
                    signer_name="Phạm Văn Hòa",
                )
                decisions.append(decision)
                for review in awaiting:
                    review.regular_decision = decision
                    review.save(update_fields=["regular_decision"])
        elif action == "delete":
            review = Review.objects.order_by("?").first()
            if review is not None:
                review.delete()
        elif action == "edit":
            review = Review.objects.order_by("?").first()
            if review is not None:
                review.income_per_person_month = income
                review.viec_lam = not review.viec_lam
                review.save()
        if step == 19:
            check(days)
    check(days)


@pytest.mark.django_db
def test_the_command_rebuilds_every_period(household_a1: Household) -> None:
    Review.objects.create(
        household=household_a1,
        review_date=D(2023, 5, 2),
        reviewer_name="Bùi Văn Thắng",
        income_per_person_month=900_000,
        household_size=1,
        **dict.fromkeys(["viec_lam", "chat_luong_nha_o", "nguon_nuoc_sinh_hoat"], True),
    )
    before = kept()
    StatusPeriod.objects.all().delete()
    out = StringIO()
    call_command("rebuild_status_periods", stdout=out)
    assert kept() == before
    assert "1 thời kỳ" in out.getvalue()
    assert Household.objects.with_status_on(D(2023, 6, 1)).get().status == (
        PovertyStatus.POOR
    )


@pytest.mark.django_db
def test_a_household_moved_to_another_commune_takes_its_periods(
    household_a1: Household, village_b1: Village
) -> None:
    Review.objects.create(
        household=household_a1,
        review_date=D(2023, 5, 2),
        reviewer_name="Bùi Văn Thắng",
        income_per_person_month=1_200_000,
        household_size=1,
    )
    household_a1.commune = village_b1.commune
    household_a1.village = village_b1
    household_a1.save()
    assert set(StatusPeriod.objects.values_list("commune_id", flat=True)) == {
        village_b1.commune_id
    }
    # Its members too (`Member.commune`, set on every save of a member).
    assert set(household_a1.members.values_list("commune_id", flat=True)) == {
        village_b1.commune_id
    }
    moved = Household.objects.filter(commune=village_b1.commune)
    assert moved.with_status_on(D(2023, 6, 1)).get().status == PovertyStatus.NEAR_POOR
    before = kept()
    status_history.rebuild()
    assert kept() == before
