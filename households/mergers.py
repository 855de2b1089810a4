"""Commune mergers (sáp nhập xã): since 01/07/2025 communes were merged into far
larger ones (Nghị quyết 202/2025/QH15 and the Standing Committee's resolutions per
province), e.g. xã Cao Ngọc into xã Minh Sơn.

A merger moves the former communes' villages and households into the new (or an
existing) commune on a date, in one transaction:
- each household keeps its reviews, status periods, members and history; its move is
  one more history entry. Its code is kept, unless another household of the new
  commune has it: then it is prefixed with its former commune's code and the old one
  is kept in `Household.former_code` (codes are unique per commune);
- the denormalised commune of its members and status periods moves with it;
- each village keeps its name (suffixed with its former commune's name when the new
  commune already has one so called) and records its move (`VillageMove`), so that the
  reports of a year before the merger show the former communes as they were
  (`villages_held`);
- the former communes' users work for the new commune (a village head keeps its
  village, which moved);
- the former communes stay as rows marked `merged_into`/`merged_on`, with what was
  theirs as documents of their time: review rounds, decisions, targets and plans,
  tasks, issued reports, import logs.

So the new commune's reports of an earlier year read all its former communes'
households: its baseline (31/12/2024) is the sum of theirs. `plan_merger` checks and
describes; `merge` writes. Used by `manage.py merge_communes` and the admin action
on communes.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from simple_history.utils import bulk_update_with_history

from households import clock, figures
from households.models import (
    Commune,
    Household,
    Member,
    ReviewRound,
    StatusPeriod,
    Village,
    VillageMove,
    fold,
)

CODE_LENGTH = Household._meta.get_field("code").max_length
VILLAGE_NAME_LENGTH = Village._meta.get_field("name").max_length


class MergerRefused(Exception):
    """A merger that must not be done, with the reason for the person asking."""


@dataclass(frozen=True)
class VillageChange:
    village: Village
    from_commune: Commune
    name: str
    position: int


@dataclass(frozen=True)
class CodeChange:
    household_id: int
    from_commune: Commune
    old: str
    new: str


@dataclass(frozen=True)
class MergerPlan:
    into: Commune  # unsaved when the merger creates it
    creates: bool
    formers: tuple[Commune, ...]
    on: date
    villages: tuple[VillageChange, ...]
    households: int
    codes: tuple[CodeChange, ...]
    users: tuple[str, ...]  # usernames

    def describe(self) -> list[str]:
        """What the merger moves, line by line (the dry run, the admin's page)."""
        into = f"xã {self.into.name} ({self.into.code})"
        lines = [
            f"Sáp nhập {', '.join(f'xã {c.name} ({c.code})' for c in self.formers)} "
            f"vào {into}{' (xã mới)' if self.creates else ''} "
            f"từ ngày {self.on:%d/%m/%Y}.",
            f"Chuyển {len(self.villages)} thôn, {self.households} hộ "
            f"và {len(self.users)} người dùng.",
        ]
        lines += [
            f"Thôn {c.village.name} (xã {c.from_commune.name}) đổi tên thành {c.name}."
            for c in self.villages
            if c.name != c.village.name
        ]
        lines += [
            f"Hộ {c.old} (xã {c.from_commune.name}) đổi mã thành {c.new}: "
            "mã đã có trong xã mới."
            for c in self.codes
        ]
        if self.users:
            lines.append(
                "Người dùng chuyển sang xã mới: " + ", ".join(self.users) + "."
            )
        return lines


def _refuse_unless_mergeable(
    formers: Sequence[Commune], into: Commune, on: date, *, creates: bool
) -> None:
    if not formers:
        raise MergerRefused("Chưa chọn xã nào để sáp nhập.")
    if len({c.pk for c in formers}) != len(formers):
        raise MergerRefused("Một xã được kê hai lần.")
    if not creates and into.pk in {c.pk for c in formers}:
        raise MergerRefused(f"Xã {into.name} không thể sáp nhập vào chính nó.")
    for commune in [*formers, *([] if creates else [into])]:
        if commune.merged_into_id is not None:
            raise MergerRefused(
                f"Xã {commune.name} đã sáp nhập vào xã {commune.merged_into.name} "
                f"từ ngày {commune.merged_on:%d/%m/%Y}."
            )
    provinces = {c.province for c in formers} | {into.province}
    if len(provinces) > 1:
        raise MergerRefused(
            "Chỉ sáp nhập các xã trong cùng một tỉnh (đang có: "
            + ", ".join(sorted(provinces))
            + ")."
        )
    if on > clock.today():
        raise MergerRefused(
            f"Ngày sáp nhập {on:%d/%m/%Y} chưa đến: chỉ ghi sáp nhập từ ngày nghị "
            "quyết có hiệu lực, để các trang trước ngày đó vẫn đúng với các xã cũ."
        )
    for commune in [*formers, *([] if creates else [into])]:
        if commune.established_on is not None and on <= commune.established_on:
            raise MergerRefused(
                f"Xã {commune.name} mới thành lập ngày "
                f"{commune.established_on:%d/%m/%Y}: ngày sáp nhập phải sau ngày đó."
            )
    existing = [*formers, *([] if creates else [into])]
    open_round = (
        ReviewRound.objects.filter(commune__in=existing, closed_on__isnull=True)
        .select_related("commune")
        .first()
    )
    if open_round is not None:
        # A round's reviews are recognised by its commune's chairman when it
        # closes (QĐ 24/2021/QĐ-TTg Điều 4): a round cut in two by a merger would
        # have no chairman to recognise it.
        raise MergerRefused(
            f"Xã {open_round.commune.name} đang có đợt rà soát định kỳ năm "
            f"{open_round.year} chưa kết thúc: kết thúc đợt rà soát trước khi sáp nhập."
        )
    if creates:
        if Commune.objects.filter(code=into.code).exists():
            raise MergerRefused(f"Mã xã “{into.code}” đã có: chọn mã khác cho xã mới.")
        try:
            into.full_clean()
        except ValidationError as error:
            raise MergerRefused(" ".join(error.messages)) from error


def _village_changes(
    formers: Sequence[Commune], into: Commune, *, creates: bool
) -> list[VillageChange]:
    """Names kept unless the new commune already has one (then suffixed with the
    former commune's name); positions shifted so each former commune's villages
    follow the ones before, in the order the communes were given."""
    kept = [] if creates else list(into.villages.all())
    names = {v.name for v in kept}
    last = max((v.position for v in kept), default=0)
    changes = []
    for commune in formers:
        villages = list(commune.villages.all())
        theirs = {v.name for v in villages}
        shift = last
        for village in villages:
            name = village.name
            if name in names:
                name = f"{village.name} ({commune.name})"
                if len(name) > VILLAGE_NAME_LENGTH or name in names | theirs:
                    raise MergerRefused(
                        f"Thôn {village.name} của xã {commune.name} trùng tên với "
                        "một thôn của xã mới: đổi tên một trong hai thôn trước khi "
                        "sáp nhập."
                    )
            changes.append(
                VillageChange(village, commune, name, village.position + shift)
            )
            last = max(last, village.position + shift)
        names |= {c.name for c in changes if c.from_commune == commune}
    return changes


def _code_changes(
    formers: Sequence[Commune], into: Commune, *, creates: bool
) -> list[CodeChange]:
    """A code that two households of the new commune would have: each moving
    household with it takes its former commune's code as a prefix."""
    commune_by_id = {c.pk: c for c in formers}
    moving = list(
        Household.objects.filter(commune__in=formers).values_list(
            "pk", "commune_id", "code"
        )
    )
    staying = (
        set()
        if creates
        else set(Household.objects.filter(commune=into).values_list("code", flat=True))
    )
    count = Counter(code for _, _, code in moving)
    changes = [
        CodeChange(
            pk,
            commune_by_id[commune_id],
            code,
            f"{commune_by_id[commune_id].code.upper()}-{code}",
        )
        for pk, commune_id, code in moving
        if count[code] > 1 or code in staying
    ]
    final = Counter(
        [
            *staying,
            *(
                code
                for _, _, code in moving
                if count[code] == 1 and code not in staying
            ),
        ]
        + [c.new for c in changes]
    )
    bad = [c for c in changes if len(c.new) > CODE_LENGTH or final[c.new] > 1]
    if bad:
        raise MergerRefused(
            "Không tự đổi được mã của các hộ trùng mã: "
            + ", ".join(f"{c.old} (xã {c.from_commune.name})" for c in bad[:10])
            + (f" và {len(bad) - 10} hộ khác" if len(bad) > 10 else "")
            + ". Đổi mã các hộ này trước khi sáp nhập."
        )
    return changes


def plan_merger(
    *, formers: Sequence[Commune], into: Commune, on: date, creates: bool
) -> MergerPlan:
    """Check the merger and say what it would move; writes nothing. `into` is an
    unsaved commune when `creates`."""
    _refuse_unless_mergeable(formers, into, on, creates=creates)
    villages = _village_changes(formers, into, creates=creates)
    codes = _code_changes(formers, into, creates=creates)
    users = get_user_model().objects.filter(commune__in=formers).order_by("username")
    return MergerPlan(
        into=into,
        creates=creates,
        formers=tuple(formers),
        on=on,
        villages=tuple(villages),
        households=Household.objects.filter(commune__in=formers).count(),
        codes=tuple(codes),
        users=tuple(users.values_list("username", flat=True)),
    )


def merge(plan: MergerPlan, *, by: str = "") -> Commune:
    """Do the merger `plan_merger` described, in one transaction; returns the new
    commune. Checked again inside the transaction, so nothing slipped in between."""
    with transaction.atomic():
        formers = list(
            Commune.objects.select_for_update().filter(
                pk__in=[c.pk for c in plan.formers]
            )
        )
        order = [c.pk for c in plan.formers]
        formers.sort(key=lambda c: order.index(c.pk))
        plan = plan_merger(
            formers=formers, into=plan.into, on=plan.on, creates=plan.creates
        )
        into = plan.into
        if plan.creates:
            into.established_on = plan.on
            into.save()
        reason = f"Sáp nhập xã vào xã {into.name} từ ngày {plan.on:%d/%m/%Y}" + (
            f" ({by})" if by else ""
        )
        for change in plan.villages:
            VillageMove.objects.create(
                village=change.village,
                from_commune=change.from_commune,
                to_commune=into,
                former_name=change.village.name,
                moved_on=plan.on,
            )
            change.village.commune = into
            change.village.name = change.name
            change.village.position = change.position
        # Renamed in their former commune first, then moved: no two villages of a
        # commune share a name at any moment (the constraint is checked per row).
        moved = [c.village for c in plan.villages]
        Village.objects.bulk_update(moved, ["name", "position"])
        Village.objects.bulk_update(moved, ["commune"])
        new_codes = {c.household_id: c.new for c in plan.codes}
        households = list(
            Household.objects.filter(commune__in=formers).prefetch_related("members")
        )
        for household in households:
            household.commune = into
            if household.pk in new_codes:
                household.former_code = household.code
                household.code = new_codes[household.pk]
                household.search_text = fold(
                    " ".join(
                        [household.code, household.former_code]
                        + [m.full_name for m in household.members.all()]
                    )
                )
        # One history entry per household for its move (the registry's audit).
        bulk_update_with_history(
            households,
            Household,
            ["commune", "code", "former_code", "search_text"],
            batch_size=2000,
            default_change_reason=reason[:100],
        )
        # The commune repeated on members and periods (households/status_history.py).
        Member.objects.filter(household__commune=into).exclude(commune=into).update(
            commune=into
        )
        StatusPeriod.objects.filter(household__commune=into).exclude(
            commune=into
        ).update(commune=into)
        get_user_model().objects.filter(commune__in=formers).update(commune=into)
        Commune.objects.filter(pk__in=[c.pk for c in formers]).update(
            merged_into=into, merged_on=plan.on
        )
        # Bulk writes send no signal: the communes' cached figures are renewed here.
        figures.mark_changed([into.pk, *(c.pk for c in formers)])
    return into


def villages_held(communes: Sequence[Commune], year: int) -> dict[int, list[int]]:
    """The villages each of these communes held in `year`, by commune id: a village
    moved by a merger of a later year counts with the commune it left (its first
    such move), otherwise with its commune now. Only communes that had that year
    (`Commune.exists_in`) hold any; pass every commune a merger joined."""
    ids = [c.pk for c in communes]
    first_left: dict[int, int] = {}
    moves = (
        VillageMove.objects.filter(to_commune__in=ids, moved_on__year__gt=year)
        .order_by("moved_on", "pk")
        .values_list("village_id", "from_commune_id")
    )
    for village_id, from_commune in moves:
        first_left.setdefault(village_id, from_commune)
    held: dict[int, list[int]] = defaultdict(list)
    for village_id, commune_id in (
        Village.objects.filter(commune__in=ids)
        .order_by("position", "name")
        .values_list("pk", "commune_id")
    ):
        held[first_left.get(village_id, commune_id)].append(village_id)
    return dict(held)


def lineage(commune: Commune) -> list[int]:
    """The commune and every commune merged into it, at any remove (ids)."""
    ids, new = [commune.pk], [commune.pk]
    while new:
        new = list(
            Commune.objects.filter(merged_into__in=new).values_list("pk", flat=True)
        )
        ids += new
    return ids
