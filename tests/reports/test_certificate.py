"""Giấy chứng nhận hộ nghèo, hộ cận nghèo (QĐ 24/2021/QĐ-TTg Điều 4 khoản 4): the
chairman certifies each household his recognition decision names poor or near-poor,
on the decision's day, numbered by the decision's lists; a household or round without
one gets a page saying why.

The data: commune A's 2024 round (opened 01/09/2024) reviewed, in village A1, a poor
household of three (Bùi Văn Hùng), a near-poor one (Bùi Thị Lan) and one not poor
(Hà Văn Tâm); in village A2 a poor one (Quách Thị Lan); one household of A1 was not
reviewed. The chairman recognises the results on 25/10/2024 (123/QĐ-UBND).
"""

from __future__ import annotations

import io
import subprocess
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pypdf
import pytest
from django.test import Client
from django.urls import reverse

from giamngheo.models import User
from households import actions
from households.local_government import local_government_law
from households.models import (
    Commune,
    Household,
    Member,
    ReviewRound,
    Village,
)
from households.poverty import STANDARD_2022_2025
from reports.certificates import laws, residence
from tests.conftest import make_household, make_review

VN = ZoneInfo("Asia/Ho_Chi_Minh")
POOR = ("viec_lam", "chat_luong_nha_o", "nguon_nuoc_sinh_hoat")


def pdf_text(content: bytes, tmp_path: Path) -> str:
    pdf = tmp_path / "certificate.pdf"
    pdf.write_bytes(content)
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return " ".join(text.split())


def member_rows(content: bytes, tmp_path: Path) -> dict[str, tuple[str, str]]:
    """Each member line of the table as (its words, the column its year of birth is
    under: "Nam" or "Nữ"), from the laid-out text."""
    pdf = tmp_path / "certificate.pdf"
    pdf.write_bytes(content)
    lines = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    header = next(line for line in lines if "Nam" in line and "Nữ" in line)
    male, female = header.index("Nam"), header.index("Nữ")
    rows = {}
    for line in lines:
        words = line.split()
        if len(words) > 3 and words[0].isdigit() and words[-1].isdigit():
            at = line.rindex(words[-1])
            column = "Nam" if abs(at - male) < abs(at - female) else "Nữ"
            rows[words[0]] = (" ".join(words), column)
    return rows


def page_texts(content: bytes) -> list[str]:
    reader = pypdf.PdfReader(io.BytesIO(content))
    return [" ".join((page.extract_text() or "").split()) for page in reader.pages]


@pytest.fixture
def round_2024(
    time_machine: Any,
    household_a1: Household,
    household_a2: Household,
    officer: User,
) -> dict[str, Any]:
    time_machine.move_to(datetime(2024, 10, 20, 9, tzinfo=VN), tick=False)
    village_a1 = household_a1.village
    household_a1.address = "Xóm Đồi"
    household_a1.save()
    Member.objects.create(
        household=household_a1,
        full_name="Quách Thị Hoa",
        birth_year=1982,
        sex="female",
        relationship="spouse",
        ethnicity="muong",
    )
    Member.objects.create(
        household=household_a1,
        full_name="Bùi Văn Nam",
        birth_year=2010,
        sex="male",
        relationship="child",
        ethnicity="muong",
    )
    head = household_a1.head
    assert head is not None
    head.id_number = "038080001234"
    head.save()
    near = make_household(village_a1, "CN-01-0002", "Bùi Thị Lan")
    near.members.update(sex="female")
    not_poor = make_household(village_a1, "CN-01-0003", "Hà Văn Tâm")
    unreviewed = make_household(village_a1, "CN-01-0004", "Đinh Văn Lực")
    review_round = ReviewRound.objects.create(
        commune=household_a1.commune, year=2024, opened_on=date(2024, 9, 1)
    )
    on = date(2024, 10, 1)
    make_review(household_a1, deprived=POOR, on=on, round=review_round)
    make_review(household_a2, deprived=POOR, on=on, round=review_round)
    make_review(near, deprived=("viec_lam",), on=on, round=review_round)
    make_review(not_poor, income=2_400_000, on=on, round=review_round)
    return {
        "round": review_round,
        "poor": household_a1,
        "poor_a2": household_a2,
        "near": near,
        "not_poor": not_poor,
        "unreviewed": unreviewed,
        "village_a1": village_a1,
        "village_a2": household_a2.village,
        "officer": officer,
    }


