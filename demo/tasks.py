"""The demo commune's units, 2024 tasks and village plans (`manage.py seed_demo`, after
demo.targets).

Every duty of §III.2 and §IV of the 2024 plan (demo/plan_2024.py) becomes a task of its
unit; the villages' duties become one task per village. The demo is looked at long after
2024; its pages run on the working date 20/12/2024 (demo.register.WORKING_DATE), and
nothing in the story happens after it. The year is played so that the board reads as
a commune near the end of its year:

- about a third of the tasks approved, some submitted and waiting, one returned, a few
  in progress, the rest not started;
- the September reports: housing and information approved on time, education handed in
  late (27/09), health returned for a wrong figure and handed in again, the water and
  latrine report to UBND huyện never handed in;
- the villages' plans (due before 15/03/2024): six approved on time, two approved after
  a late submission (18/03, 22/03), one returned, one waiting for approval and one
  still a draft: Làng Cốc, the village that misses its target at the end of the year.

One `random.Random(SEED)` drives every other choice, so seeding always gives the same
year. All or nothing, in one transaction.
"""

from __future__ import annotations

import random
import time as clock
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from demo.plan_2024 import DUTIES, VILLAGE_PLAN, VILLAGES, YEAR, Duty
from demo.register import (
    CAUSE_WEIGHTS,
    COMMUNE_CODE,
    COMMUNE_NAME,
    DISTRICT,
    WORKING_DATE,
    DemoSeedError,
    require_demo_mode,
)
from giamngheo.models import User
from households.models import Commune, Household, Review, Village
from households.poverty import PovertyStatus
from households.transitions import end_of, start_of
from targets.measurement import service_progress
from targets.models import PovertyTarget, ServiceTarget
from targets.progress import Measurement
from tasks.models import (
    Decision,
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
from tasks.reporting_calendar import SOURCE as CALENDAR_SOURCE
from tasks.reporting_calendar import create_reporting_tasks

SEED = 20240315
CHANGE_REASON = "Nạp dữ liệu mẫu nhiệm vụ năm 2024 (seed_demo)"
ASSIGNED_ON = date(2024, 1, 15)  # the plan's date is lost (extract §0): a plausible one
LAST_DAY_BEFORE_WORKING_DATE = WORKING_DATE - timedelta(days=1)
START = start_of(YEAR)  # 31/12/2023: the poor households the village plans cover
END = end_of(YEAR)

OFFICER = "canbo"
CHAIRMAN = "chutich"
OFFICER_USERNAMES = (
    "canbo",
    "diachinh_nn",
    "vanhoa",
    "vanphong",
    "diachinh_xd",
    "tuphap",
    "ketoan",
)


@dataclass(frozen=True)
class Issuer:
    """A unit as the issuer of its own reports (Nghị định 30/2020, Phụ lục I): the
    signer is the unit's first demo account."""

    name: str
    managing_body: str
    abbreviation: str
    signer_title: str


@dataclass(frozen=True)
class UnitLine:
    """A party of the plan (extract §c.0) and the demo accounts acting for it."""

    slug: str
    name: str
    kind: UnitKind
    usernames: tuple[str, ...]
    issuer: Issuer | None = None


# A commune civil servant reports to UBND xã as the person reporting, under UBND xã.
def _civil_servant(name: str, abbreviation: str) -> Issuer:
    return Issuer(name, f"UBND xã {COMMUNE_NAME}", abbreviation, "Người báo cáo")


UNIT_LINES: tuple[UnitLine, ...] = (
    UnitLine(
        "ldtbxh",
        "Công chức Lao động - Thương binh và Xã hội",
        UnitKind.OFFICER,
        ("canbo",),
    ),
    # Its report on water and latrines goes to UBND huyện: UBND xã issues it, and
    # the civil servant appears as the drafting unit ("Lưu: VT, ĐCNN.").
    UnitLine(
        "dcnn",
        "Công chức Địa chính - Nông nghiệp",
        UnitKind.OFFICER,
        ("diachinh_nn",),
        _civil_servant("Công chức Địa chính - Nông nghiệp", "ĐCNN"),
    ),
    UnitLine(
        "vhtt",
        "Công chức Văn hóa thông tin",
        UnitKind.OFFICER,
        ("vanhoa",),
        _civil_servant("Công chức Văn hóa - Thông tin", "VHTT"),
    ),
    UnitLine("vptk", "Công chức Văn phòng - Thống kê", UnitKind.OFFICER, ("vanphong",)),
    # Public schools and the commune health station are public service units managed
    # at district level (schools: UBND huyện; the station: Trung tâm Y tế huyện).
    UnitLine(
        "nha_truong",
        "Các nhà trường",
        UnitKind.INSTITUTION,
        ("truonghoc",),
        Issuer(
            f"Trường Trung học cơ sở {COMMUNE_NAME}",
            f"UBND huyện {DISTRICT}",
            "THCS",
            "Hiệu trưởng",
        ),
    ),
    UnitLine(
        "tram_y_te",
        "Trạm Y tế xã",
        UnitKind.INSTITUTION,
        ("tramyte",),
        Issuer(
            f"Trạm Y tế xã {COMMUNE_NAME}",
            f"Trung tâm Y tế huyện {DISTRICT}",
            "TYT",
            "Trạm trưởng",
        ),
    ),
    UnitLine(
        "dcxd",
        "Công chức Địa chính - Xây dựng",
        UnitKind.OFFICER,
        ("diachinh_xd",),
        _civil_servant("Công chức Địa chính - Xây dựng", "ĐCXD"),
    ),
    UnitLine("tpht", "Công chức Tư pháp - Hộ tịch", UnitKind.OFFICER, ("tuphap",)),
    UnitLine("ktns", "Công chức Kế toán - Ngân sách", UnitKind.OFFICER, ("ketoan",)),
    UnitLine(
        "ctxh", "Các tổ chức chính trị - xã hội", UnitKind.ORGANISATION, ("doanthe",)
    ),
    UnitLine("mttq", "Ủy ban Mặt trận Tổ quốc xã", UnitKind.ORGANISATION, ("mattran",)),
    UnitLine(
        "all_units",
        "Các công chức chuyên môn, ban, ngành đoàn thể xã",
        UnitKind.COLLECTIVE,
        OFFICER_USERNAMES,
    ),
)


def village_slug(village: Village) -> str:
    return f"thon-{village.position}"


def _is_village_plan(duty: Duty) -> bool:
    """The village's own plan (§III.2.11, first bullet), linked to its VillagePlan."""
    return duty.unit == VILLAGES and duty.deadline == VILLAGE_PLAN


# --- The story of the year ---------------------------------------------------------


@dataclass(frozen=True)
class PlanStory:
    """How a village's plan went: submitted, decided, and what the officer said."""

    status: PlanStatus
    submitted: date | None = None
    decided: date | None = None
    comment: str = ""
    escape_delta: int = 0  # expected escapes minus the village's reduction target
    without_helper: int = 0  # households the returned plan left without a helper


APPROVED_COMMENT = "Kế hoạch đầy đủ phương án cho từng hộ nghèo; thống nhất phê duyệt."
LATE_COMMENT = "Thôn nộp chậm so với hạn 15/03/2024; nội dung đạt yêu cầu, phê duyệt."

# By village position (demo/register.py VILLAGES).
PLAN_STORIES: dict[int, PlanStory] = {
    1: PlanStory(
        PlanStatus.APPROVED, date(2024, 3, 4), date(2024, 3, 6), APPROVED_COMMENT
    ),
    2: PlanStory(
        PlanStatus.APPROVED, date(2024, 3, 1), date(2024, 3, 5), APPROVED_COMMENT
    ),
    3: PlanStory(
        PlanStatus.APPROVED,
        date(2024, 3, 7),
        date(2024, 3, 11),
        APPROVED_COMMENT,
        escape_delta=1,
    ),
    4: PlanStory(
        PlanStatus.RETURNED, date(2024, 3, 11), date(2024, 3, 13), without_helper=3
    ),
    5: PlanStory(PlanStatus.DRAFT),  # Làng Cốc: misses its target at the end of 2024
    6: PlanStory(
        PlanStatus.APPROVED, date(2024, 3, 1), date(2024, 3, 4), APPROVED_COMMENT
    ),
    7: PlanStory(
        PlanStatus.APPROVED, date(2024, 3, 18), date(2024, 3, 20), LATE_COMMENT
    ),
    8: PlanStory(
        PlanStatus.APPROVED, date(2024, 3, 8), date(2024, 3, 12), APPROVED_COMMENT
    ),
    9: PlanStory(
        PlanStatus.APPROVED, date(2024, 3, 5), date(2024, 3, 7), APPROVED_COMMENT
    ),
    # Waiting for approval with one household fewer than the target on its list.
    10: PlanStory(PlanStatus.SUBMITTED, date(2024, 3, 14), escape_delta=-1),
    11: PlanStory(
        PlanStatus.APPROVED, date(2024, 3, 22), date(2024, 3, 25), LATE_COMMENT
    ),
}
DRAFT_STARTED = date(2024, 3, 5)
DRAFT_HOUSEHOLDS = 4  # the draft has its first households filled in


@dataclass
class _Sub:
    """A submission as it happened."""

    at: datetime
    by: User
    note: str
    decision: Decision = Decision.PENDING
    decided_at: datetime | None = None
    decided_by: User | None = None
    comment: str = ""
    figures_off_by: int = 0  # reported "ok" minus the register's, with a reason


@dataclass
class _Story:
    status: TaskStatus = TaskStatus.NOT_STARTED
    started: datetime | None = None
    started_by: User | None = None
    submissions: list[_Sub] = field(default_factory=list)


@dataclass
class _PlanData:
    village: Village
    poor: list[Household]  # poor at the start of the year, by code
    listed: list[Household]  # on the plan (a draft has only the first few)
    expected: set[int]  # "danh sách dự kiến thoát nghèo"
    without_helper: set[int]
    reduction: int
    comment: str
    note: str


# Shares of the whole board; forced stories count towards them.
APPROVED_SHARE = 1 / 3
SUBMITTED_SHARE = 0.10
IN_PROGRESS_SHARE = 0.13

# How likely a unit is to have done a free task (weighted draw without replacement).
DILIGENCE = {
    "ldtbxh": 3.0,
    "dcnn": 1.0,
    "vhtt": 2.0,
    "vptk": 1.5,
    "nha_truong": 1.5,
    "tram_y_te": 1.5,
    "dcxd": 2.0,
    "tpht": 1.0,
    "ktns": 1.5,
    "ctxh": 1.2,
    "mttq": 1.0,
    "all_units": 1.0,
}
VILLAGE_DILIGENCE = {
    PlanStatus.APPROVED: 1.5,
    PlanStatus.SUBMITTED: 1.0,
    PlanStatus.RETURNED: 0.7,
    PlanStatus.DRAFT: 0.3,
}

APPROVAL_COMMENTS = (
    "Đồng ý.",
    "Đã xem, thống nhất.",
    "Nội dung đạt yêu cầu.",
    "Tốt; tiếp tục theo dõi, báo cáo kết quả.",
    "",
)


@dataclass(frozen=True)
class TasksResult:
    """What `seed_tasks_2024()` did; `created` is False when the tasks were there."""

    created: bool
    units: int = 0
    tasks: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    plans: dict[str, int] = field(default_factory=dict)
    household_plans: int = 0
    seconds: float = 0.0


def seed_tasks_2024() -> TasksResult:
    """The plan's units, every 2024 duty as a task, and the villages' 2024 plans.

    Needs the 2023 register, the end-2024 round and the 2024 targets; does nothing
    (`created=False`) when the commune already has tasks for 2024.
    """
    require_demo_mode()
    started = clock.perf_counter()
    with transaction.atomic():
        commune = Commune.objects.filter(code=COMMUNE_CODE).first()
        if commune is None:
            raise DemoSeedError(
                f"Chưa có dữ liệu mẫu xã {COMMUNE_NAME}: cần nạp sổ hộ trước nhiệm vụ "
                f"năm {YEAR}."
            )
        if Task.objects.filter(commune=commune, year=YEAR).exists():
            return TasksResult(created=False)
        target = PovertyTarget.objects.filter(commune=commune, year=YEAR).first()
        if target is None:
            raise DemoSeedError(
                f"Chưa có chỉ tiêu năm {YEAR} của xã {COMMUNE_NAME}: cần nạp chỉ tiêu "
                "trước nhiệm vụ."
            )
        if VillagePlan.objects.filter(village__commune=commune, year=YEAR).exists():
            raise DemoSeedError(
                f"Không nạp được nhiệm vụ mẫu năm {YEAR}: xã {COMMUNE_NAME} đã có kế "
                "hoạch giảm nghèo của thôn mà chưa có nhiệm vụ."
            )
        rng = random.Random(SEED)  # noqa: S311 - sample data, not security
        builder = _Builder(rng, commune=commune, target=target)
        result = builder.build()
        seed_review_causes(commune)
    return TasksResult(
        created=True,
        units=result.units,
        tasks=result.tasks,
        statuses=result.statuses,
        plans=result.plans,
        household_plans=result.household_plans,
        seconds=clock.perf_counter() - started,
    )


def seed_reporting_calendar_2024() -> int:
    """The review's reporting calendar of 2024 (QĐ 24/2021 Điều 7) as the officer's
    tasks, played to the working date: the monthly reports and the preliminary
    result handed in on their last day and approved by the chairman, the official
    result (due 20/12, the working date) under way. Creates only the missing tasks;
    returns how many. Needs the units (seed_tasks_2024)."""
    require_demo_mode()
    commune = Commune.objects.get(code=COMMUNE_CODE)
    unit = Unit.objects.get(commune=commune, slug="ldtbxh")
    users = {
        u.username: u
        for u in User.objects.filter(commune=commune, username__in=("canbo", "chutich"))
    }
    officer, chairman = users["canbo"], users["chutich"]
    tz = timezone.get_current_timezone()

    def at(day: date, hour: int) -> datetime:
        return datetime.combine(day, time(hour), tzinfo=tz)

    with transaction.atomic():
        created = create_reporting_tasks(commune, YEAR, unit)
        for task in created:
            events = [
                TaskEvent(
                    task=task,
                    kind=EventKind.CREATED,
                    actor=officer,
                    at=at(ASSIGNED_ON, 8),
                    comment=f"Lịch báo cáo theo {CALENDAR_SOURCE}.",
                )
            ]
            last_day = task.last_on_time_day
            if last_day < WORKING_DATE:
                handed_in, decided = at(last_day, 9), at(last_day, 15)
                Submission.objects.create(
                    task=task,
                    submitted_by=officer,
                    submitted_at=handed_in,
                    note="Đã tổng hợp số liệu, trình Chủ tịch ký gửi báo cáo.",
                    decision=Decision.APPROVED,
                    decided_by=chairman,
                    decided_at=decided,
                )
                events += [
                    TaskEvent(
                        task=task,
                        kind=EventKind.SUBMITTED,
                        actor=officer,
                        at=handed_in,
                    ),
                    TaskEvent(
                        task=task, kind=EventKind.APPROVED, actor=chairman, at=decided
                    ),
                ]
                task.status, changed = TaskStatus.APPROVED, decided
            else:
                started = at(WORKING_DATE - timedelta(days=4), 8)
                events.append(
                    TaskEvent(
                        task=task, kind=EventKind.STARTED, actor=officer, at=started
                    )
                )
                task.status, changed = TaskStatus.IN_PROGRESS, started
            task.save(update_fields=["status"])
            TaskEvent.objects.bulk_create(events)
            # The task's history as the demo plays it, not as this run's clock.
            rows = list(task.history.order_by("history_id"))
            task.history.filter(history_id=rows[0].history_id).update(
                history_date=at(ASSIGNED_ON, 8), history_change_reason=CHANGE_REASON
            )
            task.history.filter(history_id=rows[-1].history_id).update(
                history_date=changed, history_change_reason=CHANGE_REASON
            )
    return len(created)


@dataclass(frozen=True)
class _Built:
    units: int
    tasks: int
    statuses: dict[str, int]
    plans: dict[str, int]
    household_plans: int


class _Builder:
    def __init__(
        self, rng: random.Random, *, commune: Commune, target: PovertyTarget
    ) -> None:
        self.rng = rng
        self.commune = commune
        self.target = target
        self.tz = timezone.get_default_timezone()
        self.villages = list(commune.villages.order_by("position"))
        self.users = self._users()
        self.officer = self.users[OFFICER]
        self.chairman = self.users[CHAIRMAN]
        self.service_targets = {
            t.code: t for t in ServiceTarget.objects.filter(commune=commune, year=YEAR)
        }

    def _users(self) -> dict[str, User]:
        wanted = {OFFICER, CHAIRMAN}
        for line in UNIT_LINES:
            wanted.update(line.usernames)
        wanted.update(f"truongthon{v.position}" for v in self.villages)
        users = {
            u.username: u
            for u in User.objects.filter(commune=self.commune, username__in=wanted)
        }
        missing = sorted(wanted - set(users))
        if missing:
            raise DemoSeedError(
                f"Không tìm thấy tài khoản mẫu của xã {COMMUNE_NAME}: "
                f"{', '.join(missing)}."
            )
        return users

    def at(self, day: date, hour: int = 9, minute: int = 0) -> datetime:
        return datetime.combine(day, time(hour, minute), tzinfo=self.tz)

    def office_hours(self, day: date) -> datetime:
        """A time on a working day (Saturday and Sunday move to Monday)."""
        day = _working_day(day)
        return self.at(day, self.rng.randint(7, 16), self.rng.choice((0, 15, 30, 45)))

    # --- units and tasks ---------------------------------------------------------

    def build(self) -> _Built:
        units = self._units()
        self.plan_data = self._plan_data()
        tasks: list[Task] = []
        duties: list[Duty] = []
        for position, duty in enumerate(DUTIES, start=1):
            if duty.unit == VILLAGES:
                for village in self.villages:
                    tasks.append(
                        self._task(duty, units[village_slug(village)], position)
                    )
                    tasks[-1].title = f"{duty.title} — {village.name}"
                    duties.append(duty)
            else:
                tasks.append(self._task(duty, units[duty.unit], position))
                duties.append(duty)
        stories = self._stories(tasks, duties, units)
        for task, story in zip(tasks, stories, strict=True):
            task.status = story.status
        tasks = bulk_create_with_history(
            tasks,
            Task,
            default_change_reason=CHANGE_REASON,
            default_date=self.at(ASSIGNED_ON, 8),
        )
        if any(t.pk is None for t in tasks):  # pragma: no cover - old databases
            raise DemoSeedError("Cơ sở dữ liệu không trả về khóa của các nhiệm vụ.")
        through = Task.service_targets.through
        through.objects.bulk_create(
            through(task_id=task.pk, servicetarget_id=self.service_targets[code].pk)
            for task, duty in zip(tasks, duties, strict=True)
            for code in duty.targets
        )
        self._history(tasks, duties, stories)
        plan_tasks = {
            task.unit.village_id: task
            for task, duty in zip(tasks, duties, strict=True)
            if _is_village_plan(duty)
        }
        household_plans = self._village_plans(plan_tasks)
        return _Built(
            units=len(units),
            tasks=len(tasks),
            statuses=dict(Counter(str(t.status) for t in tasks)),
            plans=dict(Counter(str(PLAN_STORIES[p].status) for p in self.plan_data)),
            household_plans=household_plans,
        )

    def _units(self) -> dict[str, Unit]:
        existing = {u.slug: u for u in Unit.objects.filter(commune=self.commune)}
        lines: list[tuple[str, str, UnitKind, Village | None, tuple[str, ...]]] = [
            (line.slug, line.name, line.kind, None, line.usernames)
            for line in UNIT_LINES
        ]
        lines += [
            (
                village_slug(v),
                v.name,
                UnitKind.VILLAGE,
                v,
                (f"truongthon{v.position}",),
            )
            for v in self.villages
        ]
        issuers = {line.slug: line for line in UNIT_LINES if line.issuer}
        new = [
            Unit(
                commune=self.commune,
                slug=slug,
                name=name,
                kind=kind,
                village=village,
                position=position,
                **self._issuer_fields(issuers.get(slug)),
            )
            for position, (slug, name, kind, village, _) in enumerate(lines, start=1)
            if slug not in existing
        ]
        for unit in new:
            unit.full_clean()
        units = existing | {u.slug: u for u in Unit.objects.bulk_create(new)}
        membership = Unit.members.through
        membership.objects.bulk_create(
            (
                membership(unit_id=units[slug].pk, user_id=self.users[username].pk)
                for slug, _, _, _, usernames in lines
                for username in usernames
            ),
            ignore_conflicts=True,
        )
        return units

    def _issuer_fields(self, line: UnitLine | None) -> dict[str, str]:
        if line is None or line.issuer is None:
            return {}
        issuer = line.issuer
        return {
            "issuer_name": issuer.name,
            "managing_body": issuer.managing_body,
            "abbreviation": issuer.abbreviation,
            "signer_title": issuer.signer_title,
            "signer_name": self.users[line.usernames[0]].get_full_name(),
        }

    def _task(self, duty: Duty, unit: Unit, position: int) -> Task:
        return Task(
            commune=self.commune,
            year=YEAR,
            title=duty.title,
            duty_text=duty.duty_text,
            source=duty.source,
            unit=unit,
            kind=duty.kind,
            due_before=duty.deadline.due_before,
            deadline_text=duty.deadline.text,
            recipient=duty.recipient,
            poverty_target=self.target if _is_village_plan(duty) else None,
            position=position,
        )

    # --- who did what, when --------------------------------------------------------

    def _stories(
        self, tasks: Sequence[Task], duties: Sequence[Duty], units: dict[str, Unit]
    ) -> list[_Story]:
        members = {
            line.slug: [self.users[name] for name in line.usernames]
            for line in UNIT_LINES
        }
        for village in self.villages:
            members[village_slug(village)] = [
                self.users[f"truongthon{village.position}"]
            ]
        by_slug = {u.pk: slug for slug, u in units.items()}

        stories: list[_Story | None] = []
        for task, duty in zip(tasks, duties, strict=True):
            slug = by_slug[task.unit.pk]
            stories.append(self._forced(task, duty, slug, members[slug][0]))

        # The free tasks: a weighted draw, so diligent units have done more.
        total = len(tasks)
        counts = Counter(s.status for s in stories if s is not None)
        quota = {
            TaskStatus.APPROVED: round(total * APPROVED_SHARE),
            TaskStatus.SUBMITTED: round(total * SUBMITTED_SHARE),
            TaskStatus.IN_PROGRESS: round(total * IN_PROGRESS_SHARE),
        }
        free = [i for i, s in enumerate(stories) if s is None]
        keys = {
            i: self.rng.random() ** (1 / self._diligence(by_slug[tasks[i].unit.pk]))
            for i in free
        }
        ranked = sorted(free, key=lambda i: keys[i], reverse=True)
        statuses: list[TaskStatus] = []
        for status, wanted in quota.items():
            statuses += [status] * max(0, wanted - counts[status])
        statuses += [TaskStatus.NOT_STARTED] * (len(ranked) - len(statuses))
        for i, status in zip(ranked, statuses, strict=False):
            slug = by_slug[tasks[i].unit.pk]
            stories[i] = self._free(tasks[i], status, members[slug][0])
        return [s for s in stories if s is not None]

    def _diligence(self, slug: str) -> float:
        if slug.startswith("thon-"):
            story = PLAN_STORIES[int(slug.removeprefix("thon-"))]
            return VILLAGE_DILIGENCE[story.status]
        return DILIGENCE.get(slug, 1.0)

    def _approver(self, slug: str) -> User:
        # The officer approves what the units send; the chairman what the officer
        # sends (the officer is a member of `ldtbxh` and of `all_units`).
        return self.chairman if slug in ("ldtbxh", "all_units") else self.officer

    def _forced(self, task: Task, duty: Duty, slug: str, member: User) -> _Story | None:
        if _is_village_plan(duty):
            return self._village_plan_story(task, member)
        if duty.kind != "report" or not duty.targets:
            return None
        officer = self.officer
        if slug == "dcxd":  # housing: approved on time
            return _Story(
                TaskStatus.APPROVED,
                self.at(date(2024, 8, 26), 8, 30),
                member,
                [
                    _Sub(
                        self.at(date(2024, 9, 19), 14, 30),
                        member,
                        "Báo cáo kết quả thực hiện chỉ tiêu nhà ở của hộ nghèo năm "
                        "2024 (chất lượng nhà ở; diện tích từ 8m²/người), số liệu "
                        "theo sổ hộ ngày 19/9/2024.",
                        Decision.APPROVED,
                        self.at(date(2024, 9, 23), 9),
                        officer,
                        "Số liệu khớp sổ hộ. Đồng ý.",
                    )
                ],
            )
        if slug == "vhtt":  # information: approved on time
            return _Story(
                TaskStatus.APPROVED,
                self.at(date(2024, 9, 3), 8, 15),
                member,
                [
                    _Sub(
                        self.at(date(2024, 9, 23), 10, 15),
                        member,
                        "Báo cáo kết quả thực hiện chỉ tiêu tiếp cận thông tin của hộ "
                        "nghèo năm 2024.",
                        Decision.APPROVED,
                        self.at(date(2024, 9, 26), 15),
                        officer,
                        "Đồng ý; đề nghị tiếp tục hỗ trợ các hộ còn thiếu phương tiện "
                        "tiếp cận thông tin.",
                    )
                ],
            )
        if slug == "nha_truong":  # education: handed in late, still waiting
            return _Story(
                TaskStatus.SUBMITTED,
                self.at(date(2024, 9, 10), 14),
                member,
                [
                    _Sub(
                        self.at(date(2024, 9, 27), 16),
                        member,
                        "Báo cáo kết quả thực hiện chỉ tiêu tiếp cận giáo dục năm 2024 "
                        "(trẻ em đi học). Nộp chậm do chờ số liệu đầu năm học "
                        "2024-2025.",
                    )
                ],
            )
        if slug == "tram_y_te":  # health: returned for a figure, handed in again
            return _Story(
                TaskStatus.SUBMITTED,
                self.at(date(2024, 9, 2), 8),
                member,
                [
                    _Sub(
                        self.at(date(2024, 9, 18), 10, 30),
                        member,
                        "Báo cáo kết quả thực hiện chỉ tiêu BHYT của khẩu cận nghèo "
                        "năm 2024.",
                        Decision.RETURNED,
                        self.at(date(2024, 9, 20), 8, 30),
                        officer,
                        "Số khẩu cận nghèo có thẻ BHYT còn hạn báo cáo cao hơn sổ hộ 3 "
                        "người. Đề nghị đối chiếu với danh sách cấp thẻ của Bảo hiểm "
                        "xã hội huyện và nộp lại trước hạn.",
                        figures_off_by=3,
                    ),
                    _Sub(
                        self.at(date(2024, 9, 24), 9),
                        member,
                        "Nộp lại sau khi đối chiếu danh sách cấp thẻ BHYT với sổ hộ.",
                    ),
                ],
            )
        if slug == "dcnn":  # water and latrines to UBND huyện: never handed in
            return _Story(TaskStatus.IN_PROGRESS, self.at(date(2024, 9, 9), 8), member)
        return None

    def _village_plan_story(self, task: Task, head: User) -> _Story:
        position = int(task.unit.slug.removeprefix("thon-"))
        story = PLAN_STORIES[position]
        if story.status == PlanStatus.DRAFT:
            return _Story(TaskStatus.IN_PROGRESS, self.at(DRAFT_STARTED, 14), head)
        assert story.submitted is not None
        data = self.plan_data[position]
        started = self.at(story.submitted - timedelta(days=20), 8)
        sub = _Sub(self.at(story.submitted, 9, 30), head, data.note)
        status = TaskStatus.SUBMITTED
        if story.status in (PlanStatus.APPROVED, PlanStatus.RETURNED):
            assert story.decided is not None
            approved = story.status == PlanStatus.APPROVED
            sub.decision = Decision.APPROVED if approved else Decision.RETURNED
            sub.decided_at = self.at(story.decided, 15)
            sub.decided_by = self.officer
            sub.comment = data.comment
            status = TaskStatus.APPROVED if approved else TaskStatus.RETURNED
        return _Story(status, started, head, [sub])

    def _free(self, task: Task, status: TaskStatus, member: User) -> _Story:
        if status == TaskStatus.NOT_STARTED:
            return _Story()
        rng = self.rng
        if status == TaskStatus.IN_PROGRESS:
            day = _day_between(rng, date(2024, 2, 1), date(2024, 11, 29))
            return _Story(status, self.office_hours(day), member)
        # Nothing happens after the working date: a submission waiting for approval
        # was handed in in the last days (a quarter of them) or earlier; an approved
        # one early enough to be decided (within 6 days) before the working date.
        if task.kind == "plan":
            handed = _day_between(rng, date(2024, 2, 1), date(2024, 4, 30))
        elif status == TaskStatus.SUBMITTED and rng.random() < 0.25:
            handed = _day_between(rng, date(2024, 12, 9), LAST_DAY_BEFORE_WORKING_DATE)
        elif status == TaskStatus.SUBMITTED:
            handed = _day_between(rng, date(2024, 4, 1), LAST_DAY_BEFORE_WORKING_DATE)
        else:
            handed = _day_between(rng, date(2024, 4, 1), date(2024, 12, 13))
        started = max(
            handed - timedelta(days=rng.randint(10, 60)),
            ASSIGNED_ON + timedelta(days=1),
        )
        sub = _Sub(self.office_hours(handed), member, _note(task))
        if status == TaskStatus.APPROVED:
            slug = task.unit.slug
            sub.decision = Decision.APPROVED
            handed_on = timezone.localdate(sub.at)  # a working day
            sub.decided_at = self.office_hours(handed_on + timedelta(rng.randint(1, 6)))
            sub.decided_by = self._approver(slug)
            sub.comment = rng.choice(APPROVAL_COMMENTS)
        return _Story(status, self.office_hours(started), member, [sub])

    def _history(
        self, tasks: Sequence[Task], duties: Sequence[Duty], stories: Sequence[_Story]
    ) -> None:
        assigned = self.at(ASSIGNED_ON, 8)
        households = Household.objects.filter(commune=self.commune)
        live: dict[tuple[str, date], Measurement] = {}

        def measured(code: str, on: date) -> Measurement:
            if (code, on) not in live:
                target = self.service_targets[code]
                live[code, on] = service_progress(
                    target, households, self.villages, on=on
                ).commune
            return live[code, on]

        events: list[TaskEvent] = []
        submissions: list[tuple[Submission, _Sub, Duty]] = []
        for task, duty, story in zip(tasks, duties, stories, strict=True):
            events.append(
                TaskEvent(
                    task=task,
                    kind=EventKind.CREATED,
                    actor=self.officer,
                    at=assigned,
                    comment=(
                        "Giao theo Kế hoạch thực hiện chương trình giảm nghèo nhanh "
                        f"và bền vững năm {YEAR} của UBND xã {COMMUNE_NAME}, mục "
                        f"{duty.source}."
                    ),
                )
            )
            if story.started is not None:
                events.append(
                    TaskEvent(
                        task=task,
                        kind=EventKind.STARTED,
                        actor=story.started_by,
                        at=story.started,
                    )
                )
            for sub in story.submissions:
                submissions.append(
                    (
                        Submission(
                            task=task,
                            submitted_by=sub.by,
                            submitted_at=sub.at,
                            note=sub.note,
                            decision=sub.decision,
                            decided_by=sub.decided_by,
                            decided_at=sub.decided_at,
                            comment=sub.comment,
                        ),
                        sub,
                        duty,
                    )
                )
                events.append(
                    TaskEvent(
                        task=task,
                        kind=EventKind.SUBMITTED,
                        actor=sub.by,
                        at=sub.at,
                        comment=sub.note,
                    )
                )
                if sub.decision != Decision.PENDING:
                    assert sub.decided_at is not None
                    events.append(
                        TaskEvent(
                            task=task,
                            kind=(
                                EventKind.APPROVED
                                if sub.decision == Decision.APPROVED
                                else EventKind.RETURNED
                            ),
                            actor=sub.decided_by,
                            at=sub.decided_at,
                            comment=sub.comment,
                        )
                    )
        created = Submission.objects.bulk_create([s for s, _, _ in submissions])
        figures: list[SubmissionFigure] = []
        for submission, (_, sub, duty) in zip(created, submissions, strict=True):
            # Read as of the report's deadline, or the day handed in if earlier: the
            # day the report's page reads by default (reports/issuing.py).
            handed = timezone.localdate(sub.at)
            on = min(submission.task.due_before - timedelta(days=1), handed)
            for code in duty.targets:
                figure = measured(code, on)
                reported_ok = figure.ok + sub.figures_off_by
                figures.append(
                    SubmissionFigure(
                        submission=submission,
                        service_target=self.service_targets[code],
                        live_ok=figure.ok,
                        live_total=figure.total,
                        reported_ok=reported_ok,
                        reported_total=max(figure.total, reported_ok),
                        reason=(
                            "Theo danh sách cấp thẻ BHYT của Bảo hiểm xã hội huyện."
                            if sub.figures_off_by
                            else ""
                        ),
                    )
                )
        SubmissionFigure.objects.bulk_create(figures)
        TaskEvent.objects.bulk_create(events)

    # --- the villages' plans ---------------------------------------------------------

    def _plan_data(self) -> dict[int, _PlanData]:
        """Who is on each village's plan, and what the plan and the officer say."""
        households = Household.objects.filter(commune=self.commune)
        poor = list(
            households.present_on(START)
            .with_status_on(START)
            .with_status(PovertyStatus.POOR)
            .order_by("village__position", "code")
        )
        end_status = dict(
            households.filter(pk__in=[h.pk for h in poor])
            .with_status_on(END)
            .values_list("pk", "status")
        )
        escaped = {
            h.pk
            for h in poor
            if end_status[h.pk] != PovertyStatus.POOR and h.present_on(END)
        }
        self.deprived = _deprivations_at(poor, START)
        reductions = {
            a.village_id: a.poor_reduction for a in self.target.allocations.all()
        }
        data: dict[int, _PlanData] = {}
        for village in self.villages:
            story = PLAN_STORIES[village.position]
            village_poor = [h for h in poor if h.village_id == village.pk]
            reduction = reductions.get(village.pk, 0)
            expected = self._expected(
                village_poor, escaped, reduction + story.escape_delta
            )
            listed = (
                village_poor[:DRAFT_HOUSEHOLDS]
                if story.status == PlanStatus.DRAFT
                else village_poor
            )
            unhelped = listed[len(listed) - story.without_helper :]
            comment = story.comment
            if story.without_helper:
                codes = ", ".join(h.code for h in unhelped)
                comment = (
                    f"Còn {len(unhelped)} hộ chưa phân công chi hội, cá nhân giúp đỡ "
                    f"và chưa ghi nguồn lực dự kiến (mã hộ {codes}). Đề nghị thôn bổ "
                    "sung và nộp lại."
                )
            data[village.position] = _PlanData(
                village=village,
                poor=village_poor,
                listed=listed,
                expected=expected,
                without_helper={h.pk for h in unhelped}
                if story.without_helper
                else set(),
                reduction=reduction,
                comment=comment,
                note=(
                    f"Kế hoạch giảm nghèo năm {YEAR} của {village.name}: "
                    f"{len(village_poor)} hộ nghèo đầu năm, chỉ tiêu giảm {reduction} "
                    f"hộ; danh sách dự kiến thoát nghèo {len(expected)} hộ."
                ),
            )
        return data

    def _village_plans(self, plan_tasks: dict[int, Task]) -> int:
        plans: list[VillagePlan] = []
        rows: list[tuple[int, HouseholdPlan]] = []
        for position, data in self.plan_data.items():
            story = PLAN_STORIES[position]
            approved = story.status == PlanStatus.APPROVED
            rows += [
                (
                    position,
                    self._household_plan(
                        household,
                        self.deprived.get(household.pk, set()),
                        expected=household.pk in data.expected,
                        helped=household.pk not in data.without_helper,
                    ),
                )
                for household in data.listed
            ]
            plans.append(
                VillagePlan(
                    village=data.village,
                    year=YEAR,
                    task=plan_tasks[data.village.pk],
                    due_before=VILLAGE_PLAN.due_before,
                    status=story.status,
                    submitted_at=(
                        self.at(story.submitted, 9, 30) if story.submitted else None
                    ),
                    approved_at=(
                        self.at(story.decided, 15)
                        if approved and story.decided
                        else None
                    ),
                    approved_by=self.officer if approved else None,
                    officer_comment=data.comment,
                    summary=_summary(self.rng, data, story),
                )
            )
        plans = bulk_create_with_history(
            plans,
            VillagePlan,
            default_change_reason=CHANGE_REASON,
            default_date=self.at(ASSIGNED_ON, 8),
        )
        by_position = {p.village.position: p for p in plans}
        for position, row in rows:
            row.plan = by_position[position]
        bulk_create_with_history(
            [row for _, row in rows],
            HouseholdPlan,
            default_change_reason=CHANGE_REASON,
            default_date=self.at(ASSIGNED_ON, 8),
        )
        return len(rows)

    def _expected(
        self, village_poor: Sequence[Household], escaped: set[int], wanted: int
    ) -> set[int]:
        """The households on the list "dự kiến thoát nghèo": those that did escape by
        the end of the year first, then those with working capacity."""
        wanted = max(0, min(wanted, len(village_poor)))
        did = [h for h in village_poor if h.pk in escaped]
        able = [
            h for h in village_poor if h.pk not in escaped and not h.no_labour_capacity
        ]
        rest = [h for h in village_poor if h.pk not in escaped and h.no_labour_capacity]
        self.rng.shuffle(did)
        self.rng.shuffle(able)
        return {h.pk for h in [*did, *able, *rest][:wanted]}

    def _household_plan(
        self, household: Household, deprived: set[str], *, expected: bool, helped: bool
    ) -> HouseholdPlan:
        rng = self.rng
        causes = _causes(rng, household)
        solutions = _solutions(rng, household, causes, deprived)
        main = solutions[0]
        low, high = AMOUNTS[main]
        amount = rng.randint(low, high) * 1_000_000 if high else None
        sources = dict.fromkeys(SOURCES[s] for s in solutions)
        return HouseholdPlan(
            household=household,
            causes=[str(c) for c in causes],
            solutions=[str(s) for s in solutions],
            solution_note=rng.choice(NOTES[main]),
            resource_amount=amount if helped else None,
            resource_in_kind=rng.choice(IN_KIND[main]) if helped else "",
            resource_source="; ".join(sources) if helped else "",
            helper=_helper(rng) if helped else "",
            expected_escape=expected,
        )


# --- Household plans: what a village writes for one poor household -----------------

HOUSING_INDICATORS = {"chat_luong_nha_o", "dien_tich_nha_o_binh_quan"}

# Amounts in millions of đồng (None: no amount, support in kind only).
AMOUNTS: dict[SupportLine, tuple[int, int | None]] = {
    SupportLine.PRODUCTION: (8, 20),
    SupportLine.LIVELIHOOD: (5, 15),
    SupportLine.TRAINING: (5, 8),
    SupportLine.CREDIT: (20, 30),
    SupportLine.HOUSING: (20, 30),
    SupportLine.HEALTH_INSURANCE: (0, None),
}
SOURCES = {
    SupportLine.PRODUCTION: "Chương trình MTQG giảm nghèo bền vững",
    SupportLine.LIVELIHOOD: "Chương trình MTQG giảm nghèo bền vững",
    SupportLine.TRAINING: "Chương trình MTQG giảm nghèo bền vững",
    SupportLine.CREDIT: "Vốn vay Ngân hàng Chính sách xã hội",
    SupportLine.HOUSING: "Quỹ Vì người nghèo xã",
    SupportLine.HEALTH_INSURANCE: "Ngân sách nhà nước (thẻ BHYT)",
}
IN_KIND = {
    SupportLine.PRODUCTION: (
        "02 con bò giống",
        "01 con bò giống",
        "10 con dê giống",
        "01 con trâu giống",
        "300 con gà giống và thức ăn chăn nuôi",
        "Cây keo giống và phân bón cho 1 ha",
    ),
    SupportLine.LIVELIHOOD: (
        "100 con vịt giống",
        "Giống ngô, phân bón vụ Đông",
        "Máy xát gạo mini",
        "02 con lợn nái giống",
    ),
    SupportLine.TRAINING: ("",),
    SupportLine.CREDIT: ("",),
    SupportLine.HOUSING: (
        "Xi măng, tôn lợp để sửa chữa nhà",
        "Vật liệu làm mới nhà ở",
    ),
    SupportLine.HEALTH_INSURANCE: ("Thẻ BHYT cho các nhân khẩu chưa có thẻ",),
}
NOTES = {
    SupportLine.PRODUCTION: (
        "Hỗ trợ con giống, hướng dẫn kỹ thuật chăn nuôi bò sinh sản và trồng cỏ",
        "Hỗ trợ giống, phân bón; chuyển 3 sào sắn kém hiệu quả sang trồng keo",
        "Hướng dẫn làm chuồng trại, tiêm phòng cho đàn vật nuôi",
    ),
    SupportLine.LIVELIHOOD: (
        "Tham gia mô hình nuôi vịt, gà thả vườn của thôn",
        "Tham gia tổ hợp tác trồng ngô vụ Đông",
        "Mở dịch vụ xay xát nhỏ tại nhà",
    ),
    SupportLine.TRAINING: (
        "Giới thiệu con trai đi học nghề hàn và làm việc tại doanh nghiệp trong tỉnh",
        "Học nghề may công nghiệp, giới thiệu việc làm tại xưởng may của huyện",
    ),
    SupportLine.CREDIT: (
        "Vay vốn ưu đãi mua bò sinh sản, trả nợ theo kỳ hạn 5 năm",
        "Vay vốn ưu đãi trồng keo và làm chuồng trại chăn nuôi",
        "Vay vốn giải quyết việc làm mở rộng chăn nuôi lợn",
    ),
    SupportLine.HOUSING: (
        "Sửa chữa mái, tường nhà bị dột nát trước mùa mưa bão",
        "Làm mới nhà ở thay nhà tạm, bảo đảm diện tích từ 8m²/người",
    ),
    SupportLine.HEALTH_INSURANCE: (
        "Làm thẻ BHYT cho các nhân khẩu chưa có thẻ; vận động khám sức khỏe định kỳ",
    ),
}
HELPER_GROUPS = (
    "Chi hội Phụ nữ",
    "Chi hội Nông dân",
    "Chi hội Cựu chiến binh",
    "Chi đoàn Thanh niên",
)
# Invented people (composed as demo/register.py does), with their post in the village.
HELPER_PEOPLE = (
    "Ông Bùi Văn Lực (Bí thư chi bộ thôn)",
    "Bà Quách Thị Mai (Chi hội trưởng Phụ nữ)",
    "Ông Phạm Văn Thành (Phó trưởng thôn)",
    "Bà Hà Thị Huệ (Y tế thôn)",
    "Ông Trương Đình Dũng (Chi hội trưởng Nông dân)",
    "Ông Đinh Văn Tiến (Công an viên)",
)


def seed_review_causes(commune: Commune) -> int:
    """The village plan's causes of a household, written into its poor and near-poor
    reviews of the plan's year and the year before (the survey the plan was made
    from), so that report 10 and the plan agree. Only `poverty_causes` is written
    (`update()`), so no classification changes. Returns the reviews changed."""
    written = 0
    for household_id, year, causes in HouseholdPlan.objects.filter(
        household__commune=commune
    ).values_list("household_id", "plan__year", "causes"):
        written += (
            Review.objects.filter(
                household_id=household_id,
                review_date__year__in=(year - 1, year),
                status__in=[PovertyStatus.POOR, PovertyStatus.NEAR_POOR],
            )
            .exclude(poverty_causes=causes)
            .update(poverty_causes=list(causes))
        )
    return written


def _causes(rng: random.Random, household: Household) -> list[PovertyCause]:
    if household.no_labour_capacity:
        causes = {PovertyCause.LABOUR}
        if rng.random() < 0.5:
            causes.add(PovertyCause.ILLNESS)
    else:
        causes = set(_weighted_sample(rng, CAUSE_WEIGHTS, rng.randint(1, 3)))
    return [c for c in PovertyCause if c in causes]


def _solutions(
    rng: random.Random,
    household: Household,
    causes: Sequence[PovertyCause],
    deprived: set[str],
) -> list[SupportLine]:
    needs: list[SupportLine] = []
    if deprived & HOUSING_INDICATORS:
        needs.append(SupportLine.HOUSING)
    if "bao_hiem_y_te" in deprived:
        needs.append(SupportLine.HEALTH_INSURANCE)
    if household.no_labour_capacity:
        chosen = needs[:2] or [SupportLine.LIVELIHOOD]
        return [s for s in SupportLine if s in chosen]
    income: list[SupportLine] = []
    if PovertyCause.CAPITAL in causes:
        income.append(SupportLine.CREDIT)
    if {PovertyCause.LAND, PovertyCause.TOOLS, PovertyCause.KNOWLEDGE} & set(causes):
        income.append(rng.choice((SupportLine.PRODUCTION, SupportLine.LIVELIHOOD)))
    if PovertyCause.SKILLS in causes:
        income.append(SupportLine.TRAINING)
    if not income:
        income.append(SupportLine.PRODUCTION)
    rng.shuffle(income)
    chosen = [income[0]]
    second = [*needs, *income[1:]]
    if second and rng.random() < 0.6:
        chosen.append(second[0])
    # The first line carries the amount and the note: the income line.
    return chosen


def _helper(rng: random.Random) -> str:
    if rng.random() < 0.3:
        return rng.choice(HELPER_PEOPLE)
    return rng.choice(HELPER_GROUPS)


def _weighted_sample[T](rng: random.Random, weights: dict[T, int], k: int) -> list[T]:
    pool = dict(weights)
    chosen: list[T] = []
    for _ in range(min(k, len(pool))):
        item = rng.choices(list(pool), weights=list(pool.values()))[0]
        chosen.append(item)
        del pool[item]
    return chosen


def _deprivations_at(households: Iterable[Household], day: date) -> dict[int, set[str]]:
    """Each household's deprived indicators in its latest review up to `day`."""
    latest: dict[int, set[str]] = {}
    reviews = Review.objects.filter(
        household__in=[h.pk for h in households], review_date__lte=day
    ).order_by("household_id", "-review_date", "-id")
    for review in reviews:
        latest.setdefault(review.household_id, set(review.deprived_slugs()))
    return latest


SUMMARY_FOCUS = (
    "Tập trung hỗ trợ phát triển chăn nuôi bò, dê và trồng keo; giúp hộ nghèo vay vốn "
    "Ngân hàng Chính sách xã hội.",
    "Ưu tiên sửa chữa nhà ở, làm thẻ BHYT; mỗi hộ nghèo có chi hội hoặc cá nhân nhận "
    "giúp đỡ.",
    "Chuyển đất trồng sắn, mía kém hiệu quả sang trồng keo, ngô; giới thiệu việc làm "
    "cho lao động trẻ.",
    "Phát triển mô hình nuôi gà, vịt thả vườn; vận động ủng hộ Quỹ Vì người nghèo.",
)


def _summary(rng: random.Random, data: _PlanData, story: PlanStory) -> str:
    text = (
        f"{data.village.name} có {len(data.poor)} hộ nghèo đầu năm {YEAR}; chỉ tiêu "
        f"giảm {data.reduction} hộ, dự kiến thoát nghèo {len(data.expected)} hộ. "
        f"{rng.choice(SUMMARY_FOCUS)}"
    )
    if story.status == PlanStatus.DRAFT:
        text += " Đang hoàn thiện phương án cho từng hộ."
    return text


def _note(task: Task) -> str:
    what = task.title[:1].lower() + task.title[1:]
    if task.kind == "report":
        return f"Báo cáo kết quả: {what}."
    if task.kind == "plan":
        return f"Kế hoạch: {what} (bản kèm theo)."
    if task.kind == "list":
        return f"Danh sách: {what} (bản kèm theo)."
    return f"Đã triển khai: {what}; kết quả cụ thể trong báo cáo kèm theo."


def _day_between(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, (last - first).days))


def _working_day(day: date) -> date:
    return day + timedelta(days=(7 - day.weekday()) % 7 if day.weekday() >= 5 else 0)
