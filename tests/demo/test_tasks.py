"""The demo's units, 2024 tasks and village plans (`manage.py seed_demo`, tasks part).

Seeded once per module, as in tests/demo/test_targets_2024.py, inside a transaction
that is rolled back when the module is done.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from demo import register
from demo import targets as demo_targets
from demo import tasks as demo_tasks
from demo.plan_2024 import DUTIES, VILLAGES
from giamngheo.models import User
from households.models import Commune, Household, Village
from households.poverty import PovertyStatus
from targets.measurement import service_progress
from targets.models import PovertyTarget, Recipient, ServiceTarget, VillageAllocation
from tasks.models import (
    DONE_STATUSES,
    Decision,
    DeliverableKind,
    EventKind,
    HouseholdPlan,
    PlanStatus,
    PovertyCause,
    Submission,
    SubmissionFigure,
    SupportLine,
    Task,
    TaskEvent,
    TaskStatus,
    Unit,
    UnitKind,
    VillagePlan,
)
from tasks.reminders import send_deadline_reminders
from tests.demo_seed import demo_seeded, on_demo_working_date  # noqa: F401
from tests.reports.test_september import _pdf_text

pytestmark = pytest.mark.usefixtures("on_demo_working_date")

START = date(2023, 12, 31)
PARTIES = (
    "ldtbxh",
    "dcnn",
    "vhtt",
    "vptk",
    "nha_truong",
    "tram_y_te",
    "dcxd",
    "tpht",
    "ktns",
    "ctxh",
    "mttq",
    "all_units",
)
THROUGH_2024 = date(2025, 1, 1)
VILLAGE_PLANS_DUE = date(2024, 3, 15)
TO_COMMUNE = date(2024, 9, 25)
TO_DISTRICT = date(2024, 9, 30)
# The plan itself, transcribed with its diacritics (kept in docs/).
PLAN_TEXT = Path(django_settings.BASE_DIR) / "docs/ke-hoach-2024.vi.md"


def counts() -> dict[str, int]:
    return {
        "units": Unit.objects.count(),
        "members": Unit.members.through.objects.count(),
        "tasks": Task.objects.count(),
        "task_history": Task.history.count(),
        "submissions": Submission.objects.count(),
        "figures": SubmissionFigure.objects.count(),
        "events": TaskEvent.objects.count(),
        "plans": VillagePlan.objects.count(),
        "household_plans": HouseholdPlan.objects.count(),
    }


@pytest.fixture(scope="module")
def seeded(
    django_db_setup: None, django_db_blocker: object
) -> Iterator[demo_tasks.TasksResult]:
    with demo_seeded(
        django_db_blocker,
        register.seed_demo,
        register.seed_review_round_2024,
        demo_targets.seed_targets_2024,
        demo_tasks.seed_tasks_2024,
    ) as results:
        yield results[3]


@pytest.fixture
def commune(seeded: demo_tasks.TasksResult, db: None) -> Commune:
    return Commune.objects.get(code=register.COMMUNE_CODE)


@pytest.fixture
def villages(commune: Commune) -> list[Village]:
    return list(commune.villages.order_by("position"))


@pytest.fixture
def tasks(commune: Commune) -> list[Task]:
    return list(
        Task.objects.filter(commune=commune, year=2024)
        .select_related("unit", "poverty_target")
        .prefetch_related("service_targets")
    )


@pytest.fixture
def plans(commune: Commune) -> dict[str, VillagePlan]:
    return {
        p.village.name: p
        for p in VillagePlan.objects.filter(village__commune=commune, year=2024)
        .select_related("village", "task")
        .prefetch_related("households")
    }


def codes(task: Task) -> set[str]:
    return {t.code for t in task.service_targets.all()}


def today() -> date:
    # After the year: whatever was not handed in by then is overdue.
    return date(2025, 1, 2)


def test_seeding_created_units_tasks_and_plans(
    seeded: demo_tasks.TasksResult,
) -> None:
    assert seeded.created
    assert seeded.units == 23  # 12 parties and 11 villages
    assert seeded.tasks == 68 + 8 * 11  # c.1–c.13; the 8 village duties per village
    assert seeded.household_plans > 50
    assert seeded.seconds < 5


def test_every_party_of_the_plan_has_tasks(
    commune: Commune, villages: list[Village], tasks: list[Task]
) -> None:
    per_unit = Counter(t.unit.slug for t in tasks)
    slugs = [*PARTIES, *(f"thon-{v.position}" for v in villages)]
    assert set(per_unit) == set(slugs)
    assert all(per_unit[slug] >= 1 for slug in slugs)
    assert per_unit["ldtbxh"] == 14 and per_unit["dcnn"] == 9
    assert all(per_unit[f"thon-{v.position}"] == 8 for v in villages)
    units = {u.slug: u for u in Unit.objects.filter(commune=commune)}
    assert units["all_units"].kind == UnitKind.COLLECTIVE
    assert units["nha_truong"].kind == UnitKind.INSTITUTION
    assert units["mttq"].kind == UnitKind.ORGANISATION
    for village in villages:
        unit = units[f"thon-{village.position}"]
        assert (unit.kind, unit.village, unit.name) == (
            UnitKind.VILLAGE,
            village,
            village.name,
        )


def test_demo_users_act_for_their_units(commune: Commune) -> None:
    members = {
        u.slug: sorted(m.username for m in u.members.all())
        for u in Unit.objects.filter(commune=commune).prefetch_related("members")
    }
    assert members["ldtbxh"] == ["canbo"]
    assert members["dcnn"] == ["diachinh_nn"]
    assert members["nha_truong"] == ["truonghoc"]
    assert members["tram_y_te"] == ["tramyte"]
    assert members["ctxh"] == ["doanthe"]
    assert members["mttq"] == ["mattran"]
    assert members["thon-5"] == ["truongthon5"]
    assert members["all_units"] == sorted(demo_tasks.OFFICER_USERNAMES)


def test_every_duty_of_the_plan_is_a_task(
    tasks: list[Task], villages: list[Village]
) -> None:
    for duty in DUTIES:
        matching = [
            t
            for t in tasks
            if t.duty_text == duty.duty_text
            and (t.unit.slug == duty.unit or duty.unit == VILLAGES)
        ]
        if duty.unit == VILLAGES:
            assert sorted(t.unit.slug for t in matching) == sorted(
                f"thon-{v.position}" for v in villages
            ), duty.title
        else:
            assert [t.unit.slug for t in matching] == [duty.unit], duty.title
        for task in matching:
            assert (task.source, task.kind, task.recipient) == (
                duty.source,
                duty.kind,
                duty.recipient,
            )
            assert task.title.startswith(duty.title)


def test_duty_texts_quote_the_plan() -> None:
    text = PLAN_TEXT.read_text(encoding="utf-8")
    text = re.sub(r"\s*\[(sic|\?)\]", "", text)  # the transcriber's marks
    text = re.sub(r"\[\^[^\]]+\]", "", text)
    text = re.sub(r"\s+", " ", text.replace("**", ""))
    for duty in DUTIES:
        for part in duty.duty_text.split(" … "):
            assert part in text, duty.title


def test_each_village_plan_is_due_before_15_03_2024(
    tasks: list[Task], villages: list[Village], commune: Commune
) -> None:
    due = [t for t in tasks if t.due_before == VILLAGE_PLANS_DUE]
    assert sorted(t.unit.slug for t in due) == sorted(
        f"thon-{v.position}" for v in villages
    )
    target = PovertyTarget.objects.get(commune=commune, year=2024)
    for task in due:
        assert task.kind == DeliverableKind.PLAN
        assert task.deadline_text == "xong trước ngày 15/03/2024"
        assert task.recipient == Recipient.LDTBXH
        assert task.poverty_target == target
        assert task.last_on_time_day == date(2024, 3, 14)


def test_four_sector_reports_are_due_before_25_09_2024_to_ubnd_xa(
    tasks: list[Task],
) -> None:
    due = {t.unit.slug: t for t in tasks if t.due_before == TO_COMMUNE}
    assert {slug: codes(t) for slug, t in due.items()} == {
        "nha_truong": {"1"},
        "tram_y_te": {"3"},
        "dcxd": {"4a", "4b"},
        "vhtt": {"6"},
    }
    for task in due.values():
        assert (task.kind, task.recipient) == (
            DeliverableKind.REPORT,
            Recipient.UBND_XA,
        )
        assert "25/9/2024" in task.deadline_text


def test_the_water_and_latrine_report_is_due_before_30_09_2024_to_ubnd_huyen(
    tasks: list[Task],
) -> None:
    [task] = [t for t in tasks if t.due_before == TO_DISTRICT]
    assert (task.unit.slug, task.recipient, task.kind) == (
        "dcnn",
        Recipient.UBND_HUYEN,
        DeliverableKind.REPORT,
    )
    assert codes(task) == {"2", "5"}
    assert task.deadline_text == "trước 30/9/2024"


def test_undated_duties_run_until_31_12_2024(tasks: list[Task]) -> None:
    dated = {VILLAGE_PLANS_DUE, TO_COMMUNE, TO_DISTRICT}
    undated = [t for t in tasks if t.due_before not in dated]
    assert len(undated) == len(tasks) - 11 - 4 - 1
    for task in undated:
        assert task.due_before == THROUGH_2024
        assert task.last_on_time_day == date(2024, 12, 31)
        assert task.deadline_text == "Trong năm 2024 (đến 31/12/2024)"
        assert not codes(task)


def test_the_board_mixes_approved_submitted_and_overdue_tasks(
    tasks: list[Task], commune: Commune
) -> None:
    statuses = Counter(t.status for t in tasks)
    assert 0.28 <= statuses[TaskStatus.APPROVED] / len(tasks) <= 0.4
    assert statuses[TaskStatus.SUBMITTED] >= 8
    assert statuses[TaskStatus.RETURNED] == 1
    assert statuses[TaskStatus.IN_PROGRESS] >= 8
    assert statuses[TaskStatus.NOT_STARTED] >= 30
    overdue = Task.objects.filter(commune=commune).overdue(today())
    assert overdue.count() == sum(1 for t in tasks if t.status not in DONE_STATUSES)
    assert set(overdue.values_list("status", flat=True)) == {
        TaskStatus.NOT_STARTED,
        TaskStatus.IN_PROGRESS,
        TaskStatus.RETURNED,
    }


def test_the_september_reports(tasks: list[Task]) -> None:
    reports = {
        t.unit.slug: t for t in tasks if t.due_before in (TO_COMMUNE, TO_DISTRICT)
    }
    for slug in ("dcxd", "vhtt"):  # housing, information: approved, on time
        task = reports[slug]
        [submission] = task.submissions.all()
        assert task.status == TaskStatus.APPROVED
        assert submission.decision == Decision.APPROVED and not submission.late
    education = reports["nha_truong"]
    [submission] = education.submissions.all()
    assert education.status == TaskStatus.SUBMITTED
    assert timezone.localdate(submission.submitted_at) == date(2024, 9, 27)
    assert submission.late and submission.decision == Decision.PENDING
    health = reports["tram_y_te"]
    latest, first = health.submissions.all()  # newest first
    assert health.status == TaskStatus.SUBMITTED
    assert first.decision == Decision.RETURNED and first.comment
    assert latest.decision == Decision.PENDING and not latest.late
    water = reports["dcnn"]
    assert water.status == TaskStatus.IN_PROGRESS
    assert not water.submissions.exists()
    assert not water.is_overdue(date(2024, 9, 29))
    assert water.is_overdue(date(2024, 9, 30))


def test_report_figures_are_the_live_values(
    tasks: list[Task], commune: Commune, villages: list[Village]
) -> None:
    # Read as of the report's deadline, or the day handed in if that was earlier.
    households = Household.objects.filter(commune=commune)
    targets = {t.code: t for t in ServiceTarget.objects.filter(commune=commune)}
    submissions = Submission.objects.filter(task__in=[t for t in tasks if codes(t)])
    assert submissions.count() == 5  # housing, information, education, health × 2
    for submission in submissions.prefetch_related("figures__service_target"):
        figures = {f.service_target.code: f for f in submission.figures.all()}
        assert set(figures) == codes(submission.task)
        on = min(
            submission.task.last_on_time_day,
            timezone.localdate(submission.submitted_at),
        )
        for code, figure in figures.items():
            live = service_progress(targets[code], households, villages, on=on)
            assert (figure.live_ok, figure.live_total) == (
                live.commune.ok,
                live.commune.total,
            )
            if submission.decision == Decision.RETURNED:
                assert figure.differs and figure.reason
            else:
                assert not figure.differs and not figure.reason


def test_every_task_has_a_history_that_fits_its_status(tasks: list[Task]) -> None:
    for task in tasks:
        kinds = [e.kind for e in sorted(task.events.all(), key=lambda e: (e.at, e.pk))]
        submissions = list(task.submissions.all())
        assert kinds[0] == EventKind.CREATED
        if task.status == TaskStatus.NOT_STARTED:
            assert kinds == [EventKind.CREATED] and not submissions
        elif task.status == TaskStatus.IN_PROGRESS:
            assert kinds == [EventKind.CREATED, EventKind.STARTED]
            assert not submissions
        else:
            assert kinds[1] == EventKind.STARTED
            latest = submissions[0]
            expected = {
                TaskStatus.APPROVED: Decision.APPROVED,
                TaskStatus.SUBMITTED: Decision.PENDING,
                TaskStatus.RETURNED: Decision.RETURNED,
            }[TaskStatus(task.status)]
            assert latest.decision == expected, task.title
            assert (
                kinds[-1]
                == {
                    Decision.APPROVED: EventKind.APPROVED,
                    Decision.PENDING: EventKind.SUBMITTED,
                    Decision.RETURNED: EventKind.RETURNED,
                }[expected]
            )
            if latest.decision != Decision.PENDING:
                assert latest.decided_by is not None
                assert latest.decided_at is not None
                assert latest.decided_at > latest.submitted_at
                assert latest.decided_by not in task.unit.members.all()
        ordered = sorted(task.events.all(), key=lambda e: e.pk)
        assert [e.at for e in ordered] == sorted(e.at for e in ordered)
        assert all(e.at.year in (2024, 2025) for e in ordered)


def test_village_plans_are_in_the_designed_states(
    plans: dict[str, VillagePlan],
) -> None:
    on_time = [
        "Làng Mới",
        "Thôn Quang Thịnh",
        "Làng Chiềng",
        "Thôn Lập Thành",
        "Làng Đồng Chạ",
        "Thôn Tân Lập",
    ]
    for name in on_time:
        plan = plans[name]
        assert plan.status == PlanStatus.APPROVED and not plan.late, name
        assert plan.submitted_at is not None
        assert (
            date(2024, 3, 1)
            <= timezone.localdate(plan.submitted_at)
            <= date(2024, 3, 10)
        )
        assert plan.approved_by is not None and plan.approved_at is not None
    late = {
        name: timezone.localdate(plans[name].submitted_at)  # type: ignore[arg-type]
        for name in ("Làng Ngọc Sơn", "Làng Mốc")
    }
    assert late == {"Làng Ngọc Sơn": date(2024, 3, 18), "Làng Mốc": date(2024, 3, 22)}
    assert all(plans[n].late and plans[n].status == PlanStatus.APPROVED for n in late)
    returned = plans["Làng Bột"]
    assert returned.status == PlanStatus.RETURNED
    assert "chưa phân công" in returned.officer_comment
    assert returned.approved_at is None
    assert plans["Làng Trò"].status == PlanStatus.SUBMITTED
    draft = plans["Làng Cốc"]
    assert draft.status == PlanStatus.DRAFT and draft.submitted_at is None
    assert all(p.due_before == VILLAGE_PLANS_DUE for p in plans.values())
    assert Counter(p.status for p in plans.values()) == {
        PlanStatus.APPROVED: 8,
        PlanStatus.SUBMITTED: 1,
        PlanStatus.RETURNED: 1,
        PlanStatus.DRAFT: 1,
    }


def test_task_status_follows_the_plan_status(plans: dict[str, VillagePlan]) -> None:
    expected = {
        PlanStatus.APPROVED: TaskStatus.APPROVED,
        PlanStatus.SUBMITTED: TaskStatus.SUBMITTED,
        PlanStatus.RETURNED: TaskStatus.RETURNED,
        PlanStatus.DRAFT: TaskStatus.IN_PROGRESS,
    }
    for plan in plans.values():
        assert plan.task is not None
        assert plan.task.status == expected[PlanStatus(plan.status)], plan.village
        assert plan.task.unit.village_id == plan.village_id
        assert plan.task.due_before == plan.due_before
    returned = plans["Làng Bột"].task
    assert returned is not None
    assert returned.submissions.get().comment == plans["Làng Bột"].officer_comment


def test_household_plans_cover_every_poor_household(
    plans: dict[str, VillagePlan], commune: Commune
) -> None:
    poor_at_start = (
        Household.objects.filter(commune=commune)
        .present_on(START)
        .with_status_on(START)
        .with_status(PovertyStatus.POOR)
    )
    for plan in plans.values():
        poor = set(
            poor_at_start.filter(village=plan.village).values_list("pk", flat=True)
        )
        listed = {h.household_id for h in plan.households.all()}
        if plan.status == PlanStatus.DRAFT:
            assert listed and listed < poor
        else:
            assert listed == poor, plan.village


def test_reviews_carry_the_causes_their_village_plan_wrote(
    plans: dict[str, VillagePlan],
) -> None:
    """Report 10 reads the causes from the reviews: where a village wrote a plan for
    a household, its poor and near-poor reviews of 2023–2024 carry the plan's causes;
    every other poor or near-poor review has causes of its own."""
    from households.models import Review

    planned = {
        row.household_id: row.causes
        for plan in plans.values()
        for row in plan.households.all()
    }
    reviews = Review.objects.filter(
        household__commune=next(iter(plans.values())).village.commune,
        status__in=[PovertyStatus.POOR, PovertyStatus.NEAR_POOR],
    )
    assert reviews.exists()
    for review in reviews:
        assert review.poverty_causes, review
        assert set(review.poverty_causes) <= set(PovertyCause.values)
        if review.household_id in planned and review.review_date.year in (2023, 2024):
            assert review.poverty_causes == planned[review.household_id]


def test_household_plans_are_plausible(plans: dict[str, VillagePlan]) -> None:
    without_helper = 0
    for plan in plans.values():
        for row in plan.households.all():
            assert 1 <= len(row.causes) <= 3
            assert set(row.causes) <= set(PovertyCause.values)
            assert 1 <= len(row.solutions) <= 2
            assert set(row.solutions) <= set(SupportLine.values)
            assert row.solution_note
            if row.helper:
                assert row.resource_source
                if row.resource_amount is not None:
                    assert 5_000_000 <= row.resource_amount <= 30_000_000
            else:
                without_helper += 1
                assert plan.village.name == "Làng Bột"
    assert without_helper == 3


def test_the_lists_of_expected_escapes_match_the_targets(
    plans: dict[str, VillagePlan], commune: Commune
) -> None:
    reductions = {
        a.village.name: a.poor_reduction
        for a in VillageAllocation.objects.filter(
            target__commune=commune, target__year=2024
        ).select_related("village")
    }
    short = []
    for name, plan in plans.items():
        if plan.status == PlanStatus.DRAFT:
            continue
        expected = sum(row.expected_escape for row in plan.households.all())
        assert abs(expected - reductions[name]) <= 1, name
        if expected < reductions[name]:
            short.append(name)
    assert short == ["Làng Trò"]  # the case for the "shorter than the target" warning


def test_no_demo_account_has_an_email_so_reminders_skip_them(
    commune: Commune,
) -> None:
    run = send_deadline_reminders(on=today(), dry_run=True)
    assert run.sent == []
    assert set(run.without_email.values()) >= set(
        User.objects.filter(units__slug="ldtbxh", units__commune=commune)
    )


def test_seeding_twice_changes_nothing(commune: Commune, settings: object) -> None:
    settings.DEMO_MODE = True  # type: ignore[attr-defined]
    before = counts()
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert out.getvalue().count("không thay đổi gì") == 4
    assert "Nhiệm vụ năm 2024 của xã Cao Ngọc đã được nạp từ trước" in out.getvalue()
    assert demo_tasks.seed_tasks_2024().created is False
    assert counts() == before


def test_the_reporting_calendar_of_2024_is_played_to_the_working_date(
    commune: Commune, settings: object
) -> None:
    from tasks.reporting_calendar import SOURCE

    settings.DEMO_MODE = True  # type: ignore[attr-defined]
    assert demo_tasks.seed_reporting_calendar_2024() == 10
    assert demo_tasks.seed_reporting_calendar_2024() == 0  # once
    calendar = Task.objects.filter(commune=commune, year=2024, source=SOURCE)
    assert {t.unit.slug for t in calendar} == {"ldtbxh"}
    statuses = Counter(t.status for t in calendar)
    assert statuses == {TaskStatus.APPROVED: 9, TaskStatus.IN_PROGRESS: 1}
    # The official result is due 20/12, the working date itself: not late.
    assert not calendar.overdue(register.WORKING_DATE).exists()
    for task in calendar.filter(status=TaskStatus.APPROVED):
        submission = task.submissions.get()
        assert submission.submitted_at.date() == task.last_on_time_day
    latest = TaskEvent.objects.filter(task__in=calendar).latest("at")
    assert timezone.localdate(latest.at) <= register.WORKING_DATE
    assert all(
        timezone.localdate(h.history_date) <= register.WORKING_DATE
        for t in calendar
        for h in t.history.all()
    )


def test_the_tasks_part_needs_demo_mode(settings: object) -> None:
    settings.DEMO_MODE = False  # type: ignore[attr-defined]
    with pytest.raises(register.DemoModeOffError):
        demo_tasks.seed_tasks_2024()


def test_on_its_working_date_the_demo_has_a_few_late_tasks_not_all(
    commune: Commune,
) -> None:
    tasks = Task.objects.filter(commune=commune)
    overdue = tasks.overdue(register.WORKING_DATE)
    open_tasks = [t for t in tasks if t.status not in DONE_STATUSES]

    assert 1 <= overdue.count() <= 10
    assert overdue.count() < len(open_tasks)
    titles = {t.title for t in overdue}
    assert any("nước" in t.lower() for t in titles)  # the water report, due 30/09


def test_nothing_in_the_demo_happens_after_its_working_date(commune: Commune) -> None:
    latest_event = TaskEvent.objects.filter(task__commune=commune).latest("at")
    latest_submission = Submission.objects.filter(task__commune=commune).latest(
        "submitted_at"
    )
    decided = Submission.objects.filter(
        task__commune=commune, decided_at__isnull=False
    ).latest("decided_at")

    assert timezone.localdate(latest_event.at) <= register.WORKING_DATE
    assert timezone.localdate(latest_submission.submitted_at) < register.WORKING_DATE
    assert decided.decided_at is not None
    assert timezone.localdate(decided.decided_at) < register.WORKING_DATE


# --- One forecast and one count on every page (issue 8, items 3 and 9) -------------


def _handed_in_figures(commune: Commune) -> tuple[int, int, int]:
    """(expected, target, shortfall) of the commune, counted here: the escapes listed
    by handed-in plans (submitted or approved) only, every village's target."""
    expected = HouseholdPlan.objects.filter(
        plan__village__commune=commune,
        plan__year=2024,
        plan__status__in=[PlanStatus.SUBMITTED, PlanStatus.APPROVED],
        expected_escape=True,
    ).count()
    target = sum(
        VillageAllocation.objects.filter(
            target__commune=commune, target__year=2024
        ).values_list("poor_reduction", flat=True)
    )
    return expected, target, target - expected


