"""On a phone, a village head prints the survey team's Phiếu A and Phiếu B: from a
household's page, and from the round's village page (all the list, or blank)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Page

from giamngheo.models import User
from households.models import Household, ReviewRound
from tests.browser.test_household_journey import log_in
from tests.conftest import make_review

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def download(page: Page, link: str) -> bytes:
    with page.expect_download() as pdf:
        page.click(f"text={link}")
    return Path(pdf.value.path()).read_bytes()


def test_a_village_head_prints_the_field_forms_on_a_phone(
    page: Page, live_server: object, head_a1: User, household_a1: Household
) -> None:
    household_a1.registered_on = date(2015, 1, 1)
    household_a1.save()
    make_review(
        household_a1,
        deprived=("viec_lam", "chat_luong_nha_o", "nguon_nuoc_sinh_hoat"),
        on=date(2023, 11, 20),
    )
    ReviewRound.objects.create(
        commune=household_a1.commune, year=2024, opened_on=date(2024, 9, 1)
    )
    base_url = str(live_server)
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, base_url, head_a1)

    page.goto(base_url + reverse("households:detail", args=[household_a1.pk]))
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert download(page, "In phiếu A, phiếu B (PDF)").startswith(b"%PDF")

    village = reverse("households:round_village", args=[2024, household_a1.village_id])
    page.goto(base_url + village)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    listed = download(page, "các hộ cần rà soát, ghi sẵn từ sổ hộ (PDF)")
    assert listed.startswith(b"%PDF")
    links = page.locator("a:has-text('mẫu trống (PDF)')")
    with page.expect_download() as blank:
        links.nth(1).click()
    assert Path(blank.value.path()).read_bytes().startswith(b"%PDF")
