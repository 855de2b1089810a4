"""The survey team's Phiếu A and Phiếu B as PDFs (TT 07/2021/TT-BLĐTBXH): blank for a
household not yet on the register, pre-filled from the register with the last
review's B2 facts ticked, and a village's whole list to review in one PDF."""

from __future__ import annotations

import subprocess
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from giamngheo.models import User
from households.indicators import DwellingFacts
from households.models import Commune, Household, Member, ReviewRound, Village
from households.points import SAMPLE_MARK as B1_SAMPLE_MARK
from households.quick_screen import SAMPLE_MARK as A_SAMPLE_MARK
from households.surveys import PointsTable
from reports.field_forms import FieldForm, b2_indicators
from tests.conftest import make_household, make_review
from tests.households.test_b1_review import sample_table  # noqa: F401 (fixture)

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def ticked(facts: DwellingFacts | None) -> dict[int, list[str]]:
    return {
        ind.number: [
            f"{fact.question}: {c.label}"
            for fact in ind.facts
            for c in fact.choices
            if c.ticked
        ]
        for ind in b2_indicators(facts)
    }


def test_a_blank_b2_has_the_twelve_indicators_and_nothing_ticked() -> None:
    indicators = b2_indicators(None)
    assert [i.number for i in indicators] == list(range(1, 13))
    assert indicators[6].name == "Chất lượng nhà ở"
    assert all(not boxes for boxes in ticked(None).values())
    assert indicators[7].how == "Diện tích nhà ở (m²): ........"
    water = indicators[8].facts[0]
    assert [c.label for c in water.choices][:2] == ["Nước máy", "Giếng khoan"]


def test_the_last_reviews_facts_are_ticked_as_a_starting_point() -> None:
    facts = DwellingFacts(
        wall_durable=True,
        frame_durable=False,
        roof_durable=None,
        water_source="surface",
        latrine_type="septic",
        uses_internet=False,
        information_devices=("tv", "radio"),
        hears_loudspeaker=True,
    )
    boxes = ticked(facts)
    assert boxes[7] == [
        "Vật liệu tường: Bền chắc",
        "Vật liệu cột (khung): Không bền chắc",
    ]
    assert boxes[9] == ["Nguồn nước: Nước sông, suối, ao, hồ"]
    assert boxes[10] == ["Loại nhà tiêu: Tự hoại, bán tự hoại"]
    assert boxes[11] == ["Có thành viên sử dụng dịch vụ internet: Không"]
    assert boxes[12] == [
        "Phương tiện hộ có: Tivi",
        "Phương tiện hộ có: Radio",
        "Nghe được loa truyền thanh của xã, thôn: Có",
    ]


def pdf_text(content: bytes, tmp_path: Path) -> str:
    pdf = tmp_path / "forms.pdf"
    pdf.write_bytes(content)
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return " ".join(text.split())


@pytest.fixture
def register(
    time_machine: Any,
    household_a1: Household,
    village_a2: Village,
    sample_table: PointsTable,  # noqa: F811
) -> dict[str, Any]:
    time_machine.move_to(datetime(2024, 10, 20, 9, tzinfo=VN), tick=False)
    household_a1.registered_on = date(2015, 1, 1)
    household_a1.address = "Xóm Đồi"
    household_a1.save()
    Member.objects.create(
        household=household_a1,
        full_name="Bùi Thị Mai",
        birth_year=2018,
        sex="female",
        relationship="child",
        education_level="primary",
        employment="child",
        attends_school=True,
        stunted=True,
    )
    make_review(
        household_a1,
        deprived=("viec_lam", "chat_luong_nha_o", "nguon_nuoc_sinh_hoat"),
        on=date(2023, 11, 20),
        water_source="surface",
        latrine_type="septic",
        floor_area_m2=Decimal("24.5"),
    )
    second = make_household(household_a1.village, "CN-01-0002", "Quách Văn Tú")
    second.registered_on = date(2015, 1, 1)
    second.save()
    make_review(second, income=1_700_000, on=date(2023, 11, 20))
    ReviewRound.objects.create(
        commune=household_a1.commune, year=2024, opened_on=date(2024, 9, 1)
    )
    return {"household": household_a1, "second": second, "village_a2": village_a2}


