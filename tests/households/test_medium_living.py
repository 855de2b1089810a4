"""The determination of farm households at the medium living standard, through its
pages: the officer records the request and the actual income, the chairman's decision
follows; bad input is refused in Vietnamese and nothing is saved."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from giamngheo.models import User
from households.models import FarmLivelihood, Household, MediumLivingDetermination

pytestmark = pytest.mark.django_db


@pytest.fixture
def farm(household_a1: Household) -> Household:
    household_a1.farm_livelihood = FarmLivelihood.AGRICULTURE
    household_a1.save()
    return household_a1


def post(client: Client, household: Household, **changes: str) -> Any:
    data = {
        "requested_on": "02/10/2024",
        "determined_on": "15/10/2024",
        "income_12_months": "24.000.000",  # 2.000.000 đồng per person per month
        "excluded_allowances": "0",
        "persons": "1",
        "decision_number": "",
        "decision_date": "",
        "note": "",
    } | changes
    return client.post(
        reverse("households:medium_living_create", args=[household.pk]), data
    )


def test_officer_records_a_determination_in_the_band(
    client: Client, officer: User, farm: Household
) -> None:
    client.force_login(officer)

    response = post(client, farm, excluded_allowances="1.200.000")

    assert response.status_code == 302
    determination = MediumLivingDetermination.objects.get()
    assert determination.income_12_months == 24_000_000
    assert determination.excluded_allowances == 1_200_000
    assert determination.in_band  # 22.800.000 / 12 = 1.900.000
    assert determination.standard_code == "2022-2025"
    assert determination.recorded_by == officer
    assert not determination.is_recognised
    page = client.get(farm.get_absolute_url()).content.decode()
    assert "thuộc mức sống trung bình, chờ Chủ tịch UBND xã công nhận." in page
    assert "Chờ công nhận" in page
    assert "bình quân 1.900.000 đồng/người/tháng" in page
    assert reverse("households:medium_living_recognise", args=[farm.pk]) in page


def test_the_chairman_s_decision_makes_the_household_medium_from_its_date(
    client: Client, officer: User, chairman: User, farm: Household
) -> None:
    client.force_login(officer)
    post(client, farm)
    url = reverse("households:medium_living_recognise", args=[farm.pk])

    refused = client.post(url, {"decision_number": "", "decision_date": ""})
    too_early = client.post(
        url, {"decision_number": "45/QĐ-UBND", "decision_date": "14/10/2024"}
    )
    response = client.post(
        url, {"decision_number": "45/QĐ-UBND", "decision_date": "30/10/2024"}
    )

    assert "Nhập số quyết định công nhận." in refused.content.decode()
    assert "không được trước ngày xác định (15/10/2024)" in too_early.content.decode()
    assert response.status_code == 302
    determination = MediumLivingDetermination.objects.get()
    assert determination.is_recognised
    assert determination.decision_date == date(2024, 10, 30)
    assert MediumLivingDetermination.objects.recognised_on(date(2024, 10, 29)) == set()
    assert MediumLivingDetermination.objects.recognised_on(date(2024, 10, 30)) == {
        farm.pk
    }
    # The chairman reads it, with no button to change it.
    client.force_login(chairman)
    page = client.get(farm.get_absolute_url()).content.decode()
    assert "Hộ có mức sống trung bình</span> theo quyết định công nhận" in page
    assert "Số 45/QĐ-UBND ngày 30/10/2024" in page
    assert reverse("households:medium_living_create", args=[farm.pk]) not in page
    # Nothing left to recognise: back to the household's page.
    client.force_login(officer)
    assert client.get(url).url == farm.get_absolute_url()


def test_a_result_out_of_the_band_gets_no_decision(
    client: Client, officer: User, farm: Household
) -> None:
    client.force_login(officer)

    response = post(
        client,
        farm,
        income_12_months="27.000.012",  # 2.250.001 đồng per person per month
        decision_number="45/QĐ-UBND",
        decision_date="30/10/2024",
    )

    assert response.status_code == 200
    assert "trả lời hộ bằng văn bản, nêu rõ lý do" in response.content.decode()
    assert MediumLivingDetermination.objects.count() == 0
    post(client, farm, income_12_months="27.000.012")
    assert not MediumLivingDetermination.objects.get().in_band


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"income_12_months": "1,5 triệu"}, "chưa đúng"),
        ({"excluded_allowances": "30.000.000"}, "không được lớn hơn tổng thu nhập"),
        ({"determined_on": "01/10/2024"}, "không được trước ngày nhận giấy đề nghị"),
        ({"determined_on": "01/01/2099"}, "không được ở tương lai"),
        ({"persons": "0"}, "Số nhân khẩu phải từ 1 trở lên."),
        ({"decision_number": "45/QĐ-UBND"}, "Ghi cả số và ngày"),
        ({"income_12_months": ""}, "bắt buộc"),
    ],
)
def test_bad_input_is_refused_in_vietnamese_and_nothing_saved(
    client: Client,
    officer: User,
    farm: Household,
    changes: dict[str, str],
    message: str,
) -> None:
    client.force_login(officer)

    response = post(client, farm, **changes)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert MediumLivingDetermination.objects.count() == 0


def test_a_household_that_does_not_farm_is_not_determined(
    client: Client, officer: User, household_a1: Household
) -> None:
    client.force_login(officer)

    response = post(client, household_a1)

    assert response.status_code == 200
    assert "chưa được ghi là hộ làm nông, lâm, ngư, diêm nghiệp" in (
        response.content.decode()
    )
    assert MediumLivingDetermination.objects.count() == 0


def test_the_household_form_records_the_livelihood(
    client: Client, officer: User, household_a1: Household
) -> None:
    client.force_login(officer)
    head = household_a1.members.get()
    data = {
        "code": household_a1.code,
        "village": str(household_a1.village_id),
        "address": "",
        "ethnicity": household_a1.ethnicity,
        "registered_on": household_a1.registered_on.strftime("%d/%m/%Y"),
        "farm_livelihood": FarmLivelihood.FORESTRY,
        "members-TOTAL_FORMS": "1",
        "members-INITIAL_FORMS": "1",
        "members-MIN_NUM_FORMS": "1",
        "members-MAX_NUM_FORMS": "30",
        "members-0-id": str(head.pk),
        "members-0-household": str(household_a1.pk),
        "members-0-full_name": head.full_name,
        "members-0-relationship": head.relationship,
        "members-0-sex": head.sex,
        "members-0-birth_year": str(head.birth_year),
        "members-0-ethnicity": head.ethnicity,
        "members-0-has_health_insurance": "on",
        "members-0-attends_school": "",
        "members-0-education_level": head.education_level,
        "members-0-employment": head.employment,
    }

    response = client.post(reverse("households:edit", args=[household_a1.pk]), data)

    assert response.status_code == 302
    household_a1.refresh_from_db()
    assert household_a1.farm_livelihood == FarmLivelihood.FORESTRY
    page = client.get(household_a1.get_absolute_url()).content.decode()
    assert "Lâm nghiệp" in page
    assert reverse("households:medium_living_create", args=[household_a1.pk]) in page


def test_the_village_head_reads_but_does_not_determine(
    client: Client, head_a1: User, farm: Household
) -> None:
    MediumLivingDetermination.objects.create(
        household=farm,
        requested_on=date(2024, 10, 2),
        determined_on=date(2024, 10, 15),
        income_12_months=24_000_000,
        persons=1,
        decision_number="45/QĐ-UBND",
        decision_date=date(2024, 10, 30),
    )
    client.force_login(head_a1)

    page = client.get(farm.get_absolute_url()).content.decode()
    form = client.get(reverse("households:medium_living_create", args=[farm.pk]))

    assert "Số 45/QĐ-UBND ngày 30/10/2024" in page
    assert form.status_code == 403
    assert MediumLivingDetermination.objects.visible_to(head_a1).count() == 1


def test_determinations_are_read_only_within_scope(
    outsider: User, farm: Household
) -> None:
    MediumLivingDetermination.objects.create(
        household=farm,
        requested_on=date(2024, 10, 2),
        determined_on=date(2024, 10, 15),
        income_12_months=24_000_000,
        persons=1,
    )
    assert MediumLivingDetermination.objects.visible_to(outsider).count() == 0


def test_an_archived_household_is_not_determined(
    client: Client, officer: User, farm: Household
) -> None:
    farm.archived_on = date(2024, 6, 1)
    farm.archive_reason = "moved_away"
    farm.save()
    client.force_login(officer)

    response = post(client, farm)

    assert response.url == farm.get_absolute_url()
    assert MediumLivingDetermination.objects.count() == 0
