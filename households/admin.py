from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from simple_history.admin import SimpleHistoryAdmin

from households.models import (
    Commune,
    Household,
    Member,
    PublicHoliday,
    Review,
    Village,
)
from households.rebuild_jobs import REBUILD_KEY, rebuild_status_periods
from households.surveys import PointsRow, PointsTable, QuickScreen
from jobs.running import start

if TYPE_CHECKING:
    from giamngheo.http import AuthenticatedRequest


class VillageInline(admin.TabularInline):
    model = Village
    extra = 0


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "district", "province", "region")
    inlines = [VillageInline]


@admin.register(Village)
class VillageAdmin(admin.ModelAdmin):
    list_display = ("name", "commune", "position")
    list_filter = ("commune",)


class MemberInline(admin.TabularInline):
    model = Member
    extra = 0
    fields = ("full_name", "birth_year", "sex", "relationship", "ethnicity")


@admin.register(Household)
class HouseholdAdmin(SimpleHistoryAdmin):
    list_display = ("code", "village", "ethnicity", "archived_on")
    list_filter = ("commune", "village", "ethnicity")
    search_fields = ("code", "search_text")
    inlines = [MemberInline]

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        # Households are archived, never deleted (ECOSYSTEM.md B11).
        return False


@admin.register(Review)
class ReviewAdmin(SimpleHistoryAdmin):
    list_display = ("household", "review_date", "kind", "status", "standard_code")
    list_filter = ("kind", "status")
    raw_id_fields = ("household",)
    change_list_template = "admin/households/review/change_list.html"

    def get_urls(self) -> list[URLPattern]:
        rebuild = path(
            "tinh-lai-thoi-ky-phan-loai/",
            self.admin_site.admin_view(self.rebuild_periods),
            name="households_review_rebuild_periods",
        )
        return [rebuild, *super().get_urls()]

    def rebuild_periods(self, request: AuthenticatedRequest) -> HttpResponse:
        """`manage.py rebuild_status_periods` as a background job: GET asks, POST
        starts it (or leads to the one still running) and shows its progress."""
        if not request.user.is_superuser:
            raise PermissionDenied
        if request.method == "POST":
            job = start(
                rebuild_status_periods,
                title="Tính lại thời kỳ phân loại của mọi hộ",
                by=request.user,
                key=REBUILD_KEY,
                back_url=reverse("admin:households_review_changelist"),
            )
            return redirect(job)
        return TemplateResponse(
            request,
            "admin/households/review/rebuild_periods.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": "Tính lại thời kỳ phân loại",
            },
        )


class PointsRowInline(admin.TabularInline):
    model = PointsRow
    extra = 0


@admin.register(PointsTable)
class PointsTableAdmin(admin.ModelAdmin):
    list_display = ("name", "standard_code", "region", "urban", "verified", "loaded_at")
    list_filter = ("standard_code", "region", "urban", "verified")
    inlines = [PointsRowInline]


@admin.register(QuickScreen)
class QuickScreenAdmin(admin.ModelAdmin):
    list_display = ("household", "screen_date", "round", "result")
    list_filter = ("result",)
    raw_id_fields = ("household",)


@admin.register(PublicHoliday)
class PublicHolidayAdmin(admin.ModelAdmin):
    # The table the procedure's working days skip (BLLĐ 2019 Điều 112): tick
    # "đã đối chiếu" only after reading the day in the year's official notice.
    list_display = ("date", "name", "verified", "source")
    list_filter = ("verified",)
    date_hierarchy = "date"
    search_fields = ("name", "source")
