"""The demo commune: xã Cao Ngọc (huyện Ngọc Lặc, tỉnh Thanh Hóa) at the start of 2024.

`seed_demo()` builds sample data shaped like the commune of the 2024 plan
(docs/ke-hoach-2024.extract.md §a): 11 villages, exactly 1,229 households,
64 poor households after the end-2023 periodic review (64/1,229 = 5,21 %), 104
near-poor, and one demo account for every role of the plan (§c.0). People and village
names are invented, composed from Mường and Kinh name parts (NAMES.md): sample data,
not real people or places.

Rules the data keeps, so that later features can rely on them:

- Every household has one periodic review dated 15/09–10/12/2023. Its status is
  `poverty.classify` of its own income and indicators, never assigned by hand.
- Every one of the 12 indicators of a review is exactly what
  `indicators.derive_indicators` computes from the household's members and the
  review's Phiếu B2 facts (walls, frame, roof, water source, latrine, internet,
  information devices, loudspeaker) on the review date, and the review keeps that
  derivation. The reviewer's choice of household-level gaps comes first; the members'
  employment and education, then the dwelling facts (`ground_review`, drawn from their
  own `random.Random(FACTS_SEED)`), are made to agree with it.
- Members pass `Member.clean()` on the day of seeding. Attendance at school is a fact
  of "now" while the reviews date from 2023, so nobody is of school age (3 to under 16)
  at the review and 16 or over today: those ages are skipped when drawing children.
- One `random.Random(SEED)` drives every other choice: seeding on the same day always
  gives the same commune.

`seed_review_round_2024()` then plays the commune's year 2024 on top of it: the periodic
review round of 01/09–14/12/2024 re-reviews every household that was poor or near-poor
at the start of the year and 40 others, a poor and a near-poor household move away, two
households move in, and two households that had escaped poverty or near-poverty after a
2022 review fall back. Every movement of the diễn biến tables (`transitions.Transition`)
happens at least once, and the commune ends 2024 with 42 poor households against the
plan's 40, one village (Làng Cốc) missing its own target. Members are left as they
are, so every review of every year stays consistent with them: the improvements of
2024 are the reviewer's household-level findings (housing, water, latrine, access to
information), the floor area of the dwelling and the income.
"""

from __future__ import annotations

import random
import time
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from giamngheo.models import Role, User
from households import status_history
from households.indicators import (
    BHYT_MIN_AGE,
    CHILD_UNTIL,
    SCHOOL_AGE_FROM,
    SCHOOL_AGE_UNTIL,
    MemberFacts,
    derive_indicators,
    lacks_adult_education,
)
from households.models import (
    ArchiveReason,
    Commune,
    EducationLevel,
    Employment,
    Ethnicity,
    Household,
    MeetingVote,
    Member,
    Posting,
    PovertyCause,
    RecognitionDecision,
    Relationship,
    Review,
    ReviewKind,
    ReviewRound,
    Sex,
    Village,
    VillageMeeting,
    fold,
)
from households.poverty import STANDARD_2022_2025, PovertyStatus
from households.regions import Region
from households.transitions import Transition, start_of

SEED = 2024
FACTS_SEED = 2021_07  # the dwelling and nutrition facts (Phiếu B2), drawn apart

# How often each cause of poverty is found in the demo (report 10): the village plans
# (demo.tasks) draw theirs with the same weights.
CAUSE_WEIGHTS = {
    PovertyCause.CAPITAL: 6,
    PovertyCause.LAND: 3,
    PovertyCause.KNOWLEDGE: 3,
    PovertyCause.TOOLS: 2,
    PovertyCause.SKILLS: 2,
    PovertyCause.ILLNESS: 1,
    PovertyCause.LABOUR: 1,
}


def survey_causes(household: Household, status: str) -> list[str]:
    """The causes of poverty the survey records for a poor or near-poor review: a
    household without labour lacks labour (and is often ill), another has one to
    three causes by `CAUSE_WEIGHTS`. Drawn from the household's code alone, so the
    same household keeps its causes from one year to the next and the draw uses
    none of the register's random numbers (no classification can change)."""
    if status not in (PovertyStatus.POOR, PovertyStatus.NEAR_POOR):
        return []
    rng = random.Random(f"causes-{household.code}")
    if household.no_labour_capacity:
        causes = {PovertyCause.LABOUR}
        if rng.random() < 0.5:
            causes.add(PovertyCause.ILLNESS)
    else:
        pool = list(CAUSE_WEIGHTS)
        weights = [CAUSE_WEIGHTS[c] for c in pool]
        causes = set()
        for _ in range(rng.randint(1, 3)):
            causes.add(rng.choices(pool, weights)[0])
    return [str(c) for c in PovertyCause if c in causes]


# The day the demo is played at (households/clock.py, DEMO_WORKING_DATE):
# the end-2024 round is closed and recognised (14/12), the year's last duties (due
# 31/12) are still running, a few dated ones are late. The demo is built for this day,
# whatever day it is seeded or opened, so that it reads the same in 2026 as in 2024.
WORKING_DATE = date(2024, 12, 20)
COMMUNE_CODE = "cao-ngoc"
COMMUNE_NAME = "Cao Ngọc"
DISTRICT = "Ngọc Lặc"
PROVINCE = "Thanh Hóa"
CHAIRMAN_NAME = "Bùi Văn Thắng"
CHANGE_REASON = "Nạp dữ liệu mẫu (seed_demo)"
REVIEWS_FROM = date(2023, 9, 15)
REVIEWS_UNTIL = date(2023, 12, 10)
BATCH_SIZE = 500

POOR = PovertyStatus.POOR
NEAR_POOR = PovertyStatus.NEAR_POOR
MEDIUM = PovertyStatus.MEDIUM
NOT_POOR = PovertyStatus.NOT_POOR


# Every demo household has been on the register since long before the 2024 plan.
REGISTERED_ON = date(2015, 1, 1)


@dataclass(frozen=True)
class VillagePlan:
    """One village and how many households of each status its end-2023 review found."""

    name: str
    households: int
    poor: int
    near_poor: int
    medium: int

    @property
    def not_poor(self) -> int:
        return self.households - self.poor - self.near_poor - self.medium


# Invented names (NAMES.md). The remote villages are the poorer ones.
VILLAGES: tuple[VillagePlan, ...] = (
    VillagePlan("Làng Mới", 142, poor=4, near_poor=9, medium=7),
    VillagePlan("Thôn Quang Thịnh", 118, poor=3, near_poor=7, medium=5),
    VillagePlan("Làng Chiềng", 156, poor=5, near_poor=12, medium=8),
    VillagePlan("Làng Bột", 87, poor=9, near_poor=11, medium=6),
    VillagePlan("Làng Cốc", 96, poor=11, near_poor=13, medium=7),
    VillagePlan("Thôn Lập Thành", 131, poor=2, near_poor=6, medium=4),
    VillagePlan("Làng Ngọc Sơn", 74, poor=8, near_poor=10, medium=6),
    VillagePlan("Làng Đồng Chạ", 109, poor=6, near_poor=9, medium=6),
    VillagePlan("Thôn Tân Lập", 125, poor=3, near_poor=7, medium=5),
    VillagePlan("Làng Trò", 83, poor=7, near_poor=11, medium=6),
    VillagePlan("Làng Mốc", 108, poor=6, near_poor=9, medium=6),
)
TOTAL_HOUSEHOLDS = sum(v.households for v in VILLAGES)  # 1,229 (plan §a)
TOTAL_POOR = sum(v.poor for v in VILLAGES)  # 64 (plan §a)


@dataclass(frozen=True)
class DemoLogin:
    """A demo account: all share `settings.DEMO_PASSWORD` and work only in DEMO_MODE."""

    username: str
    role: Role
    job_title: str
    village_position: int | None = None

    @property
    def role_label(self) -> str:
        return str(self.role.label)

    @property
    def scope(self) -> str:
        if self.village_position is not None:
            return VILLAGES[self.village_position - 1].name
        return f"Xã {COMMUNE_NAME}"


def _village_head_title(village_name: str) -> str:
    # "Thôn Quang Thịnh" -> "Trưởng thôn Quang Thịnh"; "Làng Chiềng" keeps its word.
    rest = village_name.removeprefix("Thôn ")
    return f"Trưởng thôn {rest}"


# The parties of the plan (ke-hoach-2024.extract.md §c.0), one account each.
SECTOR_LOGINS: tuple[DemoLogin, ...] = tuple(
    DemoLogin(username, Role.SECTOR_OFFICER, title)
    for username, title in (
        ("diachinh_nn", "Công chức Địa chính - Nông nghiệp"),
        ("vanhoa", "Công chức Văn hóa thông tin"),
        ("vanphong", "Công chức Văn phòng - Thống kê"),
        ("truonghoc", "Các nhà trường"),
        ("tramyte", "Trạm Y tế xã"),
        ("diachinh_xd", "Công chức Địa chính - Xây dựng"),
        ("tuphap", "Công chức Tư pháp - Hộ tịch"),
        ("ketoan", "Công chức Kế toán - Ngân sách"),
        ("doanthe", "Các tổ chức chính trị - xã hội"),
        ("mattran", "Ủy ban MTTQ xã"),
    )
)
DEMO_LOGINS: tuple[DemoLogin, ...] = (
    DemoLogin("canbo", Role.OFFICER, "Công chức Lao động - Thương binh và Xã hội"),
    DemoLogin("chutich", Role.CHAIRMAN, "Chủ tịch UBND xã"),
    *(
        DemoLogin(
            f"truongthon{position}",
            Role.VILLAGE_HEAD,
            _village_head_title(village.name),
            village_position=position,
        )
        for position, village in enumerate(VILLAGES, start=1)
    ),
    *SECTOR_LOGINS,
)


def login_lines() -> list[str]:
    """One line per demo account, for the command and `make run` to print."""
    width = max(len(login.username) for login in DEMO_LOGINS)
    return [
        f"{login.username:<{width}}  {login.role_label} — {login.job_title} "
        f"({login.scope})"
        for login in DEMO_LOGINS
    ]


class DemoSeedError(Exception):
    """The demo cannot be loaded; the message says why, in Vietnamese."""


class DemoModeOffError(DemoSeedError):
    pass


@dataclass(frozen=True)
class VillageResult:
    position: int
    name: str
    households: int
    members: int
    poor: int
    near_poor: int
    medium: int
    not_poor: int


@dataclass(frozen=True)
class SeedResult:
    """What `seed_demo()` did; `created` is False when the demo was already there."""

    created: bool
    villages: tuple[VillageResult, ...] = ()
    users: int = 0
    seconds: float = 0.0

    @property
    def households(self) -> int:
        return sum(v.households for v in self.villages)

    @property
    def members(self) -> int:
        return sum(v.members for v in self.villages)

    @property
    def poor(self) -> int:
        return sum(v.poor for v in self.villages)

    @property
    def near_poor(self) -> int:
        return sum(v.near_poor for v in self.villages)

    @property
    def medium(self) -> int:
        return sum(v.medium for v in self.villages)

    @property
    def not_poor(self) -> int:
        return sum(v.not_poor for v in self.villages)


