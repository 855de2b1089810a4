"""The chairman's dashboard: its figures, its scope, its cost, and its chart geometry.

The commune is made by hand (see `commune`): village A1 has two households, one of them
poor; A2 has one poor household; both were reviewed at the end of 2023 and 2024 with
the same result. The 2024 target leaves 1 poor household (A1 lifts its one). The
expected figures are counted here, not read from the summary.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from giamngheo.models import User
from households.models import Household, Village
from reports import charts
from reports.dashboard import dashboard
from targets.models import PovertyTarget, ServiceTarget, VillageAllocation
from tasks.models import PlanStatus, Task, TaskStatus, Unit, UnitKind, VillagePlan
from tests.reports.test_report_scope import reviewed

YEAR = 2024


def _task(unit: Unit, title: str, due: date, status: str = TaskStatus.NOT_STARTED):
    return Task.objects.create(
        commune=unit.commune,
        year=YEAR,
        title=title,
        duty_text=title,
        unit=unit,
        due_before=due,
        deadline_text="",
        status=status,
    )


@pytest.fixture
def commune(village_a1: Village, village_a2: Village) -> dict[str, object]:
    households = [
        reviewed(village_a1, "CN-01-0001", "Bùi Văn Hùng", poor=True),
        reviewed(village_a1, "CN-01-0002", "Bùi Thị Nga", poor=False),
        reviewed(village_a2, "CN-02-0001", "Quách Thị Lan", poor=True),
    ]
    commune_a = village_a1.commune
    target = PovertyTarget.objects.create(
        commune=commune_a, year=YEAR, poor_target_end=1
    )
    VillageAllocation.objects.create(
        target=target, village=village_a1, poor_reduction=1
    )
    VillageAllocation.objects.create(
        target=target, village=village_a2, poor_reduction=0
    )
    ServiceTarget.objects.create(
        commune=commune_a,
        year=YEAR,
        code="2",
        text="Phấn đấu 100% hộ nghèo được tiếp cận nguồn nước hợp vệ sinh",
        measure="poor_water",
        population="poor_households",
        indicators="nguon_nuoc_sinh_hoat",
        comparator="gte",
        threshold=Decimal(100),
        threshold_as_written="100 %",
        responsible="Công chức Địa chính",
        report_due_before=date(YEAR, 9, 30),
    )
    # A1 handed its plan in late; A2's is approved, on time.
    VillagePlan.objects.create(
        village=village_a1,
        year=YEAR,
        due_before=date(YEAR, 3, 15),
        status=PlanStatus.SUBMITTED,
        submitted_at=timezone.make_aware(datetime(YEAR, 3, 20, 9)),
    )
    VillagePlan.objects.create(
        village=village_a2,
        year=YEAR,
        due_before=date(YEAR, 3, 15),
        status=PlanStatus.APPROVED,
        submitted_at=timezone.make_aware(datetime(YEAR, 3, 1, 9)),
    )
    unit = Unit.objects.create(
        commune=commune_a,
        slug="ldtbxh",
        name="Công chức LĐ-TB&XH",
        kind=UnitKind.OFFICER,
    )
    today = timezone.localdate()
    _task(unit, "Việc quá hạn", today - timedelta(days=10))
    _task(unit, "Việc đã nộp", today - timedelta(days=20), TaskStatus.SUBMITTED)
    for i in range(1, 7):
        _task(unit, f"Việc sắp tới {i}", today + timedelta(days=i + 1))
    return {"households": households, "target": target}


def page_of(client: Client, user: User) -> str:
    client.force_login(user)
    response = client.get(reverse("reports:dashboard"))
    assert response.status_code == 200
    return response.content.decode()


def test_chairman_dashboard_holds_the_commune_figures(
    client: Client, chairman: User, commune: dict[str, object]
) -> None:
    summary = dashboard(chairman, YEAR)
    page = page_of(client, chairman)

    # Counted by hand: 2 poor of 3 households at the start and now; target 1 of 3.
    total = summary.poverty.total
    assert (total.households_start, total.poor_start, total.poor_now) == (3, 2, 2)
    assert total.poor_target_end == 1
    assert total.still_to_lift == 1
    assert "66,67 %" in page  # 2/3, start and now
    assert "33,33 %" in page  # 1/3, the target
    assert "Còn phải giảm 1 hộ nghèo" in page
    assert "Làng Chiềng" in page and "Làng Bột" in page
    # Water: neither poor household has it, target 100 %: 0/2, 2 missing.
    (water,) = summary.services
    assert (water.ok, water.total, water.met, water.gap) == (0, 2, False, 2)
    assert "Còn thiếu 2 hộ nghèo chưa tiếp cận nguồn nước" in page
    # Plans: A1 submitted late, A2 approved.
    plans = summary.plans
    assert (plans.villages, plans.pending, plans.approved, plans.late) == (2, 1, 1, 1)
    # Tasks: one overdue; the next five deadlines, nearest first.
    assert summary.overdue_count == 1
    assert [t.title for t in summary.overdue] == ["Việc quá hạn"]
    assert summary.deadlines_upcoming
    assert [t.title for t in summary.next_deadlines] == [
        f"Việc sắp tới {i}" for i in range(1, 6)
    ]
    assert "Việc sắp tới 6" not in page
    assert reverse("reports:appendix_01", args=[YEAR]) in page
    assert reverse("targets:progress", args=[YEAR]) in page
    assert page.count("<svg") == 3  # the rates, the villages on a phone and wide


def test_village_head_dashboard_shows_only_their_village(
    client: Client, head_a1: User, commune: dict[str, object]
) -> None:
    summary = dashboard(head_a1, YEAR)
    page = page_of(client, head_a1)

    assert [r.name for r in summary.poverty.villages] == ["Làng Chiềng"]
    assert "Làng Chiềng" in page
    assert "Làng Bột" not in page
    # Their village: 1 poor of 2, target 0 poor.
    assert (summary.poverty.total.poor_start, summary.poverty.total.poor_now) == (1, 1)
    assert "50,00 %" in page
    assert summary.plans.villages == 1
    assert summary.plans.approved == 0  # A2's approved plan is not theirs
    assert summary.overdue_count == 0  # the commune's tasks are not their unit's


def test_officer_and_outsider_see_their_own_commune(
    client: Client,
    officer: User,
    outsider: User,
    village_b1: Village,
    commune: dict[str, object],
) -> None:
    assert "Làng Bột" in page_of(client, officer)
    page = page_of(client, outsider)
    assert "Làng Chiềng" not in page
    assert "Làng Bột" not in page


def test_dashboard_of_another_year_with_nam(
    client: Client, chairman: User, commune: dict[str, object]
) -> None:
    client.force_login(chairman)
    # A year without a target falls back to the latest year with one.
    page = client.get(reverse("reports:dashboard"), {"nam": "1999"}).content.decode()
    assert "Tổng quan năm 2024" in page


def _more_households(village: Village, n: int) -> None:
    for i in range(n):
        reviewed(village, f"CN-01-1{i:03d}", f"Hộ thêm {i}", poor=i % 3 == 0)


def _queries(user: User) -> int:
    with CaptureQueriesContext(connection) as queries:
        dashboard(user, YEAR)
    return len(queries)


def test_query_count_does_not_grow_with_households(
    chairman: User, village_a1: Village, commune: dict[str, object]
) -> None:
    assert Household.objects.count() == 3
    few = _queries(chairman)
    _more_households(village_a1, 27)
    assert Household.objects.count() == 30

    assert _queries(chairman) == few


def test_page_has_no_inline_script_or_style(
    client: Client, chairman: User, commune: dict[str, object]
) -> None:
    page = page_of(client, chairman)

    assert not re.search(r"<script(?![^>]*\bsrc=)", page)
    assert "style=" not in page
    assert "<style" not in page
    assert 'role="img"' in page
    assert "<title id=" in page


# --- reports/charts.py: pure geometry ------------------------------------------------


def test_bar_length_is_proportional_and_clamped() -> None:
    assert charts.bar_length(Decimal(5), Decimal(10), 200) == Decimal(100)
    assert charts.bar_length(Decimal("2.5"), Decimal(10), 200) == Decimal(50)
    assert charts.bar_length(0, Decimal(10), 200) == 0
    assert charts.bar_length(None, Decimal(10), 200) == 0
    assert charts.bar_length(Decimal(100), Decimal(100), 200) == Decimal(200)
    assert charts.bar_length(Decimal(150), Decimal(100), 200) == Decimal(200)
    assert charts.bar_length(Decimal(5), 0, 200) == 0


def test_nice_maximum_rounds_up_to_steps() -> None:
    assert charts.nice_maximum([Decimal("5.21"), Decimal("3.25")]) == 10
    assert charts.nice_maximum([Decimal(10)]) == 10
    assert charts.nice_maximum([None, Decimal(0)]) == 5  # all zero: an axis anyway
    assert charts.nice_maximum([]) == 5
    assert charts.nice_maximum([Decimal(100)]) == 100


def test_ticks_are_even_and_in_vietnamese() -> None:
    ticks = charts.ticks(Decimal(10), 200)
    assert [t.x for t in ticks] == [0, 40, 80, 120, 160, 200]
    assert [t.label for t in ticks] == ["0 %", "2 %", "4 %", "6 %", "8 %", "10 %"]
    assert charts.ticks(Decimal(5), 100)[1].label == "1 %"
    assert charts.ticks(Decimal(1), 100, count=4)[1].label == "0,3 %"


def test_rates_chart_bars() -> None:
    chart = charts.rates_chart(Decimal("5.21"), Decimal("3.25"), Decimal("3.42"))
    start, target, now = chart.bars
    assert chart.maximum == 10
    assert start.length == Decimal("109.4")  # 5.21 / 10 × 210
    assert target.length == Decimal("68.3")
    assert now.length == Decimal("71.8")
    assert [b.text for b in chart.bars] == ["5,21 %", "3,25 %", "3,42 %"]


def test_rates_chart_edges_zero_and_hundred() -> None:
    zero = charts.rates_chart(Decimal(0), Decimal(0), Decimal(0))
    assert [b.length for b in zero.bars] == [0, 0, 0]
    assert zero.maximum == 5
    full = charts.rates_chart(Decimal(100), Decimal(50), Decimal(100))
    assert [b.length for b in full.bars] == [charts.BAR_AREA, charts.BAR_AREA / 2, 210]
    none = charts.rates_chart(Decimal(10), None, Decimal(5))
    assert none.bars[1].length == 0
    assert none.bars[1].text == "—"


def test_villages_chart_rows() -> None:
    chart = charts.villages_chart(
        [
            charts.VillageRates(
                "Làng Chiềng", Decimal(50), Decimal(0), Decimal(50), False
            ),
            charts.VillageRates(
                "Làng Bột", Decimal(100), Decimal(100), Decimal(0), True
            ),
            charts.VillageRates("Làng Mới", None, None, None, None),
        ]
    )
    a1, a2, empty = chart.rows
    assert chart.maximum == 100
    assert (a1.start, a1.target, a1.now) == (charts.VILLAGE_BAR_AREA / 2, 0, 185)
    assert (a2.start, a2.target, a2.now) == (370, 370, 0)
    assert empty.target is None and empty.start == 0
    assert a1.caption == "đầu năm 50,00 % · chỉ tiêu 0,00 % · nay 50,00 %"
    assert empty.caption == "đầu năm — · chỉ tiêu — · nay —"
    assert [r.y for r in chart.rows] == [0, charts.VILLAGE_ROW, 2 * charts.VILLAGE_ROW]
    assert chart.height == 3 * charts.VILLAGE_ROW + 30


def test_the_wide_villages_chart_puts_each_village_on_one_line() -> None:
    rates = [
        charts.VillageRates("Làng Chiềng", Decimal(50), Decimal(25), Decimal(40), False)
    ]
    narrow = charts.villages_chart(rates)
    wide = charts.villages_chart(rates, charts.WIDE)

    (row,) = wide.rows
    assert wide.width > 2 * narrow.width  # uses a wide screen's width
    assert row.text_y == row.caption_y  # name, bar and figures on one line
    assert wide.layout.bar_x > 0 and wide.layout.caption_x > wide.area
    assert (row.start, row.target) == (wide.area, wide.area / 2)
    assert wide.height < narrow.height


def test_village_chart_shows_rates_with_2_decimals_as_every_other_page(
    client: Client, chairman: User, commune: dict[str, object]
) -> None:
    page = page_of(client, chairman)
    for number in (1, 2):  # the phone's chart and the wide screen's
        marker = f'aria-labelledby="villages-title-{number} villages-desc-{number}"'
        assert_captions_have_2_decimals(page.split(marker)[1].split("</svg>")[0])
    table = page.split("Xem dạng bảng")[1]
    assert "1 (50,00 %)" in table


def assert_captions_have_2_decimals(chart: str) -> None:
    # Làng Chiềng: 1 poor of 2 households at the start and now, target 0 of 2;
    # Làng Bột: 1 of 1, target 1 of 1. The table below the chart says the same.
    assert "Làng Chiềng: đầu năm 50,00 % · chỉ tiêu 0,00 % · nay 50,00 %" in chart
    assert "Làng Bột: đầu năm 100,00 % · chỉ tiêu 100,00 % · nay 100,00 %" in chart
    captions = re.findall(r'<text class="bar-caption"[^>]*>([^<]*)</text>', chart)
    assert len(captions) == 2
    for caption in captions:
        assert re.findall(r"\d+(?:,\d+)? %", caption) == re.findall(
            r"\d+,\d\d %", caption
        )
