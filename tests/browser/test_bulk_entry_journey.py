"""On a phone, the officer copies two paper review forms into the round's grid with
the keyboard only (type, Tab, Space, Enter) and sees each row's classification."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from giamngheo.models import User
from households import clock
from households.models import Household, Review, ReviewRound
from tests.browser.test_household_journey import log_in
from tests.conftest import make_household, make_review

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("test-results")


def focused_name(page: Page) -> str:
    return str(page.evaluate("document.activeElement.name || ''"))


def idle(page: Page) -> None:
    """Wait until htmx has finished swapping and settling: a key pressed in that
    instant reaches the replaced row's form before htmx binds it, and the browser
    posts it without htmx (saved all the same, through the page without JavaScript,
    but not what this journey checks)."""
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
    )


def press(page: Page, key: str, times: int = 1) -> None:
    for _ in range(times):
        page.keyboard.press(key)


def test_the_officer_enters_two_rows_with_the_keyboard_on_a_phone(
    page: Page, live_server: object, officer: User, household_a1: Household
) -> None:
    # This year's round, opened on 1 January; both households were poor last year.
    year = clock.today().year
    second = make_household(household_a1.village, "CN-01-0002", "Hà Văn Tám")
    for household in (household_a1, second):
        household.registered_on = date(2015, 1, 1)
        household.save()
        make_review(
            household,
            deprived=("viec_lam", "chat_luong_nha_o", "nguon_nuoc_sinh_hoat"),
            on=date(year - 1, 11, 20),
        )
    ReviewRound.objects.create(
        commune=household_a1.commune, year=year, opened_on=date(year, 1, 1)
    )
    base_url = str(live_server)
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, base_url, officer)

    page.goto(f"{base_url}/ho/ra-soat-dinh-ky/{year}/")
    page.click("text=Nhập nhanh phiếu của thôn")
    expect(page.locator("h1")).to_contain_text("Nhập nhanh phiếu rà soát")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "bulk_entry_phone.png"), full_page=True)

    # Row 1: the date is already there; another reviewer, carried to the row below;
    # the income, then ticks 7, 9, 11.
    page.focus(f"#id_h{household_a1.pk}-review_date")
    press(page, "Tab")
    press(page, "Control+a")
    page.keyboard.type("Quách Văn Dũng")
    press(page, "Tab")
    expect(page.locator(f"#id_h{second.pk}-reviewer_name")).to_have_value(
        "Quách Văn Dũng"
    )
    assert focused_name(page) == f"h{household_a1.pk}-income_per_person_month"
    page.keyboard.type("1.500.000")
    press(page, "Tab", 8)  # B1 total, then indicators 1 to 7
    assert focused_name(page) == f"h{household_a1.pk}-chat_luong_nha_o"
    press(page, "Space")
    press(page, "Tab", 2)
    press(page, "Space")  # 9: nguồn nước
    press(page, "Tab", 2)
    press(page, "Space")  # 11: viễn thông
    press(page, "Tab", 2)
    assert focused_name(page) == f"h{household_a1.pk}-note"
    press(page, "Enter")

    first = page.locator(f"#ho-{household_a1.pk}")
    expect(first).to_have_class("entry-row saved")
    expect(first.locator(".badge")).to_have_text("Hộ nghèo")
    expect(first).to_contain_text("thiếu hụt 3/12 chỉ số")
    # The cursor waits in the next row's first field.
    expect(page.locator(f"#id_h{second.pk}-review_date")).to_be_focused()

    # Row 2: a wrong income first, refused in place; then corrected.
    press(page, "Tab", 2)
    page.keyboard.type("abc")
    press(page, "Enter")
    row = page.locator(f"#ho-{second.pk}")
    expect(row).to_contain_text("Nhập số tiền bằng chữ số")
    income = page.locator(f"#id_h{second.pk}-income_per_person_month")
    expect(income).to_be_focused()
    idle(page)
    press(page, "Control+a")
    page.keyboard.type("1200000")
    press(page, "Enter")
    expect(row.locator(".badge")).to_have_text("Hộ cận nghèo")
    expect(first.locator(".badge")).to_have_text("Hộ nghèo")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(SHOTS / "bulk_entry_phone_saved.png"), full_page=True)

    reviews = Review.objects.filter(round__year=year).order_by("household__code")
    assert [(r.household.code, r.status) for r in reviews] == [
        ("CN-01-0001", "poor"),
        ("CN-01-0002", "near_poor"),
    ]
    assert reviews[1].income_per_person_month == 1_200_000
    assert {r.reviewer_name for r in reviews} == {"Quách Văn Dũng"}

    page.set_viewport_size({"width": 1280, "height": 900})
    page.reload()
    expect(page.locator("#da-nhap-het")).to_be_visible()
    page.screenshot(path=str(SHOTS / "bulk_entry_desktop_done.png"), full_page=True)


def test_the_grid_fits_a_desktop(
    page: Page, live_server: object, officer: User, household_a1: Household
) -> None:
    year = clock.today().year
    for n in range(2, 5):
        make_household(household_a1.village, f"CN-01-000{n}", "Hà Văn Tám")
    for household in Household.objects.all():
        household.registered_on = date(2015, 1, 1)
        household.save()
        make_review(household, deprived=("viec_lam",), on=date(year - 1, 11, 20))
    ReviewRound.objects.create(
        commune=household_a1.commune, year=year, opened_on=date(year, 1, 1)
    )
    base_url = str(live_server)
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, base_url, officer)

    page.goto(
        f"{base_url}/ho/ra-soat-dinh-ky/{year}/nhap-nhanh/?thon={household_a1.village_id}"
    )
    expect(page.locator("tr.entry-row")).to_have_count(4)
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    # One line per household: the table is not wider than its frame.
    wrap = page.locator(".table-wrap")
    assert wrap.evaluate("e => e.scrollWidth <= e.clientWidth")
    ticks = page.locator(f"#ho-{household_a1.pk} .ticks")
    assert (ticks.bounding_box() or {"height": 999})["height"] < 50  # one line
    page.fill(f"#id_h{household_a1.pk}-income_per_person_month", "abc")
    page.press(f"#id_h{household_a1.pk}-income_per_person_month", "Enter")
    expect(page.locator(f"#ho-{household_a1.pk}")).to_contain_text("chưa đúng")
    second = Household.objects.get(code="CN-01-0002")
    page.fill(f"#id_h{second.pk}-income_per_person_month", "1.200.000")
    page.press(f"#id_h{second.pk}-income_per_person_month", "Enter")
    expect(page.locator(f"#ho-{second.pk} .badge")).to_have_text("Hộ cận nghèo")
    assert wrap.evaluate("e => e.scrollWidth <= e.clientWidth")
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "bulk_entry_desktop.png"), full_page=True)


def test_without_javascript_enter_in_a_row_still_saves_it(
    browser: Browser, live_server: object, officer: User, household_a1: Household
) -> None:
    year = clock.today().year
    second = make_household(household_a1.village, "CN-01-0002", "Hà Văn Tám")
    for household in (household_a1, second):
        household.registered_on = date(2015, 1, 1)
        household.save()
        make_review(household, deprived=("viec_lam",), on=date(year - 1, 11, 20))
    ReviewRound.objects.create(
        commune=household_a1.commune, year=year, opened_on=date(year, 1, 1)
    )
    base_url = str(live_server)
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    log_in(page, base_url, officer)
    page.goto(
        f"{base_url}/ho/ra-soat-dinh-ky/{year}/nhap-nhanh/?thon={household_a1.village_id}"
    )

    # The inputs belong to the row's form by their `form` attribute: Enter on a
    # checkbox of the row posts that row, and the page comes back.
    page.fill(f"#id_h{household_a1.pk}-reviewer_name", "Quách Văn Dũng")
    page.fill(f"#id_h{household_a1.pk}-income_per_person_month", "1.200.000")
    page.focus(f"#id_h{household_a1.pk}-viec_lam")
    page.keyboard.press("Enter")

    expect(page.locator(".messages")).to_contain_text(
        "Đã ghi phiếu rà soát hộ CN-01-0001 (Bùi Văn Hùng): Hộ cận nghèo."
    )
    expect(page.locator(f"#ho-{household_a1.pk}")).to_have_count(0)
    # The next row carries the reviewer and waits for the cursor.
    reviewer = page.locator(f"#id_h{second.pk}-reviewer_name")
    expect(reviewer).to_have_value("Quách Văn Dũng")
    expect(page.locator(f"#id_h{second.pk}-review_date")).to_be_focused()
    saved = Review.objects.get(household=household_a1, round__year=year)
    assert saved.reviewer_name == "Quách Văn Dũng"
    context.close()
