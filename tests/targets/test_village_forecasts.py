"""Where the targets progress page gets the villages' expected escapes: from the
source `tasks` provides in `TasksConfig.ready()` (targets/village_forecasts.py), so
`targets` never imports `tasks`."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import pytest

from households.models import Village
from targets import village_forecasts
from tasks import plan_forecast


@pytest.fixture
def no_source(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    sources: list[Any] = []
    monkeypatch.setattr(village_forecasts, "_sources", sources)
    yield sources


def test_the_villages_plans_are_the_source_tasks_provides() -> None:
    assert village_forecasts._sources == [plan_forecast.expected_escapes]


def test_with_no_source_no_village_has_a_forecast(no_source: list[Any]) -> None:
    assert village_forecasts.expected_escapes(2024, []) == {}


def test_the_source_is_asked_for_the_year_and_villages(no_source: list[Any]) -> None:
    def source(year: int, villages: Iterable[Village]) -> dict[int, int]:
        return {len(list(villages)): year}

    village_forecasts.provide(source)
    village_forecasts.provide(source)  # ready() may run again

    assert village_forecasts.expected_escapes(2024, []) == {0: 2024}


def test_a_second_source_is_refused(no_source: list[Any]) -> None:
    village_forecasts.provide(plan_forecast.expected_escapes)

    with pytest.raises(ValueError, match="nguồn khác"):
        village_forecasts.provide(lambda year, villages: {})
