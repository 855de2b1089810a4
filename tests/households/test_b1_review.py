"""A review from a Phiếu B1: the answers scored by the commune's table (total live in
the preview), or the paper's total typed; never both an income and a score."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from giamngheo.models import User
from households.models import Commune, Household, Review
from households.poverty import PovertyStatus
from households.regions import Region
from households.survey_actions import load_points_file
from households.surveys import PointsTable
from tests.households.test_review_preview import review_data

SAMPLE = Path(__file__).resolve().parents[2] / "households/data/bang-diem-b1-mau.xlsx"

# A household of 5, 2 dependants, lower secondary at most, farming, no pension, a
# durable house of 8–20 m² a head, 25–50 kWh, a dug well, a motorbike, a TV and a
# smartphone, two cows: 10+0+0+0+0+5+5+5+5+5+3+0+5+0+0+0+3+0+3+5 = 54 points.
POOR_FARM = {
    "so_nhan_khau": "5",
    "phu_thuoc": "2",
    "bang_cap": "khac",
    "viec_lam": "khong",
    "luong_huu": "0",
    "tuong": "ben_chac",
    "cot": "ben_chac",
    "mai": "ben_chac",
    "dien_tich": "8_20",
    "dien": "25_50",
    "nuoc": "gieng",
    "o_to": "khong",
    "xe_may": "1",
    "tu_lanh": "khong",
    "dieu_hoa": "khong",
    "may_giat": "khong",
    "tivi": "co",
    "may_tinh": "khong",
    "dien_thoai": "co",
    "trau_bo": "1_2",
}
DEPRIVED = {"viec_lam": "on", "nguon_nuoc_sinh_hoat": "on", "chat_luong_nha_o": "on"}


@pytest.fixture
def sample_table(commune_a: Commune) -> PointsTable:
    commune_a.region = Region.NORTH_CENTRAL_COAST
    commune_a.save()
    with SAMPLE.open("rb") as stream:
        return load_points_file(stream, file_name=SAMPLE.name)


def b1_data(answers: dict[str, str], **fields: str) -> dict[str, str]:
    data = review_data(income_per_person_month="", note="Theo Phiếu B1", **fields)
    data.update({f"b1__{code}": answer for code, answer in answers.items()})
    data.update(DEPRIVED)
    return data


def post(client: Client, user: User, household: Household, data: dict[str, str]) -> Any:
    client.force_login(user)
    return client.post(reverse("households:review_create", args=[household.pk]), data)


def test_answers_are_scored_and_classify_the_household(
    client: Client, officer: User, household_a1: Household, sample_table: PointsTable
) -> None:
    response = post(client, officer, household_a1, b1_data(POOR_FARM))

    assert response.status_code == 302, response.context["form"].errors
    review = Review.objects.get()
    assert review.b1_score == 54
    assert review.income_per_person_month is None
    assert review.b1_answers == POOR_FARM
    assert review.b1_table == sample_table
    assert review.status == PovertyStatus.POOR
    assert review.classify().reasons.startswith("Tổng điểm B1: 54 ≤ 140 điểm")
    page = client.get(household_a1.get_absolute_url()).content.decode()
    assert "54 điểm B1" in page
    assert "Bảng điểm mẫu — chưa đối chiếu văn bản gốc" in page


def test_the_form_shows_the_sample_mark_and_the_questions(
    client: Client, officer: User, household_a1: Household, sample_table: PointsTable
) -> None:
    client.force_login(officer)
    page = client.get(reverse("households:review_create", args=[household_a1.pk]))
    html = page.content.decode()
    assert "Bảng điểm mẫu — chưa đối chiếu văn bản gốc" in html
    assert "Số nhân khẩu của hộ" in html
    assert 'name="b1__so_nhan_khau"' in html


def test_the_preview_shows_the_total_as_the_officer_answers(
    client: Client, officer: User, household_a1: Household, sample_table: PointsTable
) -> None:
    client.force_login(officer)
    url = reverse("households:review_preview", args=[household_a1.pk])
    html = client.post(url, b1_data(POOR_FARM)).content.decode()
    assert (
        "Tổng điểm Phiếu B1 tính từ các câu trả lời: <strong>54 điểm</strong>" in html
    )
    assert "Tổng điểm B1: 54 ≤ 140 điểm" in html


def test_a_rich_household_by_points_is_not_poor(
    client: Client, officer: User, household_a1: Household, sample_table: PointsTable
) -> None:
    rich = {**POOR_FARM, "o_to": "co", "luong_huu": "2", "dien": "tu_150"}
    rich |= {"so_nhan_khau": "1", "phu_thuoc": "0", "dien_tich": "tu_40"}
    response = post(client, officer, household_a1, b1_data(rich))

    assert response.status_code == 302
    review = Review.objects.get()
    assert review.b1_score == 54 + 30 + 20 + 15 + 35 + 10 + 15 == 179
    assert review.status == PovertyStatus.NOT_POOR


def test_the_paper_total_alone_is_enough(
    client: Client, officer: User, household_a1: Household
) -> None:
    # No region, no table: the total of the paper form is typed.
    response = post(client, officer, household_a1, b1_data({}, b1_score="140"))

    assert response.status_code == 302
    review = Review.objects.get()
    assert (review.b1_score, review.b1_answers, review.b1_table) == (140, {}, None)
    assert review.status == PovertyStatus.POOR


def test_a_typed_total_must_equal_the_answers(
    client: Client, officer: User, household_a1: Household, sample_table: PointsTable
) -> None:
    response = post(client, officer, household_a1, b1_data(POOR_FARM, b1_score="60"))

    assert response.status_code == 200
    assert response.context["form"].errors["b1_score"] == [
        "Tổng điểm ghi là 60 nhưng các câu trả lời cộng lại được 54 điểm: sửa tổng "
        "điểm hoặc câu trả lời."
    ]
    assert not Review.objects.exists()


def test_a_half_answered_form_names_the_missing_questions(
    client: Client, officer: User, household_a1: Household, sample_table: PointsTable
) -> None:
    answers = dict(POOR_FARM)
    del answers["dien"]
    response = post(client, officer, household_a1, b1_data(answers))

    assert response.status_code == 200
    assert "Chưa trả lời" in response.context["form"].errors["b1__dien"][0]
    assert 'value="5" selected' in response.content.decode()  # nothing lost
    assert not Review.objects.exists()


@pytest.mark.parametrize(
    ("fields", "where"),
    [
        ({"income_per_person_month": "", "b1_score": ""}, "__all__"),
        (
            {"income_per_person_month": "1.000.000", "b1_score": "120"},
            "__all__",
        ),
    ],
    ids=["neither", "both"],
)
def test_income_or_score_exactly_one(
    client: Client,
    officer: User,
    household_a1: Household,
    fields: dict[str, str],
    where: str,
) -> None:
    data = {**b1_data({}), **fields}
    response = post(client, officer, household_a1, data)

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert any("đúng một trong hai" in e for e in errors[where])
    assert not Review.objects.exists()


def test_the_income_path_still_needs_no_points(
    client: Client, officer: User, household_a1: Household, sample_table: PointsTable
) -> None:
    data = review_data(income_per_person_month="1.200.000")
    response = post(client, officer, household_a1, data)

    assert response.status_code == 302
    review = Review.objects.get()
    assert (review.income_per_person_month, review.b1_score) == (1_200_000, None)
    assert review.b1_table is None


def test_every_path_that_writes_a_review_needs_income_or_score(
    household_a1: Household,
) -> None:
    from datetime import date

    from django.core.exceptions import ValidationError

    review = Review(
        household=household_a1,
        review_date=date(2025, 11, 20),
        reviewer_name="Bùi Văn Thắng",
        household_size=1,
    )
    with pytest.raises(ValidationError) as caught:
        review.full_clean(exclude=["status", "standard_code"])
    assert "Ghi đúng một trong hai" in str(caught.value)
