from django.http import HttpResponse
from django.shortcuts import redirect

from giamngheo.http import AuthenticatedRequest


def home(request: AuthenticatedRequest) -> HttpResponse:
    # The register is everyone's starting point until the dashboard exists.
    return redirect("households:list")
