"""Classify a household under the multidimensional poverty standard.

Nghị định 07/2021/NĐ-CP, Điều 3 sets the standard for 2022–2025 (continued through 2026
by Nghị định 351/2025/NĐ-CP, DOMAIN.md §1.2 and §15): a monthly income per person
against an income line, and twelve deprivation indicators over six basic social
services. Thông tư 07/2021/TT-BLĐTBXH turns it into the rule below (DOMAIN.md §2.3): at
or under the line, a household is poor when it is deprived on at least 3 indicators and
near-poor otherwise; over the line it is above the near-poor standard, with the medium
living standard as a band of its own.

This module never touches the database: a standard is data, and the rule is a pure
function, so a new standard is one more `Standard` value and a table of test cases.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import models


class PovertyStatus(models.TextChoices):
    POOR = "poor", "Hộ nghèo"
    NEAR_POOR = "near_poor", "Hộ cận nghèo"
    MEDIUM = "medium", "Hộ có mức sống trung bình"
    NOT_POOR = "not_poor", "Hộ không nghèo"


@dataclass(frozen=True)
class Indicator:
    """One of the twelve deprivation indicators (chỉ số đo lường mức độ thiếu hụt)."""

    slug: str
    name: str
    service: str


# ND 07/2021 Điều 3 khoản 1 điểm b, in the order of the official report columns
# (DOMAIN.md §2.2 and §3.8 reports 4–7).
INDICATORS: tuple[Indicator, ...] = (
    Indicator("viec_lam", "Việc làm", "Việc làm"),
    Indicator("nguoi_phu_thuoc", "Người phụ thuộc trong hộ gia đình", "Việc làm"),
    Indicator("dinh_duong", "Dinh dưỡng", "Y tế"),
    Indicator("bao_hiem_y_te", "Bảo hiểm y tế", "Y tế"),
    Indicator(
        "trinh_do_giao_duc_nguoi_lon", "Trình độ giáo dục của người lớn", "Giáo dục"
    ),
    Indicator("tinh_trang_di_hoc_tre_em", "Tình trạng đi học của trẻ em", "Giáo dục"),
    Indicator("chat_luong_nha_o", "Chất lượng nhà ở", "Nhà ở"),
    Indicator(
        "dien_tich_nha_o_binh_quan", "Diện tích nhà ở bình quân đầu người", "Nhà ở"
    ),
    Indicator(
        "nguon_nuoc_sinh_hoat", "Nguồn nước sinh hoạt", "Nước sinh hoạt và vệ sinh"
    ),
    Indicator(
        "nha_tieu_hop_ve_sinh", "Nhà tiêu hợp vệ sinh", "Nước sinh hoạt và vệ sinh"
    ),
    Indicator("su_dung_dich_vu_vien_thong", "Sử dụng dịch vụ viễn thông", "Thông tin"),
    Indicator(
        "phuong_tien_tiep_can_thong_tin",
        "Phương tiện phục vụ tiếp cận thông tin",
        "Thông tin",
    ),
)
INDICATOR_SLUGS: tuple[str, ...] = tuple(i.slug for i in INDICATORS)
INDICATORS_BY_SLUG: dict[str, Indicator] = {i.slug: i for i in INDICATORS}


@dataclass(frozen=True)
class Standard:
    """One period's poverty standard. Amounts are VND per person per month."""

    code: str
    name: str
    valid_from: date
    valid_to: date
    poverty_line_rural: int
    poverty_line_urban: int
    medium_line_rural: int
    medium_line_urban: int
    min_deprivations_for_poor: int
    # A standard may be kept in force after the period its decree set: `period_to` is
    # that period's last day, `continued_by` the text that extended it to `valid_to`.
    period_to: date | None = None
    continued_by: str = ""
    # The decree's name for the urban area in the reasons ("khu vực đô thị" replaces
    # "khu vực thành thị" from 2027, DOMAIN.md §1.2).
    urban_area_name: str = "thành thị"
    # The indicators this standard counts, as data: a standard whose own list was not
    # read reuses the 2022–2025 list and says so in `indicators_note`.
    indicator_slugs: tuple[str, ...] = INDICATOR_SLUGS
    # What of this standard is not checked against the decree's own text, shown to
    # people wherever the standard is used to reclassify; "" when all is verified.
    indicators_note: str = ""
    medium_band_note: str = ""
    # The Phiếu B1 score (điểm A) at or under which the estimated income is at or under
    # the poverty line (TT 07/2021/TT-BLĐTBXH, DOMAIN.md §2.3 and §15); None when the
    # standard's score line is not known, so the score path refuses with a message.
    b1_line_rural: int | None = None
    b1_line_urban: int | None = None
    b1_note: str = ""

    def continuation_notice(self, on: date) -> str | None:
        """What a review held on `on` must say when the standard only continues."""
        if self.period_to is None or not self.period_to < on <= self.valid_to:
            return None
        return (
            f"Năm {on.year} chưa có chuẩn nghèo mới: tiếp tục áp dụng {self.name} "
            f"đến hết ngày {self.valid_to:%d/%m/%Y}, theo {self.continued_by}."
        )

    def poverty_line(self, *, urban: bool) -> int:
        return self.poverty_line_urban if urban else self.poverty_line_rural

    def medium_line(self, *, urban: bool) -> int:
        return self.medium_line_urban if urban else self.medium_line_rural

    def b1_line(self, *, urban: bool) -> int | None:
        return self.b1_line_urban if urban else self.b1_line_rural


