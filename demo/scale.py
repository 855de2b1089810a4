"""A synthetic province for measuring pages at scale (`manage.py seed_scale`).

After the 2025 reform a commune holds 5,000–20,000 households and a province wants all
its communes on one server. `seed_scale()` builds such a province, invented from the
name parts of the demo (NAMES.md): N communes `tinh-xa-001`…, each with its villages,
households (`XA001-01-0001`: commune 1, village 01, household 1, the shape of the demo's
`CN-01-0007`), members, and a periodic review of 2023 and of 2024 per household in
the commune's two recognised review rounds, its 2024 poverty target shared between the
villages and the seven service-access targets of the demo's plan; one officer per
commune (`canbo_1`, `canbo_2`, …) and a province account `tinh` (role PROVINCE: it
reads every commune of tỉnh Thanh Hóa and edits nothing).

What it keeps true, as the demo does:

- Every review's `status` and `standard_code` are what `Review.save()` computes: the
  rows skip save(), so `poverty.classify` runs here on the same facts first. In each
  commune exactly 5 % of the households are poor and 8 % near-poor after the 2024
  round (rounded), the rest not poor; 2023 was a little poorer.
- `Household.search_text` is what `refresh_search_text()` writes: the folded code and
  the members' names in the order of their ids.
- Members pass `Member.clean()`: a head is 16 or over, the school attendance is only
  written for children of 3 to under 16 both on the demo's working date and today,
  every CCCD/định danh number is 12 digits (province 038, century and sex, year of
  birth, a serial) and unique across the install.
- Indicator 4 (bảo hiểm y tế) of the 2024 review agrees with the members' cards; the
  other indicators are the reviewer's findings, not derived from the members.

Not built (the pages render without them): the village meetings, postings and
complaints of the rounds, the tasks, units and village plans of demo.tasks, the farm
households' medium living standard, Phiếu B2 dwelling facts, historical rows
(django-simple-history: the household's history page starts empty; writing them would
double the rows and the time).

Speed: the households, members and reviews are written commune by commune, without
model instances on PostgreSQL (COPY with ids taken from the tables' sequences), with
`bulk_create` elsewhere (SQLite in the tests). The few rows per commune (villages,
rounds, targets, users) go through `bulk_create`.
"""

from __future__ import annotations

import json
import random
import time
from bisect import bisect
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from itertools import accumulate
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, connection, models, transaction
from django.db.models import Q
from django.utils import timezone

from demo.register import (
    CAUSE_WEIGHTS,
    FEMALE_GIVEN,
    FEMALE_MIDDLE,
    FEMALE_MIDDLE_YOUNG,
    KINH_FAMILY,
    MALE_GIVEN,
    MALE_MIDDLE,
    MALE_MIDDLE_YOUNG,
    MUONG_FAMILY,
    REGISTERED_ON,
    WORKING_DATE,
    DemoSeedError,
    require_demo_mode,
    split_name,
)
from demo.targets import SERVICE_LINES, largest_remainder, service_targets
from giamngheo.models import Role, User
from households import clock, status_history
from households.models import (
    Commune,
    EducationLevel,
    Employment,
    Ethnicity,
    FarmLivelihood,
    Household,
    Member,
    PovertyCause,
    RecognitionDecision,
    Relationship,
    Review,
    ReviewKind,
    ReviewRound,
    Sex,
    StatusPeriod,
    Village,
    fold,
)
from households.poverty import INDICATOR_SLUGS, PovertyStatus, classify
from households.poverty import standard_in_force as poverty_standard_in_force
from households.regions import Region
from households.vietnamese_numbers import format_grouped
from targets.models import PovertyTarget, ServiceTarget, VillageAllocation

PROVINCE = "Thanh Hóa"
# Thanh Hóa lies in Bắc Trung Bộ và Duyên hải miền Trung (DOMAIN.md §3.7).
REGION = Region.NORTH_CENTRAL_COAST
CCCD_PROVINCE = "038"  # the province's code in a CCCD number (Thanh Hóa)
CODE_PREFIX = "tinh-xa-"
OFFICER_PREFIX = "canbo_"
PROVINCE_USERNAME = "tinh"
OFFICER_TITLE = "Công chức Lao động - Thương binh và Xã hội"
PROVINCE_TITLE = "Chuyên viên Sở Nông nghiệp và Môi trường"

DEFAULT_SEED = 2025
MAX_COMMUNES = 999
MAX_HOUSEHOLDS = 50_000
MAX_VILLAGES = 999
HOUSEHOLDS_PER_VILLAGE = 250  # the default village count: one per 250 households
POOR_SHARE = Decimal("0.05")
NEAR_POOR_SHARE = Decimal("0.08")

POOR = PovertyStatus.POOR
NEAR_POOR = PovertyStatus.NEAR_POOR
NOT_POOR = PovertyStatus.NOT_POOR


