"""A request type whose user is known to be logged in (as in healthchecks)."""

from django.http import HttpRequest

from giamngheo.models import User


class AuthenticatedRequest(HttpRequest):
    user: User