def recognise(data: dict[str, Any], time_machine: Any) -> None:
    time_machine.move_to(datetime(2024, 10, 26, 9, tzinfo=VN), tick=False)
    actions.close_round(
        data["round"],
        date(2024, 10, 25),
        decision_number="123/QĐ-UBND",
        signer_name="Phạm Văn Quang",
        by=data["officer"],
    )


def certificate_url(household: Household, year: int = 2024) -> str:
    return reverse("reports:household_certificate", args=[year, household.pk])


ROUND_URL = reverse("reports:round_certificates", args=[2024])


@pytest.mark.django_db
def test_a_poor_households_certificate_names_its_people_and_the_decision(
    client: Client,
    officer: User,
    round_2024: dict[str, Any],
    time_machine: Any,
    tmp_path: Path,
) -> None:
    recognise(round_2024, time_machine)
    client.force_login(officer)

    response = client.get(certificate_url(round_2024["poor"]))

    assert response["Content-Type"] == "application/pdf"
    assert len(page_texts(response.content)) == 1
    text = pdf_text(response.content, tmp_path)
    assert "ỦY BAN NHÂN DÂN XÃ CAO NGỌC" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    # Poor households come first in the decision's lists: 01 for village A1's.
    assert "Số: 01/GCN-HN.HCN" in text
    assert "Cao Ngọc, ngày 25 tháng 10 năm 2024" in text
    assert "GIẤY CHỨNG NHẬN Hộ nghèo, hộ cận nghèo năm 2024" in text
    assert "CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ CAO NGỌC" in text
    assert "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015" in text
    assert "Căn cứ Nghị định số 07/2021/NĐ-CP" in text
    assert (
        "Căn cứ Quyết định số 123/QĐ-UBND ngày 25 tháng 10 năm 2024 của Chủ tịch Ủy "
        "ban nhân dân xã Cao Ngọc về việc công nhận" in text
    )
    assert "Họ và tên chủ hộ: Bùi Văn Hùng Dân tộc: Mường" in text
    assert "Số CCCD/số định danh cá nhân: 038080001234 Ngày cấp:" in text
    assert (
        "Nơi thường trú: Xóm Đồi, Làng Chiềng, xã Cao Ngọc, huyện Ngọc Lặc, tỉnh "
        "Thanh Hóa" in text
    )
    assert "Là HỘ NGHÈO năm 2024 theo chuẩn nghèo đa chiều giai đoạn 2022–2025" in text
    assert "có giá trị kể từ ngày 25/10/2024" in text
    # Every member, the head first; the year of birth under Nam or Nữ.
    assert member_rows(response.content, tmp_path) == {
        "1": ("1 Bùi Văn Hùng Mường Chủ hộ 1980", "Nam"),
        "2": ("2 Quách Thị Hoa Mường Vợ/chồng 1982", "Nữ"),
        "3": ("3 Bùi Văn Nam Mường Con 2010", "Nam"),
    }
    # Signed by the chairman named in the decision, who decides in his own name.
    assert "CHỦ TỊCH Phạm Văn Quang" in text
    assert "TM." not in text


@pytest.mark.django_db
def test_a_near_poor_household_is_numbered_after_the_poor_of_the_commune(
    client: Client,
    head_a1: User,
    round_2024: dict[str, Any],
    time_machine: Any,
    tmp_path: Path,
) -> None:
    recognise(round_2024, time_machine)
    # The village head prints it with the number the officer's print has: the
    # numbering counts the whole commune (A2's poor household is 02).
    client.force_login(head_a1)

    content = client.get(certificate_url(round_2024["near"])).content

    text = pdf_text(content, tmp_path)
    assert "Số: 03/GCN-HN.HCN" in text
    assert "Là HỘ CẬN NGHÈO năm 2024" in text
    assert member_rows(content, tmp_path) == {
        "1": ("1 Bùi Thị Lan Mường Chủ hộ 1980", "Nữ")
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("key", "reason"),
    [
        (
            "not_poor",
            "Theo Quyết định số 123/QĐ-UBND ngày 25/10/2024, hộ là hộ không nghèo: "
            "chỉ hộ nghèo, hộ cận nghèo được cấp giấy chứng nhận.",
        ),
        ("unreviewed", "Hộ không được rà soát trong rà soát định kỳ năm 2024."),
    ],
)
def test_a_household_not_recognised_poor_or_near_poor_gets_the_reason(
    client: Client,
    officer: User,
    round_2024: dict[str, Any],
    time_machine: Any,
    key: str,
    reason: str,
) -> None:
    recognise(round_2024, time_machine)
    client.force_login(officer)

    response = client.get(certificate_url(round_2024[key]))

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "Không có giấy chứng nhận hộ nghèo, hộ cận nghèo" in page
    assert reason in page


