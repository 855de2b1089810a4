"""Admin of tasks. Statuses move only through tasks/actions.py (with their history),
so the admin shows them read-only; submissions and village plans are read-mostly."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from tasks.models import (
    Attachment,
    HouseholdPlan,
    Submission,
    SubmissionFigure,
    Task,
    TaskEvent,
    Unit,
    VillagePlan,
)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "commune", "village", "position")
    list_filter = ("commune", "kind")
    search_fields = ("name", "slug")
    filter_horizontal = ("members",)


class TaskEventInline(ReadOnlyInline):
    model = TaskEvent
    fields = ("at", "kind", "actor", "comment")


@admin.register(Task)
class TaskAdmin(SimpleHistoryAdmin):
    list_display = ("title", "unit", "year", "due_before", "deadline_text", "status")
    list_filter = ("unit", "status", "year")
    search_fields = ("title", "duty_text", "source")
    filter_horizontal = ("assignees", "service_targets")
    readonly_fields = ("status",)
    date_hierarchy = "due_before"
    inlines = [TaskEventInline]


class FigureInline(ReadOnlyInline):
    model = SubmissionFigure
    fields = (
        "service_target",
        "reported_ok",
        "reported_total",
        "live_ok",
        "live_total",
        "reason",
    )


class AttachmentInline(ReadOnlyInline):
    model = Attachment
    fields = ("original_name", "content_type", "size", "sha256")


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ("task", "submitted_by", "submitted_at", "decision", "decided_by")
    list_filter = ("decision", "task__unit", "task__year")
    readonly_fields = (
        "task",
        "submitted_by",
        "submitted_at",
        "note",
        "decision",
        "decided_by",
        "decided_at",
        "comment",
    )
    inlines = [FigureInline, AttachmentInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class HouseholdPlanInline(ReadOnlyInline):
    model = HouseholdPlan
    fields = ("household", "causes", "solutions", "resource_amount", "expected_escape")


@admin.register(VillagePlan)
class VillagePlanAdmin(SimpleHistoryAdmin):
    list_display = ("village", "year", "due_before", "status", "submitted_at")
    list_filter = ("year", "status", "village__commune")
    readonly_fields = (
        "status",
        "submitted_at",
        "approved_at",
        "approved_by",
        "officer_comment",
        "task",
    )
    inlines = [HouseholdPlanInline]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(HouseholdPlan)
class HouseholdPlanAdmin(SimpleHistoryAdmin):
    list_display = ("household", "plan", "expected_escape")
    list_filter = ("plan__year", "expected_escape")
    raw_id_fields = ("household", "plan")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
