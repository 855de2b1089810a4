"""On a phone, a village head attaches the photographed, signed minutes of the
village meeting, then corrects a number typed wrong; the page keeps to the screen."""

from __future__ import annotations

import os
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from giamngheo.models import User
from households.models import Household, ReviewRound, VillageMeeting
from tests.browser.test_household_journey import log_in
from tests.conftest import make_review

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

POOR = ("viec_lam", "chat_luong_nha_o", "nguon_nuoc_sinh_hoat")
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(200)
# Set to a folder to keep the screenshots (looked at while writing the pages).
SHOTS = os.environ.get("JOURNEY_SCREENSHOTS", "")


def shot(page: Page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def test_a_village_head_attaches_the_signed_minutes_and_corrects_the_meeting(
    page: Page,
    live_server: object,
    head_a1: User,
    household_a1: Household,
    tmp_path: Path,
) -> None:
    household_a1.registered_on = date(2015, 1, 1)
    household_a1.save()
    make_review(household_a1, deprived=POOR, on=date(2023, 11, 20))
    this_year = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date().year
    review_round = ReviewRound.objects.create(
        commune=household_a1.commune, year=this_year, opened_on=date(this_year, 1, 1)
    )
    make_review(
        household_a1, deprived=POOR, on=date(this_year, 1, 2), round=review_round
    )
    meeting = VillageMeeting.objects.create(
        review_round=review_round,
        village=household_a1.village,
        held_on=date(this_year, 1, 3),
        chaired_by="Bùi Văn Thắng",
        attendees=20,
    )
    meeting.votes.create(household=household_a1, agreeing=15)
    photo = tmp_path / "bien-ban-hop.jpg"
    photo.write_bytes(JPEG)
    base_url = str(live_server)
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, base_url, head_a1)

    village = reverse(
        "households:round_village", args=[this_year, household_a1.village_id]
    )
    page.goto(base_url + village)
    expect(page.locator("#hop-dan")).to_contain_text("Chưa có bản có chữ ký")
    page.set_input_files("#hop-dan input[type=file]", str(photo))
    page.click("#hop-dan button:has-text('Lưu bản có chữ ký')")
    expect(page.locator(".messages")).to_contain_text(
        "Đã lưu bản có chữ ký (bien-ban-hop.jpg)."
    )
    expect(page.locator("#hop-dan")).to_contain_text("Đã có bản có chữ ký")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "village")
    with page.expect_download() as scan:
        page.click("#hop-dan a:has-text('bien-ban-hop.jpg')")
    assert Path(scan.value.path()).read_bytes() == JPEG

    page.click("text=Sửa, xóa cuộc họp")
    page.fill("#id_attendees", "21")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.click("button:has-text('Lưu thay đổi')")
    expect(page.locator(".messages")).to_contain_text("Đã sửa cuộc họp")
    expect(page.locator("#hop-dan")).to_contain_text("21 người dự")
    page.click("text=Sửa, xóa cuộc họp")
    expect(page.locator("#lich-su")).to_contain_text("số người dự họp: 20 → 21")
    shot(page, "edit")
