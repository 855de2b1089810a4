"""Deadline reminders by email (`manage.py send_deadline_reminders`, daily from cron).

For every task not handed in, each person acting for it (`Task.people()`) is mailed
7 days and 1 day before its last on-time day, and once when it is overdue; the
LĐ-TB&XH officers (the `ldtbxh` unit of each commune) get one digest a day of what is
overdue in their commune. A run that missed a day catches up: the 7-day reminder goes
out while 1 < days left ≤ 7, the 1-day one while 0 ≤ days left ≤ 1, each once.

The `Reminder` rows are the memory: one per task, person and threshold, one digest per
person and day (unique constraints), so a second run on the same day sends nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import groupby
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, mailers
from django.core.mail.backends.base import BaseEmailBackend
from django.db import IntegrityError, transaction
from django.urls import reverse

from households import clock
from households.models import Commune
from tasks.models import (
    DONE_STATUSES,
    EventKind,
    Reminder,
    ReminderKind,
    Task,
    TaskEvent,
)

if TYPE_CHECKING:
    from giamngheo.models import User

logger = logging.getLogger(__name__)

SEVEN_DAYS = 7
ONE_DAY = 1
OFFICER_UNIT = "ldtbxh"
TASK_KINDS = (ReminderKind.SEVEN_DAYS, ReminderKind.ONE_DAY, ReminderKind.OVERDUE)


def threshold(task: Task, on: date) -> ReminderKind | None:
    """The reminder a task not handed in is due on `on`, if any (before checking what
    was already sent): overdue from `due_before` on, else by the days left until the
    last on-time day."""
    if on >= task.due_before:
        return ReminderKind.OVERDUE
    left = task.days_left(on)
    if 0 <= left <= ONE_DAY:
        return ReminderKind.ONE_DAY
    if ONE_DAY < left <= SEVEN_DAYS:
        return ReminderKind.SEVEN_DAYS
    return None


def site_url() -> str:
    return str(settings.SITE_URL).rstrip("/")


def _name(user: User) -> str:
    return user.get_full_name() or user.username


def _addressed(user: User) -> str:
    return f"{_name(user)} <{user.email}>"


def _days_state(task: Task, on: date) -> str:
    """ "còn 7 ngày", "hôm nay là ngày cuối cùng", "quá hạn 3 ngày"."""
    left = task.days_left(on)
    if left < 0:
        return f"quá hạn {-left} ngày"
    if left == 0:
        return "hôm nay là ngày cuối cùng còn đúng hạn"
    return f"còn {left} ngày"


def _subject_prefix(commune: Commune) -> str:
    return f"[Giảm nghèo xã {commune.name}]"


def task_message(task: Task, person: User, on: date) -> EmailMessage:
    state = _days_state(task, on)
    subject = f"{_subject_prefix(task.commune)} {state[:1].upper()}{state[1:]}: "
    subject += task.title
    body = "\n".join(
        [
            f"Kính gửi {_name(person)},",
            "",
            f"Hệ thống giảm nghèo xã {task.commune.name} nhắc hạn nhiệm vụ của "
            f"{task.unit.name}:",
            "",
            f"  Nhiệm vụ: {task.title}",
            f"  Căn cứ: kế hoạch giảm nghèo năm {task.year}, mục "
            f"{task.source.replace('§', '')}"
            if task.source
            else f"  Căn cứ: kế hoạch giảm nghèo năm {task.year}",
            f"  Thời hạn theo kế hoạch: {task.deadline_text}",
            f"  Ngày cuối cùng còn đúng hạn: {task.last_on_time_day:%d/%m/%Y}",
            f"  Tính đến ngày {on:%d/%m/%Y}: {state}",
            f"  Tình trạng: {task.get_status_display()}",
            f"  Nộp cho: {task.get_recipient_display()}",
            "",
            f"Xem nhiệm vụ và nộp kết quả: {site_url()}{task.get_absolute_url()}",
            "",
            "Thư gửi tự động từ hệ thống giảm nghèo; xin đừng trả lời thư này.",
        ]
    )
    return EmailMessage(subject=subject, body=body, to=[person.email])


def digest_message(
    officer: User, commune: Commune, tasks: Sequence[Task], on: date
) -> EmailMessage:
    subject = (
        f"{_subject_prefix(commune)} {len(tasks)} nhiệm vụ quá hạn tính đến ngày "
        f"{on:%d/%m/%Y}"
    )
    lines = [
        f"Kính gửi {_name(officer)},",
        "",
        f"Tính đến ngày {on:%d/%m/%Y}, xã {commune.name} có {len(tasks)} nhiệm vụ quá "
        "hạn chưa nộp:",
    ]
    ordered = sorted(tasks, key=lambda t: (t.unit.position, t.unit.name, t.due_before))
    for unit, unit_tasks in groupby(ordered, key=lambda t: t.unit):
        lines += ["", f"{unit.name}:"]
        for task in unit_tasks:
            lines += [
                f"  - {task.title}",
                f"    Thời hạn: {task.deadline_text} (ngày cuối cùng còn đúng hạn "
                f"{task.last_on_time_day:%d/%m/%Y}); {_days_state(task, on)}; "
                f"{task.get_status_display().lower()}.",
                f"    {site_url()}{task.get_absolute_url()}",
            ]
    lines += [
        "",
        f"Bảng nhiệm vụ: {site_url()}{reverse('tasks:board')}",
        "",
        "Thư tổng hợp gửi tự động mỗi ngày có việc quá hạn; xin đừng trả lời thư này.",
    ]
    return EmailMessage(subject=subject, body="\n".join(lines), to=[officer.email])


@dataclass(frozen=True)
class Sent:
    """Mail that went out (or, in a dry run, would go out)."""

    kind: ReminderKind
    recipients: tuple[str, ...]
    task: Task | None = None
    commune: Commune | None = None
    overdue: int = 0  # tasks listed in a digest


@dataclass
class Run:
    on: date
    dry_run: bool = False
    sent: list[Sent] = field(default_factory=list)
    without_email: dict[int, User] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)

    @property
    def messages(self) -> int:
        return sum(len(s.recipients) for s in self.sent)

    def lines(self) -> list[str]:
        """The command's report, in Vietnamese."""
        head = f"Nhắc hạn ngày {self.on:%d/%m/%Y}"
        if self.dry_run:
            head += " (chạy thử: không gửi thư, không ghi gì)"
        verb = "sẽ gửi" if self.dry_run else "đã gửi"
        per_kind = {
            kind: sum(len(s.recipients) for s in self.sent if s.kind == kind)
            for kind in ReminderKind
        }
        reminders = sum(per_kind[k] for k in TASK_KINDS)
        detail = ", ".join(
            f"{str(k.label).lower()}: {per_kind[k]}" for k in TASK_KINDS if per_kind[k]
        )
        lines = [
            f"{head}: {verb} {reminders} thư nhắc hạn"
            + (f" ({detail})" if detail else "")
            + f", {per_kind[ReminderKind.DIGEST]} thư tổng hợp việc quá hạn."
        ]
        for sent in self.sent:
            names = ", ".join(sent.recipients)
            if sent.task is not None:
                lines.append(
                    f"  {sent.kind.label} — {sent.task.title} "
                    f"({sent.task.unit.name}): {names}"
                )
            else:
                lines.append(
                    f"  {sent.kind.label} — xã {sent.commune.name}, {sent.overdue} "
                    f"nhiệm vụ quá hạn: {names}"
                )
        if self.without_email:
            people = sorted(self.without_email.values(), key=lambda u: u.username)
            lines.append(
                f"Bỏ qua {len(people)} người chưa có địa chỉ email: "
                + ", ".join(f"{u.username} ({_name(u)})" for u in people)
                + "."
            )
        lines += [f"Lỗi: {failure}" for failure in self.failures]
        return lines


