"""The geometry of the dashboard's charts, from numbers alone (no database).

The SVG is drawn by the templates (`templates/reports/_chart_*.svg.html`) from what
these pure functions answer: bar lengths in SVG user units, axis ticks and labels in
Vietnamese (decimal comma). Server-rendered: no script, no inline style (CSP).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

from households.vietnamese_numbers import format_percent

# The drawing area of both charts, in SVG user units (the viewBox scales it).
WIDTH = 400
LABEL_WIDTH = 120  # the rates chart: labels left of the bars
BAR_AREA = 210  # the rates chart: the longest bar
VILLAGE_BAR_AREA = 370  # the villages chart: a bar under each village's name
VILLAGE_ROW = 68  # the height of one village's row on a phone


def vn_percent(value: Decimal | float | int | None, places: int = 2) -> str:
    """12.345 -> "12,35 %"; no value -> "—".

    The `percent` filter's formatting (both are `format_percent`), so the chart reads
    like every other page (2 decimals, decimal comma).
    """
    return "—" if value is None else format_percent(value, places)


def nice_maximum(values: list[Decimal | None], step: int = 5) -> Decimal:
    """The axis maximum: the largest value rounded up to a multiple of `step` (at
    least `step`, never above 100 unless a value is)."""
    known = [Decimal(str(v)) for v in values if v is not None]
    top = max(known, default=Decimal(0))
    if top <= 0:
        return Decimal(step)
    steps = (top / step).to_integral_value(rounding=ROUND_CEILING)
    return steps * step


def bar_length(
    value: Decimal | float | int | None, maximum: Decimal | int, area: int
) -> Decimal:
    """The length of a bar of `value` on an axis 0..maximum drawn `area` long,
    clamped to 0..area, to one decimal."""
    if value is None or not maximum or Decimal(str(maximum)) <= 0:
        return Decimal(0)
    share = Decimal(str(value)) / Decimal(str(maximum))
    share = min(Decimal(1), max(Decimal(0), share))
    return (share * area).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Tick:
    value: Decimal
    x: Decimal  # from the start of the bar area
    label: str


def ticks(maximum: Decimal, area: int, count: int = 5) -> tuple[Tick, ...]:
    """`count` + 1 evenly spaced ticks from 0 to `maximum`, labelled "5 %"."""
    result = []
    for i in range(count + 1):
        value = Decimal(maximum) * i / count
        places = 0 if value == value.to_integral_value() else 1
        result.append(
            Tick(
                value=value,
                x=bar_length(value, maximum, area),
                label=vn_percent(value, places),
            )
        )
    return tuple(result)


@dataclass(frozen=True)
class Bar:
    key: str  # a CSS class: start, target, now
    label: str
    value: Decimal | None
    length: Decimal
    y: int
    text: str  # the value as people read it: "12,3 %"

    @property
    def end(self) -> Decimal:
        """Where the value's text goes: just after the bar."""
        return self.length + 6


@dataclass(frozen=True)
class RatesChart:
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]
    maximum: Decimal
    label_width: int = LABEL_WIDTH
    area: int = BAR_AREA
    width: int = WIDTH
    bar_height: int = 28
    height: int = 3 * 44 + 30

    @property
    def axis_y(self) -> int:
        return 3 * 44 + 6


def rates_chart(
    start: Decimal | None, target: Decimal | None, now: Decimal | None
) -> RatesChart:
    """The poverty rate at the start of the year, the target, and now: three bars."""
    maximum = nice_maximum([start, target, now])
    labels = [
        ("start", "Đầu năm", start),
        ("target", "Chỉ tiêu", target),
        ("now", "Hiện nay", now),
    ]
    bars = tuple(
        Bar(
            key=key,
            label=label,
            value=value,
            length=bar_length(value, maximum, BAR_AREA),
            y=i * 44 + 4,
            text=vn_percent(value),
        )
        for i, (key, label, value) in enumerate(labels)
    )
    return RatesChart(bars=bars, ticks=ticks(maximum, BAR_AREA), maximum=maximum)


