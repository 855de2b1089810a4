"""The documents of the review procedure as PDFs in the Nghị định 30/2020/NĐ-CP
layout (QĐ 24/2021/QĐ-TTg Điều 4): the village meeting's minutes pre-filled from the
register, the posting notice, and the chairman's recognition decision with its
attached lists (a merged commune's, thousands of lines, printed by a background job).

Households are read through `Household.objects.visible_to(user)`: a village head
prints their own village's minutes and notice."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse

from households import clock
from households.local_government import has_districts, local_government_law
from households.models import (
    Commune,
    Household,
    HouseholdQuerySet,
    Posting,
    Review,
    ReviewRound,
    Village,
    VillageMeeting,
)
from households.poverty import PovertyStatus
from households.procedure_models import (
    RULES,
    RecognitionDecision,
    RegularDecision,
    awaiting_regular_decision,
    decision_in_force,
)
from households.round_procedure import list_to_review
from households.views import commune_for, commune_of
from jobs.documents import file_or_job, in_background, makes_file, refused_in_job
from jobs.models import Job
from jobs.running import Outcome, Progress, perform
from reports.documents import Issuer, OfficialDocument, upper_levels
from reports.downloads import PDF, download
from reports.pdf import cached_pdf, render_pdf, render_pdf_in_job

if TYPE_CHECKING:
    from giamngheo.http import AuthenticatedRequest
    from giamngheo.models import User


@dataclass(frozen=True)
class Line:
    household: Household
    before: str | None  # status when the round opened
    after: str  # status by the household's last review in the round

    @property
    def persons(self) -> int:
        return len(self.household.members.all())


def round_lines(review_round: ReviewRound, households: HouseholdQuerySet) -> list[Line]:
    """Each household reviewed in the round: its status before and after."""
    before_day = review_round.opened_on - timedelta(days=1)
    reviewed = (
        households.filter(reviews__round=review_round)
        .distinct()
        .with_status_on(before_day)
        .select_related("village")
        .prefetch_related("members")
        .order_by("village__position", "code")
    )
    last: dict[int, str] = {}
    for review in Review.objects.filter(
        round=review_round, household__in=households
    ).order_by("review_date", "id"):
        last[review.household_id] = review.status
    return [Line(h, getattr(h, "status", None), last[h.pk]) for h in reviewed]


POOR_OR_NEAR = (PovertyStatus.POOR, PovertyStatus.NEAR_POOR)


@dataclass(frozen=True)
class DecisionList:
    title: str
    lines: list[Line]
    number: str = ""  # Phụ lục I, II… (ND 30/2020: Roman numerals from two on)

    @property
    def persons(self) -> int:
        return sum(line.persons for line in self.lines)


def decision_lists(
    lines: list[Line], *, skip_empty: bool = False
) -> list[DecisionList]:
    """The four lists the decision recognises (Điều 4 khoản 4); a regular review's
    decision (`skip_empty`) attaches only the lists that have households."""
    lists = [
        DecisionList(
            "Danh sách hộ nghèo",
            [x for x in lines if x.after == PovertyStatus.POOR],
        ),
        DecisionList(
            "Danh sách hộ cận nghèo",
            [x for x in lines if x.after == PovertyStatus.NEAR_POOR],
        ),
        DecisionList(
            "Danh sách hộ thoát nghèo",
            [
                x
                for x in lines
                if x.before == PovertyStatus.POOR and x.after != PovertyStatus.POOR
            ],
        ),
        DecisionList(
            "Danh sách hộ thoát cận nghèo",
            [
                x
                for x in lines
                if x.before == PovertyStatus.NEAR_POOR and x.after not in POOR_OR_NEAR
            ],
        ),
    ]
    if skip_empty:
        lists = [x for x in lists if x.lines]
    return [
        DecisionList(x.title, x.lines, roman)
        for x, roman in zip(lists, ("I", "II", "III", "IV"), strict=False)
    ]


def _pdf(template: str, context: dict[str, object], filename: str) -> HttpResponse:
    return download(render_pdf(template, context), "application/pdf", filename)


def chairmans_decision(
    commune: Commune,
    decision: RecognitionDecision | RegularDecision | None,
    *,
    title: str,
    day: date,
) -> OfficialDocument:
    """A recognition decision of the commune chairman in the ND 30/2020 layout; a
    draft (no decision yet) leaves its number blank for the chairman's office."""
    number, symbol = ("", "QĐ-UBND")
    if decision is not None:
        number, _, symbol = decision.number.partition("/")
    return OfficialDocument(
        commune=commune,
        kind="Quyết định",
        title=title,
        symbol=symbol,
        number=number,
        date=day,
        # The chairman decides in his own name ("CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ …"),
        # so he signs as CHỦ TỊCH, without "TM." (Nghị định 30/2020 Điều 13).
        issuer=Issuer(
            name_lines=("ỦY BAN NHÂN DÂN", f"XÃ {commune.name.upper()}"),
            abbreviation="UBND",
            authority=("CHỦ TỊCH",),
            signer_name=decision.signer_name if decision else commune.chairman_name,
        ),
        recipients=(
            "Như Điều 3",
            *(f"{line} (để b/c)" for line in upper_levels(commune, day)),
            "Lưu: VT",
        ),
    )


