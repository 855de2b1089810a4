"""The survey as a phone form: an XLSForm of Phiếu A and Phiếu B for one village's
list to review, for ODK Collect or KoBoCollect, which work offline in the field.

An XLSForm is a workbook (sheets `survey`, `choices`, `settings`) that ODK Central and
KoBoToolbox turn into the form the phones download. It is built from the same
definitions as the paper forms (`households.survey_questions`: the Phiếu A questions,
the commune's B1 points table; `households.indicators`: the B2 facts), and the
village's households are a choice list, so the enumerator picks the household instead
of typing its code. The field names are the review form's (`wall_durable`,
`b1__so_nhan_khau`, …), so an export of the submissions maps back onto it.

`pyxform` converts the workbook to an XForm before it is offered: a form the phones
would refuse is never handed out.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Font
from pyxform.errors import PyXFormError
from pyxform.xls2xform import convert

from households.indicators import (
    INFORMATION_DEVICES,
    LATRINE_TYPES,
    STRUCTURES,
    WATER_SOURCES,
)
from households.poverty import INDICATORS
from households.survey_questions import Questions

SURVEY_COLUMNS = (
    "type",
    "name",
    "label",
    "hint",
    "required",
    "relevance",
    "calculation",
    "constraint",
    "constraint_message",
    "appearance",
    "default",
)

# The submission's fields, named as the review form names them.
HOUSEHOLD = "ma_ho"
REVIEW_DATE = "review_date"
REVIEWER = "reviewer_name"
SCREEN_RESULT = "ket_qua_phieu_a"
B1_PREFIX = "b1__"
B1_SCORE = "b1_score"
INCOME = "income_per_person_month"
FLOOR_AREA = "floor_area_m2"
DEPRIVED = "chi_so_thieu_hut"
NOTE = "note"
SCREEN_PREFIX = "a_"
CONTINUE = "continue"
SCREENED_OUT = "screened_out"
YES, NO = "co", "khong"

STRUCTURE_QUESTIONS = {
    "wall_durable": "Tường nhà làm bằng vật liệu bền chắc?",
    "frame_durable": "Cột (khung) nhà làm bằng vật liệu bền chắc?",
    "roof_durable": "Mái nhà làm bằng vật liệu bền chắc?",
}


@dataclass(frozen=True)
class HouseholdChoice:
    code: str
    label: str


@dataclass(frozen=True)
class PhoneForm:
    form_id: str
    title: str
    version: str
    workbook: bytes  # the XLSForm (.xlsx)
    xform: str  # what pyxform made of it


class FormNotValid(ValueError):
    """pyxform refused the generated form (a bug here, or a table it cannot take)."""


def build_phone_form(
    *,
    form_id: str,
    title: str,
    version: str,
    households: Sequence[HouseholdChoice],
    questions: Questions,
    marks: Sequence[str] = (),
) -> PhoneForm:
    """The XLSForm of the village's list, checked by converting it with pyxform."""
    survey, choices = _survey(households, questions, marks)
    settings = {
        "form_title": title,
        "form_id": form_id,
        "version": version,
        "instance_name": f"concat(${{{HOUSEHOLD}}}, ' — ', ${{{REVIEW_DATE}}})",
        "allow_choice_duplicates": "no",
    }
    data = _workbook(survey, choices, settings)
    try:
        result = convert(xlsform=io.BytesIO(data), file_type=".xlsx", validate=False)
    except PyXFormError as exc:
        raise FormNotValid(str(exc)) from exc
    return PhoneForm(form_id, title, version, data, result.xform)


Row = dict[str, str]


@dataclass
class ChoiceLists:
    """The `choices` sheet, list by list."""

    rows: list[Row]

    def add(self, name: str, options: Sequence[tuple[str, str]]) -> str:
        self.rows.extend(
            {"list_name": name, "name": c, "label": lb} for c, lb in options
        )
        return name


