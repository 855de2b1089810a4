"""The household page shows each review's causes of poverty (report 10's columns)
next to its result, and says when a poor or near-poor result has none recorded."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from giamngheo.models import User
from households.models import Household
from tests.conftest import make_review

POOR = ("viec_lam", "chat_luong_nha_o", "nguon_nuoc_sinh_hoat")


@pytest.mark.django_db
def test_the_household_page_shows_the_causes_of_each_review(
    client: Client, officer: User, household_a1: Household
) -> None:
    make_review(
        household_a1,
        deprived=POOR,
        on=date(2023, 11, 20),
        poverty_causes=["capital", "land"],
    )
    make_review(household_a1, deprived=POOR, on=date(2024, 11, 20))
    client.force_login(officer)

    page = client.get(household_a1.get_absolute_url()).content.decode()

    assert "Nguyên nhân: Thiếu đất sản xuất; Thiếu vốn" in page
    assert "Chưa ghi nguyên nhân" in page
