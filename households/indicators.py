"""The 12 deprivation indicators of Phiếu B2, each from the facts it is decided on.

DOMAIN.md §2.2, §10: indicators 1, 3, 4, 5, 6 come from the members, 2 mixes members
and the definition of a dependant, 8 from the dwelling's floor area and the household
size; 7 (housing quality), 9 (water), 10 (latrine), 11 (internet) and 12 (information
devices, loudspeaker) from the facts the survey team records about the dwelling
(`DwellingFacts`). The reviewer sees what is computed here and confirms or overrides
it on the review form; an override needs a note.

Every threshold and list below is from the Phụ lục of Nghị định 07/2021/NĐ-CP as
RECALLED in DOMAIN.md §2.2 (the official text could not be read; a third-party
restatement found with the search tool words indicators 1, 5, 7, 9 the same way):
chưa đối chiếu văn bản gốc. They are named here, with their source, so that checking
them against the text means reading this module only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, Decimal

# Codes shared with households.models (EducationLevel, Employment, Sex): this module
# imports nothing of the project, so the codes it reads are spelled here once.
SEX_FEMALE = "female"
EMPLOYMENT_STUDENT = "student"


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
    # Nutrition, the law's two measures (children under 16 only).
    stunted: bool = False  # suy dinh dưỡng thể thấp còi (chiều cao theo tuổi)
    underweight: bool = False  # suy dinh dưỡng thể nhẹ cân (cân nặng theo tuổi)
    sex: str = ""  # "male" / "female"; unknown counts as male (the longer span)
    employment: str = ""  # households.models.Employment code; "" = not recorded
    education_level: str = ""  # households.models.EducationLevel code

    @property
    def malnourished(self) -> bool:
        """Suy dinh dưỡng on either measure: what indicator 3 and report 11 count."""
        return self.stunted or self.underweight

    def age_on(self, on: date) -> int:
        """Age in full years; with only a birth year, the age reached in that year."""
        if self.birth_date is None:
            return on.year - self.birth_year
        before_birthday = (on.month, on.day) < (
            self.birth_date.month,
            self.birth_date.day,
        )
        return on.year - self.birth_date.year - before_birthday

    def age_in_months_on(self, on: date) -> int:
        """Age in full months; with only a birth year, as if born on 1 January (the
        same reading as `age_on`)."""
        born = self.birth_date or date(self.birth_year, 1, 1)
        months = (on.year - born.year) * 12 + on.month - born.month
        return months - (on.day < born.day)

    def insured_on(self, on: date) -> bool:
        if not self.has_health_insurance:
            return False
        return (
            self.health_insurance_expiry is None or self.health_insurance_expiry >= on
        )

    def of_working_age_on(self, on: date) -> bool:
        """From 15 full years until the statutory retirement age (see below)."""
        months = self.age_in_months_on(on)
        return (
            WORKING_AGE_FROM * 12 <= months < retirement_age_months(self.sex, on.year)
        )


@dataclass(frozen=True)
class DwellingFacts:
    """What the survey team records about the household and its dwelling (Phiếu B2).

    None means "not recorded" (reviews entered before these facts were asked): the
    indicator is then not derived and the reviewer ticks it by hand.
    """

    wall_durable: bool | None = None  # tường
    frame_durable: bool | None = None  # cột (khung)
    roof_durable: bool | None = None  # mái
    water_source: str = ""  # a WATER_SOURCES code
    latrine_type: str = ""  # a LATRINE_TYPES code
    uses_internet: bool | None = None  # at least one member uses internet services
    information_devices: tuple[str, ...] | None = None  # INFORMATION_DEVICES codes
    hears_loudspeaker: bool | None = None  # hears the commune/village loudspeakers


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

# Indicator 1, việc làm: a member "trong độ tuổi lao động" unemployed or working for a
# wage without a labour contract (RECALLED, DOMAIN.md §2.2 #1). The working age is
# read as the Labour Code's: from 15 full years (Bộ luật Lao động 2019 Điều 3 khoản 1)
# until the retirement age of Bộ luật Lao động 2019 Điều 169 and Nghị định
# 135/2020/NĐ-CP Điều 4 (normal conditions): 60 years 3 months for men and 55 years
# 4 months for women in 2021, rising by 3 months (men) / 4 months (women) a year up
# to 62 (in 2028) / 60 (in 2035). All RECALLED, chưa đối chiếu văn bản gốc.
WORKING_AGE_FROM = 15
EMPLOYMENT_DEPRIVED = ("unemployed", "no_contract")  # Employment codes
EMPLOYMENT_WORDS = {
    "unemployed": "thất nghiệp",
    "no_contract": "làm công không có hợp đồng lao động",
}
RETIREMENT_BASE_YEAR = 2021
RETIREMENT_SCHEDULE = {
    # sex: (months in 2021, months added a year, months at most)
    "male": (60 * 12 + 3, 3, 62 * 12),
    SEX_FEMALE: (55 * 12 + 4, 4, 60 * 12),
}


def retirement_age_months(sex: str, year: int) -> int:
    """The statutory retirement age in months in `year` (ND 135/2020 Điều 4)."""
    start, step, cap = RETIREMENT_SCHEDULE.get(sex, RETIREMENT_SCHEDULE["male"])
    return min(cap, start + step * max(0, year - RETIREMENT_BASE_YEAR))


# Indicator 5, trình độ giáo dục của người lớn: a member aged 16 to 30, not in
# training, without the level for the age — 16 to under 18: finished lower secondary
# (THCS); 18 to 30: finished upper secondary (THPT) or vocational sơ cấp/trung cấp/
# cao đẳng (RECALLED, DOMAIN.md §2.2 #5). On-the-job training certified by an
# employer also counts: it is not recorded, the reviewer overrides with a note.
ADULT_EDUCATION_AGES = (16, 30)  # both included
ADULT_EDUCATION_SECOND_STEP = 18
# EducationLevel codes that meet the level, below / from the second step.
EDUCATION_ENOUGH_UNDER_18 = (
    "lower_secondary",
    "upper_secondary",
    "vocational",
    "higher",
)
EDUCATION_ENOUGH_FROM_18 = ("upper_secondary", "vocational", "higher")

# Indicator 7, chất lượng nhà ở: a non-durable dwelling, "trong ba kết cấu chính là
# tường, cột, mái thì có ít nhất hai kết cấu được làm bằng vật liệu không bền chắc"
# (RECALLED, DOMAIN.md §2.2 #7).
NON_DURABLE_STRUCTURES_DEPRIVED_FROM = 2
STRUCTURES = (
    ("wall_durable", "tường"),
    ("frame_durable", "cột (khung)"),
    ("roof_durable", "mái"),
)

# Indicator 9, nguồn nước sinh hoạt: (code, label, clean). Clean water per the
# guidance: piped water, drilled well, protected dug well, protected spring, rainwater,
# bottled water (RECALLED, DOMAIN.md §2.2 #9).
WATER_SOURCES = (
    ("piped", "Nước máy", True),
    ("drilled_well", "Giếng khoan", True),
    ("protected_dug_well", "Giếng đào được bảo vệ", True),
    ("protected_spring", "Nước khe, mó được bảo vệ", True),
    ("rainwater", "Nước mưa", True),
    ("bottled", "Nước đóng chai, bình", True),
    ("unprotected_dug_well", "Giếng đào không được bảo vệ", False),
    ("unprotected_spring", "Nước khe, mó không được bảo vệ", False),
    ("surface", "Nước sông, suối, ao, hồ", False),
    ("other", "Nguồn khác", False),
)
CLEAN_WATER_SOURCES = tuple(code for code, _, clean in WATER_SOURCES if clean)

# Indicator 10, nhà tiêu hợp vệ sinh: (code, label, hygienic). Hygienic types per the
# Bộ Y tế standards: septic or semi-septic, pour-flush, double-vault, ventilated pit
# (RECALLED, DOMAIN.md §2.2 #10).
LATRINE_TYPES = (
    ("septic", "Tự hoại, bán tự hoại", True),
    ("pour_flush", "Thấm dội nước", True),
    ("double_vault", "Hai ngăn", True),
    ("ventilated_pit", "Chìm có ống thông hơi", True),
    ("simple_pit", "Hố xí đơn giản, không hợp vệ sinh", False),
    ("over_water", "Cầu tõm (trên ao, sông, suối)", False),
    ("none", "Không có nhà tiêu", False),
)
HYGIENIC_LATRINE_TYPES = tuple(code for code, _, ok in LATRINE_TYPES if ok)

# Indicator 12, phương tiện phục vụ tiếp cận thông tin: the household has none of the
# devices below and does not hear the commune/village loudspeakers (RECALLED, DOMAIN.md
# §2.2 #12; the exact device list is unverified).
INFORMATION_DEVICES = (
    ("phone", "Điện thoại (thông minh hoặc thường)"),
    ("tv", "Tivi"),
    ("radio", "Radio"),
    ("computer", "Máy tính (để bàn, xách tay, bảng)"),
)


def _label(table: Sequence[tuple[str, ...]], code: str) -> str:
    return next((row[1] for row in table if row[0] == code), code)


def _names(members: Sequence[MemberFacts]) -> str:
    return ", ".join(m.full_name for m in members)


def derive_indicators(
    members: Sequence[MemberFacts],
    *,
    floor_area_m2: Decimal | None,
    on: date,
    dwelling: DwellingFacts | None = None,
) -> dict[str, DerivedIndicator]:
    """Compute the indicators that follow from the facts, on the review date.

    Indicators whose facts are missing (no members, no floor area, a dwelling fact not
    recorded) are left out, so the reviewer decides them by hand.
    """
    derived: dict[str, DerivedIndicator] = {}
    if dwelling is not None:
        derived.update(_from_dwelling(dwelling))
    if not members:
        return derived
    for indicator in (_employment(members, on), _adult_education(members, on)):
        derived[indicator.slug] = indicator

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

    derived["dinh_duong"] = _nutrition(members, on)

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


def _employment(members: Sequence[MemberFacts], on: date) -> DerivedIndicator:
    working = [m for m in members if m.of_working_age_on(on)]
    lacking = [m for m in working if m.employment in EMPLOYMENT_DEPRIVED]
    if lacking:
        who = ", ".join(
            f"{m.full_name} ({EMPLOYMENT_WORDS[m.employment]})" for m in lacking
        )
        text = f"Trong độ tuổi lao động: {who}."
    elif working:
        text = (
            "Không ai trong độ tuổi lao động thất nghiệp hoặc làm công không có "
            "hợp đồng lao động."
        )
    else:
        text = "Hộ không có thành viên trong độ tuổi lao động."
    return DerivedIndicator("viec_lam", bool(lacking), text)


def lacks_adult_education(member: MemberFacts, on: date) -> bool:
    """Indicator 5 for one member: aged 16 to 30, not in training, without the level
    for the age."""
    age = member.age_on(on)
    low, high = ADULT_EDUCATION_AGES
    if not low <= age <= high or member.employment == EMPLOYMENT_STUDENT:
        return False
    enough = (
        EDUCATION_ENOUGH_UNDER_18
        if age < ADULT_EDUCATION_SECOND_STEP
        else EDUCATION_ENOUGH_FROM_18
    )
    return member.education_level not in enough


def _adult_education(members: Sequence[MemberFacts], on: date) -> DerivedIndicator:
    low, high = ADULT_EDUCATION_AGES
    young = [m for m in members if low <= m.age_on(on) <= high]
    lacking = [m for m in young if lacks_adult_education(m, on)]
    if lacking:
        text = (
            "Từ 16 đến 30 tuổi, không đi học, chưa có bằng cấp theo độ tuổi (16–17: "
            f"THCS; 18–30: THPT hoặc học nghề): {_names(lacking)}."
        )
    elif young:
        text = (
            "Mọi thành viên từ 16 đến 30 tuổi đang đi học hoặc có bằng cấp theo "
            "độ tuổi."
        )
    else:
        text = "Hộ không có thành viên từ 16 đến 30 tuổi."
    return DerivedIndicator("trinh_do_giao_duc_nguoi_lon", bool(lacking), text)


def _nutrition(members: Sequence[MemberFacts], on: date) -> DerivedIndicator:
    children = [m for m in members if m.age_on(on) < CHILD_UNTIL and m.malnourished]
    if not children:
        return DerivedIndicator(
            "dinh_duong", False, "Không có trẻ em dưới 16 tuổi bị suy dinh dưỡng."
        )
    named = []
    for m in children:
        measures = [
            text
            for flag, text in ((m.stunted, "thấp còi"), (m.underweight, "nhẹ cân"))
            if flag
        ]
        named.append(f"{m.full_name} ({', '.join(measures)})")
    return DerivedIndicator(
        "dinh_duong",
        True,
        f"Trẻ em dưới 16 tuổi suy dinh dưỡng: {', '.join(named)}.",
    )


def _from_dwelling(facts: DwellingFacts) -> dict[str, DerivedIndicator]:
    derived: dict[str, DerivedIndicator] = {}
    housing = _housing(facts)
    if housing is not None:
        derived[housing.slug] = housing
    if facts.water_source:
        clean = facts.water_source in CLEAN_WATER_SOURCES
        derived["nguon_nuoc_sinh_hoat"] = DerivedIndicator(
            "nguon_nuoc_sinh_hoat",
            not clean,
            f"Nguồn nước sinh hoạt chính: {_label(WATER_SOURCES, facts.water_source)}"
            f" ({'nước sạch' if clean else 'không phải nguồn nước sạch'}).",
        )
    if facts.latrine_type:
        hygienic = facts.latrine_type in HYGIENIC_LATRINE_TYPES
        derived["nha_tieu_hop_ve_sinh"] = DerivedIndicator(
            "nha_tieu_hop_ve_sinh",
            not hygienic,
            f"Nhà tiêu: {_label(LATRINE_TYPES, facts.latrine_type)}"
            f" ({'hợp vệ sinh' if hygienic else 'không hợp vệ sinh'}).",
        )
    if facts.uses_internet is not None:
        derived["su_dung_dich_vu_vien_thong"] = DerivedIndicator(
            "su_dung_dich_vu_vien_thong",
            not facts.uses_internet,
            "Có thành viên sử dụng dịch vụ internet."
            if facts.uses_internet
            else "Không thành viên nào sử dụng dịch vụ internet.",
        )
    information = _information(facts)
    if information is not None:
        derived[information.slug] = information
    return derived


def _housing(facts: DwellingFacts) -> DerivedIndicator | None:
    """Deprived when at least 2 of the 3 structures are not durable; derived as soon
    as the recorded structures decide it (2 of the same kind)."""
    recorded = [(label, getattr(facts, name)) for name, label in STRUCTURES]
    weak = [label for label, durable in recorded if durable is False]
    strong = [label for label, durable in recorded if durable is True]
    needed = NON_DURABLE_STRUCTURES_DEPRIVED_FROM
    if len(weak) < needed and len(strong) <= len(STRUCTURES) - needed:
        return None
    deprived = len(weak) >= needed
    if weak:
        text = f"Kết cấu không bền chắc: {', '.join(weak)}"
    else:
        text = "Các kết cấu chính đều bền chắc"
    return DerivedIndicator(
        "chat_luong_nha_o",
        deprived,
        f"{text}; nhà không bền chắc khi có ít nhất 2 trong 3 kết cấu (tường, cột, "
        "mái) không bền chắc.",
    )


def _information(facts: DwellingFacts) -> DerivedIndicator | None:
    devices = facts.information_devices
    if devices:
        owned = ", ".join(_label(INFORMATION_DEVICES, d) for d in devices)
        return DerivedIndicator(
            "phuong_tien_tiep_can_thong_tin", False, f"Hộ có: {owned.lower()}."
        )
    if facts.hears_loudspeaker:
        return DerivedIndicator(
            "phuong_tien_tiep_can_thong_tin",
            False,
            "Hộ không có phương tiện nghe, xem nhưng nghe được loa truyền thanh "
            "xã, thôn.",
        )
    if devices is None or facts.hears_loudspeaker is None:
        return None
    return DerivedIndicator(
        "phuong_tien_tiep_can_thong_tin",
        True,
        "Hộ không có điện thoại, tivi, radio, máy tính và không nghe được loa "
        "truyền thanh xã, thôn.",
    )
