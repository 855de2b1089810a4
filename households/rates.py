"""Rates derived from counts: the poor-household rate and every other percentage.

Rates are always derived from counts (tỷ lệ hộ nghèo = số hộ nghèo / tổng số hộ
× 100, DOMAIN.md §4.2), never stored.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def rate(count: int, total: int) -> Decimal:
    """A rate in percent, 2 decimals, half-up: rate(64, 1229) == Decimal("5.21")."""
    if total <= 0:
        raise ValueError("Tổng số hộ phải lớn hơn 0 để tính tỷ lệ.")
    if count < 0:
        raise ValueError("Số hộ không được âm.")
    return (Decimal(count) * 100 / Decimal(total)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )
