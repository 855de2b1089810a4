"""What every page shows: the demo's working date (households/clock.py), and for a
province user the communes of its province to switch between."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from households import clock
from households.views import province_communes as communes_of


def working_date(request: HttpRequest) -> dict[str, Any]:
    return {"working_date": clock.working_date()}


def province_communes(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_province:
        return {}
    return {"province_communes": communes_of(user.province)}
