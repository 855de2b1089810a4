"""The targets pages and the year-end review round, through the Django test client.

The register of commune A at the start of 2024 (31/12/2023): Làng Chiềng has 3 poor
households out of 7, Làng Bột 2 out of 8; 5 poor households out of 15 in the commune.
Dates are typed dd/mm/yyyy, as on the forms.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from giamngheo.models import User
from households.models import Household, Review, ReviewRound, Village
from targets.models import (
    Measure,
    Population,
    PovertyTarget,
    ServiceTarget,
    VillageAllocation,
)
from tests.conftest import make_household, make_review

pytestmark = pytest.mark.django_db

LONG_AGO = date(2015, 1, 1)
REVIEWED = date(2023, 11, 20)
POOR = ("viec_lam", "dinh_duong", "chat_luong_nha_o")
VN = ZoneInfo("Asia/Ho_Chi_Minh")


def poor(village: Village, code: str, *deprived: str) -> Household:
    household = make_household(village, code, registered_on=LONG_AGO)
    make_review(household, deprived=POOR + deprived, on=REVIEWED)
    return household


def near_poor(village: Village, code: str) -> Household:
    household = make_household(village, code, registered_on=LONG_AGO)
    make_review(household, income=1_200_000, on=REVIEWED)
    return household


def not_poor(village: Village, code: str) -> Household:
    household = make_household(village, code, registered_on=LONG_AGO)
    make_review(household, income=3_000_000, on=REVIEWED)
    return household


@pytest.fixture
def register(village_a1: Village, village_a2: Village) -> dict[str, Household]:
    """A1: A1-01..03 poor (01, 02 without a latrine), A1-04..07 not poor.
    A2: A2-01..02 poor (01 without a latrine), A2-03..08 not poor."""
    households = {
        "A1-01": poor(village_a1, "A1-01", "nha_tieu_hop_ve_sinh"),
        "A1-02": poor(village_a1, "A1-02", "nha_tieu_hop_ve_sinh"),
        "A1-03": poor(village_a1, "A1-03"),
        "A2-01": poor(village_a2, "A2-01", "nha_tieu_hop_ve_sinh"),
        "A2-02": poor(village_a2, "A2-02"),
    }
    for n in range(4, 8):
        households[f"A1-{n:02}"] = not_poor(village_a1, f"A1-{n:02}")
    for n in range(3, 9):
        households[f"A2-{n:02}"] = not_poor(village_a2, f"A2-{n:02}")
    return households


def text(response: Any) -> str:
    return response.content.decode()


def nothing_saved() -> bool:
    return not PovertyTarget.objects.exists() and not VillageAllocation.objects.exists()


# --- The allocation page -------------------------------------------------------------


def allocation_url(year: int = 2024) -> str:
    return reverse("targets:allocation", args=[year])


def allocation_data(
    village_a1: Village,
    village_a2: Village,
    target: object,
    a1: object,
    a2: object,
    **extra: object,
) -> dict[str, str]:
    data = {
        "poor_target_end": str(target),
        "near_poor_target_end": "",
        f"reduction_{village_a1.pk}": str(a1),
        f"reduction_{village_a2.pk}": str(a2),
        f"near_poor_{village_a1.pk}": "",
        f"near_poor_{village_a2.pk}": "",
    }
    return data | {k: str(v) for k, v in extra.items()}


def post_allocation(client: Client, user: User, data: dict[str, str]) -> Any:
    client.force_login(user)
    return client.post(allocation_url(), data)


@pytest.mark.usefixtures("register")
def test_officer_opens_the_allocation_page_with_the_poor_at_the_start(
    client: Client, officer: User
) -> None:
    client.force_login(officer)
    response = client.get(allocation_url())
    assert response.status_code == 200
    page = text(response)
    assert "Giao chỉ tiêu giảm nghèo năm 2024" in page
    assert "31/12/2023" in page
    assert "toàn xã <strong>5 hộ</strong>" in page
    rows = response.context["form"].rows()
    assert [(r["village"].name, r["poor_start"]) for r in rows] == [
        ("Làng Chiềng", 3),
        ("Làng Bột", 2),
    ]


@pytest.mark.usefixtures("register")
def test_allocation_that_falls_short_is_refused_naming_the_shortfall(
    client: Client, officer: User, village_a1: Village, village_a2: Village
) -> None:
    # The commune goes from 5 to 2 (3 fewer); the villages only give 1.
    data = allocation_data(village_a1, village_a2, 2, 1, 0)
    response = post_allocation(client, officer, data)
    assert response.status_code == 200
    page = text(response)
    assert (
        "Tổng chỉ tiêu giảm của các thôn là 1 hộ, còn thiếu 2 hộ so với chỉ tiêu "
        "của xã (giảm 3 hộ: từ 5 xuống 2 hộ nghèo)."
    ) in page
    assert "Chưa lưu: phân bổ chỉ tiêu chưa hợp lệ" in page
    assert nothing_saved()


@pytest.mark.usefixtures("register")
def test_allocation_that_gives_too_much_is_refused_naming_the_excess(
    client: Client, officer: User, village_a1: Village, village_a2: Village
) -> None:
    data = allocation_data(village_a1, village_a2, 2, 3, 2)
    response = post_allocation(client, officer, data)
    assert response.status_code == 200
    assert "là 5 hộ, thừa 2 hộ so với chỉ tiêu của xã" in text(response)
    assert nothing_saved()


@pytest.mark.usefixtures("register")
def test_village_reduction_over_its_poor_households_is_refused_naming_the_village(
    client: Client, officer: User, village_a1: Village, village_a2: Village
) -> None:
    # Adds up (0 + 3 = 5 − 2), but Làng Bột has only 2 poor households.
    data = allocation_data(village_a1, village_a2, 2, 0, 3)
    response = post_allocation(client, officer, data)
    assert response.status_code == 200
    errors = response.context["form"].errors[f"reduction_{village_a2.pk}"]
    assert errors == [
        "Làng Bột: giảm 3 hộ nhưng đầu năm chỉ có 2 hộ nghèo (vượt 1 hộ)."
    ]
    assert "Làng Bột: giảm 3 hộ" in text(response)
    assert "vượt 1 hộ" in text(response)
    assert nothing_saved()


@pytest.mark.usefixtures("register")
def test_commune_target_above_the_poor_at_the_start_is_refused(
    client: Client, officer: User, village_a1: Village, village_a2: Village
) -> None:
    data = allocation_data(village_a1, village_a2, 6, 0, 0)
    response = post_allocation(client, officer, data)
    assert response.status_code == 200
    assert "Chỉ tiêu cuối năm (6 hộ) cao hơn số hộ nghèo đầu năm (5 hộ)." in text(
        response
    )
    assert nothing_saved()


@pytest.mark.usefixtures("register")
@pytest.mark.parametrize(
    ("target", "a1", "a2", "message"),
    [
        (-1, 0, 0, "Chỉ tiêu không được âm."),
        (4, -1, 2, "Chỉ tiêu giảm không được âm."),
        (2, 2, "", "Nhập chỉ tiêu giảm hộ nghèo cho Làng Bột."),
    ],
    ids=["negative-commune-target", "negative-reduction", "missing-reduction"],
)
def test_negative_or_missing_values_are_refused(
    client: Client,
    officer: User,
    village_a1: Village,
    village_a2: Village,
    target: int,
    a1: int,
    a2: object,
    message: str,
) -> None:
    data = allocation_data(village_a1, village_a2, target, a1, a2)
    response = post_allocation(client, officer, data)
    assert response.status_code == 200
    assert message in text(response)
    assert nothing_saved()


@pytest.mark.usefixtures("register")
def test_valid_allocation_saves_target_and_shares_and_shows_progress(
    client: Client, officer: User, village_a1: Village, village_a2: Village
) -> None:
    data = allocation_data(village_a1, village_a2, 2, 2, 1)
    response = post_allocation(client, officer, data)
    assert response.status_code == 302
    assert response["Location"] == reverse("targets:progress", args=[2024])
    target = PovertyTarget.objects.get()
    assert (target.commune, target.year, target.poor_target_end) == (
        officer.commune,
        2024,
        2,
    )
    assert target.near_poor_target_end is None
    assert {
        a.village.name: (a.poor_reduction, a.near_poor_target_end)
        for a in target.allocations.all()
    } == {"Làng Chiềng": (2, None), "Làng Bột": (1, None)}
    page = text(client.get(response["Location"]))
    assert "Đã lưu chỉ tiêu giảm nghèo năm 2024." in page


@pytest.mark.usefixtures("register")
def test_posting_again_updates_the_allocation_without_duplicates(
    client: Client, officer: User, village_a1: Village, village_a2: Village
) -> None:
    post_allocation(client, officer, allocation_data(village_a1, village_a2, 2, 2, 1))
    response = post_allocation(
        client, officer, allocation_data(village_a1, village_a2, 3, 1, 1)
    )
    assert response.status_code == 302
    target = PovertyTarget.objects.get()
    assert target.poor_target_end == 3
    assert VillageAllocation.objects.count() == 2
    assert {a.village_id: a.poor_reduction for a in target.allocations.all()} == {
        village_a1.pk: 1,
        village_a2.pk: 1,
    }
    # The page shows what is saved.
    form = client.get(allocation_url()).context["form"]
    assert form.initial["poor_target_end"] == 3
    assert form.initial[f"reduction_{village_a1.pk}"] == 1


@pytest.mark.usefixtures("register")
def test_near_poor_targets_are_optional_and_saved_when_they_add_up(
    client: Client, officer: User, village_a1: Village, village_a2: Village
) -> None:
    extra = {
        "near_poor_target_end": 5,
        f"near_poor_{village_a1.pk}": 3,
        f"near_poor_{village_a2.pk}": 2,
    }
    data = allocation_data(village_a1, village_a2, 2, 2, 1, **extra)
    assert post_allocation(client, officer, data).status_code == 302
    target = PovertyTarget.objects.get()
    assert target.near_poor_target_end == 5
    assert {a.village_id: a.near_poor_target_end for a in target.allocations.all()} == {
        village_a1.pk: 3,
        village_a2.pk: 2,
    }


@pytest.mark.usefixtures("register")
@pytest.mark.parametrize(
    ("commune", "a1", "a2", "message"),
    [
        (5, 3, "", "nhập cho mọi thôn, hoặc để trống tất cả"),
        (5, 3, 1, "là 4 hộ, còn thiếu 1 hộ so với chỉ tiêu của xã (5 hộ)"),
        ("", 3, 2, "Nhập chỉ tiêu hộ cận nghèo của xã khi đã giao cho các thôn."),
    ],
    ids=["partial", "short", "no-commune-target"],
)
def test_near_poor_targets_that_do_not_add_up_are_refused(
    client: Client,
    officer: User,
    village_a1: Village,
    village_a2: Village,
    commune: object,
    a1: object,
    a2: object,
    message: str,
) -> None:
    extra = {
        "near_poor_target_end": commune,
        f"near_poor_{village_a1.pk}": a1,
        f"near_poor_{village_a2.pk}": a2,
    }
    data = allocation_data(village_a1, village_a2, 2, 2, 1, **extra)
    response = post_allocation(client, officer, data)
    assert response.status_code == 200
    assert message in text(response)
    assert nothing_saved()


@pytest.mark.usefixtures("register")
@pytest.mark.parametrize("role", ["chairman", "sector", "head_a1"])
def test_only_the_officer_allocates(
    client: Client,
    request: pytest.FixtureRequest,
    role: str,
    village_a1: Village,
    village_a2: Village,
) -> None:
    user = request.getfixturevalue(role)
    client.force_login(user)
    assert client.get(allocation_url()).status_code == 403
    data = allocation_data(village_a1, village_a2, 2, 2, 1)
    assert client.post(allocation_url(), data).status_code == 403
    assert nothing_saved()


@pytest.mark.usefixtures("register")
def test_the_other_communes_officer_sees_only_their_own_villages(
    client: Client, outsider: User, village_b1: Village
) -> None:
    client.force_login(outsider)
    response = client.get(allocation_url())
    assert response.status_code == 200
    page = text(response)
    assert "Làng Mốc" in page
    assert "Làng Chiềng" not in page
    assert "Làng Bột" not in page
    assert "toàn xã <strong>0 hộ</strong>" in page


# --- The progress page ---------------------------------------------------------------


@pytest.fixture
def allocated(
    register: dict[str, Household], village_a1: Village, village_a2: Village
) -> PovertyTarget:
    target = PovertyTarget.objects.create(
        commune=village_a1.commune, year=2024, poor_target_end=2
    )
    VillageAllocation.objects.create(
        target=target, village=village_a1, poor_reduction=2
    )
    VillageAllocation.objects.create(
        target=target, village=village_a2, poor_reduction=1
    )
    return target


@pytest.fixture
def latrine_target(village_a1: Village) -> ServiceTarget:
    return ServiceTarget.objects.create(
        commune=village_a1.commune,
        year=2024,
        code="2",
        position=2,
        text="Trên 70 % hộ nghèo có nhà tiêu hợp vệ sinh",
        measure=Measure.POOR_LATRINE,
        population=Population.POOR_HOUSEHOLDS,
        indicators="Chỉ số 10: nhà tiêu hợp vệ sinh",
        comparator="gt",
        threshold=Decimal(70),
        threshold_as_written="trên 70 %",
        responsible="Trạm Y tế xã",
        report_due_before=date(2024, 9, 25),
    )


def village_row(page: str, name: str) -> list[str]:
    """The cells of a village's row on the progress page, as text."""
    match = re.search(
        rf"<tr>\s*<td data-label=\"Thôn\"><a [^>]*>{name}</a>.*?</tr>", page, re.S
    )
    assert match, name
    return [
        re.sub(r"<[^>]+>", "", c).strip()
        for c in re.findall(r"<td[^>]*>(.*?)</td>", match.group(0), re.S)
    ]


