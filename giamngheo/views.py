from django.http import HttpResponse
from django.shortcuts import redirect

from giamngheo.http import AuthenticatedRequest


def home(request: AuthenticatedRequest) -> HttpResponse:
    """Each role starts where its work is."""
    user = request.user
    if user.is_chairman:
        return redirect("targets:latest")
    if user.is_officer or user.is_village_head or user.is_superuser:
        return redirect("households:list")
    return redirect("tasks:mine")
