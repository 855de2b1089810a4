"""The household list: filters, search, pagination, query count, Vietnamese formats.

The list's status is the latest review's (`with_current_status`); archived households
are hidden unless asked for (see test_forms.py for archiving itself).
"""

from __future__ import annotations

import re
from datetime import date
from html import unescape
from typing import Any
from urllib.parse import urljoin

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from giamngheo.models import User
from households.models import Ethnicity, Household, Member, Village
from households.poverty import PovertyStatus
from households.views import PAGE_SIZE
from tests.conftest import make_household, make_review

# 3 deprivations the reviewer ticks (none follows from the test members).
POOR = ("su_dung_dich_vu_vien_thong", "chat_luong_nha_o", "nguon_nuoc_sinh_hoat")


@pytest.fixture
def officer_client(client: Client, officer: User) -> Client:
    client.force_login(officer)
    return client


def listed(client: Client, query: str = "") -> list[str]:
    """The codes on the list page, in order."""
    response = client.get(reverse("households:list") + query)
    assert response.status_code == 200
    return [household.code for household in response.context["page"].object_list]


def make_female_headed(
    village: Village, code: str, name: str, **fields: object
) -> Household:
    household = make_household(village, code, name, **fields)
    household.members.update(sex="female")
    return household


# --- Filters -------------------------------------------------------------------------


def test_list_filters_by_village(
    officer_client: Client,
    household_a1: Household,
    household_a2: Household,
    village_a2: Village,
) -> None:
    assert listed(officer_client, f"?village={village_a2.pk}") == [household_a2.code]


def test_list_without_filter_shows_the_commune_ordered_by_village_then_code(
    officer_client: Client,
    household_a1: Household,
    household_a2: Household,
    village_a1: Village,
) -> None:
    later = make_household(village_a1, "CN-01-0002", "Bùi Văn Sáng")

    assert listed(officer_client) == [household_a1.code, later.code, household_a2.code]


@pytest.fixture
def statuses(village_a1: Village) -> dict[str, Household]:
    """One household per current status, and one whose old 'poor' was superseded."""
    poor = make_household(village_a1, "CN-01-0101", "Bùi Văn Nghèo")
    make_review(poor, income=1_200_000, deprived=POOR)
    near_poor = make_household(village_a1, "CN-01-0102", "Bùi Văn Cận")
    make_review(near_poor, income=1_200_000, deprived=POOR[:1])
    escaped = make_household(village_a1, "CN-01-0103", "Bùi Văn Thoát")
    make_review(escaped, income=1_200_000, deprived=POOR, on=date(2023, 11, 20))
    make_review(escaped, income=2_500_000, on=date(2024, 11, 20))
    unreviewed = make_household(village_a1, "CN-01-0104", "Bùi Văn Mới")
    return {
        "poor": poor,
        "near_poor": near_poor,
        "not_poor": escaped,
        "none": unreviewed,
    }


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (PovertyStatus.POOR, ["poor"]),
        (PovertyStatus.NEAR_POOR, ["near_poor"]),
        (PovertyStatus.NOT_POOR, ["not_poor"]),
        (PovertyStatus.MEDIUM, []),
        ("none", ["none"]),
    ],
)
def test_list_filters_by_the_latest_review_status(
    officer_client: Client,
    statuses: dict[str, Household],
    status: str,
    expected: list[str],
) -> None:
    assert listed(officer_client, f"?status={status}") == [
        statuses[key].code for key in expected
    ]


def test_list_shows_the_latest_review_status_label(
    officer_client: Client, statuses: dict[str, Household]
) -> None:
    response = officer_client.get(reverse("households:list"))

    shown = {h.code: h.status for h in response.context["page"].object_list}
    assert shown == {
        statuses["poor"].code: "poor",
        statuses["near_poor"].code: "near_poor",
        statuses["not_poor"].code: "not_poor",
        statuses["none"].code: None,
    }
    page = response.content.decode()
    assert "Hộ nghèo" in page
    assert "Chưa rà soát" in page


def test_list_status_ignores_a_review_dated_in_the_future(
    officer_client: Client, household_a1: Household
) -> None:
    make_review(household_a1, income=1_200_000, deprived=POOR)
    future = make_review(household_a1, income=2_500_000)
    future.review_date = date(2099, 1, 1)
    future.save(update_fields=["review_date"])

    assert listed(officer_client, "?status=poor") == [household_a1.code]


def test_list_filters_by_ethnicity(officer_client: Client, village_a1: Village) -> None:
    kinh = make_household(village_a1, "CN-01-0201", ethnicity=Ethnicity.KINH)
    make_household(village_a1, "CN-01-0202", ethnicity=Ethnicity.MUONG)

    assert listed(officer_client, "?ethnicity=kinh") == [kinh.code]


