"""The synthetic province for measuring pages at scale (`manage.py seed_scale`).

The module seeds 2 communes × 50 households once (SQLite: the bulk_create path; the
PostgreSQL COPY path was checked by hand, see README "Dữ liệu lớn"), inside a
transaction rolled back when the module is done; each test runs in a savepoint.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Iterator
from datetime import date

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import Client, RequestFactory
from django.urls import reverse

from demo import scale
from giamngheo.models import Role, User
from households.models import (
    Commune,
    Household,
    Member,
    Relationship,
    Review,
    ReviewRound,
    Village,
)
from households.poverty import PovertyStatus, standard_in_force
from targets.models import PovertyTarget, ServiceTarget, VillageAllocation
from tests.demo_seed import demo_seeded, on_demo_working_date  # noqa: F401

pytestmark = pytest.mark.usefixtures("on_demo_working_date")

COMMUNES = 2
HOUSEHOLDS = 50
VILLAGES = 3
END_OF_2023 = date(2023, 12, 31)
END_OF_2024 = date(2024, 12, 31)


def seed(**options: object) -> str:
    out = io.StringIO()
    call_command("seed_scale", stdout=out, **options)
    return out.getvalue()


def counts() -> dict[str, int]:
    synthetic = Commune.objects.filter(code__startswith=scale.CODE_PREFIX)
    return {
        "communes": synthetic.count(),
        "villages": Village.objects.filter(commune__in=synthetic).count(),
        "households": Household.objects.filter(commune__in=synthetic).count(),
        "members": Member.objects.filter(household__commune__in=synthetic).count(),
        "reviews": Review.objects.filter(household__commune__in=synthetic).count(),
        "rounds": ReviewRound.objects.filter(commune__in=synthetic).count(),
        # The officers of the communes, and the province's account.
        "users": User.objects.filter(commune__in=synthetic).count()
        + User.objects.filter(username=scale.PROVINCE_USERNAME).count(),
    }


@pytest.fixture(scope="module")
def output(django_db_setup: None, django_db_blocker: object) -> Iterator[str]:
    with demo_seeded(
        django_db_blocker,
        lambda: seed(
            communes=COMMUNES,
            households_per_commune=HOUSEHOLDS,
            villages_per_commune=VILLAGES,
        ),
    ) as results:
        yield results[0]


@pytest.fixture
def first(output: str, db: None) -> Commune:
    return Commune.objects.get(code="tinh-xa-001")


def test_counts(output: str, first: Commune) -> None:
    seeded = counts()
    assert {k: v for k, v in seeded.items() if k != "members"} == {
        "communes": 2,
        "villages": 6,
        "households": 100,
        "reviews": 200,
        "rounds": 4,
        "users": 3,  # canbo_1, canbo_2, and the province's tinh
    }
    assert 100 * 2 <= seeded["members"] <= 100 * 6
    assert "100 hộ" in output and f"{seeded['members']:,}".replace(",", ".") in output
    assert (first.province, first.region, first.is_urban) == (
        scale.PROVINCE,
        scale.REGION,
        False,
    )
    codes = sorted(first.households.values_list("code", flat=True))
    assert codes[0] == "XA001-01-0001"
    assert Household.objects.filter(code__startswith="XA002-").count() == HOUSEHOLDS


def test_every_review_is_what_save_computes(first: Commune) -> None:
    reviews = list(
        Review.objects.filter(household__commune__code__startswith="tinh-xa-")
        .select_related("household__commune")
        .order_by("pk")
    )
    for review in reviews:
        assert review.standard_code == standard_in_force(review.review_date).code
        assert review.status == review.classify().status, review.household.code
    # Saving through the model changes nothing.
    for review in reviews[::17]:
        stored = (review.status, review.standard_code)
        review.full_clean()
        review.save()
        review.refresh_from_db()
        assert (review.status, review.standard_code) == stored


def test_reviews_sit_in_two_recognised_rounds(first: Commune) -> None:
    rounds = {r.year: r for r in first.review_rounds.all()}
    assert sorted(rounds) == [2023, 2024]
    for review_round in rounds.values():
        assert review_round.closed_on is not None
        decision = review_round.decisions.get()
        assert decision.signed_on == review_round.closed_on
    for household in first.households.prefetch_related("reviews"):
        years = sorted(r.review_date.year for r in household.reviews.all())
        assert years == [2023, 2024]
        for review in household.reviews.all():
            review_round = rounds[review.review_date.year]
            assert review.round_id == review_round.pk
            assert review_round.opened_on <= review.review_date
            assert review.review_date <= review_round.closed_on
            assert review.household_size == household.members.count()


def test_rates_are_five_and_eight_percent_after_2024(first: Commune) -> None:
    synthetic = Household.objects.filter(commune__code__startswith="tinh-xa-")
    end_2024 = Counter(
        synthetic.with_status_on(END_OF_2024).values_list("status", flat=True)
    )
    # 5 % and 8 % of 50, rounded half up, in each commune.
    assert end_2024[PovertyStatus.POOR] == 2 * 3
    assert end_2024[PovertyStatus.NEAR_POOR] == 2 * 4
    assert end_2024[PovertyStatus.NOT_POOR] == 100 - 14
    end_2023 = synthetic.with_status_on(END_OF_2023).values_list("status", flat=True)
    assert None not in end_2023


def test_households_and_members_are_what_save_and_clean_keep(first: Commune) -> None:
    households = list(
        Household.objects.filter(commune__code__startswith="tinh-xa-")
        .prefetch_related("members")
        .order_by("pk")
    )
    for household in households:
        stored = household.search_text
        household.refresh_search_text()
        assert household.search_text == stored
        heads = [
            m for m in household.members.all() if m.relationship == Relationship.HEAD
        ]
        assert len(heads) == 1 and household.members.all()[0] == heads[0]
    for household in households[::7]:
        household.full_clean()
        for member in household.members.all():
            member.full_clean()
    assert (
        Household.objects.search(households[0].head_name)
        .filter(pk=households[0].pk)
        .exists()
    )


def test_cccd_numbers_are_12_digits_and_unique(first: Commune) -> None:
    numbers = list(
        Member.objects.filter(
            household__commune__code__startswith="tinh-xa-"
        ).values_list("id_number", flat=True)
    )
    assert all(len(n) == 12 and n.isdigit() and n.startswith("038") for n in numbers)
    assert len(set(numbers)) == len(numbers)


def test_targets_of_2024(first: Commune) -> None:
    target = PovertyTarget.objects.get(commune=first, year=2024)
    allocations = VillageAllocation.objects.filter(target=target)
    assert allocations.count() == VILLAGES
    poor_start = Household.objects.filter(commune=first).with_status_on(END_OF_2023)
    poor = poor_start.filter(status=PovertyStatus.POOR).count()
    reduction = sum(a.poor_reduction for a in allocations)
    assert target.poor_target_end == poor - reduction
    assert ServiceTarget.objects.filter(commune=first, year=2024).count() == 7


def test_the_officer_logs_in_and_sees_only_the_first_commune(
    first: Commune, settings: object, client: Client
) -> None:
    request = RequestFactory().post("/dang-nhap/")
    officer = authenticate(
        request,
        username="canbo_1",
        password=settings.DEMO_PASSWORD,  # type: ignore[attr-defined]
    )
    assert officer is not None and officer.commune == first
    assert officer.role == Role.OFFICER and officer.is_demo
    client.force_login(officer)
    response = client.get(reverse("households:list"))
    assert response.status_code == 200
    page = response.context["page"]
    assert page.paginator.count == HOUSEHOLDS
    assert {h.commune_id for h in page.object_list} == {first.pk}
    assert client.get(reverse("reports:dashboard")).status_code == 200


def test_the_province_account_reads_the_province_and_edits_nothing(
    first: Commune,
) -> None:
    province = User.objects.get(username=scale.PROVINCE_USERNAME)
    assert province.is_province and province.is_demo
    assert province.commune is None and province.province == first.province
    assert not province.can_edit_register
    # Between requests: every commune of the province (here 2 of HOUSEHOLDS each).
    assert Household.objects.visible_to(province).count() == 2 * HOUSEHOLDS
    province.working_commune = first
    assert Household.objects.visible_to(province).count() == HOUSEHOLDS


def test_a_second_run_is_refused_and_writes_nothing(first: Commune) -> None:
    before = counts()
    with pytest.raises(CommandError, match="đã được nạp từ trước"):
        seed(communes=1, households_per_commune=10)
    assert counts() == before


def test_replace_deletes_the_old_province_first(first: Commune) -> None:
    old_ids = set(Household.objects.values_list("pk", flat=True))
    out = seed(communes=1, households_per_commune=20, replace=True)
    assert "Đã xóa tỉnh mẫu cũ (100 hộ)" in out
    assert counts() | {"members": 0} == {
        "communes": 1,
        "villages": 1,
        "households": 20,
        "members": 0,
        "reviews": 40,
        "rounds": 2,
        "users": 2,
    }
    assert not User.objects.filter(username="canbo_2").exists()
    new = Household.objects.filter(commune__code__startswith="tinh-xa-")
    assert not old_ids & set(new.values_list("pk", flat=True))


@pytest.mark.django_db
def test_refused_outside_demo_mode(settings: object) -> None:
    settings.DEMO_MODE = False  # type: ignore[attr-defined]
    before = counts()
    with pytest.raises(CommandError, match="DEMO_MODE=True"):
        seed(communes=1, households_per_commune=10, replace=True)
    assert counts() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"communes": 0, "households_per_commune": 10}, "Số xã phải từ 1"),
        ({"communes": 1, "households_per_commune": 0}, "Số hộ mỗi xã phải từ 1"),
        (
            {"communes": 1, "households_per_commune": 5, "villages_per_commune": 6},
            "không nhiều hơn số hộ",
        ),
    ],
)
def test_sizes_out_of_range_are_refused(
    settings: object, options: dict[str, int], message: str
) -> None:
    settings.DEMO_MODE = True  # type: ignore[attr-defined]
    before = counts()
    with pytest.raises(CommandError, match=message):
        seed(replace=True, **options)
    assert counts() == before
