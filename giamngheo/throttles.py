"""Rates that cost an attacker more than the server (issue 13 item 2).

- A login (the site's and the admin's) and a password-reset request are counted per
  client address, whatever the username, and refused with 429 before the form is
  even read: no password is hashed (about 1 s of CPU each) once the rate is passed.
  axes still locks one username+address pair after repeated failures; this rate is
  what stops a flood of random usernames, which axes never locks.
- A user asking for more files (PDF, Excel: `?format=pdf|xlsx`, or a view marked
  `jobs.documents.makes_file`) than `EXPORT_RATE` is told to wait (429).

A rate, not a lockout: a whole commune office may share one NAT address, so the
worst an honest office meets is a wait of under a minute.

The counting is django-ratelimit's (`get_usage`: a fixed window per key, jittered
per key), a maintained library rather than a hand-written counter; we call it
directly instead of through its decorator so that the refusal is our 429 page with
its retry time, not a 403. Its counters live in the `throttles` cache (settings),
which every gunicorn worker shares. That cache (files on disk) increments with a read
and a write, not atomically: two workers counting at once may lose one attempt, so
the limit is approximate by a few, which is no matter for a rate of tens.
"""

from __future__ import annotations

import ipaddress
import math
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django_ratelimit.core import get_usage

FILE_FORMATS = ("pdf", "xlsx")


def client_ip(request: HttpRequest) -> str | None:
    """The client's address, for axes (AXES_CLIENT_IP_CALLABLE) and the login rate.

    Directly served, REMOTE_ADDR. Behind AXES_IPWARE_PROXY_COUNT proxies (nginx: 1),
    the entry that the outermost of them appended to X-Forwarded-For, counted from
    the right: what a client writes there itself stands further left and is never
    read, so nobody escapes the rate by inventing addresses. (django-ipware, which
    axes would otherwise use, is not installed: it reads a client's own
    X-Forwarded-For even without a proxy. Without it axes read REMOTE_ADDR, nginx's
    127.0.0.1 for everybody.)

    None when there is no address, or what stands there is not one (a login made
    in code, a header not written by our proxy): axes stores the address in an IP
    column, which PostgreSQL checks."""
    address = request.META.get("REMOTE_ADDR") or ""
    proxies = settings.AXES_IPWARE_PROXY_COUNT
    if proxies > 0:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        entries = [entry.strip() for entry in forwarded if entry.strip()]
        if len(entries) >= proxies:
            address = entries[-proxies]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def client_address(group: str, request: HttpRequest) -> str:
    """The rate's key: the client's address, or for IPv6 its /64 network (one
    subscriber's, whose every address is his to use), as django-ratelimit's own
    "ip" key does."""
    address = client_ip(request)
    if address is None:
        return "unknown"
    if ipaddress.ip_address(address).version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return address


def user_key(group: str, request: HttpRequest) -> str:
    return str(request.user.pk)


def _refusal(request: HttpRequest, *, template: str, time_left: int) -> HttpResponse:
    seconds = max(time_left, 1)
    body = render_to_string(
        template,
        {"seconds": seconds, "minutes": math.ceil(seconds / 60)},
        request=request,
    )
    response = HttpResponse(body, status=429)
    response["Retry-After"] = str(seconds)
    return response


def over_rate(
    request: HttpRequest,
    *,
    group: str,
    rate: str,
    key: Callable[[str, HttpRequest], str],
) -> int | None:
    """Count this request; the seconds until the window ends when it is one too many,
    else None."""
    usage = get_usage(request, group=group, key=key, rate=rate, increment=True)
    if usage is None or not usage["should_limit"]:
        return None
    return int(usage["time_left"])


def login_throttled(
    view: Callable[..., HttpResponse], *, group: str = "login"
) -> Callable[..., HttpResponse]:
    """Refuse a POST to a login (or password-reset) view past LOGIN_RATE per client
    address, before the view reads the form. Every POST counts, a successful one
    too: counting only failures would let a flood hash passwords until it fails."""

    @wraps(view)
    def throttled(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "POST":
            time_left = over_rate(
                request, group=group, rate=settings.LOGIN_RATE, key=client_address
            )
            if time_left is not None:
                return _refusal(
                    request,
                    template="registration/too_many_logins.html",
                    time_left=time_left,
                )
        return view(request, *args, **kwargs)

    return throttled


def asks_for_file(request: HttpRequest, view: Callable[..., Any]) -> bool:
    return bool(getattr(view, "makes_file", False)) or (
        request.GET.get("format") in FILE_FORMATS
    )


class ExportThrottleMiddleware:
    """A logged-in user's files (PDF, Excel, and the jobs that make them) past
    EXPORT_RATE answer 429 before the view builds anything."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if not asks_for_file(request, view_func):
            return None
        time_left = over_rate(
            request, group="exports", rate=settings.EXPORT_RATE, key=user_key
        )
        if time_left is None:
            return None
        return _refusal(request, template="too_many_exports.html", time_left=time_left)
