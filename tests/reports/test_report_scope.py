"""Who may open which report, and what it holds (ECOSYSTEM.md B5).

`REPORT_POLICY` is the reports' part of the project's policy table: the coverage test
of tests/households/test_scope.py counts it, so a `reports:` URL without a row fails
there. Every report is a commune-level page of a year, read-only, open to every
logged-in role; the scoping is by data (`Household.objects.visible_to`): a village
head's report is their village's, an officer's their commune's. Anonymous is sent to
the login page with `?next=`, and no request changes a row.

The data: commune A has two households in village A1 (one poor) and one poor
household in A2, reviewed in 2023 and 2024, and a 2024 target; commune B has one
poor household.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date
from typing import Any
from urllib.parse import quote

import openpyxl
import pytest
from django.test import Client
from django.urls import resolve, reverse

from giamngheo.models import User
from households.models import Household, Village
from reports import review_views, september_views
from reports.layouts.review import REPORTS
from targets.models import PovertyTarget, VillageAllocation
from tests.conftest import make_household, make_review
from tests.households.test_scope import (
    FORBIDDEN,
    OK,
    ROLES,
    TO_LOGIN,
    Outcome,
    database_state,
    log_in,
    row,
    with_province,
)

YEAR = 2024
POOR = ("viec_lam", "chat_luong_nha_o", "nguon_nuoc_sinh_hoat")  # 3 deprivations
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LOGIN = TO_LOGIN
ALL_READ = row(LOGIN, OK, OK, OK, OK, OK, OK)
F = FORBIDDEN

# fmt: off
REPORT_POLICY: dict[str, dict[str, dict[str, Outcome]]] = {
    #                        anon   officer chairman sector head_a1 outsider admin
    "reports:index":        {"GET": ALL_READ},
    "reports:dashboard":    {"GET": ALL_READ},
    "reports:appendix_01":  {"GET": ALL_READ},
    # The review tables of DOMAIN.md §3.8.
    "reports:review_1":     {"GET": ALL_READ},
    "reports:review_2":     {"GET": ALL_READ},
    "reports:review_3":     {"GET": ALL_READ},
    "reports:review_4":     {"GET": ALL_READ},
    "reports:review_5":     {"GET": ALL_READ},
    "reports:review_6":     {"GET": ALL_READ},
    "reports:review_7":     {"GET": ALL_READ},
    "reports:review_8":     {"GET": ALL_READ},
    "reports:review_9":     {"GET": ALL_READ},
    "reports:review_10":    {"GET": ALL_READ},
    "reports:review_11":    {"GET": ALL_READ},
    "reports:review_12":    {"GET": ALL_READ},
    "reports:review_13":    {"GET": ALL_READ},
    # Reports 14 (near-poor) and 15 (poor), the detailed lists.
    "reports:household_list": {"GET": ALL_READ},
    # The September reports on the service-access targets, one per unit.
    "reports:september":    {"GET": ALL_READ},
    # The villages' plans and the units' tasks of the year.
    "reports:status":       {"GET": ALL_READ},
    # The province's pages: its user and the superuser (commune A's province); a
    # commune's users are refused (their page is their commune's dashboard).
    "reports:province":     {"GET": row(LOGIN, F,   F,      F,     F,      F,      OK)},
    "reports:province_review": {"GET": row(LOGIN, F, F,     F,     F,      F,      OK)},
}
# fmt: on

# The province user reads its own pages (with_province: elsewhere, the chairman's).
PROVINCE_EXCEPTIONS: dict[tuple[str, str], Outcome] = {
    ("reports:province", "GET"): OK,
    ("reports:province_review", "GET"): OK,
}

# The arguments of each URL (one request per entry); a report of a year by default.
URL_ARGS: dict[str, list[list[object]]] = {
    "reports:index": [[]],
    "reports:dashboard": [[]],
    "reports:household_list": [[YEAR, 14], [YEAR, 15]],
    "reports:province": [[]],
    # Report 9 is not rolled up (its columns are each commune's ethnic groups).
    "reports:province_review": [[YEAR, 1], [YEAR, 2], [YEAR, 10]],
    "reports:september": [
        [YEAR, slug]
        for slug in ("giao-duc", "y-te", "nha-o", "thong-tin", "nuoc-ve-sinh")
    ],
}
# Every report but the index downloads with ?format=pdf|xlsx.
# (The province's pages have no PDF: tests/reports/test_province.py.)
DOWNLOADS = set(REPORT_POLICY) - {
    "reports:index",
    "reports:dashboard",
    "reports:province",
    "reports:province_review",
}


def args_of(url_name: str) -> list[list[object]]:
    return URL_ARGS.get(url_name, [[YEAR]])


def report_paths() -> Iterator[Any]:
    for url_name in sorted(DOWNLOADS):
        for args in args_of(url_name):
            yield pytest.param(url_name, args, id="-".join([url_name, *map(str, args)]))


# --- The data ----------------------------------------------------------------------


def reviewed(village: Village, code: str, head: str, *, poor: bool) -> Household:
    household = make_household(village, code, head, registered_on=date(2015, 1, 1))
    for year in (2023, 2024):
        make_review(
            household,
            income=1_000_000 if poor else 3_000_000,
            deprived=POOR if poor else (),
            on=date(year, 11, 20),
        )
    return household


@pytest.fixture
def register(
    village_a1: Village, village_a2: Village, village_b1: Village
) -> dict[str, Household]:
    households = {
        "a1_poor": reviewed(village_a1, "CN-01-0001", "Bùi Văn Hùng", poor=True),
        "a1": reviewed(village_a1, "CN-01-0002", "Bùi Thị Nga", poor=False),
        "a2_poor": reviewed(village_a2, "CN-02-0001", "Quách Thị Lan", poor=True),
        "b_poor": reviewed(village_b1, "MT-01-0001", "Hà Văn Sơn", poor=True),
    }
    target = PovertyTarget.objects.create(
        commune=village_a1.commune, year=YEAR, poor_target_end=1
    )
    VillageAllocation.objects.create(
        target=target, village=village_a1, poor_reduction=1
    )
    VillageAllocation.objects.create(
        target=target, village=village_a2, poor_reduction=0
    )
    return households


# --- The matrix --------------------------------------------------------------------


def matrix_cases() -> Iterator[Any]:
    for url_name, methods in REPORT_POLICY.items():
        for method, cells in methods.items():
            every_role = with_province(cells, url_name, method, PROVINCE_EXCEPTIONS)
            for role, outcome in every_role.items():
                for args in args_of(url_name):
                    suffix = "".join(f"-{a}" for a in args)
                    yield pytest.param(
                        url_name,
                        args,
                        method,
                        role,
                        outcome,
                        id=f"{url_name}{suffix}-{method}-{role}",
                    )


@pytest.mark.parametrize(
    ("url_name", "args", "method", "role", "expected"), list(matrix_cases())
)
def test_report_url_matrix(
    db: None,  # asked for here: a first `getfixturevalue("db")` skips the test DB
    client: Client,
    request: pytest.FixtureRequest,
    register: dict[str, Household],
    url_name: str,
    args: list[object],
    method: str,
    role: str,
    expected: Outcome,
) -> None:
    log_in(client, request, role)
    path = reverse(url_name, args=args)
    before = database_state()

    response = client.get(path) if method == "GET" else client.post(path)

    assert response.status_code == expected.status, response.content.decode()[:2000]
    if expected.location == "login?next":
        assert response.url == f"{reverse('login')}?next={quote(path)}"
    if expected.status == 200:
        # Pages with personal data stay out of caches (ASVS 14.3.2, B18).
        assert "no-store" in response["Cache-Control"]
    assert database_state() == before


def test_policy_rows_name_every_role() -> None:
    for url_name, methods in REPORT_POLICY.items():
        for cells in methods.values():
            assert tuple(cells) == ROLES, url_name


def test_review_tables_of_the_policy_are_those_of_the_views() -> None:
    """A review table added to `layouts.review.REPORTS` gets its URL and so its row."""
    assert {f"reports:review_{n}" for n in REPORTS} <= set(REPORT_POLICY)


def year_cases() -> Iterator[Any]:
    yield from report_paths()


@pytest.mark.parametrize("year", [0, 99999])
@pytest.mark.parametrize(("url_name", "args"), list(year_cases()))
def test_report_of_an_impossible_year_is_404(
    client: Client,
    officer: User,
    register: dict[str, Household],
    url_name: str,
    args: list[object],
    year: int,
) -> None:
    client.force_login(officer)

    path = reverse(url_name, args=args)
    # reverse() refuses to build an impossible year: write the path by hand.
    response = client.get(path.replace(f"/{args[0]}/", f"/{year}/", 1))

    assert response.status_code == 404


# --- Downloads -----------------------------------------------------------------------


@pytest.mark.parametrize(("url_name", "args"), list(report_paths()))
def test_every_report_downloads_as_pdf_and_excel(
    client: Client,
    head_a1: User,
    register: dict[str, Household],
    url_name: str,
    args: list[object],
) -> None:
    client.force_login(head_a1)
    path = reverse(url_name, args=args)

    pdf = client.get(path, {"format": "pdf"})
    xlsx = client.get(path, {"format": "xlsx"})

    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert pdf["Content-Disposition"].startswith("attachment;")
    assert xlsx.status_code == 200
    assert xlsx["Content-Type"] == XLSX
    assert openpyxl.load_workbook(io.BytesIO(xlsx.content)).sheetnames


def test_anonymous_download_goes_to_the_login_page(
    client: Client, register: dict[str, Household]
) -> None:
    path = reverse("reports:appendix_01", args=[YEAR])

    response = client.get(path, {"format": "pdf"})

    assert response.status_code == 302
    assert response.url.startswith(f"{reverse('login')}?next=")
    assert "application/pdf" not in response.get("Content-Type", "")


# --- Content in scope --------------------------------------------------------------


def appendix_rows(client: Client, user: User) -> tuple[str, list[str]]:
    """Phụ lục 01 as the user gets it: the HTML page, and the names of the Excel
    sheet's rows."""
    client.force_login(user)
    url = reverse("reports:appendix_01", args=[YEAR])
    page = client.get(url).content.decode()
    workbook = openpyxl.load_workbook(
        io.BytesIO(client.get(url, {"format": "xlsx"}).content)
    )
    sheet = workbook["Phụ lục 01"]
    names = [
        str(r[1].value) for r in sheet.iter_rows(min_row=7) if r[1].value is not None
    ]
    return page, names


