"""The review tables of a year (DOMAIN.md §3.8): one summary, three renderers.

Each report declares its columns once, as `excel.Column`s (header, code, value side by
side, STYLE.md E5). The Excel sheet is written from them, and so is the HTML table that
the screen and the PDF share (`_review_table.html`), so the three can never disagree on
a header, a code or a figure.

Household data is read through `Household.objects.visible_to(user)`: a village head's
report is their village's. `?village=<id>` narrows any report to one village of the
user's scope; `?format=pdf|xlsx` downloads it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from giamngheo.http import AuthenticatedRequest
from households import clock
from households.forms import villages_for
from households.models import Commune, Household, HouseholdQuerySet, Village
from households.views import commune_of
from reports import excel
from reports.documents import OfficialDocument, recipients_for_report
from reports.pdf import render_pdf
from reports.summaries import causes, review
from reports.summaries.review import NEAR_POOR, POOR

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Column = excel.Column
INT = excel.INTEGER
PCT = excel.PERCENT_2

# Short names of the 12 indicators as the report columns print them (§3.8, 4–7).
INDICATOR_HEADERS = (
    "Việc làm",
    "Người phụ thuộc",
    "Dinh dưỡng",
    "Bảo hiểm y tế",
    "Trình độ giáo dục của người lớn",
    "Tình trạng đi học của trẻ em",
    "Chất lượng nhà ở",
    "Diện tích nhà ở",
    "Nguồn nước sinh hoạt",
    "Nhà tiêu hợp vệ sinh",
    "Dịch vụ viễn thông",
    "Phương tiện tiếp cận thông tin",
)


# --- The scope of a request -----------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    commune: Commune
    year: int
    households: HouseholdQuerySet
    villages: list[Village]  # the rows of the report
    choices: list[Village]  # every village the user may pick
    village: Village | None  # the one picked with ?village=
    whole_commune: bool


def _scope(request: AuthenticatedRequest, year: int) -> Scope:
    if not 2000 <= year <= 2100:
        raise Http404("Năm báo cáo không hợp lệ.")
    commune = commune_of(request)
    choices = list(villages_for(request.user).filter(commune=commune))
    households = Household.objects.visible_to(request.user).filter(commune=commune)
    villages, village = choices, None
    wanted = request.GET.get("village", "")
    if wanted:
        village = next((v for v in choices if str(v.pk) == wanted), None)
        if village is None:
            raise Http404("Thôn không thuộc phạm vi của bạn.")
        villages = [village]
        households = households.filter(village=village)
    return Scope(
        commune=commune,
        year=year,
        households=households,
        villages=villages,
        choices=choices,
        village=village,
        whole_commune=not request.user.is_village_head and village is None,
    )


# --- An HTML table from the columns of the Excel sheet --------------------------------


@dataclass(frozen=True)
class HeadCell:
    text: str
    colspan: int = 1
    rowspan: int = 1


@dataclass(frozen=True)
class Cell:
    value: object
    label: str  # the column's header, shown before the value on a phone
    css: str = ""  # "num" (right), "center", "label" (a name, kept on one line)
    rate: bool = False
    grouped: bool = False  # digit grouping: counts yes, years and STT no
    rowspan: int = 1


def _cell(column: Column, value: object, label: str, rowspan: int = 1) -> Cell:
    rate, grouped = column.number_format == PCT, column.number_format == INT
    if rate or grouped:
        css = "num"
    elif isinstance(value, str) and column.width >= 20:
        css = "label"
    else:
        css = "center"
    return Cell(value, label, css, rate=rate, grouped=grouped, rowspan=rowspan)


@dataclass(frozen=True)
class BodyRow:
    cells: tuple[Cell, ...]
    total: bool = False


@dataclass(frozen=True)
class HtmlTable:
    head: tuple[tuple[HeadCell, ...], ...]
    codes: tuple[str, ...]
    body: tuple[BodyRow, ...]
    compact: bool = False
    paired: bool = False

    @property
    def groups(self) -> tuple[tuple[BodyRow, ...], ...]:
        """The row groups: a Hộ line with its Nhân khẩu line when paired (one
        `tbody` the PDF keeps on one page), else all the rows together."""
        if not self.paired:
            return (self.body,) if self.body else ()
        return tuple(self.body[i : i + 2] for i in range(0, len(self.body), 2))


def _head(columns: Sequence[Column]) -> tuple[tuple[HeadCell, ...], ...]:
    if not any(c.group for c in columns):
        return (tuple(HeadCell(c.header) for c in columns),)
    top: list[HeadCell] = []
    below: list[HeadCell] = []
    index = 0
    while index < len(columns):
        group = columns[index].group
        if not group:
            top.append(HeadCell(columns[index].header, rowspan=2))
            index += 1
            continue
        end = index
        while end < len(columns) and columns[end].group == group:
            below.append(HeadCell(columns[end].header))
            end += 1
        top.append(HeadCell(group, colspan=end - index))
        index = end
    return (tuple(top), tuple(below))


def html_table(
    columns: Sequence[Column],
    lines: Sequence[Any],
    totals: Sequence[Any] = (),
    *,
    paired: bool = False,
    compact: bool = False,
) -> HtmlTable:
    """The table of `columns` over `lines` then `totals`. `paired`: lines come in
    pairs (Hộ / Nhân khẩu) sharing their first two cells (STT, name)."""
    labels = [f"{c.group} — {c.header}" if c.group else c.header for c in columns]

    def row(line: Any, *, total: bool, second: bool) -> BodyRow:
        cells = []
        for index, column in enumerate(columns):
            merged = paired and index < 2
            if merged and second:
                continue
            value = column.value(line)
            cells.append(_cell(column, value, labels[index], 2 if merged else 1))
        return BodyRow(tuple(cells), total=total)

    body = [
        row(line, total=is_total, second=paired and index % 2 == 1)
        for is_total, group in ((False, lines), (True, totals))
        for index, line in enumerate(group)
    ]
    return HtmlTable(
        _head(columns), tuple(c.code for c in columns), tuple(body), compact, paired
    )


# --- The reports ----------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """A line of a Phân tổ table: STT and name (on the Hộ line), unit, figures."""

    number: str
    name: str
    unit: str
    data: Any


@dataclass(frozen=True)
class ReviewReport:
    number: int
    title: str  # trích yếu, regular case, without the year
    filename: str
    summarise: Callable[[Scope], Any]
    columns: Callable[[Any], list[Column]]
    paired: bool = False
    compact: bool = False
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def code(self) -> str:
        return f"{self.number:02d}"

    def lines(self, summary: Any) -> tuple[list[Any], list[Any]]:
        """The body lines and the total lines, as the columns read them."""
        totals = [summary.total] if summary.show_total else []
        if not self.paired:
            return list(summary.rows), totals
        return _pair_lines(summary.rows), _pair_lines(totals, numbered=False)


def _pair_lines(rows: Sequence[Any], *, numbered: bool = True) -> list[Line]:
    lines = []
    for index, row in enumerate(rows, start=1):
        if hasattr(row, "lines"):
            first, second = row.lines
        else:  # a DynamicsRow: its two dicts of columns 1–9
            first, second = row.households, row.persons
        # A DynamicsRow has no STT of its own: a village line is numbered in order.
        number = getattr(row, "number", "") or (str(index) if numbered else "")
        lines.append(Line(number, row.name, review.HOUSEHOLD, first))
        lines.append(Line("", "", review.PERSONS, second))
    return lines


def _label_columns(*, unit: bool = False) -> list[Column]:
    columns = [
        Column("STT", "A", lambda r: r.number, width=6),
        Column("Thôn, làng", "B", lambda r: r.name, width=24),
    ]
    if unit:
        columns.append(Column("Phân tổ", "C", lambda r: r.unit, width=11))
    return columns


def _result_columns(summary: review.ReviewResult) -> list[Column]:
    by_household = "Kết quả rà soát về hộ"
    by_person = "Kết quả rà soát về khẩu"
    return [
        *_label_columns(),
        Column("Tổng số hộ dân cư", "1", lambda r: r.households, INT),
        Column("Tổng số nhân khẩu", "2", lambda r: r.persons, INT),
        Column("Hộ nghèo", "3", lambda r: r.poor, INT, group=by_household),
        Column(
            "Tỷ lệ (%)", "4 = 3/1×100", lambda r: r.poor_rate, PCT, group=by_household
        ),
        Column("Hộ cận nghèo", "5", lambda r: r.near_poor, INT, group=by_household),
        Column(
            "Tỷ lệ (%)",
            "6 = 5/1×100",
            lambda r: r.near_poor_rate,
            PCT,
            group=by_household,
        ),
        Column(
            "Hộ làm NLNDN có mức sống trung bình",
            "7",
            lambda r: r.medium,
            INT,
            width=14,
            group=by_household,
        ),
        Column(
            "Tỷ lệ (%)", "8 = 7/1×100", lambda r: r.medium_rate, PCT, group=by_household
        ),
        Column("Khẩu nghèo", "9", lambda r: r.poor_persons, INT, group=by_person),
        Column(
            "Tỷ lệ (%)",
            "10 = 9/2×100",
            lambda r: r.poor_persons_rate,
            PCT,
            group=by_person,
        ),
        Column(
            "Khẩu cận nghèo", "11", lambda r: r.near_poor_persons, INT, group=by_person
        ),
        Column(
            "Tỷ lệ (%)",
            "12 = 11/2×100",
            lambda r: r.near_poor_persons_rate,
            PCT,
            group=by_person,
        ),
        Column(
            "Khẩu có mức sống trung bình",
            "13",
            lambda r: r.medium_persons,
            INT,
            width=14,
            group=by_person,
        ),
        Column(
            "Tỷ lệ (%)",
            "14 = 13/2×100",
            lambda r: r.medium_persons_rate,
            PCT,
            group=by_person,
        ),
    ]


def _dynamics_columns(summary: review.ReviewDynamics) -> list[Column]:
    poor = summary.status == POOR
    cls = "hộ nghèo" if poor else "hộ cận nghèo"
    out = "Số hộ thoát nghèo" if poor else "Số hộ ra khỏi diện cận nghèo"
    added = "Số hộ nghèo bổ sung" if poor else "Số hộ cận nghèo bổ sung"

    def col(header: str, number: int, group: str | None = None) -> Column:
        code = "9 = 1−2−3−4+5+6+7+8" if number == 9 else str(number)
        return Column(
            header, code, lambda r: r.data[number], INT, width=13, group=group
        )

    return [
        *_label_columns(unit=True),
        col(f"Tổng số {cls} đầu kỳ", 1),
        col("Trở thành hộ cận nghèo" if poor else "Trở thành hộ nghèo", 2, out),
        col("Vượt chuẩn cận nghèo", 3, out),
        col("Số hộ khác giảm", 4),
        col(
            "Số hộ cận nghèo trở thành hộ nghèo"
            if poor
            else "Số hộ nghèo trở thành hộ cận nghèo",
            5,
        ),
        col("Tái nghèo" if poor else "Tái cận nghèo", 6, added),
        col("Phát sinh mới", 7, added),
        col("Số hộ khác tăng", 8),
        col(f"Tổng số {cls} cuối kỳ", 9),
    ]


def _class_words(status: str) -> str:
    return "hộ nghèo" if status == POOR else "hộ cận nghèo"


def _deprivation_columns(summary: review.ReviewDeprivations) -> list[Column]:
    group = "Số hộ thiếu hụt theo chỉ số"
    return [
        *_label_columns(),
        Column(
            f"Tổng số {_class_words(summary.status)}", "1", lambda r: r.households, INT
        ),
        Column("Tổng số thiếu hụt", "2", lambda r: r.deprivations, INT),
        *[
            Column(
                header,
                str(index + 3),
                lambda r, i=index: r.by_indicator[i],
                INT,
                width=11,
                group=group,
            )
            for index, header in enumerate(INDICATOR_HEADERS)
        ],
    ]


def _deprivation_rate_columns(summary: review.ReviewDeprivations) -> list[Column]:
    words = _class_words(summary.status)
    group = f"Tỷ lệ hộ thiếu hụt theo chỉ số (% trên tổng số {words})"
    return [
        *_label_columns(),
        Column(
            f"Tổng số {_class_words(summary.status)}", "1", lambda r: r.households, INT
        ),
        *[
            Column(
                header,
                f"{index + 2}",
                lambda r, i=index: r.rates[i],
                PCT,
                width=11,
                group=group,
            )
            for index, header in enumerate(INDICATOR_HEADERS)
        ],
    ]


def _target_group_columns(summary: review.ReviewTargetGroups) -> list[Column]:
    def block(attr: str, group: str, first: int) -> list[Column]:
        a, b, c, d, e = range(first, first + 5)
        return [
            Column(
                "Tổng số",
                str(a),
                lambda r: getattr(r.data, attr).total,
                INT,
                group=group,
            ),
            Column(
                "Hộ DTTS",
                str(b),
                lambda r: getattr(r.data, attr).ethnic_minority,
                INT,
                group=group,
            ),
            Column(
                "Hộ không có khả năng lao động",
                str(c),
                lambda r: getattr(r.data, attr).no_labour_capacity,
                INT,
                width=14,
                group=group,
            ),
            Column(
                "Hộ có người có công",
                str(d),
                lambda r: getattr(r.data, attr).meritorious,
                INT,
                group=group,
            ),
            Column(
                "Khác",
                f"{e} = {a}−{b}−{c}−{d}",
                lambda r: getattr(r.data, attr).other,
                INT,
                group=group,
            ),
        ]

    return [
        *_label_columns(unit=True),
        *block("poor", "Hộ nghèo", 1),
        *block("near_poor", "Hộ cận nghèo", 6),
    ]


def _ethnicity_columns(summary: review.ReviewEthnicity) -> list[Column]:
    def block(attr: str, group: str, first: int) -> list[Column]:
        columns = [
            Column(
                "Tổng số",
                str(first),
                lambda r: getattr(r.data, attr).total,
                INT,
                group=group,
            ),
            Column(
                "Kinh",
                str(first + 1),
                lambda r: getattr(r.data, attr).kinh,
                INT,
                group=group,
            ),
            Column(
                "Tổng DTTS",
                f"{first + 2} = {first}−{first + 1}",
                lambda r: getattr(r.data, attr).ethnic_minority,
                INT,
                group=group,
            ),
        ]
        for index, (_, label) in enumerate(summary.groups):
            columns.append(
                Column(
                    label,
                    str(first + 3 + index),
                    lambda r, i=index: getattr(r.data, attr).by_group[i],
                    INT,
                    group=group,
                )
            )
        return columns

    width = 3 + len(summary.groups)
    return [
        *_label_columns(unit=True),
        *block("poor", "Hộ nghèo", 1),
        *block("near_poor", "Hộ cận nghèo", 1 + width),
    ]


def _children_columns(summary: review.ReviewChildren) -> list[Column]:
    def block(attr: str, group: str, first: int) -> list[Column]:
        return [
            Column(
                "Tổng số trẻ em (dưới 16 tuổi)",
                str(first),
                lambda r: getattr(r, attr).children,
                INT,
                width=14,
                group=group,
            ),
            Column(
                "Thiếu hụt y tế (BHYT, dinh dưỡng)",
                str(first + 1),
                lambda r: getattr(r, attr).health,
                INT,
                width=14,
                group=group,
            ),
            Column(
                "Thiếu hụt giáo dục (đi học)",
                str(first + 2),
                lambda r: getattr(r, attr).education,
                INT,
                width=14,
                group=group,
            ),
        ]

    return [
        *_label_columns(),
        *block("poor", "Trẻ em thuộc hộ nghèo", 1),
        *block("near_poor", "Trẻ em thuộc hộ cận nghèo", 4),
    ]


def _cause_columns(summary: causes.ReviewCauses) -> list[Column]:
    group = "Số hộ nghèo theo nguyên nhân nghèo"
    return [
        *_label_columns(),
        Column(
            "Tổng số hộ nghèo có phương án trong kế hoạch thôn",
            "C",
            lambda r: r.households,
            INT,
            width=14,
        ),
        *[
            Column(
                str(cause.label),
                str(index + 1),
                lambda r, i=index: r.by_cause[i],
                INT,
                width=12,
                group=group,
            )
            for index, cause in enumerate(causes.CAUSES)
        ],
    ]


def _scoped(function: Callable[..., Any], **fixed: object) -> Callable[[Scope], Any]:
    def summarise(scope: Scope) -> Any:
        return function(
            scope.commune,
            scope.year,
            scope.households,
            scope.villages,
            whole_commune=scope.whole_commune,
            **fixed,
        )

    return summarise


CHILDREN_NOTE = (
    "Trẻ em: dưới 16 tuổi tại ngày 31/12. Thiếu hụt y tế: từ 6 tuổi chưa có thẻ BHYT "
    "còn hạn, hoặc suy dinh dưỡng. Thiếu hụt giáo dục: từ 3 đến dưới 16 tuổi không đi "
    "học (chưa ghi tình trạng đi học cũng tính là không đi học)."
)
CAUSES_NOTE = (
    "Nguồn: phương án cho từng hộ nghèo trong kế hoạch giảm nghèo của thôn (đã nộp "
    "hoặc đã duyệt). Một hộ có nhiều nguyên nhân được tính ở mỗi nguyên nhân của hộ."
)
PERSONS_NOTE = "Nhân khẩu: các thành viên của hộ theo sổ hộ hiện tại."

REPORTS: dict[int, ReviewReport] = {
    r.number: r
    for r in (
        ReviewReport(
            1,
            "Tổng hợp kết quả chính thức rà soát hộ nghèo, hộ cận nghèo, hộ làm nông, "
            "lâm, ngư nghiệp có mức sống trung bình",
            "ket-qua-ra-soat",
            _scoped(review.review_result),
            _result_columns,
            compact=True,
            notes=(PERSONS_NOTE,),
        ),
        ReviewReport(
            2,
            "Tổng hợp diễn biến hộ nghèo",
            "dien-bien-ho-ngheo",
            _scoped(review.review_dynamics, status=POOR),
            _dynamics_columns,
            paired=True,
            notes=("Đầu kỳ: kết quả rà soát đến 31/12 năm trước.", PERSONS_NOTE),
        ),
        ReviewReport(
            3,
            "Tổng hợp diễn biến hộ cận nghèo",
            "dien-bien-ho-can-ngheo",
            _scoped(review.review_dynamics, status=NEAR_POOR),
            _dynamics_columns,
            paired=True,
            notes=("Đầu kỳ: kết quả rà soát đến 31/12 năm trước.", PERSONS_NOTE),
        ),
        ReviewReport(
            4,
            "Phân tích các chỉ số thiếu hụt dịch vụ xã hội cơ bản của hộ nghèo",
            "thieu-hut-ho-ngheo",
            _scoped(review.review_deprivations, status=POOR),
            _deprivation_columns,
            compact=True,
        ),
        ReviewReport(
            5,
            "Phân tích tỷ lệ các chỉ số thiếu hụt dịch vụ xã hội cơ bản của hộ nghèo",
            "ty-le-thieu-hut-ho-ngheo",
            _scoped(review.review_deprivations, status=POOR),
            _deprivation_rate_columns,
            compact=True,
        ),
        ReviewReport(
            6,
            "Phân tích các chỉ số thiếu hụt dịch vụ xã hội cơ bản của hộ cận nghèo",
            "thieu-hut-ho-can-ngheo",
            _scoped(review.review_deprivations, status=NEAR_POOR),
            _deprivation_columns,
            compact=True,
        ),
        ReviewReport(
            7,
            "Phân tích tỷ lệ các chỉ số thiếu hụt dịch vụ xã hội cơ bản của hộ cận "
            "nghèo",
            "ty-le-thieu-hut-ho-can-ngheo",
            _scoped(review.review_deprivations, status=NEAR_POOR),
            _deprivation_rate_columns,
            compact=True,
        ),
        ReviewReport(
            8,
            "Phân tích hộ nghèo, hộ cận nghèo theo các nhóm đối tượng",
            "nhom-doi-tuong",
            _scoped(review.review_target_groups),
            _target_group_columns,
            paired=True,
            compact=True,
            notes=(review.GROUP_NOTE, PERSONS_NOTE),
        ),
        ReviewReport(
            9,
            "Phân tích hộ nghèo, hộ cận nghèo theo dân tộc",
            "dan-toc",
            _scoped(review.review_ethnicity),
            _ethnicity_columns,
            paired=True,
            compact=True,
            notes=(
                "Hộ: theo dân tộc của hộ. Nhân khẩu: theo dân tộc của từng thành viên.",
                PERSONS_NOTE,
            ),
        ),
        ReviewReport(
            10,
            "Phân nhóm hộ nghèo, hộ cận nghèo theo các nguyên nhân nghèo",
            "nguyen-nhan-ngheo",
            _scoped(causes.review_causes),
            _cause_columns,
            compact=True,
            notes=(CAUSES_NOTE,),
        ),
        ReviewReport(
            11,
            "Tổng hợp chỉ tiêu thiếu hụt của trẻ em thuộc hộ nghèo, hộ cận nghèo",
            "tre-em",
            _scoped(review.review_children),
            _children_columns,
            notes=(CHILDREN_NOTE,),
        ),
    )
}


# --- Reports 14 and 15: the lists -----------------------------------------------------

LISTS = {14: NEAR_POOR, 15: POOR}


@dataclass(frozen=True)
class ListLine:
    """One line of a detailed list: a member, with the household's marks on the head's
    line; or (Excel only) the heading line of a village."""

    household_number: int | str | None = None
    member_number: int | None = None
    full_name: str = ""
    male_year: int | None = None
    female_year: int | None = None
    ethnicity: str = ""
    relationship: str = ""
    marks: tuple[str, ...] = ("", "", "", "", "", "")
    heading: bool = False


def _list_lines(village: review.VillageList) -> list[ListLine]:
    return [line for h in village.households for line in _household_lines(h)]


def _household_lines(household: review.ListedHousehold) -> list[ListLine]:
    """The lines of one household: its head's line carries STT chủ hộ and the marks."""
    lines: list[ListLine] = []
    marks = tuple(
        "x" if flag else ""
        for flag in (
            household.novelty == review.NEW,
            household.novelty == review.REFELL,
            household.novelty == review.OLD,
            household.has_meritorious_person,
            household.ethnic_minority,
            household.no_labour_capacity,
        )
    )
    if not household.members:
        lines.append(
            ListLine(
                household.number,
                None,
                f"({household.code}: chưa có thành viên)",
                marks=marks,
            )
        )
    for member in household.members:
        first = member.number == 1
        lines.append(
            ListLine(
                household_number=household.number if first else None,
                member_number=member.number,
                full_name=member.full_name,
                male_year=None if member.female else member.birth_year,
                female_year=member.birth_year if member.female else None,
                ethnicity=member.ethnicity,
                relationship=member.relationship,
                marks=marks if first else ("",) * 6,
            )
        )
    return lines


