"""The survey team's field forms as PDFs: Phiếu A (nhận dạng nhanh) and Phiếu B
(B1 points, B2 deprivation facts) of Thông tư 07/2021/TT-BLĐTBXH, one document per
household, in the Nghị định 30/2020/NĐ-CP header layout.

A form is BLANK (a household not yet on the register: empty lines) or PRE-FILLED from
the register (code, head, address, village, members) with the household's last
review's B2 facts ticked as a starting point the team confirms in the house. The
questions come from the data in force: the Phiếu A list of the standard
(`households.quick_screen`) and the commune's B1 points table (`households.b1`), each
with its "chưa đối chiếu văn bản gốc" mark when it is a sample.

Households are read through `Household.objects.visible_to(user)`: a village head
prints their own village's forms. A village of more than
BACKGROUND_DOCUMENT_HOUSEHOLDS households to review is printed by a background job.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.formats import number_format

from households import clock, poverty
from households.indicators import (
    CHILD_UNTIL,
    INFORMATION_DEVICES,
    LATRINE_TYPES,
    STRUCTURES,
    WATER_SOURCES,
    DwellingFacts,
)
from households.models import Commune, Household, Member, Review, ReviewRound, Village
from households.register_workbook import Report, no_report
from households.round_procedure import list_to_review
from households.survey_questions import Questions, questions_for
from households.views import commune_for
from jobs.documents import file_or_job, makes_file, many_households, refused_in_job
from jobs.models import Job
from jobs.running import Outcome, Progress, perform
from reports.downloads import PDF, download
from reports.pdf import cached_pdf, render_pdf, render_pdf_in_job
from reports.procedure_documents import B2_POINTS_PER_DEPRIVATION, requested_village

if TYPE_CHECKING:
    from giamngheo.http import AuthenticatedRequest
    from giamngheo.models import User

TEMPLATE = "reports/pdf/field_forms.html"

# Empty member lines on a blank form, and added under a pre-filled list for a member
# the register does not have yet.
BLANK_MEMBER_LINES = 8
EXTRA_MEMBER_LINES = 2


@dataclass(frozen=True)
class Choice:
    label: str
    ticked: bool = False


@dataclass(frozen=True)
class FactLine:
    """One B2 fact to record: its question and the answers as tick boxes."""

    question: str
    choices: tuple[Choice, ...]


@dataclass(frozen=True)
class B2Indicator:
    number: int
    name: str
    how: str  # where the fact is recorded when not on this line
    facts: tuple[FactLine, ...] = ()


@dataclass(frozen=True)
class MemberLine:
    full_name: str
    birth_year: str
    sex: str
    relationship: str
    education: str
    employment: str
    bhyt: str
    attends_school: str
    child: bool  # under 16: the nutrition measures apply
    stunted: bool
    underweight: bool


def _yes_no(value: bool | None) -> tuple[Choice, Choice]:
    return (Choice("Có", value is True), Choice("Không", value is False))


def b2_indicators(
    facts: DwellingFacts | None, floor_area: Decimal | None = None
) -> tuple[B2Indicator, ...]:
    """The 12 indicators of Phiếu B2 (ND 07/2021/NĐ-CP Điều 3 khoản 1 điểm b) with
    the facts each follows from, ticked from `facts` (None: a blank form).

    Indicators 1–6 follow from the member lines; 7 and 9–12 from the dwelling's facts
    (`households.indicators`); 8 from the floor area."""
    f = facts or DwellingFacts()
    area = "........" if floor_area is None else number_format(floor_area)
    devices = set(f.information_devices or ())
    names = [i.name for i in poverty.INDICATORS]
    by_member = "Ghi ở bảng nhân khẩu"
    return (
        B2Indicator(1, names[0], f"{by_member} (cột việc làm)."),
        B2Indicator(2, names[1], f"{by_member} (năm sinh, việc làm)."),
        B2Indicator(
            3,
            names[2],
            f"{by_member} (trẻ em dưới {CHILD_UNTIL} tuổi: thấp còi, nhẹ cân).",
        ),
        B2Indicator(4, names[3], f"{by_member} (cột BHYT)."),
        B2Indicator(5, names[4], f"{by_member} (cột trình độ học vấn)."),
        B2Indicator(6, names[5], f"{by_member} (cột đang đi học)."),
        B2Indicator(
            7,
            names[6],
            "Vật liệu từng kết cấu chính.",
            tuple(
                FactLine(
                    f"Vật liệu {label}",
                    (
                        Choice("Bền chắc", getattr(f, field) is True),
                        Choice("Không bền chắc", getattr(f, field) is False),
                    ),
                )
                for field, label in STRUCTURES
            ),
        ),
        B2Indicator(8, names[7], f"Diện tích nhà ở (m²): {area}"),
        B2Indicator(
            9,
            names[8],
            "Nguồn nước sinh hoạt chính.",
            (
                FactLine(
                    "Nguồn nước",
                    tuple(
                        Choice(label, f.water_source == code)
                        for code, label, _ in WATER_SOURCES
                    ),
                ),
            ),
        ),
        B2Indicator(
            10,
            names[9],
            "Loại nhà tiêu hộ sử dụng.",
            (
                FactLine(
                    "Loại nhà tiêu",
                    tuple(
                        Choice(label, f.latrine_type == code)
                        for code, label, _ in LATRINE_TYPES
                    ),
                ),
            ),
        ),
        B2Indicator(
            11,
            names[10],
            "",
            (
                FactLine(
                    "Có thành viên sử dụng dịch vụ internet", _yes_no(f.uses_internet)
                ),
            ),
        ),
        B2Indicator(
            12,
            names[11],
            "",
            (
                FactLine(
                    "Phương tiện hộ có",
                    tuple(
                        Choice(label, code in devices)
                        for code, label in INFORMATION_DEVICES
                    ),
                ),
                FactLine(
                    "Nghe được loa truyền thanh của xã, thôn",
                    _yes_no(f.hears_loudspeaker),
                ),
            ),
        ),
    )


def member_lines(members: Sequence[Member], on: date) -> tuple[MemberLine, ...]:
    """The register's members as the form's lines (the head first)."""
    ordered = sorted(members, key=lambda m: (m.relationship != "head", m.pk or 0))
    lines = []
    for m in ordered:
        facts = m.facts()
        bhyt = "Không"
        if m.has_health_insurance:
            expiry = m.health_insurance_expiry
            bhyt = f"Có, hạn {expiry:%d/%m/%Y}" if expiry else "Có"
        school = (
            "" if m.attends_school is None else "Có" if m.attends_school else "Không"
        )
        lines.append(
            MemberLine(
                full_name=m.full_name,
                birth_year=str(m.birth_year),
                sex=m.get_sex_display(),
                relationship=m.get_relationship_display(),
                education=m.get_education_level_display(),
                employment=m.get_employment_display(),
                bhyt=bhyt,
                attends_school=school,
                child=facts.age_on(on) < CHILD_UNTIL,
                stunted=m.stunted,
                underweight=m.underweight,
            )
        )
    return tuple(lines)


@dataclass(frozen=True)
class FieldForm:
    """Phiếu A and Phiếu B of one household, or blank."""

    commune: Commune
    village: Village | None
    household: Household | None
    members: tuple[MemberLine, ...]
    empty_member_lines: int
    b2: tuple[B2Indicator, ...]
    facts_from: Review | None  # the review whose B2 facts are pre-ticked

    @property
    def blank(self) -> bool:
        return self.household is None

    @property
    def address(self) -> str:
        """The household's address as one line: the register's address, then the
        village and the commune unless the address already names them."""
        assert self.household is not None
        parts = [self.household.address.strip()] if self.household.address else []
        for place in (self.village.name, f"xã {self.commune.name}"):
            if place.lower() not in " ".join(parts).lower():
                parts.append(place)
        return ", ".join(parts)

    @property
    def empty_lines(self) -> range:
        return range(self.empty_member_lines)


def blank_form(commune: Commune, village: Village | None) -> FieldForm:
    return FieldForm(
        commune, village, None, (), BLANK_MEMBER_LINES, b2_indicators(None), None
    )


def household_form(household: Household, commune: Commune, on: date) -> FieldForm:
    review = household.latest_review(on)
    facts = review.dwelling_facts() if review is not None else None
    area = review.floor_area_m2 if review is not None else None
    return FieldForm(
        commune,
        household.village,
        household,
        member_lines(list(household.members.all()), on),
        EXTRA_MEMBER_LINES,
        b2_indicators(facts, area),
        review,
    )


def _context(
    forms: list[FieldForm], questions: Questions, on: date, title: str
) -> dict[str, Any]:
    return {
        "forms": forms,
        "questions": questions,
        "on": on,
        "title": title,
        "points_per_deprivation": B2_POINTS_PER_DEPRIVATION,
    }


def _pdf(
    forms: list[FieldForm], questions: Questions, on: date, title: str, filename: str
) -> HttpResponse:
    content = render_pdf(TEMPLATE, _context(forms, questions, on, title))
    return download(content, PDF, filename)


@makes_file
def household_field_forms(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Phiếu A and Phiếu B of one household, pre-filled from the register."""
    household = get_object_or_404(
        Household.objects.visible_to(request.user)
        .select_related("commune", "village")
        .prefetch_related("members"),
        pk=pk,
    )
    on = clock.today()
    form = household_form(household, household.commune, on)
    return _pdf(
        [form],
        questions_for(household.commune, on),
        on,
        f"Phiếu A, phiếu B — hộ {household.code}",
        f"phieu-a-b-{household.code}.pdf",
    )


