"""A form that records something is recorded once (issue 13 item 7).

Each such form carries a one-time token (`{% submit_once %}` next to
`{% csrf_token %}`). The first POST with a token claims it, in the same transaction
as what the view writes; a second POST of the same token (a double click, a form
sent again after a slow answer) does not run the view again: it is sent where the
first one went, with a message. Two POSTs at once meet on the token's unique index:
the second waits for the first's transaction and then finds the token claimed.

A POST that does not redirect re-renders the form with its errors: the token is
released, so the corrected form can be sent. A POST without a token runs the view
as before: the tests and scripts that post directly, and pages opened before the
token existed, keep working; every form of the app carries one.
"""

from __future__ import annotations

import functools
import re
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Concatenate

from django.conf import settings
from django.contrib import messages
from django.db import IntegrityError, models, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

FIELD = "submit_once"
ALREADY_RECORDED = "Đã ghi nhận lần gửi trước, không ghi thêm."
# A double submit comes within seconds; a day leaves room for a slow connection
# that sends the form again much later, and keeps the table small.
KEPT = timedelta(days=1)
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


class SubmittedForm(models.Model):
    """A form token already used, and where its first submit was sent."""

    token = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now, db_index=True)
    redirected_to = models.CharField(max_length=2000, blank=True)

    class Meta:
        app_label = "households"
        verbose_name = "biểu mẫu đã gửi"
        verbose_name_plural = "biểu mẫu đã gửi"

    def __str__(self) -> str:
        return self.token


def new_token() -> str:
    return secrets.token_urlsafe(24)


def field_html() -> str:
    return f'<input type="hidden" name="{FIELD}" value="{new_token()}">'


def clear_old(*, now: datetime | None = None) -> int:
    """Forget the tokens claimed more than KEPT ago; returns how many."""
    cutoff = (now or timezone.now()) - KEPT
    deleted, _ = SubmittedForm.objects.filter(created__lt=cutoff).delete()
    return deleted


def _repeat(request: HttpRequest, token: str) -> HttpResponse:
    """The answer to a token already claimed: where the first submit went."""
    first = SubmittedForm.objects.filter(token=token, user_id=request.user.pk).first()
    messages.info(request, ALREADY_RECORDED)
    if first is not None and first.redirected_to:
        return HttpResponseRedirect(first.redirected_to)
    # Another user's token (no page sends one): back to the page the form was on,
    # not to the view's URL, which may answer POST only.
    back = request.META.get("HTTP_REFERER", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = "/"
    return HttpResponseRedirect(back)


def submit_once[R: HttpRequest, **P](
    view: Callable[Concatenate[R, P], HttpResponse],
) -> Callable[Concatenate[R, P], HttpResponse]:
    """Run a POST view once per form token (see the module's docstring)."""

    @functools.wraps(view)
    def wrapped(request: R, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        token = request.POST.get(FIELD, "") if request.method == "POST" else ""
        if not _TOKEN.match(token):
            return view(request, *args, **kwargs)
        with transaction.atomic():
            try:
                # Its own savepoint: on PostgreSQL a second POST at once waits
                # here for the first's transaction, then finds the token taken.
                with transaction.atomic():
                    claim = SubmittedForm.objects.create(
                        token=token, user_id=request.user.pk
                    )
            except IntegrityError:
                return _repeat(request, token)
            response = view(request, *args, **kwargs)
            if not isinstance(response, HttpResponseRedirect):
                # The form came back with its errors: nothing recorded, so the
                # corrected form may be sent again. Only the claim goes; anything
                # the view wrote stays, as it would without the token.
                claim.delete()
                return response
            claim.redirected_to = response["Location"]
            claim.save(update_fields=["redirected_to"])
            return response

    return wrapped
