"""The demo commune (`manage.py seed_demo`): the acceptance facts of the product.

Seeding takes a few seconds, so the module seeds once (the end-2023 register, the 2024
review round and the 2024 targets, as the command does), inside a transaction that is
rolled back when the module is done; each test runs in a savepoint inside it. The facts
of the year 2024 are tested in tests/demo/test_targets_2024.py.
"""

from __future__ import annotations

import io
import random
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from datetime import date

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db.models import F
from django.test import Client, RequestFactory

from demo import farm_households as demo_farm
from demo import register
from demo import regular_reviews as demo_regular
from demo import targets as demo_targets
from giamngheo.models import Role, User
from households.indicators import derive_indicators
from households.models import (
    Commune,
    Ethnicity,
    Household,
    HouseholdQuerySet,
    Member,
    Relationship,
    Review,
    ReviewKind,
    ReviewRequest,
    Sex,
    Village,
)
from households.poverty import (
    INDICATOR_SLUGS,
    STANDARD_2022_2025,
    PovertyStatus,
    classify,
)
from tests.demo_seed import demo_seeded, on_demo_working_date  # noqa: F401

pytestmark = pytest.mark.usefixtures("on_demo_working_date")

START_OF_2024 = date(2023, 12, 31)
DIACRITICS = "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ"


def counts() -> dict[str, int]:
    return {
        "communes": Commune.objects.count(),
        "villages": Village.objects.count(),
        "households": Household.objects.count(),
        "members": Member.objects.count(),
        "reviews": Review.objects.count(),
        "users": User.objects.count(),
        "household_history": Household.history.count(),
        "member_history": Member.history.count(),
        "review_history": Review.history.count(),
    }


@pytest.fixture(scope="module")
def seeded(
    django_db_setup: None, django_db_blocker: object
) -> Iterator[register.SeedResult]:
    with demo_seeded(
        django_db_blocker,
        register.seed_demo,
        register.seed_review_round_2024,
        demo_farm.seed_farm_households_2024,
        demo_regular.seed_regular_reviews_2024,
        demo_targets.seed_targets_2024,
    ) as results:
        yield results[0]


@pytest.fixture
def commune(seeded: register.SeedResult, db: None) -> Commune:
    return Commune.objects.get(code=register.COMMUNE_CODE)


@pytest.fixture
def all_reviews(commune: Commune) -> list[Review]:
    """Every review: 2022 (two households), end-2023 and end-2024."""
    return list(
        Review.objects.filter(household__commune=commune)
        .select_related("household__commune")
        .prefetch_related("household__members")
    )


@pytest.fixture
def reviews(all_reviews: list[Review]) -> list[Review]:
    """The end-2023 periodic review of every household, the start of 2024."""
    return [r for r in all_reviews if r.review_date.year == 2023]


def present_at_start(commune: Commune) -> HouseholdQuerySet:
    return Household.objects.filter(commune=commune).present_on(START_OF_2024)


@pytest.mark.django_db
def test_seeding_is_refused_outside_demo_mode(settings: object) -> None:
    settings.DEMO_MODE = False  # type: ignore[attr-defined]
    before = counts()
    with pytest.raises(CommandError, match="DEMO_MODE=True"):
        call_command("seed_demo")
    with pytest.raises(register.DemoModeOffError):
        register.seed_demo()
    assert counts() == before


def test_seeding_created_the_commune(
    seeded: register.SeedResult, commune: Commune
) -> None:
    assert seeded.created
    assert (commune.name, commune.district, commune.province) == (
        "Cao Ngọc",
        "Ngọc Lặc",
        "Thanh Hóa",
    )
    assert not commune.is_urban
    assert commune.chairman_name == "Bùi Văn Thắng"


def test_commune_has_1229_households_in_11_villages(commune: Commune) -> None:
    villages = list(commune.villages.order_by("position"))
    assert [v.position for v in villages] == list(range(1, 12))
    assert [v.name for v in villages] == [plan.name for plan in register.VILLAGES]
    assert present_at_start(commune).count() == 1229
    sizes = [v.households.present_on(START_OF_2024).count() for v in villages]
    assert sum(sizes) == 1229
    assert min(sizes) >= 70
    assert max(sizes) <= 160
    assert len(set(sizes)) > 5


