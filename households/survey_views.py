"""The survey pages: Phiếu A of a household, and the Phiếu B1 points tables."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from households import b1, clock, survey_actions
from households.models import Household
from households.points_file import PointsFileError
from households.procedure_views import _village_in_scope
from households.review_views import _open_round_from
from households.round_procedure import list_to_review
from households.submit_once import submit_once
from households.survey_forms import PointsFileForm, QuickScreenForm
from households.survey_questions import questions_for
from households.surveys import PointsTable, QuickScreenResult
from households.views import household_for_editing
from households.xlsform import (
    FormNotValid,
    HouseholdChoice,
    build_phone_form,
    form_version,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

if TYPE_CHECKING:
    from giamngheo.http import AuthenticatedRequest


@submit_once
def quick_screen_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Phiếu A: the quick screen deciding whether the household goes on to Phiếu B."""
    household = household_for_editing(request, pk)
    if household.is_archived:
        messages.error(request, "Hộ đã lưu trữ: khôi phục hộ trước khi rà soát.")
        return redirect(household)
    review_round = _open_round_from(request, household)
    if request.method == "POST":
        form = QuickScreenForm(
            request.POST, household=household, review_round=review_round
        )
        if form.is_valid():
            screen = survey_actions.record_quick_screen(
                form.save(commit=False), by=request.user
            )
            outcome = screen.outcome()
            text = (
                f"Đã ghi Phiếu A ngày {screen.screen_date:%d/%m/%Y} cho hộ "
                f"{household.code}: "
            )
            if screen.result == QuickScreenResult.CONTINUE:
                url = reverse("households:review_create", args=[household.pk])
                if screen.round is not None:
                    url += f"?dot={screen.round.year}"
                messages.success(request, text + "tiếp tục rà soát bằng Phiếu B.")
                return redirect(url)
            messages.success(request, text + outcome.reasons)
            return redirect(household)
    else:
        form = QuickScreenForm(
            initial={
                "screen_date": clock.today(),
                "screener_name": request.user.get_full_name(),
            },
            household=household,
            review_round=review_round,
        )
    return render(
        request,
        "households/quick_screen_form.html",
        {"household": household, "form": form, "review_round": review_round},
    )


def _may_load_tables(request: AuthenticatedRequest) -> bool:
    return request.user.is_superuser or request.user.is_officer


def points_tables(request: AuthenticatedRequest) -> HttpResponse:
    """The Phiếu B1 points tables loaded, newest version of each key first; the
    officer loads a new version from the province's file."""
    form = PointsFileForm()
    if request.method == "POST":
        if not _may_load_tables(request):
            raise PermissionDenied("Chỉ công chức LĐ-TB&XH được nạp bảng điểm.")
        form = PointsFileForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                table = survey_actions.load_points_file(
                    upload, file_name=upload.name, by=request.user
                )
            except PointsFileError as exc:
                for problem in exc.problems:
                    form.add_error("file", problem)
            else:
                messages.success(
                    request,
                    f"Đã nạp “{table.name}” ({table.key_label}); phiếu rà soát mới "
                    "của các xã thuộc vùng và khu vực này dùng bảng điểm này.",
                )
                return redirect("households:points_tables")
        messages.error(request, "Chưa nạp được bảng điểm: xem lỗi bên dưới.")
    tables = list(
        PointsTable.objects.select_related("loaded_by").prefetch_related("rows")
    )
    keys: set[tuple[str, str, bool]] = set()
    in_use: set[int] = set()
    for table in tables:  # ordered by key, newest version first
        key = (table.standard_code, table.region, table.urban)
        if key not in keys:
            keys.add(key)
            in_use.add(table.pk)
    return render(
        request,
        "households/points_tables.html",
        {
            "tables": tables,
            "in_use": in_use,
            "form": form,
            "can_load": _may_load_tables(request),
        },
    )


def phone_form(
    request: AuthenticatedRequest, year: int, village_id: int
) -> HttpResponse:
    """The village's Phiếu A/B as an XLSForm for ODK Collect / KoBoCollect: the list
    to review first, then the village's other households, to pick from."""
    review_round, village = _village_in_scope(request, year, village_id)
    households = Household.objects.visible_to(request.user).filter(village=village)
    listed = [line.household for line in list_to_review(review_round, households)]
    listed_ids = {h.pk for h in listed}
    others = (
        households.active()
        .exclude(pk__in=listed_ids)
        .prefetch_related("members")
        .order_by("code")
    )
    choices = [
        *(
            HouseholdChoice(h.code, f"{h.code} — {h.head_name} (cần rà soát)")
            for h in listed
        ),
        *(HouseholdChoice(h.code, f"{h.code} — {h.head_name}") for h in others),
    ]
    commune = village.commune
    questions = questions_for(commune, review_round.opened_on)
    table = b1.commune_table(commune, review_round.opened_on)
    try:
        form = build_phone_form(
            form_id=f"giamngheo-{commune.code}-{village.pk}-{year}",
            title=f"Phiếu A, B năm {year} — {village.name}, xã {commune.name}",
            version=form_version(clock.today(), table.pk if table else None),
            households=choices,
            questions=questions,
        )
    except FormNotValid as exc:
        # A points table pyxform cannot take (a code with a space…): said, not a 500.
        messages.error(request, f"Không tạo được phiếu điện thoại: {exc}")
        return redirect("households:round_village", year=year, village_id=village.pk)
    response = HttpResponse(form.workbook, content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="phieu-ra-soat-{year}-thon-{village.pk}.xlsx"'
    )
    return response
