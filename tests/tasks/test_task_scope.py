"""Who may open which task page, on which task or village plan (ECOSYSTEM.md B5).

`TASK_POLICY` is the task pages' part of the project's policy table: the coverage test
of tests/households/test_scope.py counts it, so a `tasks:` URL without a row fails
there. For every `tasks:` URL it states the expected answer per role and, for pages
about one task or one village plan, per object:

- task_sector: a task of the health station's unit (member: `sector`), commune A,
- task_a1: a task of village A1's unit (member: `head_a1`),
- task_a2: a task of village A2's unit (member: `head_a2`, so not `head_a1`),
- task_b: a task of commune B's LĐ-TB&XH unit (member: `outsider`);
- plan_a1, plan_a2, plan_b: this year's plans of villages A1, A2 and of commune B,
  each with one poor household whose row is complete (so the plan can be submitted).

`decide` acts on the pending submission of the task, `attachment` on its PDF: the
task's unit member submits it before the request. The plan is submitted before
`plan_decide` and approved before `plan_reopen`. `plan_list` posts village A3, the
village of commune A that has no plan this year.

Out of scope is 404 (the task or plan does not exist for you); in scope but not your
step is 403; POST-only views answer a GET with 405; anonymous is sent to the login
page with `?next=`. Every request that is not an allowed write leaves every row of
the project's models as it was; an allowed write has its effect (`EFFECTS`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from giamngheo.models import User
from households.models import Household, Village
from tasks import actions, plan_actions
from tasks.models import (
    Attachment,
    Decision,
    HouseholdPlan,
    PlanStatus,
    Submission,
    Task,
    TaskStatus,
    Unit,
    UnitKind,
    VillagePlan,
)
from tasks.reporting_calendar import SOURCE as REPORTING_SOURCE
from tasks.reporting_calendar import reporting_deadlines
from tests.conftest import make_household, make_review
from tests.households.test_scope import (
    FORBIDDEN,
    NOT_ALLOWED,
    NOT_FOUND,
    OK,
    ROLES,
    TO_LOGIN,
    Outcome,
    database_state,
    log_in,
    row,
    with_province,
)
from tests.tasks.test_task_status import make_task, make_unit

YEAR = timezone.localdate().year
DUE = date(YEAR, 12, 25)
LONG_AGO = date(2015, 1, 1)
POOR = ("viec_lam", "dinh_duong", "nha_tieu_hop_ve_sinh")  # 3 deprivations
PDF_BYTES = b"%PDF-1.4\n%%EOF\n"

TASKS = ("task_sector", "task_a1", "task_a2", "task_b")
PLANS = ("plan_a1", "plan_a2", "plan_b")
TITLES = {
    "task_sector": "Báo cáo tiêm chủng quý IV",
    "task_a1": "Họp dân Làng Chiềng bình xét",
    "task_a2": "Họp dân Làng Bột bình xét",
    "task_b": "Báo cáo xã Minh Tiến",
}


# --- Outcomes ----------------------------------------------------------------------
# `Outcome.location` here: "login?next", "task" (the task's page), "plan" (the
# plan's page; the household's card on it for `plan_household`), "own plan" (the
# plan of head_a1's village), "new plan" (village A3's plan of this year), "plan
# list" (the list of this year) or "calendar" (the calendar of this year).

WROTE_TASK = Outcome(302, "task", writes=True)
WROTE_PLAN = Outcome(302, "plan", writes=True)
NEW_PLAN = Outcome(302, "new plan", writes=True)
OWN_PLAN = Outcome(302, "own plan")
PLAN_LIST = Outcome(302, "plan list")
CALENDAR = Outcome(302, "calendar")
MADE_CALENDAR = Outcome(302, "calendar", writes=True)

LOGIN, F, NF, NA, W, PW = (
    TO_LOGIN,
    FORBIDDEN,
    NOT_FOUND,
    NOT_ALLOWED,
    WROTE_TASK,
    WROTE_PLAN,
)

Cell = Outcome | dict[str, Outcome]


def tasks(sector: Outcome, a1: Outcome, a2: Outcome, b: Outcome) -> dict[str, Outcome]:
    """One cell for a task page: the outcome on task_sector, _a1, _a2 and _b."""
    return dict(zip(TASKS, (sector, a1, a2, b), strict=True))


def plans(a1: Outcome, a2: Outcome, b: Outcome) -> dict[str, Outcome]:
    """One cell for a plan page: the outcome on plan_a1, _a2 and _b."""
    return dict(zip(PLANS, (a1, a2, b), strict=True))


# Task cells: the outcome on (task_sector, task_a1, task_a2, task_b).
READ_A = tasks(OK, OK, OK, NF)  # officer, chairman: the whole commune
READ_SECTOR = tasks(OK, NF, NF, NF)  # the health station's tasks only
READ_A1 = tasks(NF, OK, NF, NF)  # the village's tasks only
READ_B = tasks(NF, NF, NF, OK)
READ_ALL = tasks(OK, OK, OK, OK)
DENY_A = tasks(F, F, F, NF)  # sees commune A's tasks, not their unit's / decider
DENY_SECTOR = tasks(F, NF, NF, NF)
DENY_A1 = tasks(NF, F, NF, NF)
WORK_SECTOR = tasks(W, NF, NF, NF)
WORK_A1 = tasks(NF, W, NF, NF)
WORK_B = tasks(NF, NF, NF, W)
WORK_A = tasks(W, W, W, NF)  # the officer decides on commune A's tasks
WORK_ALL = tasks(W, W, W, W)
# Plan cells: the outcome on (plan_a1, plan_a2, plan_b).
P_READ_A = plans(OK, OK, NF)
P_READ_A1 = plans(OK, NF, NF)
P_READ_B = plans(NF, NF, OK)
P_READ_ALL = plans(OK, OK, OK)
P_DENY_A = plans(F, F, NF)
P_DENY_A1 = plans(F, NF, NF)
P_DENY_B = plans(NF, NF, F)
P_SAVE_A = plans(PW, PW, NF)
P_SAVE_A1 = plans(PW, NF, NF)
P_SAVE_B = plans(NF, NF, PW)
P_SAVE_ALL = plans(PW, PW, PW)

# fmt: off
TASK_POLICY: dict[str, dict[str, dict[str, Cell]]] = {
    #               anon     officer  chairman sector   head_a1  outsider admin
    # The tasks of one's units (the officer and the chairman are in none here).
    "tasks:mine": {
        "GET":      row(LOGIN,   OK,      OK,      OK,      OK,      OK,      OK),
    },
    "tasks:board": {
        "GET":      row(LOGIN,   OK,      OK,      F,       F,       OK,      OK),
    },
    "tasks:calendar_current": {
        "GET":      row(LOGIN,   CALENDAR, CALENDAR, CALENDAR, CALENDAR, CALENDAR,
                        CALENDAR),
    },
    "tasks:calendar": {
        "GET":      row(LOGIN,   OK,      OK,      OK,      OK,      OK,      OK),
    },
    # The officer makes the year's reporting tasks (QĐ 24/2021 Điều 7) for their
    # commune's LĐ-TB&XH unit: commune A has none here (said, nothing made), B has.
    "tasks:reporting_calendar_create": {
        "GET":      row(LOGIN,   NA,      NA,      NA,      NA,      NA,      NA),
        "POST":     row(LOGIN,   CALENDAR, F,      F,       F,       MADE_CALENDAR,
                        CALENDAR),
    },
    "tasks:detail": {
        "GET":      row(LOGIN,   READ_A,  READ_A,  READ_SECTOR, READ_A1, READ_B,
                        READ_ALL),
    },
    # A member of the task's unit starts and submits it (the superuser too).
    "tasks:start": {
        "GET":      row(LOGIN,   NA,      NA,      NA,      NA,      NA,      NA),
        "POST":     row(LOGIN,   DENY_A,  DENY_A,  WORK_SECTOR, WORK_A1, WORK_B,
                        WORK_ALL),
    },
    "tasks:submit": {
        "GET":      row(LOGIN,   DENY_A,  DENY_A,  READ_SECTOR, READ_A1, READ_B,
                        READ_ALL),
        "POST":     row(LOGIN,   DENY_A,  DENY_A,  WORK_SECTOR, WORK_A1, WORK_B,
                        WORK_ALL),
    },
    # The commune's LĐ-TB&XH officer decides on the pending submission.
    "tasks:decide": {
        "GET":      row(LOGIN,   NA,      NA,      NA,      NA,      NA,      NA),
        "POST":     row(LOGIN,   WORK_A,  DENY_A,  DENY_SECTOR, DENY_A1, WORK_B,
                        WORK_ALL),
    },
    # Whoever reads the task downloads its files.
    "tasks:attachment": {
        "GET":      row(LOGIN,   READ_A,  READ_A,  READ_SECTOR, READ_A1, READ_B,
                        READ_ALL),
    },
    # Village plans: officer and chairman of the commune, the village's head; the
    # sector officer has none (403 on the list, 404 on a plan).
    "tasks:plan_list": {
        "GET":      row(LOGIN,   OK,      OK,      F,       OWN_PLAN, OK,     OK),
        "POST":     row(LOGIN,   NEW_PLAN, F,      F,       PLAN_LIST, PLAN_LIST,
                        NEW_PLAN),
    },
    "tasks:plan_detail": {
        "GET":      row(LOGIN,   P_READ_A, P_READ_A, NF,    P_READ_A1, P_READ_B,
                        P_READ_ALL),
    },
    "tasks:plan_edit": {
        "GET":      row(LOGIN,   P_READ_A, P_DENY_A, NF,    P_READ_A1, P_READ_B,
                        P_READ_ALL),
        "POST":     row(LOGIN,   P_SAVE_A, P_DENY_A, NF,    P_SAVE_A1, P_SAVE_B,
                        P_SAVE_ALL),
    },
    "tasks:plan_household": {
        "GET":      row(LOGIN,   P_READ_A, P_DENY_A, NF,    P_READ_A1, P_READ_B,
                        P_READ_ALL),
        "POST":     row(LOGIN,   P_SAVE_A, P_DENY_A, NF,    P_SAVE_A1, P_SAVE_B,
                        P_SAVE_ALL),
    },
    # The village hands its plan in; the officer only receives it.
    "tasks:plan_submit": {
        "GET":      row(LOGIN,   NA,      NA,      NA,      NA,      NA,      NA),
        "POST":     row(LOGIN,   P_DENY_A, P_DENY_A, NF,    P_SAVE_A1, P_DENY_B,
                        P_SAVE_ALL),
    },
    "tasks:plan_decide": {
        "GET":      row(LOGIN,   NA,      NA,      NA,      NA,      NA,      NA),
        "POST":     row(LOGIN,   P_SAVE_A, P_DENY_A, NF,    P_DENY_A1, P_SAVE_B,
                        P_SAVE_ALL),
    },
    "tasks:plan_reopen": {
        "GET":      row(LOGIN,   NA,      NA,      NA,      NA,      NA,      NA),
        "POST":     row(LOGIN,   P_SAVE_A, P_DENY_A, NF,    P_DENY_A1, P_SAVE_B,
                        P_SAVE_ALL),
    },
}
# fmt: on

TASK_URLS = {
    "tasks:detail",
    "tasks:start",
    "tasks:submit",
    "tasks:decide",
    "tasks:attachment",
}
PLAN_URLS = {
    "tasks:plan_detail",
    "tasks:plan_edit",
    "tasks:plan_household",
    "tasks:plan_submit",
    "tasks:plan_decide",
    "tasks:plan_reopen",
}
YEAR_URL_ARGS: dict[str, list[object]] = {
    "tasks:calendar": [YEAR],
    "tasks:reporting_calendar_create": [YEAR],
}


# --- The world: units, tasks, households, plans -------------------------------------


@dataclass
class World:
    tasks: dict[str, Task]
    members: dict[str, User]  # who acts for each task's unit
    plans: dict[str, VillagePlan]
    households: dict[str, Household]  # each plan's poor household
    village_a1: Village
    village_a2: Village
    village_b1: Village
    village_a3: Village  # commune A's village without a plan
    admin: User  # who prepares the plans' states


def poor(village: Village, code: str, head: str) -> Household:
    """Registered long ago, poor at the start of this year."""
    household = make_household(village, code, head, registered_on=LONG_AGO)
    make_review(household, deprived=POOR, on=date(YEAR - 1, 11, 20))
    return household


@pytest.fixture
def world(
    settings: Any,
    tmp_path: Path,
    officer: User,
    chairman: User,
    sector: User,
    head_a1: User,
    head_a2: User,
    outsider: User,
    admin: User,
    village_a1: Village,
    village_a2: Village,
    village_b1: Village,
) -> World:
    settings.MEDIA_ROOT = tmp_path
    commune_a, commune_b = village_a1.commune, village_b1.commune
    units: dict[str, Unit] = {
        "task_sector": make_unit(
            commune_a, "tram-y-te", "Trạm Y tế xã", sector, kind=UnitKind.INSTITUTION
        ),
        "task_a1": make_unit(
            commune_a,
            "lang-chieng",
            "Làng Chiềng",
            head_a1,
            kind=UnitKind.VILLAGE,
            village=village_a1,
        ),
        "task_a2": make_unit(
            commune_a,
            "lang-bot",
            "Làng Bột",
            head_a2,
            kind=UnitKind.VILLAGE,
            village=village_a2,
        ),
        "task_b": make_unit(commune_b, "ldtbxh", "Công chức LĐ-TB&XH", outsider),
    }
    return World(
        tasks={
            name: make_task(unit, TITLES[name], due=DUE) for name, unit in units.items()
        },
        members={
            "task_sector": sector,
            "task_a1": head_a1,
            "task_a2": head_a2,
            "task_b": outsider,
        },
        plans={},
        households={},
        village_a1=village_a1,
        village_a2=village_a2,
        village_b1=village_b1,
        village_a3=Village.objects.create(
            commune=commune_a, name="Làng Khô", position=3
        ),
        admin=admin,
    )


def open_plans(world: World) -> None:
    """This year's plans of villages A1, A2 and B1, each with one poor household
    whose row is complete (so the plan can be submitted). Only the plan pages need
    them: the task pages run without."""
    if world.plans:
        return
    world.households = {
        "plan_a1": poor(world.village_a1, "CN-01-0001", "Bùi Văn Hùng"),
        "plan_a2": poor(world.village_a2, "CN-02-0001", "Quách Thị Lan"),
        "plan_b": poor(world.village_b1, "MT-01-0001", "Hà Văn Sơn"),
    }
    for name, household in world.households.items():
        plan = plan_actions.open_plan(household.village, YEAR, by=world.admin)
        assert plan.households.count() == 1
        plan.households.update(
            causes=["capital"], solutions=["credit"], helper="Chi hội Phụ nữ"
        )
        world.plans[name] = plan


def submitted_with_a_file(world: World, name: str) -> Submission:
    """The task handed in by its unit's member, with one PDF: pending."""
    return actions.submit_task(
        world.tasks[name],
        by=world.members[name],
        note="Đã tổng hợp xong.",
        figures=[],
        files=[
            SimpleUploadedFile("bao-cao.pdf", PDF_BYTES, content_type="application/pdf")
        ],
    )


