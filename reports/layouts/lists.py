"""The layouts of reports 14 (near-poor) and 15 (poor): the detailed lists, one line a
member, one table a village; and the lean printed form of the list for the PDF."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reports import excel
from reports.summaries import review
from reports.summaries.review import NEAR_POOR, POOR
from reports.tables import PrintedList, PrintedVillage, head_rows

Column = excel.Column

LISTS = {14: NEAR_POOR, 15: POOR}
# The support columns, in the order of `review.SUPPORTS` (DOMAIN.md §3.8).
SUPPORT_HEADERS = (
    "Hỗ trợ y tế",
    "Hỗ trợ giáo dục",
    "Hỗ trợ sản xuất",
    "Hỗ trợ vay vốn tín dụng",
    "Hỗ trợ nhà ở",
    "Khác",
)


@dataclass(frozen=True)
class ListLine:
    """One line of a detailed list: a member, with the household's marks on the head's
    line; or (Excel only) the heading line of a village."""

    household_number: int | str | None = None
    member_number: int | None = None
    full_name: str = ""
    male_year: int | None = None
    female_year: int | None = None
    ethnicity: str = ""
    relationship: str = ""
    marks: tuple[str, ...] = ("",) * 12
    heading: bool = False


def list_lines(village: review.VillageList) -> list[ListLine]:
    return [line for h in village.households for line in household_lines(h)]


def household_lines(household: review.ListedHousehold) -> list[ListLine]:
    """The lines of one household: its head's line carries STT chủ hộ and the marks."""
    lines: list[ListLine] = []
    marks = tuple(
        "x" if flag else ""
        for flag in (
            household.novelty == review.NEW,
            household.novelty == review.REFELL,
            household.novelty == review.OLD,
            household.has_meritorious_person,
            household.ethnic_minority,
            household.no_labour_capacity,
            *(support in household.supports for support in review.SUPPORTS),
        )
    )
    if not household.members:
        lines.append(
            ListLine(
                household.number,
                None,
                f"({household.code}: chưa có thành viên)",
                marks=marks,
            )
        )
    for member in household.members:
        first = member.number == 1
        lines.append(
            ListLine(
                household_number=household.number if first else None,
                member_number=member.number,
                full_name=member.full_name,
                male_year=None if member.female else member.birth_year,
                female_year=member.birth_year if member.female else None,
                ethnicity=member.ethnicity,
                relationship=member.relationship,
                marks=marks if first else ("",) * len(marks),
            )
        )
    return lines


def list_columns(status: str) -> list[Column]:
    poor = status == POOR
    words = (
        ("Nghèo mới", "Tái nghèo", "Nghèo cũ")
        if poor
        else ("Cận nghèo mới", "Tái cận nghèo", "Cận nghèo cũ")
    )
    born = "Năm sinh"
    columns = [
        Column("STT chủ hộ", "A", lambda r: r.household_number, width=7),
        Column("STT thành viên", "B", lambda r: r.member_number, width=8),
        Column("Họ và tên", "C", lambda r: r.full_name, width=24),
        Column("Nam", "1", lambda r: r.male_year, width=7, group=born),
        Column("Nữ", "2", lambda r: r.female_year, width=7, group=born),
        Column("Dân tộc", "3", lambda r: r.ethnicity, width=9),
        Column("Quan hệ với chủ hộ", "4", lambda r: r.relationship, width=12),
    ]
    headers = (*words, "Hộ có người có công", "Hộ DTTS", "Hộ KCKNLĐ")
    support = "Chính sách hỗ trợ"
    for index, header in enumerate((*headers, *SUPPORT_HEADERS)):
        columns.append(
            Column(
                header,
                str(index + 5),
                lambda r, i=index: r.marks[i],
                # "Hộ KCKNLĐ" is one word that cannot wrap; the others can.
                width=10 if header == "Hộ KCKNLĐ" else 8,
                group=support if index >= len(headers) else None,
            )
        )
    return columns


def _text(value: object) -> str:
    return "" if value is None else str(value)


def printed_list(
    columns: Sequence[Column], summary: review.HouseholdList
) -> PrintedList:
    total = sum(c.width for c in columns)
    villages = tuple(
        PrintedVillage(
            village.name,
            len(village.households),
            village.persons,
            tuple(
                tuple(
                    tuple(_text(c.value(line)) for c in columns)
                    for line in household_lines(household)
                )
                for household in village.households
            ),
        )
        for village in summary.villages
    )
    return PrintedList(
        head_rows(columns),
        tuple(c.code for c in columns),
        tuple(f"{100 * c.width / total:.2f}" for c in columns),
        villages,
    )
