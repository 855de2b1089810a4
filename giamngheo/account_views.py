"""A user's own password (change; reset by e-mail where mail is set up) and the
officer's page giving a colleague a temporary one (giamngheo/passwords.py)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_http_methods

from giamngheo.http import AuthenticatedRequest
from giamngheo.passwords import (
    may_reset_passwords,
    resettable_by,
    set_temporary_password,
)
from giamngheo.throttles import login_throttled
from households.models import fold


class PasswordChange(auth_views.PasswordChangeView):
    """Django's, which keeps the user logged in and checks the validators of the
    settings; the new password also clears a temporary one's flag (set_password)."""

    # Not Django's default name: the admin's own password change keeps its template.
    template_name = "registration/change_password.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, "Đã đổi mật khẩu.")
        return response


password_change = PasswordChange.as_view()

_reset_by_email = auth_views.PasswordResetView.as_view(
    template_name="registration/reset_form.html",
    email_template_name="registration/password_reset_email.txt",
    subject_template_name="registration/password_reset_subject.txt",
)


def _password_reset(request: HttpRequest) -> HttpResponse:
    """By e-mail where mail is set up; otherwise the page says who gives a temporary
    password."""
    if not settings.PASSWORD_RESET_BY_EMAIL:
        return render(request, "registration/password_reset_by_officer.html")
    return _reset_by_email(request)


# Each POST may send a mail: rated per client address like the logins.
password_reset = login_not_required(
    login_throttled(_password_reset, group="password-reset")
)


@require_http_methods(["GET", "POST"])
def user_passwords(request: AuthenticatedRequest) -> HttpResponse:
    """The officer's page: the accounts of his commune; a POST (`account`) gives one
    a temporary password, shown once on the answer (never stored, never mailed)."""
    if not may_reset_passwords(request.user):
        raise PermissionDenied
    accounts = resettable_by(request.user).select_related("commune", "village")
    given: tuple[Any, str] | None = None
    error = ""
    if request.method == "POST":
        chosen = request.POST.get("account", "")
        if not chosen.isdigit():
            error = "Chọn người dùng cần đặt lại mật khẩu."
        else:
            account = get_object_or_404(accounts, pk=int(chosen))
            given = (account, set_temporary_password(by=request.user, account=account))
    context = {
        # Vietnamese lists go by the given name, then the family name, letters
        # without their marks ("Bạch" before "Bùi"; a database orders by code point).
        "accounts": sorted(
            accounts,
            key=lambda a: (fold(a.first_name), fold(a.last_name), a.username),
        ),
        "given": given,
        "error": error,
    }
    return render(request, "registration/user_passwords.html", context)
