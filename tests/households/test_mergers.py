"""Commune mergers (households/mergers.py, `manage.py merge_communes`, the admin
action): since 01/07/2025 communes were merged (xã Cao Ngọc into xã Minh Sơn).

The data: `register` of tests/reports/test_report_scope.py — commune A (Cao Ngọc,
code "a": villages A1 and A2, two poor households and one not) and commune B (Minh
Tiến, code "b": one poor household), both of tỉnh Thanh Hóa, reviewed in 2023 and
2024, with a 2024 target in A. They merge on 01/07/2025 into a new commune Minh Sơn
(or A into B).
"""

from __future__ import annotations

from datetime import date
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from giamngheo.models import Role, User
from households.mergers import MergerRefused, merge, plan_merger
from households.models import (
    Commune,
    Household,
    Member,
    ReviewRound,
    StatusPeriod,
    Village,
    VillageMove,
)
from reports.layouts.review import REPORTS
from reports.province import province_communes, province_overview, rolled_up
from targets.measurement import poverty_progress
from tests.conftest import make_household, make_user
from tests.reports.test_province import int_fields
from tests.reports.test_report_scope import register

__all__ = ["register"]  # a fixture, imported for this module

pytestmark = pytest.mark.django_db

ON = date(2025, 7, 1)
DAYS = (date(2023, 12, 31), date(2024, 12, 31), date(2025, 6, 30), date(2025, 7, 2))
COUNTS = (
    "households_start",
    "poor_start",
    "near_poor_start",
    "households_now",
    "poor_now",
    "near_poor_now",
)


def merge_into_new(*codes: str, **options: Any) -> str:
    out = StringIO()
    call_command(
        "merge_communes",
        *codes,
        into="minh-son",
        name="Minh Sơn",
        create=True,
        on=ON.isoformat(),
        stdout=out,
        **options,
    )
    return out.getvalue()


def history_of(household: Household) -> dict[str, Any]:
    """What a household's history is made of, and its status on each day."""
    return {
        "reviews": sorted(household.reviews.values_list("pk", "status", "round_id")),
        "periods": sorted(
            StatusPeriod.objects.filter(household=household).values_list(
                "review_id", "status", "valid_from", "valid_until"
            )
        ),
        "members": sorted(household.members.values_list("pk", "full_name")),
        "history": sorted(household.history.values_list("history_id", flat=True)),
        "status": [
            Household.objects.filter(pk=household.pk).with_status_on(day).get().status
            for day in DAYS
        ],
    }


def snapshot() -> tuple[Any, ...]:
    """Everything a merger writes."""
    return (
        list(Commune.objects.order_by("pk").values_list("pk", "code", "merged_into")),
        list(Village.objects.order_by("pk").values_list("commune", "name", "position")),
        list(
            Household.objects.order_by("pk").values_list(
                "commune", "code", "former_code"
            )
        ),
        list(Member.objects.order_by("pk").values_list("commune", flat=True)),
        list(StatusPeriod.objects.order_by("pk").values_list("commune", flat=True)),
        list(User.objects.order_by("pk").values_list("commune", flat=True)),
        Household.history.count(),
        VillageMove.objects.count(),
    )


def progress_2024(households: Any, villages: Any) -> list[int]:
    total = poverty_progress(2024, None, households, villages).total
    return [getattr(total, count) for count in COUNTS]


# --- What moves, and what is kept ---


def test_a_merger_moves_villages_and_households_with_their_whole_history(
    register: dict[str, Household], officer: User, head_a1: User, outsider: User
) -> None:
    before = {key: history_of(h) for key, h in register.items()}
    a, b = Commune.objects.get(code="a"), Commune.objects.get(code="b")

    merge_into_new("a", "b")

    new = Commune.objects.get(code="minh-son")
    assert (new.name, new.province, new.established_on) == ("Minh Sơn", "Thanh Hóa", ON)
    for former in (a, b):
        former.refresh_from_db()
        assert (former.merged_into, former.merged_on) == (new, ON)
        assert former.successor == new
    assert set(Village.objects.values_list("commune__code", flat=True)) == {"minh-son"}
    assert set(
        VillageMove.objects.values_list("from_commune__code", "former_name")
    ) == {
        ("a", "Làng Chiềng"),
        ("a", "Làng Bột"),
        ("b", "Làng Mốc"),
    }
    for key, household in register.items():
        household.refresh_from_db()
        after = history_of(household)
        # One history entry more, for the move; everything else as it was.
        assert after.pop("history")[:-1] == before[key].pop("history"), key
        assert after == before[key], key
        assert household.commune == new and household.code == register[key].code
        assert household.former_code == ""
        latest = household.history.first()
        assert latest.history_change_reason.startswith("Sáp nhập xã vào xã Minh Sơn")
    assert set(Member.objects.values_list("commune__code", flat=True)) == {"minh-son"}
    assert set(StatusPeriod.objects.values_list("commune__code", flat=True)) == {
        "minh-son"
    }
    # The users work for the new commune; the village head keeps its village.
    for user in (officer, head_a1, outsider):
        user.refresh_from_db()
        assert user.commune == new
    assert head_a1.village.name == "Làng Chiềng"
    head_a1.full_clean(exclude=["password"])
    # The former commune's 2024 target stays its own, a document of its time.
    assert list(a.poverty_targets.values_list("year", flat=True)) == [2024]


