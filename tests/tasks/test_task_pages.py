"""The task pages: "Việc của tôi", the commune board, the deadline calendar, the task
page; who sees what; figures pre-filled from the register; query counts."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from giamngheo.models import User
from households.models import Village
from targets.models import Measure, Population, ServiceTarget
from tasks.models import SubmissionFigure, Task, TaskStatus, Unit
from tests.conftest import make_household, make_review
from tests.tasks.test_task_status import (
    client_for,
    make_task,
    make_unit,
    submitted,
    vn_time,
)

pytestmark = pytest.mark.django_db

TODAY = date(2024, 9, 10)


@pytest.fixture(autouse=True)
def _today() -> Any:
    with time_machine.travel(vn_time(TODAY), tick=False):
        yield


@pytest.fixture
def units(officer: User, sector: User, head_a1: User, head_a2: User) -> dict[str, Unit]:
    commune = officer.commune
    assert commune is not None
    return {
        "ldtbxh": make_unit(commune, "ldtbxh", "Công chức LĐ-TB&XH", officer),
        "yte": make_unit(commune, "tram-y-te", "Trạm Y tế xã", sector, position=2),
        "a1": make_unit(
            commune,
            "lang-chieng",
            "Làng Chiềng",
            head_a1,
            kind="village",
            village=head_a1.village,
            position=5,
        ),
        "a2": make_unit(
            commune,
            "lang-bot",
            "Làng Bột",
            head_a2,
            kind="village",
            village=head_a2.village,
            position=6,
        ),
    }


@pytest.fixture
def tasks(units: dict[str, Unit]) -> dict[str, Task]:
    return {
        "ldtbxh": make_task(
            units["ldtbxh"], "Tổng hợp danh sách hộ nghèo", due=date(2024, 12, 15)
        ),
        "yte": make_task(units["yte"], "Báo cáo thẻ BHYT", due=date(2024, 9, 25)),
        "yte_late": make_task(units["yte"], "Báo cáo tiêm chủng", due=date(2024, 9, 1)),
        "a1": make_task(units["a1"], "Kế hoạch của Làng Chiềng", due=date(2024, 3, 15)),
        "a2": make_task(units["a2"], "Kế hoạch của Làng Bột", due=date(2024, 3, 15)),
    }


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def titles(html: str) -> list[str]:
    """The task titles listed in a page's task table or calendar, in order."""
    return re.findall(r'<a href="/nhiem-vu/\d+/">([^<]+)</a>', html)


# --- Việc của tôi --------------------------------------------------------------------


def test_my_tasks_lists_the_units_tasks_nearest_deadline_first(
    tasks: dict[str, Task], sector: User
) -> None:
    html = page(client_for(sector), reverse("tasks:mine"))
    assert titles(html) == ["Báo cáo tiêm chủng", "Báo cáo thẻ BHYT"]


def test_my_tasks_highlights_overdue_and_shows_days_left(
    tasks: dict[str, Task], sector: User
) -> None:
    html = page(client_for(sector), reverse("tasks:mine"))
    assert "1 việc đã quá hạn" in html
    assert "quá hạn 10 ngày" in html  # last day 31/8, today 10/9
    assert "còn 14 ngày" in html  # last day 24/9


def test_my_tasks_include_tasks_assigned_outside_the_unit(
    tasks: dict[str, Task], head_a2: User
) -> None:
    tasks["yte"].assignees.add(head_a2)
    html = page(client_for(head_a2), reverse("tasks:mine"))
    assert titles(html) == ["Kế hoạch của Làng Bột", "Báo cáo thẻ BHYT"]


def test_approved_tasks_leave_the_list(tasks: dict[str, Task], sector: User) -> None:
    Task.objects.filter(pk=tasks["yte_late"].pk).update(status=TaskStatus.APPROVED)
    html = page(client_for(sector), reverse("tasks:mine"))
    assert titles(html) == ["Báo cáo thẻ BHYT", "Báo cáo tiêm chủng"]
    assert "Đã duyệt (1)" in html


def test_pages_say_which_day_is_the_last_on_time(
    tasks: dict[str, Task], sector: User
) -> None:
    client = client_for(sector)
    task = tasks["yte"]  # "trước 25/9/2024"
    for url in (reverse("tasks:mine"), task.get_absolute_url()):
        html = page(client, url)
        assert "trước 25/9/2024" in html
        assert "24/09/2024" in html
    assert "Ngày cuối đúng hạn" in page(client, task.get_absolute_url())


# --- Scope ---------------------------------------------------------------------------


