"""The register in and out of Excel: the export of a scope, the staged import."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET

from households import clock
from households.forms import villages_for
from households.models import Household
from households.register_workbook import export_register
from households.views import commune_of

if TYPE_CHECKING:
    from giamngheo.http import AuthenticatedRequest

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_GET
def register_export(request: AuthenticatedRequest) -> HttpResponse:
    """The register of what the user may read: the commune, or one village
    (`?thon=<id>`; a village head always gets his own)."""
    commune = commune_of(request)
    households = Household.objects.visible_to(request.user).filter(commune=commune)
    village = None
    village_id = request.GET.get("thon", "")
    if request.user.is_village_head:
        village = villages_for(request.user).first()
    elif village_id:
        village = (
            villages_for(request.user)
            .filter(commune=commune, pk=int(village_id))
            .first()
            if village_id.isdigit()
            else None
        )
        if village is None:
            raise Http404("Không có thôn, làng này.")
    if village is not None:
        households = households.filter(village=village)
    data = export_register(
        households,
        commune=commune,
        village=village,
        exported_by=request.user.get_full_name() or request.user.username,
    )
    part = f"-thon-{village.pk}" if village else ""
    name = f"so-ho-{commune.code}{part}-{clock.today():%Y%m%d}.xlsx"
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
