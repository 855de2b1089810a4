"""Targets measured live against the register, per village and for the commune.

Reads only: each function takes the households a user may see (already scoped with
`visible_to`) and answers in a constant number of queries, whatever their number.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, F, FilteredRelation, Q, QuerySet

from households import clock, figures
from households.indicators import MemberFacts
from households.models import Commune, Household, HouseholdQuerySet, Member, Village
from households.poverty import PovertyStatus
from households.rates import rate
from households.transitions import end_of, start_of
from targets.models import Measure, PovertyTarget, ServiceTarget, VillageAllocation
from targets.progress import Measurement

# For household measures: the indicators whose deprivation means "not reached".
HOUSEHOLD_MEASURES: dict[str, tuple[str, ...]] = {
    Measure.POOR_WATER: ("nguon_nuoc_sinh_hoat",),
    Measure.POOR_HOUSING_QUALITY: ("chat_luong_nha_o",),
    Measure.POOR_FLOOR_AREA: ("dien_tich_nha_o_binh_quan",),
    Measure.POOR_LATRINE: ("nha_tieu_hop_ve_sinh",),
    Measure.POOR_INFORMATION: (
        "su_dung_dich_vu_vien_thong",
        "phuong_tien_tiep_can_thong_tin",
    ),
}

# The words of the gap sentence: "còn 3 hộ nghèo chưa có nhà tiêu hợp vệ sinh".
GAP_WORDS: dict[str, str] = {
    Measure.CHILDREN_IN_SCHOOL: "trẻ em từ 3 đến dưới 16 tuổi chưa đi học",
    Measure.POOR_WATER: "hộ nghèo chưa tiếp cận nguồn nước hợp vệ sinh",
    Measure.NEAR_POOR_INSURED: "khẩu thuộc hộ cận nghèo chưa có thẻ BHYT còn hạn",
    Measure.POOR_HOUSING_QUALITY: "hộ nghèo có nhà ở chưa bảo đảm chất lượng",
    Measure.POOR_FLOOR_AREA: "hộ nghèo có diện tích nhà ở dưới 8 m²/người",
    Measure.POOR_LATRINE: "hộ nghèo chưa có nhà tiêu hợp vệ sinh",
    Measure.POOR_INFORMATION: "hộ nghèo chưa tiếp cận dịch vụ thông tin",
}


def measured_on(year: int) -> date:
    """ "Now" for a year's targets: today, or the last day of a year that is over."""
    return min(clock.today(), end_of(year))


# The day a report on the targets reads its figures ("số liệu đến ngày"): the
# September reports (reports/issuing.py) and the figures of a task's submission
# (tasks/views.py) read the register on the same day.
def clamp_as_of(day: date, year: int, today: date) -> date:
    """Figures are read within the report's year and never after today (a later day
    would print today's register under a date that has not come)."""
    return max(date(year, 1, 1), min(day, today, end_of(year)))


def default_as_of(
    due_before: date | None, year: int, today: date | None = None
) -> date:
    """The report's deadline: its last on-time day ("trước 25/9" → 24/9), or the end
    of the year when the plan sets none; today while the deadline is to come."""
    day = due_before - timedelta(days=1) if due_before else end_of(year)
    return clamp_as_of(day, year, today or clock.today())


@dataclass(frozen=True)
class Concerned:
    """A household or person the target has not reached yet."""

    household_id: int
    household_code: str
    village_name: str
    name: str


@dataclass
class ServiceProgress:
    target: ServiceTarget
    on: date
    commune: Measurement
    villages: list[tuple[Village, Measurement]]
    concerned: list[Concerned] = field(default_factory=list)

    @property
    def gap_sentence(self) -> str:
        gap = self.commune.gap
        if not gap:
            return "Đã đạt chỉ tiêu."
        return f"Còn thiếu {gap} {GAP_WORDS[self.target.measure]} để đạt chỉ tiêu."

    @property
    def concerned_sentence(self) -> str:
        return f"{self.commune.concerned} {GAP_WORDS[self.target.measure]}"


def _head_names(households: Iterable[int]) -> dict[int, str]:
    return dict(
        Member.objects.filter(household_id__in=list(households), relationship="head")
        .values_list("household_id", "full_name")
        .order_by()
    )