def test_village_head_sees_only_their_village_tasks(
    tasks: dict[str, Task], head_a1: User
) -> None:
    client = client_for(head_a1)
    assert titles(page(client, reverse("tasks:mine"))) == ["Kế hoạch của Làng Chiềng"]
    assert titles(page(client, reverse("tasks:calendar", args=[2024]))) == [
        "Kế hoạch của Làng Chiềng"
    ]
    assert client.get(tasks["a2"].get_absolute_url()).status_code == 404
    assert client.get(tasks["yte"].get_absolute_url()).status_code == 404
    assert client.get(tasks["a1"].get_absolute_url()).status_code == 200


def test_sector_officer_sees_only_their_units_tasks(
    tasks: dict[str, Task], sector: User
) -> None:
    client = client_for(sector)
    assert titles(page(client, reverse("tasks:calendar", args=[2024]))) == [
        "Báo cáo tiêm chủng",
        "Báo cáo thẻ BHYT",
    ]
    assert client.get(tasks["ldtbxh"].get_absolute_url()).status_code == 404
    assert client.get(tasks["a1"].get_absolute_url()).status_code == 404


@pytest.mark.parametrize("role", ["officer", "chairman"])
def test_officer_and_chairman_see_every_task_of_the_commune(
    request: pytest.FixtureRequest, tasks: dict[str, Task], role: str
) -> None:
    client = client_for(request.getfixturevalue(role))
    assert len(titles(page(client, reverse("tasks:board")))) == 5
    assert len(titles(page(client, reverse("tasks:calendar", args=[2024])))) == 5
    for task in tasks.values():
        assert client.get(task.get_absolute_url()).status_code == 200


def test_outsider_gets_404_on_every_task_url(
    tasks: dict[str, Task], outsider: User, sector: User
) -> None:
    task = tasks["yte"]
    submission = submitted(task, sector)
    client = client_for(outsider)
    assert client.get(task.get_absolute_url()).status_code == 404
    assert client.get(reverse("tasks:submit", args=[task.pk])).status_code == 404
    assert client.post(reverse("tasks:start", args=[task.pk])).status_code == 404
    response = client.post(
        reverse("tasks:decide", args=[submission.pk]), {"decision": "approved"}
    )
    assert response.status_code == 404
    assert titles(page(client, reverse("tasks:board"))) == []
    assert titles(page(client, reverse("tasks:calendar", args=[2024]))) == []


@pytest.mark.parametrize("role", ["sector", "head_a1"])
def test_board_is_403_for_others_than_officer_and_chairman(
    request: pytest.FixtureRequest, tasks: dict[str, Task], role: str
) -> None:
    response = client_for(request.getfixturevalue(role)).get(reverse("tasks:board"))
    assert response.status_code == 403


def test_board_link_in_the_menu_only_for_officer_and_chairman(
    tasks: dict[str, Task], officer: User, sector: User
) -> None:
    board = f'href="{reverse("tasks:board")}"'
    assert board in page(client_for(officer), reverse("tasks:mine"))
    sector_page = page(client_for(sector), reverse("tasks:mine"))
    assert board not in sector_page
    assert "Việc của tôi" in sector_page
    assert "Lịch hạn" in sector_page


# --- The board -----------------------------------------------------------------------


def unit_counts(html: str, slug: str) -> list[str]:
    match = re.search(rf'<tr data-unit="{slug}">(.*?)</tr>', html, re.S)
    assert match, slug
    cells = re.findall(r'<td[^>]*class="num"[^>]*>(.*?)</td>', match.group(1), re.S)
    return [re.sub(r"<[^>]+>", "", c).strip() for c in cells]


def test_board_counts_total_done_and_overdue_per_unit(
    tasks: dict[str, Task], units: dict[str, Unit], sector: User, officer: User
) -> None:
    make_task(units["yte"], "Báo cáo đã duyệt", due=date(2024, 6, 1), status="approved")
    submitted(tasks["yte"], sector)
    html = page(client_for(officer), reverse("tasks:board"))
    # total, done (submitted or approved), of which approved, overdue
    assert unit_counts(html, "tram-y-te") == ["3", "2", "1", "1"]
    assert unit_counts(html, "lang-chieng") == ["1", "0", "0", "1"]
    assert unit_counts(html, "ldtbxh") == ["1", "0", "0", "0"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?unit={yte}", ["Báo cáo tiêm chủng", "Báo cáo thẻ BHYT"]),
        (
            "?overdue=on",
            ["Kế hoạch của Làng Chiềng", "Kế hoạch của Làng Bột", "Báo cáo tiêm chủng"],
        ),
        ("?status=submitted", ["Báo cáo thẻ BHYT"]),
        # last on-time days 31/8 and 24/9: the range reads the last on-time day
        ("?due_from=01/09/2024&due_to=24/09/2024", ["Báo cáo thẻ BHYT"]),
        ("?due_from=31/08/2024&due_to=31/08/2024", ["Báo cáo tiêm chủng"]),
    ],
    ids=["unit", "overdue", "status", "range", "range_edge"],
)
def test_board_filters(
    tasks: dict[str, Task],
    units: dict[str, Unit],
    sector: User,
    officer: User,
    query: str,
    expected: list[str],
) -> None:
    submitted(tasks["yte"], sector)
    url = reverse("tasks:board") + query.format(yte=units["yte"].pk)
    assert titles(page(client_for(officer), url)) == expected


