"""A session ends SESSION_MAX_HOURS after its login, whatever the activity (issue 13
item 4): the idle limit (SESSION_COOKIE_AGE, renewed on every request) alone lets a
session that is used now and then live for ever.

The login time is written into the session when the user logs in (`user_logged_in`);
a session from before this rule has none, and counts from its first request.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

LOGIN_AT = "login_at"


@receiver(user_logged_in)
def remember_login_time(sender: Any, request: HttpRequest, **kwargs: Any) -> None:
    request.session[LOGIN_AT] = timezone.now().timestamp()


def expired(login_at: float, now: float) -> bool:
    return now - login_at > settings.SESSION_MAX_HOURS * 3600


class SessionMaxAgeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        now = timezone.now().timestamp()
        login_at = request.session.setdefault(LOGIN_AT, now)
        if not expired(login_at, now):
            return self.get_response(request)
        logout(request)
        # Stored after the logout, which empties the session (the messages' cookie
        # carries it to the login page).
        messages.info(
            request,
            f"Phiên làm việc đã quá {settings.SESSION_MAX_HOURS} giờ kể từ khi đăng "
            "nhập. Vui lòng đăng nhập lại.",
        )
        login_url = reverse("login")
        if request.method == "GET":
            login_url += "?" + urlencode({"next": request.get_full_path()})
        return redirect(login_url)
