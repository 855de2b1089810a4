"""On a phone, the officer enters a review from a paper Phiếu B1: the questions as on
the paper, the total computed as they answer, the household classified by points."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from giamngheo.models import User
from households.models import Household, Review
from households.regions import Region
from households.survey_actions import load_points_file
from tests.browser.test_household_journey import log_in
from tests.households.test_b1_review import POOR_FARM

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAMPLE = Path(__file__).resolve().parents[2] / "households/data/bang-diem-b1-mau.xlsx"


def test_officer_enters_a_phieu_b1_on_a_phone(
    page: Page, live_server: object, officer: User, household_a1: Household
) -> None:
    commune = household_a1.commune
    commune.region = Region.NORTH_CENTRAL_COAST
    commune.save()
    with SAMPLE.open("rb") as stream:
        load_points_file(stream)
    base_url = str(live_server)
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, base_url, officer)

    page.goto(f"{base_url}/ho/{household_a1.pk}/ra-soat/")
    expect(page.locator("#bang-diem-mau")).to_contain_text(
        "Bảng điểm mẫu — chưa đối chiếu văn bản gốc"
    )
    page.select_option("#id_kind", "regular")
    page.fill("#id_review_date", "20/11/2025")
    page.fill("#id_reviewer_name", "Bùi Văn Thắng")
    page.click("#phieu-b1 summary")
    for code, answer in POOR_FARM.items():
        page.select_option(f"#id_b1__{code}", answer)
    for slug in ("viec_lam", "chat_luong_nha_o", "nguon_nuoc_sinh_hoat"):
        page.check(f"#id_{slug}")
    page.fill("#id_note", "Theo Phiếu B1 của đoàn rà soát")
    expect(page.locator("#tong-diem-b1")).to_contain_text("54 điểm")
    expect(page.locator("#preview")).to_contain_text("Tổng điểm B1: 54 ≤ 140 điểm")
    expect(page.locator("#preview")).to_contain_text("Hộ nghèo")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.click("button:has-text('Lưu phiếu rà soát')")

    expect(page.locator(".messages")).to_contain_text("Hộ nghèo")
    # In force once the chairman's decision is recorded (QĐ 24/2021 Điều 5).
    page.click("text=Các phiếu chờ quyết định")
    page.fill("#id_number", "45/QĐ-UBND")
    page.fill("#id_signed_on", "28/11/2025")
    page.fill("#id_signer_name", "Phạm Văn Hòa")
    page.click("button:has-text('Lưu quyết định công nhận')")
    expect(page.locator(".messages")).to_contain_text("từ ngày 28/11/2025")
    page.goto(f"{base_url}/ho/{household_a1.pk}/")
    expect(page.locator(".reasons")).to_contain_text("Tổng điểm B1: 54 ≤ 140 điểm")
    review = Review.objects.get()
    assert (review.b1_score, review.income_per_person_month) == (54, None)
