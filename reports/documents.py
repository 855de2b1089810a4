"""The parts of an official document of a UBND xã (Nghị định 30/2020/NĐ-CP, Phụ lục I)
that come from data, not from the template: issuing commune, place, date, signer."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from households.models import Commune


@dataclass(frozen=True)
class OfficialDocument:
    commune: Commune
    kind: str  # tên loại: "Báo cáo", "Kế hoạch"…
    title: str  # trích yếu
    symbol: str  # ký hiệu: "BC-UBND"
    date: date
    recipients: tuple[str, ...] = field(default_factory=tuple)
    number: str = ""  # filled on paper by the văn thư

    @property
    def place(self) -> str:
        # Địa danh: the name of the administrative unit where the body sits.
        return self.commune.name

    @property
    def signer(self) -> str:
        return self.commune.chairman_name


def recipients_for_report(
    commune: Commune, *, to_district: bool = False
) -> tuple[str, ...]:
    lines = [
        f"UBND huyện {commune.district} (để b/c)" if to_district else None,
        f"Phòng Lao động - TB&XH huyện {commune.district} (để b/c)",
        "TTr Đảng ủy, HĐND xã (để b/c)",
        "Chủ tịch, PCT UBND xã",
        "Các thành viên Ban chỉ đạo giảm nghèo xã",
        "Lưu: VT",
    ]
    return tuple(line for line in lines if line)
