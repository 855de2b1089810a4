"""The demo commune's targets for 2024 (`manage.py seed_demo`, after demo.register).

The plan of xã Cao Ngọc for 2024 (docs/ke-hoach-2024.vi.md): §II.2.1 lowers
the poor households from 64 to 40, shared between the villages in its Phụ lục 01 (not in
the copy we have: here in proportion to each village's poor households, by the largest
remainder method); §II.2.2 sets the seven service-access targets, each with the officer
who reports on it and the deadline of §III.2.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from django.db import transaction

from demo.register import (
    COMMUNE_CODE,
    COMMUNE_NAME,
    DemoSeedError,
    require_demo_mode,
)
from households.models import Commune, Household
from targets.measurement import poor_at_start
from targets.models import (
    Measure,
    Population,
    PovertyTarget,
    Recipient,
    ServiceTarget,
    VillageAllocation,
)
from targets.progress import Comparator

YEAR = 2024
POOR_TARGET_END = 40  # §II.2.1: "giảm từ 64 hộ xuống còn 40 hộ"
POVERTY_SOURCE = (
    "Kế hoạch thực hiện chương trình giảm nghèo nhanh và bền vững năm 2024, mục II.2.1"
)
CHANGE_REASON = "Nạp dữ liệu mẫu năm 2024 (seed_demo)"


@dataclass(frozen=True)
class ServiceLine:
    """One service-access target of §II.2.2 as the plan writes it."""

    code: str
    text: str
    measure: Measure
    population: Population
    indicators: str
    comparator: Comparator
    threshold: int
    threshold_as_written: str
    responsible: str
    report_due_before: date
    report_recipient: Recipient
    source: str
    measurement_note: str = ""


TO_COMMUNE = date(2024, 9, 25)  # "báo cáo UBND xã trước ngày 25/9/2024"
TO_DISTRICT = date(2024, 9, 30)  # "báo cáo UBND huyện trước 30/9/2024" (§III.2.2)

# The six bullets of §II.2.2, the fourth split in two (housing quality, floor area).
SERVICE_LINES: tuple[ServiceLine, ...] = (
    ServiceLine(
        code="1",
        text="Phấn đấu không còn tình trạng trẻ em không đi học",
        measure=Measure.CHILDREN_IN_SCHOOL,
        population=Population.CHILDREN,
        indicators="Tình trạng đi học của trẻ em 3–dưới 16 tuổi (thông tin nhân khẩu)",
        comparator=Comparator.EQ,
        threshold=100,
        threshold_as_written="Không còn trẻ em không đi học (100 %)",
        measurement_note=(
            "Văn bản không giới hạn ở hộ nghèo: đo trên mọi trẻ em từ 3 đến dưới 16 "
            "tuổi của xã."
        ),
        responsible="Các nhà trường",
        report_due_before=TO_COMMUNE,
        report_recipient=Recipient.UBND_XA,
        source="§II.2.2; §III.2.5",
    ),
    ServiceLine(
        code="2",
        text="Phấn đấu trên 100% hộ nghèo được tiếp cận nguồn nước hợp vệ sinh",
        measure=Measure.POOR_WATER,
        population=Population.POOR_HOUSEHOLDS,
        indicators="Chỉ số 9 — Nguồn nước sinh hoạt (phiếu rà soát gần nhất)",
        comparator=Comparator.EQ,
        threshold=100,
        threshold_as_written="trên 100 %",
        measurement_note=(
            "Văn bản ghi “trên 100%” — không thể vượt 100%; hệ thống đo là 100% hộ "
            "nghèo."
        ),
        responsible="Công chức Địa chính - Nông nghiệp",
        report_due_before=TO_DISTRICT,
        report_recipient=Recipient.UBND_HUYEN,
        source="§II.2.2; §III.2.2",
    ),
    ServiceLine(
        code="3",
        text="Phấn đấu đảm bảo 100% khẩu cận nghèo tham gia bảo hiểm y tế",
        measure=Measure.NEAR_POOR_INSURED,
        population=Population.NEAR_POOR_MEMBERS,
        indicators="Thẻ BHYT còn hạn của từng nhân khẩu",
        comparator=Comparator.EQ,
        threshold=100,
        threshold_as_written="100 %",
        measurement_note=(
            "Mục II.2.2 tính theo khẩu (người), mục III.2.6 ghi “100% hộ cận nghèo "
            "tham gia BHYT”; hệ thống đo theo từng nhân khẩu của hộ cận nghèo."
        ),
        responsible="Trạm Y tế xã (phối hợp Bảo hiểm xã hội huyện)",
        report_due_before=TO_COMMUNE,
        report_recipient=Recipient.UBND_XA,
        source="§II.2.2; §III.2.6",
    ),
    ServiceLine(
        code="4a",
        text="Phấn đấu trên 70% hộ nghèo có đảm bảo về chất lượng nhà ở",
        measure=Measure.POOR_HOUSING_QUALITY,
        population=Population.POOR_HOUSEHOLDS,
        indicators="Chỉ số 7 — Chất lượng nhà ở (phiếu rà soát gần nhất)",
        comparator=Comparator.GT,
        threshold=70,
        threshold_as_written="trên 70 %",
        measurement_note="“Trên 70%” đọc đúng chữ: đúng 70% là chưa đạt.",
        responsible="Công chức Địa chính - Xây dựng",
        report_due_before=TO_COMMUNE,
        report_recipient=Recipient.UBND_XA,
        source="§II.2.2; §III.2.7",
    ),
    ServiceLine(
        code="4b",
        text="80% hộ nghèo đảm bảo diện tích tối thiểu 8m²/người trở lên",
        measure=Measure.POOR_FLOOR_AREA,
        population=Population.POOR_HOUSEHOLDS,
        indicators=(
            "Chỉ số 8 — Diện tích nhà ở bình quân đầu người, từ 8 m²/người (phiếu rà "
            "soát gần nhất)"
        ),
        comparator=Comparator.GTE,
        threshold=80,
        threshold_as_written="80 %",
        measurement_note=(
            "Văn bản không ghi từ so sánh (“trên”, “từ … trở lên”): hiểu là đạt khi từ "
            "80% trở lên."
        ),
        responsible="Công chức Địa chính - Xây dựng",
        report_due_before=TO_COMMUNE,
        report_recipient=Recipient.UBND_XA,
        source="§II.2.2; §III.2.7",
    ),
    ServiceLine(
        code="5",
        text="Phấn đấu trên 90% hộ nghèo có hố xí/nhà tiêu hợp vệ sinh",
        measure=Measure.POOR_LATRINE,
        population=Population.POOR_HOUSEHOLDS,
        indicators="Chỉ số 10 — Nhà tiêu hợp vệ sinh (phiếu rà soát gần nhất)",
        comparator=Comparator.GT,
        threshold=90,
        threshold_as_written="trên 90 %",
        measurement_note=(
            "Bản chụp mất chữ “sinh” (“hợp vệ …”); đọc là “hợp vệ sinh” theo mục "
            "III.2.2."
        ),
        responsible="Công chức Địa chính - Nông nghiệp",
        report_due_before=TO_DISTRICT,
        report_recipient=Recipient.UBND_HUYEN,
        source="§II.2.2; §III.2.2",
    ),
    ServiceLine(
        code="6",
        text="Phấn đấu 100% hộ nghèo được tiếp cận dịch vụ thông tin truyền thông",
        measure=Measure.POOR_INFORMATION,
        population=Population.POOR_HOUSEHOLDS,
        indicators=(
            "Chỉ số 11 và 12 — dịch vụ viễn thông, phương tiện tiếp cận thông tin "
            "(phiếu rà soát gần nhất)"
        ),
        comparator=Comparator.EQ,
        threshold=100,
        threshold_as_written="100 %",
        measurement_note="Hộ đạt khi không thiếu hụt cả hai chỉ số 11 và 12.",
        responsible="Công chức Văn hóa thông tin (phối hợp công chức LĐ-TB&XH)",
        report_due_before=TO_COMMUNE,
        report_recipient=Recipient.UBND_XA,
        source="§II.2.2; §III.2.3",
    ),
)


def service_targets(commune: Commune, year: int) -> list[ServiceTarget]:
    """The plan's service-access targets (`SERVICE_LINES`) for a commune, unsaved:
    the demo saves them one by one (with history), `seed_scale` in bulk."""
    return [
        ServiceTarget(
            commune=commune,
            year=year,
            code=line.code,
            position=position,
            text=line.text,
            measure=line.measure,
            population=line.population,
            indicators=line.indicators,
            comparator=line.comparator,
            threshold=Decimal(line.threshold),
            threshold_as_written=line.threshold_as_written,
            measurement_note=line.measurement_note,
            responsible=line.responsible,
            report_due_before=line.report_due_before,
            report_recipient=line.report_recipient,
            source=line.source,
        )
        for position, line in enumerate(SERVICE_LINES, start=1)
    ]


def largest_remainder(counts: Sequence[int], total: int) -> list[int]:
    """Share `total` in proportion to `counts`, in whole units, summing to `total`.

    Each share is the floor of its exact quota; the units left go to the largest
    remainders (ties: the larger count, then the earlier position). No share exceeds
    its count when `total` does not exceed their sum.
    """
    whole = sum(counts)
    if total < 0 or total > whole:
        raise ValueError(f"Không chia được {total} trên tổng {whole}.")
    if total == 0:
        return [0] * len(counts)
    quotas = [Fraction(c * total, whole) for c in counts]
    shares = [int(q) for q in quotas]
    order = sorted(
        range(len(counts)),
        key=lambda i: (quotas[i] - shares[i], counts[i], -i),
        reverse=True,
    )
    for i in order[: total - sum(shares)]:
        shares[i] += 1
    return shares


@dataclass(frozen=True)
class AllocationRow:
    position: int
    name: str
    poor_start: int
    poor_reduction: int

    @property
    def poor_target_end(self) -> int:
        return self.poor_start - self.poor_reduction


@dataclass(frozen=True)
class TargetsResult:
    """What `seed_targets_2024()` did; `created` is False when it was there."""

    created: bool
    poor_start: int = 0
    poor_target_end: int = 0
    allocations: tuple[AllocationRow, ...] = ()
    service_targets: int = 0


def seed_targets_2024() -> TargetsResult:
    """The 2024 poverty target, its share per village and the service targets.

    Needs the 2023 demo (the baseline is read from the register on 31/12/2023); does
    nothing (`created=False`) when the commune already has a 2024 poverty target.
    """
    require_demo_mode()
    with transaction.atomic():
        commune = Commune.objects.filter(code=COMMUNE_CODE).first()
        if commune is None:
            raise DemoSeedError(
                f"Chưa có dữ liệu mẫu xã {COMMUNE_NAME} năm 2023: cần nạp phần năm "
                "2023 trước chỉ tiêu năm 2024."
            )
        if PovertyTarget.objects.filter(commune=commune, year=YEAR).exists():
            return TargetsResult(created=False)
        villages = list(commune.villages.order_by("position"))
        poor = poor_at_start(Household.objects.filter(commune=commune), YEAR)
        poor_start = [poor.get(v.pk, 0) for v in villages]
        reduction = sum(poor_start) - POOR_TARGET_END
        if reduction < 0:
            raise DemoSeedError(
                f"Đầu năm {YEAR} chỉ có {sum(poor_start)} hộ nghèo, ít hơn chỉ tiêu "
                f"{POOR_TARGET_END} hộ."
            )
        shares = largest_remainder(poor_start, reduction)

        target = PovertyTarget(
            commune=commune,
            year=YEAR,
            poor_target_end=POOR_TARGET_END,
            source=POVERTY_SOURCE,
        )
        _save(target)
        for village, share in zip(villages, shares, strict=True):
            _save(
                VillageAllocation(target=target, village=village, poor_reduction=share)
            )
        for target_line in service_targets(commune, YEAR):
            _save(target_line)
    return TargetsResult(
        created=True,
        poor_start=sum(poor_start),
        poor_target_end=POOR_TARGET_END,
        allocations=tuple(
            AllocationRow(v.position, v.name, start, share)
            for v, start, share in zip(villages, poor_start, shares, strict=True)
        ),
        service_targets=len(SERVICE_LINES),
    )


def _save(instance: PovertyTarget | VillageAllocation | ServiceTarget) -> None:
    instance._change_reason = CHANGE_REASON  # type: ignore[union-attr]
    instance.full_clean()
    instance.save()
