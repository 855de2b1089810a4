"""Pages of the register: the list, a household's page, its form, archiving, the
villages. Every read goes through `Household.objects.visible_to()`.

The review form is `review_views`, the periodic rounds `round_views`."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from households import actions, clock, edit_conflicts, figures, poverty
from households.certificates import certificate_round
from households.codes import suggest_code
from households.forms import (
    ArchiveForm,
    BaseMemberFormSet,
    HouseholdFilter,
    HouseholdForm,
    MemberForm,
    MemberFormSet,
    villages_for,
)
from households.history import household_history
from households.models import Commune, Household, ReviewRound
from households.poverty import INDICATORS, PovertyStatus
from households.procedure_models import regular_review_deadline
from households.submit_once import submit_once
from households.transitions import (
    ESCAPED_POVERTY,
    YearRow,
    add_months,
    end_of,
    recently_escaped,
    yearly_movements,
)

if TYPE_CHECKING:
    from giamngheo.http import AuthenticatedRequest
    from giamngheo.models import User

PAGE_SIZE = 25


def household_for_reading(request: AuthenticatedRequest, pk: int) -> Household:
    return get_object_or_404(
        Household.objects.visible_to(request.user).select_related("village", "commune"),
        pk=pk,
    )


def household_for_editing(request: AuthenticatedRequest, pk: int) -> Household:
    household = household_for_reading(request, pk)  # out of scope: 404
    if not request.user.can_edit(household):  # in scope, read-only role: 403
        raise PermissionDenied("Vai trò của bạn không được sửa hộ này.")
    return household


def household_list(request: AuthenticatedRequest) -> HttpResponse:
    households = (
        Household.objects.visible_to(request.user)
        .with_current_status()
        .select_related("village")
        .prefetch_related("members")
    )
    household_filter = HouseholdFilter(
        request.GET or None, queryset=households, user=request.user
    )
    queryset = household_filter.qs if household_filter.is_bound else households.active()
    of_class = _households_of_class(request.user, household_filter)
    if of_class is None:
        page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    else:
        # One class's list pages through the commune's cached ids; only the page's
        # households are read (in the same order: the register's).
        page = Paginator(of_class, PAGE_SIZE).get_page(request.GET.get("page"))
        page.object_list = list(queryset.filter(pk__in=page.object_list))
    return render(
        request,
        "households/household_list.html",
        {
            "filter": household_filter,
            "page": page,
            "can_create": request.user.can_edit_register,
            "can_import": request.user.is_superuser or request.user.is_officer,
        },
    )


def _households_of_class(
    user: User, household_filter: HouseholdFilter
) -> list[int] | None:
    """The ids the list shows when it asks only for one class (and perhaps a
    village) of one commune, from the commune's cached figures
    (`figures.households_of_class`: active, classed today, as the filter's own
    query). None otherwise: the filter's query pages itself."""
    if (
        user.is_superuser
        or user.scope_commune_id is None
        or not household_filter.is_bound
        or not household_filter.is_valid()
    ):
        return None
    asked = {k: v for k, v in household_filter.form.cleaned_data.items() if v}
    if asked.get("status") not in PovertyStatus.values or set(asked) - {
        "status",
        "village",
    }:
        return None
    villages = [asked["village"]] if "village" in asked else villages_for(user)
    return figures.households_of_class(
        user.scope_commune_id,
        [v.pk for v in villages],
        asked["status"],
        clock.today(),
    )


def household_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    household = household_for_reading(request, pk)
    reviews = list(
        household.reviews.select_related("round", "regular_decision").order_by(
            "-review_date", "-id"
        )
    )
    today = clock.today()
    # What holds today is the review in force (a round's results from its
    # recognition); a later review still awaiting it is shown apart.
    in_force = sorted(
        (r for r in reviews if r.takes_effect_on and r.takes_effect_on <= today),
        key=lambda r: (r.takes_effect_on, r.review_date, r.pk),
    )
    latest = in_force[-1] if in_force else None
    pending = [r for r in reviews if r.takes_effect_on is None]
    years = yearly_movements(
        [(r.takes_effect_on, r.status) for r in in_force],
        registered_on=household.registered_on,
        archived_on=household.archived_on,
        until=today.year,
    )
    escaped = _recently_escaped(household, years, today)
    determinations = list(
        household.medium_living_determinations.select_related(
            "household__commune"
        ).order_by("-determined_on", "-id")
    )
    can_determine = request.user.is_superuser or request.user.is_officer
    return render(
        request,
        "households/household_detail.html",
        {
            "household": household,
            "members": household.members.all(),
            "reviews": reviews,
            "pending": pending[0] if pending else None,
            "pending_deadline": regular_review_deadline(pending[0])
            if pending and pending[0].round_id is None
            else None,
            "sees_regular_decisions": request.user.is_superuser
            or request.user.is_officer
            or request.user.reads_whole_commune,
            "latest": latest,
            "classification": latest.classify() if latest else None,
            # The certificate the household holds by its result in force, if any.
            "certificate_round": certificate_round(latest),
            "standard_notice": poverty.continuation_notice(latest.review_date)
            if latest
            else None,
            "indicators": INDICATORS,
            "history": household_history(household),
            "import_logs": household.import_logs.select_related(
                "imported_by", "review_round"
            ),
            "sees_import_page": request.user.is_superuser or request.user.is_officer,
            "can_edit": request.user.can_edit(household),
            "today": today,
            "years": list(reversed(years)),
            "recently_escaped_until": escaped,
            "determinations": [(d, d.result()) for d in determinations],
            "medium_living_now": household.pk
            in household.medium_living_determinations.recognised_on(today),
            "can_determine": can_determine and not household.is_archived,
            "pending_recognition": any(
                d.in_band and d.decision_date is None for d in determinations
            ),
        },
    )