def test_64_poor_households_at_the_start_of_2024(commune: Commune) -> None:
    households = present_at_start(commune).with_status_on(START_OF_2024)
    assert households.with_status(PovertyStatus.POOR).count() == 64
    assert 90 <= households.with_status(PovertyStatus.NEAR_POOR).count() <= 120
    assert 50 <= households.with_status(PovertyStatus.MEDIUM).count() <= 80
    assert households.filter(status__isnull=True).count() == 0


def test_every_village_has_poor_households_unevenly(commune: Commune) -> None:
    poor = Counter(
        Household.objects.filter(commune=commune)
        .with_status_on(START_OF_2024)
        .with_status(PovertyStatus.POOR)
        .values_list("village__position", flat=True)
    )
    assert sorted(poor) == list(range(1, 12))
    assert min(poor.values()) >= 1
    assert len(set(poor.values())) > 3


def test_summary_matches_the_database(
    seeded: register.SeedResult, commune: Commune
) -> None:
    assert seeded.households == 1229
    assert seeded.poor == 64
    present = present_at_start(commune)
    assert seeded.members == Member.objects.filter(household__in=present).count()
    assert seeded.users == len(register.DEMO_LOGINS)


def test_each_household_has_one_periodic_review_at_the_end_of_2023(
    commune: Commune, reviews: list[Review]
) -> None:
    assert len(reviews) == 1229
    assert {r.household_id for r in reviews} == set(
        present_at_start(commune).values_list("pk", flat=True)
    )
    for review in reviews:
        assert review.kind == ReviewKind.PERIODIC
        assert date(2023, 9, 15) <= review.review_date <= date(2023, 12, 10)
        assert review.standard_code == STANDARD_2022_2025.code
        assert review.household_size == len(review.household.members.all())
        assert review.floor_area_m2 is not None
        assert review.reviewer_name


def test_stored_status_is_the_rule_on_the_review_own_facts(
    all_reviews: list[Review],
) -> None:
    for review in all_reviews:
        expected = classify(review.income_per_person_month, review.deprived_slugs())
        assert review.status == expected.status, review.household.code
        assert review.income_per_person_month % 10_000 == 0


def test_poor_and_near_poor_follow_income_and_deprivations(
    reviews: list[Review],
) -> None:
    for review in reviews:
        deprived = len(review.deprived_slugs())
        income = review.income_per_person_month
        if review.status == PovertyStatus.POOR:
            assert income <= 1_500_000
            assert deprived >= 3
        elif review.status == PovertyStatus.NEAR_POOR:
            assert income <= 1_500_000
            assert deprived <= 2
        elif review.status == PovertyStatus.MEDIUM:
            assert 1_500_000 < income <= 2_250_000
        else:
            assert income > 2_250_000


def test_member_derived_indicators_equal_derive_indicators(
    all_reviews: list[Review],
) -> None:
    # Members are never changed by the 2024 part: every review of every year agrees
    # with them and with its Phiếu B2 facts, on its own date, on all 12 indicators.
    for review in all_reviews:
        derived = derive_indicators(
            review.household.member_facts(),
            floor_area_m2=review.floor_area_m2,
            on=review.review_date,
            dwelling=review.dwelling_facts(),
        )
        assert set(derived) == set(INDICATOR_SLUGS)
        for slug, indicator in derived.items():
            assert getattr(review, slug) == indicator.deprived, (
                review.household.code,
                slug,
            )
        # The grounds kept with the review are what the facts give.
        assert review.derivation == {
            slug: {"deprived": d.deprived, "explanation": d.explanation}
            for slug, d in derived.items()
        }


def test_service_targets_have_gaps_to_show(
    commune: Commune, reviews: list[Review]
) -> None:
    members = Member.objects.filter(household__commune=commune)
    near_poor = [r.household_id for r in reviews if r.status == PovertyStatus.NEAR_POOR]
    assert members.filter(attends_school=False).count() >= 5
    uninsured_near_poor = members.filter(
        household_id__in=near_poor, has_health_insurance=False
    )
    assert uninsured_near_poor.count() >= 5
    poor = [r for r in reviews if r.status == PovertyStatus.POOR]
    for slug in ("chat_luong_nha_o", "nha_tieu_hop_ve_sinh", "nguon_nuoc_sinh_hoat"):
        assert sum(getattr(r, slug) for r in poor) >= 10, slug


