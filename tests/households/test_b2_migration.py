"""Migration 0004: the old nutrition flag becomes `underweight`, nothing else changes
(households/migrations/0004_b2_facts.py)."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from households.indicators import MemberFacts, derive_indicators

BEFORE = [("households", "0003_round_reopenings")]
AFTER = [("households", "0004_b2_facts")]


def migrate(target: list[tuple[str, str]]):  # type: ignore[no-untyped-def]
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)
    return executor.loader.project_state(target).apps


@pytest.mark.django_db(transaction=True)
def test_malnourished_is_carried_as_underweight_and_results_stay() -> None:
    try:
        apps = migrate(BEFORE)
        commune = apps.get_model("households", "Commune").objects.create(
            name="Cao Ngọc", code="cn", district="Ngọc Lặc", province="Thanh Hóa"
        )
        village = apps.get_model("households", "Village").objects.create(
            commune=commune, name="Làng Cốc"
        )
        household = apps.get_model("households", "Household").objects.create(
            commune=commune, village=village, code="CN-01-0001"
        )
        member_model = apps.get_model("households", "Member")
        head = member_model.objects.create(
            household=household,
            full_name="Bùi Văn Hùng",
            birth_year=1980,
            sex="male",
            relationship="head",
        )
        child = member_model.objects.create(
            household=household,
            full_name="Bùi Thị Nga",
            birth_year=2020,
            sex="female",
            relationship="child",
            malnourished=True,
        )
        apps.get_model("households", "HistoricalMember").objects.create(
            id=child.pk,
            household_id=household.pk,
            full_name="Bùi Thị Nga",
            birth_year=2020,
            sex="female",
            relationship="child",
            ethnicity="muong",
            education_level="none",
            employment="child",
            malnourished=True,
            history_date="2024-10-01T00:00:00Z",
            history_type="+",
        )
        review = apps.get_model("households", "Review").objects.create(
            household=household,
            review_date=date(2024, 10, 15),
            reviewer_name="Bùi Văn Thắng",
            income_per_person_month=1_000_000,
            household_size=2,
            dinh_duong=True,
            standard_code="2022-2025",
            status="near_poor",
        )

        apps = migrate(AFTER)

        members = apps.get_model("households", "Member").objects
        carried = members.get(pk=child.pk)
        assert (carried.stunted, carried.underweight) == (False, True)
        assert (
            members.get(pk=head.pk).stunted,
            members.get(pk=head.pk).underweight,
        ) == (
            False,
            False,
        )
        history = apps.get_model("households", "HistoricalMember").objects.get()
        assert history.underweight is True
        stored = apps.get_model("households", "Review").objects.get(pk=review.pk)
        assert (stored.dinh_duong, stored.status) == (True, "near_poor")
        assert stored.water_source == "" and stored.derivation is None
        facts = MemberFacts(
            full_name=carried.full_name,
            birth_year=carried.birth_year,
            stunted=carried.stunted,
            underweight=carried.underweight,
        )
        derived = derive_indicators([facts], floor_area_m2=None, on=review.review_date)
        assert derived["dinh_duong"].deprived is True

        apps = migrate(BEFORE)  # and back: the flag is "either measure"
        back = apps.get_model("households", "Member").objects.get(pk=child.pk)
        assert back.malnourished is True
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
