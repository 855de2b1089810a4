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
    c = t.counts
    assert (c.villages, c.handed_in, c.pending, c.approved, c.late) == (2, 2, 1, 1, 1)
    # Column 4 = 3 − 2 in the total row too: Làng Bột's extra escape makes up for
    # one of Làng Chiềng's two missing (not 2 + 0, the sum of the villages' column 4).
    assert (t.households, t.expected, t.target, t.shortfall) == (3, 2, 3, 1)


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


# --- The total row: 4 = 3 − 2, a village without a handed-in plan counts 0 ---------


@pytest.fixture
def unplanned(commune_data: dict[str, Unit], village_a1: Village) -> Village:
    """A third village, Làng Mới, with a target of 2 and no plan at all; Làng Bột's
    plan is returned to it (not handed in any more), its target raised to 1."""
    commune = village_a1.commune
    new = Village.objects.create(commune=commune, name="Làng Mới", position=3)
    target = PovertyTarget.objects.get(commune=commune, year=YEAR)
    VillageAllocation.objects.create(target=target, village=new, poor_reduction=2)
    VillageAllocation.objects.filter(village__name="Làng Bột").update(poor_reduction=1)
    VillagePlan.objects.filter(village__name="Làng Bột").update(
        status=PlanStatus.RETURNED
    )
    return new


def _expected_total_row(commune: object) -> tuple[int, int, int]:
    """(expected, target, shortfall) counted here from the rows themselves: escapes
    of the handed-in plans only, targets of every village, target − expected."""
    expected = HouseholdPlan.objects.filter(
        plan__year=YEAR,
        plan__village__commune=commune,
        plan__status__in=[PlanStatus.SUBMITTED, PlanStatus.APPROVED],
        expected_escape=True,
    ).count()
    target = sum(
        VillageAllocation.objects.filter(
            target__commune=commune, target__year=YEAR
        ).values_list("poor_reduction", flat=True)
    )
    return expected, target, max(target - expected, 0)


def test_villages_without_a_handed_in_plan_count_zero_expected(
    officer: User, unplanned: Village, village_a1: Village
) -> None:
    report = plan_and_task_status(officer, village_a1.commune, YEAR, TODAY)

    by_name = {r.name: r for r in report.plans}
    chieng, bot, new = by_name["Làng Chiềng"], by_name["Làng Bột"], by_name["Làng Mới"]
    assert (chieng.expected, chieng.target, chieng.shortfall) == (1, 3, 2)
    assert (bot.status, bot.expected, bot.target, bot.shortfall) == (
        "Trả lại",
        0,
        1,
        1,
    )
    assert (new.status, new.expected, new.target, new.shortfall) == (
        "Chưa lập",
        0,
        2,
        2,
    )
    t = report.plan_totals
    assert (t.expected, t.target, t.shortfall) == _expected_total_row(
        village_a1.commune
    )
    assert (t.expected, t.target, t.shortfall) == (1, 6, 5)
    c = t.counts
    assert (c.villages, c.handed_in, c.returned, c.not_submitted) == (3, 1, 1, 1)


def _total_cells(page: str) -> list[str]:
    row = page.split('<tr class="total">')[1].split("</tr>")[0]
    return [
        cell.split(">", 1)[1].strip() for cell in row.split("</td>")[:-1] if ">" in cell
    ]


def test_total_row_on_the_page_is_target_minus_forecast(
    client: Client, officer: User, unplanned: Village, village_a1: Village
) -> None:
    expected, target, shortfall = _expected_total_row(village_a1.commune)
    client.force_login(officer)

    page = client.get(reverse("reports:status", args=[YEAR])).content.decode()

    cells = _total_cells(page)
    assert cells[1] == "Tổng cộng toàn xã"
    assert cells[-3:] == [str(expected), str(target), str(shortfall)] == ["1", "6", "5"]
    assert cells[2] == "Đã nộp 1/3 (đã duyệt 1), trả lại 1, chưa nộp 1"
    assert "—" not in page.split("II. Thực hiện nhiệm vụ")[0].split("<tbody>")[1]


def test_total_row_in_the_pdf_is_target_minus_forecast(
    client: Client,
    officer: User,
    unplanned: Village,
    village_a1: Village,
    tmp_path: Path,
) -> None:
    expected, target, shortfall = _expected_total_row(village_a1.commune)
    client.force_login(officer)

    response = client.get(reverse("reports:status", args=[YEAR]), {"format": "pdf"})
    text = _pdf_text(response.content, tmp_path)

    # The total row's last cells, then its wrapped status cell.
    assert f" {expected} {target} {shortfall} Đã nộp 1/3" in text
    assert " 1 6 5 Đã nộp 1/3" in text
    assert "Làng Mới Chưa lập Không 0 0 2 2" in text


def test_total_row_in_the_excel_is_target_minus_forecast(
    client: Client, officer: User, unplanned: Village, village_a1: Village
) -> None:
    expected, target, shortfall = _expected_total_row(village_a1.commune)
    client.force_login(officer)

    response = client.get(reverse("reports:status", args=[YEAR]), {"format": "xlsx"})
    book = openpyxl.load_workbook(io.BytesIO(response.content))

    rows = list(book["Kế hoạch các thôn"].iter_rows(values_only=True))
    total = next(r for r in rows if r[1] == "Tổng cộng toàn xã")
    assert total[7:10] == (expected, target, shortfall) == (1, 6, 5)
    new = next(r for r in rows if r[1] == "Làng Mới")
    assert new[7:10] == (0, 2, 2)
