"""A commune's cached figures (households/figures.py) never drift from the register:
after random histories of reviews, rounds, households and members, every figure the
pages read from the cache equals the same figure computed afresh, read after each
step so that a write which forgot to mark its commune would leave a stale entry
behind and fail here."""

from __future__ import annotations

import random
import re
from datetime import date
from typing import Any

import pytest
from django.db.models import Count, Q
from django.test import Client
from django.urls import reverse
from model_bakery import baker

from giamngheo.models import User
from households import figures
from households.models import (
    Commune,
    Household,
    Member,
    RegisterChange,
    Review,
    ReviewRound,
    Village,
)
from households.poverty import INDICATOR_SLUGS, PovertyStatus
from reports.summaries.review import counted_on, review_result
from targets.dynamics import household_transitions
from targets.measurement import (
    HOUSEHOLD_MEASURES,
    _status_counts,
    commune_status_counts,
    service_progress,
)
from targets.models import Measure, ServiceTarget
from tests.conftest import make_household, make_review

D = date
DAYS = [D(2022, 12, 31), D(2023, 12, 31), D(2024, 6, 30), D(2024, 12, 31)]


def village_counts_afresh(commune: Commune, day: date) -> dict[int, tuple[int, ...]]:
    """The villages page's figures as the page counted them before the cache."""
    households = Household.objects.filter(commune=commune).active()
    statuses = {
        row[0]: row[1:]
        for row in households.with_status_on(day)
        .values("village_id")
        .annotate(
            n=Count("id"),
            poor=Count("id", filter=Q(status=PovertyStatus.POOR)),
            near_poor=Count("id", filter=Q(status=PovertyStatus.NEAR_POOR)),
        )
        .values_list("village_id", "n", "poor", "near_poor")
        .order_by()
    }
    members = dict(
        Member.objects.filter(household__in=households)
        .values_list("household__village_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {
        village: (n, members.get(village, 0), poor, near_poor)
        for village, (n, poor, near_poor) in statuses.items()
    }


def cached_and_fresh(
    commune: Commune, villages: list[Village], targets: list[ServiceTarget]
) -> list[tuple[str, Any, Any]]:
    """(what, from the cache, afresh) for every figure the pages cache."""
    households = Household.objects.filter(commune=commune)
    pairs: list[tuple[str, Any, Any]] = []
    for day in DAYS:
        pairs.append(
            (
                f"status {day}",
                commune_status_counts(commune, day),
                _status_counts(households, day),
            )
        )
        cached_villages = {
            village: (c.households, c.members, c.poor, c.near_poor)
            for village, c in figures.village_counts(commune.pk, day).items()
        }
        pairs.append(
            (f"villages {day}", cached_villages, village_counts_afresh(commune, day))
        )
        for target in targets:
            listed = service_progress(target, households, villages, on=day)
            cached = service_progress(
                target,
                households,
                villages,
                on=day,
                list_concerned=False,
                commune=commune,
            )
            pairs.append(
                (
                    f"{target.measure} {day}",
                    [(m.ok, m.total) for _, m in cached.villages],
                    [(m.ok, m.total) for _, m in listed.villages],
                )
            )
    for year in (2023, 2024):
        pairs.append(
            (
                f"transitions {year}",
                household_transitions(households, year, commune=commune),
                household_transitions(households, year),
            )
        )
        report = review_result(commune, year, households, villages)
        afresh = counted_on(households, D(year, 12, 31), set())
        pairs.append(
            (
                f"report 1 {year}",
                (report.total.households, report.total.persons),
                (sum(c.households for c in afresh), sum(c.persons for c in afresh)),
            )
        )
    return pairs


def check(commune: Commune, villages: list[Village], targets: list[ServiceTarget]):
    for what, cached, fresh in cached_and_fresh(commune, villages, targets):
        assert cached == fresh, what


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [1, 2])
def test_cached_figures_follow_every_write(
    village_a1: Village, village_a2: Village, village_b1: Village, seed: int
) -> None:
    rng = random.Random(seed)
    commune = village_a1.commune
    villages = [village_a1, village_a2]
    targets = [
        baker.prepare(ServiceTarget, commune=commune, year=2024, measure=measure)
        for measure in Measure.values
    ]
    households = [
        make_household(
            rng.choice(villages),
            f"CN-01-{n:04d}",
            f"Bùi Văn {n}",
            registered_on=D(2022, 1, 1),
        )
        for n in range(5)
    ]
    rounds: dict[int, ReviewRound] = {}
    for step in range(36):
        action = rng.choice(
            [
                "review",
                "review",
                "round_review",
                "close",
                "reopen",
                "edit_review",
                "delete_review",
                "child",
                "insurance",
                "delete_member",
                "archive",
                "restore",
                "move_village",
                "register",
            ]
        )
        household = rng.choice(households)
        household.refresh_from_db()
        year = rng.choice([2022, 2023, 2024])
        on = D(year, rng.randint(9, 11), rng.randint(1, 28))
        deprived = dict.fromkeys(
            rng.sample(list(INDICATOR_SLUGS), rng.randint(0, 5)), True
        )
        income = rng.choice([800_000, 1_400_000, 2_500_000])
        if action == "review":
            Review.objects.create(
                household=household,
                review_date=on,
                reviewer_name="Bùi Văn Thắng",
                income_per_person_month=income,
                household_size=2,
                **deprived,
            )
        elif action == "round_review":
            review_round = rounds.get(year) or ReviewRound.objects.create(
                commune=commune, year=year, opened_on=D(year, 9, 1)
            )
            rounds[year] = review_round
            if review_round.closed_on is None:
                Review.objects.create(
                    household=household,
                    review_date=on,
                    round=review_round,
                    reviewer_name="Bùi Văn Thắng",
                    income_per_person_month=income,
                    household_size=2,
                    **deprived,
                )
        elif action in ("close", "reopen") and rounds:
            review_round = rng.choice(list(rounds.values()))
            review_round.closed_on = (
                D(review_round.year, 12, rng.randint(1, 14))
                if action == "close"
                else None
            )
            review_round.save()
        elif action == "edit_review":
            review = Review.objects.filter(household__commune=commune).order_by("?")
            if (found := review.first()) is not None:
                found.income_per_person_month = income
                for slug in HOUSEHOLD_MEASURES[Measure.POOR_WATER]:
                    setattr(found, slug, not getattr(found, slug))
                found.save()
        elif action == "delete_review":
            review = Review.objects.filter(household__commune=commune).order_by("?")
            if (found := review.first()) is not None:
                found.delete()
        elif action == "child":
            Member.objects.create(
                household=household,
                full_name=f"Bùi Thị Con {step}",
                birth_year=rng.randint(2006, 2021),
                birth_date=rng.choice([None, D(rng.randint(2006, 2021), 5, 17)]),
                sex="female",
                relationship="child",
                attends_school=rng.choice([True, False]),
            )
        elif action == "insurance":
            member = household.members.order_by("?").first()
            if member is not None:
                member.has_health_insurance = not member.has_health_insurance
                member.health_insurance_expiry = rng.choice(
                    [None, D(2024, 3, 31), D(2025, 12, 31)]
                )
                member.attends_school = not member.attends_school
                member.save()
        elif action == "delete_member":
            member = household.members.exclude(relationship="head").first()
            if member is not None:
                member.delete()
        elif action == "archive":
            household.archived_on = D(year, rng.randint(1, 12), 15)
            household.archive_reason = "moved_away"
            household.save()
        elif action == "restore":
            household.archived_on = None
            household.archive_reason = ""
            household.save()
        elif action == "move_village":
            household.village = rng.choice(villages)
            household.save()
        elif action == "register":
            household.registered_on = D(rng.choice([2022, 2023, 2024]), 3, 1)
            household.save()
        # Another commune's writes leave this one's figures as they were.
        make_household(village_b1, f"CN-02-{step:04d}")
        check(commune, villages, targets)