def require_demo_mode() -> None:
    """Raise DemoModeOffError unless `settings.DEMO_MODE` is on."""
    if not settings.DEMO_MODE:
        raise DemoModeOffError(
            "Chỉ nạp dữ liệu mẫu khi DEMO_MODE=True: các tài khoản mẫu dùng chung một "
            "mật khẩu công khai, không được có trên hệ thống thật."
        )


def seed_demo() -> SeedResult:
    """Create the demo commune, its households and the demo accounts, all or nothing.

    Raises DemoModeOffError unless `settings.DEMO_MODE` is on. Does nothing (and says
    so with `created=False`) when the commune `cao-ngoc` already exists.
    """
    require_demo_mode()
    started = time.perf_counter()
    with transaction.atomic():
        if Commune.objects.filter(code=COMMUNE_CODE).exists():
            return SeedResult(created=False)
        taken = sorted(
            User.objects.filter(
                username__in=[login.username for login in DEMO_LOGINS]
            ).values_list("username", flat=True)
        )
        if taken:
            raise DemoSeedError(
                "Không nạp được dữ liệu mẫu: đã có người dùng trùng tên đăng nhập "
                f"với tài khoản mẫu ({', '.join(taken)})."
            )
        builder = _Builder(random.Random(SEED), today=WORKING_DATE)
        villages, users = builder.build()
    return SeedResult(
        created=True,
        villages=villages,
        users=users,
        seconds=time.perf_counter() - started,
    )


# --- Names (NAMES.md) -------------------------------------------------------------

MUONG_FAMILY = {
    "Bùi": 22,
    "Quách": 12,
    "Phạm": 12,
    "Đinh": 10,
    "Hà": 10,
    "Trương": 8,
    "Bạch": 7,
    "Cao": 6,
    "Lê": 6,
    "Hoàng": 6,
}
KINH_FAMILY = {
    "Nguyễn": 30,
    "Lê": 12,
    "Trần": 10,
    "Phạm": 9,
    "Hoàng": 8,
    "Vũ": 7,
    "Đỗ": 7,
    "Ngô": 6,
    "Đặng": 6,
    "Lưu": 5,
}
MALE_MIDDLE = {"Văn": 60, "Đức": 12, "Đình": 10, "Minh": 10, "Xuân": 8}
MALE_MIDDLE_YOUNG = {"Văn": 30, "Minh": 25, "Đức": 25, "Đình": 10, "Xuân": 10}
FEMALE_MIDDLE = {"Thị": 80, "Ngọc": 8, "Thu": 6, "Hồng": 6}
FEMALE_MIDDLE_YOUNG = {"Thị": 45, "Ngọc": 20, "Hồng": 20, "Thu": 15}
MALE_GIVEN = (
    "Hùng", "Thắng", "Dũng", "Cường", "Tuấn", "Hải", "Sơn", "Long", "Bình", "Khánh",
    "Toàn", "Mạnh", "Thành", "Quyết", "Lực", "Chiến", "Tiến", "Hòa", "Đông", "Trung",
)  # fmt: skip
FEMALE_GIVEN = (
    "Lan", "Hoa", "Hương", "Huyền", "Thảo", "Mai", "Nga", "Ngân", "Xuân", "Hằng",
    "Thu", "Liên", "Tuyết", "Dung", "Vân", "Oanh", "Yến", "Nhung", "Phương", "Loan",
)  # fmt: skip


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


# --- Shapes of households, by the status their review will find -------------------

ELDERLY_ALONE = "elderly_alone"
ELDERLY_COUPLE = "elderly_couple"
YOUNG_COUPLE = "young_couple"
NUCLEAR = "nuclear"
SINGLE_PARENT = "single_parent"
THREE_GENERATIONS = "three_generations"
GRANDPARENTS = "grandparents_with_grandchildren"

KIND_WEIGHTS: dict[str, dict[str, int]] = {
    POOR: {
        ELDERLY_ALONE: 18,
        ELDERLY_COUPLE: 9,
        YOUNG_COUPLE: 3,
        NUCLEAR: 30,
        SINGLE_PARENT: 14,
        THREE_GENERATIONS: 14,
        GRANDPARENTS: 12,
    },
    NEAR_POOR: {
        ELDERLY_ALONE: 10,
        ELDERLY_COUPLE: 10,
        YOUNG_COUPLE: 5,
        NUCLEAR: 40,
        SINGLE_PARENT: 10,
        THREE_GENERATIONS: 17,
        GRANDPARENTS: 8,
    },
    MEDIUM: {
        ELDERLY_ALONE: 5,
        ELDERLY_COUPLE: 8,
        YOUNG_COUPLE: 7,
        NUCLEAR: 45,
        SINGLE_PARENT: 5,
        THREE_GENERATIONS: 22,
        GRANDPARENTS: 8,
    },
    NOT_POOR: {
        ELDERLY_ALONE: 3,
        ELDERLY_COUPLE: 7,
        YOUNG_COUPLE: 8,
        NUCLEAR: 48,
        SINGLE_PARENT: 3,
        THREE_GENERATIONS: 24,
        GRANDPARENTS: 7,
    },
}
# Households without anyone able to work are elderly ones, most often poor.
NO_LABOUR_KINDS = (ELDERLY_ALONE, ELDERLY_COUPLE, GRANDPARENTS)
NO_LABOUR_CHANCE = {POOR: 0.55, NEAR_POOR: 0.25, MEDIUM: 0.06, NOT_POOR: 0.015}

# How many of the 12 indicators a household is deprived on, by status.
DEPRIVATION_COUNT_WEIGHTS: dict[str, dict[int, int]] = {
    POOR: {3: 30, 4: 35, 5: 22, 6: 10, 7: 3},
    NEAR_POOR: {0: 20, 1: 42, 2: 38},
    MEDIUM: {0: 45, 1: 33, 2: 16, 3: 6},
    NOT_POOR: {0: 68, 1: 24, 2: 8},
}
# Chances that the members make the household deprived on an indicator.
UNINSURED_CHANCE = {POOR: 0.55, NEAR_POOR: 0.2, MEDIUM: 0.07, NOT_POOR: 0.03}
OUT_OF_SCHOOL_CHANCE = {POOR: 0.2, NEAR_POOR: 0.06, MEDIUM: 0.02, NOT_POOR: 0.01}
MALNOURISHED_CHANCE = {POOR: 0.3, NEAR_POOR: 0.1, MEDIUM: 0.04, NOT_POOR: 0.02}
FLOOR_AREA_PER_PERSON = {
    POOR: (4.5, 13.0),
    NEAR_POOR: (6.5, 18.0),
    MEDIUM: (7.5, 24.0),
    NOT_POOR: (9.0, 35.0),
}
# Household-level indicators (decided by the reviewer, not derived from members).
# Poor households are mostly deprived on housing, sanitation, water and information.
HOUSEHOLD_INDICATOR_WEIGHTS: dict[str, dict[str, int]] = {
    POOR: {
        "chat_luong_nha_o": 7,
        "nha_tieu_hop_ve_sinh": 7,
        "nguon_nuoc_sinh_hoat": 5,
        "phuong_tien_tiep_can_thong_tin": 4,
        "su_dung_dich_vu_vien_thong": 3,
        "trinh_do_giao_duc_nguoi_lon": 2,
        "viec_lam": 2,
    },
    "other": {
        "nha_tieu_hop_ve_sinh": 5,
        "su_dung_dich_vu_vien_thong": 4,
        "chat_luong_nha_o": 3,
        "trinh_do_giao_duc_nguoi_lon": 3,
        "viec_lam": 3,
        "nguon_nuoc_sinh_hoat": 2,
        "phuong_tien_tiep_can_thong_tin": 1,
    },
}
MAX_MEMBERS = 7
YOUNG_ADULT_AGE = range(16, 31)  # indicator 5: members aged 16–30
NON_WORKING_WAGE = (Employment.UNEMPLOYED, Employment.NO_CONTRACT)
# Indicators 1 and 5 follow from the members' employment and education, which
# `adjust_work_and_education` sets after the reviewer's choice.
WORK_AND_EDUCATION = ("viec_lam", "trinh_do_giao_duc_nguoi_lon")


@dataclass
class _Person:
    """A member being composed; becomes a `Member` once the household is settled."""

    full_name: str
    given: str
    family: str
    sex: Sex
    relationship: Relationship
    ethnicity: Ethnicity
    birth_year: int
    birth_date: date | None
    age: int  # on the review date
    age_today: int
    education_level: EducationLevel = EducationLevel.NONE
    employment: Employment = Employment.SELF_EMPLOYED
    has_health_insurance: bool = True
    health_insurance_number: str = ""
    health_insurance_expiry: date | None = None
    attends_school: bool | None = None
    stunted: bool = False
    underweight: bool = False
    has_disability: bool = False
    receives_social_allowance: bool = False

    def member(self, household: Household) -> Member:
        return Member(
            household=household,
            commune_id=household.commune_id,  # bulk_create sends no pre_save
            full_name=self.full_name,
            birth_year=self.birth_year,
            birth_date=self.birth_date,
            sex=self.sex,
            relationship=self.relationship,
            ethnicity=self.ethnicity,
            has_health_insurance=self.has_health_insurance,
            health_insurance_number=self.health_insurance_number,
            health_insurance_expiry=self.health_insurance_expiry,
            attends_school=self.attends_school,
            education_level=self.education_level,
            employment=self.employment,
            has_disability=self.has_disability,
            receives_social_allowance=self.receives_social_allowance,
            stunted=self.stunted,
            underweight=self.underweight,
        )


@dataclass
class _Family:
    """The household being composed: its people, the review date, the names in use."""

    review_date: date
    ethnicity: Ethnicity
    people: list[_Person] = field(default_factory=list)
    used_given: list[str] = field(default_factory=list)

    @property
    def room(self) -> int:
        return MAX_MEMBERS - len(self.people)


@dataclass(frozen=True)
class _ForcedHead:
    family: str
    middle: str
    given: str
    sex: Sex


@dataclass
class _Planned:
    household: Household
    members: list[Member]
    review: Review


