"""The project's URLs plus one view that crashes, for tests/test_error_pages.py."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from giamngheo.urls import urlpatterns as project_urlpatterns


def crash(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("lỗi thử nghiệm")


urlpatterns = [path("thu-loi/", crash), *project_urlpatterns]
