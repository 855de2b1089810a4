"""The overview of a year's village plans (the list of plans): per village its plan,
its poor households at the start of the year and its expected escapes against the
target, with the commune's forecast and the same plan counts as the dashboard and the
status report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q

from households import clock
from households.models import Commune, Household, Village
from targets.measurement import poor_at_start
from targets.models import PovertyTarget, VillageAllocation
from targets.progress import Forecast, VillageForecast, forecast
from tasks.models import VillagePlan
from tasks.plan_counts import PlanCounts, count_plans
from tasks.plan_forecast import expected_escapes


@dataclass(frozen=True)
class VillageRow:
    village: Village
    plan: VillagePlan | None
    poor_start: int
    listed: int  # households the plan's own list expects to escape, handed in or not
    outlook: VillageForecast  # what counts: 0 expected until the plan is handed in

    @property
    def target(self) -> int | None:
        return self.outlook.target

    @property
    def expected(self) -> int:
        return self.outlook.expected

    @property
    def gap(self) -> int:
        """Households missing from the expected-escape list to meet the target."""
        return self.outlook.shortfall or 0

    @property
    def short(self) -> bool:
        return self.gap > 0


@dataclass(frozen=True)
class Overview:
    rows: list[VillageRow]
    on: date
    counts: PlanCounts  # the same counts as the dashboard and the status report
    outlook: Forecast


def plans_overview(
    commune: Commune, villages: list[Village], year: int, target: PovertyTarget | None
) -> Overview:
    plans = {
        p.village_id: p
        for p in VillagePlan.objects.filter(year=year, village__in=villages).annotate(
            n_households=Count("households"),
            n_expected=Count("households", filter=Q(households__expected_escape=True)),
        )
    }
    targets = dict(
        VillageAllocation.objects.filter(
            target__commune=commune, target__year=year
        ).values_list("village_id", "poor_reduction")
    )
    starts = poor_at_start(Household.objects.filter(village__in=villages), year)
    poor_start = sum(starts.get(v.pk, 0) for v in villages)
    # The commune's own reduction target, as on the targets page.
    reduction = (
        max(0, poor_start - target.poor_target_end) if target is not None else None
    )
    outlook = forecast(
        {v.pk: targets.get(v.pk) for v in villages},
        expected_escapes(year, villages),
        target=reduction,
    )
    today = clock.today()
    return Overview(
        rows=[
            VillageRow(
                village=v,
                plan=plans.get(v.pk),
                poor_start=starts.get(v.pk, 0),
                listed=plans[v.pk].n_expected if v.pk in plans else 0,  # type: ignore[attr-defined]
                outlook=outlook.villages[v.pk],
            )
            for v in villages
        ],
        on=today,
        counts=count_plans([plans.get(v.pk) for v in villages], year=year, today=today),
        outlook=outlook,
    )
