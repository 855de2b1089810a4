"""A request type whose user is known to be logged in (as in healthchecks)."""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from giamngheo.models import User


class AuthenticatedRequest(HttpRequest):
    user: User
    htmx: HtmxDetails  # django_htmx.middleware.HtmxMiddleware
