"""Work the plan assigns: units and their people, tasks with deadlines, submissions,
reviews of submissions, reminders, and the villages' plans (kế hoạch thôn).

Overdue is never stored: it is computed from the deadline, the status and the date.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from pathlib import PurePath
from typing import TYPE_CHECKING, Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from households import clock, text_limits
from households.models import Commune, Household, Village

# The causes of poverty live with the review now (households); kept importable here.
from households.models import PovertyCause as PovertyCause
from targets.models import PovertyTarget, Recipient, ServiceTarget

if TYPE_CHECKING:
    from giamngheo.models import User


class UnitKind(models.TextChoices):
    OFFICER = "officer", "Công chức chuyên môn"
    INSTITUTION = "institution", "Đơn vị sự nghiệp (trường học, trạm y tế)"
    ORGANISATION = "organisation", "Tổ chức chính trị - xã hội, Mặt trận"
    VILLAGE = "village", "Thôn, làng"
    COLLECTIVE = "collective", "Tập thể (các công chức, ban, ngành)"


class Unit(models.Model):
    """A responsible party of the plan (extract §c.0), with the people acting for it."""

    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="units", verbose_name="xã"
    )
    slug = models.SlugField("mã", max_length=40)
    name = models.CharField("tên", max_length=150)
    kind = models.CharField("loại", max_length=20, choices=UnitKind)
    village = models.OneToOneField(
        Village,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="unit",
        verbose_name="thôn (với đơn vị là thôn)",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="units", verbose_name="người"
    )
    position = models.PositiveSmallIntegerField("thứ tự", default=0)
    # The unit as the issuer of its own reports (Nghị định 30/2020/NĐ-CP Điều 8,
    # Phụ lục I mục IV ô 2, 3, 7): left empty, its reports go out as UBND xã's.
    issuer_name = models.CharField(
        "tên đơn vị ban hành văn bản",
        max_length=150,
        blank=True,
        help_text=("Ví dụ: Trạm Y tế xã Cao Ngọc. Để trống: tên đơn vị, dưới UBND xã."),
    )
    managing_body = models.CharField(
        "cơ quan chủ quản trực tiếp",
        max_length=150,
        blank=True,
        help_text="Dòng trên tên đơn vị, ví dụ: Trung tâm Y tế huyện Ngọc Lặc.",
    )
    abbreviation = models.CharField(
        "chữ viết tắt tên đơn vị",
        max_length=20,
        blank=True,
        help_text="Trong ký hiệu văn bản: TYT → Số: …/BC-TYT.",
    )
    signer_title = models.CharField(
        "chức vụ người ký", max_length=100, blank=True, help_text="Ví dụ: Trạm trưởng."
    )
    signer_name = models.CharField("họ và tên người ký", max_length=100, blank=True)

    class Meta:
        verbose_name = "đơn vị phụ trách"
        verbose_name_plural = "các đơn vị phụ trách"
        ordering = ["commune", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["commune", "slug"], name="unit_slug_unique")
        ]

    def __str__(self) -> str:
        return self.name


class DeliverableKind(models.TextChoices):
    REPORT = "report", "Báo cáo"
    PLAN = "plan", "Kế hoạch"
    LIST = "list", "Danh sách"
    ACTION = "action", "Hoạt động"


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Chưa bắt đầu"
    IN_PROGRESS = "in_progress", "Đang thực hiện"
    SUBMITTED = "submitted", "Đã nộp"
    APPROVED = "approved", "Đã duyệt"
    RETURNED = "returned", "Trả lại"


DONE_STATUSES = (TaskStatus.SUBMITTED, TaskStatus.APPROVED)


def _looked_at(user: User, field: str) -> dict[str, int]:
    """A province user reads its province's communes; during a request, the one it
    looks at (`User.working_commune`)."""
    commune_id = user.scope_commune_id
    return {} if commune_id is None else {field: commune_id}


class TaskQuerySet(models.QuerySet["Task"]):
    def visible_to(self, user: User) -> Self:
        """Officer and chairman: the whole commune; others: their units' tasks."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        if user.is_province:
            return self.filter(commune__province=user.province).filter(
                **_looked_at(user, "commune_id")
            )
        if user.commune_id is None:
            return self.none()
        in_commune = self.filter(commune_id=user.commune_id)
        if user.is_officer or user.is_chairman:
            return in_commune
        return in_commune.filter(Q(unit__members=user) | Q(assignees=user)).distinct()

    def deadline_years(self) -> set[int]:
        """The years of the tasks' last on-time days: a duty "trong năm 2024" is due
        before 01/01/2025 and belongs to 2024."""
        return {
            (due_before - timedelta(days=1)).year
            for due_before in self.order_by()
            .values_list("due_before", flat=True)
            .distinct()
        }

    def calendar_year(self) -> int:
        """The year "Lịch hạn" opens on: this year if it holds tasks, else the latest
        earlier year that does (else the first one)."""
        year = clock.today().year
        years = self.deadline_years()
        if years and year not in years:
            past = [y for y in years if y <= year]
            year = max(past) if past else min(years)
        return year

    def due_in(self, year: int) -> Self:
        """Tasks whose last on-time day falls in `year`."""
        return self.filter(
            due_before__gt=date(year, 1, 1), due_before__lte=date(year + 1, 1, 1)
        )

    def overdue(self, on: date) -> Self:
        """Not handed in, and the last on-time day is past."""
        return self.filter(due_before__lte=on).exclude(status__in=DONE_STATUSES)


