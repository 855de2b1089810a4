from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from simple_history.admin import SimpleHistoryAdmin

from households.identity_text import clean_name
from households.mergers import MergerRefused, merge, plan_merger
from households.models import (
    Commune,
    Household,
    Member,
    PublicHoliday,
    Review,
    Village,
    VillageMove,
)
from households.rebuild_jobs import REBUILD_KEY, rebuild_status_periods
from households.surveys import PointsRow, PointsTable, QuickScreen
from jobs.running import start

if TYPE_CHECKING:
    from giamngheo.http import AuthenticatedRequest


class VillageForm(forms.ModelForm[Village]):
    class Meta:
        model = Village
        fields = ["commune", "name", "position"]

    def clean_name(self) -> str:
        # A village name is printed on lists and certificates: no hidden characters,
        # composed, so that "Bản Lác" typed two ways is one village (unique in a
        # commune).
        return clean_name(self.cleaned_data["name"])


class VillageInline(admin.TabularInline):
    model = Village
    form = VillageForm
    extra = 0


class MergerForm(forms.Form):
    """Where the selected communes go: an existing commune, or a new one."""

    into = forms.ModelChoiceField(
        Commune.objects.filter(merged_into__isnull=True),
        required=False,
        label="Sáp nhập vào xã đã có",
    )
    name = forms.CharField(
        required=False, max_length=100, label="hoặc tên xã mới (thành lập)"
    )
    code = forms.SlugField(required=False, max_length=20, label="mã xã mới")
    on = forms.DateField(
        label="ngày sáp nhập",
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        help_text="Ví dụ 01/07/2025, ngày nghị quyết sáp nhập có hiệu lực.",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        new = bool(data.get("name") or data.get("code"))
        if data.get("into") is not None and new:
            raise forms.ValidationError(
                "Chọn một xã đã có, hoặc cho tên và mã xã mới, không cả hai."
            )
        if data.get("into") is None and not (data.get("name") and data.get("code")):
            raise forms.ValidationError(
                "Chọn xã sáp nhập vào, hoặc cho cả tên và mã xã mới."
            )
        return data


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "district", "province", "region", "merger")
    list_filter = ("province", ("merged_into", admin.EmptyFieldListFilter))
    readonly_fields = ("merged_into", "merged_on", "established_on")
    inlines = [VillageInline]
    actions = ["merge_communes"]

    @admin.display(description="sáp nhập")
    def merger(self, commune: Commune) -> str:
        if commune.merged_into is None:
            return ""
        return f"vào xã {commune.merged_into.name} từ {commune.merged_on:%d/%m/%Y}"

    @admin.action(
        description="Sáp nhập các xã đã chọn vào một xã…", permissions=["change"]
    )
    def merge_communes(
        self, request: HttpRequest, queryset: QuerySet[Commune]
    ) -> HttpResponse | None:
        """A page to say where and when; the merger on its "Sáp nhập" button."""
        formers = list(queryset.order_by("name", "pk"))
        form = MergerForm(request.POST if "apply" in request.POST else None)
        plan = None
        if form.is_bound and form.is_valid():
            data = form.cleaned_data
            creates = data["into"] is None
            first = formers[0]
            into = data["into"] or Commune(
                name=data["name"],
                code=data["code"],
                district=first.district,
                province=first.province,
                is_urban=first.is_urban,
                region=first.region,
            )
            try:
                plan = plan_merger(
                    formers=formers, into=into, on=data["on"], creates=creates
                )
                if request.POST.get("apply") == "confirm":
                    merge(plan, by=request.user.get_username())
                    self.message_user(
                        request,
                        f"Đã sáp nhập {len(formers)} xã vào xã {into.name}.",
                        messages.SUCCESS,
                    )
                    return None
            except MergerRefused as refused:
                self.message_user(request, str(refused), messages.ERROR)
                plan = None
        return TemplateResponse(
            request,
            "admin/households/commune/merge.html",
            {
                **self.admin_site.each_context(request),
                "title": "Sáp nhập xã",
                "opts": self.model._meta,
                "formers": formers,
                "form": form,
                "plan": plan,
                "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
            },
        )


@admin.register(VillageMove)
class VillageMoveAdmin(admin.ModelAdmin):
    list_display = ("former_name", "village", "from_commune", "to_commune", "moved_on")
    list_filter = ("moved_on",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Village)
class VillageAdmin(admin.ModelAdmin):
    form = VillageForm
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
    search_fields = ("code", "former_code", "search_text")
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