def test_demo_status_report_total_row_is_target_minus_forecast(
    commune: Commune, plans: dict[str, VillagePlan], client: Client, tmp_path: Path
) -> None:
    expected, target, shortfall = _handed_in_figures(commune)
    assert target == 24 and 0 < shortfall < target  # the demo falls short
    not_handed_in = [
        name
        for name, plan in plans.items()
        if plan.status not in (PlanStatus.SUBMITTED, PlanStatus.APPROVED)
    ]
    assert not_handed_in  # Làng Bột (returned), Làng Cốc (draft)
    client.force_login(User.objects.get(username="canbo"))
    url = reverse("reports:status", args=[2024])

    page = client.get(url).content.decode()
    total = page.split('<tr class="total">')[1].split("</tr>")[0]
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", total)
    assert cells[-3:] == [str(expected), str(target), str(shortfall)]

    text = _pdf_text(client.get(url, {"format": "pdf"}).content, tmp_path)
    assert f" {expected} {target} {shortfall} Đã nộp " in text

    book = openpyxl.load_workbook(
        io.BytesIO(client.get(url, {"format": "xlsx"}).content)
    )
    rows = list(book["Kế hoạch các thôn"].iter_rows(values_only=True))
    assert next(r for r in rows if r[1] == "Tổng cộng toàn xã")[7:10] == (
        expected,
        target,
        shortfall,
    )
    targets = dict(
        VillageAllocation.objects.filter(
            target__commune=commune, target__year=2024
        ).values_list("village__name", "poor_reduction")
    )
    for name in not_handed_in:  # no plan handed in: 0 expected, the whole target short
        row = next(r for r in rows if r[1] == name)
        assert row[7:10] == (0, targets[name], targets[name])