# ND 07/2021/NĐ-CP Điều 3: 1,500,000 / 2,000,000 VND (poor and near-poor, rural/urban);
# medium living standard up to 2,250,000 / 3,000,000 VND; poor from 3 deprivations.
# Nghị định 351/2025/NĐ-CP (30/12/2025) keeps it in force from 01/01/2026 to
# 31/12/2026; its new lines apply from 2027 (DOMAIN.md §1.2 and §15, VERIFIED from
# secondary sources: press and law portals, the decree's own text not read).
STANDARD_2022_2025 = Standard(
    code="2022-2025",
    name="Chuẩn nghèo đa chiều giai đoạn 2022–2025 (Nghị định 07/2021/NĐ-CP)",
    valid_from=date(2022, 1, 1),
    valid_to=date(2026, 12, 31),
    poverty_line_rural=1_500_000,
    poverty_line_urban=2_000_000,
    medium_line_rural=2_250_000,
    medium_line_urban=3_000_000,
    min_deprivations_for_poor=3,
    period_to=date(2025, 12, 31),
    continued_by="Nghị định 351/2025/NĐ-CP ngày 30/12/2025 của Chính phủ",
    # TT 07/2021/TT-BLĐTBXH: điểm A (Phiếu B1) ≤ 140 rural / ≤ 175 urban ≙ income at or
    # under 1,500,000 / 2,000,000 VND (DOMAIN.md §2.3 and §15, VERIFIED secondary:
    # thukyluat.vn and a law portal's summary; the circular's own text not read).
    b1_line_rural=140,
    b1_line_urban=175,
    b1_note=(
        "Ngưỡng điểm B1 (140 điểm nông thôn, 175 điểm thành thị) theo bản tóm tắt "
        "Thông tư 07/2021/TT-BLĐTBXH; chưa đối chiếu văn bản gốc."
    ),
)

