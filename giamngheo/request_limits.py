"""A request body too large is refused (413) from its announced size, before anything
reads it (issue 13 item 2).

Django reads a POST's body when a view or CsrfViewMiddleware first asks for
`request.POST`, and writes a file part above FILE_UPLOAD_MAX_MEMORY_SIZE to the
temporary folder as it goes: without this, an anonymous visitor could make the server
write 500 MB to disk before the CSRF check answered 403. This middleware stands
before CsrfViewMiddleware and looks at the Content-Length header only:

- REQUEST_BODY_MAX_MB for everybody: above the largest legitimate upload (a task's
  submission, MAX_FILES files of 10 MB each, households/uploads.py) and equal to
  nginx's `client_max_body_size` (README, "Triển khai");
- ANONYMOUS_REQUEST_BODY_MAX_KB when the request carries no logged-in session: the
  only forms a visitor sends are the login and the password reset, a few hundred
  bytes.

A body sent in chunks announces no length; Django would read nothing of it (its WSGI
request reads CONTENT_LENGTH bytes), browsers never send forms so, and nginx hands
the app a Content-Length: such a request is refused too.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import get_user
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

SOME_MB = 1024 * 1024


def announced_length(request: HttpRequest) -> int | None:
    """The body's Content-Length; None when the body comes in chunks; 0 without a
    body."""
    if "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower():
        return None
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return None


def too_large(
    request: HttpRequest, limit: int, *, anonymous: bool = False
) -> HttpResponse:
    shown = f"{limit // SOME_MB} MB" if limit >= SOME_MB else f"{limit // 1024} KB"
    body = render_to_string(
        "413.html", {"limit": shown, "anonymous": anonymous}, request=request
    )
    response = HttpResponse(body, status=413)
    # The rest of the body is not read: the client must not reuse this connection.
    response["Connection"] = "close"
    return response


class RequestSizeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        length = announced_length(request)
        limit = settings.REQUEST_BODY_MAX_MB * SOME_MB
        if length is None or length > limit:
            return too_large(request, limit)
        anonymous_limit = settings.ANONYMOUS_REQUEST_BODY_MAX_KB * 1024
        # The session is read only for a body an anonymous visitor may not send.
        if length > anonymous_limit and not get_user(request).is_authenticated:
            # Most often a session that ended while a form with files was filled in.
            return too_large(request, anonymous_limit, anonymous=True)
        return self.get_response(request)
