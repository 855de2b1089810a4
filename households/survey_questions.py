"""What the survey forms ask, from the data in force on a day for a commune: the
Phiếu A question list of the standard (`households.quick_screen`) and the commune's
Phiếu B1 points table (`households.b1`), each with its "chưa đối chiếu văn bản gốc"
mark when it is a sample. The paper forms (`reports.field_forms`) and the phone form
(`households.xlsform`) read the same definitions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from households import b1, points, poverty, quick_screen
from households.models import Commune


@dataclass(frozen=True)
class Questions:
    """What the forms ask, from the data in force on a day for the commune."""

    standard: poverty.Standard
    phieu_a: quick_screen.QuestionList | None
    b1_table_name: str
    b1_mark: str
    b1_items: tuple[points.Item, ...]
    b1_missing: str
    b1_line: int | None

    @property
    def b1_max(self) -> int:
        return sum(max((a.points for a in i.answers), default=0) for i in self.b1_items)


def questions_for(commune: Commune, on: date) -> Questions:
    standard = poverty.standard_in_force(on)
    table = b1.commune_table(commune, on)
    missing = ""
    if table is None:
        missing = (
            "Chưa có bảng điểm Phiếu B1 cho chuẩn nghèo, vùng và khu vực của xã: "
            "ghi điểm theo bảng điểm tỉnh ban hành."
        )
    return Questions(
        standard=standard,
        phieu_a=quick_screen.list_for(standard.code),
        b1_table_name=table.name if table else "",
        b1_mark=table.mark if table else "",
        b1_items=table.items() if table else (),
        b1_missing=missing,
        b1_line=standard.b1_line(urban=commune.is_urban),
    )
