"""Deprivation indicators that follow from the member list.

DOMAIN.md §10: indicators 3, 4, 6 come from member data, 2 mixes members and the
definition of a dependant, 8 from the dwelling's floor area and the household size.
The reviewer sees what is computed here and confirms or overrides it on the review form.
Thresholds are RECALLED from ND 07/2021 (DOMAIN.md §2.2) and cited where used.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, Decimal


@dataclass(frozen=True)
class MemberFacts:
    """What the derivation needs to know about one member, on the review date."""

    full_name: str
    birth_year: int
    birth_date: date | None = None
    has_health_insurance: bool = False
    health_insurance_expiry: date | None = None
    attends_school: bool | None = None
    receives_social_allowance: bool = False
    malnourished: bool = False

    def age_on(self, on: date) -> int:
        """Age in full years; with only a birth year, the age reached in that year."""
        if self.birth_date is None:
            return on.year - self.birth_year
        before_birthday = (on.month, on.day) < (
            self.birth_date.month,
            self.birth_date.day,
        )
        return on.year - self.birth_date.year - before_birthday

    def insured_on(self, on: date) -> bool:
        if not self.has_health_insurance:
            return False
        return (
            self.health_insurance_expiry is None or self.health_insurance_expiry >= on
        )


@dataclass(frozen=True)
class DerivedIndicator:
    slug: str
    deprived: bool
    explanation: str


# Ages in ND 07/2021 (RECALLED, DOMAIN.md §2.2).
BHYT_MIN_AGE = 6  # under 6, the state insures every child (ND 146/2018)
SCHOOL_AGE_FROM = 3
SCHOOL_AGE_UNTIL = 16  # "từ 3 đến dưới 16 tuổi"
CHILD_UNTIL = 16
MIN_FLOOR_AREA_PER_PERSON = Decimal(8)  # m², also the plan's §II.2.2 target
DEPENDANT_SHARE_OVER = Decimal("0.5")


def _names(members: Sequence[MemberFacts]) -> str:
    return ", ".join(m.full_name for m in members)


def derive_indicators(
    members: Sequence[MemberFacts], *, floor_area_m2: Decimal | None, on: date
) -> dict[str, DerivedIndicator]:
    """Compute the member-derived indicators for a household on the review date.

    Indicators that cannot be computed (no members, no floor area) are left out, so the
    reviewer decides them by hand.
    """
    derived: dict[str, DerivedIndicator] = {}
    if not members:
        return derived

    uninsured = [
        m for m in members if m.age_on(on) >= BHYT_MIN_AGE and not m.insured_on(on)
    ]
    derived["bao_hiem_y_te"] = DerivedIndicator(
        "bao_hiem_y_te",
        bool(uninsured),
        f"Chưa có thẻ BHYT còn hạn: {_names(uninsured)}."
        if uninsured
        else "Mọi thành viên từ 6 tuổi trở lên đều có thẻ BHYT còn hạn.",
    )

    out_of_school = [
        m
        for m in members
        if SCHOOL_AGE_FROM <= m.age_on(on) < SCHOOL_AGE_UNTIL and not m.attends_school
    ]
    children = [
        m for m in members if SCHOOL_AGE_FROM <= m.age_on(on) < SCHOOL_AGE_UNTIL
    ]
    if not children:
        school_text = "Hộ không có trẻ em từ 3 đến dưới 16 tuổi."
    elif out_of_school:
        school_text = (
            f"Trẻ em từ 3 đến dưới 16 tuổi không đi học: {_names(out_of_school)}."
        )
    else:
        school_text = "Mọi trẻ em từ 3 đến dưới 16 tuổi đều đang đi học."
    derived["tinh_trang_di_hoc_tre_em"] = DerivedIndicator(
        "tinh_trang_di_hoc_tre_em", bool(out_of_school), school_text
    )

    malnourished = [m for m in members if m.age_on(on) < CHILD_UNTIL and m.malnourished]
    derived["dinh_duong"] = DerivedIndicator(
        "dinh_duong",
        bool(malnourished),
        f"Trẻ em dưới 16 tuổi suy dinh dưỡng: {_names(malnourished)}."
        if malnourished
        else "Không có trẻ em dưới 16 tuổi bị suy dinh dưỡng.",
    )

    # Dependants: children under 16 and people receiving a monthly social allowance
    # (elderly, disabled); deprived when they are more than half of the household.
    dependants = [
        m for m in members if m.age_on(on) < CHILD_UNTIL or m.receives_social_allowance
    ]
    share = Decimal(len(dependants)) / Decimal(len(members))
    derived["nguoi_phu_thuoc"] = DerivedIndicator(
        "nguoi_phu_thuoc",
        share > DEPENDANT_SHARE_OVER,
        f"{len(dependants)}/{len(members)} thành viên là người phụ thuộc "
        f"(trẻ em dưới 16 tuổi, người hưởng trợ cấp xã hội hằng tháng); "
        f"thiếu hụt khi trên 50 %.",
    )

    if floor_area_m2 is not None:
        per_person = Decimal(floor_area_m2) / Decimal(len(members))
        # Rounded down, so 7.97 m² never reads as "8,0" next to "thiếu hụt".
        shown = per_person.quantize(Decimal("0.1"), rounding=ROUND_DOWN)
        per_person_text = f"{shown}".replace(".", ",")
        derived["dien_tich_nha_o_binh_quan"] = DerivedIndicator(
            "dien_tich_nha_o_binh_quan",
            per_person < MIN_FLOOR_AREA_PER_PERSON,
            f"{per_person_text} m²/người ({len(members)} người); "
            f"thiếu hụt khi dưới 8 m²/người.",
        )
    return derived