def test_clashing_codes_are_prefixed_and_the_old_code_is_shown(
    client: Client, register: dict[str, Household], officer: User
) -> None:
    village_b1 = Village.objects.get(name="Làng Mốc")
    twin = make_household(village_b1, "CN-01-0001", "Hà Thị Hoa")

    out = merge_into_new("a", "b")

    mine, theirs = register["a1_poor"], twin
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.code, mine.former_code) == ("A-CN-01-0001", "CN-01-0001")
    assert (theirs.code, theirs.former_code) == ("B-CN-01-0001", "CN-01-0001")
    assert "Hộ CN-01-0001 (xã Cao Ngọc) đổi mã thành A-CN-01-0001" in out
    # The others keep theirs.
    assert Household.objects.get(pk=register["b_poor"].pk).code == "MT-01-0001"
    client.force_login(officer)
    page = client.get(reverse("households:detail", args=[mine.pk])).content.decode()
    assert "Mã cũ" in page and "CN-01-0001" in page
    assert "Sửa hộ (Sáp nhập xã vào xã Minh Sơn từ ngày 01/07/2025" in page
    # The old code still finds it.
    listed = client.get(reverse("households:list"), {"q": "CN-01-0001"})
    assert {h.pk for h in listed.context["page"].object_list} == {mine.pk, theirs.pk}


def test_into_an_existing_commune_its_own_codes_and_village_names_stay(
    register: dict[str, Household], village_b1: Village
) -> None:
    Village.objects.create(commune=village_b1.commune, name="Làng Chiềng", position=2)
    make_household(village_b1, "CN-01-0002", "Hà Văn Tú")

    call_command("merge_communes", "a", into="b", on="2025-07-01", stdout=StringIO())

    b = Commune.objects.get(code="b")
    assert b.established_on is None and b.merged_into is None
    names = dict(Village.objects.filter(commune=b).values_list("name", "position"))
    # B's villages first, then A's after them, the clashing name told apart.
    assert names == {
        "Làng Mốc": 1,
        "Làng Chiềng": 2,
        "Làng Chiềng (Cao Ngọc)": 3,
        "Làng Bột": 4,
    }
    codes = set(Household.objects.filter(commune=b).values_list("code", flat=True))
    assert codes == {
        "MT-01-0001",
        "CN-01-0002",  # B's own
        "A-CN-01-0002",
        "CN-01-0001",
        "CN-02-0001",
    }


# --- Figures before and after ---


def test_the_new_communes_2024_figures_are_the_sum_of_its_former_communes(
    client: Client, register: dict[str, Household], officer: User, outsider: User
) -> None:
    a, b = Commune.objects.get(code="a"), Commune.objects.get(code="b")
    dashboard_2024 = [
        progress_2024(c.households.all(), c.villages.all()) for c in (a, b)
    ]
    table_2024 = []
    for user in (officer, outsider):
        client.force_login(user)
        page = client.get(reverse("reports:review_1", args=[2024]))
        table_2024.append(int_fields(page.context["summary"].total))

    merge_into_new("a", "b")

    new = Commune.objects.get(code="minh-son")
    assert progress_2024(new.households.all(), new.villages.all()) == [
        x + y for x, y in zip(*dashboard_2024, strict=True)
    ]
    client.force_login(officer)
    # Its dashboard offers 2024, the year of its former communes' target.
    page = client.get(reverse("reports:dashboard"), {"nam": 2024}).context["d"]
    assert page.year == 2024
    assert [getattr(page.poverty.total, c) for c in COUNTS] == [
        x + y for x, y in zip(*dashboard_2024, strict=True)
    ]
    merged = client.get(reverse("reports:review_1", args=[2024]))
    total = int_fields(merged.context["summary"].total)
    assert total["households"] == sum(t["households"] for t in table_2024) == 4
    assert total["poor"] == sum(t["poor"] for t in table_2024) == 3