@pytest.mark.usefixtures("allocated")
def test_progress_shows_rates_with_a_decimal_comma(
    client: Client, chairman: User
) -> None:
    client.force_login(chairman)
    response = client.get(reverse("targets:progress", args=[2024]))
    assert response.status_code == 200
    page = text(response)
    # Làng Chiềng: 3/7 = 42,86 %; target 1/7 = 14,29 %.
    assert village_row(page, "Làng Chiềng") == [
        "Làng Chiềng",
        "7",
        "3",
        "42,86 %",
        "2",
        "1",
        "14,29 %",
        "3",
        "42,86 %",
        "Còn 2 hộ",
        "0 chưa nộp kế hoạch thiếu 2",
    ]
    # Làng Bột: 2/8 = 25,00 %; target 1/8 = 12,50 %.
    assert village_row(page, "Làng Bột") == [
        "Làng Bột",
        "8",
        "2",
        "25,00 %",
        "1",
        "1",
        "12,50 %",
        "2",
        "25,00 %",
        "Còn 1 hộ",
        "0 chưa nộp kế hoạch thiếu 1",
    ]
    # The commune: from 5 poor (33,33 %) to 2 (13,33 %), reducing 3.
    assert "từ <strong>5 hộ nghèo (33,33 %)</strong>" in page
    assert "xuống <strong>2 hộ (13,33 %)</strong>, giảm 3 hộ" in page
    assert "còn 3 hộ cần thoát nghèo" in page
    assert "42.86" not in page


