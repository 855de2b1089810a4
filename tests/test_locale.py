"""No English from the framework: Django's untranslated texts have our Vietnamese.

locale/vi/LC_MESSAGES/django.po is compiled to django.mo and both are committed (no
install needs gettext); these tests fail when the .mo is stale or a text a user meets
is English.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, ngettext

from households.models import Member

PO = Path(settings.BASE_DIR) / "locale/vi/LC_MESSAGES/django.po"


def po_entries() -> list[tuple[str, str | None, str]]:
    """(msgid, msgid_plural, msgstr) of our catalogue (one-line strings only)."""
    text = PO.read_text(encoding="utf-8")
    entries = []
    for block in text.split("\n\n"):
        msgid = re.search(r'^msgid "(.+)"$', block, re.M)
        if not msgid:
            continue
        plural = re.search(r'^msgid_plural "(.+)"$', block, re.M)
        msgstr = re.search(r'^msgstr(?:\[0\])? "(.+)"$', block, re.M)
        assert msgstr, block
        entries.append(
            (msgid.group(1), plural.group(1) if plural else None, msgstr.group(1))
        )
    return entries


def test_the_catalogue_has_the_select_an_option_label() -> None:
    assert ("- Select an option -", None, "— Chọn —") in po_entries()


@pytest.mark.parametrize("msgid, plural, msgstr", po_entries())
def test_the_compiled_catalogue_matches_the_source(
    msgid: str, plural: str | None, msgstr: str
) -> None:
    with translation.override("vi"):
        translated = ngettext(msgid, plural, 1) if plural else gettext(msgid)
    assert translated == msgstr


class MemberForm(forms.ModelForm[Member]):
    class Meta:
        model = Member
        fields = ["sex", "relationship"]


def test_a_choice_list_starts_with_a_vietnamese_blank() -> None:
    with translation.override("vi"):
        html = str(MemberForm())
    assert "Select an option" not in html
    assert "— Chọn —" in html