REGULAR_TITLE = (
    "Về việc công nhận kết quả rà soát thường xuyên hộ nghèo, hộ cận nghèo trên địa "
    "bàn xã {commune}"
)


ROUND_DECISION_TEMPLATE = "reports/pdf/round_decision.html"


@dataclass(frozen=True)
class RoundDecision:
    """The round's recognition decision with its lists, as the user may read it."""

    year: int
    context: dict[str, Any]

    @property
    def lines(self) -> int:
        return sum(len(x.lines) for x in self.context["lists"])

    @property
    def filename(self) -> str:
        return f"quyet-dinh-cong-nhan-{self.year}.pdf"

    @property
    def title(self) -> str:
        commune = self.context["review_round"].commune
        return f"Quyết định công nhận năm {self.year} — xã {commune.name}"


def round_decision_for(user: User, year: int) -> RoundDecision:
    """Quyết định công nhận with its lists; before the round is recognised, a draft
    with the number and date left blank. Http404 for a round the user has not."""
    commune = commune_for(user)
    review_round = get_object_or_404(ReviewRound, commune=commune, year=year)
    households = Household.objects.visible_to(user).filter(commune=commune)
    decision = decision_in_force(review_round)
    decision_day = decision.signed_on if decision else review_round.opened_on
    document = chairmans_decision(
        commune,
        decision,
        title=(
            "Về việc công nhận hộ nghèo, hộ cận nghèo, hộ thoát nghèo, hộ thoát cận "
            f"nghèo năm {year} trên địa bàn xã {commune.name}"
        ),
        day=decision_day,
    )
    lists = decision_lists(round_lines(review_round, households))
    return RoundDecision(
        year,
        {
            "document": document,
            "decision": decision,
            "review_round": review_round,
            "lists": lists,
            # QĐ 24/2021 Điều 4 khoản 4: the commune asked the district chairman's
            # opinion before recognising; no district is left from 01/07/2025.
            "district_consulted": has_districts(decision_day) and commune.district,
            "local_government_law": local_government_law(decision_day),
        },
    )


@makes_file
def round_decision(request: AuthenticatedRequest, year: int) -> HttpResponse:
    """The round's decision as a PDF. Its lists have a line a household recognised
    or escaped: more than BACKGROUND_DOCUMENT_LINES of them (a merged commune's
    thousands) are printed by a background job unless the PDF cache holds them."""
    found = round_decision_for(request.user, year)
    if not in_background(found.lines):
        return _pdf(ROUND_DECISION_TEMPLATE, found.context, found.filename)
    cached = cached_pdf(render_to_string(ROUND_DECISION_TEMPLATE, found.context))
    if cached is not None:
        return download(cached, PDF, found.filename)
    return file_or_job(
        request,
        build_round_decision,
        title=found.title,
        key=f"reports:round_decision:{year}",
        back_url=reverse("households:round_detail", args=[year]),
        year=year,
    )


@task
def build_round_decision(job_id: str, *, year: int) -> None:
    """The round's decision as one PDF, for the job's requester and his scope."""

    def work(job: Job, progress: Progress) -> Outcome:
        user = job.requested_by
        progress("Đang lập danh sách", 0)
        with refused_in_job(user):
            found = round_decision_for(user, year)
        progress(f"Đang dàn trang PDF ({found.lines} dòng)", 0)
        html = render_to_string(ROUND_DECISION_TEMPLATE, found.context)
        return Outcome(
            message=f"Đã lập tệp {found.filename}: {found.lines} dòng danh sách.",
            file_name=found.filename,
            file_content=render_pdf_in_job(html),
            file_type=PDF,
        )

    perform(job_id, work)