@pytest.mark.django_db
def test_an_open_round_certifies_nobody_yet(
    client: Client, officer: User, round_2024: dict[str, Any]
) -> None:
    client.force_login(officer)

    for url in (certificate_url(round_2024["poor"]), ROUND_URL):
        response = client.get(url)
        assert response.status_code == 404
        assert (
            "Kết quả rà soát định kỳ năm 2024 chưa được Chủ tịch UBND xã công nhận"
            in response.content.decode()
        )
    # A year without a round says so too.
    response = client.get(certificate_url(round_2024["poor"], 2023))
    assert response.status_code == 404
    assert "Xã chưa có đợt rà soát định kỳ năm 2023." in response.content.decode()


@pytest.mark.django_db
def test_a_reopened_round_withdraws_its_certificates(
    client: Client, officer: User, round_2024: dict[str, Any], time_machine: Any
) -> None:
    recognise(round_2024, time_machine)
    client.force_login(officer)
    assert client.get(certificate_url(round_2024["poor"])).status_code == 200

    client.post(
        reverse("households:round_reopen", args=[2024]),
        {"reason": "Phúc tra hộ Bùi Văn Hùng"},
    )

    assert client.get(certificate_url(round_2024["poor"])).status_code == 404
    detail = client.get(reverse("households:detail", args=[round_2024["poor"].pk]))
    assert certificate_url(round_2024["poor"]) not in detail.content.decode()


@pytest.mark.django_db
def test_a_village_head_prints_only_their_own_villages_certificates(
    client: Client,
    head_a2: User,
    round_2024: dict[str, Any],
    time_machine: Any,
    tmp_path: Path,
) -> None:
    recognise(round_2024, time_machine)
    client.force_login(head_a2)

    # Another village's household: the plain "not found", nothing told about it.
    response = client.get(certificate_url(round_2024["poor"]))
    assert response.status_code == 404
    assert "Hộ không được rà soát" not in response.content.decode()
    assert "Bùi Văn Hùng" not in response.content.decode()
    assert (
        client.get(f"{ROUND_URL}?thon={round_2024['village_a1'].pk}").status_code == 404
    )
    # Without ?thon= the head's own village, and only it.
    pages = page_texts(client.get(ROUND_URL).content)
    assert len(pages) == 1
    assert "Quách Thị Lan" in pages[0] and "Số: 02/GCN-HN.HCN" in pages[0]


@pytest.mark.django_db
def test_a_village_prints_one_page_per_certified_household(
    client: Client,
    officer: User,
    round_2024: dict[str, Any],
    time_machine: Any,
) -> None:
    recognise(round_2024, time_machine)
    client.force_login(officer)

    response = client.get(f"{ROUND_URL}?thon={round_2024['village_a1'].pk}")

    assert response["Content-Type"] == "application/pdf"
    pages = page_texts(response.content)
    assert len(pages) == 2
    assert "Bùi Văn Hùng" in pages[0] and "Số: 01/GCN-HN.HCN" in pages[0]
    assert "Bùi Thị Lan" in pages[1] and "Số: 03/GCN-HN.HCN" in pages[1]
    assert not any("Hà Văn Tâm" in p or "Đinh Văn Lực" in p for p in pages)
    # The whole commune: the three households, in the decision's order.
    commune = page_texts(client.get(ROUND_URL).content)
    assert [p.split("Họ và tên chủ hộ: ")[1].split(" Dân tộc")[0] for p in commune] == [
        "Bùi Văn Hùng",
        "Quách Thị Lan",
        "Bùi Thị Lan",
    ]


@pytest.mark.django_db
def test_a_village_without_certified_households_gets_the_reason(
    client: Client,
    officer: User,
    round_2024: dict[str, Any],
    time_machine: Any,
) -> None:
    empty = Village.objects.create(
        commune=round_2024["round"].commune, name="Làng Mới", position=3
    )
    recognise(round_2024, time_machine)
    client.force_login(officer)

    response = client.get(f"{ROUND_URL}?thon={empty.pk}")

    assert response.status_code == 404
    assert "Làng Mới không có hộ nghèo, hộ cận nghèo nào" in response.content.decode()
    assert client.get(f"{ROUND_URL}?thon=abc").status_code == 404


