"""The allocation page: the commune's target and each village's share, on one form."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from households.models import Village


class AllocationForm(forms.Form):
    """Fields: the commune's end-of-year target, then one reduction per village.

    Refused unless the villages' reductions add up to the commune's, and no village is
    asked to lift more households than it has poor at the start of the year.
    """

    poor_target_end = forms.IntegerField(
        label="Số hộ nghèo cuối năm của toàn xã (chỉ tiêu)",
        min_value=0,
        error_messages={"min_value": "Chỉ tiêu không được âm."},
    )
    near_poor_target_end = forms.IntegerField(
        label="Số hộ cận nghèo cuối năm của toàn xã (không bắt buộc)",
        min_value=0,
        required=False,
        error_messages={"min_value": "Chỉ tiêu không được âm."},
    )

    def __init__(
        self,
        *args: Any,
        villages: Sequence[Village],
        poor_start: dict[int, int],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.villages = list(villages)
        self.poor_start = poor_start
        for village in self.villages:
            self.fields[f"reduction_{village.pk}"] = forms.IntegerField(
                label=village.name,
                min_value=0,
                error_messages={
                    "min_value": "Chỉ tiêu giảm không được âm.",
                    "required": f"Nhập chỉ tiêu giảm hộ nghèo cho {village.name}.",
                },
            )
            self.fields[f"near_poor_{village.pk}"] = forms.IntegerField(
                label=f"Hộ cận nghèo cuối năm — {village.name}",
                min_value=0,
                required=False,
                error_messages={"min_value": "Chỉ tiêu không được âm."},
            )

    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                "village": village,
                "poor_start": self.poor_start.get(village.pk, 0),
                "reduction": self[f"reduction_{village.pk}"],
                "near_poor": self[f"near_poor_{village.pk}"],
            }
            for village in self.villages
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        total_start = sum(self.poor_start.get(v.pk, 0) for v in self.villages)
        target_end = cleaned.get("poor_target_end")
        if target_end is not None and target_end > total_start:
            self.add_error(
                "poor_target_end",
                f"Chỉ tiêu cuối năm ({target_end} hộ) cao hơn số hộ nghèo đầu năm "
                f"({total_start} hộ).",
            )
            return cleaned
        reductions: dict[int, int] = {}
        for village in self.villages:
            reduction = cleaned.get(f"reduction_{village.pk}")
            if reduction is None:
                continue
            start = self.poor_start.get(village.pk, 0)
            if reduction > start:
                self.add_error(
                    f"reduction_{village.pk}",
                    f"{village.name}: giảm {reduction} hộ nhưng đầu năm chỉ có "
                    f"{start} hộ nghèo (vượt {reduction - start} hộ).",
                )
            reductions[village.pk] = reduction
        if target_end is not None and len(reductions) == len(self.villages):
            wanted = total_start - target_end
            given = sum(reductions.values())
            if given != wanted:
                difference = wanted - given
                word = "còn thiếu" if difference > 0 else "thừa"
                raise ValidationError(
                    f"Tổng chỉ tiêu giảm của các thôn là {given} hộ, {word} "
                    f"{abs(difference)} hộ so với chỉ tiêu của xã (giảm {wanted} hộ: "
                    f"từ {total_start} xuống {target_end} hộ nghèo)."
                )
        self._check_near_poor(cleaned)
        return cleaned

    def _check_near_poor(self, cleaned: dict[str, Any]) -> None:
        values = [cleaned.get(f"near_poor_{v.pk}") for v in self.villages]
        given = [v for v in values if v is not None]
        commune = cleaned.get("near_poor_target_end")
        if given and len(given) != len(values):
            raise ValidationError(
                "Chỉ tiêu hộ cận nghèo: nhập cho mọi thôn, hoặc để trống tất cả."
            )
        if given and commune is None:
            self.add_error(
                "near_poor_target_end",
                "Nhập chỉ tiêu hộ cận nghèo của xã khi đã giao cho các thôn.",
            )
        elif given and commune is not None and sum(given) != commune:
            difference = commune - sum(given)
            word = "còn thiếu" if difference > 0 else "thừa"
            raise ValidationError(
                f"Tổng chỉ tiêu hộ cận nghèo của các thôn là {sum(given)} hộ, {word} "
                f"{abs(difference)} hộ so với chỉ tiêu của xã ({commune} hộ)."
            )
