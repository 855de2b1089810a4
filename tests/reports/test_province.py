"""The province user (role PROVINCE): it reads every commune of its province, one at a
time, and edits nothing; its page puts its communes side by side and rolls the review
tables up with one row per commune; a commune's report names the district or the
province by its date.

What it may open, URL by URL, is in the policy tables (`with_province` in
tests/households/test_scope.py: the chairman's answer on commune A, writing nothing).
Here: which commune it sees, the numbers of its pages against the communes' own, and
the user's validation.

The data: `register` of tests/reports/test_report_scope.py (commune A, Cao Ngọc:
villages A1 and A2, two poor households and one not; commune B, Minh Tiến: one poor
household; both of tỉnh Thanh Hóa), a 2024 target in both, and commune C, Quỳnh Lưu
of tỉnh Nghệ An, another province.
"""

from __future__ import annotations

import io
from dataclasses import fields
from datetime import date
from typing import Any

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from giamngheo.models import Role, User
from households.models import Commune, Household, Village
from reports.documents import reporting_body
from reports.layouts.review import REPORTS
from reports.province import ROLLED_UP, province_communes, rolled_up
from reports.september_views import addressee
from reports.summaries.september import REPORTS as SEPTEMBER
from targets.models import PovertyTarget
from tests.conftest import make_user
from tests.reports.test_report_scope import YEAR, register, reviewed

__all__ = ["register"]  # a fixture, imported for this module

pytestmark = pytest.mark.django_db


@pytest.fixture
def commune_c(db: None) -> Commune:
    return Commune.objects.create(
        name="Quỳnh Lưu", code="c", district="Quỳnh Lưu", province="Nghệ An"
    )


@pytest.fixture
def world(
    register: dict[str, Household], village_b1: Village, commune_c: Commune
) -> dict[str, Household]:
    PovertyTarget.objects.create(
        commune=village_b1.commune, year=YEAR, poor_target_end=0
    )
    village_c = Village.objects.create(commune=commune_c, name="Xóm Đông", position=1)
    return {
        **register,
        "b": reviewed(village_b1, "MT-01-0002", "Hà Thị Mai", poor=False),
        "c_poor": reviewed(village_c, "QL-01-0001", "Hồ Văn Tâm", poor=True),
    }


def codes_listed(client: Client, query: str = "") -> set[str]:
    response = client.get(reverse("households:list") + query)
    assert response.status_code == 200
    return {h.code for h in response.context["page"].object_list}


# --- Which commune it sees ---


def test_it_sees_each_commune_of_its_province_one_at_a_time(
    client: Client, province: User, world: dict[str, Household]
) -> None:
    client.force_login(province)

    # Its first commune by name, until it asks for another; the choice is kept.
    assert codes_listed(client) == {"CN-01-0001", "CN-01-0002", "CN-02-0001"}
    assert codes_listed(client, "?xa=b") == {"MT-01-0001", "MT-01-0002"}
    assert codes_listed(client) == {"MT-01-0001", "MT-01-0002"}
    page = client.get(reverse("reports:dashboard")).content.decode()
    assert "Tỉnh Thanh Hóa" in page and "Xã Minh Tiến" in page
    assert 'name="xa"' in page  # the switch to another commune
    # A household of the commune it looks at opens; one of its other commune too
    # once it switches (a page never mixes two communes).
    detail_a = reverse("households:detail", args=[world["a1_poor"].pk])
    assert client.get(detail_a).status_code == 404
    assert client.get(f"{detail_a}?xa=a").status_code == 200


def test_a_commune_of_another_province_is_404(
    client: Client, province: User, world: dict[str, Household]
) -> None:
    client.force_login(province)

    assert client.get(reverse("reports:dashboard") + "?xa=c").status_code == 404
    assert client.get(reverse("households:list") + "?xa=nowhere").status_code == 404
    detail_c = reverse("households:detail", args=[world["c_poor"].pk])
    assert client.get(detail_c).status_code == 404
    assert client.get(f"{detail_c}?xa=c").status_code == 404
    # Nothing of it leaks into the province's page either.
    page = client.get(reverse("reports:province")).content.decode()
    assert "Cao Ngọc" in page and "Minh Tiến" in page
    assert "Quỳnh Lưu" not in page