def _measure_households(
    target: ServiceTarget, households: HouseholdQuerySet, on: date
) -> tuple[dict[int, list[bool]], list[Concerned]]:
    slugs = HOUSEHOLD_MEASURES[target.measure]
    rows = list(
        households.present_on(on)
        .with_status_on(on)
        .with_status(PovertyStatus.POOR)
        .with_indicators_on(on, *slugs)
        .values(
            "id",
            "code",
            "village_id",
            "village__name",
            *[f"deprived_{s}" for s in slugs],
        )
        .order_by("village__position", "code")
    )
    reached: dict[int, list[bool]] = defaultdict(list)
    missing = []
    for row in rows:
        ok = not any(row[f"deprived_{s}"] for s in slugs)
        reached[row["village_id"]].append(ok)
        if not ok:
            missing.append(row)
    heads = _head_names(r["id"] for r in missing)
    concerned = [
        Concerned(r["id"], r["code"], r["village__name"], heads.get(r["id"], ""))
        for r in missing
    ]
    return reached, concerned


def _household_counts(
    target: ServiceTarget, households: HouseholdQuerySet, on: date
) -> dict[int, tuple[int, int]]:
    """{village id: (reached, counted)} by SQL aggregation: what `_measure_households`
    counts, for the pages that show only the figures."""
    slugs = HOUSEHOLD_MEASURES[target.measure]
    missed = Q()
    for slug in slugs:
        missed |= Q(**{f"deprived_{slug}": True})
    rows = (
        households.present_on(on)
        .with_status_on(on)
        .with_status(PovertyStatus.POOR)
        .with_indicators_on(on, *slugs)
        .values("village_id")
        .annotate(total=Count("id"), missed=Count("id", filter=missed))
        .values_list("village_id", "missed", "total")
        .order_by()
    )
    return {village: (total - missed, total) for village, missed, total in rows}


def _measured_members(
    target: ServiceTarget, households: HouseholdQuerySet, on: date
) -> QuerySet[Member]:
    """The members a member measure counts (before the exact age on `on`)."""
    present = households.present_on(on)
    if target.measure == Measure.NEAR_POOR_INSURED:
        near_poor = present.with_status_on(on).with_status(PovertyStatus.NEAR_POOR)
        return near_poor.their_members()
    # Children aged 3 to under 16 of the whole commune.
    return present.their_members().filter(
        birth_year__gte=on.year - 16, birth_year__lte=on.year - 3
    )


def _years_before(on: date, years: int) -> date:
    try:
        return on.replace(year=on.year - years)
    except ValueError:  # 29 February: the day before in a common year
        return on.replace(year=on.year - years, day=28)


def _member_counts(
    target: ServiceTarget, households: HouseholdQuerySet, on: date
) -> dict[int, tuple[int, int]]:
    """{village id: (reached, counted)} by SQL aggregation: what `_measure_members`
    counts, for the pages that show only the figures (no list of names). Counted
    from the households, their members joined within the commune (`Member.commune`),
    so that the database reads only the commune's members."""
    present = households.present_on(on)
    if target.measure == Measure.NEAR_POOR_INSURED:
        present = present.with_status_on(on).with_status(PovertyStatus.NEAR_POOR)
        counted = Q()
        # MemberFacts.insured_on.
        ok = Q(counted_members__has_health_insurance=True) & (
            Q(counted_members__health_insurance_expiry__isnull=True)
            | Q(counted_members__health_insurance_expiry__gte=on)
        )
    else:
        # Children aged 3 to under 16 (MemberFacts.age_on: from the birth date
        # when known, else the year).
        counted = Q(
            members__birth_date__isnull=True,
            members__birth_year__range=(on.year - 15, on.year - 3),
        ) | Q(
            members__birth_date__gt=_years_before(on, 16),
            members__birth_date__lte=_years_before(on, 3),
            members__birth_year__range=(on.year - 16, on.year - 3),
        )
        ok = Q(counted_members__attends_school=True)
    rows = (
        present.alias(
            counted_members=FilteredRelation(
                "members",
                condition=Q(members__commune_id=F("commune_id")) & counted,
            )
        )
        .values("village_id")
        .annotate(
            reached=Count("counted_members", filter=ok),
            total=Count("counted_members"),
        )
        .values_list("village_id", "reached", "total")
        .order_by()
    )
    return {village: (reached, total) for village, reached, total in rows if total}


