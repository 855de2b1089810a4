"""The survey forms as stored: the Phiếu B1 points tables and the Phiếu A screens.

Imported at the end of `households.models` (so Django registers the models of the
`households` app); kept apart because they are the forms of TT 07/2021/TT-BLĐTBXH,
not the register.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import groupby
from typing import Self

from django.conf import settings
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery
from django.urls import reverse

from households import points, quick_screen, text_limits
from households.models import Household, ReviewRound
from households.poverty import STANDARDS
from households.regions import Region, area_name


class PointsTableQuerySet(models.QuerySet["PointsTable"]):
    def for_key(self, *, standard_code: str, region: str, urban: bool) -> Self:
        return self.filter(standard_code=standard_code, region=region, urban=urban)

    def current(self, *, standard_code: str, region: str, urban: bool) -> PointsTable:
        """The table in use for the key: the one loaded last. Raises DoesNotExist."""
        found = (
            self.for_key(standard_code=standard_code, region=region, urban=urban)
            .order_by("-loaded_at", "-pk")
            .first()
        )
        if found is None:
            raise PointsTable.DoesNotExist
        return found


class PointsTable(models.Model):
    """One version of a Phiếu B1 points table (TT 07/2021/TT-BLĐTBXH), keyed by the
    standard, the region and the area. A new file for the same key is a new version;
    a review keeps the version that scored it."""

    standard_code = models.CharField(
        "chuẩn nghèo", max_length=20, choices=[(c, c) for c in STANDARDS]
    )
    region = models.CharField("vùng", max_length=40, choices=Region)
    urban = models.BooleanField("khu vực thành thị", default=False)
    name = models.CharField("tên bảng", max_length=200)
    source = models.CharField("nguồn", max_length=300)
    verified = models.BooleanField("đã đối chiếu văn bản gốc", default=False)
    note = models.TextField("ghi chú", max_length=text_limits.NOTE, blank=True)
    file_name = models.CharField("tệp", max_length=200, blank=True)
    loaded_at = models.DateTimeField("nạp lúc")
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="người nạp",
    )

    objects = PointsTableQuerySet.as_manager()

    class Meta:
        verbose_name = "bảng điểm Phiếu B1"
        verbose_name_plural = "các bảng điểm Phiếu B1"
        ordering = ["standard_code", "region", "urban", "-loaded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.key_label})"

    @property
    def key_label(self) -> str:
        return (
            f"chuẩn {self.standard_code}, {self.get_region_display()}, "
            f"{area_name(urban=self.urban).lower()}"
        )

    @property
    def mark(self) -> str:
        """What every page that shows or uses the table must say of it."""
        return "" if self.verified else points.SAMPLE_MARK

    def items(self) -> tuple[points.Item, ...]:
        rows = list(self.rows.all())
        return tuple(
            points.Item(
                code,
                group[0].question,
                tuple(
                    points.Answer(r.answer_code, r.answer_label, r.points)
                    for r in group
                ),
            )
            for code, group in (
                (code, list(g)) for code, g in groupby(rows, key=lambda r: r.item_code)
            )
        )


class PointsRow(models.Model):
    """One answer of one question of a points table, in the file's order."""

    table = models.ForeignKey(
        PointsTable, on_delete=models.CASCADE, related_name="rows"
    )
    position = models.PositiveSmallIntegerField("thứ tự")
    item_code = models.CharField("mã câu", max_length=40)
    question = models.CharField("câu hỏi", max_length=300)
    answer_code = models.CharField("mã trả lời", max_length=40)
    answer_label = models.CharField("trả lời", max_length=300)
    points = models.IntegerField("điểm")

    class Meta:
        verbose_name = "dòng bảng điểm"
        verbose_name_plural = "các dòng bảng điểm"
        ordering = ["table", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["table", "item_code", "answer_code"],
                name="points_answer_unique_in_table",
            )
        ]

    def __str__(self) -> str:
        return f"{self.item_code}/{self.answer_code}: {self.points}"