def test_its_scopes_hold_its_province_and_nothing_else(
    province: User, world: dict[str, Household]
) -> None:
    visible = set(Household.objects.visible_to(province).values_list("code", flat=True))
    # Between requests: every commune of tỉnh Thanh Hóa, none of Nghệ An.
    assert "QL-01-0001" not in visible
    assert {"CN-01-0001", "MT-01-0001"} <= visible
    assert not province.can_edit_register
    assert not province.is_officer and not province.is_chairman
    assert province.reads_whole_commune
    assert not any(province.can_edit(h) for h in world.values())


def test_a_remembered_commune_that_left_its_province_is_not_shown(
    client: Client, province: User, world: dict[str, Household]
) -> None:
    client.force_login(province)
    codes_listed(client, "?xa=b")
    Commune.objects.filter(code="b").update(province="Nghệ An")

    assert codes_listed(client) == {"CN-01-0001", "CN-01-0002", "CN-02-0001"}


def test_home_is_the_province_page(client: Client, province: User) -> None:
    client.force_login(province)

    response = client.get(reverse("home"))

    assert response.url == reverse("reports:province")


# --- The province page against the communes' own pages ---


def test_each_line_is_the_communes_own_dashboard_and_the_total_their_sum(
    client: Client, province: User, world: dict[str, Household]
) -> None:
    client.force_login(province)

    overview = client.get(reverse("reports:province")).context["o"]

    assert [line.name for line in overview.lines] == ["Cao Ngọc", "Minh Tiến"]
    counts = (
        "households_start",
        "poor_start",
        "near_poor_start",
        "households_now",
        "poor_now",
        "near_poor_now",
        "poor_target_end",
    )
    for line in overview.lines:
        # The row's link is the commune's dashboard of the year.
        dashboard = client.get(line.url).context["d"]
        assert dashboard.year == YEAR
        own = dashboard.poverty.total
        assert [getattr(line, c) for c in counts] == [getattr(own, c) for c in counts]
        assert line.poor_rate_now == own.rate_now
        assert line.poor_rate_start == own.rate_start
    for count in counts:
        assert getattr(overview.total, count) == sum(
            getattr(line, count) for line in overview.lines
        )
    assert (overview.total.poor_now, overview.total.households_now) == (3, 5)
    page = client.get(reverse("reports:province")).content.decode()
    assert "60,00 %" in page  # 3 of 5, the Vietnamese way


def int_fields(row: Any) -> dict[str, Any]:
    """A row's counts (its rates are derived from them)."""
    values = {}
    for f in fields(row):
        value = getattr(row, f.name)
        if f.name in ("number", "name"):
            continue
        values[f.name] = (
            value if not hasattr(value, "__dataclass_fields__") else (int_fields(value))
        )
    return values