@pytest.fixture
def flagged(village_a1: Village) -> dict[str, Household]:
    return {
        "plain": make_household(village_a1, "CN-01-0300", ethnicity=Ethnicity.KINH),
        "female_head": make_female_headed(
            village_a1, "CN-01-0301", "Quách Thị Hoa", ethnicity=Ethnicity.KINH
        ),
        "ethnic_minority": make_household(
            village_a1, "CN-01-0302", ethnicity=Ethnicity.THAI
        ),
        "meritorious": make_household(
            village_a1,
            "CN-01-0303",
            ethnicity=Ethnicity.KINH,
            has_meritorious_person=True,
        ),
        "no_labour": make_household(
            village_a1, "CN-01-0304", ethnicity=Ethnicity.KINH, no_labour_capacity=True
        ),
    }


@pytest.mark.parametrize(
    "flag", ["female_head", "ethnic_minority", "meritorious", "no_labour"]
)
def test_list_filters_by_flag(
    officer_client: Client, flagged: dict[str, Household], flag: str
) -> None:
    assert listed(officer_client, f"?flag={flag}") == [flagged[flag].code]


def test_female_head_filter_looks_at_the_head_not_at_any_woman(
    officer_client: Client, household_a1: Household
) -> None:
    Member.objects.create(
        household=household_a1,
        full_name="Quách Thị Hoa",
        birth_year=1982,
        sex="female",
        relationship="spouse",
    )

    assert listed(officer_client, "?flag=female_head") == []


def test_list_shows_the_flags_of_a_household(
    officer_client: Client, flagged: dict[str, Household]
) -> None:
    page = officer_client.get(reverse("households:list") + "?q=CN-01-0301")

    assert "Chủ hộ nữ" in page.content.decode()


def test_filters_combine(officer_client: Client, village_a1: Village) -> None:
    wanted = make_female_headed(village_a1, "CN-01-0401", "Quách Thị Hoa")
    make_review(wanted, deprived=POOR)
    other_poor = make_household(village_a1, "CN-01-0402")
    make_review(other_poor, deprived=POOR)
    make_female_headed(village_a1, "CN-01-0403", "Quách Thị Lụa")

    assert listed(officer_client, "?status=poor&flag=female_head") == [wanted.code]


# --- Search ------------------------------------------------------------------------


@pytest.fixture
def people(village_a1: Village, village_a2: Village) -> dict[str, Household]:
    return {
        "hung": make_household(village_a1, "CN-01-0501", "Bùi Văn Hùng"),
        "hung_other": make_household(village_a1, "CN-01-0502", "Bùi Văn Hưng"),
        "duc": make_household(village_a2, "CN-02-0503", "Đinh Văn Đức"),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("bui van hung", ["hung", "hung_other"]),
        ("Bùi Văn Hùng", ["hung", "hung_other"]),
        ("hung bui", ["hung", "hung_other"]),
        ("dinh van duc", ["duc"]),
        ("ĐỨC", ["duc"]),
        ("CN-01-0501", ["hung"]),
        ("cn-02-0503", ["duc"]),
        ("0502", ["hung_other"]),
        ("nguyen", []),
    ],
)
def test_search_ignores_accents_and_case_and_finds_codes(
    officer_client: Client,
    people: dict[str, Household],
    query: str,
    expected: list[str],
) -> None:
    found = listed(officer_client, f"?q={query}")

    assert found == [people[key].code for key in expected]


def test_search_finds_a_member_who_is_not_the_head(
    client: Client, officer: User, village_a1: Village
) -> None:
    client.force_login(officer)
    response = client.post(
        reverse("households:create"),
        {
            "code": "CN-01-0600",
            "village": str(village_a1.pk),
            "address": "",
            "ethnicity": "muong",
            "registered_on": "01/01/2020",
            "members-TOTAL_FORMS": "2",
            "members-INITIAL_FORMS": "0",
            "members-MIN_NUM_FORMS": "1",
            "members-MAX_NUM_FORMS": "30",
            "members-0-full_name": "Bùi Văn Tâm",
            "members-0-relationship": "head",
            "members-0-sex": "male",
            "members-0-birth_year": "1975",
            "members-0-ethnicity": "muong",
            "members-0-attends_school": "",
            "members-0-education_level": "primary",
            "members-0-employment": "self_employed",
            "members-1-full_name": "Quách Thị Nguyệt",
            "members-1-relationship": "spouse",
            "members-1-sex": "female",
            "members-1-birth_year": "1978",
            "members-1-ethnicity": "muong",
            "members-1-attends_school": "",
            "members-1-education_level": "primary",
            "members-1-employment": "self_employed",
        },
    )
    assert response.status_code == 302

    assert listed(client, "?q=quach thi nguyet") == ["CN-01-0600"]


