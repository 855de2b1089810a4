"""A real browser (Debian's Chromium through Playwright) against the live server."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from giamngheo.models import User
from households import clock
from households.models import Household, Village
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page: Page, base_url: str, user: User) -> None:
    page.goto(f"{base_url}/dang-nhap/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator(".who")).to_contain_text(user.get_role_display())


def test_officer_creates_household_with_members_and_review_and_sees_classification(
    page: Page, live_server: object, officer: User, village_a1: Village
) -> None:
    base_url = str(live_server)
    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    log_in(page, base_url, officer)

    page.goto(f"{base_url}/ho/them/")
    page.fill("#id_code", "CN-01-0099")
    page.select_option("#id_village", label=village_a1.name)
    page.fill("#id_members-0-full_name", "Bùi Văn Cường")
    page.select_option("#id_members-0-relationship", "head")
    page.select_option("#id_members-0-sex", "male")
    page.fill("#id_members-0-birth_year", "1979")
    page.select_option("#id_members-0-employment", "self_employed")
    page.check("#id_members-0-has_health_insurance")

    page.click("#add-member")
    page.fill("#id_members-1-full_name", "Bùi Thị Hoa")
    page.select_option("#id_members-1-relationship", "child")
    page.select_option("#id_members-1-sex", "female")
    page.fill("#id_members-1-birth_year", "2015")
    page.select_option("#id_members-1-attends_school", "true")
    page.select_option("#id_members-1-employment", "student")
    page.check("#id_members-1-has_health_insurance")
    page.click("button:has-text('Lưu hộ')")

    expect(page.locator("h1")).to_contain_text("Bùi Văn Cường")
    expect(page.locator(".messages")).to_contain_text("Đã lưu hộ CN-01-0099")
    expect(page.locator("td", has_text="Bùi Thị Hoa")).to_be_visible()

    page.click("text=Ghi phiếu rà soát")
    page.select_option("#id_kind", "regular")  # no round is open: asked
    page.fill("#id_reviewer_name", "Bùi Văn Thắng")
    page.fill("#id_floor_area_m2", "40")
    page.fill("#id_income_per_person_month", "1200000")
    for slug in ("chat_luong_nha_o", "nguon_nuoc_sinh_hoat", "nha_tieu_hop_ve_sinh"):
        page.check(f"#id_{slug}")
    # The live preview (htmx) classifies before anything is saved.
    expect(page.locator("#preview")).to_contain_text("Hộ nghèo")
    page.click("button:has-text('Lưu phiếu rà soát')")

    # A regular review holds from the chairman's decision (QĐ 24/2021 Điều 5).
    expect(page.locator(".messages")).to_contain_text("Hộ nghèo")
    expect(page.locator(".messages")).to_contain_text("quyết định công nhận")
    expect(page.locator("#cho-cong-nhan")).to_contain_text("Hộ nghèo")
    page.click("text=Các phiếu chờ quyết định")
    expect(page.locator("#cho-quyet-dinh")).to_contain_text("Phiếu chờ quyết định (1)")
    page.fill("#id_number", "45/QĐ-UBND")
    page.fill("#id_signed_on", f"{clock.today():%d/%m/%Y}")
    page.fill("#id_signer_name", "Phạm Văn Hòa")
    page.click("button:has-text('Lưu quyết định công nhận')")
    expect(page.locator(".messages")).to_contain_text("Đã ghi Quyết định số 45/QĐ-UBND")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.click("text=CN-01-0099")

    classification = page.locator("#classification-title + p")
    expect(classification).to_contain_text("Hộ nghèo")
    reasons = page.locator(".reasons")
    expect(reasons).to_contain_text("1.200.000 đồng/người/tháng")
    expect(reasons).to_contain_text(re.compile(r"thiếu hụt 3/12 chỉ số"))
    expect(reasons).to_contain_text("Chất lượng nhà ở")
    page.screenshot(path="test-results/household_detail_phone.png", full_page=True)

    household = Household.objects.get(code="CN-01-0099")
    assert household.members.count() == 2
    assert household.latest_review().status == "poor"


def test_officer_records_a_farm_household_s_medium_living_standard_on_a_phone(
    page: Page, live_server: object, officer: User, household_a1: Household
) -> None:
    base_url = str(live_server)
    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    household_a1.farm_livelihood = "nong_nghiep"
    household_a1.save()
    log_in(page, base_url, officer)

    page.goto(f"{base_url}/ho/{household_a1.pk}/")
    page.click("text=Ghi xác định mức sống trung bình")
    page.fill("#id_requested_on", "02/10/2024")
    page.fill("#id_determined_on", "15/10/2024")
    page.fill("#id_income_12_months", "1,5 triệu")
    page.click("button:has-text('Lưu kết quả xác định')")
    expect(page.locator(".errorlist").first).to_contain_text("chưa đúng")
    page.fill("#id_income_12_months", "24.000.000")
    page.click("button:has-text('Lưu kết quả xác định')")

    expect(page.locator(".messages")).to_contain_text("chờ Chủ tịch UBND xã công nhận")
    page.click("text=Ghi quyết định công nhận")
    page.fill("#id_decision_number", "45/QĐ-UBND")
    page.fill("#id_decision_date", "30/10/2024")
    page.click("button:has-text('Lưu quyết định công nhận')")

    section = page.locator("#muc-song-trung-binh")
    expect(section).to_contain_text("Hộ có mức sống trung bình")
    expect(section).to_contain_text("Số 45/QĐ-UBND ngày 30/10/2024")
    expect(section).to_contain_text("2.000.000 đồng/người/tháng")
    # Nothing is wider than the phone.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
