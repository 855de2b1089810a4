"""Writes of the targets app: one transaction each."""

from __future__ import annotations

from django.db import transaction

from households import edit_conflicts
from households.models import Commune
from targets.forms import AllocationForm
from targets.models import PovertyTarget, VillageAllocation


def allocation_sources(commune_id: int, year: int) -> list[edit_conflicts.Source]:
    """The year's allocation as one version: the commune's target and every
    village's share (a share changed moves it as much as the target does)."""
    targets = PovertyTarget.history.filter(commune_id=commune_id, year=year)
    return [
        edit_conflicts.Source("Chỉ tiêu của xã", targets),
        edit_conflicts.Source(
            "Chỉ tiêu giao cho",
            VillageAllocation.history.filter(target_id__in=targets.values("id")),
            name=lambda record: str(record.village),
        ),
    ]


@transaction.atomic
def save_allocation(
    form: AllocationForm,
    *,
    commune: Commune,
    year: int,
    loaded: str | None = None,
) -> PovertyTarget:
    """Save the commune's target and every village's share together, or nothing;
    refused (`EditConflict`) if another officer changed the year's allocation since
    the form was loaded at version `loaded`."""
    # The commune's row, because the year's target may not exist yet: two first
    # allocations of a year wait for each other too.
    Commune.objects.select_for_update().get(pk=commune.pk)
    edit_conflicts.refuse_if_changed(allocation_sources(commune.pk, year), loaded)
    data = form.cleaned_data
    target, _ = PovertyTarget.objects.update_or_create(
        commune=commune,
        year=year,
        defaults={
            "poor_target_end": data["poor_target_end"],
            "near_poor_target_end": data.get("near_poor_target_end"),
        },
    )
    for village in form.villages:
        VillageAllocation.objects.update_or_create(
            target=target,
            village=village,
            defaults={
                "poor_reduction": data[f"reduction_{village.pk}"],
                "near_poor_target_end": data.get(f"near_poor_{village.pk}"),
            },
        )
    return target