def test_every_household_has_exactly_one_head_aged_16_or_over(
    commune: Commune,
) -> None:
    today = register.WORKING_DATE
    households = Household.objects.filter(commune=commune).prefetch_related("members")
    for household in households:
        members = list(household.members.all())
        assert 1 <= len(members) <= 7
        heads = [m for m in members if m.relationship == Relationship.HEAD]
        assert len(heads) == 1, household.code
        assert heads[0].age_on(today) >= 16


def test_every_poor_or_near_poor_household_has_members_and_a_review(
    commune: Commune,
) -> None:
    households = (
        Household.objects.filter(commune=commune)
        .with_status_on(START_OF_2024)
        .with_status(PovertyStatus.POOR, PovertyStatus.NEAR_POOR)
        .prefetch_related("members", "reviews")
    )
    assert households.count() > 64
    for household in households:
        assert household.members.all()
        assert household.reviews.all()


def test_household_codes_addresses_and_search_text(commune: Commune) -> None:
    households = list(
        Household.objects.filter(commune=commune).prefetch_related("members")
    )
    assert len(households) > 1229  # two households moved in during 2024
    assert len({h.code for h in households}) == len(households)
    villages = {v.pk: v for v in Village.objects.filter(commune=commune)}
    for household in households:
        village = villages[household.village_id]
        assert re.fullmatch(rf"CN-{village.position:02d}-\d{{4}}", household.code)
        assert household.address == f"{village.name}, xã Cao Ngọc"
        stored = household.search_text
        household.refresh_search_text()
        assert stored == household.search_text
    assert Household.objects.filter(commune=commune).search("cn-01-0001").count() == 1
    assert Household.objects.filter(commune=commune).search("bui van").exists()


def test_mostly_muong_households_sharing_their_ethnicity(commune: Commune) -> None:
    ethnicities = Counter(present_at_start(commune).values_list("ethnicity", flat=True))
    assert 0.92 <= ethnicities[Ethnicity.MUONG] / 1229 <= 0.98
    assert ethnicities[Ethnicity.KINH] == 1229 - ethnicities[Ethnicity.MUONG]
    members = Member.objects.filter(household__commune=commune)
    same = members.filter(ethnicity=F("household__ethnicity")).count()
    assert same / members.count() > 0.95


def test_a_few_households_with_flags_more_often_poor(
    commune: Commune, reviews: list[Review]
) -> None:
    households = present_at_start(commune)
    assert 5 <= households.filter(has_meritorious_person=True).count() <= 80
    no_labour = set(
        households.filter(no_labour_capacity=True).values_list("pk", flat=True)
    )
    assert 5 <= len(no_labour) <= 80
    status = {r.household_id: r.status for r in reviews}
    poor_share = sum(status[pk] == PovertyStatus.POOR for pk in no_labour) / len(
        no_labour
    )
    assert poor_share > 64 / 1229


def test_members_pass_model_validation(commune: Commune) -> None:
    members = list(Member.objects.filter(household__commune=commune).order_by("pk"))
    assert 4000 <= len(members) <= 5000
    for member in members:
        member.clean()  # the rules of the member form, without queries
    for member in random.Random(0).sample(members, 200):
        member.full_clean()
    households = Household.objects.filter(commune=commune).order_by("pk")[:30]
    for household in households:
        household.full_clean()
    for review in Review.objects.filter(household__in=households):
        review.full_clean()


def test_school_and_nutrition_facts_only_for_children(commune: Commune) -> None:
    today = register.WORKING_DATE
    for member in Member.objects.filter(household__commune=commune):
        age = member.age_on(today)
        if member.attends_school is not None:
            assert 3 <= age < 16
        if member.malnourished:
            assert age < 16
        if member.health_insurance_expiry is not None:
            assert member.has_health_insurance
            assert member.health_insurance_number