def test_the_province_shows_the_communes_as_they_were_each_year(
    client: Client, register: dict[str, Household], province: User
) -> None:
    communes = province_communes("Thanh Hóa")
    lines_2024 = province_overview("Thanh Hóa", communes, 2024).lines
    rows_2024 = rolled_up(REPORTS[1], communes, 2024).summary.rows

    merge_into_new("a", "b")

    communes = province_communes("Thanh Hóa")
    after = province_overview("Thanh Hóa", communes, 2024)
    assert [line.name for line in after.lines] == ["Cao Ngọc", "Minh Tiến"]
    for was, now in zip(lines_2024, after.lines, strict=True):
        assert [getattr(now, c) for c in COUNTS] == [getattr(was, c) for c in COUNTS]
        # Their own 2024 targets still count; the links go to the new commune.
        assert now.poor_target_end == was.poor_target_end
        assert "xa=minh-son" in now.url and "nam=2024" in now.url
    rows = rolled_up(REPORTS[1], communes, 2024).summary.rows
    assert [int_fields(r) for r in rows] == [int_fields(r) for r in rows_2024]
    # From the merger's year, one line: its start is their sum.
    lines_2025 = province_overview("Thanh Hóa", communes, 2025).lines
    assert [line.name for line in lines_2025] == ["Minh Sơn"]
    assert lines_2025[0].households_start == 4
    assert lines_2025[0].poor_start == sum(line.poor_now for line in lines_2024) == 3
    # The province user's switch lists the communes of now; a former one still
    # opens, saying where it went.
    client.force_login(province)
    page = client.get(reverse("reports:dashboard")).content.decode()
    assert 'value="minh-son"' in page and 'value="a"' not in page
    page = client.get(reverse("reports:dashboard"), {"xa": "a"}).content.decode()
    assert "đã sáp nhập vào xã Minh Sơn từ ngày 01/07/2025" in page


def test_the_years_before_an_absorption_keep_each_commune_to_its_villages(
    register: dict[str, Household],
) -> None:
    # Read once before: the communes' cached figures (households/figures.py) must
    # be renewed by the merger's bulk moves.
    for year in (2024, 2025):
        province_overview("Thanh Hóa", province_communes("Thanh Hóa"), year)

    call_command("merge_communes", "a", into="b", on="2025-07-01", stdout=StringIO())

    communes = province_communes("Thanh Hóa")
    lines = province_overview("Thanh Hóa", communes, 2024).lines
    assert [(x.name, x.households_now, x.poor_now) for x in lines] == [
        ("Cao Ngọc", 3, 2),
        ("Minh Tiến", 1, 1),
    ]
    lines = province_overview("Thanh Hóa", communes, 2025).lines
    assert [(x.name, x.households_start) for x in lines] == [("Minh Tiến", 4)]


# --- Dry run and refusals ---


def test_a_dry_run_says_what_would_move_and_writes_nothing(
    register: dict[str, Household], officer: User
) -> None:
    before = snapshot()

    out = merge_into_new("a", "b", dry_run=True)

    assert snapshot() == before
    assert not Commune.objects.filter(code="minh-son").exists()
    assert "Chuyển 3 thôn, 4 hộ và 1 người dùng." in out
    assert "Chạy thử: chưa ghi gì." in out


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("merged", "Xã Cao Ngọc đã sáp nhập vào xã"),
        ("open_round", "đang có đợt rà soát định kỳ năm 2025 chưa kết thúc"),
        ("code_taken", "Mã xã “minh-son” đã có"),
        ("future", "chưa đến"),
        ("other_province", "Chỉ sáp nhập các xã trong cùng một tỉnh"),
        ("too_long", "Không tự đổi được mã của các hộ trùng mã: CN-01-0002-ABCDEFGH"),
    ],
)
def test_a_refused_merger_says_why_and_writes_nothing(
    register: dict[str, Household], setup: str, message: str
) -> None:
    a = Commune.objects.get(code="a")
    on = "2025-07-01"
    if setup == "merged":
        other = Commune.objects.create(
            name="Ngọc Sơn", code="c", district="Ngọc Lặc", province="Thanh Hóa"
        )
        Commune.objects.filter(pk=a.pk).update(merged_into=other, merged_on=ON)
    elif setup == "open_round":
        ReviewRound.objects.create(commune=a, year=2025, opened_on=date(2025, 9, 1))
    elif setup == "code_taken":
        Commune.objects.create(
            name="X", code="minh-son", district="Ngọc Lặc", province="Thanh Hóa"
        )
    elif setup == "future":
        on = "2099-01-01"
    elif setup == "other_province":
        Commune.objects.filter(code="b").update(province="Nghệ An")
    elif setup == "too_long":
        for code in ("a", "b"):
            village = Village.objects.filter(commune__code=code).first()
            make_household(village, "CN-01-0002-ABCDEFGH")
    before = snapshot()

    with pytest.raises(CommandError, match=message):
        call_command(
            "merge_communes",
            "a",
            "b",
            into="minh-son",
            name="Minh Sơn",
            create=True,
            on=on,
            stdout=StringIO(),
        )

    assert snapshot() == before