def _survey(
    households: Sequence[HouseholdChoice], questions: Questions, marks: Sequence[str]
) -> tuple[list[Row], list[Row]]:
    survey: list[Row] = [
        {"type": "start", "name": "start"},
        {"type": "end", "name": "end"},
    ]
    choices = ChoiceLists([])
    yes_no = choices.add("co_khong", [(YES, "Có"), (NO, "Không")])
    for index, mark in enumerate(marks):
        survey.append({"type": "note", "name": f"luu_y_{index}", "label": f"⚠ {mark}"})
    survey += [
        {
            "type": "select_one "
            + choices.add("ho", [(h.code, h.label) for h in households]),
            "name": HOUSEHOLD,
            "label": "Hộ được rà soát",
            "hint": "Gõ mã hộ hoặc tên chủ hộ để tìm.",
            "required": "yes",
            "appearance": "autocomplete",
        },
        {
            "type": "date",
            "name": REVIEW_DATE,
            "label": "Ngày rà soát",
            "required": "yes",
            "default": "today()",
            "constraint": ". <= today()",
            "constraint_message": "Ngày rà soát không được ở tương lai.",
        },
        {
            "type": "text",
            "name": REVIEWER,
            "label": "Họ tên rà soát viên",
            "required": "yes",
        },
    ]
    survey += _phieu_a(questions, yes_no)
    goes_on = f"${{{SCREEN_RESULT}}} = '{CONTINUE}'" if questions.phieu_a else ""
    survey += _phieu_b1(questions, goes_on, choices)
    survey += _phieu_b2(goes_on, yes_no, choices)
    survey.append(
        {"type": "text", "name": NOTE, "label": "Ghi chú", "appearance": "multiline"}
    )
    return survey, choices.rows


def _phieu_a(questions: Questions, yes_no: str) -> list[Row]:
    screen = questions.phieu_a
    if screen is None:
        return []
    rows: list[Row] = [
        {"type": "begin_group", "name": "phieu_a", "label": screen.name},
    ]
    if screen.mark:
        rows.append(
            {"type": "note", "name": "phieu_a_mau", "label": f"⚠ {screen.mark}"}
        )
    stops: list[str] = []
    for group in screen.groups:
        rows.append(
            {"type": "note", "name": f"nhom_{group.code}", "label": group.title}
        )
        ticks: list[str] = []
        for question in group.questions:
            name = f"{SCREEN_PREFIX}{question.code}"
            rows.append(
                {
                    "type": f"select_one {yes_no}",
                    "name": name,
                    "label": question.text,
                    "required": "yes",
                    "appearance": "horizontal",
                }
            )
            ticks.append(f"if(${{{name}}} = '{YES}', 1, 0)")
        stops.append(f"({' + '.join(ticks)}) >= {group.stop_at}")
    rows += [
        {
            "type": "calculate",
            "name": SCREEN_RESULT,
            "calculation": f"if({' or '.join(stops)}, '{SCREENED_OUT}', '{CONTINUE}')",
        },
        {
            "type": "note",
            "name": "phieu_a_dung",
            "label": "Hộ có đặc điểm dừng rà soát: không lập Phiếu B.",
            "relevance": f"${{{SCREEN_RESULT}}} = '{SCREENED_OUT}'",
        },
        {"type": "end_group", "name": "phieu_a"},
    ]
    return rows


def _phieu_b1(questions: Questions, goes_on: str, choices: ChoiceLists) -> list[Row]:
    rows: list[Row] = [
        {
            "type": "begin_group",
            "name": "phieu_b1",
            "label": "Phiếu B1 — Thu nhập ước tính bằng điểm",
            "relevance": goes_on,
        }
    ]
    if not questions.b1_items:
        # No points table for the commune: the income is asked instead.
        rows += [
            {"type": "note", "name": "b1_chua_co_bang", "label": questions.b1_missing},
            {
                "type": "integer",
                "name": INCOME,
                "label": "Thu nhập bình quân (đồng/người/tháng)",
                "required": "yes",
                "constraint": ". >= 0",
                "constraint_message": "Thu nhập không được âm.",
            },
            {"type": "end_group", "name": "phieu_b1"},
        ]
        return rows
    if questions.b1_mark:
        rows.append(
            {"type": "note", "name": "b1_mau", "label": f"⚠ {questions.b1_mark}"}
        )
    points: list[str] = []
    for number, item in enumerate(questions.b1_items, start=1):
        name = f"{B1_PREFIX}{item.code}"
        list_name = choices.add(
            f"b1_{item.code}", [(a.code, a.label) for a in item.answers]
        )
        rows.append(
            {
                "type": f"select_one {list_name}",
                "name": name,
                "label": f"{number}. {item.question}",
                "required": "yes",
            }
        )
        chain = "0"
        for answer in reversed(item.answers):
            chain = f"if(${{{name}}} = '{answer.code}', {answer.points}, {chain})"
        points.append(chain)
    line = questions.b1_line
    rows += [
        {"type": "calculate", "name": B1_SCORE, "calculation": " + ".join(points)},
        {
            "type": "note",
            "name": "b1_tong",
            "label": f"Tổng điểm B1: ${{{B1_SCORE}}}"
            + (f" (ngưỡng: từ {line} điểm trở xuống)" if line else ""),
        },
        {"type": "end_group", "name": "phieu_b1"},
    ]
    return rows


