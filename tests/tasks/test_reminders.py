"""Deadline reminders (`manage.py send_deadline_reminders`): 7 days and 1 day before the
last on-time day, once when overdue, a daily digest of what is overdue for the
LĐ-TB&XH officers; each once, whatever the number of runs.

The task of these tests is due "trước ngày 25/9/2024": 24/09 is the last day on time,
so 17/09 is 7 days before, 23/09 one day before, 25/09 the first day overdue.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from smtplib import SMTPException
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import CommandError, call_command

from giamngheo.models import Role, User
from households.models import Commune
from tasks import reminders
from tasks.models import (
    EventKind,
    Reminder,
    ReminderKind,
    Task,
    TaskEvent,
    TaskStatus,
    Unit,
    UnitKind,
)
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

VN = ZoneInfo("Asia/Ho_Chi_Minh")
DUE = date(2024, 9, 25)
SITE = "https://giamngheo.caongoc.example"


def make_unit(commune: Commune, slug: str, name: str, *members: User) -> Unit:
    unit = Unit.objects.create(
        commune=commune, slug=slug, name=name, kind=UnitKind.OFFICER
    )
    unit.members.set(members)
    return unit


def make_task(
    unit: Unit,
    title: str = "Báo cáo chỉ tiêu nhà ở năm 2024",
    *,
    due: date = DUE,
    status: str = TaskStatus.NOT_STARTED,
) -> Task:
    return Task.objects.create(
        commune=unit.commune,
        year=2024,
        title=title,
        duty_text="Báo cáo kết quả thực hiện các chỉ tiêu về nhà ở năm 2024, báo cáo "
        "UBND xã trước ngày 25/9/2024.",
        source="§III.2.7",
        unit=unit,
        due_before=due,
        deadline_text="trước ngày 25/9/2024",
        status=status,
    )


def run(day: str, *args: str) -> str:
    out = io.StringIO()
    call_command("send_deadline_reminders", "--date", day, *args, stdout=out)
    return out.getvalue()


def sent_to(address: str) -> list[mail.EmailMessage]:
    return [m for m in mail.outbox if address in m.to]


@pytest.fixture(autouse=True)
def _site_url(settings: object) -> None:
    settings.SITE_URL = SITE  # type: ignore[attr-defined]


@pytest.fixture
def officer(commune_a: Commune) -> User:
    user = make_user(
        "canbo",
        Role.OFFICER,
        commune_a,
        last_name="Bùi Thị",
        first_name="Lan",
        email="canbo@caongoc.example",
    )
    make_unit(commune_a, "ldtbxh", "Công chức Lao động - Thương binh và Xã hội", user)
    return user


@pytest.fixture
def builder(commune_a: Commune) -> User:
    return make_user(
        "diachinh_xd",
        Role.SECTOR_OFFICER,
        commune_a,
        last_name="Quách Văn",
        first_name="Hùng",
        email="xaydung@caongoc.example",
    )


@pytest.fixture
def housing(commune_a: Commune, builder: User) -> Unit:
    return make_unit(commune_a, "dcxd", "Công chức Địa chính - Xây dựng", builder)


@pytest.fixture
def task(housing: Unit, officer: User) -> Task:
    return make_task(housing)


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (date(2024, 9, 16), None),  # 8 days left
        (date(2024, 9, 17), ReminderKind.SEVEN_DAYS),  # exactly 7
        (date(2024, 9, 22), ReminderKind.SEVEN_DAYS),  # 2: still the 7-day one
        (date(2024, 9, 23), ReminderKind.ONE_DAY),  # exactly 1
        (date(2024, 9, 24), ReminderKind.ONE_DAY),  # 0: the last day on time
        (date(2024, 9, 25), ReminderKind.OVERDUE),  # "trước 25/9": late from the 25th
        (date(2025, 3, 1), ReminderKind.OVERDUE),
    ],
    ids=["8-days", "7-days", "2-days", "1-day", "last-day", "due-date", "long-after"],
)
def test_threshold_at_the_edges(on: date, expected: ReminderKind | None) -> None:
    assert reminders.threshold(Task(due_before=DUE), on) == expected


def test_the_seven_day_reminder_goes_out_exactly_7_days_before(
    task: Task, builder: User
) -> None:
    run("16/09/2024")
    assert mail.outbox == []
    out = run("17/09/2024")
    [message] = mail.outbox
    assert message.to == ["xaydung@caongoc.example"]
    assert message.subject == (
        "[Giảm nghèo xã Cao Ngọc] Còn 7 ngày: Báo cáo chỉ tiêu nhà ở năm 2024"
    )
    assert "Kính gửi Quách Văn Hùng," in message.body
    assert "Thời hạn theo kế hoạch: trước ngày 25/9/2024" in message.body
    assert "Ngày cuối cùng còn đúng hạn: 24/09/2024" in message.body
    assert "Tính đến ngày 17/09/2024: còn 7 ngày" in message.body
    assert "mục III.2.7" in message.body
    assert f"{SITE}/nhiem-vu/{task.pk}/" in message.body
    assert "đã gửi 1 thư nhắc hạn (còn 7 ngày: 1)" in out
    reminder = Reminder.objects.get()
    assert (reminder.task, reminder.recipient, reminder.kind, reminder.sent_on) == (
        task,
        builder,
        ReminderKind.SEVEN_DAYS,
        date(2024, 9, 17),
    )


def test_the_reminder_is_recorded_on_the_task(task: Task) -> None:
    run("17/09/2024")
    [event] = TaskEvent.objects.filter(task=task, kind=EventKind.REMINDED)
    assert event.actor is None
    assert "ngưỡng: còn 7 ngày" in event.comment
    assert "Quách Văn Hùng <xaydung@caongoc.example>" in event.comment


def test_the_one_day_reminder_goes_out_exactly_1_day_before(task: Task) -> None:
    run("17/09/2024")
    run("22/09/2024")
    assert len(mail.outbox) == 1
    run("23/09/2024")
    assert len(mail.outbox) == 2
    assert mail.outbox[1].subject.startswith("[Giảm nghèo xã Cao Ngọc] Còn 1 ngày: ")
    run("24/09/2024")  # the last day on time: the 1-day reminder was sent already
    assert len(mail.outbox) == 2
    assert list(
        Reminder.objects.filter(task=task).order_by("pk").values_list("kind", flat=True)
    ) == [ReminderKind.SEVEN_DAYS, ReminderKind.ONE_DAY]


def test_the_overdue_reminder_goes_out_once_when_the_deadline_passes(
    task: Task,
) -> None:
    run("24/09/2024")
    assert [m.subject for m in sent_to("xaydung@caongoc.example")] == [
        "[Giảm nghèo xã Cao Ngọc] Hôm nay là ngày cuối cùng còn đúng hạn: "
        "Báo cáo chỉ tiêu nhà ở năm 2024"
    ]
    run("25/09/2024")
    overdue = sent_to("xaydung@caongoc.example")[1]
    assert overdue.subject == (
        "[Giảm nghèo xã Cao Ngọc] Quá hạn 1 ngày: Báo cáo chỉ tiêu nhà ở năm 2024"
    )
    assert "Tính đến ngày 25/09/2024: quá hạn 1 ngày" in overdue.body
    run("26/09/2024")
    run("15/10/2024")
    assert len(sent_to("xaydung@caongoc.example")) == 2
    assert Reminder.objects.filter(task=task, kind=ReminderKind.OVERDUE).count() == 1


@pytest.mark.parametrize(
    ("first_run", "kinds"),
    [
        ("20/09/2024", [ReminderKind.SEVEN_DAYS]),  # missed 17/09: caught up, once
        ("24/09/2024", [ReminderKind.ONE_DAY]),  # too late for the 7-day one
        ("01/10/2024", [ReminderKind.OVERDUE]),  # only the overdue one
    ],
)
def test_a_missed_day_is_caught_up(
    task: Task, first_run: str, kinds: list[ReminderKind]
) -> None:
    run(first_run)
    run(first_run)
    assert list(Reminder.objects.filter(task=task).values_list("kind", flat=True)) == (
        kinds
    )
    assert len(sent_to("xaydung@caongoc.example")) == 1


def test_a_caught_up_reminder_says_how_many_days_are_really_left(task: Task) -> None:
    run("20/09/2024")
    [message] = sent_to("xaydung@caongoc.example")
    assert message.subject.startswith("[Giảm nghèo xã Cao Ngọc] Còn 4 ngày: ")


def test_running_twice_the_same_day_sends_nothing_new(task: Task) -> None:
    run("25/09/2024")
    counts = (len(mail.outbox), Reminder.objects.count(), TaskEvent.objects.count())
    assert counts == (2, 2, 1)  # the overdue reminder and the officer's digest
    out = run("25/09/2024")
    assert (
        len(mail.outbox),
        Reminder.objects.count(),
        TaskEvent.objects.count(),
    ) == counts
    assert "đã gửi 0 thư nhắc hạn, 0 thư tổng hợp việc quá hạn." in out


@pytest.mark.parametrize("status", [TaskStatus.SUBMITTED, TaskStatus.APPROVED])
def test_submitted_and_approved_tasks_get_nothing(
    housing: Unit, officer: User, status: str
) -> None:
    make_task(housing, status=status)
    for day in ("17/09/2024", "23/09/2024", "25/09/2024", "01/10/2024"):
        run(day)
    assert mail.outbox == []
    assert not Reminder.objects.exists()


def test_a_returned_task_is_still_reminded(housing: Unit, officer: User) -> None:
    make_task(housing, status=TaskStatus.RETURNED)
    run("23/09/2024")
    assert len(sent_to("xaydung@caongoc.example")) == 1


def test_the_digest_lists_the_overdue_tasks_once_a_day(
    housing: Unit, officer: User, commune_a: Commune
) -> None:
    make_task(housing, "Báo cáo chỉ tiêu nhà ở năm 2024")
    make_task(housing, "Xóa nhà đơn sơ, nhà thiếu kiên cố", due=date(2024, 9, 1))
    make_task(housing, "Việc còn hạn", due=date(2024, 12, 31))
    make_task(housing, "Việc đã nộp", due=date(2024, 9, 1), status=TaskStatus.SUBMITTED)

    run("17/09/2024")  # one task already overdue
    [first] = sent_to("canbo@caongoc.example")
    assert first.subject == (
        "[Giảm nghèo xã Cao Ngọc] 1 nhiệm vụ quá hạn tính đến ngày 17/09/2024"
    )

    run("25/09/2024")
    run("25/09/2024")
    digests = sent_to("canbo@caongoc.example")
    assert len(digests) == 2
    digest = digests[1]
    assert digest.subject == (
        "[Giảm nghèo xã Cao Ngọc] 2 nhiệm vụ quá hạn tính đến ngày 25/09/2024"
    )
    assert "Kính gửi Bùi Thị Lan," in digest.body
    assert "Công chức Địa chính - Xây dựng:" in digest.body
    assert "Báo cáo chỉ tiêu nhà ở năm 2024" in digest.body
    assert "Xóa nhà đơn sơ, nhà thiếu kiên cố" in digest.body
    assert "quá hạn 25 ngày" in digest.body  # due before 01/09: late since 31/08
    assert "Việc còn hạn" not in digest.body
    assert "Việc đã nộp" not in digest.body
    assert f"{SITE}/nhiem-vu/bang/" in digest.body
    assert list(
        Reminder.objects.filter(kind=ReminderKind.DIGEST)
        .order_by("sent_on")
        .values_list("task", "recipient", "sent_on")
    ) == [
        (None, officer.pk, date(2024, 9, 17)),
        (None, officer.pk, date(2024, 9, 25)),
    ]

    run("26/09/2024")
    assert len(sent_to("canbo@caongoc.example")) == 3


def test_no_digest_when_nothing_is_overdue(task: Task) -> None:
    run("23/09/2024")
    assert sent_to("canbo@caongoc.example") == []


def test_the_digest_lists_only_the_officers_commune(
    task: Task, commune_b: Commune
) -> None:
    officer_b = make_user(
        "canbo_b", Role.OFFICER, commune_b, email="canbo@minhtien.example"
    )
    unit_b = make_unit(
        commune_b, "ldtbxh", "Công chức Lao động - Thương binh và Xã hội", officer_b
    )
    make_task(unit_b, "Tổng hợp, báo cáo tình hình thực hiện giảm nghèo")
    run("25/09/2024")
    [digest_a] = sent_to("canbo@caongoc.example")
    [_, digest_b] = sent_to("canbo@minhtien.example")  # its own overdue reminder first
    assert "Báo cáo chỉ tiêu nhà ở năm 2024" in digest_a.body
    assert "Tổng hợp, báo cáo" not in digest_a.body
    assert digest_b.subject.startswith("[Giảm nghèo xã Minh Tiến] 1 nhiệm vụ quá hạn")
    assert "Báo cáo chỉ tiêu nhà ở năm 2024" not in digest_b.body


def test_users_without_email_are_skipped_and_counted(
    task: Task, housing: Unit, commune_a: Commune
) -> None:
    colleague = make_user(
        "phoxd", Role.SECTOR_OFFICER, commune_a, last_name="Hà Văn", first_name="Nam"
    )
    housing.members.add(colleague)
    out = run("17/09/2024")
    assert [m.to for m in mail.outbox] == [["xaydung@caongoc.example"]]
    assert "Bỏ qua 1 người chưa có địa chỉ email: phoxd (Hà Văn Nam)." in out
    assert not Reminder.objects.filter(recipient=colleague).exists()
    [event] = TaskEvent.objects.filter(kind=EventKind.REMINDED)
    assert "Hà Văn Nam" not in event.comment


def test_inactive_users_get_nothing(task: Task, builder: User) -> None:
    builder.is_active = False
    builder.save()
    run("17/09/2024")
    assert mail.outbox == []


def test_assignees_are_reminded_instead_of_the_unit(
    task: Task, commune_a: Commune
) -> None:
    assignee = make_user(
        "kythuat", Role.SECTOR_OFFICER, commune_a, email="kythuat@caongoc.example"
    )
    task.assignees.add(assignee)
    run("17/09/2024")
    assert [m.to for m in mail.outbox] == [["kythuat@caongoc.example"]]


def test_a_dry_run_sends_and_records_nothing(task: Task) -> None:
    out = run("25/09/2024", "--dry-run")
    assert mail.outbox == []
    assert not Reminder.objects.exists()
    assert not TaskEvent.objects.exists()
    assert "chạy thử: không gửi thư, không ghi gì" in out
    assert "sẽ gửi 1 thư nhắc hạn (quá hạn: 1), 1 thư tổng hợp" in out
    assert "Quá hạn — Báo cáo chỉ tiêu nhà ở năm 2024" in out
    run("25/09/2024")
    assert len(mail.outbox) == 2


def test_without_a_date_the_run_is_as_of_today(task: Task) -> None:
    with time_machine.travel(datetime(2024, 9, 17, 6, 15, tzinfo=VN), tick=False):
        call_command("send_deadline_reminders", stdout=io.StringIO())
        [event] = TaskEvent.objects.filter(kind=EventKind.REMINDED)
        assert event.at == datetime(2024, 9, 17, 6, 15, tzinfo=VN)
        assert "Tính đến ngày" not in event.comment
    assert mail.outbox[0].subject.startswith("[Giảm nghèo xã Cao Ngọc] Còn 7 ngày")
    assert Reminder.objects.get().sent_on == date(2024, 9, 17)


def test_a_bad_date_is_refused(db: None) -> None:
    with pytest.raises(CommandError, match="dd/mm/yyyy"):
        run("2024-09-17")


def test_a_failed_send_is_retried_by_the_next_run(
    task: Task, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(self: object, message: object) -> None:
        raise SMTPException("máy chủ thư không trả lời")

    with monkeypatch.context() as patch:
        patch.setattr(reminders._Outbox, "send", refuse)
        with pytest.raises(CommandError, match="không gửi được"):
            run("17/09/2024")
    assert not Reminder.objects.exists()
    assert not TaskEvent.objects.exists()
    run("18/09/2024")
    assert len(mail.outbox) == 1
    assert Reminder.objects.get().kind == ReminderKind.SEVEN_DAYS