@dataclass(frozen=True)
class VillageForms:
    """The round's forms of a village the user may read: its list to review."""

    review_round: ReviewRound
    commune: Commune
    village: Village
    listed: list[Household]

    @property
    def title(self) -> str:
        return f"Phiếu A, phiếu B năm {self.review_round.year} — {self.village.name}"

    def filename(self, suffix: str = "") -> str:
        return f"phieu-a-b-{self.review_round.year}-{self.village.pk}{suffix}.pdf"

    @property
    def questions(self) -> Questions:
        # The questions of the standard the round reviews by (its opening day).
        return questions_for(self.commune, self.review_round.opened_on)

    def context(self, on: date, report: Report = no_report) -> dict[str, Any]:
        """The PDF's, every household pre-filled; `report` hears each one made."""
        forms = []
        for number, household in enumerate(self.listed, start=1):
            forms.append(household_form(household, self.commune, on))
            report("Đang điền phiếu của hộ", number, len(self.listed))
        return _context(forms, self.questions, on, self.title)


def village_forms_for(user: User, year: int, wanted: str) -> VillageForms:
    """The round of `year` and the village of id `wanted`, if the user sees
    households of it (else Http404)."""
    commune = commune_for(user)
    review_round = get_object_or_404(ReviewRound, commune=commune, year=year)
    households = Household.objects.visible_to(user).filter(commune=commune)
    village = requested_village(wanted, commune, households)
    listed = list_to_review(review_round, households.filter(village=village))
    return VillageForms(review_round, commune, village, [x.household for x in listed])


