"""A job: long work (an import, a large document) that runs in the background,
with its progress for the page that waits on it, and its result."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Self

from django.conf import settings
from django.db import models
from django.urls import reverse

if TYPE_CHECKING:
    from giamngheo.models import User


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Đang chờ"
    RUNNING = "running", "Đang chạy"
    DONE = "done", "Xong"
    FAILED = "failed", "Không làm được"


class JobQuerySet(models.QuerySet["Job"]):
    def unfinished(self) -> Self:
        return self.filter(status__in=(JobStatus.QUEUED, JobStatus.RUNNING))

    def visible_to(self, user: User) -> Self:
        """A job is its requester's (and the superuser's): others get 404."""
        if user.is_superuser:
            return self
        return self.filter(requested_by=user)


class Job(models.Model):
    # Not a counter: the page's address must not let one guess another's.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    title = models.CharField("việc", max_length=200)
    # What the job makes (a document of a scope, in a format): asking again for the
    # same while it is queued or running leads to this job, not a second one.
    key = models.CharField("tài liệu", max_length=300, blank=True, db_index=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="jobs",
        verbose_name="người yêu cầu",
    )
    status = models.CharField(
        "tình trạng", max_length=10, choices=JobStatus, default=JobStatus.QUEUED
    )
    phase = models.CharField("đang làm", max_length=200, blank=True)
    done = models.PositiveIntegerField("đã làm", default=0)
    total = models.PositiveIntegerField("tổng số", null=True, blank=True)
    # Where "Quay lại" leads (the page that asked for the job).
    back_url = models.CharField("trang yêu cầu", max_length=500, blank=True)
    # When done: the page of the result; the job's page goes there unless it has a
    # message to show first.
    result_url = models.CharField("trang kết quả", max_length=500, blank=True)
    message = models.TextField("kết quả", blank=True)
    result = models.JSONField("dữ liệu kết quả", null=True, blank=True)
    result_file = models.FileField("tệp kết quả", upload_to="jobs/%Y/%m/", blank=True)
    # The name and type the download is given (the stored name may carry a suffix
    # the storage added to keep it unique).
    result_file_name = models.CharField("tên tệp kết quả", max_length=200, blank=True)
    result_file_type = models.CharField("loại tệp kết quả", max_length=100, blank=True)
    error = models.TextField("lỗi", blank=True)
    created_at = models.DateTimeField("lúc yêu cầu", auto_now_add=True)
    started_at = models.DateTimeField("lúc bắt đầu", null=True, blank=True)
    finished_at = models.DateTimeField("lúc xong", null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = "việc chạy nền"
        verbose_name_plural = "việc chạy nền"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("jobs:detail", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)
