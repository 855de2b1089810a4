"""The demo's survey data: the SAMPLE Phiếu B1 points table of its region, and the
Phiếu A of households that asked to be reviewed in 2024 and were screened out.

The table is `households/data/bang-diem-b1-mau.xlsx`, marked "Bảng điểm mẫu — chưa
đối chiếu văn bản gốc" (the official table of TT 07/2021/TT-BLĐTBXH was not found).
Nothing here changes a review or a status.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.db import transaction

import households
from demo.register import COMMUNE_CODE, OFFICER_USERNAME, YEAR_2024, require_demo_mode
from giamngheo.models import User
from households.models import Commune, Household, ReviewRound
from households.poverty import PovertyStatus
from households.survey_actions import load_points_file, record_quick_screen
from households.surveys import PointsTable, QuickScreen
from households.transitions import start_of

SAMPLE_TABLE = Path(households.__file__).resolve().parent / "data/bang-diem-b1-mau.xlsx"
# Households not poor or near-poor at the start of 2024 that asked to be reviewed
# (đơn đề nghị) and were stopped by Phiếu A: the first of them by code.
SCREENED_OUT = 3
SCREEN_DAY = date(2024, 9, 20)
SCREEN_ANSWERS = (["o_to"], ["tu_lanh", "may_giat", "xe_may"], ["cong_chuc"])


@dataclass(frozen=True)
class SurveysResult:
    table_loaded: bool
    screens: int


def seed_surveys_2024() -> SurveysResult:
    require_demo_mode()
    with transaction.atomic():
        commune = Commune.objects.get(code=COMMUNE_CODE)
        key = {
            "standard_code": "2022-2025",
            "region": commune.region,
            "urban": commune.is_urban,
        }
        table_loaded = not PointsTable.objects.for_key(**key).exists()
        if table_loaded:
            with SAMPLE_TABLE.open("rb") as stream:
                load_points_file(stream, file_name=SAMPLE_TABLE.name)
        review_round = ReviewRound.objects.filter(
            commune=commune, year=YEAR_2024
        ).first()
        if review_round is None or review_round.quick_screens.exists():
            return SurveysResult(table_loaded, 0)
        officer = User.objects.get(commune=commune, username=OFFICER_USERNAME)
        start = start_of(YEAR_2024)
        candidates = (
            Household.objects.filter(commune=commune)
            .active()
            .present_on(start)
            .with_status_on(start)
            .exclude(status__in=[PovertyStatus.POOR, PovertyStatus.NEAR_POOR])
            .exclude(reviews__round=review_round)
            .order_by("code")[:SCREENED_OUT]
        )
        for household, answers in zip(candidates, SCREEN_ANSWERS, strict=False):
            record_quick_screen(
                QuickScreen(
                    household=household,
                    round=review_round,
                    screen_date=SCREEN_DAY,
                    screener_name=officer.get_full_name() or officer.username,
                    questions_code="2022-2025-mau",
                    answers=answers,
                    note="Hộ có đơn đề nghị rà soát (mẫu).",
                ),
                by=officer,
            )
        return SurveysResult(table_loaded, len(candidates))
