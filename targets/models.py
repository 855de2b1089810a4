"""Targets of the plan: poverty targets per year and village (Phụ lục 01), and the
service-access targets of §II.2.2. Counts are stored; rates are always derived."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.db import models
from simple_history.models import HistoricalRecords

from households.models import Commune, Village
from households.transitions import start_of
from targets.progress import Comparator


class PovertyTarget(models.Model):
    """The commune's poverty target for a year: "xuống còn 40 hộ" (§II.2.1).

    The baseline (households and poor households at the start of the year) is read from
    the register on `baseline_date`, never typed in.
    """

    commune = models.ForeignKey(
        Commune,
        on_delete=models.PROTECT,
        related_name="poverty_targets",
        verbose_name="xã",
    )
    year = models.PositiveSmallIntegerField("năm")
    poor_target_end = models.PositiveIntegerField("số hộ nghèo cuối năm (chỉ tiêu)")
    near_poor_target_end = models.PositiveIntegerField(
        "số hộ cận nghèo cuối năm (chỉ tiêu, nếu có)", null=True, blank=True
    )
    source = models.CharField(
        "căn cứ",
        max_length=300,
        blank=True,
        help_text="Ví dụ: Kế hoạch giảm nghèo năm 2024, mục II.2.1.",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "chỉ tiêu giảm nghèo"
        verbose_name_plural = "chỉ tiêu giảm nghèo"
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "year"], name="one_poverty_target_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"Chỉ tiêu giảm nghèo năm {self.year} — {self.commune}"

    @property
    def baseline_date(self) -> date:
        return start_of(self.year)


class VillageAllocation(models.Model):
    """A village's share of the commune target (a row of Phụ lục 01)."""

    target = models.ForeignKey(
        PovertyTarget,
        on_delete=models.CASCADE,
        related_name="allocations",
        verbose_name="chỉ tiêu của xã",
    )
    village = models.ForeignKey(
        Village,
        on_delete=models.PROTECT,
        related_name="allocations",
        verbose_name="thôn",
    )
    poor_reduction = models.PositiveIntegerField("chỉ tiêu giảm hộ nghèo (hộ)")
    near_poor_target_end = models.PositiveIntegerField(
        "số hộ cận nghèo cuối năm (chỉ tiêu, nếu có)", null=True, blank=True
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "chỉ tiêu giao cho thôn"
        verbose_name_plural = "chỉ tiêu giao cho các thôn"
        ordering = ["village__position", "village__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["target", "village"], name="one_allocation_per_village"
            )
        ]

    def __str__(self) -> str:
        return f"{self.village}: giảm {self.poor_reduction} hộ nghèo"


class Population(models.TextChoices):
    POOR_HOUSEHOLDS = "poor_households", "Hộ nghèo"
    NEAR_POOR_MEMBERS = "near_poor_members", "Nhân khẩu thuộc hộ cận nghèo"
    CHILDREN = "children", "Trẻ em từ 3 đến dưới 16 tuổi của xã"


class Measure(models.TextChoices):
    """What each service-access target counts (measured in targets/measures.py)."""

    CHILDREN_IN_SCHOOL = "children_in_school", "Trẻ em đang đi học"
    POOR_WATER = "poor_water", "Hộ nghèo tiếp cận nguồn nước hợp vệ sinh"
    NEAR_POOR_INSURED = "near_poor_insured", "Khẩu cận nghèo có thẻ BHYT còn hạn"
    POOR_HOUSING_QUALITY = (
        "poor_housing_quality",
        "Hộ nghèo có nhà ở bảo đảm chất lượng",
    )
    POOR_FLOOR_AREA = "poor_floor_area", "Hộ nghèo có diện tích nhà ở từ 8 m²/người"
    POOR_LATRINE = "poor_latrine", "Hộ nghèo có nhà tiêu hợp vệ sinh"
    POOR_INFORMATION = "poor_information", "Hộ nghèo tiếp cận dịch vụ thông tin"


class Recipient(models.TextChoices):
    UBND_XA = "ubnd_xa", "UBND xã"
    UBND_HUYEN = "ubnd_huyen", "UBND huyện"
    LDTBXH = "ldtbxh", "Công chức LĐ-TB&XH"
    # From 01/07/2025 the commune reports to the province (DOMAIN.md §15).
    UBND_TINH = "ubnd_tinh", "UBND tỉnh (Sở Nông nghiệp và Môi trường)"


class ServiceTarget(models.Model):
    """A target for access to basic social services (§II.2.2), as the plan writes it."""

    commune = models.ForeignKey(
        Commune,
        on_delete=models.PROTECT,
        related_name="service_targets",
        verbose_name="xã",
    )
    year = models.PositiveSmallIntegerField("năm")
    code = models.CharField("số thứ tự", max_length=5)
    position = models.PositiveSmallIntegerField("thứ tự", default=0)
    text = models.CharField("chỉ tiêu (nguyên văn kế hoạch)", max_length=300)
    measure = models.CharField("cách đo", max_length=30, choices=Measure)
    population = models.CharField("đối tượng", max_length=30, choices=Population)
    indicators = models.CharField(
        "chỉ số, dữ liệu được đọc",
        max_length=200,
        help_text="Chỉ số thiếu hụt hoặc thông tin nhân khẩu mà chỉ tiêu đọc.",
    )
    comparator = models.CharField("so sánh", max_length=3, choices=Comparator)
    threshold = models.DecimalField("ngưỡng đo (%)", max_digits=5, decimal_places=2)
    threshold_as_written = models.CharField("ngưỡng như văn bản ghi", max_length=50)
    measurement_note = models.CharField("ghi chú cách đo", max_length=300, blank=True)
    responsible = models.CharField("đơn vị, công chức phụ trách", max_length=200)
    report_due_before = models.DateField("báo cáo trước ngày")
    report_recipient = models.CharField(
        "báo cáo gửi", max_length=20, choices=Recipient, default=Recipient.UBND_XA
    )
    source = models.CharField("căn cứ", max_length=100, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "chỉ tiêu tiếp cận dịch vụ xã hội cơ bản"
        verbose_name_plural = "chỉ tiêu tiếp cận dịch vụ xã hội cơ bản"
        ordering = ["year", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "year", "code"], name="service_target_code_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(
                    threshold__gte=Decimal(0), threshold__lte=Decimal(100)
                ),
                name="service_target_threshold_is_a_percent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.text}"

    @property
    def unit(self) -> str:
        return "người" if self.population != Population.POOR_HOUSEHOLDS else "hộ"

    @property
    def last_on_time_day(self) -> date:
        """Due "trước 25/9/2024", the 24th is the last day on time."""
        return self.report_due_before - timedelta(days=1)
