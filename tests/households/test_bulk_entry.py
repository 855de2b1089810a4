"""Entry in bulk during a round: one row per household still to review, each row
saved alone through the review form (issue 11, item 6).

The round of 2024 opened on 01/09/2024; the day is 20/10/2024. Households A1 and
"Hà" of village A1 and A2 of village A2 were poor in 2023, so all three are on the
list to review; nobody is reviewed yet unless a test says so.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from giamngheo.models import User
from households.models import Household, Review, ReviewRound, Village
from households.poverty import PovertyStatus
from tests.conftest import make_household, make_review
from tests.households.test_scope import database_state

VN = ZoneInfo("Asia/Ho_Chi_Minh")
POOR = ("su_dung_dich_vu_vien_thong", "chat_luong_nha_o", "nguon_nuoc_sinh_hoat")
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def round_2024(
    time_machine: Any,
    household_a1: Household,
    household_a2: Household,
    village_a1: Village,
) -> ReviewRound:
    time_machine.move_to(datetime(2024, 10, 20, 9, tzinfo=VN), tick=False)
    second = make_household(village_a1, "CN-01-0002", "Hà Văn Tám")
    for household in (household_a1, household_a2, second):
        household.registered_on = date(2015, 1, 1)
        household.save()
        make_review(household, deprived=POOR, on=date(2023, 11, 20))
    return ReviewRound.objects.create(
        commune=household_a1.commune, year=2024, opened_on=date(2024, 9, 1)
    )


def entry_url(village: Village, year: int = 2024) -> str:
    return f"{reverse('households:round_bulk_entry', args=[year])}?thon={village.pk}"


def row_data(household: Household, **fields: str) -> dict[str, str]:
    """One row as the browser posts it: the date, the reviewer, an income, 3 ticks."""
    prefix = f"h{household.pk}-"
    data = {
        "review_date": "15/10/2024",
        "reviewer_name": "Bùi Văn Thắng",
        "income_per_person_month": "1.500.000",
        **{slug: "on" for slug in POOR},
        **fields,
    }
    return {"ho": str(household.pk)} | {
        prefix + name: value for name, value in data.items() if value is not None
    }


def test_the_grid_lists_the_villages_households_still_to_review(
    client: Client, officer: User, round_2024: ReviewRound, village_a1: Village
) -> None:
    client.force_login(officer)

    page = client.get(entry_url(village_a1)).content.decode()

    assert "CN-01-0001" in page
    assert "CN-01-0002" in page
    assert "CN-02-0001" not in page  # another village
    # Each row is its own form, posted with htmx to the same page, one row answered.
    household = Household.objects.get(code="CN-01-0001")
    assert f'<form id="phieu-{household.pk}"' in page
    assert 'hx-target="closest tr"' in page
    assert f'form="phieu-{household.pk}"' in page
    # The date and the reviewer start as today and the officer.
    assert 'value="20/10/2024"' in page
    assert officer.get_full_name() in page


def test_a_row_with_an_income_in_the_vietnamese_way_is_saved_and_classified(
    client: Client, officer: User, round_2024: ReviewRound, household_a1: Household
) -> None:
    client.force_login(officer)

    response = client.post(
        entry_url(household_a1.village), row_data(household_a1), **HTMX
    )

    review = Review.objects.get(household=household_a1, round=round_2024)
    assert review.income_per_person_month == 1_500_000
    assert set(review.deprived_slugs()) == set(POOR)
    assert review.status == PovertyStatus.POOR
    assert review.kind == "periodic"
    assert review.recorded_by == officer
    row = response.content.decode()
    # The row alone, saved: the badge, the reasons, a link, and no input left.
    assert row.lstrip().startswith(f'<tr id="ho-{household_a1.pk}"')
    assert "entry-row saved" in row
    assert '<span class="badge poor">Hộ nghèo</span>' in row
    assert "thiếu hụt 3/12 chỉ số" in row
    assert household_a1.get_absolute_url() in row
    assert "<input" not in row


def test_a_row_with_a_b1_total_is_saved(
    client: Client, officer: User, round_2024: ReviewRound, household_a1: Household
) -> None:
    client.force_login(officer)

    client.post(
        entry_url(household_a1.village),
        row_data(household_a1, income_per_person_month="", b1_score="120"),
        **HTMX,
    )

    review = Review.objects.get(household=household_a1, round=round_2024)
    assert review.b1_score == 120
    assert review.income_per_person_month is None


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        pytest.param(
            {"income_per_person_month": "abc"},
            "Nhập số tiền bằng chữ số, ví dụ 1.500.000.",
            id="income-abc",
        ),
        pytest.param(
            {"review_date": "21/10/2024"},
            "Ngày rà soát không được ở tương lai.",
            id="date-in-the-future",
        ),
        # The head is insured: ticking "Bảo hiểm y tế" goes against the members.
        pytest.param(
            {"bao_hiem_y_te": "on"},
            "Ghi lý do vì sao kết quả khác với số liệu đã ghi",
            id="override-without-a-note",
        ),
        pytest.param(
            {"income_per_person_month": "", "b1_score": ""},
            "Ghi đúng một trong hai: thu nhập bình quân",
            id="neither-income-nor-b1",
        ),
    ],
)
def test_a_bad_row_shows_its_errors_and_writes_nothing(
    client: Client,
    officer: User,
    round_2024: ReviewRound,
    household_a1: Household,
    fields: dict[str, str],
    message: str,
) -> None:
    client.force_login(officer)
    before = database_state()

    response = client.post(
        entry_url(household_a1.village), row_data(household_a1, **fields), **HTMX
    )

    assert response.status_code == 200
    row = response.content.decode()
    assert message in row
    assert "entry-row pending has-errors" in row
    assert "autofocus" in row  # the cursor goes back to the field to correct
    assert database_state() == before


def test_an_override_with_a_note_is_saved(
    client: Client, officer: User, round_2024: ReviewRound, household_a1: Household
) -> None:
    client.force_login(officer)

    client.post(
        entry_url(household_a1.village),
        row_data(household_a1, bao_hiem_y_te="on", note="Thẻ BHYT hết hạn 09/2024"),
        **HTMX,
    )

    review = Review.objects.get(household=household_a1, round=round_2024)
    assert review.bao_hiem_y_te
    assert review.note == "Thẻ BHYT hết hạn 09/2024"


def test_a_village_head_records_his_village_and_no_other(
    client: Client,
    head_a1: User,
    round_2024: ReviewRound,
    household_a1: Household,
    household_a2: Household,
) -> None:
    client.force_login(head_a1)
    before = database_state()

    other_village = client.post(
        entry_url(household_a2.village), row_data(household_a2), **HTMX
    )
    other_household = client.post(
        entry_url(household_a1.village), row_data(household_a2), **HTMX
    )

    assert other_village.status_code == 404
    assert other_household.status_code == 404
    assert client.get(entry_url(household_a2.village)).status_code == 404
    assert database_state() == before
    client.post(entry_url(household_a1.village), row_data(household_a1), **HTMX)
    assert Review.objects.filter(household=household_a1, round=round_2024).exists()


def test_read_only_roles_are_refused(
    client: Client, chairman: User, round_2024: ReviewRound, household_a1: Household
) -> None:
    client.force_login(chairman)
    before = database_state()

    response = client.post(
        entry_url(household_a1.village), row_data(household_a1), **HTMX
    )

    assert response.status_code == 403
    assert client.get(entry_url(household_a1.village)).status_code == 403
    assert database_state() == before


def test_a_household_already_reviewed_in_the_round_is_not_offered_again(
    client: Client, officer: User, round_2024: ReviewRound, household_a1: Household
) -> None:
    make_review(household_a1, deprived=POOR, on=date(2024, 10, 1), round=round_2024)
    client.force_login(officer)

    page = client.get(entry_url(household_a1.village)).content.decode()
    assert f'id="ho-{household_a1.pk}"' not in page
    assert "CN-01-0002" in page

    # Posted anyway (a second Enter, an old page): the first review stands.
    response = client.post(
        entry_url(household_a1.village), row_data(household_a1), **HTMX
    )
    assert household_a1.reviews.filter(round=round_2024).count() == 1
    assert "Đã có phiếu trong đợt, không ghi thêm" in response.content.decode()


def test_saving_twice_writes_one_review(
    client: Client, officer: User, round_2024: ReviewRound, household_a1: Household
) -> None:
    client.force_login(officer)
    url = entry_url(household_a1.village)

    client.post(url, row_data(household_a1), **HTMX)
    client.post(url, row_data(household_a1, income_per_person_month="900.000"), **HTMX)

    review = household_a1.reviews.get(round=round_2024)
    assert review.income_per_person_month == 1_500_000


def test_without_javascript_a_saved_row_comes_back_to_the_page_with_its_date(
    client: Client, officer: User, round_2024: ReviewRound, household_a1: Household
) -> None:
    client.force_login(officer)
    url = entry_url(household_a1.village)

    response = client.post(url, row_data(household_a1), follow=True)

    assert Review.objects.filter(household=household_a1, round=round_2024).exists()
    page = response.content.decode()
    assert "Đã ghi phiếu rà soát hộ CN-01-0001 (Bùi Văn Hùng): Hộ nghèo." in page
    # The next row carries the saved row's date and reviewer, and waits for the cursor.
    assert 'value="15/10/2024"' in page
    assert 'value="Bùi Văn Thắng"' in page
    assert "autofocus" in page
    assert f'id="ho-{household_a1.pk}"' not in page


def test_without_javascript_a_bad_row_comes_back_with_its_errors_among_the_others(
    client: Client, officer: User, round_2024: ReviewRound, household_a1: Household
) -> None:
    client.force_login(officer)
    before = database_state()

    response = client.post(
        entry_url(household_a1.village),
        row_data(household_a1, income_per_person_month="abc"),
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" in page
    assert "Nhập số tiền bằng chữ số" in page
    assert 'value="abc"' in page  # what was typed stays
    assert "CN-01-0002" in page
    assert database_state() == before


def test_a_closed_round_takes_no_more_rows(
    client: Client, officer: User, round_2024: ReviewRound, household_a1: Household
) -> None:
    round_2024.closed_on = date(2024, 10, 18)
    round_2024.save()
    client.force_login(officer)
    before = database_state()

    page = client.get(entry_url(household_a1.village)).content.decode()
    response = client.post(
        entry_url(household_a1.village),
        row_data(household_a1, review_date="10/10/2024"),
        **HTMX,
    )

    assert "đã kết thúc" in page
    assert "<form id=" not in page
    assert "không ghi thêm" in page
    assert "has-errors" in response.content.decode()
    assert database_state() == before


def test_without_a_village_the_page_offers_the_users_villages(
    client: Client, head_a1: User, round_2024: ReviewRound, village_a1: Village
) -> None:
    client.force_login(head_a1)

    page = client.get(reverse("households:round_bulk_entry", args=[2024]))

    assert page.status_code == 200
    assert f"?thon={village_a1.pk}" in page.content.decode()
    assert "Làng Bột" not in page.content.decode()


@pytest.mark.parametrize("thon", ["abc", "999999", "-1"])
def test_an_unknown_village_is_404(
    client: Client, officer: User, round_2024: ReviewRound, thon: str
) -> None:
    client.force_login(officer)
    url = f"{reverse('households:round_bulk_entry', args=[2024])}?thon={thon}"
    assert client.get(url).status_code == 404


def test_the_round_page_links_each_village_to_its_grid(
    client: Client, officer: User, round_2024: ReviewRound, village_a1: Village
) -> None:
    client.force_login(officer)

    page = client.get(reverse("households:round_detail", args=[2024])).content.decode()

    assert "Nhập nhanh phiếu của thôn" in page
    assert entry_url(village_a1) in page


def test_the_grids_queries_do_not_grow_with_its_rows(
    client: Client, officer: User, round_2024: ReviewRound, village_a1: Village
) -> None:
    client.force_login(officer)
    with CaptureQueriesContext(connection) as two_rows:
        client.get(entry_url(village_a1))
    for n in range(3, 9):
        household = make_household(village_a1, f"CN-01-000{n}", "Hà Văn Tám")
        household.registered_on = date(2015, 1, 1)
        household.save()
        make_review(household, deprived=POOR, on=date(2023, 11, 20))

    with CaptureQueriesContext(connection) as eight_rows:
        page = client.get(entry_url(village_a1)).content.decode()

    assert page.count('class="entry-row pending"') == 8
    assert len(eight_rows) == len(two_rows)
