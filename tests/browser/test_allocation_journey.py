"""The officer allocates the 2024 poverty target in a real browser (Chromium).

A first allocation that does not add up is refused with the shortfall on the page;
the corrected one is saved and the progress page shows each village's new target.
"""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import Page, expect

from giamngheo.models import User
from households.models import Village
from targets.models import PovertyTarget
from tests.conftest import PASSWORD, make_household, make_review

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page: Page, base_url: str, user: User) -> None:
    page.goto(f"{base_url}/dang-nhap/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator(".who")).to_contain_text(user.get_role_display())


def build_commune(village_a1: Village, village_a2: Village) -> None:
    """End of 2023: 3 poor households of 5 in Làng Chiềng, 2 of 4 in Làng Bột."""
    for village, prefix, poor, others in (
        (village_a1, "CN-01", 3, 2),
        (village_a2, "CN-02", 2, 2),
    ):
        for n in range(1, poor + others + 1):
            household = make_household(
                village, f"{prefix}-{n:04}", registered_on=date(2015, 1, 1)
            )
            if n <= poor:
                deprived = ("viec_lam", "dinh_duong", "nha_tieu_hop_ve_sinh")
                make_review(household, deprived=deprived, on=date(2023, 11, 20))
            else:
                make_review(household, income=3_000_000, on=date(2023, 11, 20))


def test_officer_allocation_not_adding_up_is_refused_then_saved_and_shown(
    page: Page,
    live_server: object,
    officer: User,
    village_a1: Village,
    village_a2: Village,
) -> None:
    build_commune(village_a1, village_a2)
    base_url = str(live_server)
    log_in(page, base_url, officer)

    page.goto(f"{base_url}/chi-tieu/2024/phan-bo/")
    expect(page.locator("h1")).to_contain_text("Giao chỉ tiêu giảm nghèo năm 2024")
    baseline = page.locator("p", has_text="Số hộ nghèo đầu năm")
    expect(baseline).to_contain_text("31/12/2023: toàn xã 5 hộ")

    # From 5 to 2 poor households is 3 fewer; the villages give only 1.
    page.fill("#id_poor_target_end", "2")
    page.fill(f"#id_reduction_{village_a1.pk}", "1")
    page.fill(f"#id_reduction_{village_a2.pk}", "0")
    page.click("button:has-text('Lưu chỉ tiêu')")

    errors = page.locator("#allocation-errors")
    expect(errors).to_contain_text("còn thiếu 2 hộ")
    expect(errors).to_contain_text("giảm 3 hộ: từ 5 xuống 2 hộ nghèo")
    expect(page.locator(".messages").first).to_contain_text("Chưa lưu")
    # What was typed is still there to correct.
    expect(page.locator("#id_poor_target_end")).to_have_value("2")
    expect(page.locator(f"#id_reduction_{village_a1.pk}")).to_have_value("1")
    page.screenshot(path="test-results/allocation_refused.png", full_page=True)
    assert not PovertyTarget.objects.exists()

    page.fill(f"#id_reduction_{village_a1.pk}", "2")
    page.fill(f"#id_reduction_{village_a2.pk}", "1")
    page.click("button:has-text('Lưu chỉ tiêu')")

    expect(page).to_have_url(f"{base_url}/chi-tieu/2024/")
    expect(page.locator(".messages")).to_contain_text(
        "Đã lưu chỉ tiêu giảm nghèo năm 2024."
    )
    chieng = page.locator("tbody tr", has_text="Làng Chiềng")
    expect(chieng.locator("td[data-label='Chỉ tiêu giảm']")).to_have_text("2")
    expect(chieng.locator("td[data-label='Chỉ tiêu cuối năm']")).to_have_text("1")
    expect(chieng.locator("td[data-label='Tỷ lệ chỉ tiêu']")).to_have_text("20,00 %")
    bot = page.locator("tbody tr", has_text="Làng Bột")
    expect(bot.locator("td[data-label='Chỉ tiêu cuối năm']")).to_have_text("1")
    expect(bot.locator("td[data-label='Tỷ lệ chỉ tiêu']")).to_have_text("25,00 %")
    expect(page.locator("tfoot tr.total")).to_contain_text("Toàn xã")
    expect(page.locator("p.lead")).to_contain_text("xuống 2 hộ (22,22 %)")
    page.screenshot(path="test-results/allocation_progress.png", full_page=True)

    target = PovertyTarget.objects.get()
    assert target.poor_target_end == 2
    assert {a.village_id: a.poor_reduction for a in target.allocations.all()} == {
        village_a1.pk: 2,
        village_a2.pk: 1,
    }