def _recently_escaped(
    household: Household, years: list[YearRow], today: date
) -> date | None:
    """Until when the household counts as "hộ mới thoát nghèo", if it does today.

    The recognition date is the closing of that year's review round (the decision of
    the chairman), or the date of the review that found it out of poverty.
    """
    months = settings.RECENTLY_ESCAPED_MONTHS
    for row in reversed(years):
        if row.end == PovertyStatus.POOR:
            return None  # poor again since (tái nghèo): no longer "mới thoát nghèo"
        if row.movement not in ESCAPED_POVERTY:
            continue
        closed = (
            ReviewRound.objects.filter(
                commune_id=household.commune_id, year=row.year, closed_on__isnull=False
            )
            .values_list("closed_on", flat=True)
            .first()
        )
        review = household.latest_review(end_of(row.year))
        recognised = closed or (review.review_date if review else None)
        if recognised and recently_escaped(recognised, on=today, months=months):
            return add_months(recognised, months)
        return None
    return None


def _household_form_page(
    request: AuthenticatedRequest, household: Household | None
) -> HttpResponse:
    instance = household or Household()
    suggestion = None
    sources = edit_conflicts.household_sources(household.pk if household else None)
    edit_version = edit_conflicts.version(sources)
    conflict = None
    if request.method == "POST":
        # The version the page was loaded from, until a refused save moves it on.
        edit_version = edit_conflicts.loaded_version(request) or edit_version
        form = HouseholdForm(request.POST, instance=instance, user=request.user)
        members = MemberFormSet(request.POST, instance=instance, prefix="members")
        if form.is_valid() and members.is_valid():
            try:
                saved = actions.save_household(
                    form,
                    members,
                    by=request.user,
                    loaded=edit_conflicts.loaded_version(request),
                )
            except edit_conflicts.EditConflict as refused:
                conflict, edit_version = refused, refused.current
                if household is not None:
                    form, members = _merged_forms(
                        request, household, form, members, refused
                    )
            else:
                messages.success(request, f"Đã lưu hộ {saved.code}.")
                return redirect(saved)
        else:
            refused = (
                edit_conflicts.stale(sources, edit_conflicts.loaded_version(request))
                if household is not None
                else None
            )
            if household is not None and refused is not None:
                conflict, edit_version = refused, refused.current
                form, members = _merged_forms(
                    request, household, form, members, refused
                )
            else:
                messages.error(
                    request, "Chưa lưu được: kiểm tra các ô báo lỗi bên dưới."
                )
    else:
        initial = {}
        if household is None and request.user.is_village_head:
            initial["village"] = request.user.village_id
            village = villages_for(request.user).first()
            suggestion = suggest_code(village) if village else None
            initial["code"] = suggestion or ""
        form = HouseholdForm(instance=instance, user=request.user, initial=initial)
        members = MemberFormSet(
            instance=instance,
            prefix="members",
            initial=None if household else [{"relationship": "head"}],
        )
    return render(
        request,
        "households/household_form.html",
        {
            "form": form,
            "members": members,
            "household": household,
            "suggestion": suggestion,
            "edit_version": edit_version,
            "edit_conflict": conflict,
        },
        status=409 if conflict else 200,
    )


def _merged_forms(
    request: AuthenticatedRequest,
    household: Household,
    form: HouseholdForm,
    members: BaseMemberFormSet,
    conflict: edit_conflicts.EditConflict,
) -> tuple[HouseholdForm, BaseMemberFormSet]:
    """The refused form again as a three-way merge (edit_conflicts.merge_form): the
    other user's changes to what this user left alone are kept, so a second "Lưu"
    cannot undo them."""
    sources = edit_conflicts.household_sources(household.pk)
    loaded = edit_conflicts.loaded_version(request)
    current = Household.objects.get(pk=household.pk)
    data = edit_conflicts.merge_record(
        form,
        source=sources[0],
        loaded=loaded,
        index=0,
        current=current,
        make=lambda row: HouseholdForm(instance=row, user=request.user),
        conflict=conflict,
    )
    people = edit_conflicts.rows_at(sources[1], loaded, 1)
    if data is None or people is None:
        return form, members
    data = edit_conflicts.merge_rows(
        members,
        source=sources[1],
        loaded=people,
        current=list(current.members.all()),
        make=lambda row, prefix: MemberForm(instance=row, prefix=prefix),
        conflict=conflict,
        data=data,
    )
    return (
        HouseholdForm(data, instance=current, user=request.user),
        MemberFormSet(data, instance=current, prefix="members"),
    )


