"""Village plans (kế hoạch thôn, §III.2.11): opening, filling, submitting, returning,
approving, reopening; who may do each; late at the edge of "trước ngày 15/03/2024".

Commune A at the start of 2024 (31/12/2023): Làng Chiềng has two poor households
(CN-01-0001 Bùi Văn Hùng, CN-01-0002 Quách Thị Mai) and one that is not poor; Làng
Bột has one poor household. The commune assigned Làng Chiềng a reduction of 2.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from giamngheo.models import User
from households.models import Commune, Household, Village
from targets.models import PovertyTarget, VillageAllocation
from tasks import plan_actions
from tasks.models import (
    Decision,
    DeliverableKind,
    EventKind,
    HouseholdPlan,
    PlanStatus,
    Task,
    TaskStatus,
    Unit,
    UnitKind,
    VillagePlan,
)
from tasks.plan_forecast import expected_escapes
from tasks.plan_forms import HouseholdPlanForm
from tests.conftest import make_household, make_review
from tests.households.test_scope import database_state

pytestmark = pytest.mark.django_db

VN = ZoneInfo("Asia/Ho_Chi_Minh")
LONG_AGO = date(2015, 1, 1)
REVIEWED = date(2023, 11, 20)
POOR = ("viec_lam", "dinh_duong", "nha_tieu_hop_ve_sinh")


def poor(village: Village, code: str, head: str, on: date = REVIEWED) -> Household:
    household = make_household(village, code, head, registered_on=LONG_AGO)
    make_review(household, deprived=POOR, on=on)
    return household


@pytest.fixture
def register(village_a1: Village, village_a2: Village) -> dict[str, Household]:
    not_poor = make_household(village_a1, "CN-01-0003", registered_on=LONG_AGO)
    make_review(not_poor, income=3_000_000, on=REVIEWED)
    return {
        "hung": poor(village_a1, "CN-01-0001", "Bùi Văn Hùng"),
        "mai": poor(village_a1, "CN-01-0002", "Quách Thị Mai"),
        "not_poor": not_poor,
        "bot": poor(village_a2, "CN-02-0001", "Hà Văn Sơn"),
    }


@pytest.fixture
def target(commune_a: Commune, village_a1: Village, village_a2: Village) -> None:
    target = PovertyTarget.objects.create(
        commune=commune_a, year=2024, poor_target_end=1
    )
    VillageAllocation.objects.create(
        target=target, village=village_a1, poor_reduction=2
    )
    VillageAllocation.objects.create(
        target=target, village=village_a2, poor_reduction=0
    )


@pytest.fixture
def plan_task(village_a1: Village, head_a1: User) -> Task:
    """Làng Chiềng's task for 15/03/2024; its head acts for the village's unit."""
    unit = Unit.objects.create(
        commune=village_a1.commune,
        slug="lang-chieng",
        name="Làng Chiềng",
        kind=UnitKind.VILLAGE,
        village=village_a1,
    )
    unit.members.add(head_a1)
    return Task.objects.create(
        commune=village_a1.commune,
        year=2024,
        title="Xây dựng kế hoạch giảm nghèo năm 2024 của thôn",
        duty_text="Xây dựng Kế hoạch thực hiện Chương trình giảm nghèo…",
        unit=unit,
        kind=DeliverableKind.PLAN,
        due_before=date(2024, 3, 15),
        deadline_text="trước ngày 15/03/2024",
    )


@pytest.fixture
def plan(
    register: dict[str, Household], target: None, plan_task: Task, head_a1: User
) -> VillagePlan:
    return plan_actions.open_plan(register["hung"].village, 2024, by=head_a1)


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def texts(response: object) -> list[str]:
    """The messages this response added (earlier redirects leave theirs queued)."""
    request = response.wsgi_request  # type: ignore[attr-defined]
    storage = get_messages(request)
    return [str(m) for m in storage._queued_messages]  # type: ignore[attr-defined]


FULL = {
    "causes": ["capital", "knowledge"],
    "solutions": ["credit"],
    "solution_note": "Nuôi 2 con bò sinh sản",
    "resource_amount": "50.000.000",
    "resource_in_kind": "",
    "resource_source": "NHCSXH",
    "helper_groups": ["Chi hội Phụ nữ"],
    "helper_person": "Bùi Văn Thắng",
    "expected_escape": "on",
}


def fill(client: Client, plan: VillagePlan, household: Household, **data: object):
    url = reverse("tasks:plan_household", args=[plan.pk, household.pk])
    return client.post(url, {**FULL, **data})


def fill_all(client: Client, plan: VillagePlan, register: dict[str, Household]) -> None:
    for key in ("hung", "mai"):
        assert fill(client, plan, register[key]).status_code == 302


def submit(client: Client, plan: VillagePlan):
    return client.post(reverse("tasks:plan_submit", args=[plan.pk]))


def decide(client: Client, plan: VillagePlan, decision: str, comment: str = ""):
    return client.post(
        reverse("tasks:plan_decide", args=[plan.pk]),
        {"decision": decision, "comment": comment},
    )


# Opening a plan


def test_head_opens_the_plan_with_every_poor_household_of_the_start_of_the_year(
    register: dict[str, Household], target: None, plan_task: Task, head_a1: User
) -> None:
    client = client_for(head_a1)
    page = client.get(reverse("tasks:plan_list"))
    assert page.status_code == 200
    assert "Lập kế hoạch" in page.content.decode()

    response = client.post(reverse("tasks:plan_list"), {"village": head_a1.village_id})

    plan = VillagePlan.objects.get()
    assert response.status_code == 302
    assert response["Location"] == plan.get_absolute_url()
    assert (plan.year, plan.due_before, plan.status) == (
        2024,
        date(2024, 3, 15),
        "draft",
    )
    listed = set(plan.households.values_list("household__code", flat=True))
    assert listed == {"CN-01-0001", "CN-01-0002"}
    plan_task.refresh_from_db()
    assert plan.task == plan_task
    assert plan_task.status == TaskStatus.IN_PROGRESS


def test_list_sends_the_head_to_the_village_plan(
    plan: VillagePlan, head_a1: User
) -> None:
    response = client_for(head_a1).get(reverse("tasks:plan_list"))
    assert response.status_code == 302
    assert response["Location"] == plan.get_absolute_url()


def test_plan_page_shows_deprivations_by_indicator_name(
    plan: VillagePlan, head_a1: User
) -> None:
    page = client_for(head_a1).get(plan.get_absolute_url()).content.decode()
    assert "Bùi Văn Hùng" in page
    assert "Việc làm, Dinh dưỡng, Nhà tiêu hợp vệ sinh" in page


def test_rows_are_kept_when_a_household_leaves_the_list_and_added_when_one_joins(
    plan: VillagePlan, register: dict[str, Household], head_a1: User
) -> None:
    # A correction recorded later says Hùng was not poor at the end of 2023.
    make_review(register["hung"], income=3_000_000, on=date(2023, 12, 20))
    newcomer = poor(plan.village, "CN-01-0009", "Bùi Thị Hoa", on=date(2023, 12, 1))
    client = client_for(head_a1)

    page = client.get(plan.get_absolute_url()).content.decode()
    assert "Bùi Thị Hoa" in page  # her card, not saved: a GET writes nothing
    assert not plan.households.filter(household=newcomer).exists()

    assert fill(client, plan, register["mai"]).status_code == 302

    codes = set(plan.households.values_list("household__code", flat=True))
    assert codes == {"CN-01-0001", "CN-01-0002", newcomer.code}


def test_the_writer_s_get_of_the_plan_pages_writes_nothing(
    plan: VillagePlan, register: dict[str, Household], head_a1: User
) -> None:
    """Issue 13: the plan page created the listed households' rows on a GET."""
    newcomer = poor(plan.village, "CN-01-0009", "Bùi Thị Hoa", on=date(2023, 12, 1))
    client = client_for(head_a1)
    before = database_state()
    rows = HouseholdPlan.objects.count()

    detail = client.get(plan.get_absolute_url())
    card = client.get(reverse("tasks:plan_household", args=[plan.pk, newcomer.pk]))

    assert detail.status_code == card.status_code == 200
    assert "Bùi Thị Hoa" in detail.content.decode()
    assert HouseholdPlan.objects.count() == rows
    assert database_state() == before

    response = fill(client, plan, newcomer)  # her row is saved with her card

    assert response.status_code == 302
    assert plan.households.filter(household=newcomer).count() == 1


