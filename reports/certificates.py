"""Giấy chứng nhận hộ nghèo, hộ cận nghèo as PDFs in the Nghị định 30/2020/NĐ-CP
layout: one household's, or every certificate of a village or of the commune for a
round, one page each (QĐ 24/2021/QĐ-TTg Điều 4 khoản 4; who holds one and its number:
`households.certificates`).

The certificate is dated and signed as the decision it follows: the chairman named in
the decision in force, on its day. Its content follows DOMAIN.md §3.6 (VERIFIED
secondary only, an English rendering of the form): the căn cứ, the household head with
dân tộc, CCCD and nơi thường trú, the members (STT, họ và tên, dân tộc, quan hệ với chủ
hộ, năm sinh under Nam or Nữ, ghi chú) and the status with the year. The register has
no issue date of the CCCD: that line is left to be filled by hand.

Households are read through `Household.objects.visible_to(user)`: a village head
prints their own village's certificates. A household or round without a certificate
answers a Vietnamese page saying why (404), never a blank PDF.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse

from households import certificates
from households.forms import villages_for
from households.local_government import has_districts, local_government_law
from households.models import Household, Member, ReviewRound, Sex, Village
from households.poverty import Standard
from households.procedure_models import RecognitionDecision, decision_in_force
from households.views import commune_for
from jobs.documents import file_or_job, makes_file, many_households, refused_in_job
from jobs.models import Job
from jobs.running import JobFailure, Outcome, Progress, perform
from reports.documents import Issuer, OfficialDocument
from reports.downloads import PDF, download
from reports.pdf import cached_pdf, render_pdf, render_pdf_in_job

if TYPE_CHECKING:
    from giamngheo.http import AuthenticatedRequest
    from giamngheo.models import User

# The decree of each poverty standard, as a căn cứ names it, and the one that keeps a
# standard in force past its period (households.poverty: ND 07/2021 Điều 3; ND
# 351/2025, VERIFIED secondary only, its title not read).
STANDARD_DECREES: dict[str, str] = {
    "2022-2025": (
        "Nghị định số 07/2021/NĐ-CP ngày 27 tháng 01 năm 2021 của Chính phủ quy định "
        "chuẩn nghèo đa chiều giai đoạn 2021 - 2025"
    ),
    "2027-2030": "Nghị định số 351/2025/NĐ-CP ngày 30 tháng 12 năm 2025 của Chính phủ",
}
CONTINUING_DECREES: dict[str, str] = {
    "2022-2025": "Nghị định số 351/2025/NĐ-CP ngày 30 tháng 12 năm 2025 của Chính phủ",
}
# Its full title (RECALLED; the decision template cites the first half of it).
PROCEDURE_DECISION = (
    "Quyết định số 24/2021/QĐ-TTg ngày 16 tháng 7 năm 2021 của Thủ tướng Chính phủ "
    "quy định quy trình rà soát hộ nghèo, hộ cận nghèo hằng năm và quy trình xác định "
    "hộ làm nông nghiệp, lâm nghiệp, ngư nghiệp và diêm nghiệp có mức sống trung bình "
    "giai đoạn 2022 - 2025"
)


@dataclass(frozen=True)
class MemberRow:
    full_name: str
    ethnicity: str
    relationship: str
    born_male: str  # the year under "Nam", or ""
    born_female: str


@dataclass(frozen=True)
class Certificate:
    document: OfficialDocument
    review_round: ReviewRound
    decision: RecognitionDecision
    household: Household
    status: str  # "Hộ nghèo" / "Hộ cận nghèo"
    standard: Standard  # the one the household was classified by
    laws: tuple[str, ...]  # the căn cứ before the decision, without "Căn cứ" and ";"
    head: Member | None
    residence: str
    members: tuple[MemberRow, ...]

    @property
    def standard_phrase(self) -> str:
        """The standard's name inside a sentence: "chuẩn nghèo đa chiều …"."""
        name = self.standard.name
        return name[:1].lower() + name[1:]

    @property
    def continued_by(self) -> str:
        """The text keeping the standard in force past its period on the decision's
        day, or ""."""
        if self.standard.continuation_notice(self.decision.signed_on) is None:
            return ""
        return self.standard.continued_by


def residence(household: Household, on: date) -> str:
    """Nơi thường trú: the register's address, the village, the commune, the
    district while there is one (`households.local_government`), the province; each
    named once."""
    commune = household.commune
    places = [
        household.village.name,
        f"xã {commune.name}",
        f"huyện {commune.district}" if has_districts(on) and commune.district else "",
        f"tỉnh {commune.province}" if commune.province else "",
    ]
    parts = [household.address.strip()] if household.address.strip() else []
    for place in places:
        if place and place.lower() not in ", ".join(parts).lower():
            parts.append(place)
    return ", ".join(parts)


