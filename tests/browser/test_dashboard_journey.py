"""The chairman's morning: the dashboard of the demo commune, its charts, and the
Phụ lục 01 printed as PDF and Excel (Debian's Chromium through Playwright)."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from demo import register
from demo import targets as demo_targets
from demo import tasks as demo_tasks

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_chairman_lands_on_the_dashboard_and_prints_appendix_01(
    page: Page, live_server: object
) -> None:
    register.seed_demo()
    register.seed_review_round_2024()
    demo_targets.seed_targets_2024()
    demo_tasks.seed_tasks_2024()
    base_url = str(live_server)
    page.set_viewport_size({"width": 1280, "height": 900})

    page.goto(f"{base_url}/dang-nhap/")
    page.fill("#id_username", "chutich")
    page.fill("#id_password", settings.DEMO_PASSWORD)
    page.click("button[type=submit]")

    expect(page).to_have_url(f"{base_url}/bao-cao/tong-quan/")
    expect(page.locator("h1")).to_contain_text("Tổng quan năm 2024")
    charts = page.locator("svg.chart-svg >> visible=true")
    expect(charts).to_have_count(2)  # the rates, and the villages' wide chart
    for i in range(2):
        expect(charts.nth(i)).to_be_visible()
    the_layout_fits_the_screen(page)
    rates = page.locator("svg.chart-svg").first.locator("rect.bar")
    expect(rates).to_have_count(3)
    assert float(rates.first.get_attribute("width") or 0) > 0
    village_bars = charts.nth(1).locator("rect.bar-now")
    assert village_bars.count() >= 2
    expect(page.locator("#h-services")).to_contain_text("Chỉ tiêu tiếp cận dịch vụ")

    Path("test-results").mkdir(exist_ok=True)
    shot = Path("test-results/dashboard.png")
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 20_000

    page.click("text=Phụ lục số 01: Giao chỉ tiêu giảm nghèo năm 2024")
    expect(page.locator("h1")).to_contain_text("Phụ lục số 01")
    with page.expect_download() as pdf_download:
        page.click("text=Tải PDF")
    pdf = Path(pdf_download.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF")
    with page.expect_download() as xlsx_download:
        page.click("text=Tải Excel")
    xlsx = Path(xlsx_download.value.path()).read_bytes()
    assert "Phụ lục 01" in openpyxl.load_workbook(io.BytesIO(xlsx)).sheetnames


def width(page: Page, selector: str) -> float:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, selector
    return box["width"]


def the_layout_fits_the_screen(page: Page) -> None:
    """The villages chart uses a wide screen's width, is readable on a phone, and a
    printed page holds the content without the navigation and the buttons."""
    card = width(page, "#h-villages >> xpath=..")
    assert width(page, ".chart-wide svg") > 0.9 * (card - 40)
    expect(page.locator(".chart-narrow svg")).to_be_hidden()

    page.set_viewport_size({"width": 390, "height": 844})
    expect(page.locator(".chart-narrow svg")).to_be_visible()
    expect(page.locator(".chart-wide svg")).to_be_hidden()
    label = page.locator(".chart-narrow .bar-label").first.bounding_box()
    assert label is not None and label["height"] >= 15  # px on the phone's screen
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.emulate_media(media="print")
    expect(page.locator("nav.nav")).to_be_hidden()
    expect(page.locator("h1")).to_be_visible()
    for button in page.locator(".button, button").all():
        expect(button).to_be_hidden()
    page.emulate_media(media="screen")
    page.set_viewport_size({"width": 1280, "height": 900})
