"""The province's view of its communes (from 01/07/2025 the communes report to the
province; DOMAIN.md §15): one line per commune, and the review tables rolled up with
one row per commune, the way Thông tư 10/2022 and the reports of TT 07/2021 put the
communes under the level above (DOMAIN.md §3.8: "B Xã/Thôn").

Nothing is counted here: each commune's line is the total row of the very function
that makes its own page — `targets.measurement.poverty_progress` for the dashboard,
each report's summary (`reports.layouts.review.REPORTS`) for the tables — run on that
commune's households and villages as its chairman sees them; the province's total row
is the same function run once on all the province's households. So a commune's line
equals its own dashboard and tables, and the total equals the sum of the lines.

Mergers (households/mergers.py): a year shows the communes as they were that year.
Before the year of a merger, the former communes have their own lines, each with the
villages it held then (`villages_held`) and its own target; from the merger's year,
the new commune has one line. A former commune's line links to the dashboard of the
commune it lives on in, whose figures of that year include its households.

Cost: one summary per commune, and one more for the province (each summary is a
constant number of queries: about 4 per commune for the overview, 1–3 per commune
for a table). A province of 100 communes reads a few hundred small queries per page;
making it incremental is left for later.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from datetime import date
from decimal import Decimal
from typing import Any

from django.urls import reverse

from households import clock
from households.mergers import villages_held
from households.models import Commune, Household, Village
from households.rates import rate
from reports.excel import Column
from reports.layouts.review import REPORTS, ReviewReport
from reports.scope import Scope
from targets.measurement import poverty_progress
from targets.models import PovertyTarget

# Report 9's columns are the ethnic groups present, which differ from commune to
# commune: its rows cannot be set side by side without recounting, so it is not
# rolled up (each commune's own report 9 still is).
ROLLED_UP = tuple(number for number in REPORTS if number != 9)
PROVINCE_TOTAL = "Tổng cộng toàn tỉnh"


def _rate(count: int, total: int) -> Decimal | None:
    return rate(count, total) if total > 0 else None


@dataclass(frozen=True)
class CommuneLine:
    """One commune (or the province) at the start of the year and now."""

    number: str
    name: str
    url: str  # the commune's dashboard of the year ("" on the total row)
    households_start: int
    poor_start: int
    near_poor_start: int
    households_now: int
    poor_now: int
    near_poor_now: int
    poor_target_end: int | None

    @property
    def poor_rate_start(self) -> Decimal | None:
        return _rate(self.poor_start, self.households_start)

    @property
    def poor_rate_now(self) -> Decimal | None:
        return _rate(self.poor_now, self.households_now)

    @property
    def near_poor_rate_start(self) -> Decimal | None:
        return _rate(self.near_poor_start, self.households_start)

    @property
    def near_poor_rate_now(self) -> Decimal | None:
        return _rate(self.near_poor_now, self.households_now)

    @property
    def poor_change(self) -> int:
        return self.poor_now - self.poor_start

    @property
    def near_poor_change(self) -> int:
        return self.near_poor_now - self.near_poor_start

    @property
    def poor_rate_change(self) -> Decimal | None:
        """In percentage points, each rate from its own counts."""
        start, now = self.poor_rate_start, self.poor_rate_now
        return None if start is None or now is None else now - start


@dataclass(frozen=True)
class ProvinceOverview:
    province: str
    year: int
    years: tuple[int, ...]
    baseline: date
    on: date
    lines: tuple[CommuneLine, ...]
    total: CommuneLine


def province_communes(province: str) -> list[Commune]:
    """Every commune of the province, those merged into another too (`of_year`)."""
    return list(
        Commune.objects.filter(province=province)
        .select_related("merged_into")
        .order_by("name", "pk")
    )


@dataclass(frozen=True)
class YearCommune:
    """A commune as it was in a year: the villages it held then."""

    commune: Commune
    villages: list[int]

    def households(self) -> Any:
        return Household.objects.filter(
            commune=self.commune.successor, village__in=self.villages
        )

    def village_rows(self) -> Any:
        return Village.objects.filter(pk__in=self.villages)


def of_year(communes: Sequence[Commune], year: int) -> list[YearCommune]:
    """The communes that had `year` (`Commune.exists_in`), each with its villages of
    that year."""
    held = villages_held(communes, year)
    return [
        YearCommune(commune, held.get(commune.pk, []))
        for commune in communes
        if commune.exists_in(year)
    ]


def province_years(communes: Sequence[Commune]) -> list[int]:
    """The years with a poverty target in one of the communes, latest first."""
    years = (
        PovertyTarget.objects.filter(commune__in=communes)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )
    return list(years) or [clock.today().year]


def commune_dashboard_url(commune: Commune, year: int) -> str:
    return f"{reverse('reports:dashboard')}?xa={commune.code}&nam={year}"


def province_overview(
    province: str, communes: Sequence[Commune], year: int
) -> ProvinceOverview:
    """Each commune's line, from its dashboard's own figures (the commune's total of
    `poverty_progress`, as its chairman sees it)."""
    lines = []
    baseline = on = clock.today()
    for number, as_was in enumerate(of_year(communes, year), start=1):
        commune = as_was.commune
        target = (
            PovertyTarget.objects.filter(commune=commune, year=year)
            .prefetch_related("allocations")
            .first()
        )
        progress = poverty_progress(
            year,
            target,
            as_was.households(),
            as_was.village_rows(),
            # A former commune's households are its successor's, in its villages.
            commune=commune.successor,
        )
        baseline, on = progress.baseline_date, progress.on
        t = progress.total
        lines.append(
            CommuneLine(
                number=str(number),
                name=commune.name,
                url=commune_dashboard_url(commune.successor, year),
                households_start=t.households_start,
                poor_start=t.poor_start,
                near_poor_start=t.near_poor_start,
                households_now=t.households_now,
                poor_now=t.poor_now,
                near_poor_now=t.near_poor_now,
                poor_target_end=t.poor_target_end,
            )
        )
    targets = [line.poor_target_end for line in lines]
    total = CommuneLine(
        number="",
        name=PROVINCE_TOTAL,
        url="",
        households_start=sum(line.households_start for line in lines),
        poor_start=sum(line.poor_start for line in lines),
        near_poor_start=sum(line.near_poor_start for line in lines),
        households_now=sum(line.households_now for line in lines),
        poor_now=sum(line.poor_now for line in lines),
        near_poor_now=sum(line.near_poor_now for line in lines),
        # A province target only when every commune has one.
        poor_target_end=sum(t for t in targets if t is not None)
        if targets and None not in targets
        else None,
    )
    return ProvinceOverview(
        province=province,
        year=year,
        years=tuple(province_years(communes)),
        baseline=baseline,
        on=on,
        lines=tuple(lines),
        total=total,
    )


# --- The review tables, one row per commune -------------------------------------------


def _year_scope(as_was: YearCommune, year: int) -> Scope:
    """A commune's register as it was in `year` (its villages of then)."""
    villages = list(as_was.village_rows())
    return Scope(
        commune=as_was.commune,
        year=year,
        households=as_was.households(),
        villages=villages,
        choices=villages,
        village=None,
        whole_commune=True,
    )


