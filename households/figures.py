"""A commune's figures computed once per change of its register, not once per page.

The dashboard, the targets page, the villages page and the province's roll-up count a
commune's households by village, status and indicator on a day. At 20,000 households
each count reads the whole commune (issue 12): the same figures, recomputed on every
request although the register changes a few times a day outside the review round.

So each write to a commune's register inserts a `RegisterChange` row in the write's
own transaction (the receivers below, and `status_history.refresh_households` for
the reviews' standing), and a figure is cached under the commune's newest row: the
first page after a change computes it, the next ones read it. A reader that sees a
version has committed data at least as new as that version, so a cached figure is
never older than the register it names; a commune with no row yet is never cached.

A write that bypasses `save()` and `delete()` (`QuerySet.update`, `bulk_create`,
`COPY`) must call `mark_changed` itself, as `refresh_households` does for the
periods it rewrites. The tests compare cached and fresh figures after random
histories through the forms and imports.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.cache import caches
from django.db.models import Count, Q
from django.db.models.signals import post_delete, post_save

# settings.CACHES["figures"]: memory of each server process. A day is long enough;
# a changed register changes the key, so no entry is ever read stale.
CACHE_ALIAS = "figures"
TIMEOUT = 24 * 3600


def mark_changed(commune_ids: Iterable[int | None]) -> None:
    """Record a write to these communes' registers (inside the write's transaction)."""
    from households.models import RegisterChange

    ids = sorted({c for c in commune_ids if c is not None})
    if ids:
        RegisterChange.objects.bulk_create(RegisterChange(commune_id=c) for c in ids)


def register_version(commune_id: int) -> str | None:
    """The commune's newest change, as a cache key part; None before the first."""
    from households.models import RegisterChange

    newest = (
        RegisterChange.objects.filter(commune_id=commune_id)
        .order_by("-id")
        .values_list("id", "token")
        .first()
    )
    return None if newest is None else f"{newest[0]}-{newest[1].hex}"


def cached[T](commune_id: int, name: str, compute: Callable[[], T]) -> T:
    """`compute()`, or its value stored under the commune's current version.

    `name` must say everything the value depends on besides the register (the day,
    the measure...)."""
    version = register_version(commune_id)
    if version is None:
        return compute()
    cache = caches[CACHE_ALIAS]
    key = f"figures:{commune_id}:{version}:{name}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TIMEOUT)
    return value


@dataclass(frozen=True)
class VillageCounts:
    """A village's line of the villages page: its households on the register now."""

    households: int = 0
    members: int = 0
    poor: int = 0
    near_poor: int = 0


def village_counts(commune_id: int, today: date) -> dict[int, VillageCounts]:
    """{village id: counts} of the commune's households not archived, their status
    today (the villages page)."""

    def compute() -> dict[int, VillageCounts]:
        from households.models import Household, Member
        from households.poverty import PovertyStatus

        households = Household.objects.filter(commune_id=commune_id).active()
        statuses = (
            households.with_status_on(today)
            .values("village_id")
            .annotate(
                households=Count("id"),
                poor=Count("id", filter=Q(status=PovertyStatus.POOR)),
                near_poor=Count("id", filter=Q(status=PovertyStatus.NEAR_POOR)),
            )
            .values_list("village_id", "households", "poor", "near_poor")
            .order_by()
        )
        members = dict(
            Member.objects.filter(
                commune_id=commune_id,
                household__commune_id=commune_id,
                household__archived_on__isnull=True,
            )
            .values_list("household__village_id")
            .annotate(n=Count("id"))
            .order_by()
        )
        return {
            village: VillageCounts(total, members.get(village, 0), poor, near_poor)
            for village, total, poor, near_poor in statuses
        }

    return cached(commune_id, f"villages:{today:%Y%m%d}", compute)


def households_of_class(
    commune_id: int, village_ids: Iterable[int], status: str, today: date
) -> list[int]:
    """The ids of the households of these villages (of one commune) on the register
    today in class `status` (a `PovertyStatus`), in the register's order (village,
    then code): the household list of one class pages through them, where each page
    would otherwise join the commune's every household with its status."""

    def compute() -> list[tuple[int, int]]:
        from households.models import Household

        return list(
            Household.objects.filter(commune_id=commune_id)
            .active()
            .with_status_on(today)
            .filter(status=status)
            .order_by("village__position", "code", "id")
            .values_list("village_id", "id")
        )

    shown = set(village_ids)
    return [
        household
        for village, household in cached(
            commune_id, f"class:{status}:{today:%Y%m%d}", compute
        )
        if village in shown
    ]


# --- Kept current ---------------------------------------------------------------------


def _household_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    mark_changed([instance.commune_id])


def _member_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    mark_changed([instance.commune_id])


def _village_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    """A village renamed or reordered: the tables cached with its name."""
    mark_changed([instance.commune_id])


def _determination_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    """A medium living standard recognised or withdrawn (report 1's columns)."""
    from households.models import Household

    mark_changed(
        Household.objects.filter(pk=instance.household_id).values_list(
            "commune_id", flat=True
        )
    )


def connect() -> None:
    """Called from `HouseholdsConfig.ready()`. Reviews, rounds and decisions change
    the figures through the status periods they rewrite (status_history)."""
    from households.models import (
        Household,
        MediumLivingDetermination,
        Member,
        Village,
    )

    for signal, suffix in ((post_save, "saved"), (post_delete, "deleted")):
        signal.connect(
            _village_changed, sender=Village, dispatch_uid=f"figures-village-{suffix}"
        )
        signal.connect(
            _determination_changed,
            sender=MediumLivingDetermination,
            dispatch_uid=f"figures-medium-{suffix}",
        )

    for signal, suffix in ((post_save, "saved"), (post_delete, "deleted")):
        signal.connect(
            _household_changed, sender=Household, dispatch_uid=f"figures-home-{suffix}"
        )
        signal.connect(
            _member_changed, sender=Member, dispatch_uid=f"figures-member-{suffix}"
        )
