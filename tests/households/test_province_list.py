"""The province's list of poor and near-poor households against the register
(issue 11, item 4): a comparison that writes nothing."""

from __future__ import annotations

from datetime import date
from io import BytesIO
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from giamngheo.models import User
from households.models import Household
from households.poverty import PovertyStatus
from households.province_comparison import (
    BY_CODE,
    BY_IDENTITY,
    BY_NAME,
    ListRow,
    RegisterRow,
    compare,
)
from households.province_list import blank_template, read_province_list
from households.register_file import RegisterFileError
from tests.conftest import make_review
from tests.households.test_register_bad_files import tables_checksum

POOR, NEAR = PovertyStatus.POOR.value, PovertyStatus.NEAR_POOR.value
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
POOR_DEPRIVATIONS = (
    "su_dung_dich_vu_vien_thong",
    "chat_luong_nha_o",
    "nguon_nuoc_sinh_hoat",
)


def listed(line: int, status: str = POOR, **fields: str) -> ListRow:
    values = {"code": "", "head_name": "", "id_number": "", "village": ""} | fields
    return ListRow(line=line, status=status, **values)


def household(pk: int, status: str | None = POOR, **fields: Any) -> RegisterRow:
    values: dict[str, Any] = {
        "code": f"CN-01-{pk:04d}",
        "head_name": "Bùi Văn Hùng",
        "id_number": "",
        "village": "Làng Chiềng",
    } | fields
    return RegisterRow(household_id=pk, status=status, **values)


# --- The comparison, pure --------------------------------------------------------


def test_a_code_pairs_and_the_same_status_is_matched() -> None:
    result = compare(
        [listed(2, code="cn-01-0001 ", head_name="Bùi Văn Hùng")], [household(1)]
    )
    assert [(p.register.household_id, p.by) for p in result.same] == [(1, BY_CODE)]
    assert result.differ == result.only_in_list == result.only_in_register == []


def test_a_cccd_pairs_when_the_code_does_not_even_without_its_leading_zero() -> None:
    result = compare(
        [listed(2, status=NEAR, code="X-9", id_number="38080001234")],
        [household(1, id_number="038080001234")],
    )
    (pair,) = result.differ
    assert pair.by == BY_IDENTITY
    assert pair.listed.status_label == "Hộ cận nghèo"
    assert pair.register.status_label == "Hộ nghèo"
    assert "mã hộ trong sổ hộ: CN-01-0001" in pair.notes


def test_a_name_and_village_pair_is_flagged_uncertain() -> None:
    result = compare(
        [listed(2, head_name="BUI VAN  HUNG", village="Thôn làng chiềng")],
        [household(1)],
    )
    (pair,) = result.same
    assert pair.by == BY_NAME
    assert pair.uncertain
    assert result.uncertain == 1


def test_no_name_pair_without_a_village_nor_between_two_namesakes() -> None:
    namesakes = [household(1), household(2)]
    result = compare(
        [
            listed(2, head_name="Bùi Văn Hùng"),
            listed(3, head_name="Bùi Văn Hùng", village="Làng Chiềng"),
        ],
        namesakes,
    )
    assert [r.line for r in result.only_in_list] == [2, 3]
    assert {h.household_id for h in result.only_in_register} == {1, 2}


def test_only_in_register_counts_poor_and_near_poor_households_only() -> None:
    register = [
        household(1, POOR),
        household(2, NEAR),
        household(3, PovertyStatus.NOT_POOR.value),
        household(4, None),
        household(5, POOR, present=False),
    ]
    result = compare([listed(2, code="XX-1")], register)
    assert [h.household_id for h in result.only_in_register] == [1, 2]
    assert [r.line for r in result.only_in_list] == [2]


