"""System checks: production must not run with the demo password or debug on."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.db import DatabaseError


@register(Tags.security, deploy=True)
def demo_mode_off_in_production(**kwargs: Any) -> list[Error]:
    if settings.DEMO_MODE:
        return [
            Error(
                "DEMO_MODE đang bật: tài khoản mẫu đăng nhập được.",
                hint="Đặt DEMO_MODE=False khi triển khai thật.",
                id="giamngheo.E001",
            )
        ]
    return []


@register()
def working_date_only_in_demo_mode(**kwargs: Any) -> list[Error]:
    """A real install runs on the real date: the demo's fixed working date would put
    every deadline and every "today" of the commune's work on a wrong day."""
    if settings.DEMO_WORKING_DATE and not settings.DEMO_MODE:
        return [
            Error(
                "DEMO_WORKING_DATE chỉ dùng cho dữ liệu mẫu, khi DEMO_MODE=True.",
                hint="Để trống DEMO_WORKING_DATE khi triển khai thật.",
                id="giamngheo.E003",
            )
        ]
    return []


@register(Tags.database)
def no_demo_accounts_outside_demo_mode(
    databases: Iterable[str] | None = None, **kwargs: Any
) -> list[Error]:
    # Database checks only run when asked for (migrate, check --database).
    if not databases or settings.DEMO_MODE:
        return []
    from giamngheo.models import User

    try:
        names = list(
            User.objects.filter(is_demo=True, is_active=True).values_list(
                "username", flat=True
            )[:5]
        )
    except DatabaseError:
        return []
    if names:
        return [
            Error(
                "Còn tài khoản mẫu dùng mật khẩu công khai: " + ", ".join(names),
                hint="Đổi mật khẩu hoặc khóa các tài khoản này trước khi triển khai.",
                id="giamngheo.E002",
            )
        ]
    return []


# A cache that each process keeps for itself counts each gunicorn worker's share of a
# flood only: the throttles (giamngheo/throttles.py) would let workers × the rate in.
PER_PROCESS_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


@register(Tags.caches, deploy=True)
def throttles_shared_by_every_worker(**kwargs: Any) -> list[Warning]:
    backend = settings.CACHES.get(settings.RATELIMIT_USE_CACHE, {}).get("BACKEND", "")
    if backend in PER_PROCESS_CACHES or not backend:
        return [
            Warning(
                f"Bộ đếm giới hạn đăng nhập và tải tệp ({settings.RATELIMIT_USE_CACHE})"
                " không dùng chung giữa các tiến trình gunicorn.",
                hint="Dùng bộ nhớ đệm tệp (FileBasedCache) hoặc cơ sở dữ liệu.",
                id="giamngheo.W001",
            )
        ]
    return []
