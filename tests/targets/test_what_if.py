"""The register reclassified under the 2027–2030 standard (targets/what_if.py and
/chi-tieu/chuan-moi/): the chairman's "how many poor under the new standard?"."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from giamngheo.models import User
from households.models import Household, Review, Village
from households.poverty import STANDARD_2022_2025, STANDARD_2027_2030
from targets.what_if import SCORE_WITHOUT_LINE, ReviewFacts, reclassified, what_if
from tests.conftest import make_household, make_review

THREE = ("viec_lam", "dinh_duong", "chat_luong_nha_o")
TWO = THREE[:2]
LONG_AGO = date(2015, 1, 1)
REVIEWED = date(2023, 11, 20)
URL = reverse("targets:what_if")


def facts(village: int, status: str | None, income: int | None, *d: str) -> ReviewFacts:
    return ReviewFacts(village, status, income, d)


# --- the pure function ---------------------------------------------------------


@pytest.mark.parametrize(
    ("income", "deprived", "urban", "expected"),
    [
        (2_200_000, THREE, False, "poor"),
        (2_200_000, TWO, False, "near_poor"),
        (2_200_001, THREE, False, "medium"),
        (2_800_000, THREE, True, "poor"),
        (2_800_000, TWO, True, "near_poor"),
        (2_800_001, THREE, True, "medium"),
    ],
)
def test_reclassified_uses_the_chosen_standards_lines_and_area(
    income: int, deprived: tuple[str, ...], urban: bool, expected: str
) -> None:
    f = facts(1, "medium", income, *deprived)
    assert reclassified(f, STANDARD_2027_2030, urban=urban) == expected


@pytest.mark.parametrize(
    ("score", "deprived", "expected"),
    [(140, THREE, "poor"), (140, TWO, "near_poor"), (141, THREE, "not_poor")],
)
def test_a_review_scored_by_b1_is_reclassified_where_the_standard_has_a_b1_line(
    score: int, deprived: tuple[str, ...], expected: str
) -> None:
    f = replace(facts(1, "medium", None, *deprived), b1_score=score)
    assert f.reviewed
    assert reclassified(f, STANDARD_2022_2025, urban=False) == expected


def test_a_review_scored_by_b1_is_counted_apart_under_a_standard_without_a_line() -> (
    None
):
    scored = replace(facts(1, "poor", None, *THREE), b1_score=120)
    assert reclassified(scored, STANDARD_2027_2030, urban=False) == SCORE_WITHOUT_LINE
    result = what_if([(1, "Làng Chiềng")], [scored], STANDARD_2027_2030, urban=False)
    assert result.total.reviewed == 1
    assert result.total.scored_without_line == 1
    assert (result.total.poor_then, result.total.near_poor_then) == (0, 0)


def test_a_household_never_reviewed_is_not_classified() -> None:
    assert reclassified(facts(1, None, None), STANDARD_2027_2030, urban=False) is None


def test_summary_per_village_and_in_total_with_two_decimal_rates() -> None:
    register = [
        # Village 1: poor today and in 2027; medium today (2,000,000 ≤ 2,250,000)
        # but poor in 2027; near-poor in both; not poor in both; not reviewed.
        facts(1, "poor", 1_000_000, *THREE),
        facts(1, "medium", 2_000_000, *THREE),
        facts(1, "near_poor", 1_400_000),
        facts(1, "not_poor", 5_000_000),
        facts(1, None, None),
        # Village 2: medium today, near-poor in 2027.
        facts(2, "medium", 2_100_000, *TWO),
        facts(2, "not_poor", 3_500_000),
    ]
    result = what_if(
        [(1, "Thôn 1"), (2, "Thôn 2"), (3, "Thôn 3")],
        register,
        STANDARD_2027_2030,
        urban=False,
    )
    one, two, three = result.villages
    assert (one.households, one.reviewed, one.not_reviewed) == (5, 4, 1)
    assert (one.poor_now, one.near_poor_now) == (1, 1)
    assert (one.poor_then, one.near_poor_then) == (2, 1)
    assert one.rate_poor_now == Decimal("20.00")
    assert one.rate_poor_then == Decimal("40.00")
    assert (two.poor_now, two.near_poor_now, two.poor_then, two.near_poor_then) == (
        0,
        0,
        0,
        1,
    )
    assert two.rate_near_poor_then == Decimal("50.00")
    assert three.households == 0 and three.rate_poor_then is None
    total = result.total
    assert (total.name, total.households) == ("Toàn xã", 7)
    assert (total.poor_now, total.poor_then) == (1, 2)
    assert total.rate_poor_now == Decimal("14.29")  # 1/7, half-up
    assert total.rate_poor_then == Decimal("28.57")  # 2/7
    assert total.rate_near_poor_then == Decimal("28.57")  # 2/7


def test_under_the_standard_of_the_stored_reviews_nothing_moves() -> None:
    register = [
        facts(1, "poor", 1_000_000, *THREE),
        facts(1, "near_poor", 1_400_000),
        facts(1, "medium", 2_000_000, *THREE),
    ]
    row = what_if([(1, "Thôn 1")], register, STANDARD_2022_2025, urban=False).total
    assert (row.poor_then, row.near_poor_then) == (row.poor_now, row.near_poor_now)


# --- the page ------------------------------------------------------------------


@pytest.fixture
def register(village_a1: Village, village_a2: Village) -> dict[str, Household]:
    """A1: poor under both; medium at 2,000,000 with 3 deprivations (poor in 2027);
    not poor. A2: medium at 2,100,000 with 2 deprivations (near-poor in 2027)."""
    rows = {
        "A1-01": (village_a1, 1_000_000, THREE),
        "A1-02": (village_a1, 2_000_000, THREE),
        "A1-03": (village_a1, 5_000_000, ()),
        "A2-01": (village_a2, 2_100_000, TWO),
    }
    households = {}
    for code, (village, income, deprived) in rows.items():
        household = make_household(village, code, registered_on=LONG_AGO)
        make_review(household, income=income, deprived=deprived, on=REVIEWED)
        households[code] = household
    return households


def cells(page: str, village: str) -> list[str]:
    """The cells of a village's row, as text."""
    row = re.search(
        rf"<tr>\s*<td data-label=\"Thôn\">{village}</td>(.*?)</tr>", page, re.S
    )
    assert row, f"no row for {village}"
    return re.findall(r"<td[^>]*>([^<]*)</td>", row.group(1))