@pytest.mark.django_db
def test_a_commune_never_written_is_never_cached(village_a1: Village) -> None:
    """Rows loaded by COPY (or before this table existed) carry no version: each page
    computes afresh until the first write marks the commune."""
    make_household(village_a1, "CN-01-0001")
    commune = village_a1.commune
    RegisterChange.objects.filter(commune_id=commune.pk).delete()
    calls = []
    figures.cached(commune.pk, "x", lambda: calls.append(1))
    figures.cached(commune.pk, "x", lambda: calls.append(1))
    assert len(calls) == 2
    figures.mark_changed([commune.pk])
    figures.cached(commune.pk, "x", lambda: calls.append(1) or 1)
    figures.cached(commune.pk, "x", lambda: calls.append(1) or 1)
    assert len(calls) == 3


@pytest.mark.django_db
def test_a_review_saved_marks_its_commune_in_the_same_transaction(
    village_a1: Village, village_b1: Village
) -> None:
    household = make_household(village_a1, "CN-01-0001")
    before_a = figures.register_version(village_a1.commune_id)
    before_b = figures.register_version(village_b1.commune_id)
    Review.objects.create(
        household=household,
        review_date=D(2024, 10, 1),
        reviewer_name="Bùi Văn Thắng",
        income_per_person_month=900_000,
        household_size=1,
    )
    assert figures.register_version(village_a1.commune_id) != before_a
    assert figures.register_version(village_b1.commune_id) == before_b