def member_rows(members: list[Member]) -> tuple[MemberRow, ...]:
    """The register's members, the head first."""
    ordered = sorted(members, key=lambda m: (m.relationship != "head", m.pk or 0))
    return tuple(
        MemberRow(
            full_name=m.full_name,
            ethnicity=m.get_ethnicity_display(),
            relationship=m.get_relationship_display(),
            born_male=str(m.birth_year) if m.sex == Sex.MALE else "",
            born_female=str(m.birth_year) if m.sex == Sex.FEMALE else "",
        )
        for m in ordered
    )


def laws(standard: Standard, on: date) -> tuple[str, ...]:
    """The căn cứ of a certificate dated `on`, before its decision: the law on local
    government of the day, the standard's decree(s), the review procedure."""
    decrees = [STANDARD_DECREES.get(standard.code, standard.name)]
    if standard.continuation_notice(on) and standard.code in CONTINUING_DECREES:
        decrees.append(CONTINUING_DECREES[standard.code])
    return (local_government_law(on), *decrees, PROCEDURE_DECISION)


def certificate(
    certified: certificates.Certified,
    review_round: ReviewRound,
    decision: RecognitionDecision,
) -> Certificate:
    household = certified.household
    commune = review_round.commune
    day = decision.signed_on
    members = list(household.members.all())
    document = OfficialDocument(
        commune=commune,
        kind="Giấy chứng nhận",
        title=f"Hộ nghèo, hộ cận nghèo năm {review_round.year}",
        symbol=certificates.SYMBOL,
        # Numbers under 10 take a leading 0 (Nghị định 30/2020, Phụ lục I ô 3).
        number=f"{certified.number:02d}",
        date=day,
        # The chairman certifies in his own name, as he decides (Điều 4 khoản 4).
        issuer=Issuer(
            name_lines=("ỦY BAN NHÂN DÂN", f"XÃ {commune.name.upper()}"),
            abbreviation="UBND",
            authority=("CHỦ TỊCH",),
            signer_name=decision.signer_name,
        ),
    )
    standard = certified.review.standard
    return Certificate(
        document=document,
        review_round=review_round,
        decision=decision,
        household=household,
        status=certified.review.get_status_display(),
        standard=standard,
        laws=laws(standard, day),
        head=household.head,
        residence=residence(household, day),
        members=member_rows(members),
    )


CERTIFICATES_TEMPLATE = "reports/pdf/certificates.html"


def _pdf(items: list[Certificate], title: str, filename: str) -> HttpResponse:
    content = render_pdf(CERTIFICATES_TEMPLATE, {"certificates": items, "title": title})
    return download(content, PDF, filename)


def _refused(
    request: AuthenticatedRequest, reason: str, back_url: str, back_label: str
) -> HttpResponse:
    return render(
        request,
        "reports/certificate_refused.html",
        {"reason": reason, "back_url": back_url, "back_label": back_label},
        status=404,
    )


@makes_file
def household_certificate(
    request: AuthenticatedRequest, year: int, pk: int
) -> HttpResponse:
    """The certificate of one household by the round of `year`."""
    household = get_object_or_404(
        Household.objects.visible_to(request.user).select_related("commune"), pk=pk
    )
    back = (household.get_absolute_url(), f"Về trang hộ {household.code}")
    review_round = ReviewRound.objects.filter(
        commune=household.commune, year=year
    ).first()
    if review_round is None:
        return _refused(request, f"Xã chưa có đợt rà soát định kỳ năm {year}.", *back)
    decision = decision_in_force(review_round)
    found = next(
        (
            c
            for c in certificates.certified_households(review_round)
            if c.household.pk == household.pk
        ),
        None,
    )
    if found is None or decision is None:
        last = (
            household.reviews.filter(round=review_round)
            .order_by("review_date", "id")
            .last()
        )
        reason = certificates.refusal(review_round, decision, last)
        return _refused(request, reason or "Hộ không có giấy chứng nhận.", *back)
    return _pdf(
        [certificate(found, review_round, decision)],
        f"Giấy chứng nhận hộ nghèo, hộ cận nghèo năm {year} — hộ {household.code}",
        f"giay-chung-nhan-{year}-{household.code}.pdf",
    )


