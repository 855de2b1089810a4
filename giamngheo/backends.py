"""Authentication backend that refuses demo accounts outside demo mode."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend


class DemoAwareModelBackend(ModelBackend):
    def user_can_authenticate(self, user: Any) -> bool:
        # Demo accounts share a password printed in the README: never in production.
        if getattr(user, "is_demo", False) and not settings.DEMO_MODE:
            return False
        return super().user_can_authenticate(user)
