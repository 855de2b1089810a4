"""Phiếu B1 on a review: which points table applies, and whether a stored score
agrees with its answers (TT 07/2021/TT-BLĐTBXH; `households.points` adds up)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from households import points, poverty
from households.surveys import PointsTable

if TYPE_CHECKING:
    from households.models import Commune, Household, Review


def table_for(household: Household, on: date) -> PointsTable | None:
    """The points table in use for the household's commune (its region and area)
    under the standard in force on `on`, or None."""
    return commune_table(household.commune, on)


def commune_table(commune: Commune, on: date) -> PointsTable | None:
    """The points table in use for the commune (its region and area) under the
    standard in force on `on`, or None: a blank Phiếu B1 prints it too."""
    if not commune.region:
        return None
    try:
        standard = poverty.standard_in_force(on)
        return PointsTable.objects.current(
            standard_code=standard.code, region=commune.region, urban=commune.is_urban
        )
    except (ValueError, PointsTable.DoesNotExist):
        return None


def missing_table_reason(household: Household, on: date) -> str:
    """Why no points table applies, in words for the officer."""
    commune = household.commune
    if not commune.region:
        return (
            f"{commune} chưa khai báo vùng kinh tế - xã hội nên chưa chọn được bảng "
            "điểm B1: nhập tổng điểm ghi trên phiếu giấy, hoặc nhờ quản trị khai báo "
            "vùng của xã."
        )
    return (
        "Chưa nạp bảng điểm B1 cho chuẩn nghèo, vùng và khu vực của xã: nạp tệp "
        "bảng điểm của tỉnh ở trang “Bảng điểm Phiếu B1”, hoặc nhập tổng điểm ghi "
        "trên phiếu giấy."
    )


def b1_refusal(review: Review) -> str | None:
    """Why a review's B1 score cannot stand, or None."""
    standard = review.standard
    if standard.b1_line(urban=review.household.commune.is_urban) is None:
        return (
            f"{standard.name} chưa có ngưỡng điểm Phiếu B1: nhập thu nhập bình quân "
            "đầu người thay cho tổng điểm B1."
        )
    if not review.b1_answers:
        return None
    table = review.b1_table
    if table is None:
        return "Phiếu B1 có câu trả lời nhưng chưa ghi bảng điểm đã dùng."
    if table.standard_code != standard.code:
        return (
            f"Bảng điểm “{table.name}” thuộc chuẩn {table.standard_code}, còn ngày "
            f"rà soát thuộc chuẩn {standard.code}."
        )
    try:
        total = points.score(table.items(), review.b1_answers).total
    except points.IncompleteAnswers as exc:
        return str(exc)
    if total != review.b1_score:
        return (
            f"Tổng điểm B1 ghi là {review.b1_score} nhưng các câu trả lời cộng lại "
            f"được {total} điểm."
        )
    return None
