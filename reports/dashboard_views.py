"""The chairman's dashboard page (the officer's and a village head's too)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpResponse
from django.shortcuts import render

from households import clock
from households.views import commune_of
from reports.dashboard import dashboard, target_years

if TYPE_CHECKING:
    from giamngheo.http import AuthenticatedRequest


def dashboard_view(request: AuthenticatedRequest) -> HttpResponse:
    """The year: `?nam=` when it has a target, else the latest year with a target."""
    commune = commune_of(request)
    years = target_years(commune) or [clock.today().year]
    chosen = request.GET.get("nam", "")
    year = int(chosen) if chosen.isdigit() and int(chosen) in years else years[0]
    summary = dashboard(request.user, year, commune=commune)
    return render(request, "reports/dashboard.html", {"d": summary, "year": year})