class _Builder:
    """Composes the commune in memory, then writes it with a few bulk inserts."""

    def __init__(self, rng: random.Random, *, today: date) -> None:
        self.rng = rng
        self.today = today
        # The Phiếu B2 facts are drawn apart, after the register's own choices.
        self.facts_rng = random.Random(FACTS_SEED)

    # -- random helpers ------------------------------------------------------------

    def _pick[T](self, weights: dict[T, int]) -> T:
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def _sample_weighted(self, weights: dict[str, int], k: int) -> list[str]:
        pool = dict(weights)
        chosen: list[str] = []
        while pool and len(chosen) < k:
            slug = self._pick(pool)
            chosen.append(slug)
            del pool[slug]
        return chosen

    def _family_name(self, ethnicity: Ethnicity) -> str:
        return self._pick(KINH_FAMILY if ethnicity == Ethnicity.KINH else MUONG_FAMILY)

    def _middle(self, sex: Sex, birth_year: int) -> str:
        young = birth_year >= 2000
        if sex == Sex.MALE:
            return self._pick(MALE_MIDDLE_YOUNG if young else MALE_MIDDLE)
        return self._pick(FEMALE_MIDDLE_YOUNG if young else FEMALE_MIDDLE)

    def _given(self, sex: Sex, middle: str, used: Sequence[str]) -> str:
        names = MALE_GIVEN if sex == Sex.MALE else FEMALE_GIVEN
        free = [n for n in names if n not in used and n != middle]
        return self.rng.choice(free or list(names))

    def name(self, sex: Sex, ethnicity: Ethnicity, birth_year: int = 1975) -> str:
        """A composed full name (family + middle + given) for a staff member."""
        middle = self._middle(sex, birth_year)
        given = self._given(sex, middle, ())
        return _nfc(f"{self._family_name(ethnicity)} {middle} {given}")

    # -- ages ----------------------------------------------------------------------

    def _age_is_consistent(self, age_at_review: int, age_today: int) -> bool:
        # School attendance is recorded for today's age, the review used the 2023 age:
        # someone of school age at the review must still be of school age today.
        if age_at_review < 0:
            return False
        in_school_age_then = SCHOOL_AGE_FROM <= age_at_review < SCHOOL_AGE_UNTIL
        return not (in_school_age_then and age_today >= SCHOOL_AGE_UNTIL)

    def allowed_child_ages(self, low: int, high: int) -> list[int]:
        gap = self.today.year - REVIEWS_UNTIL.year
        return [
            a
            for a in range(max(low, 0), high + 1)
            if self._age_is_consistent(a, a + gap)
        ]

    def _birth(self, age: int, on: date) -> tuple[int, date | None, int, int]:
        """Birth year, sometimes a birth date, and the ages on `on` and today."""
        birth_year = on.year - age
        if self.rng.random() < 0.35:
            birth_date = date(birth_year, 1, 1) + timedelta(
                days=self.rng.randrange(365)
            )
            at_review = _age(birth_year, birth_date, on)
            today = _age(birth_year, birth_date, self.today)
            if self._age_is_consistent(at_review, today) and birth_date <= on:
                return birth_year, birth_date, at_review, today
        return birth_year, None, age, self.today.year - birth_year

    # -- people --------------------------------------------------------------------

    def person(
        self,
        family: _Family,
        *,
        family_name: str,
        sex: Sex,
        relationship: Relationship,
        age: int,
        ethnicity: Ethnicity | None = None,
        forced: _ForcedHead | None = None,
    ) -> _Person:
        birth_year, birth_date, age_then, age_now = self._birth(age, family.review_date)
        if forced is not None:
            middle, given = forced.middle, forced.given
        else:
            middle = self._middle(sex, birth_year)
            given = self._given(sex, middle, family.used_given)
        family.used_given.append(given)
        person = _Person(
            full_name=_nfc(f"{family_name} {middle} {given}"),
            given=given,
            family=family_name,
            sex=sex,
            relationship=relationship,
            ethnicity=ethnicity or family.ethnicity,
            birth_year=birth_year,
            birth_date=birth_date,
            age=age_then,
            age_today=age_now,
        )
        family.people.append(person)
        return person

    def _partner_ethnicity(self, ethnicity: Ethnicity) -> Ethnicity:
        if self.rng.random() < 0.04:
            return Ethnicity.MUONG if ethnicity == Ethnicity.KINH else Ethnicity.KINH
        return ethnicity

    def _partner(
        self, family: _Family, head: _Person, *, age_gap: tuple[int, int]
    ) -> _Person:
        """The head's spouse: of the other sex, with a family name of their own."""
        ethnicity = self._partner_ethnicity(family.ethnicity)
        sex = Sex.FEMALE if head.sex == Sex.MALE else Sex.MALE
        gap = self.rng.randint(*age_gap)
        age = head.age - gap if head.sex == Sex.MALE else head.age + gap
        return self.person(
            family,
            family_name=self._family_name(ethnicity),
            sex=sex,
            relationship=Relationship.SPOUSE,
            age=max(age, 18),
            ethnicity=ethnicity,
        )

    def _children(
        self,
        family: _Family,
        *,
        count: int,
        family_name: str,
        mother_age: int,
        relationship: Relationship,
        low: int = 0,
        high: int = 28,
    ) -> list[_Person]:
        ages = self.allowed_child_ages(low, min(high, mother_age - 19))
        count = min(count, len(ages), family.room)
        chosen = sorted(self.rng.sample(ages, count), reverse=True) if count > 0 else []
        return [
            self.person(
                family,
                family_name=family_name,
                sex=Sex.MALE if self.rng.random() < 0.52 else Sex.FEMALE,
                relationship=relationship,
                age=age,
            )
            for age in chosen
        ]

    def _child_count(self, status: str) -> int:
        if status == POOR:
            return self._pick({1: 20, 2: 40, 3: 28, 4: 12})
        return self._pick({1: 35, 2: 48, 3: 14, 4: 3})

    def _head(
        self,
        family: _Family,
        *,
        sex: Sex,
        age: int,
        forced: _ForcedHead | None,
    ) -> _Person:
        if forced is not None:
            return self.person(
                family,
                family_name=forced.family,
                sex=forced.sex,
                relationship=Relationship.HEAD,
                age=age,
                forced=forced,
            )
        return self.person(
            family,
            family_name=self._family_name(family.ethnicity),
            sex=sex,
            relationship=Relationship.HEAD,
            age=age,
        )

    def compose(
        self, family: _Family, kind: str, status: str, forced: _ForcedHead | None
    ) -> None:
        """Fill `family.people`: 1–7 people, exactly one head, plausible ages."""
        rng = self.rng
        if forced is not None:
            head = self._head(
                family, sex=forced.sex, age=rng.randint(40, 58), forced=forced
            )
            if forced.sex == Sex.MALE:
                wife = self._partner(family, head, age_gap=(0, 6))
                father_name, mother_age = head.family, wife.age
            else:
                husband = self._partner(family, head, age_gap=(0, 5))
                father_name, mother_age = husband.family, head.age
            self._children(
                family,
                count=self._child_count(status),
                family_name=father_name,
                mother_age=mother_age,
                relationship=Relationship.CHILD,
            )
            return

        if kind == ELDERLY_ALONE:
            sex = Sex.FEMALE if rng.random() < 0.65 else Sex.MALE
            self._head(family, sex=sex, age=rng.randint(62, 90), forced=None)
        elif kind == ELDERLY_COUPLE:
            head = self._head(
                family, sex=Sex.MALE, age=rng.randint(60, 86), forced=None
            )
            self._partner(family, head, age_gap=(0, 8))
        elif kind == YOUNG_COUPLE:
            head = self._head(
                family, sex=Sex.MALE, age=rng.randint(20, 32), forced=None
            )
            self._partner(family, head, age_gap=(0, 5))
        elif kind == NUCLEAR:
            sex = Sex.FEMALE if rng.random() < 0.12 else Sex.MALE
            head = self._head(family, sex=sex, age=rng.randint(24, 58), forced=None)
            partner = self._partner(family, head, age_gap=(-2, 7))
            husband, wife = (head, partner) if head.sex == Sex.MALE else (partner, head)
            self._children(
                family,
                count=self._child_count(status),
                family_name=husband.family,
                mother_age=wife.age,
                relationship=Relationship.CHILD,
            )
        elif kind == SINGLE_PARENT:
            sex = Sex.FEMALE if rng.random() < 0.85 else Sex.MALE
            head = self._head(family, sex=sex, age=rng.randint(24, 52), forced=None)
            # Children carry their father's family name, present or not.
            father_name = (
                head.family if sex == Sex.MALE else self._family_name(family.ethnicity)
            )
            mother_age = head.age if sex == Sex.FEMALE else head.age - rng.randint(0, 5)
            self._children(
                family,
                count=self._pick({1: 45, 2: 40, 3: 15}),
                family_name=father_name,
                mother_age=mother_age,
                relationship=Relationship.CHILD,
                high=20,
            )
        elif kind == THREE_GENERATIONS:
            if rng.random() < 0.5:
                self._with_parents(family, status)
            else:
                self._with_married_child(family)
        else:  # GRANDPARENTS: the parents work away; grandparents raise the children
            if rng.random() < 0.5:
                head = self._head(
                    family, sex=Sex.MALE, age=rng.randint(55, 80), forced=None
                )
                self._partner(family, head, age_gap=(0, 6))
                paternal = rng.random() < 0.6
            else:
                head = self._head(
                    family, sex=Sex.FEMALE, age=rng.randint(55, 80), forced=None
                )
                paternal = False
            self._children(
                family,
                count=self._pick({1: 50, 2: 35, 3: 15}),
                family_name=head.family
                if paternal
                else self._family_name(family.ethnicity),
                mother_age=head.age - 20,
                relationship=Relationship.GRANDCHILD,
                low=1,
                high=17,
            )

    def _with_parents(self, family: _Family, status: str) -> None:
        """A couple, their children and one or both of the head's parents."""
        rng = self.rng
        sex = Sex.FEMALE if rng.random() < 0.1 else Sex.MALE
        head = self._head(family, sex=sex, age=rng.randint(28, 52), forced=None)
        partner = self._partner(family, head, age_gap=(-2, 6))
        husband, wife = (head, partner) if head.sex == Sex.MALE else (partner, head)
        father_age = min(head.age + rng.randint(22, 34), 92)
        mother_age = max(father_age - rng.randint(0, 6), head.age + 19)
        which = self._pick({"both": 45, "mother": 40, "father": 15})
        if which in ("both", "father"):
            self.person(
                family,
                family_name=head.family,
                sex=Sex.MALE,
                relationship=Relationship.PARENT,
                age=father_age,
            )
        if which in ("both", "mother"):
            self.person(
                family,
                family_name=self._family_name(family.ethnicity),
                sex=Sex.FEMALE,
                relationship=Relationship.PARENT,
                age=mother_age,
            )
        self._children(
            family,
            count=min(self._child_count(status), 3),
            family_name=husband.family,
            mother_age=wife.age,
            relationship=Relationship.CHILD,
        )

    def _with_married_child(self, family: _Family) -> None:
        """An elderly head, a married son or daughter with a spouse, grandchildren."""
        rng = self.rng
        widowed = rng.random() < 0.25
        head = self._head(
            family,
            sex=Sex.FEMALE if widowed else Sex.MALE,
            age=rng.randint(55, 75),
            forced=None,
        )
        if not widowed:
            self._partner(family, head, age_gap=(0, 6))
        own_family = (
            head.family if head.sex == Sex.MALE else self._family_name(family.ethnicity)
        )
        ages = [a for a in range(22, head.age - 19) if a <= 45]
        child_age = rng.choice(ages) if ages else 22
        if rng.random() < 0.8:  # a son and his wife
            son = self.person(
                family,
                family_name=own_family,
                sex=Sex.MALE,
                relationship=Relationship.CHILD,
                age=child_age,
            )
            in_law = self._partner(family, son, age_gap=(-2, 5))
            in_law.relationship = Relationship.CHILD_IN_LAW
            grandchildren_name, mother_age = son.family, in_law.age
        else:  # a daughter whose husband lives with her parents (ở rể)
            daughter = self.person(
                family,
                family_name=own_family,
                sex=Sex.FEMALE,
                relationship=Relationship.CHILD,
                age=child_age,
            )
            in_law = self._partner(family, daughter, age_gap=(0, 5))
            in_law.relationship = Relationship.CHILD_IN_LAW
            grandchildren_name, mother_age = in_law.family, daughter.age
        self._children(
            family,
            count=self._pick({1: 45, 2: 40, 3: 15}),
            family_name=grandchildren_name,
            mother_age=mother_age,
            relationship=Relationship.GRANDCHILD,
        )

    # -- facts of each person ------------------------------------------------------

    def occupy(self, people: list[_Person], *, status: str, no_labour: bool) -> None:
        """Education, employment, disability, social allowance: from age and status."""
        rng = self.rng
        for p in people:
            age = p.age
            if age < SCHOOL_AGE_FROM:
                p.education_level, p.employment = EducationLevel.NONE, Employment.CHILD
            elif age < CHILD_UNTIL:
                p.education_level = (
                    EducationLevel.NONE
                    if age < 11
                    else EducationLevel.PRIMARY
                    if age < 15
                    else EducationLevel.LOWER_SECONDARY
                )
                p.employment = Employment.CHILD
            elif age < 18:
                p.education_level = EducationLevel.LOWER_SECONDARY
                p.employment = (
                    Employment.STUDENT
                    if rng.random() < 0.85
                    else Employment.SELF_EMPLOYED
                )
            elif age <= 30:
                better = status in (MEDIUM, NOT_POOR)
                p.education_level = self._pick(
                    {
                        EducationLevel.UPPER_SECONDARY: 55,
                        EducationLevel.VOCATIONAL: 20,
                        EducationLevel.HIGHER: 10 if better else 3,
                        EducationLevel.LOWER_SECONDARY: 15,
                    }
                )
                if age <= 22 and rng.random() < 0.25:
                    p.employment = Employment.STUDENT
                else:
                    p.employment = self._pick(
                        {
                            Employment.SELF_EMPLOYED: 60,
                            Employment.CONTRACT: 25 if better else 12,
                            Employment.NO_CONTRACT: 10,
                            Employment.NOT_WORKING: 5,
                        }
                    )
            elif age < 60:
                p.education_level = self._pick(
                    {
                        EducationLevel.LOWER_SECONDARY: 45,
                        EducationLevel.PRIMARY: 25,
                        EducationLevel.UPPER_SECONDARY: 20,
                        EducationLevel.VOCATIONAL: 7,
                        EducationLevel.HIGHER: 3,
                    }
                )
                p.employment = self._pick(
                    {
                        Employment.SELF_EMPLOYED: 75,
                        Employment.CONTRACT: 10,
                        Employment.NOT_WORKING: 10,
                        Employment.NO_CONTRACT: 5,
                    }
                )
            else:
                p.education_level = self._pick(
                    {
                        EducationLevel.PRIMARY: 40,
                        EducationLevel.NONE: 30,
                        EducationLevel.LOWER_SECONDARY: 25,
                        EducationLevel.UPPER_SECONDARY: 5,
                    }
                )
                p.employment = (
                    Employment.NOT_WORKING
                    if rng.random() < 0.6
                    else Employment.SELF_EMPLOYED
                )
            if no_labour and age >= 16 and p.employment != Employment.STUDENT:
                p.employment = Employment.NOT_WORKING
            disability_chance = 0.25 if no_labour else 0.04 if status == POOR else 0.012
            p.has_disability = age >= 6 and rng.random() < disability_chance
            alone = len(people) == 1
            if age >= 80:
                p.receives_social_allowance = rng.random() < 0.85
            elif age >= 60 and status == POOR and alone:
                p.receives_social_allowance = rng.random() < 0.5
            elif p.has_disability:
                p.receives_social_allowance = rng.random() < 0.6

    def school_and_health(self, family: _Family, *, status: str) -> None:
        """Attendance, nutrition and BHYT cards, with a few gaps by status."""
        rng = self.rng
        people = family.people
        for p in people:
            # Member.clean(): attendance only for today's 3 to under 16.
            if SCHOOL_AGE_FROM <= p.age_today < SCHOOL_AGE_UNTIL:
                p.attends_school = True
                if p.age >= 6:
                    p.employment = Employment.STUDENT
        at_school_age = [
            p for p in people if SCHOOL_AGE_FROM <= p.age < SCHOOL_AGE_UNTIL
        ]
        if at_school_age and rng.random() < OUT_OF_SCHOOL_CHANCE[status]:
            dropout = rng.choice(at_school_age)
            dropout.attends_school = False
            dropout.employment = Employment.CHILD
        young = [p for p in people if p.age_today < CHILD_UNTIL]
        if young and rng.random() < MALNOURISHED_CHANCE[status]:
            child = rng.choice(sorted(young, key=lambda p: p.age)[:2])
            # Which of the two measures: from the facts' own generator, so that the
            # register's other choices stay as they were.
            measure = self.facts_rng.choice(("stunted", "underweight", "underweight"))
            setattr(child, measure, True)

        for p in people:
            p.has_health_insurance = True
        needing_card = [p for p in people if p.age >= BHYT_MIN_AGE]
        if needing_card and rng.random() < UNINSURED_CHANCE[status]:
            adults = [p for p in needing_card if p.age >= 18]
            pool = adults if status != POOR and adults else needing_card
            for p in rng.sample(pool, min(len(pool), rng.choice((1, 1, 2)))):
                p.has_health_insurance = False
        for p in people:
            if p.has_health_insurance and rng.random() < 0.6:
                p.health_insurance_number = self._card_number(p, status)
                expiry_year = max(family.review_date.year + 1, self.today.year)
                p.health_insurance_expiry = date(
                    expiry_year + rng.randint(0, 1), 12, 31
                )

    def _card_number(self, person: _Person, status: str) -> str:
        # Object code, benefit level, province code 38 (Thanh Hóa), 10 digits.
        if person.age < BHYT_MIN_AGE:
            prefix = "TE1"
        elif status == POOR:
            prefix = "HN2"
        elif status == NEAR_POOR:
            prefix = "CN3"
        elif person.ethnicity != Ethnicity.KINH:
            prefix = "DT2"
        elif person.employment == Employment.STUDENT:
            prefix = "HS4"
        else:
            prefix = "GD4"
        return f"{prefix}38{self.rng.randrange(10**10):010d}"

    def adjust_work_and_education(
        self, people: list[_Person], deprived: list[str], *, on: date
    ) -> None:
        """Make employment and adult education agree with the reviewer's indicators."""
        working = _working(people, on)
        if "viec_lam" in deprived:
            if not any(p.employment in NON_WORKING_WAGE for p in working):
                self.rng.choice(working).employment = self._pick(
                    {Employment.NO_CONTRACT: 7, Employment.UNEMPLOYED: 3}
                )
        else:
            for p in working:
                if p.employment in NON_WORKING_WAGE:
                    p.employment = Employment.SELF_EMPLOYED
        young_adults = [p for p in people if p.age in YOUNG_ADULT_AGE]
        if "trinh_do_giao_duc_nguoi_lon" in deprived:
            if not any(_lacks_education(p, on) for p in young_adults):
                p = self.rng.choice(young_adults)
                if p.employment == Employment.STUDENT:
                    p.employment = Employment.SELF_EMPLOYED
                p.education_level = (
                    EducationLevel.PRIMARY
                    if p.age < 18
                    else EducationLevel.LOWER_SECONDARY
                )
        else:
            for p in young_adults:
                if _lacks_education(p, on):
                    p.education_level = (
                        EducationLevel.LOWER_SECONDARY
                        if p.age < 18
                        else EducationLevel.UPPER_SECONDARY
                    )

    # -- households ----------------------------------------------------------------

    def _floor_area(self, status: str, size: int) -> Decimal:
        low, high = FLOOR_AREA_PER_PERSON[status]
        area = max(12.0, self.rng.uniform(low, high) * size)
        return Decimal(round(area * 2) / 2).quantize(Decimal("0.1"))

    def _derived(self, family: _Family, area: Decimal) -> list[str]:
        """The member-derived deprivations, work and education aside (the reviewer's
        choice sets those, then the members are made to agree)."""
        facts = [_facts(p) for p in family.people]
        derived = derive_indicators(facts, floor_area_m2=area, on=family.review_date)
        return [
            slug
            for slug, d in derived.items()
            if d.deprived and slug not in WORK_AND_EDUCATION
        ]

    def plan_household(
        self,
        *,
        commune: Commune,
        village: Village,
        number: int,
        status: str,
        review_date: date,
        reviewer_name: str,
        recorded_by: User,
        forced: _ForcedHead | None = None,
    ) -> _Planned:
        rng = self.rng
        ethnicity = Ethnicity.KINH if rng.random() < 0.05 else Ethnicity.MUONG
        if forced is not None:  # the village head's own household
            ethnicity, kind = Ethnicity.MUONG, NUCLEAR
        else:
            kind = self._pick(KIND_WEIGHTS[status])
        family = _Family(review_date=review_date, ethnicity=ethnicity)
        self.compose(family, kind, status, forced)
        people = family.people
        no_labour = kind in NO_LABOUR_KINDS and rng.random() < NO_LABOUR_CHANCE[status]
        self.occupy(people, status=status, no_labour=no_labour)
        self.school_and_health(family, status=status)
        area = self._floor_area(status, len(people))

        from_members = self._derived(family, area)
        if status == NEAR_POOR:
            # Near-poor means at most 2 deprivations: settle the members' side first,
            # giving up the more unusual gaps before the uninsured members.
            for fix in (
                self._fix_floor_area,
                self._fix_nutrition,
                self._fix_school,
                self._fix_insurance,
            ):
                if len(from_members) <= 2:
                    break
                area = fix(family, area)
                from_members = self._derived(family, area)

        wanted = self._pick(DEPRIVATION_COUNT_WEIGHTS[status])
        if status == POOR:
            wanted = max(wanted, 3)
        weights = dict(HOUSEHOLD_INDICATOR_WEIGHTS[POOR if status == POOR else "other"])
        if not _working(people, review_date):
            del weights["viec_lam"]
        if not any(p.age in YOUNG_ADULT_AGE for p in people):
            del weights["trinh_do_giao_duc_nguoi_lon"]
        by_reviewer = self._sample_weighted(weights, max(0, wanted - len(from_members)))
        self.adjust_work_and_education(people, by_reviewer, on=review_date)
        deprived = [*from_members, *by_reviewer]

        code = f"CN-{village.position:02d}-{number:04d}"
        household = Household(
            commune=commune,
            village=village,
            code=code,
            address=f"{village.name}, xã {commune.name}",
            ethnicity=ethnicity,
            has_meritorious_person=rng.random() < 0.025,
            no_labour_capacity=no_labour,
            registered_on=REGISTERED_ON,
            search_text=fold(f"{code} {' '.join(p.full_name for p in people)}"),
        )
        members = [p.member(household) for p in people]
        review = Review(
            household=household,
            review_date=review_date,
            kind=ReviewKind.PERIODIC,
            reviewer_name=reviewer_name,
            recorded_by=recorded_by,
            income_per_person_month=self._income(status, no_labour=no_labour),
            floor_area_m2=area,
            household_size=len(members),
            standard_code=STANDARD_2022_2025.code,
        )
        for slug in deprived:
            setattr(review, slug, True)
        # bulk_create skips Review.save(): classify here, as save() would.
        review.status = review.classify().status
        if review.status != status:  # pragma: no cover - a bug in this module
            raise AssertionError(
                f"{code}: expected {status}, classified {review.status}"
            )
        review.poverty_causes = survey_causes(household, review.status)
        return _Planned(household, members, review)

    def _fix_floor_area(self, family: _Family, area: Decimal) -> Decimal:
        minimum = 8 * len(family.people) + self.rng.randint(2, 20)
        return max(area, Decimal(minimum).quantize(Decimal("0.1")))

    def _fix_nutrition(self, family: _Family, area: Decimal) -> Decimal:
        for p in family.people:
            p.stunted = p.underweight = False
        return area

    def _fix_school(self, family: _Family, area: Decimal) -> Decimal:
        for p in family.people:
            if p.attends_school is False:
                p.attends_school = True
                p.employment = Employment.STUDENT if p.age >= 6 else Employment.CHILD
        return area

    def _fix_insurance(self, family: _Family, area: Decimal) -> Decimal:
        for p in family.people:
            p.has_health_insurance = True
        return area

    def _income(self, status: str, *, no_labour: bool) -> int:
        rng = self.rng
        if status == POOR:
            tens = rng.randint(55, 120) if no_labour else rng.randint(70, 145)
        elif status == NEAR_POOR:
            tens = rng.randint(100, 150)
        elif status == MEDIUM:
            tens = rng.randint(151, 225)
        else:
            tens = int(rng.triangular(226, 600, 300))
        return tens * 10_000

    # -- the commune ---------------------------------------------------------------

    def build(self) -> tuple[tuple[VillageResult, ...], int]:
        rng = self.rng
        commune = Commune.objects.create(
            name=COMMUNE_NAME,
            code=COMMUNE_CODE,
            district=DISTRICT,
            province=PROVINCE,
            is_urban=False,
            # Thanh Hóa lies in Bắc Trung Bộ và Duyên hải miền Trung (DOMAIN.md §3.7).
            region=Region.NORTH_CENTRAL_COAST,
            chairman_name=CHAIRMAN_NAME,
        )
        villages = Village.objects.bulk_create(
            [
                Village(commune=commune, name=plan.name, position=position)
                for position, plan in enumerate(VILLAGES, start=1)
            ]
        )
        heads: list[_ForcedHead] = []
        for _village in villages:
            sex = Sex.MALE if rng.random() < 0.8 else Sex.FEMALE
            middle = self._middle(sex, 1970)
            heads.append(
                _ForcedHead(
                    family=self._family_name(Ethnicity.MUONG),
                    middle=middle,
                    given=self._given(sex, middle, ()),
                    sex=sex,
                )
            )
        users = self._users(commune, villages, heads)
        village_heads = {u.village_id: u for u in users if u.role == Role.VILLAGE_HEAD}

        planned: list[_Planned] = []
        results: list[VillageResult] = []
        for village, plan, head in zip(villages, VILLAGES, heads, strict=True):
            statuses = (
                [POOR] * plan.poor
                + [NEAR_POOR] * plan.near_poor
                + [MEDIUM] * plan.medium
                + [NOT_POOR] * plan.not_poor
            )
            rng.shuffle(statuses)
            # The village head lives in the village, in a household that is not poor.
            own_index = rng.choice([i for i, s in enumerate(statuses) if s == NOT_POOR])
            head_name = _nfc(f"{head.family} {head.middle} {head.given}")
            first_day = REVIEWS_FROM + timedelta(days=7 * (village.position - 1))
            rows = [
                self.plan_household(
                    commune=commune,
                    village=village,
                    number=index + 1,
                    status=status,
                    review_date=min(
                        first_day + timedelta(days=rng.randint(0, 14)), REVIEWS_UNTIL
                    ),
                    reviewer_name=head_name,
                    recorded_by=village_heads[village.pk],
                    forced=head if index == own_index else None,
                )
                for index, status in enumerate(statuses)
            ]
            planned.extend(rows)
            results.append(
                VillageResult(
                    position=village.position,
                    name=village.name,
                    households=len(rows),
                    members=sum(len(r.members) for r in rows),
                    poor=statuses.count(POOR),
                    near_poor=statuses.count(NEAR_POOR),
                    medium=statuses.count(MEDIUM),
                    not_poor=statuses.count(NOT_POOR),
                )
            )

        history = {"batch_size": BATCH_SIZE, "default_change_reason": CHANGE_REASON}
        households = bulk_create_with_history(
            [p.household for p in planned], Household, **history
        )
        if any(h.pk is None for h in households):  # pragma: no cover - old databases
            raise DemoSeedError("Cơ sở dữ liệu không trả về khóa của các hộ vừa tạo.")
        for p in planned:
            ground_review(p.review, [m.facts() for m in p.members], rng=self.facts_rng)
        bulk_create_with_history(
            [m for p in planned for m in p.members], Member, **history
        )
        bulk_create_with_history([p.review for p in planned], Review, **history)
        # bulk_create skips the signals that keep the status periods.
        status_history.refresh_households(p.review.household_id for p in planned)
        return tuple(results), len(users)

    def _users(
        self, commune: Commune, villages: list[Village], heads: list[_ForcedHead]
    ) -> list[User]:
        # One hash for all: the accounts share the published demo password.
        password = make_password(settings.DEMO_PASSWORD)
        by_position = {v.position: v for v in villages}
        users: list[User] = []
        for login in DEMO_LOGINS:
            village = (
                by_position[login.village_position]
                if login.village_position is not None
                else None
            )
            if login.role == Role.CHAIRMAN:
                full_name = CHAIRMAN_NAME
            elif village is not None:
                head = heads[village.position - 1]
                full_name = _nfc(f"{head.family} {head.middle} {head.given}")
            else:
                sex = Sex.FEMALE if self.rng.random() < 0.45 else Sex.MALE
                full_name = self.name(
                    sex, Ethnicity.MUONG, self.rng.randint(1970, 1995)
                )
            last_name, first_name = split_name(full_name)
            user = User(
                username=login.username,
                first_name=first_name,
                last_name=last_name,
                role=login.role,
                job_title=login.job_title,
                commune=commune,
                village=village,
                password=password,
            )
            user.is_demo = True  # after the password: set_password() clears it
            users.append(user)
        return User.objects.bulk_create(users)


