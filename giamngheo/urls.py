from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, register_converter

from giamngheo import account_views, views
from giamngheo.converters import YearConverter
from giamngheo.throttles import login_throttled

# Before the apps' URL modules are imported: they use <year:…>.
register_converter(YearConverter, "year")

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "dang-nhap/",
        login_throttled(auth_views.LoginView.as_view(redirect_authenticated_user=True)),
        name="login",
    ),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "tai-khoan/doi-mat-khau/",
        account_views.password_change,
        name="password_change",
    ),
    path(
        "tai-khoan/quen-mat-khau/", account_views.password_reset, name="password_reset"
    ),
    path(
        "tai-khoan/quen-mat-khau/da-gui/",
        auth_views.PasswordResetDoneView.as_view(
            template_name="registration/reset_done.html"
        ),
        name="password_reset_done",
    ),
    path(
        "tai-khoan/dat-lai/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="registration/reset_confirm.html"
        ),
        name="password_reset_confirm",
    ),
    path(
        "tai-khoan/dat-lai/xong/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="registration/reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path(
        "tai-khoan/mat-khau-nguoi-dung/",
        account_views.user_passwords,
        name="user_passwords",
    ),
    path("ho/", include("households.urls")),
    path("chi-tieu/", include("targets.urls")),
    path("nhiem-vu/", include("tasks.urls")),
    path("bao-cao/", include("reports.urls")),
    path("viec-nen/", include("jobs.urls")),
    # The admin's login, throttled like ours; it comes first, so it answers
    # /quan-tri/login/ (reverse("admin:login") still names the same path).
    path("quan-tri/login/", login_throttled(admin.site.login, group="admin-login")),
    path("quan-tri/", admin.site.urls),
]

admin.site.site_header = "Quản trị hệ thống giảm nghèo"
admin.site.site_title = "Giảm nghèo"
