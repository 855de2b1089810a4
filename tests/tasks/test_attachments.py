"""The registry of what a task's submission can carry (tasks/attachments.py): the
app that makes a document registers a provider; the submit page asks the registry."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from tasks import attachments

AS_OF = date(2024, 9, 24)


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    """An empty registry for the test; the apps' providers come back after it."""
    providers: list[Any] = []
    monkeypatch.setattr(attachments, "_providers", providers)
    yield providers


def test_with_no_provider_nothing_is_offered(registry: list[Any]) -> None:
    assert attachments.offer_for(object(), as_of=AS_OF) is None  # type: ignore[arg-type]


def test_the_first_provider_with_an_offer_gives_it(registry: list[Any]) -> None:
    asked: list[tuple[Any, date]] = []

    def none(task: Any, as_of: date) -> None:
        asked.append((task, as_of))

    def offer(task: Any, as_of: date) -> str:
        return f"offer for {task} on {as_of:%d/%m/%Y}"

    def never(task: Any, as_of: date) -> str:
        raise AssertionError("asked after an offer was made")

    for provider in (none, offer, never):
        attachments.register(provider)  # type: ignore[arg-type]

    assert attachments.offer_for("T", as_of=AS_OF) == "offer for T on 24/09/2024"  # type: ignore[arg-type]
    assert asked == [("T", AS_OF)]


def test_registering_a_provider_twice_keeps_one(registry: list[Any]) -> None:
    def offer(task: Any, as_of: date) -> None:
        return None

    attachments.register(offer)
    attachments.register(offer)  # ready() may run again, e.g. in a test runner

    assert registry == [offer]
