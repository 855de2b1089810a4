"""Household codes: the next free code of a village, following the village's pattern.

A commune numbers its households per village ("CN-01-0007": commune, village 01,
household 7). The officer adding a household should not have to look up the last
number; the suggestion follows the codes already written, and is only a suggestion:
the form still checks that the code is free in the commune.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from households.models import Household, Village

# A code ending in a number: the prefix ("CN-01-") and the number ("0007").
NUMBERED = re.compile(r"(?P<prefix>.*?)(?P<number>\d+)")
# A code with the village's position in it: "CN-" "01" "-" "0007".
WITH_POSITION = re.compile(
    r"(?P<head>.*?)(?P<position>\d+)(?P<separator>\D+)(?P<number>\d+)"
)


def next_code(village_codes: Iterable[str], taken: Iterable[str]) -> str | None:
    """One more than the highest number of the village's most used prefix, with the
    same width, skipping codes taken elsewhere in the commune; None without a pattern.
    """
    numbered = [m for c in village_codes if (m := NUMBERED.fullmatch(c))]
    if not numbered:
        return None
    prefix, _ = Counter(m["prefix"] for m in numbered).most_common(1)[0]
    numbers = [m["number"] for m in numbered if m["prefix"] == prefix]
    width = max(len(n) for n in numbers)
    return _first_free(prefix, max(int(n) for n in numbers) + 1, width, set(taken))


def first_code(
    position: int, coded_villages: Iterable[tuple[int, str]], taken: Iterable[str]
) -> str | None:
    """The first code of a village without households, when the other villages'
    codes carry their position ("CN-02-0001" in village 2); None otherwise."""
    shapes: Counter[tuple[str, int, str, int]] = Counter()
    for village_position, code in coded_villages:
        m = WITH_POSITION.fullmatch(code)
        if m and int(m["position"]) == village_position:
            shapes[
                (m["head"], len(m["position"]), m["separator"], len(m["number"]))
            ] += 1
    if not shapes:
        return None
    (head, position_width, separator, width), _ = shapes.most_common(1)[0]
    prefix = f"{head}{position:0{position_width}d}{separator}"
    return _first_free(prefix, 1, width, set(taken))


def _first_free(prefix: str, number: int, width: int, taken: set[str]) -> str:
    while f"{prefix}{number:0{width}d}" in taken:
        number += 1
    return f"{prefix}{number:0{width}d}"


def suggest_code(village: Village) -> str | None:
    """The next free household code of `village` (archived households keep theirs)."""
    in_commune = list(
        Household.objects.filter(commune_id=village.commune_id).values_list(
            "village_id", "village__position", "code"
        )
    )
    taken = [code for _, _, code in in_commune]
    mine = [code for village_id, _, code in in_commune if village_id == village.pk]
    if mine:
        return next_code(mine, taken)
    return first_code(
        village.position, [(position, code) for _, position, code in in_commune], taken
    )