def target_of(world: World, url_name: str, name: str | None) -> Any:
    """The object the URL is about, brought to the state its step needs."""
    if name is None:
        return None
    if name in world.plans:
        plan = world.plans[name]
        if url_name in ("tasks:plan_decide", "tasks:plan_reopen"):
            plan_actions.submit_plan(plan, by=world.admin)
        if url_name == "tasks:plan_reopen":
            plan_actions.approve_plan(plan, by=world.admin, comment="Đạt.")
        plan.refresh_from_db()
        return plan
    task = world.tasks[name]
    if url_name == "tasks:decide":
        return submitted_with_a_file(world, name)
    if url_name == "tasks:attachment":
        return submitted_with_a_file(world, name).attachments.get()
    return task


def url_args(world: World, url_name: str, name: str | None, target: Any) -> list[Any]:
    if url_name == "tasks:plan_household":
        return [target.pk, world.households[name].pk]  # type: ignore[index]
    if target is not None:
        return [target.pk]
    return YEAR_URL_ARGS.get(url_name, [])


# --- What a POST sends, and what a successful one changes -------------------------

NOTE = "Đã tổng hợp, gửi UBND xã."
SUMMARY = "Tuyên truyền, vận động Quỹ Vì người nghèo của thôn."
SOLUTION = "Nuôi 2 con bò sinh sản"