@dataclass(frozen=True)
class RoundPlan:
    year: int
    opened_on: date
    reviews_from: date
    reviews_until: date
    closed_on: date


ROUNDS = (
    RoundPlan(
        2023,
        date(2023, 9, 1),
        date(2023, 9, 15),
        date(2023, 12, 10),
        date(2023, 12, 14),
    ),
    RoundPlan(
        2024,
        date(2024, 9, 1),
        date(2024, 9, 15),
        date(2024, 12, 10),
        date(2024, 12, 14),
    ),
)
TARGET_YEAR = 2024
TARGET_REDUCTION = Decimal("0.25")  # each commune plans to lift a quarter of its poor
TARGET_SOURCE = "Kế hoạch giảm nghèo năm 2024 của xã (dữ liệu lớn, seed_scale)"
CARD_EXPIRY = date(2025, 12, 31)

# The 2023 status of a household, given its 2024 status: the province grew a little
# less poor (2023: about 6,8 % poor and 9 % near-poor).
STATUS_2023: dict[str, tuple[tuple[str, ...], tuple[int, ...]]] = {
    POOR: ((POOR, NEAR_POOR), (85, 15)),
    NEAR_POOR: ((POOR, NEAR_POOR, NOT_POOR), (15, 70, 15)),
    NOT_POOR: ((POOR, NEAR_POOR, NOT_POOR), (15, 30, 955)),
}

DISTRICTS: tuple[tuple[str, str], ...] = (
    # (the district before 01/07/2025, its majority ethnicity)
    ("Ngọc Lặc", Ethnicity.MUONG),
    ("Thọ Xuân", Ethnicity.KINH),
    ("Bá Thước", Ethnicity.THAI),
    ("Cẩm Thủy", Ethnicity.MUONG),
    ("Triệu Sơn", Ethnicity.KINH),
    ("Lang Chánh", Ethnicity.THAI),
    ("Thạch Thành", Ethnicity.MUONG),
    ("Yên Định", Ethnicity.KINH),
)
NAME_FIRST = (
    "Cao", "Ngọc", "Minh", "Quang", "Đồng", "Xuân", "Thành", "Kiên", "Phúc", "Lộc",
    "Vân", "Hòa", "Tân", "Yên", "Trung", "Thượng", "Lương", "Nguyệt", "Thạch", "Kim",
)  # fmt: skip
NAME_SECOND = (
    "Sơn", "Lâm", "Thịnh", "Tiến", "Phong", "Thọ", "Hưng", "Long", "An", "Bình",
    "Giang", "Thủy", "Châu", "Trường", "Khê", "Lạc",
)  # fmt: skip
VILLAGE_WORDS = ("Thôn", "Làng", "Bản", "Xóm")
THAI_FAMILY = {"Hà": 20, "Lò": 15, "Lương": 15, "Vi": 12, "Cầm": 10, "Phạm": 8}

# Shapes of households: (kind, weight when poor or near-poor, weight otherwise).
ELDERLY_ALONE = "elderly_alone"
ELDERLY_COUPLE = "elderly_couple"
YOUNG_COUPLE = "young_couple"
NUCLEAR = "nuclear"
SINGLE_PARENT = "single_parent"
THREE_GENERATIONS = "three_generations"
GRANDPARENTS = "grandparents"
KINDS = (
    ELDERLY_ALONE,
    ELDERLY_COUPLE,
    YOUNG_COUPLE,
    NUCLEAR,
    SINGLE_PARENT,
    THREE_GENERATIONS,
    GRANDPARENTS,
)
KIND_WEIGHTS_POOR = (20, 15, 5, 25, 15, 10, 10)
KIND_WEIGHTS = (5, 10, 10, 45, 5, 22, 3)
KIND_CUMULATIVE = {
    True: list(accumulate(KIND_WEIGHTS_POOR)),
    False: list(accumulate(KIND_WEIGHTS)),
}
NO_LABOUR_KINDS = (ELDERLY_ALONE, ELDERLY_COUPLE, GRANDPARENTS)


class ScaleSeedError(DemoSeedError):
    """The synthetic province cannot be built; the message says why, in Vietnamese."""


@dataclass
class ScaleResult:
    communes: int = 0
    villages: int = 0
    households: int = 0
    members: int = 0
    reviews: int = 0
    rounds: int = 0
    users: int = 0
    service_targets: int = 0
    replaced_households: int = 0
    statuses: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0


def commune_code(number: int) -> str:
    return f"{CODE_PREFIX}{number:03d}"


def officer_username(number: int) -> str:
    return f"{OFFICER_PREFIX}{number}"


def default_villages(households: int) -> int:
    return max(1, min(MAX_VILLAGES, round(households / HOUSEHOLDS_PER_VILLAGE)))


