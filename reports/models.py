"""Reports as issued: a report, once given a number or attached to a submission, is a
document, and a document does not change when the register does.

The figures are computed "as of" a date (default: the report's deadline), rendered
once to PDF and Excel with the number and date, and stored with the figures they
show; a reprint serves the stored files. Issuing the same report again is a new
document with a new number (Nghị định 30/2020/NĐ-CP Điều 15: a document's number is
unique in the issuer's register of the year).
"""

from __future__ import annotations

import uuid
from pathlib import PurePath
from typing import TYPE_CHECKING, Any, Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from households.models import Commune
from tasks.models import Task

if TYPE_CHECKING:
    from giamngheo.models import User


class IssuedReportQuerySet(models.QuerySet["IssuedReport"]):
    def visible_to(self, user: User) -> Self:
        """Officer and chairman: the commune's; others: their own units' reports."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        if user.is_province:
            in_province = self.filter(commune__province=user.province)
            if user.scope_commune_id is None:
                return in_province
            return in_province.filter(commune_id=user.scope_commune_id)
        if user.commune_id is None:
            return self.none()
        in_commune = self.filter(commune_id=user.commune_id)
        if user.is_officer or user.is_chairman:
            return in_commune
        tasks = Task.objects.visible_to(user).values("pk")
        return in_commune.filter(Q(issued_by=user) | Q(task__in=tasks))


def issued_path(instance: IssuedReport, filename: str) -> str:
    # A random name: the document's name is given at download.
    suffix = PurePath(filename).suffix.lower()
    return f"issued/{instance.year}/{uuid.uuid4().hex}{suffix}"


class IssuedReport(models.Model):
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="+", verbose_name="xã"
    )
    kind = models.CharField("báo cáo", max_length=40)  # a September report's slug
    year = models.PositiveSmallIntegerField("năm")
    task = models.ForeignKey(
        Task,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="issued_reports",
        verbose_name="nhiệm vụ",
    )
    as_of = models.DateField("số liệu đến ngày")
    number = models.PositiveIntegerField("số")
    symbol = models.CharField("ký hiệu", max_length=40)
    issued_on = models.DateField("ngày ban hành")
    register_year = models.PositiveSmallIntegerField("năm của sổ văn bản đi")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField("lập lúc")
    # The document's parts as printed, kept for lists and checks.
    title = models.CharField("trích yếu", max_length=300)
    issuer = models.CharField("cơ quan ban hành", max_length=300)
    signer = models.CharField("người ký", max_length=300)
    addressee = models.CharField("kính gửi", max_length=200, blank=True)
    figures = models.JSONField("số liệu đã ban hành")
    pdf = models.FileField("PDF", upload_to=issued_path)
    xlsx = models.FileField("Excel", upload_to=issued_path)
    signed_scan = models.FileField("bản có chữ ký", upload_to=issued_path, blank=True)
    signed_scan_name = models.CharField(
        "tên tệp bản có chữ ký", max_length=255, blank=True
    )
    signed_scan_type = models.CharField(max_length=100, blank=True)

    objects = IssuedReportQuerySet.as_manager()

    class Meta:
        verbose_name = "báo cáo đã ban hành"
        verbose_name_plural = "các báo cáo đã ban hành"
        ordering = ["-issued_on", "-number", "-pk"]
        constraints = [
            # Điều 15: one number per issuer's register and year.
            models.UniqueConstraint(
                fields=["commune", "symbol", "register_year", "number"],
                name="issued_report_number_unique",
            )
        ]

    def __str__(self) -> str:
        return f"Số {self.number_text}/{self.symbol} — {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("reports:issued", args=[self.pk])

    @property
    def number_text(self) -> str:
        # Phụ lục I: numbers below 10 take a leading 0.
        return f"{self.number:02d}"

    @property
    def reference(self) -> str:
        return f"{self.number_text}/{self.symbol}"

    def commune_figures(self) -> dict[str, tuple[int, int]]:
        """The figure of each target for the whole scope: (ok, total) by code."""
        return {
            section["code"]: (section["total"][0], section["total"][1])
            for section in self.figures.get("sections", [])
        }

    def filename(self, suffix: str) -> str:
        return f"bao-cao-{self.kind}-{self.year}-so-{self.number_text}{suffix}"

    def files(self) -> list[tuple[str, Any, str]]:
        """(name, file, content type) of the stored files, the signed scan last."""
        xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        out = [
            (self.filename(".pdf"), self.pdf, "application/pdf"),
            (self.filename(".xlsx"), self.xlsx, xlsx),
        ]
        if self.signed_scan:
            out.append((self.signed_scan_name, self.signed_scan, self.signed_scan_type))
        return out