PostData = Callable[[World], dict[str, Any]]
POST_DATA: dict[str, PostData] = {
    "tasks:start": lambda world: {},
    "tasks:reporting_calendar_create": lambda world: {},
    "tasks:submit": lambda world: {"note": NOTE},
    "tasks:decide": lambda world: {
        "decision": Decision.APPROVED,
        "comment": "Đạt yêu cầu.",
    },
    "tasks:plan_list": lambda world: {"village": str(world.village_a3.pk)},
    "tasks:plan_edit": lambda world: {"summary": SUMMARY},
    "tasks:plan_household": lambda world: {
        "causes": ["capital", "knowledge"],
        "solutions": ["credit"],
        "solution_note": SOLUTION,
        "resource_amount": "50.000.000",
        "resource_in_kind": "",
        "resource_source": "NHCSXH",
        "helper_groups": ["Chi hội Phụ nữ"],
        "helper_person": "Bùi Văn Thắng",
        "expected_escape": "on",
    },
    "tasks:plan_submit": lambda world: {},
    "tasks:plan_decide": lambda world: {"decision": "approve", "comment": "Đạt."},
    "tasks:plan_reopen": lambda world: {"comment": "Bổ sung hộ mới nghèo."},
}


def task_status(task: Task) -> str:
    return Task.objects.get(pk=task.pk).status