# --- Pagination ----------------------------------------------------------------------


def make_many(village: Village, count: int, *, start: int = 1) -> list[Household]:
    households = []
    for number in range(start, start + count):
        household = make_household(village, f"CN-01-{number:04d}", "Bùi Văn Hùng")
        Member.objects.create(
            household=household,
            full_name="Quách Thị Lan",
            birth_year=1984,
            sex="female",
            relationship="spouse",
            has_health_insurance=True,
        )
        make_review(household, deprived=POOR if number % 2 else ())
        households.append(household)
    return households


def test_list_pages_by_25(officer_client: Client, village_a1: Village) -> None:
    households = make_many(village_a1, 30)

    first = officer_client.get(reverse("households:list"))
    second = officer_client.get(reverse("households:list") + "?page=2")

    assert PAGE_SIZE == 25
    assert [h.code for h in first.context["page"].object_list] == [
        h.code for h in households[:25]
    ]
    assert [h.code for h in second.context["page"].object_list] == [
        h.code for h in households[25:]
    ]
    assert "(30 hộ)" in first.content.decode()
    assert "Trang 1/2" in first.content.decode()
    assert "Trang 2/2" in second.content.decode()


def follow_link(client: Client, page_url: str, html: str, text: str) -> Any:
    """Follow the link labelled `text` as a browser would: unescape, resolve, GET."""
    match = re.search(r'<a href="([^"]*)"[^>]*>' + re.escape(text), html)
    assert match is not None, f"no link {text!r}"
    href = unescape(match.group(1))
    assert "??" not in href and " " not in href, href
    return client.get(urljoin("http://testserver" + page_url, href))


def test_pagination_links_reach_the_next_page_and_keep_the_filters(
    officer_client: Client, village_a1: Village
) -> None:
    make_many(village_a1, 60)  # 30 poor
    url = reverse("households:list") + "?status=poor&q=hung"

    response = officer_client.get(url)
    assert response.context["page"].paginator.count == 30
    second = follow_link(officer_client, url, response.content.decode(), "Sau →")

    assert second.context["page"].number == 2
    assert second.context["filter"].form.cleaned_data["status"] == "poor"
    assert second.context["filter"].form.cleaned_data["q"] == "hung"
    assert len(second.context["page"].object_list) == 5
    back = follow_link(
        officer_client,
        second.wsgi_request.get_full_path(),
        second.content.decode(),
        "← Trước",
    )
    assert back.context["page"].number == 1
    assert back.context["page"].paginator.count == 30


def test_page_number_out_of_range_shows_the_last_page(
    officer_client: Client, village_a1: Village
) -> None:
    households = make_many(village_a1, 26)

    assert listed(officer_client, "?page=99") == [households[-1].code]
    assert len(listed(officer_client, "?page=abc")) == 25


# --- Number of queries does not grow with the data -----------------------------------


def count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize(
    "query",
    ["", "?status=poor", "?flag=female_head", "?q=bui+van&ethnicity=muong", "?page=2"],
    ids=["plain", "status", "female_head", "search", "page_2"],
)
def test_list_query_count_does_not_grow_with_households(
    officer_client: Client,
    village_a1: Village,
    django_assert_num_queries: Any,
    query: str,
) -> None:
    url = reverse("households:list") + query
    make_many(village_a1, 3)
    officer_client.get(url)  # warm up the session
    make_many(village_a1, 1, start=4)
    # A class's count is read from the commune's figures (households/figures.py):
    # computed by the first page after a write, read by the next.
    computed = count_queries(officer_client, url)
    read = count_queries(officer_client, url)

    make_many(village_a1, 36, start=5)  # 40 households, 2 pages

    with django_assert_num_queries(computed):
        officer_client.get(url)
    with django_assert_num_queries(read):
        response = officer_client.get(url)
    assert response.status_code == 200


def test_villages_page_query_count_does_not_grow_with_households(
    officer_client: Client,
    village_a1: Village,
    village_a2: Village,
    django_assert_num_queries: Any,
) -> None:
    url = reverse("households:villages")
    make_many(village_a1, 3)
    officer_client.get(url)  # warm up the session
    make_many(village_a1, 1, start=4)
    # The figures are computed once per change of the register (households/
    # figures.py): the first page after a write computes them, the next reads them.
    computed = count_queries(officer_client, url)
    read = count_queries(officer_client, url)

    make_many(village_a1, 36, start=5)

    with django_assert_num_queries(computed):
        officer_client.get(url)
    with django_assert_num_queries(read):
        officer_client.get(url)
    assert read < computed


