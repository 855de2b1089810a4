"""The three-way merge of a refused form, one field at a time (no database)."""

import pytest

from households.edit_conflicts import Pick, merge_value


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