class QuickScreenResult(models.TextChoices):
    CONTINUE = "continue", "Tiếp tục rà soát bằng Phiếu B"
    SCREENED_OUT = "screened_out", "Dừng rà soát (không thuộc diện nghèo, cận nghèo)"


class QuickScreen(models.Model):
    """Phiếu A (nhận dạng nhanh) of a household: its answers to a versioned question
    list and the result the list's rule gives (`households.quick_screen`)."""

    household = models.ForeignKey(
        Household,
        on_delete=models.PROTECT,
        related_name="quick_screens",
        verbose_name="hộ",
    )
    round = models.ForeignKey(
        ReviewRound,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="quick_screens",
        verbose_name="đợt rà soát",
    )
    screen_date = models.DateField("ngày rà soát nhanh")
    screener_name = models.CharField("rà soát viên", max_length=100)
    questions_code = models.CharField("bộ câu hỏi", max_length=40)
    answers = models.JSONField("các câu trả lời “có”", default=list, blank=True)
    result = models.CharField("kết quả", max_length=20, choices=QuickScreenResult)
    note = models.TextField("ghi chú", max_length=text_limits.NOTE, blank=True)
    # The phone submission it came from (households/phone_import.py).
    submission_id = models.CharField(
        "mã bản gửi từ điện thoại", max_length=100, blank=True, db_index=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="người nhập",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "Phiếu A (nhận dạng nhanh)"
        verbose_name_plural = "các Phiếu A (nhận dạng nhanh)"
        ordering = ["-screen_date", "-id"]

    def __str__(self) -> str:
        return f"Phiếu A {self.screen_date:%d/%m/%Y} — {self.get_result_display()}"

    def get_absolute_url(self) -> str:
        return reverse("households:detail", args=[self.household_id])

    @property
    def questions(self) -> quick_screen.QuestionList:
        return quick_screen.question_list(self.questions_code)

    def outcome(self) -> quick_screen.Outcome:
        return self.questions.decide(set(self.answers))


def screened_on(household: Household, day: date) -> QuickScreen | None:
    """The household's latest Phiếu A up to `day`."""
    return (
        household.quick_screens.filter(screen_date__lte=day)
        .order_by("-screen_date", "-id")
        .first()
    )


@dataclass(frozen=True)
class ScreenCounts:
    """Phiếu A of a round: households screened, by the last screen of each."""

    households: int
    screened_out: int
    continued: int


def screened_out(
    review_round: ReviewRound, households: models.QuerySet[Household]
) -> set[int]:
    """The households whose last Phiếu A of the round screened them out: their review
    stops there (Phiếu A, TT 07/2021/TT-BLĐTBXH): no Phiếu B, no village vote."""
    screens = QuickScreen.objects.filter(round=review_round, household__in=households)
    last = screens.filter(household=OuterRef("household")).order_by(
        "-screen_date", "-id"
    )
    return set(
        screens.filter(
            pk=Subquery(last.values("pk")[:1]), result=QuickScreenResult.SCREENED_OUT
        ).values_list("household_id", flat=True)
    )


def round_screen_counts(
    review_round: ReviewRound, households: models.QuerySet[Household]
) -> ScreenCounts:
    """Count the round's Phiếu A of the visible households; a household screened
    twice counts by its last screen."""
    screens = QuickScreen.objects.filter(round=review_round, household__in=households)
    last = screens.filter(household=OuterRef("household")).order_by(
        "-screen_date", "-id"
    )
    counts = screens.filter(pk=Subquery(last.values("pk")[:1])).aggregate(
        households=Count("id"),
        screened_out=Count("id", filter=Q(result=QuickScreenResult.SCREENED_OUT)),
        continued=Count("id", filter=Q(result=QuickScreenResult.CONTINUE)),
    )
    return ScreenCounts(**counts)