@pytest.mark.django_db(transaction=True)
def test_a_household_deleted_with_its_members_is_counted_no_more(
    village_a1: Village,
) -> None:
    """The receivers mark the commune while the household's members are deleted with
    it, in the deletion's transaction (committed here). (A household with reviews is
    archived, never deleted: `Review.household` protects it.)"""
    commune = village_a1.commune
    make_household(village_a1, "CN-01-0001", registered_on=D(2022, 1, 1))
    gone = make_household(village_a1, "CN-01-0002", registered_on=D(2022, 1, 1))
    day = D(2024, 6, 30)
    assert commune_status_counts(commune, day)[village_a1.pk]["households"] == 2
    gone.delete()
    assert commune_status_counts(commune, day)[village_a1.pk]["households"] == 1
    assert figures.village_counts(commune.pk, day)[village_a1.pk].members == 1


POOR_DEPRIVATIONS = (
    "su_dung_dich_vu_vien_thong",
    "chat_luong_nha_o",
    "nguon_nuoc_sinh_hoat",
)


def tables(html: str) -> list[str]:
    return re.findall(r"<table.*?</table>", html, flags=re.S)


@pytest.mark.django_db
def test_a_page_laid_out_from_cached_figures_shows_a_change_at_once(
    client: Client, officer: User, village_a1: Village
) -> None:
    """The dashboard's, the targets' and report 1's tables are kept laid out, keyed
    by their figures: a review that changes a class changes them on the next visit."""
    household = make_household(village_a1, "CN-01-0001", registered_on=D(2022, 1, 1))
    review = make_review(
        household, income=900_000, deprived=POOR_DEPRIVATIONS, on=D(2024, 10, 1)
    )
    assert review.status == PovertyStatus.POOR
    client.force_login(officer)
    pages = [
        reverse("reports:dashboard") + "?nam=2024",
        reverse("targets:progress", args=[2024]),
        reverse("reports:review_1", args=[2024]),
    ]
    before = [client.get(url).content.decode() for url in pages]
    again = [client.get(url).content.decode() for url in pages]
    assert [tables(p) for p in again] == [tables(p) for p in before]
    assert '<td class="num">1 (100,00 %)</td>' in before[0]
    assert '<td data-label="Hộ nghèo hiện nay" class="num">1</td>' in before[1]

    review.income_per_person_month = 2_500_000
    review.save()

    after = [client.get(url).content.decode() for url in pages]
    assert '<td class="num">0 (0,00 %)</td>' in after[0]
    assert '<td data-label="Hộ nghèo hiện nay" class="num">0</td>' in after[1]
    for was, now in zip(before, after, strict=True):
        assert tables(now) != tables(was)