def test_the_service_checks_again_when_it_writes(
    register: dict[str, Household],
) -> None:
    a, b = Commune.objects.get(code="a"), Commune.objects.get(code="b")
    plan = plan_merger(formers=[a], into=b, on=ON, creates=False)
    ReviewRound.objects.create(commune=a, year=2025, opened_on=date(2025, 9, 1))
    before = snapshot()

    with pytest.raises(MergerRefused):
        merge(plan)

    assert snapshot() == before


# --- The admin action ---


def test_the_admin_merges_the_selected_communes_after_a_preview(
    client: Client, register: dict[str, Household], admin: User
) -> None:
    client.force_login(admin)
    url = reverse("admin:households_commune_changelist")
    selected = [str(c.pk) for c in Commune.objects.filter(code__in=["a", "b"])]
    action = {"action": "merge_communes", "_selected_action": selected}

    asked = client.post(url, action)
    assert asked.status_code == 200 and "Xem trước" in asked.content.decode()
    form = {**action, "name": "Minh Sơn", "code": "minh-son", "on": "01/07/2025"}
    preview = client.post(url, {**form, "apply": "preview"})
    assert "Chuyển 3 thôn, 4 hộ" in preview.content.decode()
    assert not Commune.objects.filter(code="minh-son").exists()
    refused = client.post(url, {**form, "on": "01/07/2099", "apply": "confirm"})
    assert "chưa đến" in refused.content.decode()
    assert not Commune.objects.filter(code="minh-son").exists()

    done = client.post(url, {**form, "apply": "confirm"}, follow=True)

    assert "Đã sáp nhập 2 xã vào xã Minh Sơn." in done.content.decode()
    new = Commune.objects.get(code="minh-son")
    assert set(Household.objects.values_list("commune", flat=True)) == {new.pk}
    listing = client.get(url).content.decode()
    assert "vào xã Minh Sơn từ 01/07/2025" in listing


def test_a_chairman_cannot_reach_the_admin_action(
    client: Client, register: dict[str, Household]
) -> None:
    chairman = make_user("chutich_a", Role.CHAIRMAN, Commune.objects.get(code="a"))
    client.force_login(chairman)
    selected = [str(c.pk) for c in Commune.objects.all()]

    response = client.post(
        reverse("admin:households_commune_changelist"),
        {"action": "merge_communes", "_selected_action": selected, "apply": "confirm"},
    )

    assert response.status_code == 302  # to the admin's login
    assert not Commune.objects.filter(merged_into__isnull=False).exists()


def test_a_staff_member_who_may_only_read_communes_cannot_merge_them(
    client: Client, register: dict[str, Household]
) -> None:
    reader = make_user("xem", Role.OFFICER, None, is_staff=True)
    reader.user_permissions.add(Permission.objects.get(codename="view_commune"))
    client.force_login(reader)
    url = reverse("admin:households_commune_changelist")
    selected = [str(c.pk) for c in Commune.objects.all()]
    form = {"name": "Minh Sơn", "code": "minh-son", "on": "01/07/2025"}

    listing = client.get(url)
    client.post(
        url,
        {"action": "merge_communes", "_selected_action": selected, **form}
        | {"apply": "confirm"},
    )

    assert listing.status_code == 200
    assert "merge_communes" not in listing.content.decode()
    assert not Commune.objects.filter(code="minh-son").exists()