def seed_scale(
    communes: int,
    households_per_commune: int,
    *,
    villages_per_commune: int | None = None,
    seed: int = DEFAULT_SEED,
    replace: bool = False,
    progress: Callable[[str], None] = lambda _line: None,
) -> ScaleResult:
    """Build the synthetic province, all or nothing.

    Raises DemoModeOffError unless DEMO_MODE is on, and ScaleSeedError on sizes out
    of range or when a commune code or an account name is taken (without `replace`;
    with it, the synthetic province already there is deleted first).
    """
    require_demo_mode()
    villages = villages_per_commune or default_villages(households_per_commune)
    _check_sizes(communes, households_per_commune, villages)
    started = time.perf_counter()
    result = ScaleResult()
    with transaction.atomic():
        if replace:
            result.replaced_households = _delete_province(progress)
        _refuse_taken(communes)
        builder = _Builder(
            random.Random(seed),
            households=households_per_commune,
            villages=villages,
            result=result,
            progress=progress,
        )
        builder.build(communes, started)
    result.seconds = time.perf_counter() - started
    return result


def _check_sizes(communes: int, households: int, villages: int) -> None:
    if not 1 <= communes <= MAX_COMMUNES:
        raise ScaleSeedError(
            f"Số xã phải từ 1 đến {MAX_COMMUNES} (đã nhập {communes})."
        )
    if not 1 <= households <= MAX_HOUSEHOLDS:
        raise ScaleSeedError(
            f"Số hộ mỗi xã phải từ 1 đến {format_grouped(MAX_HOUSEHOLDS)} "
            f"(đã nhập {households})."
        )
    if not 1 <= villages <= min(MAX_VILLAGES, households):
        raise ScaleSeedError(
            f"Số thôn mỗi xã phải từ 1 đến {min(MAX_VILLAGES, households)}, không "
            f"nhiều hơn số hộ (đã nhập {villages})."
        )


def _refuse_taken(communes: int) -> None:
    codes = [commune_code(n) for n in range(1, communes + 1)]
    taken_codes = sorted(
        Commune.objects.filter(code__in=codes).values_list("code", flat=True)
    )
    if taken_codes:
        raise ScaleSeedError(
            f"Đã có dữ liệu lớn: các xã {_listed(taken_codes)} đã được nạp từ trước. "
            "Chạy lại với --replace để xóa tỉnh mẫu cũ và nạp lại; không ghi gì."
        )
    usernames = [officer_username(n) for n in range(1, communes + 1)]
    taken_users = sorted(
        User.objects.filter(username__in=[*usernames, PROVINCE_USERNAME]).values_list(
            "username", flat=True
        )
    )
    if taken_users:
        raise ScaleSeedError(
            "Không nạp được dữ liệu lớn: đã có người dùng trùng tên đăng nhập "
            f"({_listed(taken_users)}); không ghi gì."
        )


def _listed(names: Sequence[str]) -> str:
    shown = ", ".join(names[:5])
    return shown + (f" và {len(names) - 5} mục khác" if len(names) > 5 else "")


def _delete_province(progress: Callable[[str], None]) -> int:
    """Delete every synthetic commune (code `tinh-xa-…`) and what this module wrote
    for it, without signals: a raw DELETE per table, children first. A row that
    someone else wrote and that points at them stops it (the foreign keys are checked
    before going on), and the whole run is undone."""
    communes = Commune.objects.filter(code__startswith=CODE_PREFIX)
    households = Household.objects.filter(commune__in=communes)
    count = households.count()
    if not count and not communes.exists():
        return 0
    progress(f"Xóa tỉnh mẫu cũ: {communes.count()} xã, {format_grouped(count)} hộ…")
    users = User.objects.filter(
        Q(commune__in=communes) | Q(username=PROVINCE_USERNAME, role=Role.PROVINCE),
        is_demo=True,
    )
    # QuerySet._raw_delete: one DELETE, no per-row signals (simple_history would
    # write a historical row for each of a million deleted rows).
    steps: list[models.QuerySet[Any]] = [
        StatusPeriod.objects.filter(household__commune__in=communes),
        Review.objects.filter(household__commune__in=communes),
        Member.objects.filter(household__commune__in=communes),
        RecognitionDecision.objects.filter(review_round__commune__in=communes),
        ReviewRound.objects.filter(commune__in=communes),
        VillageAllocation.objects.filter(target__commune__in=communes),
        PovertyTarget.objects.filter(commune__in=communes),
        ServiceTarget.objects.filter(commune__in=communes),
        Household.objects.filter(commune__in=communes),
        User.objects.filter(pk__in=list(users.values_list("pk", flat=True))),
        Village.objects.filter(commune__in=communes),
        Commune.objects.filter(code__startswith=CODE_PREFIX),
    ]
    try:
        with transaction.atomic():
            for queryset in steps:
                queryset._raw_delete(queryset.db)
            connection.check_constraints()
    except IntegrityError as exc:
        raise ScaleSeedError(
            f"Không xóa được tỉnh mẫu cũ: các xã {CODE_PREFIX}… đã có dữ liệu khác "
            f"(nhập trên trang, nhiệm vụ, báo cáo…) trỏ tới ({exc}). Không ghi gì."
        ) from exc
    return count