@dataclass(frozen=True)
class VillageLayout:
    """Where a village row's parts go. A phone gets the name above its bar and the
    figures under it, in large type; a wide screen gets one line per village (name,
    bar, figures), so that the chart uses the width without growing tall."""

    width: int  # the viewBox width
    row: int  # the height of one village's row
    bar_x: int
    area: int  # the longest bar
    label_dy: int
    bar_dy: int
    caption_x: int
    caption_dy: int
    css: str  # the figure's class, which CSS shows at its screen widths


NARROW = VillageLayout(
    width=WIDTH,
    row=VILLAGE_ROW,
    bar_x=0,
    area=VILLAGE_BAR_AREA,
    label_dy=18,
    bar_dy=25,
    caption_x=0,
    caption_dy=61,
    css="chart-narrow",
)
WIDE = VillageLayout(
    width=1100,
    row=34,
    bar_x=190,
    area=560,
    label_dy=21,
    bar_dy=8,
    caption_x=190 + 560 + 16,
    caption_dy=21,
    css="chart-wide",
)


@dataclass(frozen=True)
class VillageBar:
    """One village on one horizontal bar: the start rate (light bar), the rate now
    (dark bar, green when the target is met) and the target (a marker)."""

    name: str
    y: int  # the top of the row
    start: Decimal
    now: Decimal
    target: Decimal | None
    met: bool | None
    caption: str  # "đầu năm 12,35 % · chỉ tiêu 10,00 % · nay 11,04 %"
    layout: VillageLayout = NARROW

    @property
    def bar_y(self) -> int:
        return self.y + self.layout.bar_dy

    @property
    def text_y(self) -> int:
        return self.y + self.layout.label_dy

    @property
    def caption_y(self) -> int:
        return self.y + self.layout.caption_dy

    @property
    def marker_top(self) -> int:
        return self.bar_y - 4

    @property
    def marker_bottom(self) -> int:
        return self.bar_y + 20


@dataclass(frozen=True)
class VillagesChart:
    rows: tuple[VillageBar, ...]
    ticks: tuple[Tick, ...]
    maximum: Decimal
    layout: VillageLayout = NARROW

    @property
    def area(self) -> int:
        return self.layout.area

    @property
    def width(self) -> int:
        return self.layout.width

    @property
    def height(self) -> int:
        return len(self.rows) * self.layout.row + 30

    @property
    def axis_y(self) -> int:
        return len(self.rows) * self.layout.row + 6


@dataclass(frozen=True)
class VillageRates:
    """The numbers of one village the chart needs (rates in percent)."""

    name: str
    rate_start: Decimal | None
    rate_target: Decimal | None
    rate_now: Decimal | None
    met: bool | None


def villages_chart(
    villages: list[VillageRates], layout: VillageLayout = NARROW
) -> VillagesChart:
    maximum = nice_maximum(
        [r for v in villages for r in (v.rate_start, v.rate_target, v.rate_now)]
    )
    rows = []
    for i, v in enumerate(villages):
        parts = [
            f"đầu năm {vn_percent(v.rate_start)}",
            f"chỉ tiêu {vn_percent(v.rate_target)}",
            f"nay {vn_percent(v.rate_now)}",
        ]
        rows.append(
            VillageBar(
                name=v.name,
                y=i * layout.row,
                start=bar_length(v.rate_start, maximum, layout.area),
                now=bar_length(v.rate_now, maximum, layout.area),
                target=None
                if v.rate_target is None
                else bar_length(v.rate_target, maximum, layout.area),
                met=v.met,
                caption=" · ".join(parts),
                layout=layout,
            )
        )
    return VillagesChart(
        rows=tuple(rows),
        ticks=ticks(maximum, layout.area),
        maximum=maximum,
        layout=layout,
    )