def _list_columns(status: str) -> list[Column]:
    poor = status == POOR
    words = (
        ("Nghèo mới", "Tái nghèo", "Nghèo cũ")
        if poor
        else ("Cận nghèo mới", "Tái cận nghèo", "Cận nghèo cũ")
    )
    born = "Năm sinh"
    columns = [
        Column("STT chủ hộ", "A", lambda r: r.household_number, width=7),
        Column("STT thành viên", "B", lambda r: r.member_number, width=8),
        Column("Họ và tên", "C", lambda r: r.full_name, width=26),
        Column("Nam", "1", lambda r: r.male_year, width=7, group=born),
        Column("Nữ", "2", lambda r: r.female_year, width=7, group=born),
        Column("Dân tộc", "3", lambda r: r.ethnicity, width=9),
        Column("Quan hệ với chủ hộ", "4", lambda r: r.relationship, width=12),
    ]
    headers = (*words, "Hộ có người có công", "Hộ DTTS", "Hộ KCKNLĐ")
    for index, header in enumerate(headers):
        columns.append(
            Column(header, str(index + 5), lambda r, i=index: r.marks[i], width=9)
        )
    return columns


@dataclass(frozen=True)
class PrintedVillage:
    """A village of a printed list: its heading and, per household, the texts of its
    lines. A household is one row group that the PDF never splits across pages."""

    name: str
    households: int
    persons: int
    groups: tuple[tuple[tuple[str, ...], ...], ...]