def plan_status(plan: VillagePlan) -> str:
    return VillagePlan.objects.get(pk=plan.pk).status


def decided(submission: Submission) -> bool:
    submission.refresh_from_db()
    return (
        submission.decision == Decision.APPROVED
        and task_status(submission.task) == TaskStatus.APPROVED
    )


def household_row(world: World, plan: VillagePlan, name: str) -> HouseholdPlan:
    return HouseholdPlan.objects.get(plan=plan, household=world.households[name])


# (world, object name, object) -> the write happened.
EFFECTS: dict[str, Callable[[World, Any, Any], bool]] = {
    "tasks:reporting_calendar_create": lambda w, n, _: (
        Task.objects.filter(source=REPORTING_SOURCE, year=YEAR).count()
        == len(reporting_deadlines(YEAR))
    ),
    "tasks:start": lambda w, n, task: task_status(task) == TaskStatus.IN_PROGRESS,
    "tasks:submit": lambda w, n, task: (
        task_status(task) == TaskStatus.SUBMITTED
        and list(task.submissions.values_list("note", flat=True)) == [NOTE]
    ),
    "tasks:decide": lambda w, n, submission: decided(submission),
    "tasks:plan_list": lambda w, n, _: VillagePlan.objects.filter(
        village=w.village_a3, year=YEAR
    ).exists(),
    "tasks:plan_edit": lambda w, n, plan: (
        VillagePlan.objects.get(pk=plan.pk).summary == SUMMARY
    ),
    "tasks:plan_household": lambda w, n, plan: (
        household_row(w, plan, n).solution_note == SOLUTION
    ),
    "tasks:plan_submit": lambda w, n, plan: plan_status(plan) == PlanStatus.SUBMITTED,
    "tasks:plan_decide": lambda w, n, plan: plan_status(plan) == PlanStatus.APPROVED,
    "tasks:plan_reopen": lambda w, n, plan: plan_status(plan) == PlanStatus.RETURNED,
}