@dataclass(frozen=True)
class RoundCertificates:
    """The certificates of a round in a user's scope (a village's, or all the user
    may read), or why there are none (`refusal`)."""

    review_round: ReviewRound
    village: Village | None
    chosen: list[certificates.Certified]
    decision: RecognitionDecision | None
    refusal: str | None
    title: str
    filename: str

    def context(self) -> dict[str, Any]:
        """The PDF's, one page a household."""
        assert self.decision is not None
        items = [certificate(c, self.review_round, self.decision) for c in self.chosen]
        return {"certificates": items, "title": self.title}


def round_certificates_for(user: User, year: int, wanted: str) -> RoundCertificates:
    """Every certificate of the round of `year` that `user` may read; `wanted` a
    village's id or "". Http404 for a round or a village the user has not."""
    commune = commune_for(user)
    review_round = get_object_or_404(ReviewRound, commune=commune, year=year)
    households = Household.objects.visible_to(user).filter(commune=commune)
    village = None
    if wanted:
        village = (
            villages_for(user).filter(commune=commune, pk=int(wanted)).first()
            if wanted.isdigit()
            else None
        )
        if village is None:
            raise Http404("Thôn không thuộc phạm vi của bạn.")
        households = households.filter(village=village)
    elif user.is_village_head:
        village = user.village
    decision = decision_in_force(review_round)
    refusal = certificates.round_refusal(review_round, decision)
    chosen = []
    where = village.name if village else f"xã {commune.name}"
    if refusal is None and decision is not None:
        visible = set(households.values_list("pk", flat=True))
        chosen = [
            c
            for c in certificates.certified_households(review_round)
            if c.household.pk in visible
        ]
        if not chosen:
            refusal = (
                f"Theo Quyết định số {decision.number} ngày "
                f"{decision.signed_on:%d/%m/%Y}, {where} không có hộ nghèo, hộ cận "
                "nghèo nào: không có giấy chứng nhận để in."
            )
    return RoundCertificates(
        review_round=review_round,
        village=village,
        chosen=chosen,
        decision=decision,
        # No decision in force without a reason is refused too (with no words).
        refusal="" if refusal is None and decision is None else refusal,
        title=f"Giấy chứng nhận hộ nghèo, hộ cận nghèo năm {year} — {where}",
        filename=f"giay-chung-nhan-{year}{f'-{village.pk}' if village else ''}.pdf",
    )


@makes_file
def round_certificates(request: AuthenticatedRequest, year: int) -> HttpResponse:
    """Every certificate of the round in the user's scope, one page each; `?thon=<id>`
    for one village. More than BACKGROUND_DOCUMENT_HOUSEHOLDS of them are printed by
    a background job (`jobs.documents`) unless the PDF cache holds them."""
    wanted = request.GET.get("thon", "")
    found = round_certificates_for(request.user, year, wanted)
    if found.refusal is not None:
        return _refused(
            request,
            found.refusal,
            reverse("households:round_detail", args=[year]),
            f"Về {str(found.review_round).lower()}",
        )
    if not many_households(len(found.chosen)):
        content = render_pdf(CERTIFICATES_TEMPLATE, found.context())
        return download(content, PDF, found.filename)
    cached = cached_pdf(render_to_string(CERTIFICATES_TEMPLATE, found.context()))
    if cached is not None:
        return download(cached, PDF, found.filename)
    village = str(found.village.pk) if found.village and wanted else ""
    return file_or_job(
        request,
        build_round_certificates,
        title=found.title,
        key=f"reports:round_certificates:{year}:{village}",
        back_url=reverse("households:round_detail", args=[year]),
        year=year,
        village=village,
    )


@task
def build_round_certificates(job_id: str, *, year: int, village: str) -> None:
    """The certificates of a round as one PDF, for the job's requester."""

    def work(job: Job, progress: Progress) -> Outcome:
        user = job.requested_by
        progress("Đang lập giấy chứng nhận", 0)
        with refused_in_job(user):
            found = round_certificates_for(user, year, village)
        if found.refusal is not None:
            raise JobFailure(found.refusal or "Không có giấy chứng nhận để in.")
        count = len(found.chosen)
        progress(f"Đang dàn trang PDF ({count} trang)", 0)
        html = render_to_string(CERTIFICATES_TEMPLATE, found.context())
        return Outcome(
            message=f"Đã lập tệp {found.filename}: {count} giấy chứng nhận.",
            file_name=found.filename,
            file_content=render_pdf_in_job(html),
            file_type=PDF,
        )

    perform(job_id, work)