def test_names_are_composed_nfc_with_diacritics(commune: Commune) -> None:
    names = list(
        Member.objects.filter(household__commune=commune).values_list(
            "full_name", flat=True
        )
    )
    for name in names:
        assert name == unicodedata.normalize("NFC", name)
        assert len(name.split()) == 3, name
        assert name == name.strip()
    with_marks = [n for n in names if any(c in DIACRITICS for c in n.lower())]
    assert len(with_marks) / len(names) > 0.9
    assert "Làng Chiềng" in Village.objects.values_list("name", flat=True)


def test_men_and_women_have_their_middle_names(commune: Commune) -> None:
    members = Member.objects.filter(household__commune=commune)
    women = [
        n.split()[1]
        for n in members.filter(sex=Sex.FEMALE).values_list("full_name", flat=True)
    ]
    men = [
        n.split()[1]
        for n in members.filter(sex=Sex.MALE).values_list("full_name", flat=True)
    ]
    assert set(women) <= {"Thị", "Ngọc", "Thu", "Hồng"}
    assert set(men) <= {"Văn", "Đình", "Xuân", "Minh", "Đức"}
    assert Counter(women).most_common(1)[0][0] == "Thị"
    assert Counter(men).most_common(1)[0][0] == "Văn"


def test_children_share_their_father_family_name(commune: Commune) -> None:
    households = Household.objects.filter(commune=commune).prefetch_related("members")
    checked = 0
    for household in households:
        members = list(household.members.all())
        head = next(m for m in members if m.relationship == Relationship.HEAD)
        spouses = [m for m in members if m.relationship == Relationship.SPOUSE]
        if not spouses:
            continue
        father = head if head.sex == Sex.MALE else spouses[0]
        for child in members:
            if child.relationship == Relationship.CHILD:
                assert child.full_name.split()[0] == father.full_name.split()[0]
                checked += 1
    assert checked > 1000


def test_history_rows_exist_for_bulk_created_rows(commune: Commune) -> None:
    households = Household.objects.filter(commune=commune)
    history = Household.history.filter(commune_id=commune.pk)
    assert set(history.values_list("id", flat=True)) == set(
        households.values_list("pk", flat=True)
    )
    # One row per household created, one more per household archived in 2024, one
    # more per household recorded as farming (demo.farm_households).
    assert history.count() == (
        households.count()
        + households.archived().count()
        + households.exclude(farm_livelihood="").count()
    )
    reviews = Review.objects.filter(household__commune=commune)
    assert Review.history.filter(household__commune=commune).count() == reviews.count()
    assert (
        Member.history.count()
        >= Member.objects.filter(household__commune=commune).count()
    )


def test_seeding_again_changes_nothing(
    seeded: register.SeedResult, db: None, settings: object
) -> None:
    settings.DEMO_MODE = True  # type: ignore[attr-defined]
    before = counts()
    call_command("seed_demo", stdout=(out := io.StringIO()))
    assert "không thay đổi gì" in out.getvalue()
    assert settings.DEMO_PASSWORD in out.getvalue()  # type: ignore[attr-defined]
    assert register.seed_demo().created is False
    assert counts() == before


def test_demo_users_have_their_roles_and_scopes(commune: Commune) -> None:
    users = {u.username: u for u in User.objects.filter(commune=commune)}
    assert set(users) == {login.username for login in register.DEMO_LOGINS}
    assert len(users) == 23
    assert all(u.is_demo for u in users.values())
    assert users["canbo"].role == Role.OFFICER
    assert users["canbo"].job_title == "Công chức Lao động - Thương binh và Xã hội"
    chairman = users["chutich"]
    assert chairman.role == Role.CHAIRMAN
    assert chairman.job_title == "Chủ tịch UBND xã"
    assert f"{chairman.last_name} {chairman.first_name}" == commune.chairman_name
    for village in commune.villages.all():
        head = users[f"truongthon{village.position}"]
        assert head.role == Role.VILLAGE_HEAD
        assert head.village_id == village.pk
        assert head.job_title.startswith("Trưởng thôn ")
    titles = {u.job_title for u in users.values() if u.role == Role.SECTOR_OFFICER}
    assert titles == {login.job_title for login in register.SECTOR_LOGINS}
    assert "Trạm Y tế xã" in titles
    for user in users.values():
        user.full_clean(exclude=["password"])
        assert user.first_name and user.last_name
        name = f"{user.last_name} {user.first_name}"
        assert name == unicodedata.normalize("NFC", name)