# --- The matrix --------------------------------------------------------------------


def objects_of(url_name: str) -> tuple[str, ...] | None:
    if url_name in TASK_URLS:
        return TASKS
    if url_name in PLAN_URLS:
        return PLANS
    return None


def matrix_cases() -> Iterator[Any]:
    for url_name, methods in TASK_POLICY.items():
        names = objects_of(url_name)
        for method, cells in methods.items():
            for role, cell in with_province(cells, url_name, method).items():
                if names is None:
                    assert isinstance(cell, Outcome), url_name
                    yield pytest.param(
                        url_name,
                        method,
                        role,
                        None,
                        cell,
                        id=f"{url_name}-{method}-{role}",
                    )
                    continue
                for name in names:
                    outcome = cell[name] if isinstance(cell, dict) else cell
                    yield pytest.param(
                        url_name,
                        method,
                        role,
                        name,
                        outcome,
                        id=f"{url_name}-{method}-{role}-{name}",
                    )


def expected_location(
    location: str, path: str, world: World, url_name: str, name: str | None
) -> str:
    if location == "login?next":
        return f"{reverse('login')}?next={quote(path)}"
    if location == "task":
        assert name in world.tasks, name
        return world.tasks[name].get_absolute_url()
    if location == "plan":
        assert name in world.plans, name
        url = world.plans[name].get_absolute_url()
        if url_name == "tasks:plan_household":
            url += f"#ho-{world.households[name].pk}"
        return url
    if location == "own plan":
        return world.plans["plan_a1"].get_absolute_url()
    if location == "new plan":
        plan = VillagePlan.objects.get(village=world.village_a3, year=YEAR)
        return plan.get_absolute_url()
    if location == "plan list":
        return f"{reverse('tasks:plan_list')}?nam={YEAR}"
    if location == "calendar":
        return reverse("tasks:calendar", args=[YEAR])
    raise AssertionError(f"unknown location {location!r}")


