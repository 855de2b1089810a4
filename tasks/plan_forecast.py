"""The villages' own forecast of the year: households their plans expect to escape."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, Q

from households.models import Village
from tasks.models import PlanStatus, VillagePlan

# A draft or returned plan is not yet the village's word; a submitted one is.
COUNTED = (PlanStatus.SUBMITTED, PlanStatus.APPROVED)


def expected_escapes(year: int, villages: Iterable[Village | int]) -> dict[int, int]:
    """Households expected to escape poverty in `year`, per village id.

    Only villages whose plan is submitted or approved are in the answer (possibly with
    0): a village missing from it has no forecast yet. One query.
    """
    ids = [v if isinstance(v, int) else v.pk for v in villages]
    rows = (
        VillagePlan.objects.filter(year=year, village_id__in=ids, status__in=COUNTED)
        .values_list("village_id")
        .annotate(n=Count("households", filter=Q(households__expected_escape=True)))
        .order_by()
    )
    return {village_id: n for village_id, n in rows}
