"""The province's list of poor and near-poor households against the register: a
comparison, pure (no database), that writes nothing.

The province (or the district) sends the commune its export of the national
database: one line per household with its code, its head's name and CCCD, its
village and its status. Before a review the officer reconciles the register with it.
`compare` pairs each line of the list with a household of the register:

1. by household code (upper case, spaces removed);
2. else by the head's CCCD (digits only, leading zeros ignored: a CCCD typed as a
   number in Excel loses its leading 0);
3. else by the head's name and the village, both without accents, case or extra
   spaces, the village without a "thôn"/"làng"/"bản"… prefix — an **uncertain**
   match, shown as such: two people can share a name in a village. A line without a
   village is never matched by name.

Each household of the register is paired at most once, codes first, then CCCDs, then
names. The result has four parts: paired with the same status; paired with another
status (or with a household not on the register that day); lines of the list the
register does not have; poor or near-poor households of the register the list does
not have.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from households.models import fold
from households.poverty import PovertyStatus

# Statuses a household on the province's list can have: those of the programme.
LISTED = (PovertyStatus.POOR, PovertyStatus.NEAR_POOR)

BY_CODE = "code"
BY_IDENTITY = "identity"
BY_NAME = "name"
MATCH_LABELS = {
    BY_CODE: "mã hộ",
    BY_IDENTITY: "số CCCD chủ hộ",
    BY_NAME: "tên chủ hộ và thôn (cần kiểm tra)",
}
VILLAGE_PREFIXES = ("thon", "lang", "ban", "xom", "ap", "to dan pho", "to", "khu pho")


@dataclass(frozen=True)
class ListRow:
    """One line of the province's list, as read from the file."""

    line: int  # the line of the sheet
    code: str
    head_name: str
    id_number: str
    village: str
    status: str  # a PovertyStatus value

    @property
    def status_label(self) -> str:
        return status_label(self.status)


@dataclass(frozen=True)
class RegisterRow:
    """One household of the register, as it stood on the day compared."""

    household_id: int
    code: str
    head_name: str
    id_number: str
    village: str
    status: str | None  # the status in force that day; None: never reviewed
    present: bool = True  # on the register that day (registered, not archived)

    @property
    def status_label(self) -> str:
        return status_label(self.status)


@dataclass(frozen=True)
class Pair:
    listed: ListRow
    register: RegisterRow
    by: str  # BY_CODE, BY_IDENTITY or BY_NAME
    notes: tuple[str, ...] = ()

    @property
    def uncertain(self) -> bool:
        return self.by == BY_NAME

    @property
    def by_label(self) -> str:
        return MATCH_LABELS[self.by]


@dataclass
class Comparison:
    same: list[Pair] = field(default_factory=list)
    differ: list[Pair] = field(default_factory=list)
    only_in_list: list[ListRow] = field(default_factory=list)
    only_in_register: list[RegisterRow] = field(default_factory=list)

    @property
    def uncertain(self) -> int:
        return sum(1 for p in self.same + self.differ if p.uncertain)


def status_label(status: str | None) -> str:
    if status is None:
        return "chưa rà soát"
    return str(PovertyStatus(status).label)


def code_key(code: str) -> str:
    return "".join(code.split()).upper()


def identity_key(number: str) -> str:
    return "".join(c for c in number if c.isdigit()).lstrip("0")


def name_key(name: str) -> str:
    return " ".join(fold(name).split())


def village_key(village: str) -> str:
    words = fold(village).replace(",", " ").replace(".", " ").split()
    text = " ".join(words)
    stripped = True
    while stripped:  # "Thôn Làng Chiềng" and "Làng Chiềng" are one village
        stripped = False
        for prefix in VILLAGE_PREFIXES:
            if text.startswith(prefix + " ") and len(text) > len(prefix) + 1:
                text, stripped = text[len(prefix) + 1 :], True
                break
    return text


def _notes(listed: ListRow, register: RegisterRow, by: str) -> tuple[str, ...]:
    notes: list[str] = []
    if not register.present:
        notes.append("hộ không còn trong sổ hộ ngày này (đã lưu trữ hoặc chưa vào sổ)")
    if by != BY_NAME and name_key(listed.head_name) != name_key(register.head_name):
        notes.append(f"tên chủ hộ trong sổ hộ: {register.head_name}")
    if (
        by != BY_IDENTITY
        and identity_key(listed.id_number)
        and identity_key(listed.id_number) != identity_key(register.id_number)
    ):
        notes.append(
            "số CCCD chủ hộ trong sổ hộ: " + (register.id_number or "(chưa ghi)")
        )
    if by != BY_CODE and listed.code and code_key(listed.code) != register.code:
        notes.append(f"mã hộ trong sổ hộ: {register.code}")
    return tuple(notes)


def compare(rows: list[ListRow], register: list[RegisterRow]) -> Comparison:
    """Pair the list with the register (see the module's docstring)."""
    free = {r.household_id: r for r in register}
    paired: dict[int, tuple[RegisterRow, str]] = {}  # list line -> (household, how)

    def pass_(
        by: str,
        key_of_list: Callable[[ListRow], str],
        key_of_register: Callable[[RegisterRow], str],
    ) -> None:
        index: dict[str, list[RegisterRow]] = {}
        for household in free.values():
            key = key_of_register(household)
            if key:
                index.setdefault(key, []).append(household)
        for row in rows:
            if row.line in paired:
                continue
            key = key_of_list(row)
            candidates = [h for h in index.get(key, []) if h.household_id in free]
            # A name shared by two households of the village pairs with neither.
            if key and len(candidates) == 1:
                household = candidates[0]
                paired[row.line] = (household, by)
                del free[household.household_id]

    pass_(BY_CODE, lambda r: code_key(r.code), lambda h: code_key(h.code))
    pass_(
        BY_IDENTITY,
        lambda r: identity_key(r.id_number),
        lambda h: identity_key(h.id_number),
    )

    def name_and_village(row: ListRow | RegisterRow) -> str:
        village = village_key(row.village)
        name = name_key(row.head_name)
        return f"{name}|{village}" if village and name else ""

    pass_(BY_NAME, name_and_village, name_and_village)

    result = Comparison()
    for row in rows:
        if row.line not in paired:
            result.only_in_list.append(row)
            continue
        household, by = paired[row.line]
        pair = Pair(row, household, by, _notes(row, household, by))
        if household.present and household.status == row.status:
            result.same.append(pair)
        else:
            result.differ.append(pair)
    result.only_in_register = [
        h for h in free.values() if h.present and h.status in LISTED
    ]
    return result