def split_name(full_name: str) -> tuple[str, str]:
    """ "Bùi Văn Thắng" -> ("Bùi Văn", "Thắng"): họ và tên đệm (last_name), tên."""
    family_and_middle, _, given = full_name.rpartition(" ")
    return family_and_middle, given


def _age(birth_year: int, birth_date: date, on: date) -> int:
    return MemberFacts(
        full_name="", birth_year=birth_year, birth_date=birth_date
    ).age_on(on)


def _facts(person: _Person) -> MemberFacts:
    """What `derive_indicators` reads, as `Member.facts()` would give it."""
    return MemberFacts(
        full_name=person.full_name,
        birth_year=person.birth_year,
        birth_date=person.birth_date,
        has_health_insurance=person.has_health_insurance,
        health_insurance_expiry=person.health_insurance_expiry,
        attends_school=person.attends_school,
        receives_social_allowance=person.receives_social_allowance,
        stunted=person.stunted,
        underweight=person.underweight,
        sex=person.sex,
        employment=person.employment,
        education_level=person.education_level,
    )


def _working(people: Sequence[_Person], on: date) -> list[_Person]:
    """Adults of working age (indicator 1) who are not in training: the members whose
    work makes the household deprived or not."""
    return [
        p
        for p in people
        if p.age >= 16
        and p.employment != Employment.STUDENT
        and _facts(p).of_working_age_on(on)
    ]


