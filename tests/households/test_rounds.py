"""A recognised review round is a legal fact: refused, reopened with a reason, counted.

Commune A's 2024 round ran from 01/09/2024 and was recognised on 14/12/2024. On the
working day, 03/03/2025, the officer records reviews of Làng Chiềng's households.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from giamngheo.models import User
from households import actions, poverty
from households.forms import ReviewForm
from households.models import (
    Household,
    Review,
    ReviewKind,
    ReviewRound,
    RoundReopening,
    Village,
)
from tests.conftest import make_household, make_review

pytestmark = pytest.mark.django_db

VN = ZoneInfo("Asia/Ho_Chi_Minh")
POOR = ("su_dung_dich_vu_vien_thong", "chat_luong_nha_o", "nguon_nuoc_sinh_hoat")
RECOGNISED = "đã được Chủ tịch UBND xã công nhận ngày 14/12/2024"


def text(response: Any) -> str:
    return response.content.decode()


@pytest.fixture
def spring_2025(time_machine: Any) -> None:
    time_machine.move_to(datetime(2025, 3, 3, 9, 0, tzinfo=VN), tick=False)


@pytest.fixture
def near_poor_household(village_a1: Village) -> Household:
    household = make_household(village_a1, "CN-01-0001", registered_on=date(2015, 1, 1))
    make_review(household, income=1_200_000, on=date(2023, 11, 20))
    return household


@pytest.fixture
def round_2024(
    spring_2025: None, officer: User, near_poor_household: Household
) -> ReviewRound:
    """Closed and recognised, with one review: the household stayed near-poor."""
    review_round = ReviewRound.objects.create(
        commune=officer.commune,
        year=2024,
        opened_on=date(2024, 9, 1),
        closed_on=date(2024, 12, 14),
        opened_by=officer,
        closed_by=officer,
    )
    make_review(
        near_poor_household,
        income=1_200_000,
        on=date(2024, 10, 5),
        round=review_round,
    )
    return review_round


def review_data(**fields: str) -> dict[str, str]:
    # 3 deprivations under the income line: poor, were it saved.
    return {
        "review_date": "20/11/2024",
        "kind": ReviewKind.PERIODIC,
        "reviewer_name": "Bùi Văn Thắng",
        "income_per_person_month": "1200000",
        "su_dung_dich_vu_vien_thong": "on",
        "chat_luong_nha_o": "on",
        "nguon_nuoc_sinh_hoat": "on",
        "note": "Hộ mất việc làm sau khi rà soát.",
        **fields,
    }


def post_review(client: Client, household: Household, **fields: str) -> Any:
    url = reverse("households:review_create", args=[household.pk])
    return client.post(url, review_data(**fields))


# --- The refusal ---------------------------------------------------------------------


@pytest.mark.parametrize("kind", [ReviewKind.PERIODIC, ReviewKind.REGULAR])
def test_a_review_dated_inside_a_closed_round_is_refused_saying_what_to_do(
    client: Client,
    officer: User,
    round_2024: ReviewRound,
    near_poor_household: Household,
    kind: str,
) -> None:
    client.force_login(officer)
    response = post_review(client, near_poor_household, kind=kind)
    assert response.status_code == 200
    page = text(response)
    assert f"Kết quả rà soát định kỳ năm 2024 {RECOGNISED}" in page
    assert "không ghi thêm phiếu có ngày rà soát trong đợt" in page
    assert "(từ 01/09/2024 đến 14/12/2024)" in page
    assert "“Rà soát thường xuyên” và ghi ngày rà soát là hôm nay (03/03/2025)" in page
    assert "mở lại đợt rà soát (ghi rõ lý do)" in page
    assert near_poor_household.reviews.count() == 2
    assert near_poor_household.latest_review().status == "near_poor"  # type: ignore[union-attr]


def test_a_periodic_review_of_a_recognised_year_dated_after_the_closing_is_refused(
    client: Client,
    officer: User,
    round_2024: ReviewRound,
    near_poor_household: Household,
) -> None:
    client.force_login(officer)
    response = post_review(client, near_poor_household, review_date="20/12/2024")
    assert response.status_code == 200
    assert "không ghi thêm phiếu rà soát định kỳ của năm 2024" in text(response)
    assert near_poor_household.reviews.count() == 2


def test_a_regular_review_dated_today_is_recorded_after_the_round(
    client: Client,
    officer: User,
    round_2024: ReviewRound,
    near_poor_household: Household,
) -> None:
    client.force_login(officer)
    response = post_review(
        client, near_poor_household, review_date="03/03/2025", kind=ReviewKind.REGULAR
    )
    assert response.status_code == 302
    review = near_poor_household.latest_review()
    assert review is not None
    assert (review.review_date, review.kind, review.round) == (
        date(2025, 3, 3),
        ReviewKind.REGULAR,
        None,
    )
    assert review.status == "poor"


def test_the_model_refuses_the_review_whatever_path_writes_it(
    round_2024: ReviewRound, near_poor_household: Household
) -> None:
    """The admin and any future import call full_clean(): the same refusal."""
    review = Review(
        household=near_poor_household,
        review_date=date(2024, 11, 20),
        kind=ReviewKind.REGULAR,
        reviewer_name="Bùi Văn Thắng",
        income_per_person_month=1_200_000,
        household_size=1,
    )
    with pytest.raises(ValidationError) as refused:
        review.full_clean(exclude=["status", "standard_code"])
    assert RECOGNISED in str(refused.value)


def test_a_round_closed_while_the_form_was_open_refuses_the_save(
    officer: User, near_poor_household: Household, spring_2025: None
) -> None:
    review_round = ReviewRound.objects.create(
        commune=officer.commune, year=2025, opened_on=date(2025, 1, 2)
    )
    form = ReviewForm(
        review_data(review_date="01/03/2025"),
        household=near_poor_household,
        review_round=review_round,
    )
    assert form.is_valid(), form.errors
    review_round.closed_on = date(2025, 3, 2)
    review_round.save()

    with pytest.raises(ValidationError, match="công nhận ngày 02/03/2025"):
        actions.record_review(form, by=officer)
    assert near_poor_household.reviews.count() == 1


# --- Reopening, with a recorded reason ---------------------------------------------

REASON = "Phòng LĐ-TB&XH huyện phúc tra: hộ CN-01-0001 mất việc làm từ tháng 11."


def reopen(client: Client, reason: str = REASON) -> Any:
    return client.post(
        reverse("households:round_reopen", args=[2024]), {"reason": reason}
    )


def test_the_officer_reopens_a_closed_round_with_a_recorded_reason(
    client: Client, officer: User, round_2024: ReviewRound
) -> None:
    client.force_login(officer)
    response = reopen(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("households:round_detail", args=[2024])
    round_2024.refresh_from_db()
    assert round_2024.is_open
    assert round_2024.closed_by is None
    reopening = RoundReopening.objects.get()
    assert (reopening.review_round, reopening.reopened_by) == (round_2024, officer)
    assert reopening.reason == REASON
    assert reopening.withdrawn_closed_on == date(2024, 12, 14)
    assert round_2024.history.first().history_change_reason == f"Mở lại: {REASON}"

    page = text(client.get(response["Location"]))
    assert "Các lần mở lại đợt" in page
    assert "rút lại kết quả công nhận ngày 14/12/2024" in page
    assert "hộ CN-01-0001 mất việc làm từ tháng 11." in page


@pytest.mark.parametrize("reason", ["", "   ", "sai"])
def test_reopening_without_a_real_reason_is_refused(
    client: Client, officer: User, round_2024: ReviewRound, reason: str
) -> None:
    client.force_login(officer)
    response = reopen(client, reason)
    assert response.status_code == 200
    assert "Ghi lý do" in text(response)
    round_2024.refresh_from_db()
    assert round_2024.closed_on == date(2024, 12, 14)
    assert not RoundReopening.objects.exists()


@pytest.mark.parametrize("role", ["chairman", "head_a1", "sector"])
def test_only_the_officer_reopens_a_round(
    client: Client, request: pytest.FixtureRequest, round_2024: ReviewRound, role: str
) -> None:
    client.force_login(request.getfixturevalue(role))
    assert "Mở lại đợt rà soát" not in text(
        client.get(reverse("households:round_detail", args=[2024]))
    )
    assert reopen(client).status_code == 403
    round_2024.refresh_from_db()
    assert not round_2024.is_open


def test_after_reopening_the_review_is_recorded_in_the_round_and_counted(
    client: Client,
    officer: User,
    round_2024: ReviewRound,
    near_poor_household: Household,
) -> None:
    client.force_login(officer)
    url = reverse("households:round_detail", args=[2024])
    assert "<strong>1</strong> phiếu rà soát của <strong>1</strong> hộ" in text(
        client.get(url)
    )
    reopen(client)

    response = post_review(client, near_poor_household)

    assert response.status_code == 302
    review = near_poor_household.latest_review()
    assert review is not None
    assert (review.round, review.status) == (round_2024, "poor")
    page = text(client.get(url))
    assert "<strong>2</strong> phiếu rà soát của <strong>1</strong> hộ" in page
    assert "<strong>1</strong> hộ nghèo, <strong>0</strong> hộ cận nghèo" in page
    rounds_page = text(client.get(reverse("households:rounds")))
    assert '<td data-label="Số phiếu" class="num">2</td>' in rounds_page


# --- Which kind of review ----------------------------------------------------------


def test_outside_any_open_round_the_form_asks_which_kind_of_review(
    client: Client,
    officer: User,
    round_2024: ReviewRound,
    near_poor_household: Household,
) -> None:
    client.force_login(officer)
    page = text(
        client.get(reverse("households:review_create", args=[near_poor_household.pk]))
    )
    assert "không có đợt rà soát định kỳ nào đang mở: chọn loại rà soát" in page
    assert '<option value="" selected>— Chọn loại rà soát —</option>' in page

    response = post_review(
        client, near_poor_household, review_date="03/03/2025", kind=""
    )
    assert response.status_code == 200
    assert "Chọn loại rà soát: định kỳ hằng năm" in text(response)
    assert near_poor_household.reviews.count() == 2


def test_in_an_open_round_a_periodic_review_joins_it_from_the_household_page(
    client: Client, officer: User, near_poor_household: Household, spring_2025: None
) -> None:
    review_round = ReviewRound.objects.create(
        commune=officer.commune, year=2025, opened_on=date(2025, 1, 2)
    )
    client.force_login(officer)
    page = text(
        client.get(reverse("households:review_create", args=[near_poor_household.pk]))
    )
    assert "Rà soát định kỳ năm 2025 đang mở (từ ngày 02/01/2025)" in page
    assert '<option value="periodic" selected>' in page

    post_review(client, near_poor_household, review_date="01/03/2025")

    assert near_poor_household.latest_review().round == review_round  # type: ignore[union-attr]


# --- A year whose standard is only continued -----------------------------------------


@pytest.mark.parametrize(
    ("on", "continued"),
    [
        (date(2025, 12, 31), False),
        (date(2026, 1, 1), True),
        (date(2026, 12, 31), True),
    ],
)
def test_only_2026_says_the_2022_2025_standard_is_continued(
    on: date, continued: bool
) -> None:
    notice = poverty.continuation_notice(on)
    assert (notice is not None) == continued
    if notice:
        assert notice == (
            f"Năm {on.year} chưa có chuẩn nghèo mới: tiếp tục áp dụng Chuẩn nghèo đa "
            "chiều giai đoạn 2022–2025 (Nghị định 07/2021/NĐ-CP) đến hết ngày "
            "31/12/2026, theo Nghị định 351/2025/NĐ-CP ngày 30/12/2025 của Chính phủ."
        )


def test_a_review_in_2026_says_the_standard_is_only_continued(
    client: Client, officer: User, near_poor_household: Household, time_machine: Any
) -> None:
    time_machine.move_to(datetime(2026, 3, 3, 9, 0, tzinfo=VN), tick=False)
    client.force_login(officer)
    url = reverse("households:review_create", args=[near_poor_household.pk])
    assert "Năm 2026 chưa có chuẩn nghèo mới" in text(client.get(url))

    response = client.post(
        url, review_data(review_date="02/03/2026", kind=ReviewKind.REGULAR), follow=True
    )
    assert "Hộ nghèo. Năm 2026 chưa có chuẩn nghèo mới" in text(response)  # message
    assert near_poor_household.reviews.count() == 2
    # The regular review holds once the chairman has decided (QĐ 24/2021 Điều 5).
    regular = near_poor_household.reviews.get(kind=ReviewKind.REGULAR)
    decided = client.post(
        reverse("households:regular_decisions"),
        {
            "number": "12/QĐ-UBND",
            "signed_on": "03/03/2026",
            "signer_name": "Phạm Văn Hòa",
            "reviews": [regular.pk],
        },
    )
    assert decided.status_code == 302
    detail = text(client.get(near_poor_household.get_absolute_url()))
    assert '<span id="chuan-ngheo">Năm 2026 chưa có chuẩn nghèo mới' in detail


def test_a_stored_review_of_a_recognised_round_validates_unchanged_but_not_edited(
    round_2024: ReviewRound,
) -> None:
    review = round_2024.reviews.get()
    review.full_clean()  # unchanged: nothing to refuse
    review.income_per_person_month = 900_000
    with pytest.raises(ValidationError, match=RECOGNISED):
        review.full_clean()
    review.refresh_from_db()
    review.review_date = date(2025, 1, 5)  # moved out of the round: still a change
    with pytest.raises(ValidationError, match=RECOGNISED):
        review.full_clean()


def test_the_round_list_counts_the_reviews_the_user_sees_as_the_round_page_does(
    client: Client, head_a2: User, round_2024: ReviewRound
) -> None:
    client.force_login(head_a2)  # Làng Bột: none of the round's reviews
    rounds_page = text(client.get(reverse("households:rounds")))
    assert '<td data-label="Số phiếu" class="num">0</td>' in rounds_page
    round_page = text(client.get(reverse("households:round_detail", args=[2024])))
    assert "<strong>0</strong> phiếu rà soát" in round_page


def test_before_the_kind_is_chosen_the_preview_classifies_a_review_dated_today(
    client: Client,
    officer: User,
    round_2024: ReviewRound,
    near_poor_household: Household,
) -> None:
    """The officer types the income before choosing the kind, on a review dated after
    the recognition in the round's year: the preview classifies instead of refusing
    a periodic review nobody picked."""
    client.force_login(officer)
    url = reverse("households:review_preview", args=[near_poor_household.pk])

    response = client.post(url, review_data(review_date="20/12/2024", kind=""))

    page = text(response)
    assert "Chưa phân loại được" not in page
    assert "Hộ nghèo" in page
