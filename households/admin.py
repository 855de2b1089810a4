from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from households.models import (
    Commune,
    Household,
    Member,
    PublicHoliday,
    Review,
    Village,
)
from households.surveys import PointsRow, PointsTable, QuickScreen


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