class _Outbox:
    """One mail connection for the run, opened at the first message. When the server
    cannot be reached, the rest of the run fails fast instead of waiting on each."""

    def __init__(self) -> None:
        self.connection: BaseEmailBackend | None = None
        self.unreachable: Exception | None = None

    def send(self, message: EmailMessage) -> None:
        if self.unreachable is not None:
            raise self.unreachable
        if self.connection is None:
            self.connection = mailers.default
            try:
                self.connection.open()
            except Exception as exc:
                self.unreachable = exc
                raise
        self.connection.send_messages([message])

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()


def send_deadline_reminders(*, on: date, dry_run: bool = False) -> Run:
    """Send what is due on `on` and not yet sent; record each reminder."""
    run = Run(on=on, dry_run=dry_run)
    outbox = _Outbox()
    try:
        # Only tasks whose last on-time day is at most 7 days away, or past.
        tasks = (
            Task.objects.exclude(status__in=DONE_STATUSES)
            .filter(due_before__lte=on + timedelta(days=SEVEN_DAYS + 1))
            .select_related("commune", "unit")
            .prefetch_related("assignees", "unit__members")
            .order_by("commune_id", "due_before", "position", "pk")
        )
        for task in tasks:
            kind = threshold(task, on)
            if kind is not None:
                _remind(task, kind, run, outbox)
        _digests(run, outbox)
    finally:
        outbox.close()
    return run


def _recipients(people: Iterable[User], run: Run) -> list[User]:
    recipients = []
    for person in people:
        if not person.is_active:
            continue
        if person.email.strip():
            recipients.append(person)
        else:
            run.without_email[person.pk] = person
    return recipients