def test_a_code_match_wins_over_a_cccd_of_another_household() -> None:
    register = [household(1, id_number="038080001234"), household(2, NEAR)]
    rows = [
        listed(2, status=NEAR, code="CN-01-0002", id_number="038080001234"),
        listed(3, code="ZZ", id_number="038080001234"),
    ]
    result = compare(rows, register)
    pairs = [(p.listed.line, p.register.household_id, p.by) for p in result.same]
    assert pairs == [(2, 2, BY_CODE), (3, 1, BY_IDENTITY)]
    assert any("số CCCD chủ hộ trong sổ hộ" in n for n in result.same[0].notes)
    assert result.only_in_list == result.only_in_register == []


def test_a_listed_household_that_left_the_register_differs() -> None:
    result = compare([listed(2, code="CN-01-0001")], [household(1, present=False)])
    (pair,) = result.differ
    assert "đã lưu trữ" in pair.notes[0]
    assert result.only_in_register == []


# --- The file ----------------------------------------------------------------------


def workbook_of(rows: list[list[Any]], *, title_lines: int = 0) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for _ in range(title_lines):
        sheet.append(["DANH SÁCH HỘ NGHÈO, HỘ CẬN NGHÈO NĂM 2024"])
    for row in rows:
        sheet.append(row)
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


def read(data: bytes) -> list[ListRow]:
    return read_province_list(BytesIO(data), size=len(data))


def test_headers_are_found_below_a_title_with_or_without_accents() -> None:
    data = workbook_of(
        [
            [
                "STT",
                "MA HO",
                "Ho va ten chu ho",
                "So CCCD",
                "Thôn, làng",
                "Phan loai ho",
            ],
            [1, "cn-01-0001", "Bùi  Văn Hùng", 38080001234, "Làng Chiềng", "HN"],
            [2, "", "Quách Thị Lan", "038080005678", "", "Hộ cận nghèo"],
        ],
        title_lines=2,
    )
    assert read(data) == [
        ListRow(4, "CN-01-0001", "Bùi Văn Hùng", "38080001234", "Làng Chiềng", POOR),
        ListRow(5, "", "Quách Thị Lan", "038080005678", "", NEAR),
    ]


def test_the_blank_template_reads_back_as_an_empty_list() -> None:
    data = blank_template()
    sheet = load_workbook(BytesIO(data)).active
    assert sheet is not None
    assert [c.value for c in sheet[1]] == [
        "Mã hộ",
        "Họ tên chủ hộ (*)",
        "Số CCCD chủ hộ",
        "Thôn",
        "Phân loại (*)",
    ]
    with pytest.raises(RegisterFileError, match="danh sách chưa có hộ nào"):
        read(data)


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([["Họ tên", "Ghi chú"], ["A", "B"]], "không tìm thấy dòng tiêu đề"),
        (
            [["Mã hộ", "Họ tên chủ hộ", "Phân loại"], ["CN-1", "Bùi Văn Hùng", "giàu"]],
            "dòng 2, cột C (Phân loại): “giàu” không phải phân loại hộ",
        ),
        (
            [["Mã hộ", "Họ tên chủ hộ", "Phân loại"], ["CN-1", "", "Hộ nghèo"]],
            "dòng 2, cột B (Họ tên chủ hộ): còn trống (bắt buộc)",
        ),
        (
            [
                ["Mã hộ", "Họ tên chủ hộ", "Phân loại"],
                ["CN-1", "Bùi Văn Hùng", "Hộ nghèo"],
                ["cn-1", "Bùi Văn Nam", "Hộ nghèo"],
            ],
            "dòng 3, cột A (Mã hộ): Mã hộ cn-1 đã có ở dòng 2",
        ),
        (
            [["Mã hộ", "Họ tên chủ hộ", "Phân loại"], ["CN-1", "=A1", "Hộ nghèo"]],
            "ô có công thức",
        ),
    ],
)
def test_a_bad_list_is_refused_with_its_message(
    rows: list[list[Any]], message: str
) -> None:
    with pytest.raises(RegisterFileError) as caught:
        read(workbook_of(rows))
    assert message in str(caught.value)


def test_a_file_that_is_not_xlsx_is_refused() -> None:
    with pytest.raises(RegisterFileError, match="không phải là tệp Excel"):
        read(b"ma ho;ho ten\nCN-1;A\n")


