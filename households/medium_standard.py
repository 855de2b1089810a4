"""Whether a farm household's actual income puts it at the medium living standard.

Quyết định 24/2021/QĐ-TTg sets, beside the review of poor and near-poor households,
its own process to determine the households that farm, keep forests, fish or make
salt (hộ làm nông nghiệp, lâm nghiệp, ngư nghiệp và diêm nghiệp) and have a medium
living standard; their members get a BHYT subsidy (Nghị định 146/2018/NĐ-CP, DOMAIN.md
§4.4). Unlike the review, whose income is estimated from points (Phiếu B1), this
process takes the household's ACTUAL income over the 12 months before it, leaving
out the social allowances and assistance paid from the state budget (DOMAIN.md §2.1
notes and §3.5, VERIFIED from a secondary summary of QĐ 24).

The household is at the medium living standard when that income per person per month
is above the poverty line and at most the medium line of the standard in force
(Nghị định 07/2021/NĐ-CP Điều 3: rural > 1.500.000 and ≤ 2.250.000 đồng, urban
> 2.000.000 and ≤ 3.000.000 đồng). The lines come from `poverty.Standard`; this
module holds no amount of its own.

Comparisons are made on whole đồng over the 12 months (income > line × persons × 12),
so a household one đồng over a line is never rounded back under it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from households.poverty import Standard
from households.vietnamese_numbers import format_decimal, format_grouped

MONTHS = 12  # "thu nhập thực tế trong 12 tháng trước" (QĐ 24/2021, DOMAIN.md §3.5)


@dataclass(frozen=True)
class MediumLivingResult:
    in_band: bool
    counted_income: int  # the 12 months' income less the state allowances, đồng
    per_person_month: Decimal  # đồng per person per month, to the cent
    reasons: str
    standard: Standard


def _amount(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} phải là số nguyên (đồng).")
    if value < 0:
        raise ValueError(f"{what} không được âm.")
    return value


def per_person_month(counted_income: int, persons: int) -> Decimal:
    """Income per person per month, to the cent, half-up (for display only)."""
    return (Decimal(counted_income) / (persons * MONTHS)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )


def determine(
    *,
    income_12_months: int,
    excluded_allowances: int,
    persons: int,
    farms: bool,
    urban: bool,
    standard: Standard,
) -> MediumLivingResult:
    """Whether the household is at the medium living standard, and why.

    `income_12_months` is the household's actual income of the 12 months before the
    determination, all sources; `excluded_allowances` the part of it that is social
    allowance or assistance paid from the state budget, which does not count.
    Raises ValueError for a negative amount, allowances above the income, or no person.
    """
    income = _amount(income_12_months, "Tổng thu nhập 12 tháng")
    allowances = _amount(excluded_allowances, "Khoản trợ cấp, trợ giúp xã hội")
    if isinstance(persons, bool) or not isinstance(persons, int) or persons < 1:
        raise ValueError("Số nhân khẩu phải từ 1 trở lên.")
    if allowances > income:
        raise ValueError(
            "Khoản trợ cấp, trợ giúp xã hội không được lớn hơn tổng thu nhập 12 tháng."
        )
    counted = income - allowances
    average = per_person_month(counted, persons)
    area = standard.urban_area_name if urban else "nông thôn"
    line = standard.poverty_line(urban=urban)
    medium_line = standard.medium_line(urban=urban)

    income_text = (
        f"Thu nhập thực tế 12 tháng {format_grouped(income)} đồng, không tính "
        f"{format_grouped(allowances)} đồng trợ cấp, trợ giúp xã hội từ ngân sách "
        f"nhà nước, còn {format_grouped(counted)} đồng; bình quân "
        f"{format_decimal(average)} đồng/người/tháng ({persons} nhân khẩu)"
    )
    above_line = counted > line * persons * MONTHS
    within_medium = counted <= medium_line * persons * MONTHS
    in_band = farms and above_line and within_medium
    if not above_line:
        verdict = (
            f"không vượt chuẩn nghèo {format_grouped(line)} đồng (khu vực {area}) nên "
            "không phải hộ có mức sống trung bình: hộ cần được rà soát hộ nghèo, "
            "hộ cận nghèo"
        )
    elif not within_medium:
        verdict = (
            f"trên mức sống trung bình {format_grouped(medium_line)} đồng "
            f"(khu vực {area}) nên không thuộc diện hộ có mức sống trung bình"
        )
    else:
        verdict = (
            f"trên chuẩn cận nghèo {format_grouped(line)} đồng và không quá "
            f"{format_grouped(medium_line)} đồng (khu vực {area})"
        )
        verdict += (
            " nên đạt mức sống trung bình"
            if farms
            else ", nhưng hộ không làm nông, lâm, ngư, diêm nghiệp nên không thuộc "
            "diện xác định"
        )
    reasons = f"{income_text} — {verdict}."
    if standard.medium_band_note:
        reasons += f" {standard.medium_band_note}"
    return MediumLivingResult(
        in_band=in_band,
        counted_income=counted,
        per_person_month=average,
        reasons=reasons,
        standard=standard,
    )


@dataclass(frozen=True)
class Decided:
    """What a stored determination says, for `recognised_on`."""

    household_id: int
    in_band: bool
    determined_on: date
    decision_date: date | None

    @property
    def effective_on(self) -> date | None:
        """When its answer holds: a recognition from the chairman's decision, a
        result out of the band from the determination itself; a result in the band
        that the chairman has not yet recognised holds nothing."""
        if self.in_band:
            return self.decision_date
        return self.determined_on


def recognised_on(determinations: Iterable[Decided], on: date) -> set[int]:
    """The households at the medium living standard on `on`: their latest determination
    that holds by that day recognised them. A recognition takes effect on the
    decision date and lasts until the household's next determination (QĐ 24/2021/
    QĐ-TTg; the text's own word on how long it lasts was not found)."""
    latest: dict[int, tuple[date, date, bool]] = {}
    for d in determinations:
        effective = d.effective_on
        if effective is None or effective > on:
            continue
        key = (effective, d.determined_on, d.in_band)
        if d.household_id not in latest or key[:2] > latest[d.household_id][:2]:
            latest[d.household_id] = key
    return {household for household, key in latest.items() if key[2]}