def _phieu_b2(goes_on: str, yes_no: str, choices: ChoiceLists) -> list[Row]:
    water = choices.add("nguon_nuoc", [(c, lb) for c, lb, _ in WATER_SOURCES])
    latrine = choices.add("nha_tieu", [(c, lb) for c, lb, _ in LATRINE_TYPES])
    devices = choices.add("thiet_bi", list(INFORMATION_DEVICES))
    indicators = choices.add("chi_so", [(i.slug, i.name) for i in INDICATORS])
    rows: list[Row] = [
        {
            "type": "begin_group",
            "name": "phieu_b2",
            "label": "Phiếu B2 — Mức độ thiếu hụt dịch vụ xã hội cơ bản",
            "relevance": goes_on,
        },
        {
            "type": "decimal",
            "name": FLOOR_AREA,
            "label": "Diện tích nhà ở (m²)",
            "required": "yes",
            "constraint": ". >= 0 and . < 10000",
            "constraint_message": "Diện tích từ 0 đến dưới 10.000 m².",
        },
    ]
    for name, _ in STRUCTURES:
        rows.append(
            {
                "type": f"select_one {yes_no}",
                "name": name,
                "label": STRUCTURE_QUESTIONS[name],
                "required": "yes",
                "appearance": "horizontal",
            }
        )
    rows += [
        {
            "type": f"select_one {water}",
            "name": "water_source",
            "label": "Nguồn nước sinh hoạt chính",
            "required": "yes",
        },
        {
            "type": f"select_one {latrine}",
            "name": "latrine_type",
            "label": "Loại nhà tiêu",
            "required": "yes",
        },
        {
            "type": f"select_one {yes_no}",
            "name": "uses_internet",
            "label": "Có thành viên sử dụng dịch vụ internet?",
            "required": "yes",
            "appearance": "horizontal",
        },
        {
            "type": f"select_multiple {devices}",
            "name": "information_devices",
            "label": "Thiết bị tiếp cận thông tin hộ đang có",
            "hint": "Bỏ trống nếu không có thiết bị nào.",
        },
        {
            "type": f"select_one {yes_no}",
            "name": "hears_loudspeaker",
            "label": "Hộ nghe được loa truyền thanh của xã, thôn?",
            "required": "yes",
            "appearance": "horizontal",
        },
        {
            "type": f"select_multiple {indicators}",
            "name": DEPRIVED,
            "label": "Các chỉ số hộ thiếu hụt (theo đánh giá của rà soát viên)",
            "hint": "Khi nhập vào hệ thống, các chỉ số tính được từ nhân khẩu và "
            "thông tin trên được đối chiếu; chỉ số khác với thông tin phải có ghi chú.",
        },
        {"type": "end_group", "name": "phieu_b2"},
    ]
    return rows


def _workbook(survey: list[Row], choices: list[Row], settings: dict[str, str]) -> bytes:
    book = Workbook()
    sheets = (
        ("survey", SURVEY_COLUMNS, survey),
        ("choices", ("list_name", "name", "label"), choices),
        ("settings", tuple(settings), [settings]),
    )
    first = True
    for title, columns, rows in sheets:
        sheet = book.active if first else book.create_sheet()
        first = False
        assert sheet is not None
        sheet.title = title
        sheet.append(list(columns))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            # Every cell is text (`data_type = "s"`): a label starting with "="
            # stays a label, never a spreadsheet formula.
            sheet.append([row.get(column, "") for column in columns])
            for cell in sheet[sheet.max_row]:
                if cell.value is not None:
                    cell.data_type = "s"
        sheet.freeze_panes = "A2"
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def form_version(on: date, table_id: int | None) -> str:
    """ODK needs a new version whenever the form changes: the day it was made and
    the points table it carries."""
    return f"{on:%Y%m%d}" + (f"-{table_id}" if table_id else "")