def test_village_head_appendix_01_holds_only_their_village(
    client: Client, head_a1: User, register: dict[str, Household]
) -> None:
    page, names = appendix_rows(client, head_a1)

    assert "Làng Chiềng" in page
    assert "Làng Bột" not in page
    assert "Tổng cộng toàn xã" not in page
    assert "Làng Chiềng" in names
    assert "Làng Bột" not in names
    assert "Tổng cộng toàn xã" not in names


def test_officer_appendix_01_holds_both_villages_of_the_commune(
    client: Client, officer: User, register: dict[str, Household]
) -> None:
    page, names = appendix_rows(client, officer)

    assert "Làng Chiềng" in page
    assert "Làng Bột" in page
    assert "Làng Mốc" not in page
    assert {"Làng Chiềng", "Làng Bột", "Tổng cộng toàn xã"} <= set(names)
    assert "Làng Mốc" not in names


def test_outsider_appendix_01_holds_only_commune_b(
    client: Client, outsider: User, register: dict[str, Household]
) -> None:
    page, names = appendix_rows(client, outsider)

    assert "Làng Mốc" in page
    assert "Làng Chiềng" not in page
    assert "Làng Chiềng" not in names


# The reports that narrow to one village with ?village=<id>.
VILLAGE_VIEWS = {
    review_views.review_table,
    review_views.household_list,
    september_views.september_report,
}


