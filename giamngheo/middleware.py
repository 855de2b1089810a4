"""Middleware of the project: no caching of personal pages (ASVS 14.3.2); the
commune a province user looks at."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

from households.views import looked_at_commune


class NoStoreMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if getattr(request, "user", None) and request.user.is_authenticated:
            add_never_cache_headers(response)  # includes no-store
        return response


class ProvinceCommuneMiddleware:
    """For a province user, the commune it looks at in this request (`?xa=<mã xã>`,
    remembered in the session; a commune outside its province is 404). Every page
    of a commune then serves it as it serves that commune's chairman."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_province:
            user.working_commune = looked_at_commune(request, user)
        return self.get_response(request)
