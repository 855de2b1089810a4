"""The scope of a report request: the commune, the year, the households and villages
the user may see (`Household.objects.visible_to`), narrowed by `?village=<id>`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.http import Http404

from households.forms import villages_for
from households.models import Commune, Household, HouseholdQuerySet, Village
from households.views import commune_for

if TYPE_CHECKING:
    from giamngheo.http import AuthenticatedRequest
    from giamngheo.models import User


@dataclass(frozen=True)
class Scope:
    commune: Commune
    year: int
    households: HouseholdQuerySet
    villages: list[Village]  # the rows of the report
    choices: list[Village]  # every village the user may pick
    village: Village | None  # the one picked with ?village=
    whole_commune: bool


def report_scope(request: AuthenticatedRequest, year: int) -> Scope:
    return scope_for(request.user, year, request.GET.get("village", ""))


def scope_for(user: User, year: int, wanted: str = "") -> Scope:
    """The scope of `user` (`wanted`: the id of a village of it, or ""); a background
    job reads it again when it runs, from its requester."""
    if not 2000 <= year <= 2100:
        raise Http404("Năm báo cáo không hợp lệ.")
    commune = commune_for(user)
    choices = list(villages_for(user).filter(commune=commune))
    households = Household.objects.visible_to(user).filter(commune=commune)
    villages, village = choices, None
    if wanted:
        village = next((v for v in choices if str(v.pk) == wanted), None)
        if village is None:
            raise Http404("Thôn không thuộc phạm vi của bạn.")
        villages = [village]
        households = households.filter(village=village)
    return Scope(
        commune=commune,
        year=year,
        households=households,
        villages=villages,
        choices=choices,
        village=village,
        whole_commune=not user.is_village_head and village is None,
    )
