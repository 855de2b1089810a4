"""Phiếu B1: the rule by score at every line, the points added up, and a region's
table loaded from an Excel file (the province's, or the demo's sample)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from giamngheo.models import User
from households import points
from households.points_file import PointsFileError, read_points_file
from households.poverty import (
    STANDARD_2022_2025,
    STANDARD_2027_2030,
    PovertyStatus,
    classify,
)
from households.regions import Region
from households.survey_actions import load_points_file
from households.surveys import PointsTable

THREE = ("viec_lam", "nguoi_phu_thuoc", "dinh_duong")
TWO = THREE[:2]
SAMPLE = Path(__file__).resolve().parents[2] / "households/data/bang-diem-b1-mau.xlsx"


# --- The rule by score (TT 07/2021: 140 rural / 175 urban) --------------------------


@pytest.mark.parametrize(
    ("score", "deprived", "urban", "expected"),
    [
        (140, THREE, False, PovertyStatus.POOR),
        (140, TWO, False, PovertyStatus.NEAR_POOR),
        (141, THREE, False, PovertyStatus.NOT_POOR),
        (141, (), False, PovertyStatus.NOT_POOR),
        (0, (), False, PovertyStatus.NEAR_POOR),
        (175, THREE, True, PovertyStatus.POOR),
        (175, TWO, True, PovertyStatus.NEAR_POOR),
        (176, THREE, True, PovertyStatus.NOT_POOR),
        (150, THREE, True, PovertyStatus.POOR),  # the rural line does not apply
    ],
    ids=[
        "rural_140_three_poor",
        "rural_140_two_near_poor",
        "rural_141_not_poor",
        "rural_141_no_deprivation_not_poor",
        "rural_0_near_poor",
        "urban_175_three_poor",
        "urban_175_two_near_poor",
        "urban_176_not_poor",
        "urban_150_poor",
    ],
)
def test_b1_score_at_every_line(
    score: int, deprived: tuple[str, ...], urban: bool, expected: str
) -> None:
    result = classify(deprived=deprived, b1_score=score, urban=urban)
    assert result.status == expected


def test_reasons_say_the_score_path() -> None:
    result = classify(deprived=THREE, b1_score=128)
    assert result.reasons.startswith(
        "Tổng điểm B1: 128 ≤ 140 điểm (khu vực nông thôn, tương ứng chuẩn nghèo "
        "1.500.000 đồng/người/tháng)"
    )
    assert "hộ nghèo" in result.reasons
    over = classify(b1_score=176, urban=True)
    assert over.reasons.startswith("Tổng điểm B1: 176 > 175 điểm (khu vực thành thị")
    assert "không theo điểm B1" in over.reasons


def test_income_path_reasons_are_unchanged() -> None:
    assert classify(1_500_000, THREE).reasons.startswith(
        "Thu nhập bình quân 1.500.000 đồng/người/tháng, không vượt chuẩn nghèo"
    )


@pytest.mark.parametrize(
    "kwargs",
    [{}, {"income_per_person_month": 1_000_000, "b1_score": 100}],
    ids=["neither", "both"],
)
def test_exactly_one_of_income_and_score(kwargs: dict[str, int]) -> None:
    with pytest.raises(TypeError, match="đúng một trong hai"):
        classify(**kwargs)


def test_score_is_a_whole_non_negative_number() -> None:
    with pytest.raises(ValueError, match="không được âm"):
        classify(b1_score=-1)
    with pytest.raises(TypeError):
        classify(b1_score=True)


def test_lines_are_data_on_the_standard() -> None:
    assert STANDARD_2022_2025.b1_line(urban=False) == 140
    assert STANDARD_2022_2025.b1_line(urban=True) == 175
    assert "chưa đối chiếu văn bản gốc" in STANDARD_2022_2025.b1_note
    assert STANDARD_2027_2030.b1_line(urban=False) is None


def test_score_under_a_standard_without_b1_line_is_refused() -> None:
    with pytest.raises(ValueError, match="chưa có ngưỡng điểm Phiếu B1"):
        classify(b1_score=100, standard=STANDARD_2027_2030)


# --- Adding up the answers --------------------------------------------------

ITEMS = (
    points.Item(
        "size",
        "Số nhân khẩu",
        (points.Answer("1", "1", 45), points.Answer("6", "6", 0)),
    ),
    points.Item(
        "car", "Ô tô", (points.Answer("co", "Có", 30), points.Answer("khong", "K", 0))
    ),
)


def test_score_adds_the_chosen_answers() -> None:
    assert points.score(ITEMS, {"size": "1", "car": "co"}).total == 75
    assert points.score(ITEMS, {"size": "6", "car": "khong"}).total == 0


def test_score_names_every_missing_or_unknown_answer() -> None:
    with pytest.raises(points.IncompleteAnswers) as caught:
        points.score(ITEMS, {"size": "9", "boat": "co"})
    assert caught.value.problems == [
        "Câu “boat” không có trong bảng điểm.",
        "Câu 1 (Số nhân khẩu) không có câu trả lời mã “9”.",
        "Chưa trả lời câu 2: Ô tô.",
    ]


# --- The file ------------------------------------------------------------

INFO = [
    ("Chuẩn nghèo", "2022-2025"),
    ("Vùng", "Đồng bằng sông Hồng"),
    ("Khu vực", "Thành thị"),
    ("Tên bảng", "Bảng điểm B1 của tỉnh"),
    ("Nguồn", "Công văn của Sở"),
    ("Đã đối chiếu văn bản gốc", "Có"),
]
ROWS = [
    ("Mã câu", "Câu hỏi", "Mã trả lời", "Trả lời", "Điểm"),
    ("size", "Số nhân khẩu", "1", "1 người", 60),
    (None, None, "2", "2 người trở lên", 20),
    ("car", "Ô tô", "co", "Có", 40),
    (None, None, "khong", "Không", 0),
]


def workbook(
    info: list[tuple[object, ...]], rows: list[tuple[object, ...]]
) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Thông tin"
    for line in info:
        sheet.append(list(line))
    table = book.create_sheet("Bảng điểm")
    for line in rows:
        table.append(list(line))
    stream = io.BytesIO()
    book.save(stream)
    stream.seek(0)
    return stream


def test_a_region_table_is_read_from_a_file() -> None:
    parsed = read_points_file(workbook(INFO, ROWS))
    assert parsed.standard_code == "2022-2025"
    assert parsed.region == Region.RED_RIVER_DELTA
    assert parsed.urban is True
    assert parsed.verified is True
    assert [i.code for i in parsed.items] == ["size", "car"]
    assert points.score(parsed.items, {"size": "1", "car": "co"}).total == 100


@pytest.mark.parametrize(
    ("info", "rows", "problem"),
    [
        (
            INFO,
            [*ROWS[:3], ("car", "Ô tô", "co", "Có", "mười")],
            "Trang “Bảng điểm”, dòng 4, cột E (Điểm): “mười” không phải số điểm "
            "nguyên.",
        ),
        (
            INFO,
            [*ROWS, (None, None, "co", "Có lần nữa", 5)],
            "Trang “Bảng điểm”, dòng 6, cột C (Mã trả lời): mã “co” đã có trong câu "
            "“car”.",
        ),
        (
            INFO,
            [*ROWS, ("size", "Lại số nhân khẩu", "1", "1", 1)],
            "Trang “Bảng điểm”, dòng 6, cột A (Mã câu): mã câu “size” đã dùng",
        ),
        (
            [("Chuẩn nghèo", "2016-2020"), *INFO[1:]],
            ROWS,
            "Trang “Thông tin”, dòng 1, cột B: chuẩn nghèo “2016-2020” không có",
        ),
        (
            [INFO[0], ("Vùng", "Miền Tây"), *INFO[2:]],
            ROWS,
            "Trang “Thông tin”, dòng 2, cột B: vùng “Miền Tây” không phải một trong",
        ),
        (
            [*INFO[:2], ("Khu vực", "Miền núi"), *INFO[3:]],
            ROWS,
            "khu vực “Miền núi” phải là “Nông thôn” hoặc “Thành thị”",
        ),
        (INFO[1:], ROWS, "Trang “Thông tin”: thiếu “Chuẩn nghèo” (cột B)."),
        (INFO, [("Mã", "Câu"), *ROWS[1:]], "Trang “Bảng điểm”, dòng 1: tiêu đề cột"),
        (INFO, ROWS[:1], "Trang “Bảng điểm”: chưa có câu hỏi nào."),
        (
            INFO,
            [*ROWS[:3], ("car", "Ô" * 500, "co", "Có", 10)],
            "Trang “Bảng điểm”, dòng 4, cột B (Câu hỏi): dài 500 ký tự, tối đa 300.",
        ),
        (
            [*INFO, ("Ghi chú", "x" * 2001)],
            ROWS,
            "Trang “Thông tin”, dòng 7, cột B: “Ghi chú” dài 2001 ký tự, tối đa 2000.",
        ),
    ],
    ids=[
        "points_not_a_number",
        "duplicate_answer",
        "duplicate_question",
        "unknown_standard",
        "unknown_region",
        "unknown_area",
        "missing_standard",
        "wrong_header",
        "no_question",
        "question_too_long",
        "note_too_long",
    ],
)
def test_a_wrong_file_says_where(
    info: list[tuple[object, ...]], rows: list[tuple[object, ...]], problem: str
) -> None:
    with pytest.raises(PointsFileError) as caught:
        read_points_file(workbook(info, rows))
    assert any(p.startswith(problem) or problem in p for p in caught.value.problems), (
        caught.value.problems
    )


def test_a_file_that_is_not_excel_is_refused() -> None:
    with pytest.raises(PointsFileError, match="Không đọc được tệp"):
        read_points_file(io.BytesIO(b"STT;Ho ten\n1;A\n"))


@pytest.mark.django_db
def test_loading_a_file_twice_makes_a_new_version_in_use() -> None:
    first = load_points_file(workbook(INFO, ROWS), file_name="tinh.xlsx")
    second = load_points_file(workbook(INFO, ROWS), file_name="tinh-sua.xlsx")
    key = {"standard_code": "2022-2025", "region": Region.RED_RIVER_DELTA}
    assert PointsTable.objects.current(**key, urban=True) == second
    assert first.items() == second.items()
    assert second.mark == ""
    with pytest.raises(PointsTable.DoesNotExist):
        PointsTable.objects.current(**key, urban=False)


@pytest.mark.django_db
def test_a_wrong_file_loads_nothing() -> None:
    with pytest.raises(PointsFileError):
        load_points_file(workbook(INFO, [*ROWS, (None, None, "", "Ba", 5)]))
    bad = [*ROWS, (None, None, "x", "X", "1,5")]
    with pytest.raises(PointsFileError):
        load_points_file(workbook(INFO, bad))
    assert not PointsTable.objects.exists()


@pytest.mark.django_db
def test_the_sample_table_is_marked_everywhere() -> None:
    call_command("load_points_table", str(SAMPLE), stdout=io.StringIO())
    table = PointsTable.objects.get()
    assert table.region == Region.NORTH_CENTRAL_COAST
    assert table.urban is False
    assert table.verified is False
    assert table.mark == "Bảng điểm mẫu — chưa đối chiếu văn bản gốc"
    assert table.name == table.mark
    assert len(table.items()) == 20


def test_the_command_names_the_problems(tmp_path: Path) -> None:
    bad = tmp_path / "bang.xlsx"
    bad.write_bytes(workbook(INFO[1:], ROWS).getvalue())
    with pytest.raises(CommandError, match="thiếu “Chuẩn nghèo”"):
        call_command("load_points_table", str(bad))


# --- The page ------------------------------------------------------------


def upload(client: Client, user: User, stream: io.BytesIO, name: str) -> Any:
    client.force_login(user)
    stream.name = name
    return client.post(reverse("households:points_tables"), {"file": stream})


def test_the_officer_loads_the_province_file(client: Client, officer: User) -> None:
    response = upload(client, officer, workbook(INFO, ROWS), "tinh.xlsx")

    assert response.url == reverse("households:points_tables")
    table = PointsTable.objects.get()
    assert (table.loaded_by, table.file_name) == (officer, "tinh.xlsx")
    page = client.get(reverse("households:points_tables")).content.decode()
    assert "Bảng điểm B1 của tỉnh" in page
    assert "đang dùng" in page


def test_a_wrong_upload_says_line_and_column_and_loads_nothing(
    client: Client, officer: User
) -> None:
    rows = [*ROWS[:3], ("car", "Ô tô", "co", "Có", "mười")]
    response = upload(client, officer, workbook(INFO, rows), "tinh.xlsx")

    assert response.status_code == 200
    assert "dòng 4, cột E (Điểm): “mười” không phải số điểm nguyên" in (
        response.content.decode()
    )
    assert not PointsTable.objects.exists()


def test_only_the_officer_loads_a_table(client: Client, chairman: User) -> None:
    response = upload(client, chairman, workbook(INFO, ROWS), "tinh.xlsx")

    assert response.status_code == 403
    assert not PointsTable.objects.exists()


def test_the_page_marks_the_sample(client: Client, sector: User) -> None:
    with SAMPLE.open("rb") as stream:
        load_points_file(stream)
    client.force_login(sector)
    page = client.get(reverse("households:points_tables")).content.decode()
    assert page.count("Bảng điểm mẫu — chưa đối chiếu văn bản gốc") >= 2
    assert "Nạp bảng điểm của tỉnh" not in page