def _measure_members(
    target: ServiceTarget, households: HouseholdQuerySet, on: date
) -> tuple[dict[int, list[bool]], list[Concerned]]:
    members = _measured_members(target, households, on)
    # Only the columns the rule reads, as tuples: building a Member, its Household
    # and its Village for each of tens of thousands of children cost seconds.
    rows = members.values_list(
        "household_id",
        "household__code",
        "household__village_id",
        "household__village__name",
        "full_name",
        "birth_year",
        "birth_date",
        "has_health_insurance",
        "health_insurance_expiry",
        "attends_school",
    ).order_by("household__village__position", "household__code", "id")
    reached: dict[int, list[bool]] = defaultdict(list)
    concerned = []
    for row in rows.iterator(chunk_size=5000):
        household_id, code, village_id, village_name, *member = row
        facts = MemberFacts(*member)
        if target.measure == Measure.NEAR_POOR_INSURED:
            ok = facts.insured_on(on)
        else:
            if not 3 <= facts.age_on(on) < 16:
                continue
            ok = bool(facts.attends_school)
        reached[village_id].append(ok)
        if not ok:
            concerned.append(
                Concerned(household_id, code, village_name, facts.full_name)
            )
    return reached, concerned


def service_progress(
    target: ServiceTarget,
    households: HouseholdQuerySet,
    villages: Iterable[Village],
    *,
    on: date | None = None,
    list_concerned: bool = True,
    commune: Commune | None = None,
) -> ServiceProgress:
    """The target's figures on `on`, per village and for the commune, and (unless
    `list_concerned` is off, for pages that show only the figures) the households
    or persons not yet reached.

    `commune`: the households are that commune's (as a user sees them: restricted to
    `villages`), so the figures may be read from the commune's cached ones
    (households/figures.py) when no list is asked for."""
    on = on or measured_on(target.year)
    counts: dict[int, tuple[int, int]]
    concerned: list[Concerned] = []
    if not list_concerned:
        count = (
            _household_counts
            if target.measure in HOUSEHOLD_MEASURES
            else _member_counts
        )
        if commune is None:
            counts = count(target, households, on)
        else:
            counts = figures.cached(
                commune.pk,
                f"service:{target.measure}:{on:%Y%m%d}",
                lambda: count(target, Household.objects.filter(commune=commune), on),
            )
    else:
        if target.measure in HOUSEHOLD_MEASURES:
            reached, concerned = _measure_households(target, households, on)
        else:
            reached, concerned = _measure_members(target, households, on)
        counts = {v: (sum(oks), len(oks)) for v, oks in reached.items()}

    def measurement(ok: int, total: int) -> Measurement:
        return Measurement(
            ok=ok, total=total, comparator=target.comparator, threshold=target.threshold
        )

    per_village = [(v, measurement(*counts.get(v.pk, (0, 0)))) for v in villages]
    return ServiceProgress(
        target=target,
        on=on,
        commune=measurement(
            sum(ok for ok, _ in counts.values()),
            sum(total for _, total in counts.values()),
        ),
        villages=per_village,
        concerned=concerned,
    )


@dataclass(frozen=True)
class PovertyRow:
    """One village (or the commune) against its poverty target."""

    name: str
    households_start: int
    poor_start: int
    poor_reduction: int | None
    households_now: int
    poor_now: int
    near_poor_start: int
    near_poor_now: int
    near_poor_target_end: int | None = None
    village: Village | None = None

    @property
    def poor_target_end(self) -> int | None:
        if self.poor_reduction is None:
            return None
        return self.poor_start - self.poor_reduction

    @property
    def rate_start(self) -> Decimal | None:
        return (
            rate(self.poor_start, self.households_start)
            if self.households_start
            else None
        )

    @property
    def rate_target(self) -> Decimal | None:
        target = self.poor_target_end
        if target is None or not self.households_start:
            return None
        return rate(target, self.households_start)

    @property
    def rate_now(self) -> Decimal | None:
        return rate(self.poor_now, self.households_now) if self.households_now else None

    @property
    def lifted(self) -> int:
        return self.poor_start - self.poor_now

    @property
    def still_to_lift(self) -> int | None:
        target = self.poor_target_end
        return None if target is None else max(0, self.poor_now - target)

    @property
    def met(self) -> bool | None:
        target = self.poor_target_end
        return None if target is None else self.poor_now <= target