def test_chairman_sees_each_village_now_and_under_2027_without_any_write(
    client: Client, chairman: User, register: dict[str, Household]
) -> None:
    stored = list(Review.objects.order_by("pk").values("pk", "status", "standard_code"))
    client.force_login(chairman)

    response = client.get(URL, {"chuan": "2027-2030"})

    assert response.status_code == 200
    page = response.content.decode()
    # Tổng, nghèo nay, tỷ lệ, cận nghèo nay, tỷ lệ, nghèo 2027, tỷ lệ, cận nghèo 2027,
    # tỷ lệ, chưa rà soát.
    assert cells(page, "Làng Chiềng") == [
        "3", "1", "33,33 %", "0", "0,00 %", "2", "66,67 %", "0", "0,00 %", "0"
    ]  # fmt: skip
    assert cells(page, "Làng Bột") == [
        "1", "0", "0,00 %", "0", "0,00 %", "0", "0,00 %", "1", "100,00 %", "0"
    ]  # fmt: skip
    assert "không thay đổi dữ liệu" in page
    assert "chưa đối chiếu văn bản gốc" in page
    assert "12 chỉ số thiếu hụt của giai đoạn 2022–2025" in page
    assert "khu vực đô thị" in page
    after = list(Review.objects.order_by("pk").values("pk", "status", "standard_code"))
    assert after == stored


def test_the_2027_standard_is_the_default_and_2022_can_be_chosen(
    client: Client, officer: User, register: dict[str, Household]
) -> None:
    client.force_login(officer)
    assert response_standard(client.get(URL)) == "2027-2030"
    response = client.get(URL, {"chuan": "2022-2025"})
    assert response_standard(response) == "2022-2025"
    totals = response.context["result"].total
    assert (totals.poor_then, totals.near_poor_then) == (1, 0)


def response_standard(response: Any) -> str:
    assert response.status_code == 200
    return response.context["result"].standard.code


def test_an_unknown_standard_is_said_in_vietnamese_and_the_new_one_shown(
    client: Client, officer: User, register: dict[str, Household]
) -> None:
    client.force_login(officer)
    response = client.get(URL, {"chuan": "1990-1995"})
    assert response_standard(response) == "2027-2030"
    assert "Không có chuẩn nghèo mã “1990-1995”" in response.content.decode()


def test_a_village_head_sees_only_their_village(
    client: Client, head_a1: User, register: dict[str, Household]
) -> None:
    client.force_login(head_a1)
    response = client.get(URL)
    result = response.context["result"]
    assert [row.name for row in result.villages] == ["Làng Chiềng"]
    assert (result.total.households, result.total.poor_then) == (3, 2)
    assert "Làng Bột" not in response.content.decode()


def test_another_communes_officer_sees_none_of_these_households(
    client: Client, outsider: User, register: dict[str, Household]
) -> None:
    client.force_login(outsider)
    assert client.get(URL).context["result"].total.households == 0


def test_the_progress_page_links_to_it(
    client: Client, chairman: User, register: dict[str, Household]
) -> None:
    client.force_login(chairman)
    page = client.get(reverse("targets:progress", args=[2024])).content.decode()
    assert f'href="{URL}?chuan=2027-2030"' in page


def test_queries_do_not_grow_with_households(
    client: Client, officer: User, village_a1: Village, village_a2: Village
) -> None:
    client.force_login(officer)

    def build(prefix: str, n: int) -> None:
        for i in range(n):
            village = village_a1 if i % 2 else village_a2
            household = make_household(
                village, f"{prefix}-{i:02}", registered_on=LONG_AGO
            )
            make_review(household, income=2_000_000, deprived=THREE, on=REVIEWED)

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(URL).status_code == 200
        return len(context)

    build("S", 3)
    small = queries()
    build("L", 27)
    assert client.get(URL).context["result"].total.poor_then == 30
    assert queries() == small


def test_a_review_dated_2027_is_classified_under_the_new_standard(
    settings: Any, household_a1: Household
) -> None:
    settings.DEMO_WORKING_DATE = date(2027, 3, 1)
    review = make_review(
        household_a1, income=2_000_000, deprived=THREE, on=date(2027, 2, 1)
    )
    assert review.standard_code == "2027-2030"
    assert review.status == "poor"  # medium under 2022–2025's 1,500,000 line
    in_2026 = make_review(
        household_a1, income=2_000_000, deprived=THREE, on=date(2026, 12, 31)
    )
    assert (in_2026.standard_code, in_2026.status) == ("2022-2025", "medium")