# --- The calendar --------------------------------------------------------------------


def test_calendar_groups_by_month_of_the_last_on_time_day(
    units: dict[str, Unit], officer: User
) -> None:
    make_task(units["ldtbxh"], "Hạn trước 1/10", due=date(2024, 10, 1))
    make_task(units["ldtbxh"], "Hạn trước 2/1/2025", due=date(2025, 1, 2))
    html = page(client_for(officer), reverse("tasks:calendar", args=[2024]))
    september = html.split('id="month-9"')[1].split('id="month-10"')[0]
    assert titles(september) == ["Hạn trước 1/10"]
    assert "30/09" in september
    assert "Hạn trước 2/1/2025" not in html
    assert "Hạn trước 2/1/2025" in page(
        client_for(officer), reverse("tasks:calendar", args=[2025])
    )


def test_current_calendar_falls_back_to_the_latest_year_with_tasks(
    tasks: dict[str, Task], officer: User
) -> None:
    with time_machine.travel(vn_time(date(2026, 5, 1)), tick=False):
        response = client_for(officer).get(reverse("tasks:calendar_current"))
    assert response["Location"] == reverse("tasks:calendar", args=[2024])


def test_a_duty_through_2024_belongs_to_2024_and_the_calendar_opens_there(
    units: dict[str, Unit], officer: User
) -> None:
    """ "Trong năm 2024" is due before 01/01/2025: its year is 2024, not 2025."""
    make_task(units["ldtbxh"], "Trong năm 2024", due=date(2025, 1, 1))
    assert Task.objects.deadline_years() == {2024}
    with time_machine.travel(vn_time(date(2026, 12, 3)), tick=False):
        client = client_for(officer)
        response = client.get(reverse("tasks:calendar_current"))
        assert response["Location"] == reverse("tasks:calendar", args=[2024])
        december = page(client, response["Location"]).split('id="month-12"')[1]
        assert titles(december) == ["Trong năm 2024"]
        assert "31/12" in december
        assert titles(page(client, reverse("tasks:calendar", args=[2025]))) == []


# --- The task page -------------------------------------------------------------------


def test_task_page_shows_duty_people_history_and_decisions(
    tasks: dict[str, Task], sector: User, officer: User
) -> None:
    from tasks import actions

    task = tasks["yte"]
    actions.start_task(task, by=sector)
    actions.return_submission(
        submitted(task, sector, "Bản đầu."), by=officer, comment="Thiếu số liệu."
    )
    html = page(client_for(officer), task.get_absolute_url())
    assert "<blockquote" in html and task.duty_text in html
    assert "Trạm Y tế xã" in html and str(sector) in html
    for text in ("Bắt đầu thực hiện", "Nộp", "Trả lại", "Bản đầu.", "Thiếu số liệu."):
        assert text in html


# --- Figures pre-filled from the live value ------------------------------------------


POOR = ("viec_lam", "dinh_duong", "chat_luong_nha_o")


@pytest.fixture
def latrine_target(village_a1: Village) -> ServiceTarget:
    """3 poor households in Làng Chiềng, 2 of them with a hygienic latrine."""
    for n, deprived in enumerate([(), (), ("nha_tieu_hop_ve_sinh",)], start=1):
        household = make_household(
            village_a1, f"A1-{n:02}", registered_on=date(2015, 1, 1)
        )
        make_review(household, deprived=POOR + deprived, on=date(2023, 11, 20))
    return ServiceTarget.objects.create(
        commune=village_a1.commune,
        year=2024,
        code="2",
        position=2,
        text="Trên 70 % hộ nghèo có nhà tiêu hợp vệ sinh",
        measure=Measure.POOR_LATRINE,
        population=Population.POOR_HOUSEHOLDS,
        indicators="Chỉ số 10: nhà tiêu hợp vệ sinh",
        comparator="gt",
        threshold=Decimal(70),
        threshold_as_written="trên 70 %",
        responsible="Trạm Y tế xã",
        report_due_before=date(2024, 9, 25),
    )