def _lacks_education(person: _Person, on: date) -> bool:
    """Indicator 5 for one member (households.indicators)."""
    return lacks_adult_education(_facts(person), on)


# --- The year 2024: the end-2024 review round (seed_review_round_2024) ------------

SEED_2024 = 20241214
YEAR_2024 = 2024
ROUND_OPENED_ON = date(2024, 9, 1)
ROUND_CLOSED_ON = date(2024, 12, 14)
REVIEWS_2024_FROM = date(2024, 9, 15)
REVIEWS_2024_UNTIL = date(2024, 12, 10)
# The 2022 periodic review that had found the two re-fallen households poor/near-poor.
EARLIER_REVIEW_ON = date(2022, 11, 10)
POOR_LEFT_ON = date(2024, 6, 20)
NEAR_POOR_LEFT_ON = date(2024, 8, 12)
# The procedure of the round (QĐ 24/2021 Điều 4): each village meets the day after
# its last review (at the latest on 10/12), the lists are posted for three working
# days (Wed 11/12 – Fri 13/12/2024), and the chairman recognises them on 14/12.
POSTED_2024 = (date(2024, 12, 11), date(2024, 12, 13))
MEETINGS_2024_UNTIL = date(2024, 12, 10)
DECISION_2024 = "215/QĐ-UBND"
OFFICER_USERNAME = "canbo"
CHANGE_REASON_2024 = "Nạp dữ liệu mẫu năm 2024 (seed_demo)"

