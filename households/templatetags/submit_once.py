"""`{% submit_once %}`: the one-time token of a form that records something
(households/submit_once.py), written next to `{% csrf_token %}`."""

from django import template
from django.utils.safestring import SafeString, mark_safe

from households import submit_once as tokens

register = template.Library()


@register.simple_tag
def submit_once() -> SafeString:
    # A fresh token on every render: a form re-rendered with its errors, or the
    # page opened again, is a new submit.
    return mark_safe(tokens.field_html())  # noqa: S308 - no user input in it