def figure_data(target: ServiceTarget, ok: int, total: int, reason: str = "") -> dict:
    prefix = f"chi-tieu-{target.pk}"
    return {
        f"{prefix}-reported_ok": str(ok),
        f"{prefix}-reported_total": str(total),
        f"{prefix}-reason": reason,
    }


def test_figures_are_prefilled_from_the_live_value(
    tasks: dict[str, Task], latrine_target: ServiceTarget, sector: User
) -> None:
    task = tasks["yte"]
    task.service_targets.add(latrine_target)
    html = page(client_for(sector), reverse("tasks:submit", args=[task.pk]))
    prefix = f"chi-tieu-{latrine_target.pk}"
    assert re.search(rf'name="{prefix}-reported_ok" value="2"', html)
    assert re.search(rf'name="{prefix}-reported_total" value="3"', html)
    assert "Theo sổ hộ: <strong>2/3 hộ</strong>" in html


def test_unchanged_figures_are_stored_with_the_live_value(
    tasks: dict[str, Task], latrine_target: ServiceTarget, sector: User
) -> None:
    task = tasks["yte"]
    task.service_targets.add(latrine_target)
    response = client_for(sector).post(
        reverse("tasks:submit", args=[task.pk]), figure_data(latrine_target, 2, 3)
    )
    assert response.status_code == 302
    figure = SubmissionFigure.objects.get()
    assert (figure.live_ok, figure.live_total) == (2, 3)
    assert (figure.reported_ok, figure.reported_total) == (2, 3)
    assert not figure.differs


def test_a_changed_figure_without_a_reason_is_refused(
    tasks: dict[str, Task], latrine_target: ServiceTarget, sector: User
) -> None:
    task = tasks["yte"]
    task.service_targets.add(latrine_target)
    response = client_for(sector).post(
        reverse("tasks:submit", args=[task.pk]), figure_data(latrine_target, 3, 3)
    )
    assert response.status_code == 200
    assert (
        "Số liệu khác số liệu sổ hộ (2/3 hộ): ghi lý do." in response.content.decode()
    )
    assert not task.submissions.exists()
    task.refresh_from_db()
    assert task.status == TaskStatus.NOT_STARTED


def test_a_changed_figure_with_a_reason_is_kept_next_to_the_live_one(
    tasks: dict[str, Task], latrine_target: ServiceTarget, sector: User
) -> None:
    task = tasks["yte"]
    task.service_targets.add(latrine_target)
    reason = "Hộ A1-03 đã xây nhà tiêu tháng 8, chưa rà soát lại."
    client_for(sector).post(
        reverse("tasks:submit", args=[task.pk]),
        figure_data(latrine_target, 3, 3, reason),
    )
    figure = SubmissionFigure.objects.get()
    assert (figure.live_ok, figure.reported_ok) == (2, 3)
    assert figure.reason == reason
    html = page(client_for(sector), task.get_absolute_url())
    assert reason in html and "3/3 hộ" in html


# --- Query counts do not grow with the tasks -----------------------------------------


def count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def many_tasks(units: dict[str, Unit], users: list[User], count: int) -> None:
    for n in range(count):
        unit = units["yte"] if n % 2 else units["ldtbxh"]
        task = make_task(unit, f"Nhiệm vụ {n}", due=date(2024, 1 + n % 12, 10))
        task.assignees.add(*users)


@pytest.mark.parametrize("url_name", ["tasks:board", "tasks:mine"])
def test_query_count_does_not_grow_with_tasks(
    units: dict[str, Unit],
    officer: User,
    sector: User,
    django_assert_num_queries: Any,
    url_name: str,
) -> None:
    client = client_for(officer)
    url = reverse(url_name)
    many_tasks(units, [officer, sector], 3)
    client.get(url)  # warm up the session
    small = count_queries(client, url)

    Task.objects.all().delete()
    many_tasks(units, [officer, sector], 30)

    with django_assert_num_queries(small):
        client.get(url)


@pytest.mark.parametrize("year", [2000, 2099])
def test_the_calendar_at_the_edge_of_the_century_has_no_link_past_it(
    client: Client, officer: User, year: int
) -> None:
    client.force_login(officer)

    response = client.get(reverse("tasks:calendar", args=[year]))

    assert response.status_code == 200
    assert "/nhiem-vu/lich/1999/" not in response.content.decode()
    assert "/nhiem-vu/lich/2100/" not in response.content.decode()
