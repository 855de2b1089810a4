"""Entry in bulk during a periodic round: the team brings back a stack of paper review
forms, and the officer (or the village's head) copies them into one grid, one row per
household of the village still to review.

Each row is its own small form, posted alone (with htmx, or as a plain form without
JavaScript) and saved through `ReviewForm` and `actions.record_review`: a row is
checked exactly as the review page checks it, and a refused row writes nothing.
The grid takes what the paper gives in a line: the date, the reviewer, the income or
the Phiếu B1 total, the 12 indicators and a note. The dwelling facts (Phiếu B2), the
B1 answers and the causes of poverty are left "chưa ghi", as on a review form left
blank there; the review page records them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from households import actions, clock
from households.forms import ReviewForm, nfc, villages_for
from households.models import (
    Commune,
    Household,
    HouseholdQuerySet,
    Review,
    ReviewRound,
    Village,
)
from households.poverty import INDICATORS, Classification, Indicator
from households.round_procedure import still_to_review
from households.views import commune_of

if TYPE_CHECKING:
    from giamngheo.http import AuthenticatedRequest

# The cells of a row before the indicators, in tab order, with their column headers.
ROW_FIELDS = (
    ("review_date", "Ngày rà soát"),
    ("reviewer_name", "Người rà soát"),
    ("income_per_person_month", "Thu nhập bình quân (đồng/người/tháng)"),
    ("b1_score", "Hoặc tổng điểm B1"),
)
# Copied down from the row above (static/js/bulk_entry.js; the redirect without it).
CARRIED = ("review_date", "reviewer_name")
TEMPLATE = "households/round_bulk_entry.html"
CARRIED_DATE = forms.DateField(input_formats=["%d/%m/%Y"], required=False)


@dataclass(frozen=True)
class Tick:
    number: int
    indicator: Indicator
    field: forms.BoundField
    derived: str  # what the members' facts give, for the tooltip; "" if nothing


@dataclass
class EntryRow:
    """One household of the grid: waiting (a blank or refused form) or saved."""

    household: Household
    origin: str = ""  # why it is on the list (Phiếu C): old poor, near-poor, new
    form: ReviewForm | None = None
    review: Review | None = None
    already: bool = False  # the review was there before this request

    @property
    def form_id(self) -> str:
        return f"phieu-{self.household.pk}"

    @property
    def cells(self) -> list[tuple[str, forms.BoundField]]:
        assert self.form is not None
        return [(header, self.form[name]) for name, header in ROW_FIELDS]

    @property
    def ticks(self) -> list[Tick]:
        assert self.form is not None
        derived = self.form.derived()
        ticks = []
        for number, indicator in enumerate(INDICATORS, start=1):
            found = derived.get(indicator.slug)
            said = ""
            if found is not None:
                verdict = "thiếu hụt" if found.deprived else "không thiếu hụt"
                said = f"Tính từ số liệu: {verdict} — {found.explanation}"
            ticks.append(Tick(number, indicator, self.form[indicator.slug], said))
        return ticks

    @property
    def classification(self) -> Classification | None:
        return self.review.classify() if self.review else None


def round_bulk_entry(request: AuthenticatedRequest, year: int) -> HttpResponse:
    """`?thon=<village id>`: the village's households still to review in the round,
    one row each. A POST saves one row (the household in `ho`)."""
    commune = commune_of(request)
    review_round = get_object_or_404(ReviewRound, commune=commune, year=year)
    village = _village(request, commune)
    # The same rule as the review form: the officer, the superuser, and a village's
    # head in their own village (`_village` already refused any other village).
    if not request.user.can_edit_register:
        raise PermissionDenied("Vai trò của bạn không được ghi phiếu rà soát.")
    if village is None:
        villages = villages_for(request.user).filter(commune=commune)
        return render(
            request,
            TEMPLATE,
            {"review_round": review_round, "village": None, "villages": villages},
        )
    households = Household.objects.visible_to(request.user).filter(
        commune=commune, village=village
    )
    if request.method == "POST":
        return _save_row(request, review_round, village, households)
    if not review_round.is_open:
        return _page(request, review_round, village, rows=[])
    rows = _rows(review_round, households, initial=_carried(request, review_round))
    if "ngay" in request.GET and rows and rows[0].form is not None:
        # Back from a saved row (no JavaScript): the cursor waits in the next one.
        rows[0].form.fields["review_date"].widget.attrs["autofocus"] = True
    return _page(request, review_round, village, rows=rows)


def _page(
    request: AuthenticatedRequest,
    review_round: ReviewRound,
    village: Village,
    *,
    rows: list[EntryRow],
) -> HttpResponse:
    return render(
        request,
        TEMPLATE,
        {
            "review_round": review_round,
            "village": village,
            "indicators": INDICATORS,
            "rows": rows,
            "action": _action(review_round, village),
        },
    )


def _village(request: AuthenticatedRequest, commune: Commune) -> Village | None:
    """The village named by ?thon=, among those the user works on; 404 otherwise."""
    raw = request.GET.get("thon", "")
    if not raw:
        return None
    if not raw.isdigit():
        raise Http404("Không tìm thấy thôn này.")
    return get_object_or_404(
        villages_for(request.user).filter(commune=commune), pk=int(raw)
    )


def _action(review_round: ReviewRound, village: Village) -> str:
    url = reverse("households:round_bulk_entry", args=[review_round.year])
    return f"{url}?{urlencode({'thon': village.pk})}"


def _carried(
    request: AuthenticatedRequest, review_round: ReviewRound
) -> dict[str, Any]:
    """The first row's date and reviewer: today and the user, or what the row saved
    last carried here (?ngay=dd/mm/yyyy&nguoi=…, the redirect without JavaScript)."""
    today, last = clock.today(), date(review_round.year, 12, 31)
    on: date | None = today
    try:
        typed = CARRIED_DATE.clean(request.GET.get("ngay", ""))
    except ValidationError:
        typed = None
    if typed is not None and review_round.opened_on <= typed <= min(today, last):
        on = typed
    if not review_round.opened_on <= today <= last and on == today:
        on = None  # outside the round's dates the review date is asked, as on the form
    reviewer = nfc(request.GET.get("nguoi", ""))[:100] or request.user.get_full_name()
    return {"review_date": on, "reviewer_name": reviewer}


def _rows(
    review_round: ReviewRound,
    households: HouseholdQuerySet,
    *,
    initial: dict[str, Any],
    refused: EntryRow | None = None,
) -> list[EntryRow]:
    rows = []
    for line in still_to_review(review_round, households):
        household = line.household
        # One commune for every row: its points table is looked up once per row,
        # the commune itself not again.
        household.commune = review_round.commune
        if refused is not None and refused.household.pk == household.pk:
            refused.origin = line.origin
            rows.append(refused)
            continue
        rows.append(
            EntryRow(
                household,
                line.origin,
                form=_row_form(household, review_round, initial=initial),
            )
        )
    return rows


def _row_form(
    household: Household,
    review_round: ReviewRound,
    *,
    data: Any = None,
    initial: dict[str, Any] | None = None,
) -> ReviewForm:
    """The review form of one row: its fields named `h<pk>-…` so that the rows of
    the page never clash, each input tied to the row's <form> by its id."""
    form = ReviewForm(
        data,
        household=household,
        review_round=review_round,
        prefix=f"h{household.pk}",
        initial=initial,
    )
    if data is None:
        # Pre-ticked with what the members' facts give, as the review form does.
        for slug, derived in form.derived().items():
            form.initial[slug] = derived.deprived
    # One line: Enter saves the row instead of starting a new line of the note.
    form.fields["note"].widget = forms.TextInput()
    form_id = f"phieu-{household.pk}"
    headers = dict(ROW_FIELDS)
    labels = {
        **headers,
        **{i.slug: f"{n}. {i.name}" for n, i in enumerate(INDICATORS, start=1)},
        "note": "Ghi chú",
    }
    for name, label in labels.items():
        # The column's header says it; a help text would only be pointed at.
        form.fields[name].help_text = ""
        attrs = form.fields[name].widget.attrs
        attrs["form"] = form_id
        attrs["aria-label"] = f"{label} — hộ {household.code}"
    for name in CARRIED:
        attrs = form.fields[name].widget.attrs
        attrs["data-carry"] = name
        if form.is_bound:
            attrs["data-typed"] = "1"  # what this row holds is not carried over
    return form


