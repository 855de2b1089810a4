"""The demo commune's year 2024 (`manage.py seed_demo`): the end-2024 review round, its
movements (diễn biến) and the 2024 targets of the plan.

Seeded once per module, as in tests/demo/test_register.py, inside a transaction that
is rolled back when the module is done.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import Client

from demo import farm_households as demo_farm
from demo import register
from demo import regular_reviews as demo_regular
from demo import targets as demo_targets
from households.indicators import derive_indicators
from households.models import (
    ArchiveReason,
    Commune,
    Household,
    HouseholdQuerySet,
    Member,
    Posting,
    RecognitionDecision,
    Review,
    ReviewKind,
    ReviewRequest,
    ReviewRound,
    Village,
    VillageMeeting,
)
from households.poverty import PovertyStatus, classify
from households.transitions import Transition
from targets.dynamics import Dynamics, dynamics
from targets.measurement import poverty_progress, service_progress
from targets.models import (
    Measure,
    PovertyTarget,
    Recipient,
    ServiceTarget,
    VillageAllocation,
)
from targets.progress import Comparator
from tests.demo_seed import demo_seeded, on_demo_working_date  # noqa: F401

pytestmark = pytest.mark.usefixtures("on_demo_working_date")

START = date(2023, 12, 31)
END = date(2024, 12, 31)
POOR, NEAR_POOR = PovertyStatus.POOR, PovertyStatus.NEAR_POOR


def counts() -> dict[str, int]:
    return {
        "households": Household.objects.count(),
        "members": Member.objects.count(),
        "reviews": Review.objects.count(),
        "rounds": ReviewRound.objects.count(),
        "targets": PovertyTarget.objects.count(),
        "allocations": VillageAllocation.objects.count(),
        "service_targets": ServiceTarget.objects.count(),
        "household_history": Household.history.count(),
        "review_history": Review.history.count(),
    }


@pytest.fixture(scope="module")
def seeded(
    django_db_setup: None, django_db_blocker: object
) -> Iterator[tuple[register.RoundResult, demo_targets.TargetsResult]]:
    with demo_seeded(
        django_db_blocker,
        register.seed_demo,
        register.seed_review_round_2024,
        demo_farm.seed_farm_households_2024,
        demo_regular.seed_regular_reviews_2024,
        demo_targets.seed_targets_2024,
    ) as results:
        yield (results[1], results[3])


@pytest.fixture
def commune(
    seeded: tuple[register.RoundResult, demo_targets.TargetsResult], db: None
) -> Commune:
    return Commune.objects.get(code=register.COMMUNE_CODE)


@pytest.fixture
def households(commune: Commune) -> HouseholdQuerySet:
    return Household.objects.filter(commune=commune)


@pytest.fixture
def villages(commune: Commune) -> list[Village]:
    return list(commune.villages.order_by("position"))


@pytest.fixture
def target(commune: Commune) -> PovertyTarget:
    return PovertyTarget.objects.get(commune=commune, year=2024)


@pytest.fixture
def table(households: HouseholdQuerySet, villages: list[Village]) -> Dynamics:
    return dynamics(households, villages, 2024)


@pytest.fixture
def reviews_2024(commune: Commune) -> list[Review]:
    """The 2024 periodic reviews (the regular review asked for after the round is
    `tests/demo/test_register.py`'s)."""
    return list(
        Review.objects.filter(
            household__commune=commune,
            review_date__year=2024,
            kind=ReviewKind.PERIODIC,
        )
        .select_related("household__commune", "round")
        .prefetch_related("household__members")
    )


def test_the_start_of_2024_is_untouched(households: HouseholdQuerySet) -> None:
    present = households.present_on(START)
    assert present.count() == 1229
    assert present.with_status_on(START).with_status(POOR).count() == 64
    assert (
        Household.objects.with_status_on(START)
        .present_on(START)
        .with_status(POOR)
        .count()
        == 64
    )


def test_42_poor_households_at_the_end_of_2024(households: HouseholdQuerySet) -> None:
    present = households.present_on(END)
    assert present.count() == 1229  # two moved away, two moved in
    assert present.with_status_on(END).with_status(POOR).count() == 42


def test_the_review_round_of_2024(commune: Commune) -> None:
    review_round = ReviewRound.objects.get(commune=commune, year=2024)
    assert (review_round.opened_on, review_round.closed_on) == (
        date(2024, 9, 1),
        date(2024, 12, 14),
    )
    assert review_round.opened_by is not None
    assert review_round.opened_by.username == "canbo"
    assert review_round.closed_by == review_round.opened_by
    assert not review_round.is_open


def test_the_2024_round_went_through_its_procedure(
    commune: Commune, households: HouseholdQuerySet
) -> None:
    """Every village met after its last review and posted for three working days
    before the decision of 14/12/2024: reopened, the round could close again that
    day, and the decision in force carries its date."""
    from households.procedure import Step
    from households.procedure_models import decision_in_force
    from households.round_procedure import closing_refusal, village_standings

    review_round = ReviewRound.objects.get(commune=commune, year=2024)
    decision = decision_in_force(review_round)
    assert decision is not None
    assert (decision.number, decision.signed_on) == ("215/QĐ-UBND", date(2024, 12, 14))
    standings = village_standings(review_round, households, today=date(2024, 12, 20))
    assert {s.standing.step for s in standings} == {Step.RECOGNISED}
    review_round.closed_on = None  # as if reopened, in memory only
    assert closing_refusal(review_round, on=date(2024, 12, 14)) is None
    refusal = closing_refusal(review_round, on=date(2024, 12, 13))
    assert refusal is not None and "đang niêm yết" in refusal


def test_2024_reviews_belong_to_the_round_and_cover_the_poor_and_near_poor(
    commune: Commune, households: HouseholdQuerySet, reviews_2024: list[Review]
) -> None:
    review_round = ReviewRound.objects.get(commune=commune, year=2024)
    assert all(r.round_id == review_round.pk for r in reviews_2024)
    assert all(r.kind == ReviewKind.PERIODIC for r in reviews_2024)
    assert all(
        date(2024, 9, 15) <= r.review_date <= date(2024, 12, 10) for r in reviews_2024
    )
    reviewed = {r.household_id for r in reviews_2024}
    assert len(reviewed) == len(reviews_2024)  # one review per household
    listed = set(
        households.present_on(START)
        .with_status_on(START)
        .with_status(POOR, NEAR_POOR)
        .values_list("pk", flat=True)
    )
    archived = set(households.archived().values_list("pk", flat=True))
    assert len(listed) == 168
    assert listed - reviewed == archived  # only those that moved away are missing
    assert not archived & reviewed
    others = reviewed - listed
    assert 38 <= len(others) <= 45  # 40 others, and the 2 households that moved in


def test_every_review_status_is_the_rule_on_its_own_facts(commune: Commune) -> None:
    for review in Review.objects.filter(household__commune=commune).select_related(
        "household__commune"
    ):
        expected = classify(review.income_per_person_month, review.deprived_slugs())
        assert review.status == expected.status, (review.household.code, review.pk)
        assert review.status == review.classify().status
        assert review.standard_code == "2022-2025"


def test_member_derived_indicators_agree_with_the_members_in_2024(
    reviews_2024: list[Review],
) -> None:
    assert len(reviews_2024) > 200
    for review in reviews_2024:
        members = list(review.household.members.all())
        assert review.household_size == len(members)
        derived = derive_indicators(
            [m.facts() for m in members],
            floor_area_m2=review.floor_area_m2,
            on=review.review_date,
            dwelling=review.dwelling_facts(),
        )
        assert len(derived) == 12
        for slug, indicator in derived.items():
            assert getattr(review, slug) == indicator.deprived, (
                review.household.code,
                slug,
            )
        # Employment and adult education follow the members as in 2023.
        for slug, deprived in register.member_indicators(
            members, floor_area_m2=review.floor_area_m2, on=review.review_date
        ).items():
            assert getattr(review, slug) == deprived, (review.household.code, slug)


def test_every_movement_happens(table: Dynamics) -> None:
    moved = {move for move, ids in table.by_transition.items() if ids}
    kept = {Transition.NONE, Transition.REMAINED_POOR, Transition.REMAINED_NEAR_POOR}
    assert set(Transition) - kept <= moved
    for total in (table.poor_total, table.near_poor_total):
        for column in range(2, 9):
            assert total.households[column] > 0, column
            assert total.persons[column] > 0, column


def test_diễn_biến_identity_and_totals(table: Dynamics) -> None:
    for row in (*table.poor, *table.near_poor, table.poor_total, table.near_poor_total):
        assert row.identity_holds(), row.name
    assert table.poor_total.households[1] == 64
    assert table.poor_total.households[9] == 42
    assert table.near_poor_total.households[1] == 104
    assert sum(r.households[9] for r in table.poor) == 42


def test_refell_poor_is_told_apart_from_new_poor(
    commune: Commune, table: Dynamics
) -> None:
    refell = table.by_transition[Transition.REFELL_POOR]
    new = table.by_transition[Transition.NEW_POOR]
    assert len(refell) == 1
    assert 2 <= len(new) <= 3
    assert not set(refell) & set(new)
    # Tái nghèo: poor at a 2022 review, above the near-poor standard at the end of
    # 2023, poor again. Phát sinh mới: never poor before.
    history = list(
        Review.objects.filter(household_id=refell[0])
        .order_by("review_date")
        .values_list("review_date", "status")
    )
    assert history[0][0] == date(2022, 11, 10)
    assert [day.year for day, _ in history] == [2022, 2023, 2024]
    assert history[0][1] == history[2][1] == POOR
    assert history[1][1] in (PovertyStatus.MEDIUM, PovertyStatus.NOT_POOR)
    for household_id in new:
        statuses = Review.objects.filter(
            household_id=household_id, review_date__lte=START
        ).values_list("status", flat=True)
        assert POOR not in statuses
    (refell_near,) = table.by_transition[Transition.REFELL_NEAR_POOR]
    history = list(
        Review.objects.filter(household_id=refell_near)
        .order_by("review_date")
        .values_list("review_date", "status")
    )
    assert [day.year for day, _ in history] == [2022, 2023, 2024]
    assert history[0][1] == history[2][1] == NEAR_POOR
    assert history[1][1] in (PovertyStatus.MEDIUM, PovertyStatus.NOT_POOR)


def test_households_that_left_and_arrived(
    commune: Commune, households: HouseholdQuerySet, table: Dynamics
) -> None:
    (poor_left,) = table.by_transition[Transition.POOR_LEFT]
    (near_poor_left,) = table.by_transition[Transition.NEAR_POOR_LEFT]
    for pk in (poor_left, near_poor_left):
        household = Household.objects.get(pk=pk)
        assert household.archived_on is not None
        assert household.archived_on.year == 2024
        assert household.archive_reason == ArchiveReason.MOVED_AWAY
        assert not household.reviews.filter(review_date__year=2024).exists()
    assert Household.objects.get(pk=poor_left).archived_on == date(2024, 6, 20)
    assert households.archived().count() == 2

    (poor_added,) = table.by_transition[Transition.POOR_ADDED]
    (near_poor_added,) = table.by_transition[Transition.NEAR_POOR_ADDED]
    for pk in (poor_added, near_poor_added):
        household = Household.objects.prefetch_related("members").get(pk=pk)
        assert household.registered_on.year == 2024
        assert household.registered_on.month == 5
        assert household.members.exists()
        prefix = f"CN-{household.village.position:02d}-"
        numbers = [
            int(code.removeprefix(prefix))
            for code in households.filter(village=household.village).values_list(
                "code", flat=True
            )
        ]
        assert int(household.code.removeprefix(prefix)) == max(numbers)
        assert sorted(numbers) == list(range(1, len(numbers) + 1))
        stored = household.search_text
        household.refresh_search_text()
        assert stored == household.search_text
        assert households.search(household.code).get() == household
        for member in household.members.all():
            member.full_clean()
        (review,) = household.reviews.all()
        assert review.round is not None


def test_allocations_follow_the_poor_households_of_each_village(
    target: PovertyTarget, households: HouseholdQuerySet, villages: list[Village]
) -> None:
    assert target.poor_target_end == 40
    assert "II.2.1" in target.source
    allocations = {a.village_id: a.poor_reduction for a in target.allocations.all()}
    assert set(allocations) == {v.pk for v in villages}
    assert sum(allocations.values()) == 24
    progress = poverty_progress(2024, target, households, villages, on=END)
    for row in progress.villages:
        assert row.village is not None
        assert row.poor_reduction == allocations[row.village.pk]
        assert row.poor_reduction <= row.poor_start
        exact = Decimal(row.poor_start * 24) / 64
        assert abs(row.poor_reduction - exact) < 1
    assert progress.total.poor_start == 64
    assert progress.total.poor_target_end == 40


def test_largest_remainder() -> None:
    assert demo_targets.largest_remainder([4, 3, 5, 9, 11, 2, 8, 6, 3, 7, 6], 24) == [
        2,
        1,
        2,
        3,
        4,
        1,
        3,
        2,
        1,
        3,
        2,
    ]
    assert demo_targets.largest_remainder([1, 1, 1], 2) == [1, 1, 0]
    assert demo_targets.largest_remainder([5, 0], 0) == [0, 0]
    with pytest.raises(ValueError):
        demo_targets.largest_remainder([1, 2], 4)


def test_exactly_one_village_misses_its_target(
    target: PovertyTarget, households: HouseholdQuerySet, villages: list[Village]
) -> None:
    progress = poverty_progress(2024, target, households, villages, on=END)
    missed = [r for r in progress.villages if r.poor_now > r.poor_target_end]  # type: ignore[operator]
    assert [r.name for r in missed] == ["Làng Cốc"]
    assert all(r.met for r in progress.villages if r not in missed)
    assert progress.total.poor_now == 42
    assert progress.total.met is False
    assert progress.total.still_to_lift == 2


SERVICE_TARGETS = [
    (
        "1",
        "Phấn đấu không còn tình trạng trẻ em không đi học",
        Measure.CHILDREN_IN_SCHOOL,
        Comparator.EQ,
        100,
        "Các nhà trường",
        date(2024, 9, 25),
        Recipient.UBND_XA,
    ),
    (
        "2",
        "Phấn đấu trên 100% hộ nghèo được tiếp cận nguồn nước hợp vệ sinh",
        Measure.POOR_WATER,
        Comparator.EQ,
        100,
        "Công chức Địa chính - Nông nghiệp",
        date(2024, 9, 30),
        Recipient.UBND_HUYEN,
    ),
    (
        "3",
        "Phấn đấu đảm bảo 100% khẩu cận nghèo tham gia bảo hiểm y tế",
        Measure.NEAR_POOR_INSURED,
        Comparator.EQ,
        100,
        "Trạm Y tế xã (phối hợp Bảo hiểm xã hội huyện)",
        date(2024, 9, 25),
        Recipient.UBND_XA,
    ),
    (
        "4a",
        "Phấn đấu trên 70% hộ nghèo có đảm bảo về chất lượng nhà ở",
        Measure.POOR_HOUSING_QUALITY,
        Comparator.GT,
        70,
        "Công chức Địa chính - Xây dựng",
        date(2024, 9, 25),
        Recipient.UBND_XA,
    ),
    (
        "4b",
        "80% hộ nghèo đảm bảo diện tích tối thiểu 8m²/người trở lên",
        Measure.POOR_FLOOR_AREA,
        Comparator.GTE,
        80,
        "Công chức Địa chính - Xây dựng",
        date(2024, 9, 25),
        Recipient.UBND_XA,
    ),
    (
        "5",
        "Phấn đấu trên 90% hộ nghèo có hố xí/nhà tiêu hợp vệ sinh",
        Measure.POOR_LATRINE,
        Comparator.GT,
        90,
        "Công chức Địa chính - Nông nghiệp",
        date(2024, 9, 30),
        Recipient.UBND_HUYEN,
    ),
    (
        "6",
        "Phấn đấu 100% hộ nghèo được tiếp cận dịch vụ thông tin truyền thông",
        Measure.POOR_INFORMATION,
        Comparator.EQ,
        100,
        "Công chức Văn hóa thông tin (phối hợp công chức LĐ-TB&XH)",
        date(2024, 9, 25),
        Recipient.UBND_XA,
    ),
]


def test_seven_service_targets_as_the_plan_writes_them(commune: Commune) -> None:
    targets = list(ServiceTarget.objects.filter(commune=commune, year=2024))
    assert [t.position for t in targets] == list(range(1, 8))
    assert [
        (
            t.code,
            t.text,
            t.measure,
            t.comparator,
            t.threshold,
            t.responsible,
            t.report_due_before,
            t.report_recipient,
        )
        for t in targets
    ] == [(*row[:4], Decimal(row[4]), *row[5:]) for row in SERVICE_TARGETS]
    by_code = {t.code: t for t in targets}
    assert by_code["2"].threshold_as_written == "trên 100 %"
    assert by_code["2"].measurement_note == (
        "Văn bản ghi “trên 100%” — không thể vượt 100%; hệ thống đo là 100% hộ nghèo."
    )
    assert by_code["1"].threshold_as_written == "Không còn trẻ em không đi học (100 %)"
    assert "khẩu" in by_code["3"].measurement_note
    assert "hộ" in by_code["3"].measurement_note
    assert by_code["4a"].threshold_as_written == "trên 70 %"
    assert by_code["4b"].threshold_as_written == "80 %"
    assert by_code["5"].threshold_as_written == "trên 90 %"
    assert "Chỉ số 9" in by_code["2"].indicators
    assert "Chỉ số 11 và 12" in by_code["6"].indicators
    for t in targets:
        t.full_clean()
        assert t.source.startswith("§II.2.2")


def test_service_targets_have_something_to_show_at_the_end_of_2024(
    commune: Commune, households: HouseholdQuerySet, villages: list[Village]
) -> None:
    measured = {
        t.code: service_progress(t, households, villages, on=END).commune
        for t in ServiceTarget.objects.filter(commune=commune, year=2024)
    }
    for code in ("2", "4a", "4b", "5", "6"):
        assert measured[code].total == 42, code
    assert measured["6"].met and measured["6"].ok == 42
    assert measured["2"].concerned > 0 and not measured["2"].met
    assert measured["5"].concerned > 0 and not measured["5"].met
    assert Decimal(70) < measured["4a"].percent <= Decimal(80)  # type: ignore[operator]
    assert measured["4a"].met
    assert measured["4b"].percent >= Decimal(80)  # type: ignore[operator]
    assert measured["4b"].met
    assert 1 <= measured["3"].concerned <= 40  # a few near-poor members without BHYT
    assert 1 <= measured["1"].concerned <= 30  # a few children out of school


def test_seeding_twice_changes_nothing(commune: Commune, settings: object) -> None:
    settings.DEMO_MODE = True  # type: ignore[attr-defined]
    before = counts()
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert out.getvalue().count("không thay đổi gì") == 3
    assert register.seed_review_round_2024().created is False
    assert demo_targets.seed_targets_2024().created is False
    assert counts() == before


def test_a_register_with_only_2023_gets_the_rest(
    commune: Commune, settings: object
) -> None:
    settings.DEMO_MODE = True  # type: ignore[attr-defined]
    # Drop the 2024 part, as a database seeded before it existed would be.
    ServiceTarget.objects.filter(commune=commune).delete()
    PovertyTarget.objects.filter(commune=commune).delete()
    for record in (VillageMeeting, Posting, RecognitionDecision):
        record.objects.filter(review_round__commune=commune).delete()
    ReviewRequest.objects.filter(household__commune=commune).delete()
    Review.objects.filter(household__commune=commune, review_date__gt=START).delete()
    Review.objects.filter(
        household__commune=commune, review_date__lt=date(2023, 1, 1)
    ).delete()
    ReviewRound.objects.filter(commune=commune).delete()
    Household.objects.filter(commune=commune, registered_on__gt=START).delete()
    Household.objects.filter(commune=commune).update(
        archived_on=None, archive_reason="", archive_note=""
    )
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "đã được nạp từ trước" in out.getvalue()
    assert "Đã nạp đợt rà soát định kỳ năm 2024" in out.getvalue()
    assert "Đã nạp chỉ tiêu năm 2024" in out.getvalue()
    assert "Làng Cốc" in out.getvalue() and "chưa đạt (còn 3 hộ)" in out.getvalue()
    end = Household.objects.filter(commune=commune).present_on(END)
    assert end.with_status_on(END).with_status(POOR).count() == 42


def test_the_2024_part_needs_the_2023_part_and_demo_mode(settings: object) -> None:
    settings.DEMO_MODE = False  # type: ignore[attr-defined]
    with pytest.raises(register.DemoModeOffError):
        register.seed_review_round_2024()
    with pytest.raises(register.DemoModeOffError):
        demo_targets.seed_targets_2024()


def test_demo_appendix_01_commune_row_and_villages_add_up(
    commune: Commune, households: HouseholdQuerySet, villages: list[Village]
) -> None:
    from decimal import Decimal

    from reports.summaries.appendix import appendix_01

    summary = appendix_01(commune, 2024, households, villages, whole_commune=True)

    total = summary.total
    assert (total.households, total.poor_start) == (1229, 64)
    assert (total.reduction, total.poor_target_end) == (24, 40)
    assert (total.rate_start, total.rate_target) == (Decimal("5.21"), Decimal("3.25"))
    assert total.rate_reduction == Decimal("1.96")
    assert sum(r.households for r in summary.rows) == 1229
    assert sum(r.poor_start for r in summary.rows) == 64
    assert sum(r.reduction or 0 for r in summary.rows) == 24
    assert sum(r.poor_target_end or 0 for r in summary.rows) == 40


def awaits_decision(review: Review) -> bool:
    """A regular review is not in force before the chairman's decision (QĐ 24/2021
    Điều 5): the demo's storm-damaged household's, on its working date."""
    return review.kind == ReviewKind.REGULAR and review.regular_decision_id is None


def _independent_end_2024(commune: Commune) -> dict[int, tuple[int, str | None, int]]:
    """household id -> (village id, status at 31/12/2024, persons), from plain rows."""
    from households.models import Household, Member

    end = date(2024, 12, 31)
    latest: dict[int, tuple[date, int, str]] = {}
    for review in Review.objects.filter(
        household__commune=commune, review_date__lte=end
    ):
        if awaits_decision(review):
            continue
        key = (review.review_date, review.pk)
        if review.household_id not in latest or key > latest[review.household_id][:2]:
            latest[review.household_id] = (*key, review.status)
    persons: dict[int, int] = {}
    for member in Member.objects.filter(household__commune=commune):
        persons[member.household_id] = persons.get(member.household_id, 0) + 1
    result = {}
    for household in Household.objects.filter(commune=commune):
        present = household.registered_on <= end and (
            household.archived_on is None or household.archived_on > end
        )
        if present:
            status = latest.get(household.pk, (None, None, None))[2]
            result[household.pk] = (
                household.village_id,
                status,
                persons.get(household.pk, 0),
            )
    return result


def _independent_medium_living_end_2024(
    commune: Commune, facts: dict[int, tuple[int, str | None, int]]
) -> set[int]:
    """Report 1 columns 7/13, from plain rows: the households present on 31/12/2024,
    neither poor nor near-poor, whose latest determination holding that day (from
    its decision date if in the band, from its own date if not) recognised them."""
    from households.models import MediumLivingDetermination

    end = date(2024, 12, 31)
    latest: dict[int, tuple[date, date, bool]] = {}
    for d in MediumLivingDetermination.objects.filter(household__commune=commune):
        effective = d.decision_date if d.in_band else d.determined_on
        if effective is None or effective > end:
            continue
        key = (effective, d.determined_on, d.in_band)
        if d.household_id not in latest or key[:2] > latest[d.household_id][:2]:
            latest[d.household_id] = key
    return {
        h
        for h, key in latest.items()
        if key[2] and h in facts and facts[h][1] not in ("poor", "near_poor")
    }


def test_demo_farm_households_agree_with_their_reviews(commune: Commune) -> None:
    from households.medium_standard import determine
    from households.models import MediumLivingDetermination

    facts = _independent_end_2024(commune)
    determinations = list(
        MediumLivingDetermination.objects.filter(
            household__commune=commune
        ).select_related("household__commune")
    )
    assert determinations
    for d in determinations:
        assert d.household.farm_livelihood
        assert d.requested_on <= d.determined_on <= date(2024, 12, 20)
        assert d.determined_on.day == 15
        # Stored result = the rule's result; in the band exactly when the review
        # put the household in the medium band.
        found = determine(
            income_12_months=d.income_12_months,
            excluded_allowances=d.excluded_allowances,
            persons=d.persons,
            farms=True,
            urban=False,
            standard=d.standard,
        )
        assert d.in_band == found.in_band
        assert d.in_band == (facts[d.household_id][1] == "medium")
        assert d.persons == facts[d.household_id][2]
        if d.decision_date:
            assert d.in_band and d.decision_number
            assert d.determined_on <= d.decision_date <= date(2024, 12, 20)
    assert sum(1 for d in determinations if not d.in_band) > 0  # refused requests
    assert sum(1 for d in determinations if d.in_band and not d.decision_date) == 1


def test_demo_report_1_equals_an_independent_count(
    commune: Commune, households: HouseholdQuerySet, villages: list[Village]
) -> None:
    from reports.summaries.review import review_result

    summary = review_result(commune, 2024, households, villages)
    facts = _independent_end_2024(commune)
    recognised = _independent_medium_living_end_2024(commune, facts)

    for row, village in zip(summary.rows, villages, strict=True):
        mine = [f for f in facts.values() if f[0] == village.pk]
        assert row.households == len(mine)
        assert row.persons == sum(f[2] for f in mine)
        assert row.poor == sum(1 for f in mine if f[1] == "poor")
        assert row.near_poor == sum(1 for f in mine if f[1] == "near_poor")
        assert row.poor_persons == sum(f[2] for f in mine if f[1] == "poor")
        farm = [f for h, f in facts.items() if f[0] == village.pk and h in recognised]
        assert row.medium == len(farm)
        assert row.medium_persons == sum(f[2] for f in farm)
    assert summary.total.households == len(facts)
    assert summary.total.poor == 42
    assert summary.total.medium == len(recognised) > 0


def test_demo_reports_4_and_6_equal_an_independent_count(
    commune: Commune, households: HouseholdQuerySet, villages: list[Village]
) -> None:
    from households.poverty import INDICATOR_SLUGS
    from reports.summaries.review import review_deprivations

    facts = _independent_end_2024(commune)
    end = date(2024, 12, 31)
    latest_review: dict[int, Review] = {}
    for review in Review.objects.filter(
        household__commune=commune, review_date__lte=end
    ):
        if awaits_decision(review):
            continue
        current = latest_review.get(review.household_id)
        if current is None or (review.review_date, review.pk) > (
            current.review_date,
            current.pk,
        ):
            latest_review[review.household_id] = review
    for status in ("poor", "near_poor"):
        summary = review_deprivations(
            commune, 2024, households, villages, status=status
        )
        ids = [h for h, f in facts.items() if f[1] == status]
        expected = tuple(
            sum(1 for h in ids if getattr(latest_review[h], slug))
            for slug in INDICATOR_SLUGS
        )
        assert summary.total.households == len(ids)
        assert summary.total.by_indicator == expected


def test_demo_reports_8_9_11_and_lists_equal_an_independent_count(
    commune: Commune, households: HouseholdQuerySet, villages: list[Village]
) -> None:
    from households.models import Household, Member
    from reports.summaries.review import (
        household_list,
        review_children,
        review_ethnicity,
        review_target_groups,
    )

    end = date(2024, 12, 31)
    facts = _independent_end_2024(commune)
    homes = {h.pk: h for h in Household.objects.filter(pk__in=list(facts))}
    members: dict[int, list[Member]] = {}
    for member in Member.objects.filter(household_id__in=list(facts)):
        members.setdefault(member.household_id, []).append(member)

    for status in ("poor", "near_poor"):
        ids = [h for h, f in facts.items() if f[1] == status]
        # Lists 14/15: exactly the households of the class, with all their members.
        listed = household_list(commune, 2024, households, villages, status=status)
        assert sorted(h.id for v in listed.villages for h in v.households) == sorted(
            ids
        )
        assert listed.persons == sum(len(members.get(h, [])) for h in ids)

        # Report 9: households by their ethnicity, Kinh against the minorities.
        ethnicity = review_ethnicity(commune, 2024, households, villages)
        counts = getattr(ethnicity.total.households, status)
        assert counts.total == len(ids)
        assert counts.kinh == sum(1 for h in ids if homes[h].ethnicity == "kinh")

        # Report 8: every group a household is in (they overlap, as on the form);
        # "Khác" the households in none of them.
        groups = getattr(
            review_target_groups(commune, 2024, households, villages).total.households,
            status,
        )
        merit = [h for h in ids if homes[h].has_meritorious_person]
        no_labour = [h for h in ids if homes[h].no_labour_capacity]
        minority = [h for h in ids if homes[h].ethnicity != "kinh"]
        none = [h for h in ids if h not in {*merit, *no_labour, *minority}]
        assert (
            groups.meritorious,
            groups.no_labour_capacity,
            groups.ethnic_minority,
            groups.other,
        ) == (len(merit), len(no_labour), len(minority), len(none))

        # Report 11: children under 16 on 31/12 and their deprivations.
        children = getattr(
            review_children(commune, 2024, households, villages).total, status
        )
        kids = [m for h in ids for m in members.get(h, []) if m.age_on(end) < 16]
        assert children.children == len(kids)
        assert children.education == sum(
            1 for m in kids if 3 <= m.age_on(end) < 16 and not m.attends_school
        )
        # The form's health column: children without BHYT plus malnourished ones.
        assert children.health == sum(
            1 for m in kids if m.age_on(end) >= 6 and not m.facts().insured_on(end)
        ) + sum(1 for m in kids if m.malnourished)


def test_demo_report_10_counts_every_poor_and_near_poor_household_by_its_causes(
    commune: Commune, households: HouseholdQuerySet, villages: list[Village]
) -> None:
    from households.models import PovertyCause
    from reports.summaries.causes import review_causes
    from tasks.models import HouseholdPlan

    end = date(2024, 12, 31)
    facts = _independent_end_2024(commune)
    latest: dict[int, Review] = {}
    for review in Review.objects.filter(household_id__in=list(facts)):
        if review.review_date > end or awaits_decision(review):
            continue
        current = latest.get(review.household_id)
        if current is None or (review.review_date, review.pk) > (
            current.review_date,
            current.pk,
        ):
            latest[review.household_id] = review

    summary = review_causes(commune, 2024, households, villages)
    for status, counts in (
        ("poor", summary.total.poor),
        ("near_poor", summary.total.near_poor),
    ):
        ids = [h for h, f in facts.items() if f[1] == status]
        assert counts.households == len(ids)
        assert counts.by_cause == tuple(
            sum(1 for h in ids if cause in latest[h].poverty_causes)
            for cause in PovertyCause.values
        )
        # The demo records a cause for every poor and near-poor review.
        assert counts.unrecorded == 0
    # Where the village wrote a plan for the household, the review's causes are
    # the plan's.
    poor_now = {h for h, f in facts.items() if f[1] == "poor"}
    for plan in HouseholdPlan.objects.filter(household_id__in=poor_now):
        assert latest[plan.household_id].poverty_causes == plan.causes


def test_demo_september_water_and_latrine_report_equals_an_independent_count(
    commune: Commune, households: HouseholdQuerySet, villages: list[Village]
) -> None:
    from reports.summaries.september import REPORTS, september_summary

    end = date(2024, 12, 31)
    facts = _independent_end_2024(commune)
    poor = [h for h, f in facts.items() if f[1] == "poor"]
    latest: dict[int, Review] = {}
    for review in Review.objects.filter(household_id__in=poor, review_date__lte=end):
        if awaits_decision(review):
            continue
        current = latest.get(review.household_id)
        if current is None or (review.review_date, review.pk) > (
            current.review_date,
            current.pk,
        ):
            latest[review.household_id] = review

    summary = september_summary(
        REPORTS["nuoc-ve-sinh"], commune, 2024, households, villages, on=end
    )

    by_code = {s.target.code: s for s in summary.sections}
    water = sum(1 for h in poor if not latest[h].nguon_nuoc_sinh_hoat)
    latrine = sum(1 for h in poor if not latest[h].nha_tieu_hop_ve_sinh)
    assert (by_code["2"].total.ok, by_code["2"].total.total) == (water, len(poor))
    assert (by_code["5"].total.ok, by_code["5"].total.total) == (latrine, len(poor))
    assert len(by_code["5"].concerned) == len(poor) - latrine


def test_demo_status_report_equals_the_plan_and_task_rows(commune: Commune) -> None:
    from giamngheo.models import User
    from reports.summaries.status import plan_and_task_status
    from tasks.models import PlanStatus, Task, TaskStatus, VillagePlan

    today = date(2026, 11, 29)
    report = plan_and_task_status(
        User.objects.get(username="canbo"), commune, 2024, today
    )

    plans = list(VillagePlan.objects.filter(village__commune=commune, year=2024))
    assert report.plan_totals.counts.approved == sum(
        1 for p in plans if p.status == PlanStatus.APPROVED
    )
    assert report.plan_totals.counts.pending == sum(
        1 for p in plans if p.status == PlanStatus.SUBMITTED
    )
    assert report.plan_totals.counts.late == sum(1 for p in plans if p.late)
    tasks = list(Task.objects.filter(commune=commune, year=2024))
    assert report.unit_totals.total == len(tasks)
    assert report.unit_totals.approved == sum(
        1 for t in tasks if t.status == TaskStatus.APPROVED
    )
    assert report.unit_totals.overdue == sum(1 for t in tasks if t.is_overdue(today))


def test_the_recognised_2024_round_refuses_a_late_review_and_its_page_counts_the_rows(
    commune: Commune, households: HouseholdQuerySet, client: Client
) -> None:
    """Issue 8 item 2 on the demo: a periodic review dated 20/11/2024, entered after
    the recognition on 14/12/2024, would have made Làng Mới's near-poor household poor
    and the commune's 2024 result 43."""
    from django.urls import reverse

    from giamngheo.models import User

    officer = User.objects.get(username="canbo")
    village = commune.villages.get(name="Làng Mới")
    household = (
        households.filter(village=village)
        .present_on(END)
        .with_status_on(END)
        .with_status(NEAR_POOR)
        .order_by("code")
        .first()
    )
    assert household is not None
    review_round = ReviewRound.objects.get(commune=commune, year=2024)
    in_round = Review.objects.filter(round=review_round).count()
    client.force_login(officer)

    response = client.post(
        reverse("households:review_create", args=[household.pk]),
        {
            "review_date": "20/11/2024",
            "kind": ReviewKind.PERIODIC,
            "reviewer_name": "Bùi Thị Lan",
            "income_per_person_month": "900000",
            "floor_area_m2": "",
            "viec_lam": "on",
            "chat_luong_nha_o": "on",
            "nguon_nuoc_sinh_hoat": "on",
            "note": "Phúc tra.",
        },
    )

    assert response.status_code == 200
    assert "công nhận ngày 14/12/2024" in response.content.decode()
    present = households.present_on(END)
    assert present.with_status_on(END).with_status(POOR).count() == 42
    page = client.get(reverse("households:round_detail", args=[2024]))
    assert f"<strong>{in_round}</strong> phiếu rà soát" in page.content.decode()