def _province_scope(communes: Sequence[Commune], year: int) -> Scope:
    villages = list(Village.objects.filter(commune__in=communes))
    return Scope(
        commune=communes[0],
        year=year,
        households=Household.objects.filter(commune__in=communes),
        villages=villages,
        choices=villages,
        village=None,
        whole_commune=True,
    )


def _as_line(row: Any, number: str, name: str) -> Any:
    """A summary's total row, renamed for the commune (or the province) it totals."""
    named = {f.name for f in fields(row)}
    return replace(row, name=name, **({"number": number} if "number" in named else {}))


@dataclass(frozen=True)
class RolledUp:
    report: ReviewReport
    summary: Any  # the province's summary, its rows one per commune
    columns: list[Column]
    lines: list[Any]
    totals: list[Any]


def rolled_up(report: ReviewReport, communes: Sequence[Commune], year: int) -> RolledUp:
    """Report `report` with one row per commune: each commune's own total row (its
    own summary), then the province's total row (the same summary on the whole
    province)."""
    rows = tuple(
        _as_line(
            report.summarise(_year_scope(as_was, year)).total,
            str(number),
            as_was.commune.name,
        )
        for number, as_was in enumerate(of_year(communes, year), start=1)
    )
    # The province's households are the same whichever communes hold them.
    province = report.summarise(_province_scope(communes, year))
    summary = replace(
        province, rows=rows, total=_as_line(province.total, "", PROVINCE_TOTAL)
    )
    columns = [
        replace(column, header="Xã") if column.code == "B" else column
        for column in report.columns(summary)
    ]
    lines, totals = report.lines(summary)
    return RolledUp(report, summary, columns, lines, totals)
