"""What "today" is for the pages: the real date, or the demo's working date.

The demo commune plays the 2024 plan. Opened on any later day, a real clock would show
every 2024 task "quá hạn 700 ngày", so in the demo the pages run on a fixed working date
(`DEMO_WORKING_DATE`, shown on every page). A real install leaves it empty and runs on
the real date. Every "today" of the code comes from here, never from
`timezone.localdate()` directly, so the demo is consistent on every page.
"""

from __future__ import annotations

from datetime import date, datetime, time

from django.conf import settings
from django.utils import timezone


def working_date() -> date | None:
    """The demo's working date, or None on a real install."""
    return getattr(settings, "DEMO_WORKING_DATE", None)


def today() -> date:
    return working_date() or timezone.localdate()


def now() -> datetime:
    """The current time of day on `today()` (aware, local time zone)."""
    fixed = working_date()
    if fixed is None:
        return timezone.now()
    current = timezone.localtime()
    return timezone.make_aware(
        datetime.combine(fixed, time(current.hour, current.minute, current.second)),
        timezone.get_current_timezone(),
    )