# How the households of each village (by position) move in 2024; every household that
# was poor or near-poor at the start and is not listed here keeps its status. With the
# allocation of the 24 households to lift (largest remainders, demo/targets.py), every
# village ends at or under its target except Làng Cốc (position 5: target 7, ends 10).
#
#   village            poor start → end (target)   near-poor start → end
#    1 Làng Mới            4 →  2  (2)                 9 →  9
#    2 Thôn Quang Thịnh    3 →  2  (2)                 7 →  6
#    3 Làng Chiềng         5 →  3  (3)                12 → 14
#    4 Làng Bột            9 →  6  (6)                11 → 12
#    5 Làng Cốc           11 → 10  (7)                13 → 13
#    6 Thôn Lập Thành      2 →  1  (1)                 6 →  7
#    7 Làng Ngọc Sơn       8 →  4  (5)                10 → 12
#    8 Làng Đồng Chạ       6 →  4  (4)                 9 → 10
#    9 Thôn Tân Lập        3 →  2  (2)                 7 →  7
#   10 Làng Trò            7 →  4  (4)                11 → 12
#   11 Làng Mốc            6 →  4  (4)                 9 →  8
#      Toàn xã            64 → 42 (40)               104 → 110
MOVEMENTS_2024: tuple[dict[Transition, int], ...] = (
    {  # 1 Làng Mới
        Transition.POOR_TO_NEAR_POOR: 1,
        Transition.POOR_ESCAPED: 1,
        Transition.NEAR_POOR_ESCAPED: 2,
        Transition.NEW_NEAR_POOR: 1,
    },
    {  # 2 Thôn Quang Thịnh
        Transition.POOR_TO_NEAR_POOR: 2,
        Transition.NEW_POOR: 1,
        Transition.NEAR_POOR_ESCAPED: 2,
        Transition.NEAR_POOR_LEFT: 1,
    },
    {  # 3 Làng Chiềng
        Transition.POOR_TO_NEAR_POOR: 3,
        Transition.POOR_ADDED: 1,
        Transition.NEAR_POOR_ESCAPED: 3,
        Transition.NEW_NEAR_POOR: 2,
    },
    {  # 4 Làng Bột
        Transition.POOR_TO_NEAR_POOR: 3,
        Transition.POOR_ESCAPED: 1,
        Transition.NEAR_POOR_TO_POOR: 1,
        Transition.NEAR_POOR_ESCAPED: 2,
        Transition.NEW_NEAR_POOR: 1,
    },
    {  # 5 Làng Cốc: lifts 3 of the 4 planned, and 2 households fall into poverty
        Transition.POOR_TO_NEAR_POOR: 3,
        Transition.NEAR_POOR_TO_POOR: 1,
        Transition.NEW_POOR: 1,
        Transition.NEAR_POOR_ESCAPED: 2,
    },
    {  # 6 Thôn Lập Thành
        Transition.POOR_ESCAPED: 1,
        Transition.NEAR_POOR_ESCAPED: 1,
        Transition.NEW_NEAR_POOR: 1,
        Transition.NEAR_POOR_ADDED: 1,
    },
    {  # 7 Làng Ngọc Sơn: one household more than planned
        Transition.POOR_TO_NEAR_POOR: 4,
        Transition.POOR_ESCAPED: 1,
        Transition.REFELL_POOR: 1,
        Transition.NEAR_POOR_ESCAPED: 2,
    },
    {  # 8 Làng Đồng Chạ
        Transition.POOR_TO_NEAR_POOR: 2,
        Transition.NEAR_POOR_ESCAPED: 2,
        Transition.REFELL_NEAR_POOR: 1,
    },
    {  # 9 Thôn Tân Lập
        Transition.POOR_TO_NEAR_POOR: 1,
        Transition.POOR_ESCAPED: 1,
        Transition.NEW_POOR: 1,
        Transition.NEAR_POOR_ESCAPED: 2,
        Transition.NEW_NEAR_POOR: 1,
    },
    {  # 10 Làng Trò
        Transition.POOR_TO_NEAR_POOR: 2,
        Transition.POOR_LEFT: 1,
        Transition.NEAR_POOR_ESCAPED: 2,
        Transition.NEW_NEAR_POOR: 1,
    },
    {  # 11 Làng Mốc
        Transition.POOR_TO_NEAR_POOR: 1,
        Transition.POOR_ESCAPED: 1,
        Transition.NEAR_POOR_ESCAPED: 2,
    },
)
# Households above the near-poor standard reviewed at their request, staying there.
OTHERS_REVIEWED_2024 = (3, 3, 2, 2, 3, 3, 2, 3, 2, 2, 3)

ENDS_POOR = frozenset(
    {
        Transition.REMAINED_POOR,
        Transition.NEAR_POOR_TO_POOR,
        Transition.REFELL_POOR,
        Transition.NEW_POOR,
        Transition.POOR_ADDED,
    }
)
ENDS_NEAR_POOR = frozenset(
    {
        Transition.REMAINED_NEAR_POOR,
        Transition.POOR_TO_NEAR_POOR,
        Transition.REFELL_NEAR_POOR,
        Transition.NEW_NEAR_POOR,
        Transition.NEAR_POOR_ADDED,
    }
)
LEAVING = {
    Transition.POOR_LEFT: (
        POOR_LEFT_ON,
        "Cả hộ chuyển vào tỉnh Bình Dương làm ăn, sinh sống.",
    ),
    Transition.NEAR_POOR_LEFT: (
        NEAR_POOR_LEFT_ON,
        "Cả hộ chuyển về quê vợ ở huyện khác sinh sống.",
    ),
}
MOVING_IN = {Transition.POOR_ADDED: POOR, Transition.NEAR_POOR_ADDED: NEAR_POOR}

# Household-level indicators the reviewer finds (the others follow from the members).
HOUSING_WATER_SANITATION = (
    "chat_luong_nha_o",
    "nguon_nuoc_sinh_hoat",
    "nha_tieu_hop_ve_sinh",
)
INFORMATION = ("su_dung_dich_vu_vien_thong", "phuong_tien_tiep_can_thong_tin")
WATER_SANITATION = ("nguon_nuoc_sinh_hoat", "nha_tieu_hop_ve_sinh")

NOTES_2024: dict[Transition, tuple[str, ...]] = {
    Transition.NEW_POOR: (
        "Lao động chính ốm nặng, điều trị dài ngày; thu nhập giảm mạnh.",
        "Lợn bị dịch tả châu Phi, mất mùa sắn; thu nhập giảm mạnh.",
        "Nhà bị hư hỏng nặng sau mưa lũ tháng 9; thu nhập giảm.",
    ),
    Transition.REFELL_POOR: (
        "Đã thoát nghèo ở đợt rà soát năm 2023; tái nghèo do lũ cuốn trôi hoa màu, "
        "nhà bị hư hỏng.",
    ),
    Transition.NEAR_POOR_TO_POOR: (
        "Nhà bị hư hỏng sau mưa lũ tháng 9; chi phí chữa bệnh lớn.",
        "Mất mùa, giá keo giảm; thu nhập giảm.",
    ),
    Transition.REFELL_NEAR_POOR: (
        "Đã thoát cận nghèo ở đợt rà soát năm 2023; thu nhập giảm do mất mùa sắn.",
    ),
    Transition.POOR_ESCAPED: (
        "Thoát nghèo: vay vốn Ngân hàng Chính sách xã hội phát triển chăn nuôi bò.",
        "Thoát nghèo: thu nhập tăng nhờ trồng mía theo chuỗi liên kết.",
    ),
}


def member_indicators(
    members: Sequence[Member], *, floor_area_m2: Decimal | None, on: date
) -> dict[str, bool]:
    """Every indicator that follows from the members on `on` (`derive_indicators`:
    work, dependants, nutrition, BHYT, adult education, school, floor area when
    given)."""
    return {
        slug: indicator.deprived
        for slug, indicator in derive_indicators(
            [m.facts() for m in members], floor_area_m2=floor_area_m2, on=on
        ).items()
    }


# Phiếu B2 facts of the demo's dwellings: (code, weight) among the clean / hygienic
# and the other sources and latrines (households.indicators).
CLEAN_WATER_WEIGHTS = {
    "drilled_well": 5,
    "protected_dug_well": 4,
    "piped": 3,
    "protected_spring": 2,
    "rainwater": 1,
}
UNCLEAN_WATER_WEIGHTS = {
    "unprotected_dug_well": 4,
    "unprotected_spring": 3,
    "surface": 2,
    "other": 1,
}
HYGIENIC_LATRINE_WEIGHTS = {
    "septic": 6,
    "double_vault": 2,
    "pour_flush": 2,
    "ventilated_pit": 1,
}
UNHYGIENIC_LATRINE_WEIGHTS = {"simple_pit": 6, "over_water": 1, "none": 2}
DEVICE_SETS = (("phone", "tv"), ("phone",), ("tv",), ("phone", "tv", "radio"))
STRUCTURE_FIELDS = ("wall_durable", "frame_durable", "roof_durable")
INFORMATION_FACTS = ("information_devices", "hears_loudspeaker")


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _draw_facts(review: Review, rng: random.Random) -> dict[str, object]:
    """Facts that give exactly the review's ticks on indicators 7, 9, 10, 11, 12."""
    facts: dict[str, object] = {}
    weak_count = (
        rng.choice((2, 2, 3)) if review.chat_luong_nha_o else rng.choice((0, 0, 1))
    )
    weak = set(rng.sample(STRUCTURE_FIELDS, weak_count))
    for name in STRUCTURE_FIELDS:
        facts[name] = name not in weak
    facts["water_source"] = _weighted(
        rng,
        UNCLEAN_WATER_WEIGHTS if review.nguon_nuoc_sinh_hoat else CLEAN_WATER_WEIGHTS,
    )
    facts["latrine_type"] = _weighted(
        rng,
        UNHYGIENIC_LATRINE_WEIGHTS
        if review.nha_tieu_hop_ve_sinh
        else HYGIENIC_LATRINE_WEIGHTS,
    )
    facts["uses_internet"] = not review.su_dung_dich_vu_vien_thong
    if review.phuong_tien_tiep_can_thong_tin:
        facts["information_devices"], facts["hears_loudspeaker"] = [], False
    elif rng.random() < 0.05:  # no device, but the village loudspeaker reaches it
        facts["information_devices"], facts["hears_loudspeaker"] = [], True
    else:
        facts["information_devices"] = list(rng.choice(DEVICE_SETS))
        facts["hears_loudspeaker"] = rng.random() < 0.8
    return facts


def ground_review(
    review: Review,
    members: Sequence[MemberFacts],
    *,
    rng: random.Random,
    previous: Review | None = None,
) -> None:
    """Record the Phiếu B2 facts the review's ticks follow from, and what they give.

    A fact group whose indicator is unchanged since the previous review keeps the
    previous review's facts (the same dwelling); the others are drawn to fit. Every
    demo review then equals its derivation, indicator by indicator.
    """
    drawn = _draw_facts(review, rng)
    groups = (
        ("chat_luong_nha_o", STRUCTURE_FIELDS),
        ("nguon_nuoc_sinh_hoat", ("water_source",)),
        ("nha_tieu_hop_ve_sinh", ("latrine_type",)),
        ("su_dung_dich_vu_vien_thong", ("uses_internet",)),
        ("phuong_tien_tiep_can_thong_tin", INFORMATION_FACTS),
    )
    for slug, names in groups:
        same = (
            previous is not None
            and getattr(previous, slug) == getattr(review, slug)
            and all(getattr(previous, n) is not None for n in names)
            and all(getattr(previous, n) != "" for n in names)
        )
        for name in names:
            setattr(review, name, getattr(previous, name) if same else drawn[name])
    derived = derive_indicators(
        members,
        floor_area_m2=review.floor_area_m2,
        on=review.review_date,
        dwelling=review.dwelling_facts(),
    )
    differing = [s for s, d in derived.items() if d.deprived != getattr(review, s)]
    if differing:  # pragma: no cover - a bug in this module
        raise AssertionError(
            f"{review.household.code} ({review.review_date}): the facts give "
            f"{', '.join(differing)} otherwise"
        )
    review.keep_derivation(derived)


def _ending(move: Transition) -> tuple[str, ...]:
    """The statuses a household may have after `move`."""
    if move in ENDS_POOR:
        return (POOR,)
    if move in ENDS_NEAR_POOR:
        return (NEAR_POOR,)
    return (MEDIUM, NOT_POOR)


def _cramped(area: Decimal | None, size: int) -> bool:
    return area is not None and Decimal(area) / Decimal(size) < 8


@dataclass(frozen=True)
class RoundResult:
    """What `seed_review_round_2024()` did; `created` is False when it was there."""

    created: bool
    reviews: int = 0
    earlier_reviews: int = 0
    moved_in: int = 0
    moved_away: int = 0
    movements: dict[Transition, int] = field(default_factory=dict)
    seconds: float = 0.0