@dataclass(frozen=True)
class PrintedList:
    """Reports 14/15 as one lean table for WeasyPrint (profiled, scripts/bench_pdf.py):
    the texts are formatted here, the columns have fixed widths, and the cells carry no
    attribute, so that layout and style matching stay cheap on long lists."""

    head: tuple[tuple[HeadCell, ...], ...]
    codes: tuple[str, ...]
    widths: tuple[str, ...]  # percentages of the table's width, "12.5"
    villages: tuple[PrintedVillage, ...]


def _text(value: object) -> str:
    return "" if value is None else str(value)


def printed_list(
    columns: Sequence[Column], summary: review.HouseholdList
) -> PrintedList:
    total = sum(c.width for c in columns)
    villages = tuple(
        PrintedVillage(
            village.name,
            len(village.households),
            village.persons,
            tuple(
                tuple(
                    tuple(_text(c.value(line)) for c in columns)
                    for line in _household_lines(household)
                )
                for household in village.households
            ),
        )
        for village in summary.villages
    )
    return PrintedList(
        _head(columns),
        tuple(c.code for c in columns),
        tuple(f"{100 * c.width / total:.2f}" for c in columns),
        villages,
    )


# --- Rendering ------------------------------------------------------------------------


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _queries(request: AuthenticatedRequest) -> dict[str, str]:
    """The links to the other formats, keeping the village filter."""
    params = {k: v for k, v in request.GET.items() if k == "village" and v}
    return {fmt: urlencode({**params, "format": fmt}) for fmt in ("pdf", "xlsx")}