@pytest.mark.usefixtures("allocated")
def test_the_village_head_sees_only_their_village_on_the_progress_page(
    client: Client, head_a1: User
) -> None:
    client.force_login(head_a1)
    response = client.get(reverse("targets:progress", args=[2024]))
    assert response.status_code == 200
    page = text(response)
    assert "Làng Chiềng" in page
    assert "Làng Bột" not in page
    assert "Toàn xã" not in page
    assert [r.name for r in response.context["poverty"].villages] == ["Làng Chiềng"]
    assert "Làng Chiềng: từ <strong>3 hộ nghèo (42,86 %)</strong>" in page
    assert "Giao chỉ tiêu cho các thôn" not in page


@pytest.mark.usefixtures("allocated")
def test_the_chairman_sees_every_village_and_the_commune(
    client: Client, chairman: User
) -> None:
    client.force_login(chairman)
    page = text(client.get(reverse("targets:progress", args=[2024])))
    assert "Làng Chiềng" in page
    assert "Làng Bột" in page
    assert "Toàn xã" in page
    assert "Giao chỉ tiêu cho các thôn" not in page


@pytest.mark.usefixtures("register")
def test_progress_without_a_target_invites_the_officer_to_allocate(
    client: Client, officer: User
) -> None:
    client.force_login(officer)
    page = text(client.get(reverse("targets:progress", args=[2024])))
    assert "Chưa có chỉ tiêu giảm nghèo cho năm 2024." in page
    assert allocation_url() in page