def _number(pattern: str, page: str) -> int:
    match = re.search(pattern, page)
    assert match, pattern
    return int(match.group(1))


def test_demo_plan_counts_are_the_same_on_every_page(
    commune: Commune, plans: dict[str, VillagePlan], client: Client
) -> None:
    villages = commune.villages.count()
    handed_in = sum(
        p.status in (PlanStatus.SUBMITTED, PlanStatus.APPROVED) for p in plans.values()
    )
    not_submitted = (
        villages
        - len(plans)
        + sum(p.status == PlanStatus.DRAFT for p in plans.values())
    )
    returned = sum(p.status == PlanStatus.RETURNED for p in plans.values())
    assert (villages, handed_in, not_submitted, returned) == (11, 9, 1, 1)
    client.force_login(User.objects.get(username="canbo"))

    dashboard = client.get(reverse("reports:dashboard"), {"nam": 2024})
    dashboard = dashboard.content.decode()
    plan_list = client.get(reverse("tasks:plan_list"), {"nam": 2024}).content.decode()
    status = client.get(reverse("reports:status", args=[2024])).content.decode()
    progress = client.get(reverse("targets:progress", args=[2024])).content.decode()

    assert _number(r"<dt>Chưa nộp</dt><dd>(\d+)", dashboard) == not_submitted
    assert _number(r"<strong>(\d+)</strong><span>chưa nộp", plan_list) == not_submitted
    assert _number(r"chưa nộp (\d+)</td>", status) == not_submitted
    assert _number(r"<dt>Đã nộp</dt><dd>(\d+)/11", dashboard) == handed_in
    assert _number(r"<strong>(\d+)/11</strong><span>thôn đã nộp", plan_list) == (
        handed_in
    )
    assert _number(r"Đã nộp (\d+)/11", status) == handed_in
    assert _number(r"theo kế hoạch của (\d+) thôn đã nộp", plan_list) == handed_in
    assert _number(r"theo kế hoạch của (\d+) thôn đã nộp", progress) == handed_in
    assert _number(r"<dt>Trả lại, chờ nộp lại</dt><dd>(\d+)", dashboard) == returned
    assert _number(r"<strong>(\d+)</strong><span>trả lại", plan_list) == returned
    assert _number(r"trả lại (\d+)", status) == returned
    # The forecast's shortfall: the same on the targets page and the plans page.
    shortfall = _handed_in_figures(commune)[2]
    assert f"còn thiếu {shortfall} hộ</span>" in progress
    assert f"còn thiếu {shortfall} hộ so với chỉ tiêu của xã" in plan_list