def _document(scope: Scope, title: str) -> OfficialDocument:
    return OfficialDocument(
        commune=scope.commune,
        kind="Báo cáo",
        title=title,
        symbol="BC-UBND",
        date=clock.today(),
        recipients=recipients_for_report(scope.commune, to_district=True),
    )


def _export_info(
    request: AuthenticatedRequest, scope: Scope, report: str
) -> excel.ExportInfo:
    filters = {"Năm": str(scope.year), "Phạm vi": request.user.scope_label}
    if scope.village is not None:
        filters["Thôn, làng"] = scope.village.name
    return excel.ExportInfo(
        report=report,
        commune=str(scope.commune),
        exported_by=request.user.get_full_name() or request.user.username,
        exported_at=timezone.localtime(),
        filters=filters,
    )


def _subtitle(scope: Scope) -> str:
    where = f"Xã {scope.commune.name}"
    if scope.village is not None or not scope.whole_commune:
        where += ", " + ", ".join(v.name for v in scope.villages)
    return f"{where} — số liệu rà soát đến ngày 31/12/{scope.year}"


def review_table(request: AuthenticatedRequest, year: int, number: int) -> HttpResponse:
    """Reports 1–11 of the year's review."""
    report = REPORTS.get(number)
    if report is None:
        raise Http404("Không có biểu này.")
    scope = _scope(request, year)
    summary = report.summarise(scope)
    # Notes that depend on the data (report 10: the villages without a plan yet).
    report = replace(report, notes=(*report.notes, *getattr(summary, "notes", ())))
    columns = report.columns(summary)
    lines, totals = report.lines(summary)
    title = f"{report.title} năm {year}"
    filename = f"bieu-{report.code}-{report.filename}-{year}"
    output = request.GET.get("format", "html")
    if output == "xlsx":
        sheet = excel.Sheet(
            title=f"Biểu {report.code}",
            heading=title.upper(),
            subtitle=_subtitle(scope),
            columns=columns,
            rows=[*lines, *totals],
            notes=list(report.notes),
        )
        info = _export_info(request, scope, f"Biểu số {report.code} — {title}")
        content = excel.workbook_bytes([sheet], info)
        return _download(content, XLSX, f"{filename}.xlsx")
    context = {
        "report": report,
        "summary": summary,
        "year": year,
        "scope": scope,
        "subtitle": _subtitle(scope),
        "table": html_table(
            columns,
            lines,
            totals,
            paired=report.paired,
            compact=report.compact,
        ),
        "document": _document(scope, title),
        "links": _queries(request),
    }
    if output == "pdf":
        content = render_pdf("reports/pdf/review_table.html", context)
        return _download(content, "application/pdf", f"{filename}.pdf")
    return render(request, "reports/review_table.html", context)