@pytest.mark.django_db
def test_the_round_and_household_pages_link_the_certificates(
    client: Client,
    officer: User,
    round_2024: dict[str, Any],
    time_machine: Any,
) -> None:
    empty = Village.objects.create(
        commune=round_2024["round"].commune, name="Làng Mới", position=3
    )
    client.force_login(officer)
    round_page = reverse("households:round_detail", args=[2024])
    assert ROUND_URL not in client.get(round_page).content.decode()

    recognise(round_2024, time_machine)
    client.force_login(officer)  # six days on: a new session

    page = client.get(round_page).content.decode()
    assert f'href="{ROUND_URL}"' in page
    assert f'href="{ROUND_URL}?thon={round_2024["village_a1"].pk}"' in page
    assert "chưa đối chiếu văn bản gốc" in page
    # A village without a certified household has no link that would lead nowhere.
    assert f"{ROUND_URL}?thon={empty.pk}" not in page
    for key, linked in (("poor", True), ("near", True), ("not_poor", False)):
        household = round_2024[key]
        detail = client.get(reverse("households:detail", args=[household.pk]))
        assert (certificate_url(household) in detail.content.decode()) is linked, key


@pytest.mark.parametrize(
    ("day", "law"),
    [
        (
            date(2024, 12, 14),
            "Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; Luật sửa "
            "đổi, bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính "
            "quyền địa phương ngày 22 tháng 11 năm 2019",
        ),
        (
            date(2025, 3, 1),
            "Luật Tổ chức chính quyền địa phương ngày 19 tháng 02 năm 2025",
        ),
        (
            date(2025, 7, 1),
            "Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025",
        ),
    ],
    ids=["2015-law", "law-of-february-2025", "law-of-june-2025"],
)
def test_the_law_on_local_government_is_the_one_of_the_documents_day(
    day: date, law: str
) -> None:
    assert local_government_law(day) == law


def test_a_certificate_after_the_districts_has_the_new_law_and_no_district() -> None:
    commune = Commune(name="Minh Sơn", district="Ngọc Lặc", province="Thanh Hóa")
    household = Household(
        commune=commune, village=Village(commune=commune, name="Thôn Chiềng")
    )

    assert residence(household, date(2025, 6, 30)) == (
        "Thôn Chiềng, xã Minh Sơn, huyện Ngọc Lặc, tỉnh Thanh Hóa"
    )
    assert residence(household, date(2025, 12, 10)) == (
        "Thôn Chiềng, xã Minh Sơn, tỉnh Thanh Hóa"
    )
    cited = laws(STANDARD_2022_2025, date(2025, 12, 10))
    assert cited[0] == "Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025"
    assert cited[1].startswith("Nghị định số 07/2021/NĐ-CP")
    # In 2026 the 2022–2025 standard holds by Nghị định 351/2025/NĐ-CP: both cited.
    assert "Nghị định số 351/2025/NĐ-CP" in " ".join(
        laws(STANDARD_2022_2025, date(2026, 12, 10))
    )
    assert "351/2025" not in " ".join(cited)


@pytest.mark.django_db
def test_documents_after_the_districts_cite_the_2025_law_and_no_district(
    client: Client,
    officer: User,
    household_a1: Household,
    time_machine: Any,
    tmp_path: Path,
) -> None:
    time_machine.move_to(datetime(2025, 10, 1, 9, tzinfo=VN), tick=False)
    review_round = ReviewRound.objects.create(
        commune=household_a1.commune, year=2025, opened_on=date(2025, 9, 1)
    )
    make_review(household_a1, deprived=POOR, on=date(2025, 9, 20), round=review_round)
    time_machine.move_to(datetime(2025, 10, 25, 9, tzinfo=VN), tick=False)
    actions.close_round(
        review_round,
        date(2025, 10, 24),
        decision_number="188/QĐ-UBND",
        signer_name="Phạm Văn Quang",
        by=officer,
    )
    client.force_login(officer)

    certificate = pdf_text(
        client.get(certificate_url(household_a1, 2025)).content, tmp_path
    )
    decision = pdf_text(
        client.get(reverse("reports:round_decision", args=[2025])).content, tmp_path
    )

    law = "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;"
    assert law in certificate and law in decision
    assert "năm 2015" not in certificate and "năm 2015" not in decision
    assert "Nơi thường trú: Làng Chiềng, xã Cao Ngọc, tỉnh Thanh Hóa" in certificate
    assert "huyện" not in certificate