@pytest.mark.usefixtures("allocated")
def test_latest_progress_goes_to_the_latest_target_year(
    client: Client, officer: User
) -> None:
    client.force_login(officer)
    response = client.get(reverse("targets:latest"))
    assert response["Location"] == reverse("targets:progress", args=[2024])


@pytest.mark.usefixtures("register")
def test_progress_shows_the_service_target_gap_and_links_to_the_households(
    client: Client, chairman: User, latrine_target: ServiceTarget
) -> None:
    client.force_login(chairman)
    page = text(client.get(reverse("targets:progress", args=[2024])))
    # 2 of 5 poor households have a latrine: 40,00 %; over 70 % needs 4.
    assert "2/5 hộ (40,00 %)" in page
    assert "Còn thiếu 2 hộ nghèo chưa có nhà tiêu hợp vệ sinh để đạt chỉ tiêu." in page
    assert reverse("targets:concerned", args=[2024, "2"]) in page


@pytest.mark.usefixtures("register")
def test_concerned_lists_exactly_the_households_not_reached(
    client: Client, chairman: User, latrine_target: ServiceTarget
) -> None:
    client.force_login(chairman)
    response = client.get(reverse("targets:concerned", args=[2024, "2"]))
    assert response.status_code == 200
    page = text(response)
    listed = re.findall(r">([A-Z]\d-\d\d)</a>", page)
    assert listed == ["A1-01", "A1-02", "A2-01"]
    assert "3 hộ nghèo chưa có nhà tiêu hợp vệ sinh" in page


@pytest.mark.usefixtures("register")
def test_concerned_of_one_village(
    client: Client, chairman: User, latrine_target: ServiceTarget, village_a2: Village
) -> None:
    client.force_login(chairman)
    url = reverse("targets:concerned", args=[2024, "2"])
    page = text(client.get(f"{url}?village={village_a2.pk}"))
    assert re.findall(r">([A-Z]\d-\d\d)</a>", page) == ["A2-01"]
    assert "Làng Bột: còn <strong>1 hộ nghèo chưa có nhà tiêu hợp vệ sinh" in page


