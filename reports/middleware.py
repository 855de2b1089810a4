"""A PDF that finds every rendering slot taken answers 503 with a Vietnamese page."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from reports.render_slots import RETRY_AFTER_SECONDS, NoFreeSlot


class BusyRendererMiddleware:
    """Turn `NoFreeSlot` into "come back in a few seconds" instead of a 500, and give
    the user the page of the same report (never limited) meanwhile."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(
        self, request: HttpRequest, exception: Exception
    ) -> HttpResponse | None:
        if not isinstance(exception, NoFreeSlot):
            return None
        page = ""
        if request.method == "GET" and "format" in request.GET:
            params = {k: v for k, v in request.GET.items() if k != "format"}
            page = request.path + (f"?{urlencode(params)}" if params else "")
        # A form (a submission attaching its PDF) is sent again from its own page:
        # nothing was saved, the transaction rolled back with the exception.
        retry = request.get_full_path() if request.method == "GET" else request.path
        body = render_to_string(
            "reports/pdf_busy.html",
            {"retry_url": retry, "page_url": page, "seconds": RETRY_AFTER_SECONDS},
            request=request,
        )
        response = HttpResponse(body, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