@pytest.mark.django_db
def test_a_households_forms_are_pre_filled_from_the_register(
    client: Client, officer: User, register: dict[str, Any], tmp_path: Path
) -> None:
    client.force_login(officer)
    household = register["household"]
    detail = client.get(reverse("households:detail", args=[household.pk]))
    url = reverse("reports:household_field_forms", args=[household.pk])
    assert url in detail.content.decode()
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, tmp_path)
    assert "PHIẾU A" in text and "PHIẾU B" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Mã hộ: CN-01-0001" in text and "Bùi Văn Hùng" in text
    assert "Xóm Đồi" in text
    assert "Bùi Thị Mai 2018 Nữ Con Tiểu học" in text
    assert "Có thẻ" not in text and "Có" in text
    # Phiếu A from the data file, with its sample mark.
    assert A_SAMPLE_MARK in text and "Hộ có tủ lạnh" in text
    # B1: the commune's table, each answer with its points, and a total line.
    assert B1_SAMPLE_MARK in text
    assert "Tổng điểm B1 (từ 140 điểm trở xuống" in text
    assert "điểm" in text
    # B2: the facts of the last review as a starting point.
    assert "phiếu rà soát ngày 20/11/2023" in text
    assert "Diện tích nhà ở (m²): 24,5" in text
    assert "Nước sông, suối, ao, hồ" in text and "Tự hoại, bán tự hoại" in text
    assert "(điểm B2: 10 điểm mỗi chỉ số)" in text
    assert "CHỦ HỘ" in text and "RÀ SOÁT VIÊN" in text


@pytest.mark.django_db
def test_a_village_prints_its_list_in_one_pdf_or_a_blank_set(
    client: Client, head_a1: User, register: dict[str, Any], tmp_path: Path
) -> None:
    client.force_login(head_a1)
    household = register["household"]
    village = household.village
    page = client.get(reverse("households:round_village", args=[2024, village.pk]))
    url = reverse("reports:village_field_forms", args=[2024])
    assert f"{url}?thon={village.pk}" in page.content.decode()
    text = pdf_text(client.get(f"{url}?thon={village.pk}").content, tmp_path)
    # Only the poor household is on the list to review (the other is not poor).
    assert "Mã hộ: CN-01-0001" in text and "Bùi Văn Hùng" in text
    assert "CN-01-0002" not in text
    blank = pdf_text(
        client.get(f"{url}?thon={village.pk}&mau-trong=1").content, tmp_path
    )
    assert "PHIẾU A" in blank and "PHIẾU B" in blank
    assert village.name.upper() in blank
    assert "Bùi Văn Hùng" not in blank and "phiếu rà soát ngày" not in blank
    assert "Tổng điểm B1" in blank and "Hộ có tủ lạnh" in blank
    # Another village is out of the head's scope.
    other = register["village_a2"]
    make_household(other, "CN-02-0009", "Hà Thị Hoa")
    assert client.get(f"{url}?thon={other.pk}").status_code == 404


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("Xóm Đồi", "Xóm Đồi, Làng Mới, xã Cao Ngọc"),
        ("Làng Mới, xã Cao Ngọc", "Làng Mới, xã Cao Ngọc"),  # never said twice
        ("", "Làng Mới, xã Cao Ngọc"),
    ],
)
def test_the_address_line_names_each_place_once(address: str, expected: str) -> None:
    commune = Commune(name="Cao Ngọc")
    village = Village(commune=commune, name="Làng Mới")
    household = Household(commune=commune, village=village, address=address)
    form = FieldForm(commune, village, household, (), 0, (), None)
    assert form.address == expected
