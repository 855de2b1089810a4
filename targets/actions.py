"""Writes of the targets app: one transaction each."""

from __future__ import annotations

from django.db import transaction

from households.models import Commune
from targets.forms import AllocationForm
from targets.models import PovertyTarget, VillageAllocation


@transaction.atomic
def save_allocation(
    form: AllocationForm, *, commune: Commune, year: int
) -> PovertyTarget:
    """Save the commune's target and every village's share together, or nothing."""
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
