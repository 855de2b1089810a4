"""Regular reviews (rà soát thường xuyên) are recognised by the chairman's decision
within 15 days from the start of the monthly round (QĐ 24/2021/QĐ-TTg Điều 5): the
page of reviews awaiting it, the decision recorded all or nothing, the result in
force from its date, the request answered on that day, and the decision's PDF."""

from __future__ import annotations

import subprocess
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from giamngheo.models import User
from households.actions import decide_regular_reviews
from households.models import (
    Household,
    RegularDecision,
    Review,
    ReviewKind,
    ReviewRequest,
)
from households.procedure_forms import RegularDecisionForm
from households.procedure_models import awaiting_regular_decision
from tests.conftest import make_household, make_review

VN = ZoneInfo("Asia/Ho_Chi_Minh")
POOR = ("viec_lam", "chat_luong_nha_o", "nguon_nuoc_sinh_hoat")
URL = "/ho/ra-soat-thuong-xuyen/"

pytestmark = pytest.mark.django_db


@pytest.fixture
def april_2025(time_machine: Any) -> None:
    time_machine.move_to(datetime(2025, 4, 28, 9, tzinfo=VN), tick=False)


@pytest.fixture
def fallen(april_2025: None, household_a1: Household) -> Review:
    """Near-poor since the 2024 review; asked on 20/03/2025 after a flood (the
    April round, from 15/04, takes the request: decision due by 30/04), and was
    reviewed poor on 16/04."""
    household_a1.registered_on = date(2015, 1, 1)
    household_a1.save()
    make_review(household_a1, income=1_200_000, on=date(2024, 11, 20))
    review = make_review(
        household_a1, deprived=POOR, on=date(2025, 4, 16), kind=ReviewKind.REGULAR
    )
    ReviewRequest.objects.create(
        household=household_a1, received_on=date(2025, 3, 20), review=review
    )
    return review


def decision_data(*reviews: Review, **fields: str) -> dict[str, Any]:
    return {
        "number": "45/QĐ-UBND",
        "signed_on": "25/04/2025",
        "signer_name": "Phạm Văn Hòa",
        "reviews": [r.pk for r in reviews],
        **fields,
    }


def status_on(household: Household, day: date) -> str | None:
    review = household.latest_review(day)
    return review.status if review else None


def test_an_undecided_regular_review_is_not_in_force(fallen: Review) -> None:
    household = fallen.household
    assert fallen.takes_effect_on is None
    assert status_on(household, date(2025, 4, 28)) == "near_poor"
    request = ReviewRequest.objects.get()
    assert request.answered_on is None
    assert request.deadline == date(2025, 4, 30)
    assert not request.is_overdue(date(2025, 4, 30))
    assert request.is_overdue(date(2025, 5, 1))


def test_the_page_lists_what_awaits_with_its_deadline(
    client: Client, officer: User, fallen: Review
) -> None:
    client.force_login(officer)
    page = client.get(URL).content.decode()
    assert "Phiếu chờ quyết định (1)" in page
    assert "CN-01-0001" in page and "30/04/2025" in page
    assert "Quá hạn" not in page
    household_page = client.get(fallen.household.get_absolute_url()).content.decode()
    assert "Phiếu rà soát thường xuyên ngày 16/04/2025" in household_page
    assert (
        "chờ Chủ tịch UBND xã quyết định công nhận (hạn 30/04/2025)" in household_page
    )


def test_the_officer_records_the_decision_and_the_result_holds_from_its_date(
    client: Client, officer: User, fallen: Review
) -> None:
    client.force_login(officer)
    response = client.post(URL, decision_data(fallen, number=" 45/qđ-ubnd "))
    assert response.status_code == 302

    decision = RegularDecision.objects.get()
    assert decision.number == "45/QĐ-UBND"
    assert decision.recorded_by == officer
    fallen.refresh_from_db()
    assert fallen.regular_decision == decision
    assert fallen.history.first().regular_decision_id == decision.pk  # audited
    household = fallen.household
    assert status_on(household, date(2025, 4, 24)) == "near_poor"
    assert status_on(household, date(2025, 4, 25)) == "poor"
    request = ReviewRequest.objects.get()
    assert request.answered_on == date(2025, 4, 25)
    assert not request.is_overdue()
    page = client.get(URL).content.decode()
    assert "Không có phiếu rà soát thường xuyên nào chờ quyết định." in page
    assert "Số 45/QĐ-UBND ngày 25/04/2025" in page
    requests_page = client.get(reverse("households:requests")).content.decode()
    assert "công nhận ngày 25/04/2025" in requests_page


