"""The layouts of reports 1–13 of the year's review (DOMAIN.md §3.8): each report's
title, summary function and columns, in `REPORTS` by number.

Each report declares its columns once, as `excel.Column`s (header, code, value side by
side, STYLE.md E5); the Excel sheet and the HTML table of the screen and the PDF
(`reports.tables`) are written from them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from reports import excel
from reports.scope import Scope
from reports.summaries import causes, review
from reports.summaries.review import NEAR_POOR, POOR

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
        # The unit of each line: Hộ / Nhân khẩu, or the line's own (report 10).
        lines.append(
            Line(number, row.name, getattr(first, "unit", review.HOUSEHOLD), first)
        )
        lines.append(Line("", "", getattr(second, "unit", review.PERSONS), second))
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
            "Khẩu thuộc hộ làm NLNDN có mức sống trung bình",
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
                "Khác (không thuộc nhóm nào)",
                str(e),
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
                "Thiếu hụt y tế (không có BHYT + suy dinh dưỡng)",
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
    group = "Số hộ theo nguyên nhân nghèo"
    return [
        *_label_columns(unit=True),
        Column("Tổng số hộ", "D", lambda r: r.data.households, INT, width=10),
        *[
            Column(
                str(cause.label),
                str(index + 1),
                lambda r, i=index: r.data.by_cause[i],
                INT,
                width=12,
                group=group,
            )
            for index, cause in enumerate(causes.CAUSES)
        ],
        Column(
            "Chưa ghi nguyên nhân",
            str(len(causes.CAUSES) + 1),
            lambda r: r.data.unrecorded,
            INT,
            width=11,
        ),
    ]


def _class_result_columns(summary: review.ReviewClassResult) -> list[Column]:
    words = _class_words(summary.status)
    persons = "Khẩu nghèo" if summary.status == POOR else "Khẩu cận nghèo"

    def split(
        value: Callable[[Any], review.SplitCount], group: str, first: int
    ) -> list[Column]:
        return [
            Column(
                "Tổng số",
                f"{first} = {first + 1}+{first + 2}",
                lambda r: value(r).total,
                INT,
                group=group,
            ),
            Column("Kinh", str(first + 1), lambda r: value(r).kinh, INT, group=group),
            Column(
                "DTTS",
                str(first + 2),
                lambda r: value(r).ethnic_minority,
                INT,
                group=group,
            ),
        ]

    in_class = f"Tổng số {words}"
    return [
        *_label_columns(),
        *split(lambda r: r.households, "Tổng số hộ dân cư", 1),
        *split(lambda r: r.persons, "Tổng số nhân khẩu", 4),
        *split(lambda r: r.in_class, in_class, 7),
        Column(
            "Hộ chính sách người có công",
            "10",
            lambda r: r.meritorious,
            INT,
            width=12,
            group=f"Trong đó {words}",
        ),
        Column(
            "Hộ không có khả năng lao động",
            "11",
            lambda r: r.no_labour_capacity,
            INT,
            width=12,
            group=f"Trong đó {words}",
        ),
        Column(
            "Chủ hộ là nữ",
            "12",
            lambda r: r.female_head,
            INT,
            group=f"Trong đó {words}",
        ),
        *split(lambda r: r.class_persons, persons, 13),
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
    "Trẻ em: dưới 16 tuổi tại ngày 31/12. Thiếu hụt y tế: số trẻ từ 6 tuổi chưa có thẻ "
    "BHYT còn hạn cộng số trẻ suy dinh dưỡng, như công thức của biểu (trẻ dưới 6 tuổi "
    "được Nhà nước cấp thẻ; một trẻ thiếu cả hai được tính ở cả hai). Thiếu hụt giáo "
    "dục: từ 3 đến dưới 16 tuổi không đi học (chưa ghi tình trạng đi học cũng tính là "
    "không đi học)."
)
CAUSES_NOTE = (
    "Nguồn: nguyên nhân nghèo ghi trong phiếu rà soát đã xếp hộ vào diện nghèo, cận "
    "nghèo (phiếu gần nhất đến 31/12), cho mọi hộ nghèo, hộ cận nghèo của sổ hộ. Một "
    "hộ có nhiều nguyên nhân được tính ở mỗi nguyên nhân của hộ, nên các cột 1–8 có "
    "thể lớn hơn cột D. Cột 9 (không có trong mẫu biểu): hộ mà phiếu chưa ghi nguyên "
    "nhân — cần bổ sung trước khi gửi báo cáo."
)
PERSONS_NOTE = "Nhân khẩu: các thành viên của hộ theo sổ hộ hiện tại."
CLASS_RESULT_NOTE = (
    "Hộ: theo dân tộc của hộ; khẩu: theo dân tộc của từng thành viên (như biểu 09). "
    "Cột dân tộc tại chỗ của mẫu (các tỉnh Tây Nguyên) không áp dụng. Chủ hộ là nữ: "
    'thành viên ghi quan hệ "chủ hộ" là nữ. Các cột 10–12 chồng lấn nhau.'
)

MEDIUM_LIVING_NOTE = (
    "Cột 7, 13: hộ làm nông, lâm, ngư, diêm nghiệp (NLNDN) được Chủ tịch UBND xã "
    "quyết định công nhận có mức sống trung bình theo quy trình của Quyết định "
    "24/2021/QĐ-TTg (thu nhập thực tế 12 tháng), quyết định còn hiệu lực ngày cuối "
    "năm; hộ đã là hộ nghèo, cận nghèo thì chỉ tính ở cột đó."
)

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
            notes=(PERSONS_NOTE, MEDIUM_LIVING_NOTE),
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
            paired=True,
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
        ReviewReport(
            12,
            "Tổng hợp kết quả rà soát hộ nghèo theo chuẩn nghèo đa chiều",
            "ket-qua-ho-ngheo",
            _scoped(review.review_class_result, status=POOR),
            _class_result_columns,
            compact=True,
            notes=(CLASS_RESULT_NOTE, PERSONS_NOTE),
        ),
        ReviewReport(
            13,
            "Tổng hợp kết quả rà soát hộ cận nghèo theo chuẩn nghèo đa chiều",
            "ket-qua-ho-can-ngheo",
            _scoped(review.review_class_result, status=NEAR_POOR),
            _class_result_columns,
            compact=True,
            notes=(CLASS_RESULT_NOTE, PERSONS_NOTE),
        ),
    )
}