# --- Writing rows ---------------------------------------------------------------


class _Table:
    """Writes plain rows ({attname: value}) of one model: COPY on PostgreSQL, else
    bulk_create; the ids are taken before, so that children can point at them."""

    def __init__(self, model: type[models.Model]) -> None:
        self.model = model
        self.fields = [f for f in model._meta.concrete_fields]
        self.attnames = [f.attname for f in self.fields]
        self.defaults = {f.attname: f.get_default() for f in self.fields}
        self.json = {f.attname for f in self.fields if isinstance(f, models.JSONField)}
        self.postgres = connection.vendor == "postgresql"

    def reserve(self, count: int) -> Sequence[int]:
        table = self.model._meta.db_table
        if not count:
            return []
        if self.postgres:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) "
                    "FROM generate_series(1, %s)",
                    [table, count],
                )
                return [row[0] for row in cursor.fetchall()]
        last = self.model.objects.aggregate(last=models.Max("pk"))["last"] or 0
        if connection.vendor == "sqlite":
            # Never an id of a deleted row again (AUTOINCREMENT keeps the highest):
            # its history rows would show on the new household's page.
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT seq FROM sqlite_sequence WHERE name = %s", [table]
                )
                row = cursor.fetchone()
            last = max(last, row[0] if row else 0)
        return range(last + 1, last + 1 + count)

    def write(self, rows: list[dict[str, Any]]) -> None:
        if self.postgres:
            self._copy(rows)
        else:
            self.model.objects.bulk_create(
                [self.model(**{**self.defaults, **row}) for row in rows],
                batch_size=2000,
            )

    def _copy(self, rows: list[dict[str, Any]]) -> None:
        quote = connection.ops.quote_name
        columns = ", ".join(quote(f.column) for f in self.fields)
        statement = f"COPY {quote(self.model._meta.db_table)} ({columns}) FROM STDIN"
        defaults, attnames, json_names = self.defaults, self.attnames, self.json
        with connection.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                values = [row.get(a, defaults[a]) for a in attnames]
                if json_names:
                    values = [
                        json.dumps(v) if a in json_names and v is not None else v
                        for a, v in zip(attnames, values, strict=True)
                    ]
                copy.write_row(values)


# --- Building ---------------------------------------------------------------------


class _Weighted:
    """rng.choices with the cumulative weights computed once."""

    def __init__(self, items: dict[str, int] | Iterable[tuple[str, int]]) -> None:
        pairs = list(items.items()) if isinstance(items, dict) else list(items)
        self.items = [i for i, _ in pairs]
        self.cumulative = list(accumulate(w for _, w in pairs))

    def draw(self, rng: random.Random) -> str:
        return self.items[bisect(self.cumulative, rng.random() * self.cumulative[-1])]


FAMILY_NAMES = {
    Ethnicity.MUONG: _Weighted(MUONG_FAMILY),
    Ethnicity.THAI: _Weighted(THAI_FAMILY),
    Ethnicity.KINH: _Weighted(KINH_FAMILY),
}
MIDDLE = {
    (Sex.MALE, False): _Weighted(MALE_MIDDLE),
    (Sex.MALE, True): _Weighted(MALE_MIDDLE_YOUNG),
    (Sex.FEMALE, False): _Weighted(FEMALE_MIDDLE),
    (Sex.FEMALE, True): _Weighted(FEMALE_MIDDLE_YOUNG),
}
CAUSES = _Weighted((str(c), w) for c, w in CAUSE_WEIGHTS.items())
ADULT_EDUCATION = _Weighted(
    {
        EducationLevel.PRIMARY: 20,
        EducationLevel.LOWER_SECONDARY: 40,
        EducationLevel.UPPER_SECONDARY: 25,
        EducationLevel.VOCATIONAL: 8,
        EducationLevel.HIGHER: 7,
    }
)
WORKING = _Weighted(
    {
        Employment.SELF_EMPLOYED: 60,
        Employment.NO_CONTRACT: 20,
        Employment.CONTRACT: 15,
        Employment.UNEMPLOYED: 5,
    }
)


@dataclass
class _Person:
    name: str
    sex: str
    relationship: str
    birth_date: date


def _age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