def test_a_decision_after_the_deadline_leaves_the_request_late(
    client: Client, officer: User, fallen: Review, time_machine: Any
) -> None:
    time_machine.move_to(datetime(2025, 5, 6, 9, tzinfo=VN), tick=False)
    client.force_login(officer)
    assert "Quá hạn" in client.get(URL).content.decode()
    client.post(URL, decision_data(fallen, signed_on="05/05/2025"))
    assert ReviewRequest.objects.get().is_overdue()


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"number": "45"}, "number", "Số, ký hiệu quyết định viết như"),
        ({"number": ""}, "number", "Ghi số, ký hiệu quyết định"),
        ({"signed_on": "15/04/2025"}, "reviews", "ghi sau ngày ký (15/04/2025)"),
        ({"signed_on": "30/04/2025"}, "signed_on", "không được ở tương lai"),
        ({"signed_on": "31/02/2025"}, "signed_on", "Nhập một ngày hợp lệ"),
        ({"signer_name": ""}, "signer_name", "Ghi họ tên Chủ tịch UBND xã"),
        ({"reviews": []}, "reviews", "Chọn ít nhất một phiếu"),
        ({"reviews": ["999999"]}, "reviews", "không còn chờ công nhận"),
    ],
)
def test_a_bad_decision_is_refused_with_its_reason_and_nothing_written(
    client: Client,
    officer: User,
    fallen: Review,
    fields: dict[str, Any],
    field: str,
    message: str,
) -> None:
    client.force_login(officer)
    response = client.post(URL, decision_data(fallen, **fields))
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors.get(field, []))
    assert message in errors, response.context["form"].errors
    assert not RegularDecision.objects.exists()
    fallen.refresh_from_db()
    assert fallen.regular_decision is None


def test_another_communes_review_is_no_choice(
    client: Client, outsider: User, fallen: Review
) -> None:
    client.force_login(outsider)
    response = client.post(URL, decision_data(fallen))
    assert response.status_code == 200
    assert "CN-01-0001" not in response.content.decode()
    assert not RegularDecision.objects.exists()


def test_a_review_decided_meanwhile_refuses_the_whole_decision(
    officer: User, fallen: Review, village_a1: Any
) -> None:
    other = make_household(village_a1, "CN-01-0002", registered_on=date(2015, 1, 1))
    second = make_review(other, on=date(2025, 4, 17), kind=ReviewKind.REGULAR)
    commune = fallen.household.commune
    form = RegularDecisionForm(
        decision_data(fallen, second), awaiting=awaiting_regular_decision(commune)
    )
    assert form.is_valid(), form.errors
    # Another officer's decision takes the second review first.
    second.regular_decision = RegularDecision.objects.create(
        commune=commune,
        number="44/QĐ-UBND",
        signed_on=date(2025, 4, 24),
        signer_name="Phạm Văn Hòa",
    )
    second.save()
    with pytest.raises(ValidationError, match="vừa được công nhận"):
        decide_regular_reviews(form, commune=commune, by=officer)
    assert RegularDecision.objects.count() == 1
    fallen.refresh_from_db()
    assert fallen.regular_decision is None


def test_the_chairman_reads_but_does_not_record(
    client: Client, chairman: User, fallen: Review
) -> None:
    client.force_login(chairman)
    page = client.get(URL).content.decode()
    assert "CN-01-0001" in page and "Lưu quyết định công nhận" not in page
    assert client.post(URL, decision_data(fallen)).status_code == 403


def pdf_text(content: bytes, tmp_path: Path) -> str:
    pdf = tmp_path / "document.pdf"
    pdf.write_bytes(content)
    return subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_the_decision_and_its_draft_print(
    client: Client, officer: User, fallen: Review, tmp_path: Path
) -> None:
    client.force_login(officer)
    draft = pdf_text(
        client.get(reverse("reports:regular_decision_draft")).content, tmp_path
    )
    flat = " ".join(draft.split())
    assert "Về việc công nhận kết quả rà soát thường xuyên hộ nghèo" in flat
    # Near-poor to poor: on the poor list, not "escaped near-poverty".
    assert "Công nhận 1 hộ nghèo (1 nhân khẩu) qua rà soát thường xuyên" in flat
    assert "DANH SÁCH HỘ NGHÈO QUA RÀ SOÁT THƯỜNG XUYÊN" in draft
    assert "CN-01-0001" in draft and "45/QĐ-UBND" not in draft

    client.post(URL, decision_data(fallen))
    decision = RegularDecision.objects.get()
    signed = pdf_text(
        client.get(reverse("reports:regular_decision", args=[decision.pk])).content,
        tmp_path,
    )
    flat = " ".join(signed.split())
    assert "Số: 45/QĐ-UBND" in flat
    assert "Quyết định này có hiệu lực kể từ ngày ký (25/04/2025)" in flat
    assert "Phụ lục I" in signed and "Phụ lục II" not in signed  # empty lists left out
    assert "CHỦ TỊCH" in signed and "Phạm Văn Hòa" in signed