@dataclass
class PovertyProgress:
    year: int
    target: PovertyTarget | None
    baseline_date: date
    on: date
    villages: list[PovertyRow]
    total: PovertyRow


def _status_counts(
    households: HouseholdQuerySet, day: date
) -> dict[int, dict[str, int]]:
    return {
        row["village_id"]: row
        for row in households.present_on(day)
        .with_status_on(day)
        .values("village_id")
        .annotate(
            households=Count("id"),
            poor=Count("id", filter=Q(status=PovertyStatus.POOR)),
            near_poor=Count("id", filter=Q(status=PovertyStatus.NEAR_POOR)),
        )
        .order_by()
    }


def commune_status_counts(commune: Commune, day: date) -> dict[int, dict[str, int]]:
    """`_status_counts` of the whole commune, from its cached figures."""
    return figures.cached(
        commune.pk,
        f"status:{day:%Y%m%d}",
        lambda: _status_counts(Household.objects.filter(commune=commune), day),
    )


def poverty_progress(
    year: int,
    target: PovertyTarget | None,
    households: HouseholdQuerySet,
    villages: Iterable[Village],
    *,
    on: date | None = None,
    whole_commune: bool = True,
    commune: Commune | None = None,
) -> PovertyProgress:
    """Baseline, target and current standing of each village and of the commune.

    `whole_commune` is False for a village head: the total row is then their village's.
    `commune`: the households are that commune's, restricted to `villages` (as
    `visible_to` does for a village head): the counts are then read from the
    commune's cached figures (households/figures.py).
    """
    on = on or measured_on(year)
    baseline = start_of(year)
    if commune is None:
        start = _status_counts(households, baseline)
        now = _status_counts(households, on)
    else:
        start = commune_status_counts(commune, baseline)
        now = commune_status_counts(commune, on)
    allocations: dict[int, VillageAllocation] = (
        {a.village_id: a for a in target.allocations.all()} if target else {}
    )
    rows = []
    for village in villages:
        s, n = start.get(village.pk, {}), now.get(village.pk, {})
        allocation = allocations.get(village.pk)
        rows.append(
            PovertyRow(
                name=village.name,
                village=village,
                households_start=s.get("households", 0),
                poor_start=s.get("poor", 0),
                near_poor_start=s.get("near_poor", 0),
                poor_reduction=allocation.poor_reduction if allocation else None,
                near_poor_target_end=allocation.near_poor_target_end
                if allocation
                else None,
                households_now=n.get("households", 0),
                poor_now=n.get("poor", 0),
                near_poor_now=n.get("near_poor", 0),
            )
        )
    total_poor_start = sum(r.poor_start for r in rows)
    if whole_commune and target is not None:
        reduction: int | None = total_poor_start - target.poor_target_end
        near_poor_target = target.near_poor_target_end
    else:
        known = [r.poor_reduction for r in rows if r.poor_reduction is not None]
        reduction = sum(known) if known and len(known) == len(rows) else None
        near_poor_target = None
    total = PovertyRow(
        name="Toàn xã" if whole_commune else (rows[0].name if rows else ""),
        households_start=sum(r.households_start for r in rows),
        poor_start=total_poor_start,
        near_poor_start=sum(r.near_poor_start for r in rows),
        poor_reduction=reduction,
        near_poor_target_end=near_poor_target,
        households_now=sum(r.households_now for r in rows),
        poor_now=sum(r.poor_now for r in rows),
        near_poor_now=sum(r.near_poor_now for r in rows),
    )
    return PovertyProgress(
        year=year,
        target=target,
        baseline_date=baseline,
        on=on,
        villages=rows,
        total=total,
    )


def poor_at_start(households: HouseholdQuerySet, year: int) -> dict[int, int]:
    """Poor households per village at the start of `year` (for the allocation form)."""
    return {k: v["poor"] for k, v in _status_counts(households, start_of(year)).items()}
