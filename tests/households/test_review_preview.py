"""The review form's live preview (htmx) classifies as the officer types, and says
in words why it cannot when it cannot."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from giamngheo.models import User
from households.models import Household

PLAIN_MONEY_MESSAGE = "Nhập số tiền bằng chữ số, ví dụ 1.500.000."


def review_data(**fields: str) -> dict[str, str]:
    return {
        "review_date": "20/11/2025",
        "kind": "periodic",
        "reviewer_name": "Bùi Văn Thắng",
        "income_per_person_month": "1.500.000",
        "floor_area_m2": "",
        "note": "",
        **fields,
    }


def preview(client: Client, user: User, household: Household, **fields: str) -> str:
    client.force_login(user)
    url = reverse("households:review_preview", args=[household.pk])
    response = client.post(url, review_data(**fields))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_preview_classifies_an_income_typed_with_dots(
    client: Client, officer: User, household_a1: Household
) -> None:
    html = preview(client, officer, household_a1, income_per_person_month="1.500.000")
    assert "Kết quả theo chuẩn" in html
    assert "1.500.000 đồng/người/tháng" in html


@pytest.mark.django_db
def test_preview_says_the_income_is_wrong_and_how_to_write_it(
    client: Client, officer: User, household_a1: Household
) -> None:
    html = preview(client, officer, household_a1, income_per_person_month="1.500000")
    assert "Chưa phân loại được. Thu nhập bình quân: “1.500000” chưa đúng" in html
    assert PLAIN_MONEY_MESSAGE in html
    assert "Kết quả theo chuẩn" not in html


@pytest.mark.django_db
def test_preview_without_income_asks_for_it(
    client: Client, officer: User, household_a1: Household
) -> None:
    html = preview(client, officer, household_a1, income_per_person_month="")
    assert "Chưa phân loại được: nhập thu nhập bình quân" in html


@pytest.mark.django_db
def test_preview_says_when_no_standard_applies_to_the_date(
    client: Client, officer: User, household_a1: Household
) -> None:
    html = preview(client, officer, household_a1, review_date="20/11/2020")
    assert "Chưa phân loại được. Ngày rà soát: Chưa có chuẩn nghèo" in html
    assert "Kết quả theo chuẩn" not in html


@pytest.mark.django_db
def test_preview_without_a_date_asks_for_it(
    client: Client, officer: User, household_a1: Household
) -> None:
    html = preview(client, officer, household_a1, review_date="")
    assert "Chưa phân loại được: nhập ngày rà soát" in html
    assert "Kết quả theo chuẩn" not in html