class Task(models.Model):
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="tasks", verbose_name="xã"
    )
    year = models.PositiveSmallIntegerField("năm")
    title = models.CharField("nhiệm vụ", max_length=200)
    duty_text = models.TextField(
        "nguyên văn kế hoạch", max_length=text_limits.LONG_TEXT
    )
    source = models.CharField("mục trong kế hoạch", max_length=50, blank=True)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="tasks", verbose_name="đơn vị"
    )
    assignees = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="assigned_tasks",
        verbose_name="người thực hiện",
    )
    kind = models.CharField(
        "sản phẩm",
        max_length=10,
        choices=DeliverableKind,
        default=DeliverableKind.ACTION,
    )
    # "trước 25/9/2024" is a due-before date: 24/9 is the last day on time.
    due_before = models.DateField("hạn (trước ngày)")
    deadline_text = models.CharField("thời hạn như kế hoạch ghi", max_length=100)
    recipient = models.CharField(
        "gửi", max_length=20, choices=Recipient, default=Recipient.LDTBXH
    )
    service_targets = models.ManyToManyField(
        ServiceTarget, blank=True, related_name="tasks", verbose_name="chỉ tiêu báo cáo"
    )
    poverty_target = models.ForeignKey(
        PovertyTarget,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name="chỉ tiêu giảm nghèo",
    )
    status = models.CharField(
        "tình trạng", max_length=15, choices=TaskStatus, default=TaskStatus.NOT_STARTED
    )
    position = models.PositiveSmallIntegerField("thứ tự", default=0)

    history = HistoricalRecords()
    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = "nhiệm vụ"
        verbose_name_plural = "các nhiệm vụ"
        ordering = ["due_before", "position", "pk"]
        indexes = [models.Index(fields=["commune", "year", "due_before"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("tasks:detail", args=[self.pk])

    @property
    def last_on_time_day(self) -> date:
        return self.due_before - timedelta(days=1)

    def is_overdue(self, on: date) -> bool:
        return self.status not in DONE_STATUSES and on >= self.due_before

    def days_left(self, on: date) -> int:
        """Days until the last on-time day (0 on that day, negative when overdue)."""
        return (self.last_on_time_day - on).days

    def people(self) -> list[User]:
        """Who acts for the task: its assignees, or else the unit's members."""
        assignees = list(self.assignees.all())
        return assignees or list(self.unit.members.all())


class Decision(models.TextChoices):
    PENDING = "pending", "Chờ duyệt"
    APPROVED = "approved", "Đã duyệt"
    RETURNED = "returned", "Trả lại"


class Submission(models.Model):
    task = models.ForeignKey(
        Task,
        on_delete=models.PROTECT,
        related_name="submissions",
        verbose_name="nhiệm vụ",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField("nộp lúc")
    note = models.TextField(
        "nội dung, ghi chú", max_length=text_limits.LONG_TEXT, blank=True
    )
    decision = models.CharField(
        "kết quả duyệt", max_length=10, choices=Decision, default=Decision.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField("duyệt lúc", null=True, blank=True)
    comment = models.TextField(
        "ý kiến của người duyệt", max_length=text_limits.NOTE, blank=True
    )

    class Meta:
        verbose_name = "lần nộp"
        verbose_name_plural = "các lần nộp"
        ordering = ["-submitted_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.task} — {self.submitted_at:%d/%m/%Y}"

    @property
    def late(self) -> bool:
        return timezone.localdate(self.submitted_at) >= self.task.due_before


class SubmissionFigure(models.Model):
    """A figure reported for a target: pre-filled from the live value, editable with a
    reason (so the report and the register can be compared later)."""

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="figures"
    )
    service_target = models.ForeignKey(
        ServiceTarget, on_delete=models.PROTECT, related_name="+"
    )
    live_ok = models.PositiveIntegerField("số đạt theo sổ hộ")
    live_total = models.PositiveIntegerField("tổng số theo sổ hộ")
    reported_ok = models.PositiveIntegerField("số đạt báo cáo")
    reported_total = models.PositiveIntegerField("tổng số báo cáo")
    reason = models.CharField("lý do khác số liệu sổ hộ", max_length=300, blank=True)

    class Meta:
        verbose_name = "số liệu báo cáo"
        verbose_name_plural = "số liệu báo cáo"
        constraints = [
            models.CheckConstraint(
                condition=Q(reported_ok__lte=models.F("reported_total")),
                name="figure_ok_not_above_total",
            )
        ]

    def __str__(self) -> str:
        return f"{self.service_target.code}: {self.reported_ok}/{self.reported_total}"

    @property
    def differs(self) -> bool:
        return (self.reported_ok, self.reported_total) != (
            self.live_ok,
            self.live_total,
        )


def attachment_path(instance: Attachment, filename: str) -> str:
    # Never the uploader's file name in the path (ASVS 5.3.2): a random name and the
    # checked extension; the original name is kept in the database for downloads.
    suffix = PurePath(filename).suffix.lower()
    return f"attachments/{instance.submission.task.year}/{uuid.uuid4().hex}{suffix}"


class Attachment(models.Model):
    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField("tệp", upload_to=attachment_path)
    original_name = models.CharField("tên tệp", max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField("dung lượng (byte)")
    sha256 = models.CharField(max_length=64)

    class Meta:
        verbose_name = "tệp đính kèm"
        verbose_name_plural = "tệp đính kèm"

    def __str__(self) -> str:
        return self.original_name


class EventKind(models.TextChoices):
    CREATED = "created", "Giao nhiệm vụ"
    STARTED = "started", "Bắt đầu thực hiện"
    SUBMITTED = "submitted", "Nộp"
    APPROVED = "approved", "Duyệt"
    RETURNED = "returned", "Trả lại"
    REMINDED = "reminded", "Nhắc hạn"


class TaskEvent(models.Model):
    """The task's history as people read it: who did what, when, with what comment."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=10, choices=EventKind)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField()
    # A submission's note or a decision's comment, with a few words before it.
    comment = models.TextField(max_length=text_limits.LONG_TEXT + 100, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.at:%d/%m/%Y}"


class ReminderKind(models.TextChoices):
    SEVEN_DAYS = "7d", "Còn 7 ngày"
    ONE_DAY = "1d", "Còn 1 ngày"
    OVERDUE = "overdue", "Quá hạn"
    DIGEST = "digest", "Tổng hợp việc quá hạn"


class Reminder(models.Model):
    """One reminder sent: the record that makes the daily command idempotent."""

    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, null=True, blank=True, related_name="reminders"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=ReminderKind)
    sent_on = models.DateField()

    class Meta:
        constraints = [
            # One reminder per task, person and threshold…
            models.UniqueConstraint(
                fields=["task", "recipient", "kind"],
                condition=Q(task__isnull=False),
                name="one_reminder_per_threshold",
            ),
            # …and one digest per person per day.
            models.UniqueConstraint(
                fields=["recipient", "kind", "sent_on"],
                condition=Q(task__isnull=True),
                name="one_digest_per_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.sent_on:%d/%m/%Y}"


class SupportLine(models.TextChoices):
    # Support lines of the national programme (QĐ 90/QĐ-TTg, DOMAIN.md §6).
    PRODUCTION = "production", "Hỗ trợ phát triển sản xuất"
    LIVELIHOOD = "livelihood", "Mô hình đa dạng hóa sinh kế, giảm nghèo"
    TRAINING = "training", "Đào tạo nghề, giới thiệu việc làm"
    CREDIT = "credit", "Vay vốn ưu đãi Ngân hàng Chính sách xã hội"
    HOUSING = "housing", "Hỗ trợ nhà ở"
    HEALTH_INSURANCE = "health_insurance", "Hỗ trợ thẻ bảo hiểm y tế"


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "Nháp"
    SUBMITTED = "submitted", "Đã nộp"
    RETURNED = "returned", "Trả lại"
    APPROVED = "approved", "Đã duyệt"


class VillagePlanQuerySet(models.QuerySet["VillagePlan"]):
    def visible_to(self, user: User) -> Self:
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        if user.is_province:
            return self.filter(village__commune__province=user.province).filter(
                **_looked_at(user, "village__commune_id")
            )
        if user.commune_id is None:
            return self.none()
        if user.is_village_head:
            return self.filter(village_id=user.village_id)
        if user.is_officer or user.is_chairman:
            return self.filter(village__commune_id=user.commune_id)
        return self.none()


class VillagePlan(models.Model):
    """A village's plan for the year (§III.2.11), due before 15/03."""

    village = models.ForeignKey(
        Village, on_delete=models.PROTECT, related_name="plans", verbose_name="thôn"
    )
    year = models.PositiveSmallIntegerField("năm")
    task = models.OneToOneField(
        Task,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="village_plan",
        verbose_name="nhiệm vụ",
    )
    due_before = models.DateField("hạn nộp (trước ngày)")
    status = models.CharField(
        "tình trạng", max_length=10, choices=PlanStatus, default=PlanStatus.DRAFT
    )
    submitted_at = models.DateTimeField("nộp lần đầu lúc", null=True, blank=True)
    approved_at = models.DateTimeField("duyệt lúc", null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    officer_comment = models.TextField(
        "ý kiến của công chức LĐ-TB&XH", max_length=text_limits.NOTE, blank=True
    )
    summary = models.TextField(
        "nội dung chung của kế hoạch", max_length=text_limits.LONG_TEXT, blank=True
    )

    history = HistoricalRecords()
    objects = VillagePlanQuerySet.as_manager()

    class Meta:
        verbose_name = "kế hoạch giảm nghèo của thôn"
        verbose_name_plural = "kế hoạch giảm nghèo của các thôn"
        ordering = ["year", "village__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["village", "year"], name="one_plan_per_village_year"
            )
        ]

    def __str__(self) -> str:
        return f"Kế hoạch giảm nghèo năm {self.year} — {self.village}"

    def get_absolute_url(self) -> str:
        return reverse("tasks:plan_detail", args=[self.pk])

    @property
    def locked(self) -> bool:
        return self.status == PlanStatus.APPROVED

    @property
    def late(self) -> bool:
        return (
            self.submitted_at is not None
            and timezone.localdate(self.submitted_at) >= self.due_before
        )


class HouseholdPlan(models.Model):
    """What the village plans for one poor household."""

    plan = models.ForeignKey(
        VillagePlan, on_delete=models.CASCADE, related_name="households"
    )
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="plans", verbose_name="hộ"
    )
    causes = models.JSONField("nguyên nhân nghèo", default=list, blank=True)
    solutions = models.JSONField("giải pháp hỗ trợ", default=list, blank=True)
    solution_note = models.CharField(
        "giải pháp khác, phương án cụ thể", max_length=300, blank=True
    )
    resource_amount = models.PositiveBigIntegerField(
        "nguồn lực dự kiến (đồng)", null=True, blank=True
    )
    resource_in_kind = models.CharField("hỗ trợ hiện vật", max_length=200, blank=True)
    resource_source = models.CharField("nguồn", max_length=200, blank=True)
    helper = models.CharField("chi hội, cá nhân giúp đỡ", max_length=150, blank=True)
    expected_escape = models.BooleanField(
        "dự kiến thoát nghèo trong năm", default=False
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "phương án cho hộ nghèo"
        verbose_name_plural = "phương án cho các hộ nghèo"
        ordering = ["household__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "household"], name="one_household_plan_per_plan"
            )
        ]

    def __str__(self) -> str:
        return f"{self.plan}: {self.household.code}"
