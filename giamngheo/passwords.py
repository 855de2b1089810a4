"""Passwords a user forgot (issue 13 item 4): the commune's officer gives a colleague
a temporary password, which must be changed at the next page.

Where mail is configured (PASSWORD_RESET_BY_EMAIL), a user may also reset their own
by e-mail (Django's views, giamngheo/account_views.py); a commune office often has no
mail server, so the officer is the way that always works.

Who may reset whose: the officer of a commune, the users of that commune (its village
heads, chairman, sector officers, other officers), never himself (he changes his own),
never another commune's, never a superuser or a staff account; a superuser, every
account but the superusers (he also has the admin). Nobody else.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.password_validation import (
    CommonPasswordValidator,
    validate_password,
)
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from giamngheo.models import Role, User

# Short enough to read out over the phone, long enough to resist guessing for the
# minutes it lives (letters and digits, no look-alikes).
TEMPORARY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
TEMPORARY_LENGTH = 12


class VietnameseCommonPasswordValidator(CommonPasswordValidator):
    """Django's list is English; this one holds the passwords Vietnamese users pick
    first. Its own help line, so the change form does not say the same thing twice."""

    def get_help_text(self) -> str:
        return (
            "Mật khẩu của bạn không được là mật khẩu người Việt hay đặt "
            "(như “matkhau123”, “anhyeuem”)."
        )


def may_reset_passwords(user: User) -> bool:
    return user.is_superuser or (
        user.role == Role.OFFICER and user.commune_id is not None
    )


def resettable_by(user: User) -> QuerySet[User]:
    """The accounts whose password `user` may reset (none when he may not)."""
    accounts = User.objects.filter(is_superuser=False).exclude(pk=user.pk)
    if user.is_superuser:
        return accounts
    if not may_reset_passwords(user):
        return User.objects.none()
    return accounts.filter(commune_id=user.commune_id, is_staff=False)


def temporary_password(user: User) -> str:
    """A random password that passes the validators of the settings."""
    while True:
        password = "".join(
            secrets.choice(TEMPORARY_ALPHABET) for _ in range(TEMPORARY_LENGTH)
        )
        try:
            validate_password(password, user=user)
        except ValidationError:  # a draw of digits only, say: draw again
            continue
        return password


@transaction.atomic
def set_temporary_password(*, by: User, account: User) -> str:
    """Give `account` a new temporary password, to be changed at its next page; its
    open sessions end (the password's hash is part of them). `account` must be one of
    `resettable_by(by)`."""
    if not resettable_by(by).filter(pk=account.pk).exists():
        raise PermissionError(account.pk)
    password = temporary_password(account)
    account.set_password(password)
    account.must_change_password = True  # after set_password, which clears it
    account.save(update_fields=["password", "is_demo", "must_change_password"])
    return password


class PasswordChangeRequiredMiddleware:
    """A user with a temporary password meets the password change on every page,
    until they pick their own (logging out stays possible)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.must_change_password
            and request.path not in (reverse("password_change"), reverse("logout"))
        ):
            messages.warning(
                request,
                "Bạn đang dùng mật khẩu tạm thời. Hãy đặt mật khẩu mới của riêng bạn "
                "trước khi tiếp tục.",
            )
            return redirect("password_change")
        return self.get_response(request)