@require_GET
def household_code_suggestion(request: AuthenticatedRequest) -> HttpResponse:
    """htmx: the code field of the new-household form, with the next free code of the
    chosen village filled in (unless the officer already typed a code of their own)."""
    if not request.user.can_edit_register:
        raise PermissionDenied("Vai trò của bạn không được thêm hộ.")
    village_id = request.GET.get("village", "")
    village = (
        villages_for(request.user).filter(pk=int(village_id)).first()
        if village_id.isdigit()
        else None
    )
    suggestion = suggest_code(village) if village else None
    typed = request.GET.get("code", "").strip()
    if not typed or typed == request.GET.get("suggested_code"):
        typed = suggestion or ""
    form = HouseholdForm(user=request.user, initial={"code": typed})
    return render(
        request,
        "households/household_form.html#code",
        {"form": form, "suggestion": suggestion},
    )


@submit_once
def household_create(request: AuthenticatedRequest) -> HttpResponse:
    if not request.user.can_edit_register or not villages_for(request.user).exists():
        raise PermissionDenied("Vai trò của bạn không được thêm hộ.")
    return _household_form_page(request, None)


@submit_once
def household_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    household = household_for_editing(request, pk)
    return _household_form_page(request, household)


def household_archive(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    household = household_for_editing(request, pk)
    if household.is_archived:
        messages.info(request, "Hộ này đã được lưu trữ.")
        return redirect(household)
    form = ArchiveForm(
        request.POST if request.method == "POST" else None, instance=household
    )
    if request.method == "POST" and form.is_valid():
        actions.archive_household(form, by=request.user)
        messages.success(request, f"Đã lưu trữ hộ {household.code}.")
        return redirect(household)
    return render(
        request,
        "households/household_confirm_archive.html",
        {"household": household, "form": form},
    )


@require_POST
def household_restore(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    household = household_for_editing(request, pk)
    if not household.is_archived:
        messages.info(request, "Hộ này chưa bị lưu trữ.")
        return redirect(household)
    actions.restore_household(household, by=request.user)
    messages.success(request, f"Đã khôi phục hộ {household.code}.")
    return redirect(household)


def village_list(request: AuthenticatedRequest) -> HttpResponse:
    villages = list(villages_for(request.user).select_related("commune"))
    today = clock.today()
    # Each commune's figures once per change of its register (households/figures.py);
    # a village head's list is their village's line of them.
    counts: dict[int, figures.VillageCounts] = {}
    for commune_id in sorted({v.commune_id for v in villages}):
        counts.update(figures.village_counts(commune_id, today))
    rows = []
    for village in villages:
        row = counts.get(village.pk, figures.VillageCounts())
        rows.append({"village": village, **asdict(row)})
    totals = {
        key: sum(r[key] for r in rows)
        for key in ("households", "members", "poor", "near_poor")
    }
    return render(
        request, "households/village_list.html", {"rows": rows, "totals": totals}
    )


# The session key of the commune a province user last chose (`?xa=<mã xã>`).
PROVINCE_COMMUNE_KEY = "tinh_xa_dang_xem"


def province_communes(province: str) -> QuerySet[Commune]:
    """The communes of the province now: one merged into another is left out (its
    households are the other's), though `?xa=` still opens its pages."""
    return Commune.objects.filter(province=province, merged_into__isnull=True).order_by(
        "name", "pk"
    )


def looked_at_commune(request: HttpRequest, user: User) -> Commune | None:
    """The commune a province user works on in this request: `?xa=<mã xã>` (then
    remembered in the session), else the one remembered, else its province's first.
    A commune outside its province is 404, whether asked for or remembered."""
    communes = province_communes(user.province)
    every = Commune.objects.filter(province=user.province)  # the merged ones too
    wanted = request.GET.get("xa", "")
    if wanted:
        commune = every.filter(code=wanted).first()
        if commune is None:
            raise Http404("Xã này không thuộc tỉnh của bạn.")
        request.session[PROVINCE_COMMUNE_KEY] = commune.code
        return commune
    remembered = request.session.get(PROVINCE_COMMUNE_KEY)
    commune = every.filter(code=remembered).first() if remembered else None
    return commune or communes.first()


def commune_of(request: AuthenticatedRequest) -> Commune:
    """The commune whose pages the user works on (a superuser: the first one; a
    province user: the one it looks at, `looked_at_commune`)."""
    return commune_for(request.user)


def commune_for(user: User) -> Commune:
    """`commune_of` without a request (a background job works for its requester; a
    province user's job, for the commune it looked at when it asked, if any)."""
    if user.commune is not None:
        return user.commune
    if user.is_province:
        if user.working_commune is None:
            raise Http404("Tỉnh của tài khoản chưa có xã nào.")
        return user.working_commune
    commune = None
    if user.is_superuser:
        communes = Commune.objects.order_by("pk")
        commune = communes.filter(merged_into__isnull=True).first() or communes.first()
    if commune is None:
        raise Http404("Tài khoản chưa gắn với xã nào.")
    return commune
