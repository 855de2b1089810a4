"""The demo's survey data: the sample Phiếu B1 table of Cao Ngọc's region, marked as a
sample, and three households screened out by Phiếu A in the 2024 round, without any
review or status changing."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import reverse

from demo import register
from demo import surveys as demo_surveys
from giamngheo.models import User
from households.models import Commune, Household, Review, ReviewRound
from households.regions import Region
from households.surveys import PointsTable, QuickScreenResult, round_screen_counts
from tests.demo_seed import demo_seeded


@pytest.fixture(scope="module")
def seeded(
    django_db_setup: None, django_db_blocker: object
) -> Iterator[tuple[dict[int, str], demo_surveys.SurveysResult]]:
    with demo_seeded(
        django_db_blocker,
        register.seed_demo,
        register.seed_review_round_2024,
        lambda: dict(Review.objects.values_list("pk", "status")),
        demo_surveys.seed_surveys_2024,
    ) as results:
        yield results[2], results[3]


@pytest.fixture
def commune(
    seeded: tuple[dict[int, str], demo_surveys.SurveysResult], db: None
) -> Commune:
    return Commune.objects.get(code=register.COMMUNE_CODE)


def test_cao_ngoc_is_rural_north_central_coast(commune: Commune) -> None:
    assert commune.region == Region.NORTH_CENTRAL_COAST
    assert commune.is_urban is False


def test_the_sample_table_is_loaded_and_marked(commune: Commune) -> None:
    table = PointsTable.objects.current(
        standard_code="2022-2025", region=commune.region, urban=False
    )
    assert table.mark == "Bảng điểm mẫu — chưa đối chiếu văn bản gốc"
    assert not table.verified


def test_three_households_are_screened_out_in_the_round(
    commune: Commune, seeded: tuple[dict[int, str], demo_surveys.SurveysResult]
) -> None:
    review_round = ReviewRound.objects.get(commune=commune, year=2024)
    counts = round_screen_counts(
        review_round, Household.objects.filter(commune=commune)
    )
    assert (counts.households, counts.screened_out, counts.continued) == (3, 3, 0)
    assert all(
        s.result == QuickScreenResult.SCREENED_OUT
        for s in review_round.quick_screens.all()
    )
    statuses_before, _ = seeded
    assert dict(Review.objects.values_list("pk", "status")) == statuses_before


def test_seeding_again_changes_nothing(commune: Commune, settings: object) -> None:
    settings.DEMO_MODE = True  # type: ignore[attr-defined]
    assert demo_surveys.seed_surveys_2024() == demo_surveys.SurveysResult(False, 0)
    assert PointsTable.objects.count() == 1


def test_the_round_page_counts_them(commune: Commune, client: Client) -> None:
    client.force_login(User.objects.get(username=register.OFFICER_USERNAME))
    page = client.get(reverse("households:round_detail", args=[2024]))
    assert "<strong>3</strong> hộ dừng rà soát" in page.content.decode()