def _save_row(
    request: AuthenticatedRequest,
    review_round: ReviewRound,
    village: Village,
    households: HouseholdQuerySet,
) -> HttpResponse:
    raw = request.POST.get("ho", "")
    if not raw.isdigit():
        raise Http404("Không tìm thấy hộ này.")
    household = get_object_or_404(households, pk=int(raw))
    if not request.user.can_edit(household):
        raise PermissionDenied("Vai trò của bạn không được ghi phiếu cho hộ này.")
    household.commune = review_round.commune
    lines = still_to_review(review_round, households.filter(pk=household.pk))
    if not lines:
        # Saved twice (a double Enter, two officers on the same stack): the first
        # review stands and the row says so; nothing is written again.
        earlier = (
            household.reviews.filter(round=review_round)
            .order_by("-review_date", "-id")
            .first()
        )
        if earlier is None:
            raise Http404("Hộ này không có trong danh sách cần rà soát của thôn.")
        row = EntryRow(household, review=earlier, already=True)
        if request.htmx:
            return _row_response(request, row, review_round, village)
        messages.info(
            request,
            f"Hộ {household.code} đã có phiếu rà soát trong đợt: không ghi thêm.",
        )
        return redirect(_action(review_round, village))
    form = _row_form(household, review_round, data=request.POST)
    if form.is_valid():
        try:
            review = actions.record_review(form, by=request.user)
        except ValidationError as exc:
            # The round was closed while the page was open: refused, nothing lost.
            form.add_error(None, exc)
        else:
            row = EntryRow(household, lines[0].origin, review=review)
            if request.htmx:
                return _row_response(request, row, review_round, village)
            messages.success(
                request,
                f"Đã ghi phiếu rà soát hộ {household.code} ({household.head_name}): "
                f"{review.get_status_display()}. {review.classify().reasons}",
            )
            carried = urlencode(
                {
                    "ngay": f"{review.review_date:%d/%m/%Y}",
                    "nguoi": review.reviewer_name,
                }
            )
            return redirect(f"{_action(review_round, village)}&{carried}")
    _focus_first_error(form)
    row = EntryRow(household, lines[0].origin, form=form)
    if request.htmx:
        return _row_response(request, row, review_round, village)
    rows = _rows(
        review_round,
        households,
        initial=_carried(request, review_round),
        refused=row,
    )
    return _page(request, review_round, village, rows=rows)


def _focus_first_error(form: ReviewForm) -> None:
    """The cursor goes back to the first field to correct (htmx and the browser both
    honour `autofocus` in what they render)."""
    names = [name for name, _ in ROW_FIELDS] + [i.slug for i in INDICATORS] + ["note"]
    for name in names:
        if name in form.errors:
            form.fields[name].widget.attrs["autofocus"] = True
            return
    form.fields["review_date"].widget.attrs["autofocus"] = True


def _row_response(
    request: AuthenticatedRequest,
    row: EntryRow,
    review_round: ReviewRound,
    village: Village,
) -> HttpResponse:
    return render(
        request,
        f"{TEMPLATE}#row",
        {
            "row": row,
            "review_round": review_round,
            "village": village,
            "action": _action(review_round, village),
        },
    )
