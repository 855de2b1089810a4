"""The demo commune's farm households and their medium living standard in 2024.

`seed_farm_households_2024()` runs after the end-2024 review round
(`register.seed_review_round_2024`). It records which households live from farming
or forestry — in Cao Ngọc, a rural commune of the midlands, the households with a
working member self-employed (`Employment.SELF_EMPLOYED`, "tự làm nông nghiệp, kinh
doanh") — and plays the year's determinations of the medium living standard
(Quyết định 24/2021/QĐ-TTg) for some of them. Sample data, like the rest of the demo.

Rules the data keeps:

- A household is determined only when it farms and is on the register all year.
- Its actual income is its latest review's income per person per month (up to
  31/12/2024) times its members times 12, plus the social allowances of its members
  who receive one (`Member.receives_social_allowance`), which are then left out: the
  review and the determination agree, and `in_band` is the rule's result.
- Most households the review put in the medium band asked and were recognised by the
  chairman within the month; one request of December still waits for the decision;
  a few households above the band asked and were answered that they are not in it.
- One `random.Random(SEED)` drives every choice.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from demo.register import (
    BATCH_SIZE,
    CHANGE_REASON,
    COMMUNE_CODE,
    COMMUNE_NAME,
    OFFICER_USERNAME,
    WORKING_DATE,
    DemoSeedError,
    require_demo_mode,
)
from giamngheo.models import User
from households.models import (
    Commune,
    Employment,
    FarmLivelihood,
    Household,
    MediumLivingDetermination,
)
from households.poverty import PovertyStatus
from households.transitions import end_of

SEED = 20240515
YEAR = 2024
# A monthly social allowance per person receiving one (the demo's figure: the base
# level of Nghị định 20/2021/NĐ-CP, 360.000 đồng, sample data).
ALLOWANCE_PER_MONTH = 360_000
FORESTRY_SHARE = 0.15  # of the farming households, those that mainly keep forest
RECOGNISED_SHARE = 0.7  # of the farming households in the medium band
REFUSED_PER_VILLAGE = 1  # farming households above the band that asked anyway
FIRST_REQUEST = date(2024, 1, 20)
LAST_DECIDED_REQUEST = date(2024, 11, 10)  # decided in the batch of 15/11
PENDING_REQUEST = date(2024, 12, 5)  # determined on 15/12, not yet recognised


@dataclass(frozen=True)
class FarmResult:
    created: bool
    farming: int = 0
    recognised: int = 0
    refused: int = 0
    pending: int = 0
    seconds: float = 0.0


def _next_15th(day: date) -> date:
    """The process runs from the 15th of each month (QĐ 24/2021/QĐ-TTg)."""
    if day.day <= 15:
        return day.replace(day=15)
    following = (day.replace(day=28) + timedelta(days=4)).replace(day=15)
    return following


def seed_farm_households_2024() -> FarmResult:
    """Record the farm households and their 2024 determinations, all or nothing.

    Needs the 2024 review round; does nothing (`created=False`) when the commune
    already has a determination.
    """
    require_demo_mode()
    started = time.perf_counter()
    with transaction.atomic():
        commune = Commune.objects.filter(code=COMMUNE_CODE).first()
        if commune is None:
            raise DemoSeedError(f"Chưa có dữ liệu mẫu xã {COMMUNE_NAME}.")
        if MediumLivingDetermination.objects.filter(
            household__commune=commune
        ).exists():
            return FarmResult(created=False)
        officer = User.objects.filter(
            commune=commune, username=OFFICER_USERNAME
        ).first()
        result = _FarmYear(random.Random(SEED), commune, officer).build()
    return FarmResult(
        created=True,
        farming=result.farming,
        recognised=result.recognised,
        refused=result.refused,
        pending=result.pending,
        seconds=time.perf_counter() - started,
    )


class _FarmYear:
    def __init__(
        self, rng: random.Random, commune: Commune, officer: User | None
    ) -> None:
        self.rng = rng
        self.commune = commune
        self.officer = officer

    def build(self) -> FarmResult:
        rng = self.rng
        end = end_of(YEAR)
        households = list(
            Household.objects.filter(commune=self.commune)
            .with_status_on(end)
            .select_related("commune", "village")
            .prefetch_related("members", "reviews")
            .order_by("village__position", "code")
        )
        farming = []
        for household in households:
            members = list(household.members.all())
            if any(m.employment == Employment.SELF_EMPLOYED for m in members):
                household.farm_livelihood = (
                    FarmLivelihood.FORESTRY
                    if rng.random() < FORESTRY_SHARE
                    else FarmLivelihood.AGRICULTURE
                )
                farming.append(household)
        bulk_update_with_history(
            farming,
            Household,
            ["farm_livelihood"],
            batch_size=BATCH_SIZE,
            default_change_reason=CHANGE_REASON,
        )

        determined = [
            h
            for h in farming
            if h.archived_on is None
            and h.registered_on < date(YEAR, 1, 1)
            and h.status in (PovertyStatus.MEDIUM, PovertyStatus.NOT_POOR)
        ]
        medium = [h for h in determined if h.status == PovertyStatus.MEDIUM]
        asked = [h for h in medium if rng.random() < RECOGNISED_SHARE]
        pending = asked.pop(rng.randrange(len(asked))) if asked else None
        refused: list[Household] = []
        by_village: dict[int, list[Household]] = {}
        for h in determined:
            if h.status == PovertyStatus.NOT_POOR:
                by_village.setdefault(h.village_id, []).append(h)
        for candidates in by_village.values():
            refused += rng.sample(candidates, min(REFUSED_PER_VILLAGE, len(candidates)))

        rows: list[MediumLivingDetermination] = []
        span = (LAST_DECIDED_REQUEST - FIRST_REQUEST).days
        for household in asked + refused:
            requested = FIRST_REQUEST + timedelta(days=rng.randint(0, span))
            rows.append(self._determination(household, requested, decided=True))
        if pending is not None:
            rows.append(self._determination(pending, PENDING_REQUEST, decided=False))
        rows.sort(key=lambda d: (d.determined_on, d.household.code))
        # One decision per monthly batch, with the list of its households attached.
        decisions: dict[date, tuple[str, date]] = {}
        for row in rows:
            if row.decision_date is None:
                continue
            if row.determined_on not in decisions:
                number = f"{len(decisions) + 1:02d}/QĐ-UBND"
                decisions[row.determined_on] = (number, row.decision_date)
            row.decision_number, row.decision_date = decisions[row.determined_on]
        bulk_create_with_history(
            rows,
            MediumLivingDetermination,
            batch_size=BATCH_SIZE,
            default_change_reason=CHANGE_REASON,
            default_user=self.officer,
        )
        return FarmResult(
            created=True,
            farming=len(farming),
            recognised=sum(1 for r in rows if r.decision_date is not None),
            refused=sum(1 for r in rows if not r.in_band),
            pending=1 if pending is not None else 0,
        )

    def _determination(
        self, household: Household, requested: date, *, decided: bool
    ) -> MediumLivingDetermination:
        """The household's actual income agrees with its latest review of 2024."""
        members = list(household.members.all())
        review = max(
            (r for r in household.reviews.all() if r.review_date <= end_of(YEAR)),
            key=lambda r: (r.review_date, r.pk),
        )
        receiving = sum(1 for m in members if m.receives_social_allowance)
        allowances = receiving * ALLOWANCE_PER_MONTH * 12
        determined = _next_15th(requested)
        # Posted for 5 working days, then the chairman decides (QĐ 406/QĐ-LĐTBXH
        # 2023, step 3; secondary source).
        decision = determined + timedelta(days=self.rng.randint(9, 14))
        determination = MediumLivingDetermination(
            household=household,
            requested_on=requested,
            determined_on=determined,
            income_12_months=review.income_per_person_month * len(members) * 12
            + allowances,
            excluded_allowances=allowances,
            persons=len(members),
            decision_date=min(decision, WORKING_DATE) if decided else None,
            recorded_by=self.officer,
        )
        result = determination.result()
        determination.standard_code = result.standard.code
        determination.in_band = result.in_band
        if not result.in_band:
            determination.decision_date = None
            determination.note = (
                "Chủ tịch UBND xã đã trả lời hộ bằng văn bản: thu nhập thực tế vượt "
                "mức sống trung bình."
            )
        return determination