def _remind(task: Task, kind: ReminderKind, run: Run, outbox: _Outbox) -> None:
    people = _recipients(task.people(), run)
    if not people:
        return
    if run.dry_run:
        due = _not_yet_reminded(task, kind, people)
        if due:
            run.sent.append(Sent(kind, tuple(_addressed(p) for p in due), task=task))
        return
    # Mail is not transactional, so the decision is recorded before anything leaves:
    # the Reminder rows are created in the same transaction that checks what was
    # already sent, and the mail goes out once that block has committed (the command
    # runs in autocommit). Two overlapping runs therefore cannot both send: the second
    # one's insert hits the unique constraint. A crash between the commit and the send
    # loses that one reminder rather than sending it twice; a send that fails
    # (server down) gives its row back, so the next run tries again; the task's
    # history records only the mail that went out. (Not `transaction.on_commit`: a
    # caller inside an outer transaction, as in the tests, would then never send.)
    try:
        with transaction.atomic():
            due = _not_yet_reminded(task, kind, people)
            if not due:
                return
            claims = Reminder.objects.bulk_create(
                Reminder(task=task, recipient=p, kind=kind, sent_on=run.on) for p in due
            )
    except IntegrityError:
        return  # another run has just claimed them
    delivered = _deliver(
        [
            (claim, task_message(task, person, run.on))
            for claim, person in zip(claims, due, strict=True)
        ],
        run,
        outbox,
    )
    if not delivered:
        return
    recipients = [p for p in due if p.pk in delivered]
    TaskEvent.objects.create(
        task=task,
        kind=EventKind.REMINDED,
        at=clock.now(),
        comment=_event_comment(task, kind, recipients, run.on),
    )
    run.sent.append(Sent(kind, tuple(_addressed(p) for p in recipients), task=task))


def _not_yet_reminded(
    task: Task, kind: ReminderKind, people: Sequence[User]
) -> list[User]:
    sent = set(
        Reminder.objects.filter(task=task, kind=kind, recipient__in=people).values_list(
            "recipient_id", flat=True
        )
    )
    return [p for p in people if p.pk not in sent]


def _deliver(
    claimed: Sequence[tuple[Reminder, EmailMessage]], run: Run, outbox: _Outbox
) -> set[int]:
    """Send each message; give back the claim of each that failed. Returns the ids of
    the recipients reached."""
    delivered: set[int] = set()
    for claim, message in claimed:
        try:
            outbox.send(message)
        except Exception as exc:  # SMTP, network, provider: whatever, retry tomorrow
            logger.warning("Reminder mail to %s failed: %s", message.to, exc)
            claim.delete()
            run.failures.append(
                f"không gửi được thư tới {', '.join(message.to)} ({exc}); sẽ gửi lại "
                "lần chạy sau."
            )
        else:
            delivered.add(claim.recipient_id)
    return delivered


def _event_comment(
    task: Task, kind: ReminderKind, recipients: Sequence[User], on: date
) -> str:
    names = ", ".join(_addressed(p) for p in recipients)
    text = (
        f"Đã gửi thư nhắc hạn (ngưỡng: {str(kind.label).lower()}; "
        f"{_days_state(task, on)}) tới: {names}."
    )
    if on != clock.today():
        text += f" Tính đến ngày {on:%d/%m/%Y}."
    return text


def _digests(run: Run, outbox: _Outbox) -> None:
    overdue = (
        Task.objects.overdue(run.on)
        .select_related("commune", "unit")
        .order_by("commune_id", "due_before", "position", "pk")
    )
    for commune, grouped in groupby(overdue, key=lambda t: t.commune):
        tasks = list(grouped)
        officers = _recipients(
            get_user_model()
            .objects.filter(units__commune=commune, units__slug=OFFICER_UNIT)
            .distinct()
            .order_by("username"),
            run,
        )
        for officer in officers:
            _digest(officer, commune, tasks, run, outbox)


def _digest(
    officer: User, commune: Commune, tasks: Sequence[Task], run: Run, outbox: _Outbox
) -> None:
    sent_today = Reminder.objects.filter(
        task__isnull=True, recipient=officer, kind=ReminderKind.DIGEST, sent_on=run.on
    )
    if run.dry_run:
        if not sent_today.exists():
            run.sent.append(
                Sent(
                    ReminderKind.DIGEST,
                    (_addressed(officer),),
                    commune=commune,
                    overdue=len(tasks),
                )
            )
        return
    # Claimed before sending, for the reasons given in _remind().
    try:
        with transaction.atomic():
            if sent_today.exists():
                return
            claim = Reminder.objects.create(
                task=None, recipient=officer, kind=ReminderKind.DIGEST, sent_on=run.on
            )
    except IntegrityError:
        return
    message = digest_message(officer, commune, tasks, run.on)
    if _deliver([(claim, message)], run, outbox):
        run.sent.append(
            Sent(
                ReminderKind.DIGEST,
                (_addressed(officer),),
                commune=commune,
                overdue=len(tasks),
            )
        )
