from django.http import HttpResponse
from django.shortcuts import redirect

from giamngheo.http import AuthenticatedRequest


def home(request: AuthenticatedRequest) -> HttpResponse:
    """Each role starts where its work is: the chairman, the officer and a village
    head on the dashboard (a village head's is their village's); a province user on
    its province's page."""
    user = request.user
    if user.is_province:
        return redirect("reports:province")
    if user.is_chairman or user.is_officer or user.is_village_head:
        return redirect("reports:dashboard")
    if user.is_superuser:
        return redirect("households:list")
    return redirect("tasks:mine")
