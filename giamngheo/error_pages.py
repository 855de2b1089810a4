"""Our Vietnamese 404 and 500 pages in every mode, DEBUG included.

With DEBUG=True (`make run`), Django answers an unknown or out-of-scope URL with its
English technical 404 page and a crash with a traceback. A visitor of the demo meets
that mode, so the project's own pages (templates/404.html, 500.html) are shown there
too; the traceback still goes to the log. 403 and 400 always use the project's pages.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.views import defaults

logger = logging.getLogger("django.request")

ANSWERED_BY_DJANGO = (
    PermissionDenied,
    BadRequest,
    SuspiciousOperation,
    MultiPartParserError,
)


class ErrorPagesMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            settings.DEBUG
            and response.status_code == 404
            and not getattr(response, "is_project_page", False)
        ):
            return self._not_found(request)
        return response

    def process_exception(
        self, request: HttpRequest, exception: Exception
    ) -> HttpResponse | None:
        if not settings.DEBUG:
            return None  # Django's own handlers render our pages
        if isinstance(exception, Http404):
            return self._not_found(request)
        if isinstance(exception, ANSWERED_BY_DJANGO):
            return None  # 400/403 pages: the project's own in every mode
        logger.exception("Lỗi máy chủ: %s", request.path, extra={"status_code": 500})
        response = defaults.server_error(request)
        response.is_project_page = True  # type: ignore[attr-defined]
        return response

    @staticmethod
    def _not_found(request: HttpRequest) -> HttpResponse:
        response = defaults.page_not_found(request, Http404())
        response.is_project_page = True  # type: ignore[attr-defined]
        return response
