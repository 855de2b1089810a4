"""What a first real user hit on the demo, walked through in Chromium (issue 8):

- a village head pages through the 142 households of Làng Mới on a phone, with and
  without a filter;
- the officer tries to record a periodic review dated inside the recognised 2024
  round and is told why not and what to do, and nothing changes;
- the officer types the income the way people write it, "1.500.000".
"""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import override_settings
from playwright.sync_api import Page, expect

from demo import register
from demo import targets as demo_targets
from demo import tasks as demo_tasks
from households.models import Household, Review

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def demo_commune(live_server: object) -> str:
    with override_settings(DEMO_WORKING_DATE=register.WORKING_DATE):
        register.seed_demo()
        register.seed_review_round_2024()
        demo_targets.seed_targets_2024()
        demo_tasks.seed_tasks_2024()
    return str(live_server)


def log_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", settings.DEMO_PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator(".who")).to_be_visible()


def listed_codes(page: Page) -> list[str]:
    return page.locator("table tbody tr td:first-child a").all_inner_texts()


@override_settings(DEMO_WORKING_DATE=register.WORKING_DATE)
def test_a_village_head_pages_through_the_village_on_a_phone(
    page: Page, demo_commune: str
) -> None:
    page.set_viewport_size(PHONE)
    log_in(page, demo_commune, "truongthon1")

    page.goto(f"{demo_commune}/ho/")
    expect(page.locator("h1")).to_contain_text("142")
    seen: list[str] = []
    for number in range(1, 7):
        expect(page.locator(".pagination")).to_contain_text(f"Trang {number}/6")
        seen += listed_codes(page)
        if number < 6:
            page.click("text=Sau →")
    assert len(seen) == len(set(seen)) == 142
    page.click("text=← Trước")
    expect(page.locator(".pagination")).to_contain_text("Trang 5/6")

    # With a filter: the near-poor of the village, still filtered on page 2.
    page.goto(f"{demo_commune}/ho/")
    page.select_option("#id_status", "near_poor")
    page.click("button:has-text('Lọc')")
    near_poor = int(re.search(r"\((\d+) hộ\)", page.inner_text("h1")).group(1))  # type: ignore[union-attr]
    assert near_poor > 0
    if near_poor > 25:
        page.click("text=Sau →")
        expect(page.locator(".pagination")).to_contain_text("Trang 2/")
    expect(page.locator("#id_status")).to_have_value("near_poor")
    for badge in page.locator("table tbody .badge").all_inner_texts():
        assert badge == "Hộ cận nghèo"


@override_settings(DEMO_WORKING_DATE=register.WORKING_DATE)
def test_the_officer_cannot_change_the_recognised_2024_round(
    page: Page, demo_commune: str
) -> None:
    household = (
        Household.objects.filter(reviews__round__year=2024).order_by("code").first()
    )
    assert household is not None
    reviews_before = Review.objects.count()
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, demo_commune, "canbo")
    page.goto(f"{demo_commune}/ho/ra-soat-dinh-ky/2024/")
    round_page = page.inner_text("main")

    page.goto(f"{demo_commune}/ho/{household.pk}/ra-soat/")
    page.fill("#id_review_date", "20/11/2024")
    page.select_option("#id_kind", "periodic")
    page.fill("#id_reviewer_name", "Bùi Văn Thắng")
    page.fill("#id_income_per_person_month", "900.000")
    with page.expect_navigation():  # the form comes back from the server
        page.click("button:has-text('Lưu phiếu rà soát')")

    errors = page.locator(".errorlist")
    expect(errors.first).to_contain_text("14/12/2024")  # the recognition date
    expect(errors.first).to_contain_text("Rà soát thường xuyên")  # what to do instead
    expect(page.locator("#id_review_date")).to_have_value("20/11/2024")  # kept
    assert Review.objects.count() == reviews_before
    page.goto(f"{demo_commune}/ho/ra-soat-dinh-ky/2024/")
    assert page.inner_text("main") == round_page


@override_settings(DEMO_WORKING_DATE=register.WORKING_DATE)
def test_the_officer_types_the_income_as_people_write_it(
    page: Page, demo_commune: str
) -> None:
    household = Household.objects.order_by("code").first()
    assert household is not None
    page.set_viewport_size(PHONE)
    log_in(page, demo_commune, "canbo")
    page.goto(f"{demo_commune}/ho/{household.pk}/ra-soat/")
    income = page.locator("#id_income_per_person_month")

    income.fill("1.500000")
    income.blur()
    expect(page.locator("#preview")).to_contain_text("Nhập số tiền bằng chữ số")

    income.fill("1.500.000")
    income.blur()
    expect(page.locator("#preview")).not_to_contain_text("Chưa phân loại được")
    expect(page.locator("#preview")).to_contain_text(
        re.compile("Không nghèo|Hộ cận nghèo|Hộ nghèo|Hộ có mức sống trung bình")
    )
    expect(income).to_have_value("1.500.000")
    page.select_option("#id_kind", "regular")
    page.fill("#id_reviewer_name", "Bùi Văn Thắng")
    with page.expect_navigation():
        page.click("button:has-text('Lưu phiếu rà soát')")

    expect(page.locator(".messages")).to_contain_text("Đã")
    latest = household.reviews.order_by("-pk").first()
    assert latest is not None
    assert latest.income_per_person_month == 1_500_000
    expect(page.locator("main")).to_contain_text("1.500.000")
