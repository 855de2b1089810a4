"""The three-way merge of a refused form, one field at a time (no database)."""

from datetime import date

import pytest
from django import forms
from django.http import QueryDict

from households.edit_conflicts import Pick, merge_form, merge_value


@pytest.mark.parametrize(
    ("mine", "loaded", "theirs", "pick"),
    [
        ("a", "a", "a", Pick.MINE),
        ("a", "a", "b", Pick.THEIRS),
        ("b", "a", "a", Pick.MINE),
        ("b", "a", "b", Pick.MINE),
        ("b", "a", "c", Pick.BOTH),
        (True, False, False, Pick.MINE),
        (None, None, 3, Pick.THEIRS),
    ],
    ids=[
        "nobody changed it",
        "only the other user changed it",
        "only the user changed it",
        "both made the same change",
        "both changed it differently",
        "a ticked box",
        "a value the other user filled in",
    ],
)
def test_merge_value(mine: object, loaded: object, theirs: object, pick: Pick) -> None:
    assert merge_value(mine, loaded, theirs) is pick


class _Card(forms.Form):
    address = forms.CharField(required=False)
    registered_on = forms.DateField(
        input_formats=["%d/%m/%Y"], widget=forms.DateInput(format="%d/%m/%Y")
    )
    poor = forms.BooleanField(required=False)
    causes = forms.MultipleChoiceField(
        choices=[("capital", "Thiếu vốn"), ("land", "Thiếu đất")],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


def _shown(**initial: object) -> _Card:
    return _Card(initial=initial)


LOADED = {"address": "Làng Mới", "registered_on": date(2020, 2, 1), "poor": False}


def test_merge_form_takes_theirs_where_the_user_typed_nothing_new() -> None:
    """ " Làng Mới " and "1/2/2020" are what was loaded, written another way."""
    posted = QueryDict(mutable=True)
    posted.update({"address": " Làng Mới ", "registered_on": "1/2/2020", "poor": "on"})
    merged, both = merge_form(
        _Card(posted),
        _shown(**LOADED),
        _shown(**LOADED | {"address": "Xóm Chiềng", "causes": ["land"]}),
    )
    assert merged == {
        "address": ["Xóm Chiềng"],
        "registered_on": ["1/2/2020"],
        "poor": ["on"],
        "causes": ["land"],
    }
    assert both == set()


def test_merge_form_keeps_the_users_value_where_both_changed_it() -> None:
    posted = QueryDict(mutable=True)
    posted.update({"address": "Bản Lở", "registered_on": "01/02/2020"})
    merged, both = merge_form(
        _Card(posted),
        _shown(**LOADED),
        _shown(**LOADED | {"address": "Xóm Chiềng", "poor": True}),
    )
    assert merged["address"] == ["Bản Lở"]
    assert merged["poor"] == ["on"]
    assert both == {"address"}