# --- The page ----------------------------------------------------------------------


def post(client: Client, data: bytes, day: str = "20/12/2024") -> str:
    response = client.post(
        reverse("households:province_list"),
        {
            "file": SimpleUploadedFile("danh sách.xlsx", data, content_type=XLSX),
            "day": day,
        },
    )
    assert response.status_code == 200
    return response.content.decode()  # type: ignore[no-any-return]


@pytest.fixture
def register(household_a1: Household, household_a2: Household) -> None:
    Household.objects.update(registered_on=date(2020, 1, 1))
    make_review(household_a1, deprived=POOR_DEPRIVATIONS)  # poor
    make_review(household_a2)  # near-poor
    assert {
        h.code: h.status  # type: ignore[attr-defined]
        for h in Household.objects.with_status_on(date(2024, 12, 20))
    } == {"CN-01-0001": POOR, "CN-02-0001": NEAR}


def test_the_page_shows_the_four_counts_and_writes_nothing(
    client: Client, officer: User, register: None, household_a1: Household
) -> None:
    data = workbook_of(
        [
            ["Mã hộ", "Họ tên chủ hộ", "Số CCCD chủ hộ", "Thôn", "Phân loại"],
            ["CN-01-0001", "Bùi Văn Hùng", "", "Làng Chiềng", "Hộ nghèo"],
            ["", "Đinh Văn Tám", "038080009999", "Làng Bột", "Hộ cận nghèo"],
        ]
    )
    client.force_login(officer)
    before = tables_checksum()
    page = post(client, data)
    assert tables_checksum() == before
    assert "Chưa ghi gì vào sổ hộ" in page
    counts = page[
        page.index('id="so-luong"') : page.index(
            "</table>", page.index('id="so-luong"')
        )
    ]
    assert [int(n) for n in _numbers(counts)] == [1, 0, 1, 1]
    assert household_a1.get_absolute_url() in page
    assert "Đinh Văn Tám" in page


def _numbers(html: str) -> list[str]:
    return [part.split("</td>")[0] for part in html.split('<td class="num">')[1:]]


def test_the_page_names_the_problems_of_a_bad_file(
    client: Client, officer: User, register: None
) -> None:
    client.force_login(officer)
    before = tables_checksum()
    page = post(client, workbook_of([["Họ tên", "Ghi chú"], ["A", "B"]]))
    assert tables_checksum() == before
    assert "Không đối chiếu được: tệp danh sách.xlsx có 1 lỗi" in page
    assert "không tìm thấy dòng tiêu đề" in page


def test_the_template_downloads(client: Client, officer: User) -> None:
    client.force_login(officer)
    response = client.get(reverse("households:province_list_template"))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX


def test_the_differences_download_as_a_workbook_and_nothing_is_written(
    client: Client, officer: User, register: None
) -> None:
    data = workbook_of(
        [
            ["Mã hộ", "Họ tên chủ hộ", "Phân loại"],
            ["CN-01-0001", "Bùi Văn Hùng", "Hộ cận nghèo"],
            ["CN-09-0009", "Đinh Văn Tám", "Hộ nghèo"],
        ]
    )
    client.force_login(officer)
    before = tables_checksum()
    response = client.post(
        reverse("households:province_list"),
        {
            "file": SimpleUploadedFile("ds.xlsx", data, content_type=XLSX),
            "day": "20/12/2024",
            "download": "xlsx",
        },
    )
    assert tables_checksum() == before
    assert response["Content-Type"] == XLSX
    sheet = load_workbook(BytesIO(response.content)).active
    assert sheet is not None
    lines = [row for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert [(line[0], line[2], line[7]) for line in lines] == [
        ("Khác phân loại", "CN-01-0001", "CN-01-0001"),
        ("Chỉ có trong danh sách", "CN-09-0009", None),
        ("Chỉ có trong sổ hộ", None, "CN-02-0001"),
    ]