def _regular_lines(reviews: list[Review], households: HouseholdQuerySet) -> list[Line]:
    """Each household of the decision: its status in force the day before the
    review's result took effect (or before today, for a draft), and the review's."""
    lines = []
    for review in reviews:
        household = (
            households.filter(pk=review.household_id)
            .prefetch_related("members")
            .select_related("village")
            .first()
        )
        if household is None:
            continue
        effect = review.takes_effect_on or clock.today()
        before = household.latest_review(effect - timedelta(days=1))
        lines.append(Line(household, before.status if before else None, review.status))
    lines.sort(key=lambda x: (x.household.village.position, x.household.code))
    return lines


@makes_file
def regular_decision(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A recorded decision on regular reviews (QĐ 24/2021 Điều 5), with its lists."""
    commune = commune_of(request)
    decision = get_object_or_404(RegularDecision.objects.of_commune(commune), pk=pk)
    households = Household.objects.visible_to(request.user).filter(commune=commune)
    reviews = list(decision.reviews.order_by("household__code"))
    return _pdf(
        "reports/pdf/regular_decision.html",
        {
            "document": chairmans_decision(
                commune,
                decision,
                title=REGULAR_TITLE.format(commune=commune.name),
                day=decision.signed_on,
            ),
            "decision": decision,
            "local_government_law": local_government_law(decision.signed_on),
            "lists": decision_lists(
                _regular_lines(reviews, households), skip_empty=True
            ),
        },
        f"quyet-dinh-ra-soat-thuong-xuyen-{decision.signed_on:%Y-%m-%d}.pdf",
    )


@makes_file
def regular_decision_draft(request: AuthenticatedRequest) -> HttpResponse:
    """The draft for the chairman: every regular review awaiting a decision, the
    number and date left blank."""
    commune = commune_of(request)
    households = Household.objects.visible_to(request.user).filter(commune=commune)
    reviews = list(awaiting_regular_decision(commune))
    return _pdf(
        "reports/pdf/regular_decision.html",
        {
            "document": chairmans_decision(
                commune,
                None,
                title=REGULAR_TITLE.format(commune=commune.name),
                day=clock.today(),
            ),
            "decision": None,
            "local_government_law": local_government_law(clock.today()),
            "lists": decision_lists(
                _regular_lines(reviews, households), skip_empty=True
            ),
        },
        "du-thao-quyet-dinh-ra-soat-thuong-xuyen.pdf",
    )


def requested_village(
    wanted: str, commune: Commune, households: HouseholdQuerySet
) -> Village:
    """The village of id `wanted` (the page's `?thon=<id>`), if the user sees
    households of it."""
    village = (
        Village.objects.filter(
            commune=commune, pk=int(wanted), households__in=households
        )
        .distinct()
        .first()
        if wanted.isdigit()
        else None
    )
    if village is None:
        raise Http404("Chọn một thôn trong phạm vi của bạn.")
    return village


def _village_scope(
    request: AuthenticatedRequest, year: int
) -> tuple[ReviewRound, HouseholdQuerySet]:
    commune = commune_of(request)
    review_round = get_object_or_404(ReviewRound, commune=commune, year=year)
    households = Household.objects.visible_to(request.user).filter(commune=commune)
    return review_round, households


@makes_file
def meeting_minutes(request: AuthenticatedRequest, year: int, pk: int) -> HttpResponse:
    """Biên bản họp dân, pre-filled: attendance and each household's vote."""
    review_round, households = _village_scope(request, year)
    meeting = get_object_or_404(
        VillageMeeting.objects.select_related("village"),
        review_round=review_round,
        pk=pk,
    )
    if not households.filter(village=meeting.village).exists():
        raise Http404("Thôn không thuộc phạm vi của bạn.")
    commune = review_round.commune
    votes = {v.household_id: v.agreeing for v in meeting.votes.all()}
    lines = [
        (line, votes.get(line.household.pk))
        for line in round_lines(
            review_round, households.filter(village=meeting.village)
        )
    ]
    document = OfficialDocument(
        commune=commune,
        kind="Biên bản",
        title=(f"Họp dân thống nhất kết quả rà soát hộ nghèo, hộ cận nghèo năm {year}"),
        symbol="BB",
        date=meeting.held_on,
        issuer=Issuer(
            name_lines=(f"THÔN {meeting.village.name.upper()}",),
            abbreviation="",
            authority=("CHỦ TRÌ",),
            signer_name=meeting.chaired_by,
            managing_body=f"UBND XÃ {commune.name.upper()}",
        ),
    )
    return _pdf(
        "reports/pdf/meeting_minutes.html",
        {
            "document": document,
            "meeting": meeting,
            "lines": [
                (
                    line,
                    agreeing,
                    agreeing is not None and 2 * agreeing > meeting.attendees,
                )
                for line, agreeing in lines
            ],
        },
        f"bien-ban-hop-dan-{meeting.village.pk}-{meeting.held_on:%Y%m%d}.pdf",
    )


@makes_file
def posting_notice(request: AuthenticatedRequest, year: int, pk: int) -> HttpResponse:
    """Thông báo niêm yết công khai the village's results."""
    review_round, households = _village_scope(request, year)
    posting = get_object_or_404(
        Posting.objects.select_related("village"), review_round=review_round, pk=pk
    )
    village_households = households.filter(village=posting.village)
    if not village_households.exists():
        raise Http404("Thôn không thuộc phạm vi của bạn.")
    commune = review_round.commune
    document = OfficialDocument(
        commune=commune,
        kind="Thông báo",
        title=(
            f"Niêm yết công khai kết quả rà soát hộ nghèo, hộ cận nghèo năm {year} "
            f"của {posting.village.name}"
        ),
        symbol="TB-UBND",
        date=posting.posted_from,
        recipients=(f"{posting.village.name} (để niêm yết)", "Lưu: VT"),
    )
    lists = decision_lists(round_lines(review_round, village_households))
    return _pdf(
        "reports/pdf/posting_notice.html",
        {"document": document, "posting": posting, "lists": lists, "rules": RULES},
        f"thong-bao-niem-yet-{posting.village.pk}-{posting.posted_from:%Y%m%d}.pdf",
    )


# Phiếu B2 scores 10 points per deprivation, so 30 points = 3 deprivations (TT
# 07/2021/TT-BLĐTBXH; VERIFIED secondary, DOMAIN.md §15; chưa đối chiếu văn bản gốc).
B2_POINTS_PER_DEPRIVATION = 10


@dataclass(frozen=True)
class SummaryLine:
    """One line of Phiếu C: the household, its origin, its scores, its result."""

    household: Household
    origin: str
    review: Review | None  # its last review in the round

    @property
    def b2_points(self) -> int | None:
        if self.review is None:
            return None
        return B2_POINTS_PER_DEPRIVATION * len(self.review.deprived_slugs())


@makes_file
def round_summary(request: AuthenticatedRequest, year: int) -> HttpResponse:
    """Phiếu C of a village (`?thon=<id>`): each household on the round's list with
    its origin (old poor, old near-poor, new), its B2 points and its result from the
    round's reviews; `?mau-trong=1` prints it blank for the survey team."""
    review_round, households = _village_scope(request, year)
    village = requested_village(
        request.GET.get("thon", ""), review_round.commune, households
    )
    blank = request.GET.get("mau-trong") == "1"
    village_households = households.filter(village=village)
    last: dict[int, Review] = {}
    if not blank:
        for review in Review.objects.filter(
            round=review_round, household__in=village_households
        ).order_by("review_date", "id"):
            last[review.household_id] = review
    lines = [
        SummaryLine(x.household, x.origin, last.get(x.household.pk))
        for x in list_to_review(review_round, village_households)
    ]
    document = OfficialDocument(
        commune=review_round.commune,
        kind="Phiếu C",
        title=(
            f"Tổng hợp kết quả rà soát hộ nghèo, hộ cận nghèo năm {year} — "
            f"{village.name}"
        ),
        symbol="",
        date=review_round.opened_on,
    )
    return _pdf(
        "reports/pdf/round_summary.html",
        {
            "document": document,
            "review_round": review_round,
            "village": village,
            "lines": lines,
            "blank": blank,
            "points_per_deprivation": B2_POINTS_PER_DEPRIVATION,
        },
        f"phieu-c-{year}-{village.pk}{'-mau-trong' if blank else ''}.pdf",
    )