def added(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The sum of rows of counts (ints, tuples of ints, dicts of ints, nested)."""
    first = rows[0]
    total: dict[str, Any] = {}
    for key, value in first.items():
        values = [r[key] for r in rows]
        if isinstance(value, dict):
            total[key] = added(values)
        elif isinstance(value, str):  # a line's unit ("Hộ", "Nhân khẩu")
            assert len(set(values)) == 1, values
            total[key] = value
        elif isinstance(value, tuple):
            total[key] = tuple(sum(column) for column in zip(*values, strict=True))
        else:
            total[key] = sum(values)
    return total


@pytest.mark.parametrize("number", ROLLED_UP)
def test_a_rolled_up_table_has_each_communes_own_total_and_sums_them(
    client: Client, province: User, world: dict[str, Household], number: int
) -> None:
    client.force_login(province)
    table = rolled_up(REPORTS[number], province_communes("Thanh Hóa"), YEAR)

    rows = [int_fields(row) for row in table.summary.rows]
    for row, code in zip(rows, ("a", "b"), strict=True):
        page = client.get(
            reverse(f"reports:review_{number}", args=[YEAR]), {"xa": code}
        )
        assert row == int_fields(page.context["summary"].total), code
    assert int_fields(table.summary.total) == added(rows)
    assert [r.name for r in table.summary.rows] == ["Cao Ngọc", "Minh Tiến"]
    assert table.summary.total.name == "Tổng cộng toàn tỉnh"


def test_report_1_rolled_up_on_the_page_and_in_excel(
    client: Client, province: User, world: dict[str, Household]
) -> None:
    client.force_login(province)
    path = reverse("reports:province_review", args=[YEAR, 1])

    page = client.get(path).content.decode()
    download = client.get(path, {"format": "xlsx"})

    assert "Cao Ngọc" in page and "Tổng cộng toàn tỉnh" in page
    assert "Quỳnh Lưu" not in page
    sheet = openpyxl.load_workbook(io.BytesIO(download.content)).active
    cells = {
        row[1]: row[2:6]
        for row in sheet.iter_rows(values_only=True)
        if row[1] in ("Cao Ngọc", "Minh Tiến", "Tổng cộng toàn tỉnh")
    }
    # Households, persons, poor, poor rate: numbers, not text.
    assert cells["Cao Ngọc"][0] == 3 and cells["Cao Ngọc"][2] == 2
    assert cells["Minh Tiến"][0] == 2 and cells["Minh Tiến"][2] == 1
    assert cells["Tổng cộng toàn tỉnh"][0] == 5 and cells["Tổng cộng toàn tỉnh"][2] == 3


def test_report_9_is_not_rolled_up(
    client: Client, province: User, world: dict[str, Household]
) -> None:
    client.force_login(province)

    response = client.get(reverse("reports:province_review", args=[YEAR, 9]))

    assert response.status_code == 404


# --- The user ---


def test_a_province_user_has_a_known_province_and_no_commune(
    commune_a: Commune, village_a1: Village
) -> None:
    def errors(**fields: object) -> set[str]:
        user = User(username="t", role=Role.PROVINCE, **fields)
        with pytest.raises(ValidationError) as caught:
            user.full_clean(exclude=["password"])
        return set(caught.value.message_dict)

    assert errors(province="Thanh Hóa", commune=commune_a) == {"commune"}
    assert errors(province="Thanh Hóa", village=village_a1) >= {"village"}
    assert errors(province="") == {"province"}
    assert errors(province="Thanh Hoá") == {"province"}  # no commune is written so
    User(username="t", role=Role.PROVINCE, province="Thanh Hóa").full_clean(
        exclude=["password"]
    )
    officer = User(username="o", role=Role.OFFICER, commune=commune_a, province="X")
    with pytest.raises(ValidationError, match="Chỉ cán bộ tỉnh"):
        officer.full_clean(exclude=["password"])


def test_the_database_refuses_a_province_user_with_a_commune(
    commune_a: Commune,
) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        make_user("tinh", Role.PROVINCE, commune_a, province="Thanh Hóa")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_user("tinh", Role.PROVINCE, None)


# --- Whom the commune reports to ---


def test_the_report_chain_follows_the_date_and_the_communes_setting() -> None:
    commune = Commune(name="Cao Ngọc", district="Ngọc Lặc", province="Thanh Hóa")
    water = SEPTEMBER["nuoc-ve-sinh"]  # "báo cáo UBND huyện" in the 2024 plan

    assert reporting_body(commune, date(2025, 6, 30)) == "UBND huyện Ngọc Lặc"
    assert addressee(water, commune, date(2024, 9, 24)) == "UBND huyện Ngọc Lặc"
    assert (
        addressee(water, commune, date(2025, 7, 1))
        == "Sở Nông nghiệp và Môi trường tỉnh Thanh Hóa"
    )
    commune.province_office = "Sở Nông nghiệp và Môi trường (Chi cục Giảm nghèo)"
    assert reporting_body(commune, date(2025, 7, 1)) == commune.province_office
    assert reporting_body(commune, date(2025, 6, 30)) == "UBND huyện Ngọc Lặc"
    # A report to UBND xã stays there.
    assert addressee(SEPTEMBER["giao-duc"], commune, date(2025, 9, 1)) == (
        "UBND xã Cao Ngọc"
    )