@pytest.mark.usefixtures("register")
def test_the_village_head_sees_only_their_concerned_households(
    client: Client,
    head_a1: User,
    latrine_target: ServiceTarget,
    village_a1: Village,
    village_a2: Village,
) -> None:
    client.force_login(head_a1)
    url = reverse("targets:concerned", args=[2024, "2"])
    page = text(client.get(url))
    assert re.findall(r">([A-Z]\d-\d\d)</a>", page) == ["A1-01", "A1-02"]
    assert "A2-01" not in page
    assert client.get(f"{url}?village={village_a1.pk}").status_code == 200
    assert client.get(f"{url}?village={village_a2.pk}").status_code == 404


@pytest.mark.usefixtures("register")
def test_each_village_of_a_service_target_loads_when_opened(
    client: Client,
    chairman: User,
    head_a1: User,
    latrine_target: ServiceTarget,
    village_a2: Village,
) -> None:
    client.force_login(chairman)
    url = reverse("targets:service_villages", args=[2024, "2"])
    progress = client.get(reverse("targets:progress", args=[2024])).content.decode()
    # The targets page asks for the table when "Theo thôn" is opened (htmx), and
    # links to the page itself for a browser without scripts.
    assert f'hx-get="{url}"' in progress and f'href="{url}"' in progress

    table = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in table
    rows = re.findall(r'<td data-label="Thôn">([^<]+)</td>', table)
    assert rows == ["Làng Chiềng", "Làng Bột"]
    concerned = reverse("targets:concerned", args=[2024, "2"])
    assert f'href="{concerned}?village={village_a2.pk}">1</a>' in table

    page = client.get(url)
    assert page.status_code == 200
    assert "<html" in page.content.decode()
    assert "Chỉ tiêu 2 theo thôn, làng" in text(page)

    client.force_login(head_a1)
    table = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert re.findall(r'<td data-label="Thôn">([^<]+)</td>', table) == ["Làng Chiềng"]
    assert (
        client.get(reverse("targets:service_villages", args=[2024, "9"])).status_code
        == 404
    )


@pytest.mark.usefixtures("register")
def test_concerned_of_an_unknown_target_is_404(
    client: Client, chairman: User, latrine_target: ServiceTarget
) -> None:
    client.force_login(chairman)
    assert client.get(reverse("targets:concerned", args=[2024, "9"])).status_code == 404
    assert client.get(reverse("targets:concerned", args=[2023, "2"])).status_code == 404


# --- The dynamics page ---------------------------------------------------------------


def total_row(page: str, title: str) -> list[int]:
    """The household figures of the "Toàn xã" row of one table of the page."""
    section = page.split(f"<h2>{title}</h2>", 1)[1].split("</section>", 1)[0]
    row = section.split("<tfoot>", 1)[1].split("</tr>", 1)[0]
    return [int(n) for n in re.findall(r"<td class=\"num\">(\d+)</td>", row)]


def test_dynamics_page_renders_the_counts(
    client: Client, officer: User, register: dict[str, Household]
) -> None:
    make_review(register["A1-01"], income=3_000_000, on=date(2024, 11, 20))
    make_review(register["A1-02"], income=1_200_000, on=date(2024, 11, 20))
    make_review(register["A2-03"], deprived=POOR, on=date(2024, 11, 20))
    client.force_login(officer)
    response = client.get(reverse("targets:dynamics", args=[2024]))
    assert response.status_code == 200
    page = text(response)
    # Columns 1–9: 5 poor at the start; A1-01 escaped (3), A1-02 became near-poor
    # (2), A2-03 is newly poor (7): 4 at the end.
    assert total_row(page, "Diễn biến hộ nghèo") == [5, 1, 1, 0, 0, 0, 1, 0, 4]
    assert total_row(page, "Diễn biến hộ cận nghèo") == [0, 0, 0, 0, 1, 0, 0, 0, 1]
    table = response.context["table"]
    assert table.poor_total.identity_holds()
    assert table.poor_total.persons[1] == 5  # one member each


@pytest.mark.usefixtures("register")
def test_dynamics_page_of_the_village_head_has_only_their_village(
    client: Client, head_a1: User
) -> None:
    client.force_login(head_a1)
    response = client.get(reverse("targets:dynamics", args=[2024]))
    page = text(response)
    assert "Làng Chiềng" in page
    assert "Làng Bột" not in page
    assert response.context["table"].poor_total.households[1] == 3


# --- The year-end review round -------------------------------------------------------


@pytest.fixture
def autumn_2024(time_machine: Any) -> None:
    time_machine.move_to(datetime(2024, 10, 15, 9, 0, tzinfo=VN), tick=False)


