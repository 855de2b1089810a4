"""The villages' own forecast of the year: households their plans expect to escape.

The progress page sets it beside each village's reduction target
(`targets.progress.forecast`). The forecast comes from the villages' plans, which
are tasks (`tasks.plan_forecast`), and `targets` lies below `tasks` in the
dependency arrows (README): so `tasks` provides it from its `AppConfig.ready()`
(the providing side registers itself, STYLE.md §3). With no provider, no village
has handed in a forecast.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from households.models import Village


class ExpectedEscapes(Protocol):
    def __call__(self, year: int, villages: Iterable[Village]) -> Mapping[int, int]:
        """Households expected to escape poverty in `year`, per village id, for the
        villages whose forecast counts; a village missing from the answer has none
        yet (it counts 0 expected escapes)."""
        ...


_sources: list[ExpectedEscapes] = []


def provide(source: ExpectedEscapes) -> None:
    """Called from the providing app's `AppConfig.ready()`. One source: providing the
    same one again is harmless, a second one is a mistake."""
    if _sources and _sources[0] is not source:
        raise ValueError("Dự báo thoát nghèo của các thôn đã có nguồn khác.")
    _sources[:] = [source]


def expected_escapes(year: int, villages: Iterable[Village]) -> Mapping[int, int]:
    if not _sources:
        return {}
    return _sources[0](year, villages)