# Nghị định 351/2025/NĐ-CP: from 01/01/2027 to 31/12/2030 the income lines are
# 2,200,000 VND rural and 2,800,000 VND urban per person per month; poor at income
# ≤ line and ≥ 3 deprivations, near-poor at < 3; "khu vực đô thị" replaces "thành thị"
# (DOMAIN.md §1.2 and §15, VERIFIED from secondary sources only, the decree's text not
# read). Its own list of deprivation indicators was not read either: this value reuses
# the 12 indicators of 2022–2025 (chưa đối chiếu văn bản gốc). Nor does DOMAIN.md give a
# medium living standard band for 2027–2030: the band is modelled as in 2022–2025,
# where it ends at 1.5 × the poverty line (2,250,000 = 1.5 × 1,500,000 and 3,000,000 =
# 1.5 × 2,000,000), i.e. 3,300,000 / 4,200,000 VND, and marked NOT verified.
STANDARD_2027_2030 = Standard(
    code="2027-2030",
    name="Chuẩn nghèo đa chiều giai đoạn 2027–2030 (Nghị định 351/2025/NĐ-CP)",
    valid_from=date(2027, 1, 1),
    valid_to=date(2030, 12, 31),
    poverty_line_rural=2_200_000,
    poverty_line_urban=2_800_000,
    medium_line_rural=3_300_000,
    medium_line_urban=4_200_000,
    min_deprivations_for_poor=3,
    urban_area_name="đô thị",
    indicator_slugs=INDICATOR_SLUGS,
    indicators_note=(
        "Chuẩn 2027–2030 được tính với 12 chỉ số thiếu hụt của giai đoạn 2022–2025 "
        "(Nghị định 07/2021/NĐ-CP Điều 3); danh mục chỉ số của Nghị định "
        "351/2025/NĐ-CP chưa đối chiếu văn bản gốc."
    ),
    medium_band_note=(
        "Mức sống trung bình 2027–2030 (3.300.000 đồng nông thôn, 4.200.000 đồng "
        "đô thị) lấy bằng 1,5 lần chuẩn nghèo như giai đoạn 2022–2025; chưa đối "
        "chiếu văn bản gốc."
    ),
    # No points table or score line for 2027–2030 was found: the B1 score path
    # refuses under this standard (b1_line_* None) and the income is typed instead.
)

STANDARDS: dict[str, Standard] = {
    s.code: s for s in (STANDARD_2022_2025, STANDARD_2027_2030)
}


def standard_in_force(on: date) -> Standard:
    """The standard that applies to a review held on `on`."""
    for standard in STANDARDS.values():
        if standard.valid_from <= on <= standard.valid_to:
            return standard
    raise ValueError(f"Chưa có chuẩn nghèo áp dụng cho ngày {on:%d/%m/%Y}.")


def continuation_notice(on: date) -> str | None:
    """The notice of a review held on `on` when its standard is only continued
    (2026: the 2022–2025 standard), or None."""
    try:
        return standard_in_force(on).continuation_notice(on)
    except ValueError:
        return None


@dataclass(frozen=True)
class Classification:
    status: PovertyStatus
    reasons: str
    standard: Standard
    deprived: tuple[str, ...]

    @property
    def deprivation_count(self) -> int:
        return len(self.deprived)


def _written(amount: int | Decimal) -> str:
    """1500000 -> "1.500.000": an amount in the reasons, written as
    `households.vietnamese_numbers.format_decimal` writes it (a test holds them
    equal), since this module imports nothing of the project."""
    value = Decimal(amount)
    if value == value.to_integral_value():
        return f"{int(value):,}".replace(",", ".")
    return f"{value.normalize():,f}".translate(str.maketrans(",.", ".,"))


def _validated_income(value: object) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise TypeError(
            "Thu nhập bình quân phải là số nguyên hoặc Decimal (đồng/người/tháng)."
        )
    try:
        income = Decimal(value)
    except InvalidOperation as exc:  # pragma: no cover - Decimal(int) cannot fail
        raise ValueError("Thu nhập bình quân không hợp lệ.") from exc
    if not income.is_finite():
        raise ValueError("Thu nhập bình quân không hợp lệ.")
    if income < 0:
        raise ValueError("Thu nhập bình quân không được âm.")
    return income


def _validated_indicators(
    deprived: Iterable[str], slugs: tuple[str, ...]
) -> tuple[str, ...]:
    if isinstance(deprived, str):
        raise TypeError(
            "Danh sách chỉ số thiếu hụt phải là một tập mã, không phải chuỗi."
        )
    codes = set(deprived)
    unknown = sorted(str(c) for c in codes if c not in slugs)
    if unknown:
        raise ValueError(f"Mã chỉ số thiếu hụt không tồn tại: {', '.join(unknown)}.")
    # Keep the official order so that reasons read the same way every time.
    return tuple(slug for slug in slugs if slug in codes)