def test_detail_page_query_count_does_not_grow_with_members_and_reviews(
    officer_client: Client,
    household_a1: Household,
    django_assert_max_num_queries: Any,
) -> None:
    url = household_a1.get_absolute_url()
    make_review(household_a1)
    officer_client.get(url)
    small = count_queries(officer_client, url)

    for number in range(8):
        Member.objects.create(
            household=household_a1,
            full_name=f"Bùi Văn Con {number}",
            birth_year=2000 + number,
            sex="male",
            relationship="child",
            has_health_insurance=True,
        )
    for year in range(2022, 2026):
        make_review(household_a1, on=date(year, 3, 5))

    with django_assert_max_num_queries(small):
        officer_client.get(url)


# --- Vietnamese numbers and dates on the pages ----------------------------------------


def test_villages_page_shows_the_poverty_rate_with_a_decimal_comma(
    officer_client: Client, village_a1: Village
) -> None:
    for number in range(1, 7):  # 6 households, 1 poor: 16,67 %
        household = make_household(village_a1, f"CN-01-{number:04d}")
        make_review(household, deprived=POOR if number == 1 else ())

    page = officer_client.get(reverse("households:villages")).content.decode()

    assert re.search(r"16,67\s%", page)
    assert "16.67" not in page


def test_villages_page_shows_a_third_as_33_33(
    officer_client: Client, village_a1: Village
) -> None:
    for number, deprived in enumerate((POOR, (), ()), start=1):
        make_review(
            make_household(village_a1, f"CN-01-{number:04d}"), deprived=deprived
        )

    page = officer_client.get(reverse("households:villages")).content.decode()

    assert re.search(r"33,33\s%", page)


def test_villages_page_links_use_unlocalized_ids(
    officer_client: Client, commune_a: Any
) -> None:
    Village.objects.create(pk=1234, commune=commune_a, name="Làng Mới", position=9)

    page = officer_client.get(reverse("households:villages")).content.decode()

    assert "?village=1234" in page
    assert "1.234" not in page


def test_detail_page_shows_review_date_and_income_in_vietnamese_format(
    officer_client: Client, household_a1: Household
) -> None:
    make_review(household_a1, income=1_200_000, on=date(2024, 3, 5))

    page = officer_client.get(household_a1.get_absolute_url()).content.decode()

    assert "05/03/2024" in page
    assert "03/05/2024" not in page
    assert "1.200.000" in page
    assert "1200000" not in page


def test_list_shows_the_number_of_households_with_grouping(
    officer_client: Client, village_a1: Village
) -> None:
    make_many(village_a1, 2)

    assert "(2 hộ)" in officer_client.get(reverse("households:list")).content.decode()


def test_member_birth_year_is_not_grouped_on_the_detail_page(
    officer_client: Client, household_a1: Household
) -> None:
    page = officer_client.get(household_a1.get_absolute_url()).content.decode()

    assert "1980" in page
    assert "1.980" not in page


@pytest.mark.parametrize("status", ["poor", "near_poor", "not_poor"])
def test_a_class_read_from_the_figures_is_the_lists_own(
    client: Client,
    officer: User,
    head_a1: User,
    village_a1: Village,
    village_a2: Village,
    status: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The list of one class pages through the commune's cached ids: the same
    households in the same order as the filter's own query, for every scope, and
    a change shows at once."""
    monkeypatch.setattr("households.views.PAGE_SIZE", 2)
    make_many(village_a1, 5)
    make_many(village_a2, 4, start=6)
    archived = Household.objects.get(code="CN-01-0001")
    archived.archived_on = date(2024, 1, 2)
    archived.archive_reason = "moved_away"
    archived.save()

    def shown(user: User, query: str) -> tuple[list[str], list[str]]:
        """The codes the list shows on its pages, and the filter's own query's."""
        client.force_login(user)
        url = reverse("households:list") + query
        codes: list[str] = []
        page = client.get(url).context["page"]
        while True:
            codes += [h.code for h in page.object_list]
            if not page.has_next():
                break
            page = client.get(f"{url}&page={page.next_page_number()}").context["page"]
        assert page.paginator.count == len(codes)
        wanted = dict(pair.split("=") for pair in query[1:].split("&"))
        queryset = (
            Household.objects.visible_to(user).active().with_current_status()
        ).filter(status=wanted["status"])
        if "village" in wanted:
            queryset = queryset.filter(village_id=wanted["village"])
        return codes, list(queryset.values_list("code", flat=True))

    for user, query in (
        (officer, f"?status={status}"),
        (officer, f"?status={status}&village={village_a2.pk}"),
        (head_a1, f"?status={status}"),
    ):
        codes, listed = shown(user, query)
        assert codes == listed, (user.username, query)
    poor = Household.objects.get(code="CN-01-0003").reviews.get()
    poor.income_per_person_month = 2_500_000
    poor.save()
    codes, listed = shown(officer, f"?status={status}")
    assert codes == listed
