from django.http import HttpResponse
from django.shortcuts import redirect

from giamngheo.http import AuthenticatedRequest


def home(request: AuthenticatedRequest) -> HttpResponse:
    """Each role starts where its work is."""
    user = request.user
    if user.is_chairman:
        return redirect("targets:latest")
    return redirect("households:list")
