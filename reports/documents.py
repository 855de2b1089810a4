"""The parts of an official document of a UBND xã (Nghị định 30/2020/NĐ-CP, Phụ lục I)
that come from data, not from the template: issuing commune, place, date, signer."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from households.local_government import has_districts
from households.models import Commune


@dataclass(frozen=True)
class Issuer:
    """Who issues a document: ô 2 (name, under the managing body where it has one),
    the body's part of the ký hiệu (ô 3) and the signature block (ô 7)."""

    name_lines: tuple[str, ...]  # CAPS, bold (Phụ lục I mục IV.2)
    abbreviation: str  # "UBND" → "BC-UBND" (Phụ lục III)
    authority: tuple[str, ...]  # CAPS, bold: "TM. ỦY BAN NHÂN DÂN" / "CHỦ TỊCH"
    signer_name: str
    managing_body: str = ""  # CAPS, upright, above the name; may abbreviate "UBND"


def commune_issuer(commune: Commune) -> Issuer:
    # A UBND is a collective body: its chair signs "TM." it (Điều 13 khoản 1 điểm a).
    return Issuer(
        name_lines=("ỦY BAN NHÂN DÂN", f"XÃ {commune.name.upper()}"),
        abbreviation="UBND",
        authority=("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"),
        signer_name=commune.chairman_name,
    )


def symbol(kind_code: str, issuer: Issuer) -> str:
    """Ký hiệu: the kind's abbreviation, then the issuer's ("BC-TYT")."""
    return f"{kind_code}-{issuer.abbreviation}" if issuer.abbreviation else kind_code


@dataclass(frozen=True)
class OfficialDocument:
    commune: Commune
    kind: str  # tên loại: "Báo cáo", "Kế hoạch"…
    title: str  # trích yếu
    symbol: str  # ký hiệu: "BC-UBND"
    date: date
    recipients: tuple[str, ...] = field(default_factory=tuple)
    number: str = ""  # filled on paper by the văn thư, or when issued here
    issuer: Issuer | None = None  # None: the UBND xã
    addressee: str = ""  # Kính gửi (ô 9a), for a report to another body

    @property
    def place(self) -> str:
        # Địa danh: the name of the administrative unit where the body sits.
        return self.commune.name

    @property
    def by(self) -> Issuer:
        return self.issuer or commune_issuer(self.commune)

    @property
    def signer(self) -> str:
        return self.by.signer_name


def upper_levels(commune: Commune, on: date) -> tuple[str, str]:
    """The People's Committee above the commune and its office for poverty reduction
    on the day `on`: the district's until 30/06/2025, the province's from 01/07/2025
    (`households.local_government`)."""
    if has_districts(on) and commune.district:
        return (
            f"UBND huyện {commune.district}",
            f"Phòng Lao động - TB&XH huyện {commune.district}",
        )
    return (f"UBND tỉnh {commune.province}", commune.poverty_office)


def reporting_body(commune: Commune, on: date) -> str:
    """Kính gửi of a commune's report to the level above, dated `on`: UBND huyện
    until 30/06/2025 (the 2024 plan's wording); from 01/07/2025 the province's body
    that follows poverty reduction (`Commune.poverty_office`, a setting of the
    commune; DOMAIN.md §15: commune → Sở Nông nghiệp và Môi trường)."""
    if has_districts(on) and commune.district:
        return f"UBND huyện {commune.district}"
    return commune.poverty_office


def recipients_for_report(
    commune: Commune, *, on: date, to_district: bool = False
) -> tuple[str, ...]:
    """Nơi nhận of a commune's report dated `on`; `to_district`: addressed to the
    level above (the district, or the province once there are no districts)."""
    committee, office = upper_levels(commune, on)
    lines = [
        f"{committee} (để b/c)" if to_district else None,
        f"{office} (để b/c)",
        "TTr Đảng ủy, HĐND xã (để b/c)",
        "Chủ tịch, PCT UBND xã",
        "Các thành viên Ban chỉ đạo giảm nghèo xã",
        "Lưu: VT",
    ]
    return tuple(line for line in lines if line)
