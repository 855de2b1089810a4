"""Task statuses: chưa bắt đầu → đang thực hiện → đã nộp → đã duyệt, or trả lại → đã
nộp again; who may take each step; overdue at the edge of a "trước" date.

Commune A's units: the LĐ-TB&XH officer (`officer`), the health station (`sector`),
and Làng Chiềng (`head_a1`). The builders here are shared by the other task tests.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from giamngheo.models import User
from households.models import Commune, Village
from tasks import actions
from tasks.actions import TransitionRefused
from tasks.models import (
    Decision,
    EventKind,
    Submission,
    Task,
    TaskStatus,
    Unit,
    UnitKind,
)

pytestmark = pytest.mark.django_db

VN = ZoneInfo("Asia/Ho_Chi_Minh")
DUE = date(2024, 9, 25)  # "trước 25/9/2024": 24/9 is the last day on time


def make_unit(
    commune: Commune,
    slug: str,
    name: str,
    *members: User,
    kind: str = UnitKind.OFFICER,
    village: Village | None = None,
    position: int = 0,
) -> Unit:
    unit = Unit.objects.create(
        commune=commune,
        slug=slug,
        name=name,
        kind=kind,
        village=village,
        position=position,
    )
    unit.members.set(members)
    return unit


def make_task(
    unit: Unit,
    title: str = "Báo cáo kết quả thực hiện chỉ tiêu nhà tiêu hợp vệ sinh",
    *,
    due: date = DUE,
    status: str = TaskStatus.NOT_STARTED,
    **fields: object,
) -> Task:
    return Task.objects.create(
        commune=unit.commune,
        year=due.year,
        title=title,
        duty_text="Trạm Y tế xã chủ trì, báo cáo kết quả về UBND xã.",
        unit=unit,
        due_before=due,
        deadline_text=f"trước {due.day}/{due.month}/{due.year}",
        status=status,
        **fields,
    )


def vn_time(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=VN)


def messages_of(response: object) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]  # type: ignore[attr-defined]


@pytest.fixture
def officer_unit(officer: User) -> Unit:
    return make_unit(officer.commune, "ldtbxh", "Công chức LĐ-TB&XH", officer)  # type: ignore[arg-type]


@pytest.fixture
def health_unit(sector: User) -> Unit:
    return make_unit(
        sector.commune,  # type: ignore[arg-type]
        "tram-y-te",
        "Trạm Y tế xã",
        sector,
        kind=UnitKind.INSTITUTION,
        position=2,
    )


@pytest.fixture
def village_unit(head_a1: User, village_a1: Village) -> Unit:
    return make_unit(
        village_a1.commune,
        "lang-chieng",
        "Làng Chiềng",
        head_a1,
        kind=UnitKind.VILLAGE,
        village=village_a1,
        position=5,
    )


@pytest.fixture
def task(health_unit: Unit) -> Task:
    return make_task(health_unit)


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def submitted(task: Task, by: User, note: str = "Đã tổng hợp xong.") -> Submission:
    return actions.submit_task(task, by=by, note=note, figures=[], files=[])


# --- The happy path, through the actions ---------------------------------------------


def test_member_starts_and_submits_and_officer_approves(
    task: Task, sector: User, officer: User
) -> None:
    actions.start_task(task, by=sector)
    assert task.status == TaskStatus.IN_PROGRESS

    submission = submitted(task, sector)
    task.refresh_from_db()
    assert task.status == TaskStatus.SUBMITTED
    assert submission.decision == Decision.PENDING

    actions.approve_submission(submission, by=officer, comment="Đạt yêu cầu.")
    task.refresh_from_db()
    submission.refresh_from_db()
    assert task.status == TaskStatus.APPROVED
    assert submission.decision == Decision.APPROVED
    assert submission.decided_by == officer
    assert [e.kind for e in task.events.order_by("at", "pk")] == [
        EventKind.STARTED,
        EventKind.SUBMITTED,
        EventKind.APPROVED,
    ]
    assert task.events.get(kind=EventKind.APPROVED).comment == "Đạt yêu cầu."


def test_returned_task_is_submitted_again_and_keeps_both_submissions(
    task: Task, sector: User, officer: User
) -> None:
    first = submitted(task, sector)
    actions.return_submission(first, by=officer, comment="Thiếu số liệu thôn Bột.")
    task.refresh_from_db()
    assert task.status == TaskStatus.RETURNED

    second = submitted(task, sector, note="Đã bổ sung số liệu thôn Bột.")
    task.refresh_from_db()
    assert task.status == TaskStatus.SUBMITTED
    assert list(task.submissions.all()) == [second, first]
    assert [e.kind for e in task.events.order_by("at", "pk")] == [
        EventKind.SUBMITTED,
        EventKind.RETURNED,
        EventKind.SUBMITTED,
    ]
    assert "Nộp lại" in task.events.order_by("-at", "-pk")[0].comment


def test_submit_without_start_is_allowed_for_the_village_plans(
    task: Task, sector: User
) -> None:
    submitted(task, sector)
    task.refresh_from_db()
    assert task.status == TaskStatus.SUBMITTED


# --- Refused transitions -------------------------------------------------------------


def test_starting_twice_is_refused(task: Task, sector: User) -> None:
    actions.start_task(task, by=sector)
    with pytest.raises(TransitionRefused, match="không thể bắt đầu lại"):
        actions.start_task(task, by=sector)


def test_submitting_an_approved_task_is_refused(
    task: Task, sector: User, officer: User
) -> None:
    actions.approve_submission(submitted(task, sector), by=officer)
    with pytest.raises(TransitionRefused, match="đã được duyệt"):
        submitted(task, sector)
    assert task.submissions.count() == 1


def test_submitting_twice_while_pending_is_refused(task: Task, sector: User) -> None:
    submitted(task, sector)
    with pytest.raises(TransitionRefused, match="đang chờ duyệt"):
        submitted(task, sector)


def test_return_without_comment_is_refused(
    task: Task, sector: User, officer: User
) -> None:
    submission = submitted(task, sector)
    with pytest.raises(TransitionRefused, match="phải ghi ý kiến"):
        actions.return_submission(submission, by=officer, comment="  ")
    task.refresh_from_db()
    assert task.status == TaskStatus.SUBMITTED


def test_a_decided_submission_cannot_be_decided_again(
    task: Task, sector: User, officer: User
) -> None:
    submission = submitted(task, sector)
    actions.approve_submission(submission, by=officer)
    with pytest.raises(TransitionRefused, match="đã được xử lý"):
        actions.return_submission(submission, by=officer, comment="Sửa lại.")


@pytest.mark.parametrize("role", ["sector", "head_a1", "chairman"])
def test_only_the_officer_approves(
    request: pytest.FixtureRequest, task: Task, sector: User, role: str
) -> None:
    submission = submitted(task, sector)
    with pytest.raises(PermissionDenied):
        actions.approve_submission(submission, by=request.getfixturevalue(role))


def test_someone_outside_the_unit_cannot_submit(task: Task, officer: User) -> None:
    with pytest.raises(PermissionDenied):
        submitted(task, officer)


def test_an_assignee_outside_the_unit_may_submit(task: Task, head_a1: User) -> None:
    task.assignees.add(head_a1)
    submitted(task, head_a1)
    task.refresh_from_db()
    assert task.status == TaskStatus.SUBMITTED


# --- The same rules through the pages ------------------------------------------------


def test_start_button_moves_the_task_in_progress(task: Task, sector: User) -> None:
    response = client_for(sector).post(reverse("tasks:start", args=[task.pk]))
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == TaskStatus.IN_PROGRESS


@pytest.mark.parametrize("role", ["sector", "head_a1"])
def test_village_head_and_sector_officer_get_403_on_approve(
    request: pytest.FixtureRequest,
    task: Task,
    sector: User,
    village_unit: Unit,
    role: str,
) -> None:
    task.assignees.add(request.getfixturevalue("head_a1"))  # so the head sees it
    submission = submitted(task, sector)
    response = client_for(request.getfixturevalue(role)).post(
        reverse("tasks:decide", args=[submission.pk]), {"decision": "approved"}
    )
    assert response.status_code == 403
    task.refresh_from_db()
    assert task.status == TaskStatus.SUBMITTED


def test_officer_approves_through_the_page(
    task: Task, sector: User, officer: User
) -> None:
    submission = submitted(task, sector)
    response = client_for(officer).post(
        reverse("tasks:decide", args=[submission.pk]),
        {"decision": "approved", "comment": "Tốt."},
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == TaskStatus.APPROVED
    assert "Đã duyệt" in messages_of(response)[0]


def test_approving_a_task_that_is_not_submitted_is_refused_with_a_message(
    task: Task, sector: User, officer: User
) -> None:
    # A pending submission left over while the task is back in progress.
    submission = Submission.objects.create(
        task=task, submitted_by=sector, submitted_at=vn_time(date(2024, 9, 1))
    )
    Task.objects.filter(pk=task.pk).update(status=TaskStatus.IN_PROGRESS)

    response = client_for(officer).post(
        reverse("tasks:decide", args=[submission.pk]), {"decision": "approved"}
    )

    assert response.status_code == 302
    assert "chưa nộp" in messages_of(response)[0]
    task.refresh_from_db()
    submission.refresh_from_db()
    assert task.status == TaskStatus.IN_PROGRESS
    assert submission.decision == Decision.PENDING


def test_return_without_comment_through_the_page_shows_the_error(
    task: Task, sector: User, officer: User
) -> None:
    submission = submitted(task, sector)
    response = client_for(officer).post(
        reverse("tasks:decide", args=[submission.pk]), {"decision": "returned"}
    )
    assert response.status_code == 200
    assert "Trả lại phải ghi ý kiến" in response.content.decode()
    task.refresh_from_db()
    assert task.status == TaskStatus.SUBMITTED


def test_submitting_an_approved_task_through_the_page_is_refused(
    task: Task, sector: User, officer: User
) -> None:
    actions.approve_submission(submitted(task, sector), by=officer)
    response = client_for(sector).post(
        reverse("tasks:submit", args=[task.pk]), {"note": "Nộp thêm."}
    )
    assert response.status_code == 302
    assert "đã được duyệt" in messages_of(response)[0]
    assert task.submissions.count() == 1


def test_officer_who_is_not_in_the_unit_gets_403_on_submit(
    task: Task, officer: User
) -> None:
    response = client_for(officer).get(reverse("tasks:submit", args=[task.pk]))
    assert response.status_code == 403


def test_returned_task_page_offers_to_submit_again(
    task: Task, sector: User, officer: User
) -> None:
    actions.return_submission(
        submitted(task, sector), by=officer, comment="Thiếu danh sách hộ."
    )
    client = client_for(sector)
    page = client.get(task.get_absolute_url()).content.decode()
    assert "Nộp lại" in page
    assert "Thiếu danh sách hộ." in page

    form = client.get(reverse("tasks:submit", args=[task.pk])).content.decode()
    assert "Thiếu danh sách hộ." in form  # the officer's comment, where it is needed

    client.post(reverse("tasks:submit", args=[task.pk]), {"note": "Đã bổ sung."})
    task.refresh_from_db()
    assert task.status == TaskStatus.SUBMITTED


# --- Overdue at the edge of "trước 25/9/2024" -----------------------------------------


def test_the_day_before_the_trước_date_is_the_last_day_on_time(task: Task) -> None:
    assert task.last_on_time_day == date(2024, 9, 24)


def test_not_overdue_on_the_last_on_time_day(task: Task, sector: User) -> None:
    with time_machine.travel(vn_time(date(2024, 9, 24), 23), tick=False):
        page = client_for(sector).get(reverse("tasks:mine")).content.decode()
        assert not task.is_overdue(date(2024, 9, 24))
        assert not Task.objects.overdue(date(2024, 9, 24)).exists()
    assert "hôm nay là ngày cuối" in page
    assert "task-row overdue" not in page


def test_overdue_on_the_trước_date(task: Task, sector: User) -> None:
    with time_machine.travel(vn_time(date(2024, 9, 25), 0), tick=False):
        page = client_for(sector).get(reverse("tasks:mine")).content.decode()
    assert task.is_overdue(date(2024, 9, 25))
    assert list(Task.objects.overdue(date(2024, 9, 25))) == [task]
    assert "quá hạn 1 ngày" in page
    assert "task-row overdue" in page


def test_a_submitted_task_is_not_overdue(task: Task, sector: User) -> None:
    with time_machine.travel(vn_time(date(2024, 9, 20)), tick=False):
        submitted(task, sector)
    with time_machine.travel(vn_time(date(2024, 10, 5)), tick=False):
        page = client_for(sector).get(reverse("tasks:mine")).content.decode()
    task.refresh_from_db()
    assert not task.is_overdue(date(2024, 10, 5))
    assert not Task.objects.overdue(date(2024, 10, 5)).exists()
    assert "task-row overdue" not in page


def test_a_submission_on_the_trước_date_is_late(task: Task, sector: User) -> None:
    with time_machine.travel(vn_time(date(2024, 9, 25), 8), tick=False):
        submission = submitted(task, sector)
    assert submission.late
