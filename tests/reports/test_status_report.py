"""The plan and task status report (reports/summaries/status.py, reports:status).

A hand-made commune: Làng Chiềng's plan was handed in late and approved (two
households listed, one expected to escape, target 3), Làng Bột's handed in on time and
waiting (one household, expected to escape, target 0). The health station has three
tasks (one handed in, one overdue, one not yet due), Làng Chiềng's unit two (one
approved, one returned and overdue). Overdue is counted as of 01/10/2024.
"""

from __future__ import annotations

import io
import subprocess
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from giamngheo.models import User
from households.models import Village
from reports.summaries.status import plan_and_task_status
from targets.models import PovertyTarget, VillageAllocation
from tasks.models import (
    DONE_STATUSES,
    HouseholdPlan,
    PlanStatus,
    Task,
    TaskStatus,
    Unit,
    UnitKind,
    VillagePlan,
)
from tests.conftest import make_household

YEAR = 2024
TODAY = date(2024, 10, 1)
VN = ZoneInfo("Asia/Ho_Chi_Minh")
TITLE = "Tình hình xây dựng kế hoạch thôn và thực hiện nhiệm vụ giảm nghèo năm 2024"


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 9, tzinfo=VN)


def make_unit(commune: object, slug: str, name: str, **fields: object) -> Unit:
    return Unit.objects.create(commune=commune, slug=slug, name=name, **fields)


def make_task(unit: Unit, n: int, due: date, status: str) -> Task:
    return Task.objects.create(
        commune=unit.commune,
        year=YEAR,
        title=f"Nhiệm vụ {unit.slug} {n}",
        duty_text="Theo kế hoạch.",
        unit=unit,
        due_before=due,
        deadline_text=f"trước {due:%d/%m/%Y}",
        status=status,
    )


def make_plan(
    village: Village, status: str, submitted: date, approved: date | None
) -> VillagePlan:
    return VillagePlan.objects.create(
        village=village,
        year=YEAR,
        due_before=date(YEAR, 3, 15),
        status=status,
        submitted_at=at(submitted),
        approved_at=at(approved) if approved else None,
    )


@pytest.fixture
def commune_data(
    village_a1: Village, village_a2: Village, head_a1: User
) -> dict[str, Unit]:
    commune = village_a1.commune
    late = make_plan(
        village_a1, PlanStatus.APPROVED, date(YEAR, 3, 20), date(YEAR, 3, 25)
    )
    HouseholdPlan.objects.create(
        plan=late,
        household=make_household(village_a1, "CN-01-0001", "Bùi Văn Hùng"),
        expected_escape=True,
    )
    HouseholdPlan.objects.create(
        plan=late, household=make_household(village_a1, "CN-01-0002", "Bùi Thị Nga")
    )
    on_time = make_plan(village_a2, PlanStatus.SUBMITTED, date(YEAR, 3, 10), None)
    HouseholdPlan.objects.create(
        plan=on_time,
        household=make_household(village_a2, "CN-02-0001", "Quách Thị Lan"),
        expected_escape=True,
    )
    target = PovertyTarget.objects.create(commune=commune, year=YEAR, poor_target_end=1)
    VillageAllocation.objects.create(
        target=target, village=village_a1, poor_reduction=3
    )
    VillageAllocation.objects.create(
        target=target, village=village_a2, poor_reduction=0
    )

    health = make_unit(commune, "tram-y-te", "Trạm Y tế xã", kind=UnitKind.INSTITUTION)
    village_unit = make_unit(
        commune,
        "lang-chieng",
        "Làng Chiềng (đơn vị)",
        kind=UnitKind.VILLAGE,
        village=village_a1,
        position=1,
    )
    village_unit.members.set([head_a1])
    make_task(health, 1, date(YEAR, 9, 25), TaskStatus.SUBMITTED)
    make_task(health, 2, date(YEAR, 9, 25), TaskStatus.NOT_STARTED)  # overdue
    make_task(health, 3, date(YEAR, 12, 1), TaskStatus.IN_PROGRESS)
    make_task(village_unit, 1, date(YEAR, 3, 15), TaskStatus.APPROVED)
    make_task(village_unit, 2, date(YEAR, 6, 1), TaskStatus.RETURNED)  # overdue
    return {"health": health, "village": village_unit}


def test_plan_rows_are_the_plans_of_the_villages(
    officer: User, commune_data: dict[str, Unit], village_a1: Village
) -> None:
    report = plan_and_task_status(officer, village_a1.commune, YEAR, TODAY)

    by_name = {r.name: r for r in report.plans}
    assert list(by_name) == ["Làng Chiềng", "Làng Bột"]
    chieng, bot = by_name["Làng Chiềng"], by_name["Làng Bột"]
    assert chieng.status == "Đã duyệt" and bot.status == "Đã nộp"
    assert chieng.late and not bot.late
    assert chieng.submitted_on == date(YEAR, 3, 20)
    assert chieng.approved_on == date(YEAR, 3, 25) and bot.approved_on is None
    for row in report.plans:
        plan = VillagePlan.objects.get(village__name=row.name, year=YEAR)
        assert row.households == HouseholdPlan.objects.filter(plan=plan).count()
        assert (
            row.expected
            == HouseholdPlan.objects.filter(plan=plan, expected_escape=True).count()
        )
    assert (chieng.target, chieng.shortfall) == (3, 2)
    assert (bot.target, bot.shortfall) == (0, 0)
    t = report.plan_totals
    assert (t.expected_plans, t.submitted, t.approved, t.late) == (2, 1, 1, 1)
    assert (t.households, t.expected, t.target, t.shortfall) == (3, 2, 3, 2)


