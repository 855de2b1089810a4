"""A tiny site with one of each mistake the crawler must catch (test_crawler.py)."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import path


def page(body: str) -> HttpResponse:
    return HttpResponse(f"<!doctype html><html><body>{body}</body></html>")


def home(request: HttpRequest) -> HttpResponse:
    return page(
        '<a href="/danh-sach/?loai=ngheo">Danh sách</a>'
        '<a href="/cam/">Trang cấm</a>'
        '<a href="/tieng-anh/">Tiếng Anh</a>'
        '<a href="/hong/">Hỏng</a>'
        '<form method="get" action="/danh-sach/"><select name="loai">'
        '<option value="">Tất cả</option><option value="can">Cận nghèo</option>'
        "</select></form>"
        '<form method="post" action="/hong/"><input name="x"></form>'
    )


def listing(request: HttpRequest) -> HttpResponse:
    number = request.GET.get("page", "1")
    return page(
        f"Trang {number}/3"
        '<a href="??page=2">Sau (hai dấu hỏi)</a>'
        '<a href="?page=3">Trang cuối (mất bộ lọc)</a>'
    )


def forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


def english(request: HttpRequest) -> HttpResponse:
    return page("<select><option>- Select an option -</option></select>")


def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("hỏng")


urlpatterns = [
    path("", home, name="home"),
    path("danh-sach/", listing, name="listing"),
    path("cam/", forbidden),
    path("tieng-anh/", english),
    path("hong/", broken),
]
