"""Report 10 (DOMAIN.md §3.8): poor households per cause of poverty, from the causes
the villages' plans record; counts equal those made here; the village without a plan
handed in is named; scope and Excel."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from giamngheo.models import User
from households.models import Village
from tasks.models import HouseholdPlan, PlanStatus, PovertyCause, VillagePlan
from tests.conftest import make_household, make_review

pytestmark = pytest.mark.django_db

YEAR = 2024
POOR = ("viec_lam", "chat_luong_nha_o", "nguon_nuoc_sinh_hoat")
CAUSES = list(PovertyCause)
# village, plan status, [(code, causes)]
PLANS = {
    "a1": (
        PlanStatus.APPROVED,
        [
            ("A1-01", ["capital", "land"]),
            ("A1-02", ["capital", "illness", "bogus"]),
            ("A1-03", []),
        ],
    ),
    "a2": (PlanStatus.DRAFT, [("A2-01", ["capital", "skills"])]),  # not handed in
}


@pytest.fixture
def plans(village_a1: Village, village_a2: Village) -> None:
    villages = {"a1": village_a1, "a2": village_a2}
    for key, (status, rows) in PLANS.items():
        plan = VillagePlan.objects.create(
            village=villages[key],
            year=YEAR,
            due_before=date(2024, 3, 15),
            status=status,
        )
        for code, causes in rows:
            household = make_household(
                villages[key], code, registered_on=date(2015, 1, 1)
            )
            make_review(
                household, income=1_000_000, deprived=POOR, on=date(2023, 11, 20)
            )
            HouseholdPlan.objects.create(plan=plan, household=household, causes=causes)


def expected(keys: list[str]) -> tuple[int, list[int]]:
    rows = [
        causes
        for key in keys
        if PLANS[key][0] in (PlanStatus.SUBMITTED, PlanStatus.APPROVED)
        for _, causes in PLANS[key][1]
    ]
    return len(rows), [sum(1 for c in rows if cause in c) for cause in CAUSES]


def test_counts_per_cause_and_village_without_plan(
    client: Client, officer: User, plans: None
) -> None:
    client.force_login(officer)
    response = client.get(reverse("reports:review_10", args=[YEAR]))
    summary = response.context["summary"]

    a1, a2 = summary.rows
    assert (a1.households, list(a1.by_cause)) == expected(["a1"])
    assert (a2.households, list(a2.by_cause)) == (0, [0] * 8)
    assert (summary.total.households, list(summary.total.by_cause)) == expected(
        ["a1", "a2"]
    )
    assert a1.by_cause[CAUSES.index(PovertyCause.CAPITAL)] == 2
    page = response.content.decode()
    assert "Biểu số 10" in page
    assert "Thiếu đất sản xuất" in page and "Ốm đau, tai nạn, bệnh nặng" in page
    assert "chưa có số liệu nguyên nhân nghèo): Làng Bột." in page


def test_excel_numbers_and_pdf(client: Client, officer: User, plans: None) -> None:
    client.force_login(officer)
    url = reverse("reports:review_10", args=[YEAR])
    book = openpyxl.load_workbook(
        io.BytesIO(client.get(url, {"format": "xlsx"}).content)
    )
    sheet = book.worksheets[0]
    row = next(r for r in sheet.iter_rows() if r[1].value == "Làng Chiềng")
    count, by_cause = expected(["a1"])
    assert [c.value for c in row[2:11]] == [count, *by_cause]
    assert all(c.data_type == "n" for c in row[2:11])
    pdf = client.get(url, {"format": "pdf"})
    assert pdf.content.startswith(b"%PDF")


def test_village_head_sees_only_their_village(
    client: Client, head_a1: User, plans: None
) -> None:
    client.force_login(head_a1)
    response = client.get(reverse("reports:review_10", args=[YEAR]))

    assert [r.name for r in response.context["summary"].rows] == ["Làng Chiềng"]
    assert "Làng Bột" not in response.content.decode()