def _validated_score(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError("Tổng điểm B1 phải là số nguyên.")
    if value < 0:
        raise ValueError("Tổng điểm B1 không được âm.")
    return value


def classify(
    income_per_person_month: int | Decimal | None = None,
    deprived: Iterable[str] = (),
    *,
    b1_score: int | None = None,
    urban: bool = False,
    standard: Standard = STANDARD_2022_2025,
) -> Classification:
    """Classify a household from its income per person per month, or from its Phiếu B1
    score (exactly one of the two), and its deprivations.

    TT 07/2021/TT-BLĐTBXH estimates the income by points (Phiếu B1): a score at or
    under the standard's B1 line stands for an income at or under the poverty line
    (DOMAIN.md §2.3). A score says nothing of the medium band, which is set from the
    actual income of farm households by their own process (QĐ 24/2021, DOMAIN.md §3.5):
    over the line the household is "not poor".

    Raises ValueError for a negative income or score, an unknown indicator code, or a
    score under a standard without a B1 line; TypeError without exactly one of income
    and score.
    """
    if (income_per_person_month is None) == (b1_score is None):
        raise TypeError(
            "Phân loại cần đúng một trong hai: thu nhập bình quân hoặc tổng điểm B1."
        )
    codes = _validated_indicators(deprived, standard.indicator_slugs)
    area = standard.urban_area_name if urban else "nông thôn"
    line = standard.poverty_line(urban=urban)
    medium_line = standard.medium_line(urban=urban)
    threshold = standard.min_deprivations_for_poor

    if codes:
        names = ", ".join(INDICATORS_BY_SLUG[c].name for c in codes)
        deprivation_text = (
            f"thiếu hụt {len(codes)}/{len(standard.indicator_slugs)} chỉ số: {names}"
        )
    else:
        deprivation_text = "không thiếu hụt chỉ số nào"
    if len(codes) >= threshold:
        verdict = f"từ {threshold} chỉ số trở lên nên là hộ nghèo"
        poor_or_near = PovertyStatus.POOR
    else:
        verdict = f"dưới {threshold} chỉ số nên là hộ cận nghèo"
        poor_or_near = PovertyStatus.NEAR_POOR

    if b1_score is not None:
        score = _validated_score(b1_score)
        b1_line = standard.b1_line(urban=urban)
        if b1_line is None:
            raise ValueError(
                f"{standard.name} chưa có ngưỡng điểm Phiếu B1 (chưa có bảng điểm "
                "ban hành): nhập thu nhập bình quân đầu người thay cho tổng điểm B1."
            )
        meaning = (
            f"khu vực {area}, tương ứng chuẩn nghèo {_written(line)} đồng/người/tháng"
        )
        if score <= b1_line:
            status = poor_or_near
            reasons = (
                f"Tổng điểm B1: {score} ≤ {b1_line} điểm ({meaning}); "
                f"{deprivation_text} — {verdict}."
            )
        else:
            status = PovertyStatus.NOT_POOR
            reasons = (
                f"Tổng điểm B1: {score} > {b1_line} điểm ({meaning}) nên không thuộc "
                f"diện nghèo, cận nghèo; {deprivation_text} (chỉ xét khi điểm không "
                "vượt ngưỡng). Hộ có mức sống trung bình chỉ xác định theo thu nhập "
                "thực tế, không theo điểm B1."
            )
        return Classification(
            status=status, reasons=reasons, standard=standard, deprived=codes
        )

    income = _validated_income(income_per_person_month)
    income_text = f"Thu nhập bình quân {_written(income)} đồng/người/tháng"
    if income <= line:
        income_clause = (
            f"{income_text}, không vượt chuẩn nghèo {_written(line)} đồng "
            f"(khu vực {area})"
        )
        status = poor_or_near
        reasons = f"{income_clause}; {deprivation_text} — {verdict}."
    elif income <= medium_line:
        status = PovertyStatus.MEDIUM
        reasons = (
            f"{income_text}, trên chuẩn cận nghèo {_written(line)} đồng và không quá "
            f"{_written(medium_line)} đồng (khu vực {area}) nên là hộ có mức sống "
            f"trung bình; {deprivation_text} (chỉ xét khi thu nhập không vượt chuẩn)."
        )
    else:
        status = PovertyStatus.NOT_POOR
        reasons = (
            f"{income_text}, trên mức sống trung bình {_written(medium_line)} đồng "
            f"(khu vực {area}) nên không thuộc diện nghèo, cận nghèo; "
            f"{deprivation_text} (chỉ xét khi thu nhập không vượt chuẩn)."
        )
    return Classification(
        status=status, reasons=reasons, standard=standard, deprived=codes
    )