@makes_file
def village_field_forms(request: AuthenticatedRequest, year: int) -> HttpResponse:
    """The round's forms of a village (`?thon=<id>`): every household on the list to
    review, pre-filled, in one PDF; `?mau-trong=1` one blank set for a household not
    yet on the register. More than BACKGROUND_DOCUMENT_HOUSEHOLDS households (a
    merged commune's village) are printed by a background job (`jobs.documents`)
    unless the PDF cache holds them."""
    wanted = request.GET.get("thon", "")
    found = village_forms_for(request.user, year, wanted)
    on = clock.today()
    if request.GET.get("mau-trong") == "1":
        forms = [blank_form(found.commune, found.village)]
        return _pdf(
            forms, found.questions, on, found.title, found.filename("-mau-trong")
        )
    if not many_households(len(found.listed)):
        content = render_pdf(TEMPLATE, found.context(on))
        return download(content, PDF, found.filename())
    cached = cached_pdf(render_to_string(TEMPLATE, found.context(on)))
    if cached is not None:
        return download(cached, PDF, found.filename())
    return file_or_job(
        request,
        build_village_field_forms,
        title=found.title,
        key=f"reports:village_field_forms:{year}:{found.village.pk}",
        back_url=reverse("households:round_detail", args=[year]),
        year=year,
        village=str(found.village.pk),
    )


@task
def build_village_field_forms(job_id: str, *, year: int, village: str) -> None:
    """A village's forms of the round as one PDF, for the job's requester."""

    def work(job: Job, progress: Progress) -> Outcome:
        user = job.requested_by
        progress("Đang lập danh sách hộ", 0)
        with refused_in_job(user):
            found = village_forms_for(user, year, village)
        html = render_to_string(TEMPLATE, found.context(clock.today(), progress))
        count = len(found.listed)
        progress(f"Đang dàn trang PDF ({count} hộ)", 0)
        name = found.filename()
        return Outcome(
            message=f"Đã lập tệp {name}: phiếu A, phiếu B của {count} hộ.",
            file_name=name,
            file_content=render_pdf_in_job(html),
            file_type=PDF,
        )

    perform(job_id, work)