def assert_download(response: Any) -> None:
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="bao-cao.pdf"'
    assert b"".join(response.streaming_content) == PDF_BYTES


@pytest.mark.parametrize(
    ("url_name", "method", "role", "name", "expected"), list(matrix_cases())
)
def test_task_url_matrix(
    db: None,  # asked for here: a first `getfixturevalue("db")` skips the test DB
    client: Client,
    request: pytest.FixtureRequest,
    world: World,
    url_name: str,
    method: str,
    role: str,
    name: str | None,
    expected: Outcome,
) -> None:
    log_in(client, request, role)
    if url_name.startswith("tasks:plan_"):
        open_plans(world)
    target = target_of(world, url_name, name)
    path = reverse(url_name, args=url_args(world, url_name, name, target))
    data = POST_DATA[url_name](world) if method == "POST" else {}
    before = database_state()

    response = client.get(path) if method == "GET" else client.post(path, data)

    assert response.status_code == expected.status, response.content.decode()[:2000]
    if expected.location is not None:
        assert response.url == expected_location(
            expected.location, path, world, url_name, name
        )
    if expected.status == 403:
        assert "Không có quyền" in response.content.decode()
    if expected.status == 404:
        assert "Không tìm thấy" in response.content.decode()
    if url_name == "tasks:attachment" and expected.status == 200:
        assert_download(response)
    if expected.writes:
        assert EFFECTS[url_name](world, name, target)
    else:
        assert database_state() == before