def test_household_that_became_poor_in_the_year_can_be_added(
    plan: VillagePlan, head_a1: User
) -> None:
    later = poor(plan.village, "CN-01-0010", "Bùi Văn Tư", on=date(2024, 2, 1))
    client = client_for(head_a1)
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "Hộ nghèo phát sinh trong năm" in page
    assert "Bùi Văn Tư" in page

    response = fill(client, plan, later)

    assert response.status_code == 302
    assert plan.households.filter(household=later, expected_escape=True).exists()


def test_a_household_of_another_village_cannot_be_added(
    plan: VillagePlan, register: dict[str, Household], head_a1: User
) -> None:
    response = fill(client_for(head_a1), plan, register["bot"])
    assert response.status_code == 404
    assert not plan.households.filter(household=register["bot"]).exists()


def test_amount_is_read_as_people_write_it() -> None:
    form = HouseholdPlanForm(
        {"resource_amount": "5.000.000 đ", "helper_groups": ["Chi hội Nông dân"]},
        instance=HouseholdPlan(),
        year=2024,
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["resource_amount"] == 5_000_000
    assert form.instance.helper == "Chi hội Nông dân"


def test_helper_is_split_back_into_groups_and_person() -> None:
    row = HouseholdPlan(helper="Chi hội Phụ nữ; Bùi Văn Thắng")
    form = HouseholdPlanForm(instance=row, year=2024)
    assert form.initial["helper_groups"] == ["Chi hội Phụ nữ"]
    assert form.initial["helper_person"] == "Bùi Văn Thắng"


# Scope and roles


def test_head_gets_404_for_another_villages_plan(
    plan: VillagePlan, register: dict[str, Household], head_a2: User
) -> None:
    client = client_for(head_a2)
    assert client.get(plan.get_absolute_url()).status_code == 404
    assert fill(client, plan, register["hung"]).status_code == 404
    assert submit(client, plan).status_code == 404
    assert client.get(reverse("tasks:plan_edit", args=[plan.pk])).status_code == 404
    assert not HouseholdPlan.objects.exclude(causes=[]).exists()


def test_officer_of_another_commune_gets_404(plan: VillagePlan, outsider: User) -> None:
    assert client_for(outsider).get(plan.get_absolute_url()).status_code == 404


def test_sector_officer_cannot_see_plans(plan: VillagePlan, sector: User) -> None:
    client = client_for(sector)
    assert client.get(reverse("tasks:plan_list")).status_code == 403
    assert client.get(plan.get_absolute_url()).status_code == 404


def test_chairman_reads_every_plan_but_cannot_change_or_decide(
    plan: VillagePlan, register: dict[str, Household], chairman: User
) -> None:
    client = client_for(chairman)
    assert client.get(reverse("tasks:plan_list")).status_code == 200
    assert client.get(plan.get_absolute_url()).status_code == 200
    assert fill(client, plan, register["hung"]).status_code == 403
    assert client.get(reverse("tasks:plan_edit", args=[plan.pk])).status_code == 403
    assert submit(client, plan).status_code == 403
    assert decide(client, plan, "approve").status_code == 403
    reopen = reverse("tasks:plan_reopen", args=[plan.pk])
    assert client.post(reopen, {"comment": "x"}).status_code == 403
    assert client.post(reverse("tasks:plan_list"), {"village": 1}).status_code == 403
    assert not HouseholdPlan.objects.exclude(causes=[]).exists()


def test_officer_overview_counts_villages_and_forecast(
    plan: VillagePlan,
    register: dict[str, Household],
    head_a1: User,
    officer: User,
) -> None:
    head = client_for(head_a1)
    fill_all(head, plan, register)
    submit(head, plan)

    response = client_for(officer).get(reverse("tasks:plan_list"))

    assert response.status_code == 200
    overview = response.context["overview"]
    counts = overview.counts
    assert (counts.villages, counts.handed_in, counts.not_created) == (2, 1, 1)
    # 3 poor at the start, 1 at the end: a reduction of 2; Làng Chiềng expects 2.
    assert response.context["commune_reduction"] == 2
    assert response.context["forecast"] == 2
    assert not response.context["forecast_short"]


def test_officer_creates_a_plan_for_a_village(
    register: dict[str, Household], village_a2: Village, officer: User
) -> None:
    client = client_for(officer)
    response = client.post(reverse("tasks:plan_list"), {"village": village_a2.pk})
    plan = VillagePlan.objects.get(village=village_a2)
    assert response["Location"] == plan.get_absolute_url()
    assert plan.households.get().household == register["bot"]


# Submitting


def test_submit_names_the_households_missing_something(
    plan: VillagePlan, register: dict[str, Household], head_a1: User, plan_task: Task
) -> None:
    client = client_for(head_a1)
    fill(client, plan, register["hung"])
    fill(
        client,
        plan,
        register["mai"],
        causes=[],
        solutions=[],
        solution_note="",
        helper_groups=[],
        helper_person="",
    )

    messages = texts(submit(client, plan))

    assert messages[0].startswith("Chưa nộp được: 1 hộ nghèo còn thiếu thông tin.")
    assert messages[1] == (
        "Hộ Quách Thị Mai (CN-01-0002): chưa chọn nguyên nhân nghèo, chưa có giải "
        "pháp hỗ trợ, chưa phân công chi hội hoặc người giúp đỡ."
    )
    plan.refresh_from_db()
    plan_task.refresh_from_db()
    assert (plan.status, plan.submitted_at) == (PlanStatus.DRAFT, None)
    assert plan_task.status == TaskStatus.IN_PROGRESS
    assert not plan_task.submissions.exists()


def test_a_note_is_enough_as_solution(
    plan: VillagePlan, register: dict[str, Household], head_a1: User
) -> None:
    client = client_for(head_a1)
    fill(client, plan, register["hung"])
    fill(client, plan, register["mai"], solutions=[], solution_note="Làm thuê ổn định")
    submit(client, plan)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED


def test_whole_cycle_moves_the_task_with_the_plan(
    plan: VillagePlan,
    register: dict[str, Household],
    head_a1: User,
    officer: User,
    plan_task: Task,
) -> None:
    head, lan = client_for(head_a1), client_for(officer)
    fill_all(head, plan, register)

    submit(head, plan)
    plan.refresh_from_db()
    plan_task.refresh_from_db()
    first_submission = plan.submitted_at
    assert plan.status == PlanStatus.SUBMITTED
    assert plan_task.status == TaskStatus.SUBMITTED
    assert plan_task.submissions.get().decision == Decision.PENDING

    # Returning needs a comment.
    assert "phải ghi ý kiến" in texts(decide(lan, plan, "return"))[0]
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED

    decide(lan, plan, "return", "Hộ Quách Thị Mai cần ghi rõ số tiền vay.")
    plan.refresh_from_db()
    plan_task.refresh_from_db()
    assert plan.status == PlanStatus.RETURNED
    assert plan_task.status == TaskStatus.RETURNED
    page = head.get(plan.get_absolute_url()).content.decode()
    assert "Hộ Quách Thị Mai cần ghi rõ số tiền vay." in page
    assert "Nộp lại kế hoạch" in page

    fill(head, plan, register["mai"], resource_amount="30.000.000")
    submit(head, plan)
    plan.refresh_from_db()
    plan_task.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED
    assert plan.submitted_at == first_submission  # lateness is the first one's
    assert plan_task.status == TaskStatus.SUBMITTED
    assert plan_task.submissions.count() == 2

    decide(lan, plan, "approve", "Đồng ý.")
    plan.refresh_from_db()
    plan_task.refresh_from_db()
    assert (plan.status, plan.approved_by) == (PlanStatus.APPROVED, officer)
    assert plan_task.status == TaskStatus.APPROVED
    kinds = list(plan_task.events.order_by("at", "pk").values_list("kind", flat=True))
    assert kinds == [
        EventKind.STARTED,
        EventKind.SUBMITTED,
        EventKind.RETURNED,
        EventKind.SUBMITTED,
        EventKind.APPROVED,
    ]


def test_head_cannot_approve(plan: VillagePlan, register, head_a1: User) -> None:
    client = client_for(head_a1)
    fill_all(client, plan, register)
    submit(client, plan)
    assert decide(client, plan, "approve").status_code == 403
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED


def test_submitted_plan_cannot_be_edited_until_returned(
    plan: VillagePlan, register: dict[str, Household], head_a1: User
) -> None:
    client = client_for(head_a1)
    fill_all(client, plan, register)
    submit(client, plan)
    response = fill(client, plan, register["hung"], causes=["land"])
    assert "đang chờ duyệt" in texts(response)[-1]
    row = plan.households.get(household=register["hung"])
    assert row.causes == ["capital", "knowledge"]


@pytest.fixture
def approved(
    plan: VillagePlan, register: dict[str, Household], head_a1: User, officer: User
) -> VillagePlan:
    fill_all(client_for(head_a1), plan, register)
    plan_actions.submit_plan(plan, by=head_a1)
    return plan_actions.approve_plan(plan, by=officer)


def test_approved_plan_is_locked_for_everyone(
    approved: VillagePlan,
    register: dict[str, Household],
    head_a1: User,
    officer: User,
) -> None:
    before = list(approved.households.values_list("causes", "helper", "solution_note"))
    for user in (head_a1, officer):
        client = client_for(user)
        response = fill(client, approved, register["hung"], causes=["land"])
        assert response.status_code == 302
        assert "đã được duyệt nên không sửa được" in texts(response)[-1]
        edit = reverse("tasks:plan_edit", args=[approved.pk])
        client.post(edit, {"summary": "Sửa sau khi duyệt"})
        assert client.get(edit).status_code == 302
    page = client_for(head_a1).get(approved.get_absolute_url()).content.decode()
    assert "Sửa phương án" not in page
    assert "Nộp lại kế hoạch" not in page
    approved.refresh_from_db()
    assert approved.status == PlanStatus.APPROVED
    assert approved.summary == ""
    after = list(approved.households.values_list("causes", "helper", "solution_note"))
    assert after == before


def test_reopen_by_head_is_forbidden(approved: VillagePlan, head_a1: User) -> None:
    url = reverse("tasks:plan_reopen", args=[approved.pk])
    assert client_for(head_a1).post(url, {"comment": "Mở giúp"}).status_code == 403
    approved.refresh_from_db()
    assert approved.status == PlanStatus.APPROVED


def test_officer_reopens_with_a_comment_recorded_in_history(
    approved: VillagePlan, register: dict[str, Household], officer: User, head_a1: User
) -> None:
    client = client_for(officer)
    url = reverse("tasks:plan_reopen", args=[approved.pk])
    assert "phải ghi lý do" in texts(client.post(url, {"comment": " "}))[-1]
    approved.refresh_from_db()
    assert approved.status == PlanStatus.APPROVED

    client.post(url, {"comment": "Bổ sung hộ Bùi Văn Hùng vay vốn."})

    approved.refresh_from_db()
    assert approved.status == PlanStatus.RETURNED
    assert approved.approved_at is None
    assert approved.task.status == TaskStatus.RETURNED
    page = client_for(head_a1).get(approved.get_absolute_url()).content.decode()
    assert "Mở lại kế hoạch đã duyệt" in page
    assert "Bổ sung hộ Bùi Văn Hùng vay vốn." in page
    assert fill(client_for(head_a1), approved, register["hung"]).status_code == 302
    plan_actions.submit_plan(approved, by=head_a1)
    approved.refresh_from_db()
    assert approved.task.status == TaskStatus.SUBMITTED


# Late or on time: "trước ngày 15/03/2024"


@pytest.mark.parametrize(
    ("moment", "late"),
    [
        (datetime(2024, 3, 14, 23, 59, tzinfo=VN), False),
        (datetime(2024, 3, 15, 0, 1, tzinfo=VN), True),
    ],
    ids=["14-03-on-time", "15-03-late"],
)
def test_late_from_the_15th(
    plan: VillagePlan,
    register: dict[str, Household],
    head_a1: User,
    officer: User,
    moment: datetime,
    late: bool,
) -> None:
    client = client_for(head_a1)
    fill_all(client, plan, register)
    with time_machine.travel(moment, tick=False):
        messages = texts(submit(client, plan))
    plan.refresh_from_db()
    assert plan.late is late
    assert ("nộp muộn" in messages[0]) is late
    overview = client_for(officer).get(reverse("tasks:plan_list")).context["overview"]
    assert overview.counts.late == int(late)


def test_resubmitting_after_the_deadline_keeps_an_on_time_plan_on_time(
    plan: VillagePlan, register: dict[str, Household], head_a1: User, officer: User
) -> None:
    fill_all(client_for(head_a1), plan, register)
    with time_machine.travel(datetime(2024, 3, 10, 9, tzinfo=VN), tick=False):
        plan_actions.submit_plan(plan, by=head_a1)
        plan_actions.return_plan(plan, by=officer, comment="Bổ sung.")
    with time_machine.travel(datetime(2024, 3, 20, 9, tzinfo=VN), tick=False):
        plan_actions.submit_plan(plan, by=head_a1)
    plan.refresh_from_db()
    assert not plan.late


# The expected-escape list against the village's target


def test_warning_when_fewer_households_expected_than_the_target(
    plan: VillagePlan, register: dict[str, Household], head_a1: User
) -> None:
    client = client_for(head_a1)
    fill(client, plan, register["hung"])
    fill(client, plan, register["mai"], expected_escape="")

    page = client.get(plan.get_absolute_url()).content.decode()
    warning = (
        "Danh sách dự kiến thoát nghèo năm 2024 có 1 hộ, ít hơn chỉ tiêu xã giao "
        "cho thôn (giảm 2 hộ nghèo): còn thiếu 1 hộ."
    )
    assert warning in page
    assert warning in texts(submit(client, plan))


def test_no_warning_when_the_list_meets_the_target(
    plan: VillagePlan, register: dict[str, Household], head_a1: User
) -> None:
    client = client_for(head_a1)
    fill_all(client, plan, register)
    assert "ít hơn chỉ tiêu" not in client.get(plan.get_absolute_url()).content.decode()


# The forecast for the targets page


def test_expected_escapes_counts_submitted_and_approved_plans_only(
    plan: VillagePlan,
    register: dict[str, Household],
    village_a2: Village,
    head_a1: User,
    head_a2: User,
    officer: User,
) -> None:
    village_a1 = plan.village
    assert expected_escapes(2024, [village_a1, village_a2]) == {}

    fill_all(client_for(head_a1), plan, register)
    plan_bot = plan_actions.open_plan(village_a2, 2024, by=head_a2)
    plan_actions.submit_plan(plan, by=head_a1)
    assert expected_escapes(2024, [village_a1, village_a2]) == {village_a1.pk: 2}

    fill(client_for(head_a2), plan_bot, register["bot"], expected_escape="")
    plan_actions.submit_plan(plan_bot, by=head_a2)
    plan_actions.approve_plan(plan, by=officer)
    assert expected_escapes(2024, [village_a1.pk, village_a2.pk]) == {
        village_a1.pk: 2,
        village_a2.pk: 0,
    }
    assert expected_escapes(2025, [village_a1, village_a2]) == {}

    plan_actions.return_plan(plan_bot, by=officer, comment="Xem lại.")
    assert expected_escapes(2024, [village_a1, village_a2]) == {village_a1.pk: 2}


# Pages stay cheap as villages grow


def test_plan_pages_query_count_does_not_grow_with_households(
    plan: VillagePlan,
    register: dict[str, Household],
    head_a1: User,
    officer: User,
    django_assert_max_num_queries: object,
) -> None:
    for n in range(11, 19):
        poor(plan.village, f"CN-01-00{n}", "Bùi Văn Hải")
    plan_actions.sync_households(plan)
    head, lan = client_for(head_a1), client_for(officer)
    fill_all(head, plan, register)
    with django_assert_max_num_queries(22):  # type: ignore[operator]
        assert head.get(plan.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(20):  # type: ignore[operator]
        assert lan.get(reverse("tasks:plan_list")).status_code == 200


def test_household_page_shows_the_deprivations_and_the_position(
    plan: VillagePlan, register: dict[str, Household], head_a1: User
) -> None:
    url = reverse("tasks:plan_household", args=[plan.pk, register["mai"].pk])
    page = client_for(head_a1).get(url).content.decode()
    assert "Hộ 2/2" in page
    assert "Thiếu hụt 3/12 chỉ số" in page
    assert "Nhà tiêu hợp vệ sinh" in page


def test_targets_progress_page_shows_the_plans_expected_escapes_as_forecast(
    plan: VillagePlan,
    register: dict[str, Household],
    head_a1: User,
    chairman: User,
) -> None:
    head = client_for(head_a1)
    assert fill(head, plan, register["hung"]).status_code == 302
    assert fill(head, plan, register["mai"], expected_escape="").status_code == 302
    assert submit(head, plan).status_code == 302

    page = client_for(chairman).get(reverse("targets:progress", args=[2024]))
    body = page.content.decode()

    # Làng Chiềng plans 1 escape against a target of 2; Làng Bột has no plan.
    assert "Dự báo theo kế hoạch của 1 thôn đã nộp: <strong>1 hộ</strong>" in body
    assert '<span class="badge near_poor">thiếu 1</span>' in body
    assert "chưa nộp kế hoạch" in body