def test_unit_rows_are_independent_counts(
    officer: User, commune_data: dict[str, Unit], village_a1: Village
) -> None:
    report = plan_and_task_status(officer, village_a1.commune, YEAR, TODAY)

    assert [r.name for r in report.units] == ["Trạm Y tế xã", "Làng Chiềng (đơn vị)"]
    for row in report.units:
        tasks = Task.objects.filter(unit__name=row.name, year=YEAR)
        assert row.total == tasks.count()
        assert row.submitted == tasks.filter(status=TaskStatus.SUBMITTED).count()
        assert row.approved == tasks.filter(status=TaskStatus.APPROVED).count()
        assert row.done == tasks.filter(status__in=DONE_STATUSES).count()
        assert row.overdue == tasks.overdue(TODAY).count()
    health, village = report.units
    assert (health.total, health.done, health.overdue) == (3, 1, 1)
    assert (village.total, village.done, village.overdue) == (2, 1, 1)
    t = report.unit_totals
    assert (t.total, t.submitted, t.approved, t.overdue) == (5, 1, 1, 2)


def test_village_head_sees_their_plan_and_their_units_tasks(
    head_a1: User, commune_data: dict[str, Unit], village_a1: Village
) -> None:
    report = plan_and_task_status(head_a1, village_a1.commune, YEAR, TODAY)

    assert [r.name for r in report.plans] == ["Làng Chiềng"]
    assert [r.name for r in report.units] == ["Làng Chiềng (đơn vị)"]
    assert report.unit_totals.total == 2
    assert report.plan_totals.name == "Cộng"


def test_village_head_page_holds_only_their_village(
    client: Client, head_a1: User, commune_data: dict[str, Unit]
) -> None:
    client.force_login(head_a1)

    page = client.get(reverse("reports:status", args=[YEAR])).content.decode()

    assert TITLE in page
    assert "Làng Chiềng" in page
    assert "Làng Bột" not in page
    assert "Trạm Y tế xã" not in page


def _pdf_text(content: bytes, tmp_path: Path) -> str:
    assert content.startswith(b"%PDF")
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(content)
    out = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return " ".join(out.split())


def test_status_pdf_is_an_official_report(
    client: Client, officer: User, commune_data: dict[str, Unit], tmp_path: Path
) -> None:
    client.force_login(officer)

    response = client.get(reverse("reports:status", args=[YEAR]), {"format": "pdf"})
    text = _pdf_text(response.content, tmp_path)

    assert "BÁO CÁO" in text and "/BC-UBND" in text
    assert "XÃ CAO NGỌC" in text and "Xã Cao Ngọc" in text
    assert TITLE in text
    assert "Nơi nhận:" in text
    assert "Làng Chiềng" in text and "Trạm Y tế xã" in text


def test_status_excel_has_two_sheets_of_numbers(
    client: Client, officer: User, commune_data: dict[str, Unit]
) -> None:
    client.force_login(officer)

    url = reverse("reports:status", args=[YEAR])
    with time_machine.travel(at(TODAY), tick=False):  # overdue as of 01/10/2024
        response = client.get(url, {"format": "xlsx"})
    book = openpyxl.load_workbook(io.BytesIO(response.content))

    plans = book["Kế hoạch các thôn"]
    chieng = next(r for r in plans.iter_rows(values_only=True) if r[1] == "Làng Chiềng")
    assert chieng[6:10] == (2, 1, 3, 2)
    assert all(isinstance(v, int) for v in chieng[6:10])
    tasks = book["Nhiệm vụ các đơn vị"]
    health = next(
        r for r in tasks.iter_rows(values_only=True) if r[1] == "Trạm Y tế xã"
    )
    assert health[2:7] == (3, 1, 0, 1, 1)
    assert all(isinstance(v, int) for v in health[2:7])


def _queries(user: User, commune: object) -> int:
    with CaptureQueriesContext(connection) as ctx:
        plan_and_task_status(user, commune, YEAR, TODAY)  # type: ignore[arg-type]
    return len(ctx.captured_queries)


@pytest.mark.parametrize("role", ["officer", "head_a1"])
def test_status_query_count_is_constant(
    request: pytest.FixtureRequest,
    role: str,
    village_a1: Village,
    commune_data: dict[str, Unit],
) -> None:
    user = request.getfixturevalue(role)
    Task.objects.filter(unit=commune_data["village"]).exclude(
        status=TaskStatus.APPROVED
    ).delete()
    Task.objects.filter(
        unit=commune_data["health"], status=TaskStatus.SUBMITTED
    ).delete()
    assert Task.objects.count() == 3
    few = _queries(user, village_a1.commune)

    for n in range(10, 19):
        unit = commune_data["village" if n % 2 else "health"]
        make_task(unit, n, date(YEAR, 9, 1), TaskStatus.NOT_STARTED)
    assert Task.objects.count() == 12

    assert _queries(user, village_a1.commune) == few
