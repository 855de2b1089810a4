"""The village's Phiếu A/B as an XLSForm for ODK Collect / KoBoCollect (issue 11,
item 5): built from the same questions as the paper forms, the households to pick
from, converted by pyxform (the tool ODK Central and KoBoToolbox use) without error."""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from pyxform.xls2xform import convert

from giamngheo.models import User
from households.models import Household, ReviewRound, Village
from households.regions import Region
from households.survey_actions import load_points_file
from households.survey_questions import questions_for
from households.xlsform import (
    B1_SCORE,
    SCREEN_RESULT,
    HouseholdChoice,
    build_phone_form,
)
from tests.conftest import make_household, make_review

VN = ZoneInfo("Asia/Ho_Chi_Minh")
SAMPLE = Path(__file__).resolve().parents[2] / "households/data/bang-diem-b1-mau.xlsx"
POOR = ("viec_lam", "chat_luong_nha_o", "nguon_nuoc_sinh_hoat")

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_2024(time_machine: Any, household_a1: Household) -> ReviewRound:
    time_machine.move_to(datetime(2024, 10, 1, 9, tzinfo=VN), tick=False)
    commune = household_a1.commune
    commune.region = Region.NORTH_CENTRAL_COAST
    commune.save()
    with SAMPLE.open("rb") as stream:
        load_points_file(stream)
    household_a1.registered_on = date(2015, 1, 1)
    household_a1.save()
    make_review(household_a1, deprived=POOR, on=date(2023, 11, 20))  # poor: listed
    make_household(household_a1.village, "CN-01-0002", "Quách Thị Mai")
    return ReviewRound.objects.create(
        commune=commune, year=2024, opened_on=date(2024, 9, 1)
    )


def url(village: Village) -> str:
    return reverse("households:phone_form", args=[2024, village.pk])


def sheets(content: bytes) -> dict[str, list[dict[str, Any]]]:
    book = openpyxl.load_workbook(io.BytesIO(content))
    out = {}
    for sheet in book:
        rows = list(sheet.iter_rows(values_only=True))
        out[sheet.title] = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    return out


def test_the_village_form_converts_with_pyxform(
    client: Client, officer: User, round_2024: ReviewRound, village_a1: Village
) -> None:
    client.force_login(officer)
    response = client.get(url(village_a1))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(
        f'filename="phieu-ra-soat-2024-thon-{village_a1.pk}.xlsx"'
    )
    warnings: list[str] = []
    xform = convert(
        xlsform=io.BytesIO(response.content),
        file_type=".xlsx",
        warnings=warnings,
        validate=False,
    ).xform
    assert warnings == []
    assert "Phiếu A, B năm 2024 — Làng Chiềng, xã Cao Ngọc" in xform
    # The households to pick from: the list to review first, marked.
    book = sheets(response.content)
    households = [c for c in book["choices"] if c["list_name"] == "ho"]
    assert [c["name"] for c in households] == ["CN-01-0001", "CN-01-0002"]
    assert households[0]["label"] == "CN-01-0001 — Bùi Văn Hùng (cần rà soát)"
    assert households[1]["label"] == "CN-01-0002 — Quách Thị Mai"
    # The same questions as the paper forms, with the sample marks.
    questions = questions_for(village_a1.commune, date(2024, 9, 1))
    names = {row["name"] for row in book["survey"]}
    assert {f"b1__{item.code}" for item in questions.b1_items} <= names
    assert questions.phieu_a is not None
    assert {f"a_{q.code}" for q in questions.phieu_a.questions} <= names
    assert {"wall_durable", "water_source", "information_devices"} <= names
    assert "Bảng điểm mẫu — chưa đối chiếu văn bản gốc" in xform
    assert "Bộ câu hỏi mẫu — chưa đối chiếu văn bản gốc" in xform
    # Phiếu B is asked only when Phiếu A lets the household go on.
    b1_group = next(r for r in book["survey"] if r["name"] == "phieu_b1")
    assert b1_group["relevance"] == f"${{{SCREEN_RESULT}}} = 'continue'"


def test_the_b1_total_adds_each_answers_points(round_2024: ReviewRound) -> None:
    questions = questions_for(round_2024.commune, date(2024, 9, 1))
    form = build_phone_form(
        form_id="f",
        title="t",
        version="1",
        households=[HouseholdChoice("CN-01-0001", "CN-01-0001")],
        questions=questions,
    )
    survey = sheets(form.workbook)["survey"]
    total = next(r for r in survey if r["name"] == B1_SCORE)["calculation"]
    for item in questions.b1_items:
        for answer in item.answers:
            assert f"${{b1__{item.code}}} = '{answer.code}', {answer.points}," in total
    assert total.count(" + ") == len(questions.b1_items) - 1


def test_without_a_points_table_the_income_is_asked(
    household_a1: Household,
) -> None:
    questions = questions_for(household_a1.commune, date(2024, 9, 1))
    assert not questions.b1_items
    form = build_phone_form(
        form_id="f",
        title="t",
        version="1",
        households=[HouseholdChoice("CN-01-0001", "CN-01-0001")],
        questions=questions,
    )
    names = [r["name"] for r in sheets(form.workbook)["survey"]]
    assert "income_per_person_month" in names and B1_SCORE not in names
    assert "Chưa có bảng điểm Phiếu B1" in form.xform


def test_a_name_like_a_formula_stays_text(
    client: Client, officer: User, round_2024: ReviewRound, village_a1: Village
) -> None:
    make_household(village_a1, "CN-01-0003", '=HYPERLINK("http://x","bấm")')
    client.force_login(officer)
    content = client.get(url(village_a1)).content
    book = openpyxl.load_workbook(io.BytesIO(content))
    cells = [c for row in book["choices"].iter_rows() for c in row]
    tricky = next(c for c in cells if "HYPERLINK" in str(c.value))
    assert tricky.data_type == "s"


def test_a_village_head_gets_only_his_village(
    client: Client,
    head_a1: User,
    round_2024: ReviewRound,
    village_a1: Village,
    village_a2: Village,
) -> None:
    client.force_login(head_a1)
    assert client.get(url(village_a1)).status_code == 200
    assert client.get(url(village_a2)).status_code == 404