def test_village_heads_review_their_village_and_live_there(commune: Commune) -> None:
    for head in User.objects.filter(commune=commune, role=Role.VILLAGE_HEAD):
        name = f"{head.last_name} {head.first_name}"
        reviews = Review.objects.filter(household__village=head.village)
        assert set(reviews.values_list("reviewer_name", flat=True)) == {name}
        assert set(reviews.values_list("recorded_by", flat=True)) == {head.pk}
        assert Member.objects.filter(
            household__village=head.village,
            relationship=Relationship.HEAD,
            full_name=name,
        ).exists()


@pytest.mark.parametrize("username", ["canbo", "chutich", "truongthon4", "tramyte"])
def test_demo_users_log_in_with_the_demo_password_only_in_demo_mode(
    commune: Commune, settings: object, username: str
) -> None:
    request = RequestFactory().post("/dang-nhap/")
    settings.DEMO_MODE = True  # type: ignore[attr-defined]
    user = authenticate(request, username=username, password=settings.DEMO_PASSWORD)  # type: ignore[attr-defined]
    assert user is not None and user.username == username
    settings.DEMO_MODE = False  # type: ignore[attr-defined]
    refused = authenticate(
        RequestFactory().post("/dang-nhap/"),
        username=username,
        password=settings.DEMO_PASSWORD,  # type: ignore[attr-defined]
    )
    assert refused is None


def test_demo_logins_list_every_account() -> None:
    lines = register.login_lines()
    assert len(lines) == len(register.DEMO_LOGINS) == 23
    assert lines[0].startswith("canbo")
    assert any("truongthon11" in line and "Làng Mốc" in line for line in lines)


def test_same_seed_gives_the_same_households() -> None:
    def plan() -> list[tuple[object, ...]]:
        builder = register._Builder(
            random.Random(register.SEED), today=date(2026, 11, 29)
        )
        commune = Commune(name="Cao Ngọc", code="cao-ngoc", is_urban=False)
        village = Village(commune=commune, name="Làng Trò", position=10)
        rows = []
        for number, status in enumerate(list(PovertyStatus) * 10, start=1):
            planned = builder.plan_household(
                commune=commune,
                village=village,
                number=number,
                status=status,
                review_date=date(2023, 11, 20),
                reviewer_name="Bùi Văn Thắng",
                recorded_by=User(username="truongthon10"),
            )
            assert planned.review.status == status
            rows.append(
                (
                    planned.household.code,
                    planned.household.search_text,
                    planned.review.income_per_person_month,
                    tuple(planned.review.deprived_slugs()),
                    tuple((m.full_name, m.birth_year) for m in planned.members),
                )
            )
        return rows

    assert plan() == plan()


def test_a_storm_damaged_household_awaits_the_chairmans_decision(
    commune: Commune, client: Client
) -> None:
    """After the 2024 recognition (14/12), one regular review awaits its decision
    (QĐ 24/2021 Điều 5) and does not change the status in force; another household
    has asked and waits to be reviewed."""
    awaiting = Review.objects.get(household__commune=commune, kind=ReviewKind.REGULAR)
    assert awaiting.status == "poor" and awaiting.takes_effect_on is None
    assert awaiting.household.latest_review(register.WORKING_DATE).status == (
        "near_poor"
    )
    assert (
        not awaiting.wall_durable
        and awaiting.derivation["chat_luong_nha_o"]["deprived"]
    )
    requests = ReviewRequest.objects.filter(household__commune=commune)
    assert requests.count() == 2
    assert requests.filter(review__isnull=True).count() == 1

    client.force_login(User.objects.get(username="canbo"))
    page = client.get("/ho/ra-soat-thuong-xuyen/").content.decode()
    assert "Phiếu chờ quyết định (1)" in page
    assert awaiting.household.code in page and "30/01/2025" in page
