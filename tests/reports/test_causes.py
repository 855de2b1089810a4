"""Report 10 (DOMAIN.md §3.8): every poor and near-poor household of the register on
31/12, per cause of poverty, from the causes recorded with the review that classified
it; a review without a cause counts under "Chưa ghi nguyên nhân"; counts equal those
made here over the households written down; the review form records the causes;
scope, Excel and PDF."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from giamngheo.models import User
from households.models import Household, PovertyCause, Review, Village
from reports.summaries.causes import review_causes
from tests.conftest import make_household, make_review

pytestmark = pytest.mark.django_db

YEAR = 2024
THREE = ("viec_lam", "chat_luong_nha_o", "nguon_nuoc_sinh_hoat")
CAUSES = list(PovertyCause.values)
D23, D24, D25 = date(2023, 11, 20), date(2024, 11, 20), date(2025, 3, 1)
POOR, NEAR, NOT = "poor", "near_poor", "not_poor"
INCOME = {POOR: 1_000_000, NEAR: 1_200_000, NOT: 3_000_000}


@dataclass
class H:
    code: str
    village: str
    reviews: list[tuple[date, str, list[str]]]  # (date, class, causes)
    archived_on: date | None = None

    def latest(self, day: date) -> tuple[date, str, list[str]] | None:
        found = [r for r in sorted(self.reviews) if r[0] <= day]
        return found[-1] if found else None


SPECS = [
    H("A1-01", "a1", [(D24, POOR, ["capital", "land"])]),
    H("A1-02", "a1", [(D24, POOR, ["capital", "illness", "bogus"])]),
    H("A1-03", "a1", [(D23, POOR, ["labour"]), (D24, POOR, [])]),  # no cause now
    H("A1-04", "a1", [(D24, NEAR, ["skills"])]),
    H("A1-05", "a1", [(D23, POOR, ["capital"]), (D24, NOT, [])]),  # escaped
    H("A1-06", "a1", [(D24, POOR, ["capital"])], archived_on=date(2024, 12, 1)),
    H("A2-01", "a2", [(D24, POOR, ["capital", "skills"]), (D25, NOT, [])]),
    H("A2-02", "a2", [(D23, NEAR, ["tools", "knowledge"])]),  # from 2023, still on
]


@pytest.fixture
def villages(village_a1: Village, village_a2: Village) -> dict[str, Village]:
    return {"a1": village_a1, "a2": village_a2}


@pytest.fixture
def specs(villages: dict[str, Village]) -> list[H]:
    for spec in SPECS:
        household = make_household(
            villages[spec.village], spec.code, registered_on=date(2015, 1, 1)
        )
        for on, status, causes in spec.reviews:
            make_review(
                household,
                income=INCOME[status],
                deprived=THREE if status == POOR else ("viec_lam",),
                on=on,
                poverty_causes=causes,
            )
        if spec.archived_on:
            household.archived_on = spec.archived_on
            household.archive_reason = "moved_away"
            household.save()
    return SPECS


def expected(specs: list[H], status: str, village: str | None) -> list[int]:
    """[households, causes 1–8, without a cause], counted over the specs."""
    end = date(YEAR, 12, 31)
    rows = []
    for spec in specs:
        if village not in (None, spec.village):
            continue
        if spec.archived_on is not None and spec.archived_on <= end:
            continue
        latest = spec.latest(end)
        if latest is not None and latest[1] == status:
            rows.append({c for c in latest[2] if c in CAUSES})
    return [
        len(rows),
        *[sum(1 for r in rows if cause in r) for cause in CAUSES],
        sum(1 for r in rows if not r),
    ]


def got(counts: object) -> list[int]:
    return [
        counts.households,  # type: ignore[attr-defined]
        *counts.by_cause,  # type: ignore[attr-defined]
        counts.unrecorded,  # type: ignore[attr-defined]
    ]


def test_every_poor_and_near_poor_household_counts_with_its_review_causes(
    specs: list[H], villages: dict[str, Village]
) -> None:
    commune = villages["a1"].commune
    summary = review_causes(
        commune,
        YEAR,
        Household.objects.filter(commune=commune),
        [villages["a1"], villages["a2"]],
    )

    for row, village in ((summary.rows[0], "a1"), (summary.rows[1], "a2")):
        assert got(row.poor) == expected(specs, POOR, village)
        assert got(row.near_poor) == expected(specs, NEAR, village)
    assert got(summary.total.poor) == expected(specs, POOR, None)
    assert got(summary.total.near_poor) == expected(specs, NEAR, None)
    # Written down: poor A1-01, A1-02, A1-03 (no cause now), A2-01 (2025 does not
    # count); capital 3 times; near-poor A1-04 and A2-02 with no plan anywhere.
    assert summary.total.poor.households == 4
    assert summary.total.poor.by_cause[CAUSES.index("capital")] == 3
    assert summary.total.poor.unrecorded == 1
    assert summary.total.near_poor.households == 2


def test_page_excel_and_pdf(client: Client, officer: User, specs: list[H]) -> None:
    client.force_login(officer)
    url = reverse("reports:review_10", args=[YEAR])
    response = client.get(url)
    page = response.content.decode()
    assert "Biểu số 10" in page
    assert "Thiếu đất sản xuất" in page and "Chưa ghi nguyên nhân" in page
    assert "Hộ cận nghèo" in page

    book = openpyxl.load_workbook(
        io.BytesIO(client.get(url, {"format": "xlsx"}).content)
    )
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows())
    first = next(i for i, r in enumerate(rows) if r[1].value == "Làng Chiềng")
    poor_line, near_line = rows[first], rows[first + 1]
    assert poor_line[2].value == "Hộ nghèo" and near_line[2].value == "Hộ cận nghèo"
    assert [c.value for c in poor_line[3:13]] == expected(specs, POOR, "a1")
    assert [c.value for c in near_line[3:13]] == expected(specs, NEAR, "a1")
    assert all(c.data_type == "n" for c in poor_line[3:13])
    pdf = client.get(url, {"format": "pdf"})
    assert pdf.content.startswith(b"%PDF")


def test_village_head_sees_only_their_village(
    client: Client, head_a1: User, specs: list[H]
) -> None:
    client.force_login(head_a1)
    response = client.get(reverse("reports:review_10", args=[YEAR]))

    assert [r.name for r in response.context["summary"].rows] == ["Làng Chiềng"]
    assert "Làng Bột" not in response.content.decode()


def test_the_review_form_records_the_causes(
    client: Client, officer: User, village_a1: Village
) -> None:
    household = make_household(village_a1, "A1-09", registered_on=date(2015, 1, 1))
    client.force_login(officer)
    url = reverse("households:review_create", args=[household.pk])
    page = client.get(url).content.decode()
    assert 'id="nguyen-nhan-ngheo"' in page and 'value="capital"' in page

    data = {
        "review_date": timezone.localdate().strftime("%d/%m/%Y"),
        "kind": "periodic",
        "reviewer_name": "Bùi Văn Thắng",
        "income_per_person_month": "1000000",
        "floor_area_m2": "",
        "note": "",
        "poverty_causes": ["capital", "illness"],
    }
    response = client.post(url, data)

    assert response.status_code == 302, response.context["form"].errors
    review = Review.objects.get(household=household)
    assert review.poverty_causes == ["capital", "illness"]

    # An unknown cause is refused with a message, and nothing is saved.
    response = client.post(url, {**data, "poverty_causes": ["bogus"]})
    assert response.status_code == 200
    assert response.context["form"].errors["poverty_causes"]
    assert Review.objects.filter(household=household).count() == 1