def seed_review_round_2024() -> RoundResult:
    """Play the demo commune's year 2024: the end-2024 review round and its movements.

    Needs the 2023 demo (`seed_demo()`); does nothing (`created=False`) when the
    commune already has its 2024 review round. All or nothing.
    """
    require_demo_mode()
    started = time.perf_counter()
    with transaction.atomic():
        commune = Commune.objects.filter(code=COMMUNE_CODE).first()
        if commune is None:
            raise DemoSeedError(
                f"Chưa có dữ liệu mẫu xã {COMMUNE_NAME} năm 2023: cần nạp phần năm "
                "2023 trước đợt rà soát năm 2024."
            )
        if ReviewRound.objects.filter(commune=commune, year=YEAR_2024).exists():
            return RoundResult(created=False)
        start = start_of(YEAR_2024)
        if (
            Review.objects.filter(
                household__commune=commune, review_date__gt=start
            ).exists()
            or Household.objects.filter(
                commune=commune, registered_on__gt=start
            ).exists()
        ):
            raise DemoSeedError(
                f"Không nạp được đợt rà soát mẫu năm 2024: sổ hộ xã {COMMUNE_NAME} đã "
                "có phiếu rà soát hoặc hộ mới sau ngày 31/12/2023."
            )
        officer = User.objects.filter(
            commune=commune, username=OFFICER_USERNAME
        ).first()
        if officer is None:
            raise DemoSeedError(
                f"Không tìm thấy tài khoản mẫu {OFFICER_USERNAME} của xã "
                f"{COMMUNE_NAME}."
            )
        year = _Year2024(
            random.Random(SEED_2024),
            commune=commune,
            officer=officer,
            today=WORKING_DATE,
        )
        result = year.build()
    return RoundResult(
        created=True,
        reviews=result.reviews,
        earlier_reviews=result.earlier_reviews,
        moved_in=result.moved_in,
        moved_away=result.moved_away,
        movements=result.movements,
        seconds=time.perf_counter() - started,
    )