@pytest.fixture
def to_review(
    autumn_2024: None, village_a1: Village, village_a2: Village
) -> dict[str, Household]:
    """Listed for the 2024 round: A1-01 (poor), A1-02 (near-poor), A2-01 (poor)."""
    return {
        "A1-01": poor(village_a1, "A1-01"),
        "A1-02": near_poor(village_a1, "A1-02"),
        "A1-03": not_poor(village_a1, "A1-03"),
        "A2-01": poor(village_a2, "A2-01"),
    }


@pytest.fixture
def round_2024(to_review: dict[str, Household], officer: User) -> ReviewRound:
    return ReviewRound.objects.create(
        commune=officer.commune,
        year=2024,
        opened_on=date(2024, 9, 1),
        opened_by=officer,
    )


def review_data(**fields: str) -> dict[str, str]:
    return {
        "review_date": "20/09/2024",
        "reviewer_name": "Bùi Văn Thắng",
        "income_per_person_month": "3000000",
        "floor_area_m2": "",
        "note": "Rà soát tại hộ, đối chiếu giấy tờ.",
        **fields,
    }


def review_url(household: Household, year: int | None = 2024) -> str:
    url = reverse("households:review_create", args=[household.pk])
    return f"{url}?dot={year}" if year else url


@pytest.mark.usefixtures("to_review")
def test_officer_opens_a_review_round(client: Client, officer: User) -> None:
    client.force_login(officer)
    response = client.post(
        reverse("households:rounds"), {"year": "2024", "opened_on": "01/09/2024"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("households:round_detail", args=[2024])
    review_round = ReviewRound.objects.get()
    assert (review_round.commune, review_round.year) == (officer.commune, 2024)
    assert review_round.opened_on == date(2024, 9, 1)
    assert review_round.opened_by == officer
    assert review_round.closed_on is None
    assert review_round.is_open


@pytest.mark.usefixtures("round_2024")
def test_a_second_round_for_the_same_year_is_refused(
    client: Client, officer: User
) -> None:
    client.force_login(officer)
    response = client.post(
        reverse("households:rounds"), {"year": "2024", "opened_on": "02/09/2024"}
    )
    assert response.status_code == 200
    assert "Đã có đợt rà soát định kỳ năm 2024." in text(response)
    assert ReviewRound.objects.count() == 1


@pytest.mark.usefixtures("to_review")
@pytest.mark.parametrize(
    ("opened_on", "message"),
    [
        ("01/11/2024", "Ngày bắt đầu không được ở tương lai."),
        ("01/09/2023", "Ngày bắt đầu phải thuộc năm 2024."),
    ],
)
def test_a_round_opening_in_the_future_or_another_year_is_refused(
    client: Client, officer: User, opened_on: str, message: str
) -> None:
    client.force_login(officer)
    response = client.post(
        reverse("households:rounds"), {"year": "2024", "opened_on": opened_on}
    )
    assert response.status_code == 200
    assert message in text(response)
    assert not ReviewRound.objects.exists()


@pytest.mark.usefixtures("round_2024")
def test_round_list_shows_the_open_round(client: Client, chairman: User) -> None:
    client.force_login(chairman)
    page = text(client.get(reverse("households:rounds")))
    assert "Năm 2024" in page
    assert "Đang mở" in page
    assert "Mở đợt rà soát mới" not in page


def test_round_detail_lists_the_households_still_to_review(
    client: Client, officer: User, round_2024: ReviewRound
) -> None:
    client.force_login(officer)
    response = client.get(reverse("households:round_detail", args=[2024]))
    assert response.status_code == 200
    page = text(response)
    assert "Đã rà soát <strong>0/3</strong>" in page
    assert "Còn 3 hộ chưa rà soát" in page
    assert "A1-03" not in page
    assert "Kết thúc đợt rà soát" in page


def test_round_next_opens_the_review_form_of_the_first_listed_household(
    client: Client,
    officer: User,
    round_2024: ReviewRound,
    to_review: dict[str, Household],
) -> None:
    client.force_login(officer)
    response = client.get(reverse("households:round_next", args=[2024]))
    assert response.status_code == 302
    assert response["Location"] == review_url(to_review["A1-01"])
    form_page = client.get(response["Location"])
    assert form_page.status_code == 200
    assert "Lưu và sang hộ tiếp theo" in text(form_page)


def test_round_next_of_a_village_head_stays_in_their_village(
    client: Client,
    head_a2: User,
    round_2024: ReviewRound,
    to_review: dict[str, Household],
) -> None:
    client.force_login(head_a2)
    response = client.get(reverse("households:round_next", args=[2024]))
    assert response["Location"] == review_url(to_review["A2-01"])


def test_saving_with_next_records_the_review_in_the_round_and_moves_on(
    client: Client,
    officer: User,
    round_2024: ReviewRound,
    to_review: dict[str, Household],
) -> None:
    client.force_login(officer)
    response = client.post(review_url(to_review["A1-01"]), review_data(next="1"))
    assert response.status_code == 302
    assert response["Location"] == reverse("households:round_next", args=[2024])
    review = to_review["A1-01"].latest_review()
    assert review is not None
    assert review.round == round_2024
    assert review.review_date == date(2024, 9, 20)
    assert review.kind == "periodic"
    assert review.status == "not_poor"
    assert review.recorded_by == officer

    response = client.get(response["Location"])
    assert response["Location"] == review_url(to_review["A1-02"])
    client.post(review_url(to_review["A1-02"]), review_data(next="1"))
    response = client.get(reverse("households:round_next", args=[2024]))
    assert response["Location"] == review_url(to_review["A2-01"])
    client.post(review_url(to_review["A2-01"]), review_data(next="1"))

    # All listed households reviewed: back to the round's page.
    response = client.get(reverse("households:round_next", args=[2024]))
    assert response["Location"] == reverse("households:round_detail", args=[2024])
    assert Review.objects.filter(round=round_2024).count() == 3


def test_saving_without_next_goes_to_the_household(
    client: Client,
    officer: User,
    round_2024: ReviewRound,
    to_review: dict[str, Household],
) -> None:
    client.force_login(officer)
    response = client.post(review_url(to_review["A1-01"]), review_data())
    assert response["Location"] == to_review["A1-01"].get_absolute_url()
    assert to_review["A1-01"].latest_review().round == round_2024  # type: ignore[union-attr]


def test_a_review_dated_before_the_round_opened_is_refused(
    client: Client,
    officer: User,
    round_2024: ReviewRound,
    to_review: dict[str, Household],
) -> None:
    client.force_login(officer)
    response = client.post(
        review_url(to_review["A1-01"]), review_data(review_date="31/08/2024", next="1")
    )
    assert response.status_code == 200
    assert (
        "Phiếu của rà soát định kỳ năm 2024 phải ghi ngày từ 01/09/2024 đến 31/12/2024."
        in text(response)
    )
    assert not Review.objects.filter(round=round_2024).exists()
    assert to_review["A1-01"].reviews.count() == 1


def test_the_round_does_not_close_before_its_villages_have_met_and_posted(
    client: Client, officer: User, round_2024: ReviewRound
) -> None:
    """Closing is the chairman's recognition: refused, with each village's step,
    while the households are not reviewed, met on and posted (QĐ 24/2021 Điều 4).
    The whole walk to a closed round is tests/households/test_procedure.py."""
    client.force_login(officer)
    response = client.post(
        reverse("households:round_detail", args=[2024]),
        {
            "closed_on": "14/10/2024",
            "decision_number": "12/QĐ-UBND",
            "signer_name": "Phạm Văn Quý",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Chưa công nhận được kết quả: 2 thôn chưa xong họp dân và niêm yết" in page
    assert "Làng Chiềng: 1. đang rà soát hộ (đã rà soát 0/2 hộ trong danh sách)" in page
    round_2024.refresh_from_db()
    assert round_2024.is_open


def test_closing_before_the_opening_is_refused(
    client: Client, officer: User, round_2024: ReviewRound
) -> None:
    client.force_login(officer)
    response = client.post(
        reverse("households:round_detail", args=[2024]), {"closed_on": "31/08/2024"}
    )
    assert response.status_code == 200
    assert "Ngày kết thúc không được trước ngày bắt đầu đợt." in text(response)
    round_2024.refresh_from_db()
    assert round_2024.closed_on is None


def test_after_closing_no_review_is_offered_or_accepted_in_the_round(
    client: Client,
    officer: User,
    round_2024: ReviewRound,
    to_review: dict[str, Household],
) -> None:
    round_2024.closed_on = date(2024, 10, 14)
    round_2024.save()
    client.force_login(officer)
    response = client.get(reverse("households:round_next", args=[2024]))
    assert response.status_code == 302
    assert response["Location"] == reverse("households:round_detail", args=[2024])
    assert client.get(review_url(to_review["A1-01"])).status_code == 404
    # A form left open while the round was closed: refused, what was typed kept.
    response = client.post(review_url(to_review["A1-01"]), review_data(next="1"))
    assert response.status_code == 200
    page = text(response)
    assert "được Chủ tịch UBND xã công nhận ngày 14/10/2024" in page
    assert "Rà soát tại hộ, đối chiếu giấy tờ.</textarea>" in page
    assert not Review.objects.filter(round=round_2024).exists()


def test_chairman_cannot_open_a_round(
    client: Client, chairman: User, to_review: dict[str, Household]
) -> None:
    client.force_login(chairman)
    response = client.post(
        reverse("households:rounds"), {"year": "2024", "opened_on": "01/09/2024"}
    )
    assert response.status_code == 403
    assert not ReviewRound.objects.exists()


def test_chairman_cannot_close_a_round(
    client: Client, chairman: User, round_2024: ReviewRound
) -> None:
    client.force_login(chairman)
    response = client.post(
        reverse("households:round_detail", args=[2024]), {"closed_on": "14/10/2024"}
    )
    assert response.status_code == 403
    round_2024.refresh_from_db()
    assert round_2024.closed_on is None


def test_chairman_cannot_enter_reviews_of_the_round(
    client: Client, chairman: User, round_2024: ReviewRound
) -> None:
    client.force_login(chairman)
    assert client.get(reverse("households:round_next", args=[2024])).status_code == 403


# --- The household page: year-by-year history and "hộ mới thoát nghèo" ----------------


@pytest.fixture
def escaped_2024(village_a1: Village, officer: User) -> Household:
    """Poor at the end of 2023, out of poverty in the 2024 round closed 10/12/2024."""
    household = poor(village_a1, "A1-01")
    review_round = ReviewRound.objects.create(
        commune=village_a1.commune,
        year=2024,
        opened_on=date(2024, 9, 1),
        closed_on=date(2024, 12, 10),
    )
    make_review(household, income=3_000_000, on=date(2024, 10, 1), round=review_round)
    return household


def detail(client: Client, user: User, household: Household) -> str:
    client.force_login(user)
    response = client.get(household.get_absolute_url())
    assert response.status_code == 200
    return text(response)


def test_household_page_shows_the_year_by_year_movements(
    client: Client, officer: User, escaped_2024: Household, time_machine: Any
) -> None:
    time_machine.move_to(datetime(2025, 3, 1, 9, 0, tzinfo=VN), tick=False)
    page = detail(client, officer, escaped_2024)
    assert "Diễn biến qua các năm" in page
    assert "Thoát nghèo, vượt chuẩn cận nghèo" in page
    rows = [
        (r.year, r.movement)
        for r in client.get(escaped_2024.get_absolute_url()).context["years"]
    ]
    assert rows == [(2025, "none"), (2024, "poor_escaped")]


def test_household_escaped_in_a_closed_round_is_recently_escaped(
    client: Client, officer: User, escaped_2024: Household, time_machine: Any
) -> None:
    time_machine.move_to(datetime(2025, 3, 1, 9, 0, tzinfo=VN), tick=False)
    page = detail(client, officer, escaped_2024)
    assert "Hộ mới thoát nghèo" in page
    assert "đến ngày 10/12/2027" in page  # 36 months from the round's closing


def test_recently_escaped_lasts_until_the_day_before_36_months(
    client: Client, officer: User, escaped_2024: Household, time_machine: Any
) -> None:
    time_machine.move_to(datetime(2027, 12, 9, 9, 0, tzinfo=VN), tick=False)
    assert "Hộ mới thoát nghèo" in detail(client, officer, escaped_2024)
    time_machine.move_to(datetime(2027, 12, 10, 9, 0, tzinfo=VN), tick=False)
    assert "Hộ mới thoát nghèo" not in detail(client, officer, escaped_2024)


def test_recently_escaped_follows_the_setting(
    client: Client,
    officer: User,
    escaped_2024: Household,
    time_machine: Any,
    settings: Any,
) -> None:
    settings.RECENTLY_ESCAPED_MONTHS = 12
    time_machine.move_to(datetime(2025, 12, 10, 9, 0, tzinfo=VN), tick=False)
    assert "Hộ mới thoát nghèo" not in detail(client, officer, escaped_2024)


def test_a_household_poor_again_is_no_longer_recently_escaped(
    client: Client, officer: User, escaped_2024: Household, time_machine: Any
) -> None:
    make_review(escaped_2024, deprived=POOR, on=date(2025, 11, 20))
    time_machine.move_to(datetime(2026, 1, 15, 9, 0, tzinfo=VN), tick=False)
    page = detail(client, officer, escaped_2024)
    assert "Tái nghèo" in page
    assert "Hộ mới thoát nghèo" not in page


def test_a_household_still_poor_is_not_recently_escaped(
    client: Client, officer: User, village_a1: Village, time_machine: Any
) -> None:
    household = poor(village_a1, "A1-01")
    make_review(household, deprived=POOR, on=date(2024, 11, 20))
    time_machine.move_to(datetime(2025, 3, 1, 9, 0, tzinfo=VN), tick=False)
    page = detail(client, officer, household)
    assert "Hộ nghèo cũ (vẫn nghèo)" in page
    assert "Hộ mới thoát nghèo" not in page
