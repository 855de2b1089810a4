"""What every page shows: the demo's working date (households/clock.py)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from households import clock


def working_date(request: HttpRequest) -> dict[str, Any]:
    return {"working_date": clock.working_date()}