class _Year2024:
    """Chooses who moves how in each village, then writes the round in a few inserts."""

    def __init__(
        self, rng: random.Random, *, commune: Commune, officer: User, today: date
    ) -> None:
        self.rng = rng
        self.commune = commune
        self.officer = officer
        self.builder = _Builder(rng, today=today)
        self.dates: dict[int, date] = {}
        self.previous: dict[int, Review] = {}
        self.members: dict[int, list[Member]] = {}

    # -- reading the register ------------------------------------------------------

    def _review_date(self, village: Village) -> date:
        first_day = REVIEWS_2024_FROM + timedelta(days=7 * (village.position - 1))
        return min(
            first_day + timedelta(days=self.rng.randint(0, 14)), REVIEWS_2024_UNTIL
        )

    def _fixed(self, household: Household, on: date) -> set[str]:
        """The deprivations that follow from the members, floor area aside."""
        found = member_indicators(self.members[household.pk], floor_area_m2=None, on=on)
        return {slug for slug, deprived in found.items() if deprived}

    def _weight(self, household: Household) -> int:
        """How hard it is to leave poverty: deprivations the reviewer cannot drop."""
        on = self.dates[household.pk]
        previous = self.previous[household.pk]
        size = len(self.members[household.pk])
        return len(self._fixed(household, on)) + _cramped(previous.floor_area_m2, size)

    def _lived_here_in_2022(self, household: Household) -> bool:
        on = EARLIER_REVIEW_ON
        for m in self.members[household.pk]:
            if m.birth_year > on.year or (m.birth_date and m.birth_date > on):
                return False
            # Attendance is recorded for today's school ages only.
            if (
                SCHOOL_AGE_FROM <= m.age_on(on) < SCHOOL_AGE_UNTIL
                and m.attends_school is None
            ):
                return False
        return True

    def _fits_near_poor(self, household: Household) -> bool:
        return len(self._fixed(household, self.dates[household.pk])) <= 2

    def _fits_earlier_poor(self, household: Household) -> bool:
        return self._lived_here_in_2022(household)

    def _fits_earlier_near_poor(self, household: Household) -> bool:
        if not (
            self._lived_here_in_2022(household) and self._fits_near_poor(household)
        ):
            return False
        members = self.members[household.pk]
        found = member_indicators(
            members,
            floor_area_m2=self.previous[household.pk].floor_area_m2,
            on=EARLIER_REVIEW_ON,
        )
        return sum(found.values()) <= 2

    # -- who moves how -------------------------------------------------------------

    def choose(
        self, village: Village, households: list[Household], reviewer: str
    ) -> list[tuple[Household, Transition]]:
        rng = self.rng
        moves = MOVEMENTS_2024[village.position - 1]
        chosen: list[tuple[Household, Transition]] = []

        # Poor: those whose members keep them deprived the most stay poor.
        poor = [h for h in households if h.status == POOR]
        rng.shuffle(poor)
        poor.sort(key=self._weight)
        for move in (
            Transition.POOR_TO_NEAR_POOR,
            Transition.POOR_ESCAPED,
            Transition.POOR_LEFT,
        ):
            for _ in range(moves.get(move, 0)):
                household = poor.pop(0)
                if move == Transition.POOR_TO_NEAR_POOR and not self._fits_near_poor(
                    household
                ):  # pragma: no cover - a bug in MOVEMENTS_2024
                    raise DemoSeedError(f"{household.code}: không thể thành cận nghèo.")
                chosen.append((household, move))
        chosen += [(h, Transition.REMAINED_POOR) for h in poor]

        # Near-poor: the most deprived fall into poverty.
        near = [h for h in households if h.status == NEAR_POOR]
        rng.shuffle(near)
        falling = sorted(near, key=self._weight, reverse=True)[
            : moves.get(Transition.NEAR_POOR_TO_POOR, 0)
        ]
        chosen += [(h, Transition.NEAR_POOR_TO_POOR) for h in falling]
        near = [h for h in near if h not in falling]
        for move in (Transition.NEAR_POOR_ESCAPED, Transition.NEAR_POOR_LEFT):
            for _ in range(moves.get(move, 0)):
                chosen.append((near.pop(0), move))
        for household in near:
            if not self._fits_near_poor(household):  # pragma: no cover
                raise DemoSeedError(f"{household.code}: không thể giữ cận nghèo.")
            chosen.append((household, Transition.REMAINED_NEAR_POOR))

        # Above the near-poor standard (never the village head's own household).
        others = [
            h
            for h in households
            if h.status in (MEDIUM, NOT_POOR)
            and not any(
                m.relationship == Relationship.HEAD and m.full_name == reviewer
                for m in self.members[h.pk]
            )
        ]
        rng.shuffle(others)
        for move, fits in (
            (Transition.REFELL_POOR, self._fits_earlier_poor),
            (Transition.REFELL_NEAR_POOR, self._fits_earlier_near_poor),
            (Transition.NEW_POOR, None),
            (Transition.NEW_NEAR_POOR, self._fits_near_poor),
        ):
            for _ in range(moves.get(move, 0)):
                # Medium-living-standard households are the ones nearest the line.
                candidates = sorted(others, key=lambda h: h.status != MEDIUM)
                household = next(
                    (h for h in candidates if fits is None or fits(h)), None
                )
                if household is None:  # pragma: no cover - a bug in MOVEMENTS_2024
                    raise DemoSeedError(f"{village.name}: không chọn được hộ ({move}).")
                others.remove(household)
                chosen.append((household, move))
        count = OTHERS_REVIEWED_2024[village.position - 1]
        chosen += [(h, Transition.NONE) for h in others[:count]]
        return chosen

    # -- reviews -------------------------------------------------------------------

    def _extended(self, area: Decimal | None, size: int) -> Decimal:
        """The dwelling after it was extended or rebuilt: at least 8 m² per person."""
        minimum = Decimal(8 * size + self.rng.randint(2, 20)).quantize(Decimal("0.1"))
        return max(Decimal(area or 0), minimum)

    def _income(self, move: Transition, previous: int) -> int:
        rng = self.rng
        tens = previous // 10_000
        if move == Transition.REMAINED_POOR:
            tens = min(150, tens + rng.randint(0, 12))
        elif move == Transition.NEAR_POOR_TO_POOR:
            tens = max(60, tens - rng.randint(5, 25))
        elif move in (Transition.NEW_POOR, Transition.REFELL_POOR):
            tens = rng.randint(80, 135)
        elif move == Transition.REMAINED_NEAR_POOR:
            tens = min(150, tens + rng.randint(0, 12))
        elif move == Transition.POOR_TO_NEAR_POOR:
            tens = min(150, max(tens, 100) + rng.randint(5, 30))
        elif move in (Transition.NEW_NEAR_POOR, Transition.REFELL_NEAR_POOR):
            tens = rng.randint(110, 150)
        elif move in (Transition.POOR_ESCAPED, Transition.NEAR_POOR_ESCAPED):
            tens = (
                rng.randint(152, 215) if rng.random() < 0.85 else rng.randint(226, 290)
            )
        else:  # above the near-poor standard before and after
            tens += tens * rng.randint(3, 12) // 100
        return tens * 10_000

    def _top_up(self, review: Review, slugs: Sequence[str]) -> None:
        """Add household-level deprivations until the review finds a poor household."""
        missing = [s for s in slugs if not getattr(review, s)]
        self.rng.shuffle(missing)
        while (
            len(review.deprived_slugs()) < STANDARD_2022_2025.min_deprivations_for_poor
        ):
            if not missing:  # pragma: no cover - a bug in the choices above
                raise DemoSeedError(f"{review.household.code}: thiếu chỉ số thiếu hụt.")
            setattr(review, missing.pop(), True)

    def review(
        self,
        household: Household,
        move: Transition,
        *,
        on: date,
        review_round: ReviewRound | None,
        reviewer: str,
        recorded_by: User,
        earlier: bool = False,
    ) -> Review:
        """A review of a household on the register, finding the status `move` ends
        in; `earlier`: the 2022 review that found a household that fell back in 2024
        poor or near-poor already once."""
        rng = self.rng
        members = self.members[household.pk]
        previous = self.previous[household.pk]
        size = len(members)
        area = previous.floor_area_m2
        fixed = self._fixed(household, on)
        found = [
            s for s in (*HOUSING_WATER_SANITATION, *INFORMATION) if getattr(previous, s)
        ]
        poor = move in ENDS_POOR
        top_up: tuple[str, ...] = ()
        if earlier:
            income = (rng.randint(85, 140) if poor else rng.randint(110, 150)) * 10_000
            if poor:
                top_up = (*HOUSING_WATER_SANITATION, *INFORMATION)
            else:
                room = 2 - len(fixed) - _cramped(area, size)
                found = rng.sample(found, min(max(room, 0), len(found)))
        elif poor:
            income = self._income(move, previous.income_per_person_month)
            # The information programme (§III.2.3) reached every poor household.
            found = [s for s in found if s not in INFORMATION]
            top_up = HOUSING_WATER_SANITATION
        elif move in ENDS_NEAR_POOR:
            income = self._income(move, previous.income_per_person_month)
            room = 2 - len(fixed)
            if _cramped(area, size) and (room == 0 or rng.random() < 0.6):
                area = self._extended(area, size)
            room -= _cramped(area, size)
            found = rng.sample(found, min(room, len(found)))
        else:
            income = self._income(move, previous.income_per_person_month)
            if move == Transition.POOR_ESCAPED:
                found = [s for s in found if rng.random() < 0.5]
                if _cramped(area, size):
                    area = self._extended(area, size)
        notes = () if earlier else NOTES_2024.get(move, ())
        review = Review(
            household=household,
            review_date=on,
            kind=ReviewKind.PERIODIC,
            round=review_round,
            reviewer_name=reviewer,
            recorded_by=recorded_by,
            income_per_person_month=income,
            floor_area_m2=area,
            household_size=size,
            standard_code=STANDARD_2022_2025.code,
            note=rng.choice(notes) if notes else "",
        )
        for slug, deprived in member_indicators(
            members, floor_area_m2=area, on=on
        ).items():
            setattr(review, slug, deprived)
        for slug in found:
            setattr(review, slug, True)
        if top_up:
            self._top_up(review, top_up)
        return review

    def moved_in(
        self,
        village: Village,
        move: Transition,
        *,
        number: int,
        review_round: ReviewRound,
        reviewer: str,
        recorded_by: User,
    ) -> _Planned:
        """A household that moved in during May 2024, reviewed in the round."""
        status = MOVING_IN[move]
        registered_on = date(2024, 5, self.rng.randint(2, 28))
        planned = self.builder.plan_household(
            commune=self.commune,
            village=village,
            number=number,
            status=status,
            review_date=self._review_date(village),
            reviewer_name=reviewer,
            recorded_by=recorded_by,
        )
        planned.household.registered_on = registered_on
        review = planned.review
        review.round = review_round
        review.note = (
            f"Hộ chuyển đến thôn ngày {registered_on:%d/%m/%Y}, đăng ký thường trú "
            "và đề nghị rà soát."
        )
        if status == POOR:
            for slug in INFORMATION:
                setattr(review, slug, False)
            self._top_up(review, HOUSING_WATER_SANITATION)
        return planned

    def settle_poor_services(self, reviews: list[Review]) -> None:
        """Shape what the service targets find among the households still poor.

        About three in four have adequate housing (target "trên 70 %"), more than four
        in five enough floor area ("80 %"); water and latrines keep some gaps. Each
        change keeps the household poor (3 deprivations or more).
        """
        rng = self.rng
        housing_gaps = len(reviews) // 4
        with_gap = [r for r in reviews if r.chat_luong_nha_o]
        without = [r for r in reviews if not r.chat_luong_nha_o]
        rng.shuffle(with_gap)
        rng.shuffle(without)
        excess = len(with_gap) - housing_gaps
        for review in sorted(with_gap, key=lambda r: -len(r.deprived_slugs())):
            if excess <= 0:
                break
            if self._can_drop(review):
                review.chat_luong_nha_o = False
                self._top_up(review, WATER_SANITATION)
                excess -= 1
        for review in without[: max(0, -excess)]:
            review.chat_luong_nha_o = True
            excess += 1

        cramped_limit = len(reviews) // 6
        cramped = [r for r in reviews if r.dien_tich_nha_o_binh_quan]
        rng.shuffle(cramped)
        excess = len(cramped) - cramped_limit
        for review in sorted(cramped, key=lambda r: -len(r.deprived_slugs())):
            if excess <= 0:
                break
            if self._can_drop(review):
                review.floor_area_m2 = self._extended(
                    review.floor_area_m2, review.household_size
                )
                review.dien_tich_nha_o_binh_quan = _cramped(
                    review.floor_area_m2, review.household_size
                )
                self._top_up(review, WATER_SANITATION)
                excess -= 1
        if excess > 0:  # pragma: no cover - a bug in MOVEMENTS_2024 or the choices
            raise DemoSeedError("Không phân bổ được các chỉ số nhà ở của hộ nghèo.")

    def _can_drop(self, review: Review) -> bool:
        """Whether one deprivation can go while the household stays poor."""
        return len(review.deprived_slugs()) > 3 or not all(
            getattr(review, s) for s in WATER_SANITATION
        )

    # -- the procedure -------------------------------------------------------------

    def procedure(
        self,
        review_round: ReviewRound,
        villages: list[Village],
        reviews: list[Review],
        heads: dict[int, User],
    ) -> None:
        """Each village's meeting (every reviewed household agreed by more than half
        of the attendees), its posting, and the chairman's decision."""
        last: dict[int, dict[int, date]] = {v.pk: {} for v in villages}
        for review in reviews:
            household = review.household
            last[household.village_id][household.pk] = max(
                review.review_date,
                last[household.village_id].get(household.pk, review.review_date),
            )
        for village in villages:
            dates = last[village.pk]
            if not dates:
                continue
            head = heads[village.pk]
            attendees = 30 + 2 * village.position
            meeting = VillageMeeting.objects.create(
                review_round=review_round,
                village=village,
                held_on=min(
                    max(dates.values()) + timedelta(days=1), MEETINGS_2024_UNTIL
                ),
                chaired_by=f"{head.last_name} {head.first_name}",
                secretary="Bí thư chi đoàn thôn",
                attendees=attendees,
                recorded_by=head,
            )
            MeetingVote.objects.bulk_create(
                MeetingVote(
                    meeting=meeting,
                    household_id=household_id,
                    agreeing=attendees - household_id % 5,
                )
                for household_id in sorted(dates)
            )
            Posting.objects.create(
                review_round=review_round,
                village=village,
                posted_from=POSTED_2024[0],
                posted_until=POSTED_2024[1],
                recorded_by=self.officer,
            )
        RecognitionDecision.objects.create(
            review_round=review_round,
            number=DECISION_2024,
            signed_on=ROUND_CLOSED_ON,
            signer_name=self.commune.chairman_name,
            recorded_by=self.officer,
        )

    # -- the year ------------------------------------------------------------------

    def build(self) -> RoundResult:
        commune = self.commune
        start = start_of(YEAR_2024)
        review_round = ReviewRound(
            commune=commune,
            year=YEAR_2024,
            opened_on=ROUND_OPENED_ON,
            closed_on=ROUND_CLOSED_ON,
            opened_by=self.officer,
            closed_by=self.officer,
        )
        review_round._change_reason = CHANGE_REASON_2024  # type: ignore[attr-defined]
        review_round.save()

        villages = list(commune.villages.order_by("position"))
        heads = {
            u.village_id: u
            for u in User.objects.filter(commune=commune, role=Role.VILLAGE_HEAD)
        }
        households = list(
            Household.objects.filter(commune=commune)
            .present_on(start)
            .with_status_on(start)
            .prefetch_related("members")
            .order_by("code")
        )
        for household in households:
            self.members[household.pk] = list(household.members.all())
        for previous in Review.objects.filter(
            household__commune=commune, review_date__lte=start
        ).order_by("review_date", "id"):
            self.previous[previous.household_id] = previous
        codes = list(
            Household.objects.filter(commune=commune).values_list("code", flat=True)
        )

        reviews: list[Review] = []
        earlier: list[Review] = []
        expected: list[tuple[Review, tuple[str, ...]]] = []
        ending_poor: list[tuple[Review, Transition]] = []
        moved_in: list[_Planned] = []
        leaving: list[Household] = []
        movements: dict[Transition, int] = dict.fromkeys(Transition, 0)
        for village in villages:
            head = heads[village.pk]
            reviewer = f"{head.last_name} {head.first_name}"
            mine = [h for h in households if h.village_id == village.pk]
            for household in mine:
                self.dates[household.pk] = self._review_date(village)
            for household, move in self.choose(village, mine, reviewer):
                movements[move] += 1
                if move in LEAVING:
                    household.archived_on, household.archive_note = LEAVING[move]
                    household.archive_reason = ArchiveReason.MOVED_AWAY
                    leaving.append(household)
                    continue
                if move in (Transition.REFELL_POOR, Transition.REFELL_NEAR_POOR):
                    before = self.review(
                        household,
                        move,
                        on=EARLIER_REVIEW_ON,
                        review_round=None,
                        reviewer=reviewer,
                        recorded_by=head,
                        earlier=True,
                    )
                    earlier.append(before)
                    expected.append((before, _ending(move)))
                review = self.review(
                    household,
                    move,
                    on=self.dates[household.pk],
                    review_round=review_round,
                    reviewer=reviewer,
                    recorded_by=head,
                )
                reviews.append(review)
                expected.append((review, _ending(move)))
                if move in ENDS_POOR:
                    ending_poor.append((review, move))
            for move in MOVING_IN:
                for _ in range(MOVEMENTS_2024[village.position - 1].get(move, 0)):
                    prefix = f"CN-{village.position:02d}-"
                    number = 1 + max(
                        int(c.removeprefix(prefix))
                        for c in codes
                        if c.startswith(prefix)
                    )
                    planned = self.moved_in(
                        village,
                        move,
                        number=number,
                        review_round=review_round,
                        reviewer=reviewer,
                        recorded_by=head,
                    )
                    codes.append(planned.household.code)
                    moved_in.append(planned)
                    movements[move] += 1
                    reviews.append(planned.review)
                    expected.append((planned.review, _ending(move)))
                    if move in ENDS_POOR:
                        ending_poor.append((planned.review, move))
        self.settle_poor_services([r for r, _ in ending_poor])

        members_of = {p.household.code: p.members for p in moved_in}
        for review in (*earlier, *reviews):
            household = review.household
            members = members_of.get(household.code) or self.members[household.pk]
            ground_review(
                review,
                [m.facts() for m in members],
                rng=self.builder.facts_rng,
                previous=self.previous.get(household.pk),
            )

        # bulk_create skips Review.save(): classify here, as save() would.
        for review, wanted in expected:
            review.status = review.classify().status
            if review.status not in wanted:  # pragma: no cover - a bug in this module
                raise AssertionError(
                    f"{review.household.code} ({review.review_date}): expected "
                    f"{'/'.join(wanted)}, classified {review.status}"
                )
            review.poverty_causes = survey_causes(review.household, review.status)

        history = {
            "batch_size": BATCH_SIZE,
            "default_change_reason": CHANGE_REASON_2024,
        }
        bulk_create_with_history([p.household for p in moved_in], Household, **history)
        bulk_create_with_history(
            [m for p in moved_in for m in p.members], Member, **history
        )
        bulk_create_with_history([*earlier, *reviews], Review, **history)
        status_history.refresh_households(r.household_id for r in [*earlier, *reviews])
        for household in leaving:
            household._change_reason = CHANGE_REASON_2024  # type: ignore[attr-defined]
            household.save()
        self.procedure(review_round, villages, reviews, heads)
        return RoundResult(
            created=True,
            reviews=len(reviews),
            earlier_reviews=len(earlier),
            moved_in=len(moved_in),
            moved_away=len(leaving),
            movements={m: n for m, n in movements.items() if n},
        )