def test_every_post_row_has_its_data_and_every_write_its_effect() -> None:
    for url_name, methods in TASK_POLICY.items():
        if "POST" in methods:
            assert url_name in POST_DATA, url_name
        cells = [c for cells in methods.values() for c in cells.values()]
        outcomes = [
            o for c in cells for o in (c.values() if isinstance(c, dict) else [c])
        ]
        if any(o.writes for o in outcomes):
            assert url_name in EFFECTS, url_name


def test_policy_rows_name_every_role_and_every_object() -> None:
    for url_name, methods in TASK_POLICY.items():
        names = objects_of(url_name)
        for cells in methods.values():
            assert tuple(cells) == ROLES, url_name
            for cell in cells.values():
                if isinstance(cell, dict):
                    assert names is not None and tuple(cell) == names, url_name


# --- The lists: only the tasks in scope --------------------------------------------

# mine: the tasks of one's units; calendar and board: every task one may read.
MINE = {
    "officer": set(),
    "chairman": set(),
    "sector": {"task_sector"},
    "head_a1": {"task_a1"},
    "outsider": {"task_b"},
    "admin": set(),
}
READABLE = {
    "officer": {"task_sector", "task_a1", "task_a2"},
    "chairman": {"task_sector", "task_a1", "task_a2"},
    "sector": {"task_sector"},
    "head_a1": {"task_a1"},
    "outsider": {"task_b"},
    "admin": set(TASKS),
}


def list_cases() -> Iterator[Any]:
    for role, shown in MINE.items():
        yield pytest.param("tasks:mine", [], role, shown, id=f"mine-{role}")
    for role, shown in READABLE.items():
        yield pytest.param("tasks:calendar", [YEAR], role, shown, id=f"calendar-{role}")
        if role in ("officer", "chairman", "outsider", "admin"):
            yield pytest.param("tasks:board", [], role, shown, id=f"board-{role}")


@pytest.mark.parametrize(("url_name", "args", "role", "shown"), list(list_cases()))
def test_task_lists_show_only_the_tasks_in_scope(
    client: Client,
    request: pytest.FixtureRequest,
    world: World,
    url_name: str,
    args: list[object],
    role: str,
    shown: set[str],
) -> None:
    log_in(client, request, role)

    response = client.get(reverse(url_name, args=args))

    assert response.status_code == 200
    page = response.content.decode()
    assert {name for name, title in TITLES.items() if title in page} == shown


def test_plan_list_of_the_officer_shows_the_villages_of_own_commune_only(
    client: Client, world: World, officer: User
) -> None:
    open_plans(world)
    client.force_login(officer)

    page = client.get(reverse("tasks:plan_list")).content.decode()

    assert "Làng Chiềng" in page
    assert "Làng Bột" in page
    assert "Làng Mốc" not in page


def test_attachment_of_another_commune_is_404_even_with_its_file_on_disk(
    client: Client, world: World, officer: User
) -> None:
    attachment: Attachment = target_of(world, "tasks:attachment", "task_b")
    assert Path(attachment.file.path).exists()
    client.force_login(officer)

    response = client.get(reverse("tasks:attachment", args=[attachment.pk]))

    assert response.status_code == 404


def test_chairman_opening_a_plan_writes_nothing_when_a_household_joined_the_list(
    client: Client, world: World, chairman: User
) -> None:
    """Bug: a household poor at the start of the year and without a row gets one when
    the chairman (read-only) opens the plan, with the chairman in its history."""
    open_plans(world)
    plan = world.plans["plan_a1"]
    poor(world.village_a1, "CN-01-0009", "Bùi Văn Mới")
    client.force_login(chairman)
    before = database_state()

    response = client.get(reverse("tasks:plan_detail", args=[plan.pk]))

    assert response.status_code == 200
    assert database_state() == before