def village_filtered() -> Iterator[Any]:
    for param in report_paths():
        url_name, args = param.values
        if resolve(reverse(url_name, args=args)).func in VILLAGE_VIEWS:
            yield param


@pytest.mark.parametrize(("url_name", "args"), list(village_filtered()))
@pytest.mark.parametrize(
    ("role", "village"), [("head_a1", "village_a2"), ("officer", "village_b1")]
)
def test_village_out_of_scope_in_the_query_is_404(
    client: Client,
    request: pytest.FixtureRequest,
    register: dict[str, Household],
    url_name: str,
    args: list[object],
    role: str,
    village: str,
) -> None:
    client.force_login(request.getfixturevalue(role))
    other = request.getfixturevalue(village)

    response = client.get(reverse(url_name, args=args), {"village": other.pk})

    assert response.status_code == 404
    assert "Không tìm thấy" in response.content.decode()


@pytest.mark.parametrize("role", ["head_a1", "officer"])
def test_list_of_poor_households_holds_the_households_in_scope(
    client: Client,
    request: pytest.FixtureRequest,
    register: dict[str, Household],
    role: str,
) -> None:
    client.force_login(request.getfixturevalue(role))

    page = client.get(
        reverse("reports:household_list", args=[YEAR, 15])
    ).content.decode()

    assert "Bùi Văn Hùng" in page
    assert ("Quách Thị Lan" in page) is (role == "officer")
    assert "Hà Văn Sơn" not in page
    assert "Bùi Thị Nga" not in page  # not poor


def test_officer_narrows_the_list_to_one_village(
    client: Client,
    officer: User,
    village_a1: Village,
    register: dict[str, Household],
) -> None:
    client.force_login(officer)
    url = reverse("reports:household_list", args=[YEAR, 15])

    page = client.get(url, {"village": village_a1.pk}).content.decode()

    assert "Bùi Văn Hùng" in page
    assert "Quách Thị Lan" not in page