class _Builder:
    def __init__(
        self,
        rng: random.Random,
        *,
        households: int,
        villages: int,
        result: ScaleResult,
        progress: Callable[[str], None],
    ) -> None:
        self.rng = rng
        self.households = households
        self.villages = villages
        self.result = result
        self.commune_id = 0  # the commune being written (`_commune`)
        self.progress = progress
        self.today = clock.today()
        self.now = timezone.now()
        self.household_table = _Table(Household)
        self.member_table = _Table(Member)
        self.review_table = _Table(Review)
        self.serials: Counter[str] = Counter()
        self.taken_ids = set(
            Member.objects.filter(id_number__startswith=CCCD_PROVINCE).values_list(
                "id_number", flat=True
            )
        )
        self.standards = {
            plan.year: poverty_standard_in_force(plan.reviews_from) for plan in ROUNDS
        }

    # -- the province ----------------------------------------------------------------

    def build(self, communes: int, started: float) -> None:
        names = self._commune_names(communes)
        rows = []
        for number, name in enumerate(names, start=1):
            district, _ = DISTRICTS[(number - 1) % len(DISTRICTS)]
            rows.append(
                Commune(
                    name=name,
                    code=commune_code(number),
                    district=district,
                    province=PROVINCE,
                    is_urban=False,
                    region=REGION,
                    chairman_name=self._name(Sex.MALE, Ethnicity.KINH, young=False),
                )
            )
        created = Commune.objects.bulk_create(rows)
        users = self._users(created)
        for number, commune in enumerate(created, start=1):
            _, majority = DISTRICTS[(number - 1) % len(DISTRICTS)]
            self._commune(commune, users[number - 1], majority)
            self.result.communes += 1
            seconds = f"{time.perf_counter() - started:.1f}".replace(".", ",")
            self.progress(
                f"  Xã {number}/{communes} ({commune.code}, {commune.name}): xong; "
                f"tổng {format_grouped(self.result.households)} hộ, "
                f"{format_grouped(self.result.members)} nhân khẩu sau {seconds} giây."
            )
        if connection.vendor == "postgresql":
            # Fresh statistics, so that the first pages measured plan for the rows.
            with connection.cursor() as cursor:
                for model in (
                    Household,
                    Member,
                    Review,
                    StatusPeriod,
                    Village,
                    Commune,
                ):
                    cursor.execute(f"ANALYZE {model._meta.db_table}")

    def _commune_names(self, count: int) -> list[str]:
        pairs = [f"{a} {b}" for a in NAME_FIRST for b in NAME_SECOND if a != b]
        self.rng.shuffle(pairs)
        return [
            pairs[i % len(pairs)]
            + (f" {i // len(pairs) + 1}" if i >= len(pairs) else "")
            for i in range(count)
        ]

    def _users(self, communes: list[Commune]) -> list[User]:
        # One hash for all: the accounts share the published demo password.
        password = make_password(settings.DEMO_PASSWORD)
        users = []
        for number, commune in enumerate(communes, start=1):
            sex = Sex.FEMALE if self.rng.random() < 0.45 else Sex.MALE
            last_name, first_name = split_name(
                self._name(sex, Ethnicity.KINH, young=True)
            )
            users.append(
                User(
                    username=officer_username(number),
                    first_name=first_name,
                    last_name=last_name,
                    role=Role.OFFICER,
                    job_title=OFFICER_TITLE,
                    commune=commune,
                    password=password,
                    is_demo=True,
                )
            )
        # The province's account: it reads every commune of the province (those of
        # the demo's tỉnh Thanh Hóa too, Cao Ngọc when it is seeded) and edits none.
        users.append(
            User(
                username=PROVINCE_USERNAME,
                first_name="Tỉnh",
                last_name="Cán bộ",
                role=Role.PROVINCE,
                job_title=PROVINCE_TITLE,
                province=PROVINCE,
                password=password,
                is_demo=True,
            )
        )
        created = User.objects.bulk_create(users)
        self.result.users += len(created)
        return created

    # -- a commune -------------------------------------------------------------------

    def _commune(self, commune: Commune, officer: User, majority: str) -> None:
        rng = self.rng
        self.commune_id = commune.pk  # the members' (COPY sends no pre_save)
        number = int(commune.code.removeprefix(CODE_PREFIX))
        villages = self._villages(commune)
        # Villages of unequal sizes (70–130 % of the mean), summing to the commune's.
        weights = [rng.randint(70, 130) for _ in villages]
        sizes = largest_remainder(
            [w * self.households for w in weights], self.households
        )
        count = self.households
        poor = int(POOR_SHARE * count + Decimal("0.5"))
        near_poor = int(NEAR_POOR_SHARE * count + Decimal("0.5"))
        statuses = [POOR] * poor + [NEAR_POOR] * near_poor
        statuses += [NOT_POOR] * (count - len(statuses))
        rng.shuffle(statuses)

        rounds = {
            plan.year: ReviewRound(
                commune=commune,
                year=plan.year,
                opened_on=plan.opened_on,
                closed_on=plan.closed_on,
                opened_by=officer,
                closed_by=officer,
            )
            for plan in ROUNDS
        }
        ReviewRound.objects.bulk_create(rounds.values())
        RecognitionDecision.objects.bulk_create(
            RecognitionDecision(
                review_round=review_round,
                number=f"{100 + number}/QĐ-UBND",
                signed_on=review_round.closed_on,
                signer_name=commune.chairman_name,
                recorded_by=officer,
            )
            for review_round in rounds.values()
        )
        self.result.rounds += len(rounds)

        household_ids = iter(self.household_table.reserve(count))
        households: list[dict[str, Any]] = []
        members: list[dict[str, Any]] = []
        reviews: list[dict[str, Any]] = []
        poor_2023: Counter[int] = Counter()
        width = max(4, len(str(max(sizes))))
        position_width = max(2, len(str(len(villages))))
        index = 0
        for village, size in zip(villages, sizes, strict=True):
            reviewer = self._name(Sex.MALE, majority, young=False)
            for serial in range(1, size + 1):
                status_2024 = statuses[index]
                index += 1
                code = (
                    f"XA{number:03d}-{village.position:0{position_width}d}-"
                    f"{serial:0{width}d}"
                )
                household_id = next(household_ids)
                ethnicity = (
                    majority if rng.random() < 0.85 else self._other_ethnicity(majority)
                )
                weights = KIND_CUMULATIVE[status_2024 != NOT_POOR]
                kind = KINDS[bisect(weights, rng.random() * weights[-1])]
                people = self._family(kind, ethnicity)
                no_labour = kind in NO_LABOUR_KINDS and (
                    status_2024 != NOT_POOR and rng.random() < 0.6
                )
                status_2023 = rng.choices(*STATUS_2023[status_2024])[0]
                if status_2023 == POOR:
                    poor_2023[village.pk] += 1
                review_2024 = self._review(
                    household_id,
                    status_2024,
                    2024,
                    rounds[2024],
                    len(people),
                    reviewer=reviewer,
                    officer=officer,
                    no_labour=no_labour,
                )
                uninsured = review_2024["bao_hiem_y_te"]
                households.append(
                    {
                        "id": household_id,
                        "commune_id": commune.pk,
                        "village_id": village.pk,
                        "code": code,
                        "address": f"{village.name}, xã {commune.name}",
                        "registered_on": REGISTERED_ON,
                        "ethnicity": ethnicity,
                        "has_meritorious_person": rng.random() < 0.025,
                        "no_labour_capacity": no_labour,
                        "farm_livelihood": self._livelihood(),
                        "search_text": fold(
                            f"{code} {' '.join(p.name for p in people)}"
                        ),
                        "created_at": self.now,
                        "updated_at": self.now,
                    }
                )
                members.extend(
                    self._members(
                        household_id, people, ethnicity, status_2024, uninsured
                    )
                )
                reviews.append(
                    self._review(
                        household_id,
                        status_2023,
                        2023,
                        rounds[2023],
                        len(people),
                        reviewer=reviewer,
                        officer=officer,
                        no_labour=no_labour,
                    )
                )
                reviews.append(review_2024)
                self.result.statuses[status_2024] += 1

        for row, member_id in zip(
            members, self.member_table.reserve(len(members)), strict=True
        ):
            row["id"] = member_id
        for row, review_id in zip(
            reviews, self.review_table.reserve(len(reviews)), strict=True
        ):
            row["id"] = review_id
        self.household_table.write(households)
        self.member_table.write(members)
        self.review_table.write(reviews)
        # COPY skips the signals that keep the status periods.
        status_history.refresh_households(h["id"] for h in households)
        self.result.villages += len(villages)
        self.result.households += len(households)
        self.result.members += len(members)
        self.result.reviews += len(reviews)
        self._targets(commune, villages, poor_2023)

    def _villages(self, commune: Commune) -> list[Village]:
        words = [f"{a} {b}" for a in NAME_FIRST for b in NAME_SECOND if a != b]
        self.rng.shuffle(words)
        names = []
        for i in range(self.villages):
            name = words[i % len(words)]
            if i >= len(words):
                name = f"{name} {i // len(words) + 1}"
            names.append(f"{self.rng.choice(VILLAGE_WORDS)} {name}")
        return Village.objects.bulk_create(
            Village(commune=commune, name=name, position=position)
            for position, name in enumerate(names, start=1)
        )

    def _targets(
        self, commune: Commune, villages: list[Village], poor: Counter[int]
    ) -> None:
        """The 2024 target: a quarter fewer poor households than at the start of
        the year, shared by the villages' poor households (as demo.targets)."""
        poor_start = [poor[v.pk] for v in villages]
        reduction = int(sum(poor_start) * TARGET_REDUCTION)
        target = PovertyTarget.objects.create(
            commune=commune,
            year=TARGET_YEAR,
            poor_target_end=sum(poor_start) - reduction,
            source=TARGET_SOURCE,
        )
        VillageAllocation.objects.bulk_create(
            VillageAllocation(target=target, village=village, poor_reduction=share)
            for village, share in zip(
                villages, largest_remainder(poor_start, reduction), strict=True
            )
        )
        ServiceTarget.objects.bulk_create(service_targets(commune, TARGET_YEAR))
        self.result.service_targets += len(SERVICE_LINES)

    # -- a household -----------------------------------------------------------------

    def _other_ethnicity(self, majority: str) -> str:
        others = [
            e
            for e in (Ethnicity.KINH, Ethnicity.MUONG, Ethnicity.THAI)
            if e != majority
        ]
        return self.rng.choice(others)

    def _livelihood(self) -> str:
        draw = self.rng.random()
        if draw < 0.55:
            return FarmLivelihood.AGRICULTURE
        if draw < 0.65:
            return FarmLivelihood.FORESTRY
        return FarmLivelihood.NONE

    def _name(self, sex: str, ethnicity: str, *, young: bool, family: str = "") -> str:
        rng = self.rng
        family = family or FAMILY_NAMES.get(
            ethnicity, FAMILY_NAMES[Ethnicity.KINH]
        ).draw(rng)
        middle = MIDDLE[(sex, young)].draw(rng)
        given = rng.choice(MALE_GIVEN if sex == Sex.MALE else FEMALE_GIVEN)
        return f"{family} {middle} {given}"

    def _born(self, age: int) -> date:
        """A birthday giving `age` on the working date (never after it)."""
        year = WORKING_DATE.year - age
        day = date(year, 1, 1) + timedelta(days=self.rng.randrange(0, 340))
        return day if day <= WORKING_DATE else WORKING_DATE

    def _person(
        self, sex: str, relationship: str, age: int, ethnicity: str, family: str = ""
    ) -> _Person:
        born = self._born(age)
        young = born.year >= 1985
        return _Person(
            name=self._name(sex, ethnicity, young=young, family=family),
            sex=sex,
            relationship=relationship,
            birth_date=born,
        )

    def _family(self, kind: str, ethnicity: str) -> list[_Person]:
        rng = self.rng
        head_sex = Sex.MALE if rng.random() < 0.8 else Sex.FEMALE
        if kind == SINGLE_PARENT:
            head_sex = Sex.FEMALE if rng.random() < 0.8 else Sex.MALE
        head_age = {
            ELDERLY_ALONE: (65, 88),
            ELDERLY_COUPLE: (62, 85),
            YOUNG_COUPLE: (22, 32),
            NUCLEAR: (28, 55),
            SINGLE_PARENT: (25, 55),
            THREE_GENERATIONS: (32, 55),
            GRANDPARENTS: (55, 80),
        }[kind]
        age = rng.randint(*head_age)
        head = self._person(head_sex, Relationship.HEAD, age, ethnicity)
        family_name = head.name.split(" ", 1)[0]
        people = [head]
        spouse_sex = Sex.FEMALE if head_sex == Sex.MALE else Sex.MALE
        if kind in (ELDERLY_COUPLE, YOUNG_COUPLE, NUCLEAR, THREE_GENERATIONS) or (
            kind == GRANDPARENTS and rng.random() < 0.6
        ):
            people.append(
                self._person(
                    spouse_sex,
                    Relationship.SPOUSE,
                    max(18, age + rng.randint(-5, 3)),
                    ethnicity,
                )
            )
        # The children take their father's family name; a mother alone gives hers.
        if kind in (NUCLEAR, SINGLE_PARENT, THREE_GENERATIONS) or (
            kind == YOUNG_COUPLE and rng.random() < 0.5
        ):
            children = rng.choice((1, 2, 2, 2, 3, 3, 4))
            oldest = max(2, min(age - 20, 30))
            for _ in range(children):
                sex = Sex.MALE if rng.random() < 0.51 else Sex.FEMALE
                people.append(
                    self._person(
                        sex,
                        Relationship.CHILD,
                        rng.randint(2, oldest),
                        ethnicity,
                        family_name,
                    )
                )
        if kind == THREE_GENERATIONS:
            for _ in range(rng.choice((1, 1, 2))):
                sex = Sex.FEMALE if rng.random() < 0.6 else Sex.MALE
                people.append(
                    self._person(
                        sex,
                        Relationship.PARENT,
                        min(95, age + rng.randint(22, 32)),
                        ethnicity,
                    )
                )
        if kind == GRANDPARENTS:
            for _ in range(rng.choice((1, 2, 2, 3))):
                sex = Sex.MALE if rng.random() < 0.51 else Sex.FEMALE
                people.append(
                    self._person(
                        sex,
                        Relationship.GRANDCHILD,
                        rng.randint(2, 15),
                        ethnicity,
                        family_name,
                    )
                )
        return people

    def _members(
        self,
        household_id: int,
        people: list[_Person],
        ethnicity: str,
        status: str,
        uninsured: bool,
    ) -> list[dict[str, Any]]:
        rng = self.rng
        poor_or_near = status != NOT_POOR
        # Indicator 4 of the 2024 review: somebody of 6 or over has no card.
        without_card = -1
        if uninsured:
            older = [
                i for i, p in enumerate(people) if _age(p.birth_date, WORKING_DATE) >= 6
            ]
            without_card = rng.choice(older) if older else 0
        rows = []
        for i, person in enumerate(people):
            born = person.birth_date
            age = _age(born, WORKING_DATE)
            age_today = _age(born, self.today)
            insured = i != without_card
            row: dict[str, Any] = {
                "household_id": household_id,
                "commune_id": self.commune_id,
                "full_name": person.name,
                "birth_date": born,
                "birth_year": born.year,
                "sex": person.sex,
                "relationship": person.relationship,
                "ethnicity": ethnicity,
                "id_number": self._id_number(person),
                "has_health_insurance": insured,
                "health_insurance_expiry": CARD_EXPIRY if insured else None,
                "has_disability": rng.random() < 0.02,
            }
            if 3 <= age < 16 and 3 <= age_today < 16:
                out = rng.random() < (0.03 if poor_or_near else 0.005)
                row["attends_school"] = not out
            if age < 5 and poor_or_near and rng.random() < 0.15:
                row["stunted"] = True
            row["receives_social_allowance"] = age >= 80 or row["has_disability"]
            row["education_level"], row["employment"] = self._schooling_and_work(age)
            rows.append(row)
        return rows

    def _schooling_and_work(self, age: int) -> tuple[str, str]:
        rng = self.rng
        if age < 6:
            return EducationLevel.NONE, Employment.CHILD
        if age < 11:
            return EducationLevel.NONE, Employment.STUDENT
        if age < 15:
            return EducationLevel.PRIMARY, Employment.STUDENT
        if age < 18:
            return EducationLevel.LOWER_SECONDARY, Employment.STUDENT
        education = ADULT_EDUCATION.draw(rng)
        if age >= 62:
            return education, (
                Employment.NOT_WORKING
                if rng.random() < 0.7
                else Employment.SELF_EMPLOYED
            )
        return education, WORKING.draw(rng)

    def _id_number(self, person: _Person) -> str:
        """CCCD/định danh: province, century and sex, year of birth, a serial; unique
        across the install (numbers already there are skipped)."""
        year = person.birth_date.year
        century = (0 if year < 2000 else 2) + (person.sex == Sex.FEMALE)
        prefix = f"{CCCD_PROVINCE}{century}{year % 100:02d}"
        while True:
            self.serials[prefix] += 1
            number = f"{prefix}{self.serials[prefix]:06d}"
            if number not in self.taken_ids:
                return number

    def _review(
        self,
        household_id: int,
        status: str,
        year: int,
        review_round: ReviewRound,
        size: int,
        *,
        reviewer: str,
        officer: User,
        no_labour: bool,
    ) -> dict[str, Any]:
        rng = self.rng
        plan = ROUNDS[0] if year == ROUNDS[0].year else ROUNDS[1]
        if status == POOR:
            deprived = rng.sample(INDICATOR_SLUGS, rng.choice((3, 3, 3, 4, 4, 5, 6)))
            income = rng.randint(55 if no_labour else 70, 145) * 10_000
        elif status == NEAR_POOR:
            deprived = rng.sample(INDICATOR_SLUGS, rng.choice((0, 1, 1, 2, 2)))
            income = rng.randint(100, 150) * 10_000
        else:
            deprived = rng.sample(INDICATOR_SLUGS, rng.choice((0, 0, 0, 0, 1, 1, 2)))
            income = int(rng.triangular(226, 800, 320)) * 10_000
        # What Review.save() computes (bulk writes skip it).
        standard = self.standards[year]
        computed = classify(income, deprived, urban=False, standard=standard).status
        if computed != status:  # pragma: no cover - a bug in this module
            raise AssertionError(f"{household_id}/{year}: {status} ≠ {computed}")
        span = (plan.reviews_until - plan.reviews_from).days
        row: dict[str, Any] = {
            "household_id": household_id,
            "review_date": plan.reviews_from + timedelta(days=rng.randint(0, span)),
            "kind": ReviewKind.PERIODIC,
            "round_id": review_round.pk,
            "reviewer_name": reviewer,
            "recorded_by_id": officer.pk,
            "income_per_person_month": income,
            "floor_area_m2": Decimal(rng.randint(8 * size + 5, 20 * size + 40)),
            "household_size": size,
            "standard_code": standard.code,
            "status": computed,
            "poverty_causes": self._causes(computed, no_labour),
            "created_at": self.now,
        }
        for slug in INDICATOR_SLUGS:
            row[slug] = slug in deprived
        return row

    def _causes(self, status: str, no_labour: bool) -> list[str]:
        if status == NOT_POOR:
            return []
        if no_labour:
            return [PovertyCause.LABOUR]
        drawn = {CAUSES.draw(self.rng) for _ in range(self.rng.randint(1, 3))}
        return [str(c) for c in PovertyCause if c in drawn]