def household_list(
    request: AuthenticatedRequest, year: int, number: int
) -> HttpResponse:
    """Reports 14 (near-poor) and 15 (poor): the detailed lists, one table a village."""
    status = LISTS.get(number)
    if status is None:
        raise Http404("Không có biểu này.")
    scope = _scope(request, year)
    summary = review.household_list(
        scope.commune, year, scope.households, scope.villages, status=status
    )
    columns = _list_columns(status)
    words = "hộ nghèo" if status == POOR else "hộ cận nghèo"
    title = f"Danh sách chi tiết {words} năm {year}"
    slug = "ho-ngheo" if status == POOR else "ho-can-ngheo"
    filename = f"bieu-{number}-danh-sach-{slug}-{year}"
    output = request.GET.get("format", "html")
    if output == "xlsx":
        rows: list[ListLine] = []
        for village in summary.villages:
            rows.append(ListLine(household_number=village.name, heading=True))
            rows.extend(_list_lines(village))
        sheet = excel.Sheet(
            title=f"Biểu {number}",
            heading=title.upper(),
            subtitle=_subtitle(scope),
            columns=columns,
            rows=rows,
            notes=[
                f"Tổng số: {summary.households} hộ, {summary.persons} nhân khẩu.",
            ],
        )
        info = _export_info(request, scope, f"Biểu số {number} — {title}")
        content = excel.workbook_bytes([sheet], info)
        return _download(content, XLSX, f"{filename}.xlsx")
    context = {
        "summary": summary,
        "year": year,
        "number": number,
        "title": title,
        "scope": scope,
        "subtitle": _subtitle(scope),
        "document": _document(scope, title),
        "links": _queries(request),
    }
    if output == "pdf":
        context["printed"] = printed_list(columns, summary)
        content = render_pdf("reports/pdf/review_household_list.html", context)
        return _download(content, "application/pdf", f"{filename}.pdf")
    context["tables"] = [
        (village, html_table(columns, _list_lines(village), compact=True))
        for village in summary.villages
    ]
    return render(request, "reports/review_household_list.html", context)
