"""A village plan's whole journey in real browsers (Chromium), on a phone-sized screen.

The head of Làng Chiềng writes the plan for the village's two poor households and
submits it; the officer returns it with a comment; the head reads the comment, fixes
the plan and submits it again; the officer approves it; the plan is then locked.

The clock is set to 10/03/2024 (before the deadline), in this process, which is also
the live server's: the browser's own clock is not used by any page.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import Browser, Page, expect

from giamngheo.models import User
from households.models import Village
from targets.models import PovertyTarget, VillageAllocation
from tasks.models import (
    DeliverableKind,
    PlanStatus,
    Task,
    TaskStatus,
    Unit,
    UnitKind,
    VillagePlan,
)
from tests.conftest import PASSWORD, make_household, make_review

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
SHOTS = "test-results"


@pytest.fixture
def early_march_2024() -> Iterator[None]:
    moment = datetime(2024, 3, 10, 8, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    with time_machine.travel(moment, tick=True):
        yield


@pytest.fixture
def phones(browser: Browser) -> Iterator[tuple[Page, Page]]:
    """Two people, two phones; closed before the live server stops."""
    contexts = [browser.new_context(viewport=PHONE) for _ in range(2)]
    yield contexts[0].new_page(), contexts[1].new_page()
    for context in contexts:
        context.close()


def log_in(page: Page, base_url: str, user: User) -> None:
    page.goto(f"{base_url}/dang-nhap/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator(".who")).to_contain_text(user.get_role_display())


def build_village(village: Village, head: User) -> Task:
    """Two poor households at the end of 2023, a target of 2, and the plan task."""
    deprived = ("viec_lam", "dinh_duong", "nha_tieu_hop_ve_sinh")
    for code, name, day in (
        ("CN-01-0001", "Bùi Văn Hùng", date(2023, 11, 20)),
        ("CN-01-0002", "Quách Thị Mai", date(2023, 11, 22)),
    ):
        household = make_household(village, code, name, registered_on=date(2015, 1, 1))
        make_review(household, deprived=deprived, on=day)
    target = PovertyTarget.objects.create(
        commune=village.commune, year=2024, poor_target_end=0
    )
    VillageAllocation.objects.create(target=target, village=village, poor_reduction=2)
    unit = Unit.objects.create(
        commune=village.commune,
        slug="lang-chieng",
        name=village.name,
        kind=UnitKind.VILLAGE,
        village=village,
    )
    unit.members.add(head)
    return Task.objects.create(
        commune=village.commune,
        year=2024,
        title="Xây dựng kế hoạch giảm nghèo năm 2024 của thôn",
        duty_text="Xây dựng Kế hoạch thực hiện Chương trình giảm nghèo…",
        unit=unit,
        kind=DeliverableKind.PLAN,
        due_before=date(2024, 3, 15),
        deadline_text="trước ngày 15/03/2024",
    )


def test_head_writes_and_submits_officer_returns_then_approves_and_plan_locks(
    phones: tuple[Page, Page],
    live_server: object,
    early_march_2024: None,
    village_a1: Village,
    head_a1: User,
    officer: User,
) -> None:
    task = build_village(village_a1, head_a1)
    base_url = str(live_server)
    head, lan = phones

    # The head opens the village's plan: the poor households come from the register.
    log_in(head, base_url, head_a1)
    head.click("nav >> text=Kế hoạch thôn")
    head.click("button:has-text('Lập kế hoạch')")
    expect(head.locator("h1")).to_contain_text("Kế hoạch giảm nghèo năm 2024")
    expect(head.locator(".messages")).to_contain_text("2 hộ nghèo đầu năm")
    cards = head.locator(".hh-card")
    expect(cards).to_have_count(2)
    expect(cards.first).to_contain_text("Việc làm, Dinh dưỡng, Nhà tiêu hợp vệ sinh")
    head.screenshot(path=f"{SHOTS}/plan_detail_new_phone.png", full_page=True)

    # One household per screen: checkboxes for causes, solutions and helpers.
    cards.first.locator("text=Lập phương án").click()
    expect(head.locator("h1")).to_contain_text("Bùi Văn Hùng")
    head.check("text=Thiếu vốn")
    head.check("text=Thiếu kiến thức sản xuất")
    head.check("text=Vay vốn ưu đãi Ngân hàng Chính sách xã hội")
    head.fill("#id_solution_note", "Nuôi 2 con bò sinh sản")
    head.fill("#id_resource_amount", "50.000.000")
    head.fill("#id_resource_source", "NHCSXH")
    head.check("text=Chi hội Phụ nữ")
    head.check("text=Dự kiến thoát nghèo trong năm 2024")
    head.screenshot(path=f"{SHOTS}/plan_household_phone.png", full_page=True)
    head.click("button:has-text('Lưu, hộ sau')")

    expect(head.locator("h1")).to_contain_text("Quách Thị Mai")
    head.check("text=Thiếu lao động")
    head.fill("#id_solution_note", "Giới thiệu việc làm cho con trai")
    head.fill("#id_helper_person", "Bùi Văn Thắng")
    head.click("button[name=save]")

    expect(head.locator(".escape-list")).to_contain_text("1 hộ")
    expect(head.locator(".escape-list .alert")).to_contain_text("còn thiếu 1 hộ")
    head.click("button:has-text('Nộp kế hoạch')")
    expect(head.locator(".messages")).to_contain_text("Đã nộp kế hoạch")
    expect(head.locator(".plan-status")).to_contain_text("Đã nộp")

    # The officer returns it with a comment.
    log_in(lan, base_url, officer)
    lan.goto(f"{base_url}/nhiem-vu/ke-hoach-thon/")
    expect(lan.locator(".stat").first).to_contain_text("1/1")
    lan.screenshot(path=f"{SHOTS}/plan_list_officer_phone.png", full_page=True)
    lan.click(f"text={village_a1.name}")
    lan.fill("#id_comment", "Thôn được giao giảm 2 hộ: xem lại hộ Quách Thị Mai.")
    lan.click("button:has-text('Trả lại cho thôn')")
    expect(lan.locator(".plan-status")).to_contain_text("Trả lại")

    # The head reads the comment, fixes the plan and submits it again.
    head.reload()
    comment = head.locator(".officer-comment")
    expect(comment).to_contain_text("xem lại hộ Quách Thị Mai")
    head.screenshot(path=f"{SHOTS}/plan_returned_phone.png", full_page=True)
    head.locator(".hh-card", has_text="Quách Thị Mai").locator("a.button").click()
    head.check("text=Dự kiến thoát nghèo trong năm 2024")
    head.click("button[name=save]")
    expect(head.locator(".escape-list")).to_contain_text("2 hộ")
    expect(head.locator(".escape-list .alert")).to_have_count(0)
    head.click("button:has-text('Nộp lại kế hoạch')")
    expect(head.locator(".messages")).to_contain_text("Đã nộp kế hoạch")

    # The officer approves it.
    lan.reload()
    lan.click("button:has-text('Duyệt kế hoạch')")
    expect(lan.locator(".plan-status")).to_contain_text("Đã duyệt")

    # Locked: no edit button for the head, and a hand-made POST is refused.
    head.reload()
    expect(head.locator(".plan-status")).to_contain_text("Đã duyệt")
    expect(head.locator(".locked")).to_contain_text("không sửa được")
    expect(head.locator("a", has_text="Sửa")).to_have_count(0)
    expect(head.locator("form button", has_text="Nộp")).to_have_count(0)
    head.screenshot(path=f"{SHOTS}/plan_approved_phone.png", full_page=True)
    plan = VillagePlan.objects.get()
    household = plan.households.get(household__code="CN-01-0001").household
    head.evaluate(
        """([url]) => {
            const form = document.createElement("form");
            form.method = "post";
            form.action = url;
            const token = document.querySelector("input[name=csrfmiddlewaretoken]");
            for (const [name, value] of [
                ["csrfmiddlewaretoken", token.value], ["causes", "land"],
                ["helper_person", "Người khác"],
            ]) {
                const input = document.createElement("input");
                input.name = name;
                input.value = value;
                form.append(input);
            }
            document.body.append(form);
            form.submit();
        }""",
        [f"{base_url}/nhiem-vu/ke-hoach-thon/{plan.pk}/ho/{household.pk}/"],
    )
    expect(head.locator(".messages")).to_contain_text("không sửa được")

    plan.refresh_from_db()
    task.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED
    assert not plan.late
    assert task.status == TaskStatus.APPROVED
    row = plan.households.get(household=household)
    assert row.causes == ["capital", "knowledge"]
    assert row.helper == "Chi hội Phụ nữ"
