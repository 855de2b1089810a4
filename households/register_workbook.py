"""The register workbook: the layout of the Excel file the register goes out to and
comes back from, as data, and its writer.

Three sheets — Hộ, Nhân khẩu, Rà soát (the review in force, with its facts) — each
with a line of Vietnamese headers, then a line of column codes (stable machine names:
the import reads the columns by these codes, so a reordered file still reads), then one
line per household, member or review. A column says its kind (how a cell is written
and read back), whether it is required and, for a coded field, its choices: the labels
of the models' TextChoices, offered as a drop-down list from the hidden sheet
"Danh mục". Identity numbers (household code, CCCD, BHYT card) are text cells, so that
Excel never shows 1.2E+11 nor drops a leading 0; dates are dd/mm/yyyy.

`households/register_file.py` reads the same layout back.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from io import BytesIO
from typing import Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from households import clock
from households.indicators import INFORMATION_DEVICES, LATRINE_TYPES, WATER_SOURCES
from households.models import (
    ArchiveReason,
    Commune,
    EducationLevel,
    Employment,
    Ethnicity,
    FarmLivelihood,
    Household,
    HouseholdQuerySet,
    Member,
    PovertyCause,
    Relationship,
    Review,
    ReviewKind,
    Sex,
    Village,
)
from households.poverty import INDICATORS, PovertyStatus
from households.spreadsheet_cells import DATE, TEXT, write_cell

HEADER_ROW = 1
CODE_ROW = 2
FIRST_DATA_ROW = 3
LISTS_SHEET = "Danh mục"
INFO_SHEET = "Thông tin"
# "Không có phương tiện nào": the household has none (an empty cell: not recorded).
NO_DEVICE_LABEL = "Không có phương tiện nào"
LIST_SEPARATOR = ";"

# Progress of a long file, for the page that waits on it (jobs.running.Progress):
# called as `report("Đang đọc trang “Hộ”, dòng", 3200, 10000)`, as often as it likes.
Report = Callable[[str, int, int | None], None]


def no_report(phase: str, done: int, total: int | None) -> None:
    """Nobody waits on this reading or writing (a test, the command)."""


class Kind(StrEnum):
    TEXT = "text"
    IDENTITY = "identity"  # digits kept as text: codes, CCCD, BHYT
    DATE = "date"
    YEAR = "year"
    MONEY = "money"  # whole đồng
    COUNT = "count"  # a whole number (B1 score)
    DECIMAL = "decimal"
    YES_NO = "yes_no"  # Có / Không, empty is Không
    FACT = "fact"  # two labelled answers, empty is "not recorded"
    CHOICE = "choice"
    CHOICES = "choices"  # several labels separated by ";"
    VILLAGE = "village"  # one of the commune's villages, by name
    READ_ONLY = "read_only"  # written for the reader, ignored on import


YES_NO = (("true", "Có"), ("false", "Không"))


@dataclass(frozen=True)
class Column:
    code: str
    header: str
    kind: Kind
    field: str = ""  # the model field (and form field) it holds
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()  # (stored value, label)
    width: float = 14

    def label_of(self, value: Any) -> str | None:
        if value in (None, ""):
            return None
        key = str(value).lower() if isinstance(value, bool) else str(value)
        return next((label for v, label in self.choices if v == key), str(value))


@dataclass(frozen=True)
class SheetLayout:
    title: str
    columns: tuple[Column, ...]

    def column(self, code: str) -> Column:
        return next(c for c in self.columns if c.code == code)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.columns)


def _choices(choices: Any) -> tuple[tuple[str, str], ...]:
    return tuple((str(v), str(label)) for v, label in choices if v != "")


def _fact(yes: str, no: str) -> tuple[tuple[str, str], ...]:
    return (("true", yes), ("false", no))


HOUSEHOLD_CODE = Column("ma_ho", "Mã hộ", Kind.IDENTITY, "code", True, width=14)

HOUSEHOLDS = SheetLayout(
    "Hộ",
    (
        HOUSEHOLD_CODE,
        Column("thon", "Thôn, làng", Kind.VILLAGE, "village", True, width=18),
        Column("dia_chi", "Địa chỉ", Kind.TEXT, "address", width=22),
        Column(
            "dan_toc",
            "Dân tộc của hộ",
            Kind.CHOICE,
            "ethnicity",
            True,
            _choices(Ethnicity.choices),
        ),
        Column("ngay_vao_so", "Ngày vào sổ hộ", Kind.DATE, "registered_on", True),
        Column(
            "nguoi_co_cong",
            "Hộ có người có công",
            Kind.YES_NO,
            "has_meritorious_person",
            choices=YES_NO,
        ),
        Column(
            "khong_kha_nang_lao_dong",
            "Hộ không có khả năng lao động",
            Kind.YES_NO,
            "no_labour_capacity",
            choices=YES_NO,
        ),
        Column(
            "nong_lam_ngu_diem",
            "Hộ làm nông, lâm, ngư, diêm nghiệp",
            Kind.CHOICE,
            "farm_livelihood",
            choices=_choices(FarmLivelihood.choices),
            width=18,
        ),
        Column("ngay_luu_tru", "Ngày lưu trữ", Kind.DATE, "archived_on"),
        Column(
            "ly_do_luu_tru",
            "Lý do lưu trữ",
            Kind.CHOICE,
            "archive_reason",
            choices=_choices(ArchiveReason.choices),
            width=18,
        ),
        Column("ghi_chu_luu_tru", "Ghi chú lưu trữ", Kind.TEXT, "archive_note"),
    ),
)

MEMBERS = SheetLayout(
    "Nhân khẩu",
    (
        HOUSEHOLD_CODE,
        Column("ho_ten", "Họ và tên", Kind.TEXT, "full_name", True, width=22),
        Column(
            "quan_he",
            "Quan hệ với chủ hộ",
            Kind.CHOICE,
            "relationship",
            True,
            _choices(Relationship.choices),
        ),
        Column(
            "gioi_tinh", "Giới tính", Kind.CHOICE, "sex", True, _choices(Sex.choices)
        ),
        Column("nam_sinh", "Năm sinh", Kind.YEAR, "birth_year", True, width=10),
        Column("ngay_sinh", "Ngày sinh", Kind.DATE, "birth_date"),
        Column(
            "dan_toc",
            "Dân tộc",
            Kind.CHOICE,
            "ethnicity",
            True,
            _choices(Ethnicity.choices),
        ),
        Column("cccd", "Số CCCD/định danh", Kind.IDENTITY, "id_number", width=16),
        Column(
            "co_bhyt",
            "Có thẻ BHYT",
            Kind.YES_NO,
            "has_health_insurance",
            choices=YES_NO,
        ),
        Column(
            "so_the_bhyt",
            "Số thẻ BHYT",
            Kind.IDENTITY,
            "health_insurance_number",
            width=18,
        ),
        Column(
            "han_the_bhyt",
            "Thẻ BHYT hết hạn ngày",
            Kind.DATE,
            "health_insurance_expiry",
        ),
        Column(
            "di_hoc",
            "Đang đi học (trẻ 3–15 tuổi)",
            Kind.FACT,
            "attends_school",
            choices=_fact("Có đi học", "Không đi học"),
        ),
        Column(
            "trinh_do",
            "Trình độ học vấn",
            Kind.CHOICE,
            "education_level",
            True,
            _choices(EducationLevel.choices),
            width=20,
        ),
        Column(
            "viec_lam",
            "Việc làm",
            Kind.CHOICE,
            "employment",
            True,
            _choices(Employment.choices),
            width=20,
        ),
        Column(
            "khuyet_tat", "Khuyết tật", Kind.YES_NO, "has_disability", choices=YES_NO
        ),
        Column(
            "tro_cap_xa_hoi",
            "Hưởng trợ cấp xã hội hằng tháng",
            Kind.YES_NO,
            "receives_social_allowance",
            choices=YES_NO,
        ),
        Column(
            "thap_coi",
            "Suy dinh dưỡng thể thấp còi",
            Kind.YES_NO,
            "stunted",
            choices=YES_NO,
        ),
        Column(
            "nhe_can",
            "Suy dinh dưỡng thể nhẹ cân",
            Kind.YES_NO,
            "underweight",
            choices=YES_NO,
        ),
    ),
)

DURABLE = _fact("Bền chắc", "Không bền chắc")

REVIEWS = SheetLayout(
    "Rà soát",
    (
        HOUSEHOLD_CODE,
        Column("ngay_ra_soat", "Ngày rà soát", Kind.DATE, "review_date", True),
        Column(
            "loai",
            "Loại rà soát",
            Kind.CHOICE,
            "kind",
            True,
            _choices(ReviewKind.choices),
            width=20,
        ),
        Column(
            "ra_soat_vien", "Rà soát viên", Kind.TEXT, "reviewer_name", True, width=20
        ),
        Column(
            "thu_nhap",
            "Thu nhập bình quân (đồng/người/tháng)",
            Kind.MONEY,
            "income_per_person_month",
            width=16,
        ),
        Column("diem_b1", "Tổng điểm Phiếu B1", Kind.COUNT, "b1_score", width=10),
        Column(
            "dien_tich_nha",
            "Diện tích nhà ở (m²)",
            Kind.DECIMAL,
            "floor_area_m2",
            width=10,
        ),
        Column("tuong", "Vật liệu tường", Kind.FACT, "wall_durable", choices=DURABLE),
        Column(
            "cot", "Vật liệu cột (khung)", Kind.FACT, "frame_durable", choices=DURABLE
        ),
        Column("mai", "Vật liệu mái", Kind.FACT, "roof_durable", choices=DURABLE),
        Column(
            "nguon_nuoc",
            "Nguồn nước sinh hoạt chính",
            Kind.CHOICE,
            "water_source",
            choices=tuple((c, label) for c, label, _ in WATER_SOURCES),
            width=20,
        ),
        Column(
            "nha_tieu",
            "Loại nhà tiêu",
            Kind.CHOICE,
            "latrine_type",
            choices=tuple((c, label) for c, label, _ in LATRINE_TYPES),
            width=20,
        ),
        Column(
            "internet",
            "Có thành viên sử dụng internet",
            Kind.FACT,
            "uses_internet",
            choices=_fact("Có", "Không"),
        ),
        Column(
            "phuong_tien",
            "Phương tiện tiếp cận thông tin hộ có (cách nhau bằng ;)",
            Kind.CHOICES,
            "information_devices",
            choices=tuple(INFORMATION_DEVICES),
            width=24,
        ),
        Column(
            "loa",
            "Nghe được loa truyền thanh xã, thôn",
            Kind.FACT,
            "hears_loudspeaker",
            choices=_fact("Nghe được", "Không nghe được"),
        ),
        *(
            Column(i.slug, f"Thiếu hụt: {i.name}", Kind.YES_NO, i.slug, choices=YES_NO)
            for i in INDICATORS
        ),
        Column(
            "nguyen_nhan",
            "Nguyên nhân nghèo (cách nhau bằng ;)",
            Kind.CHOICES,
            "poverty_causes",
            choices=_choices(PovertyCause.choices),
            width=24,
        ),
        Column("ghi_chu", "Ghi chú", Kind.TEXT, "note", width=24),
        Column(
            "ket_qua",
            "Kết quả phân loại (chỉ để đọc)",
            Kind.READ_ONLY,
            "status",
            choices=_choices(PovertyStatus.choices),
            width=16,
        ),
    ),
)

SHEETS: tuple[SheetLayout, ...] = (HOUSEHOLDS, MEMBERS, REVIEWS)


# --- Writing ------------------------------------------------------------------------


def cell_value(column: Column, obj: Any) -> object:
    """What the cell of `column` holds for a household, member or review."""
    if column is HOUSEHOLD_CODE and not isinstance(obj, Household):
        return obj.household.code
    raw = getattr(obj, column.field)
    if column.kind == Kind.VILLAGE:
        return raw.name
    if column.kind in (Kind.TEXT, Kind.IDENTITY):
        return raw or None
    if column.kind == Kind.DECIMAL:
        return None if raw is None else Decimal(raw)
    if column.kind in (Kind.DATE, Kind.YEAR, Kind.MONEY, Kind.COUNT):
        return raw
    if column.kind == Kind.CHOICES:
        if raw is None:
            return None
        if column.field == "information_devices" and raw == []:
            return NO_DEVICE_LABEL
        return (
            f"{LIST_SEPARATOR} ".join(
                label for code, label in column.choices if code in raw
            )
            or None
        )
    return column.label_of(raw)


def _list_values(column: Column, villages: Sequence[Village]) -> list[str]:
    if column.kind == Kind.VILLAGE:
        return [v.name for v in villages]
    return [label for _, label in column.choices]


def _write_lists(
    workbook: Workbook, villages: Sequence[Village]
) -> dict[tuple[str, str], str]:
    """The hidden sheet of drop-down lists; the range of each column's list."""
    sheet = workbook.create_sheet(LISTS_SHEET)
    ranges: dict[tuple[str, str], str] = {}
    index = 0
    for layout in SHEETS:
        for column in layout.columns:
            if column.kind not in (Kind.CHOICE, Kind.YES_NO, Kind.FACT, Kind.VILLAGE):
                continue
            values = _list_values(column, villages)
            if not values:
                continue
            index += 1
            letter = get_column_letter(index)
            write_cell(
                sheet.cell(row=1, column=index), f"{layout.title}: {column.code}"
            )
            for row, value in enumerate(values, start=2):
                write_cell(sheet.cell(row=row, column=index), value)
            ranges[(layout.title, column.code)] = (
                f"'{LISTS_SHEET}'!${letter}$2:${letter}${len(values) + 1}"
            )
    sheet.sheet_state = "hidden"
    return ranges


def _write_sheet(
    workbook: Workbook,
    layout: SheetLayout,
    rows: Sequence[Any],
    lists: dict[tuple[str, str], str],
    report: Report = no_report,
) -> None:
    sheet = workbook.create_sheet(layout.title)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="EEF2F6")
    wrap = Alignment(wrap_text=True, vertical="center")
    for index, column in enumerate(layout.columns, start=1):
        letter = get_column_letter(index)
        header = sheet.cell(row=HEADER_ROW, column=index)
        write_cell(header, column.header + (" (*)" if column.required else ""))
        header.font, header.fill, header.alignment = bold, fill, wrap
        code = sheet.cell(row=CODE_ROW, column=index)
        write_cell(code, column.code)
        code.font = Font(italic=True, color="666666")
        dimension = sheet.column_dimensions[letter]
        dimension.width = column.width
        if column.kind == Kind.IDENTITY:
            dimension.number_format = TEXT  # a value typed later stays text
        elif column.kind == Kind.DATE:
            dimension.number_format = DATE
        if (layout.title, column.code) in lists:
            validation = DataValidation(
                type="list",
                formula1=lists[(layout.title, column.code)],
                allow_blank=not column.required,
                showErrorMessage=True,
                errorTitle="Giá trị không có trong danh mục",
                error=f"Chọn {column.header.lower()} trong danh sách.",
            )
            validation.add(f"{letter}{FIRST_DATA_ROW}:{letter}1048576")
            sheet.add_data_validation(validation)
    phase = f"Đang ghi trang “{layout.title}”, dòng"
    for number, obj in enumerate(rows, start=FIRST_DATA_ROW):
        for index, column in enumerate(layout.columns, start=1):
            cell = sheet.cell(row=number, column=index)
            value = cell_value(column, obj)
            write_cell(cell, value, TEXT if column.kind == Kind.IDENTITY else None)
        report(phase, number - FIRST_DATA_ROW + 1, len(rows))
    sheet.freeze_panes = sheet.cell(row=FIRST_DATA_ROW, column=2)
    sheet.row_dimensions[HEADER_ROW].height = 45


@dataclass(frozen=True)
class ExportScope:
    commune_code: str
    commune_name: str
    scope: str  # "Toàn xã" or the village's name
    exported_by: str
    exported_at: datetime
    in_force_on: date


def register_workbook_bytes(
    households: Sequence[Household],
    members: Sequence[Member],
    reviews: Sequence[Review],
    *,
    villages: Sequence[Village],
    scope: ExportScope,
    report: Report = no_report,
) -> bytes:
    """The workbook of these rows, in the layout above; `report` hears the rows
    written (a background job's progress)."""
    workbook = Workbook()
    default = workbook.active
    lists = _write_lists(workbook, villages)
    _write_sheet(workbook, HOUSEHOLDS, households, lists, report)
    _write_sheet(workbook, MEMBERS, members, lists, report)
    _write_sheet(workbook, REVIEWS, reviews, lists, report)
    info = workbook.create_sheet(INFO_SHEET)
    lines: list[tuple[str, object]] = [
        ("Mã xã", scope.commune_code),
        ("Xã", scope.commune_name),
        ("Phạm vi", scope.scope),
        ("Người xuất", scope.exported_by),
        ("Thời gian xuất", scope.exported_at),
        ("Phiếu rà soát có hiệu lực ngày", scope.in_force_on),
        (
            "Cách dùng",
            "Dòng 2 là mã cột: giữ nguyên. Mỗi dòng một hộ, một nhân khẩu, một phiếu "
            "rà soát; ô có dấu (*) bắt buộc. Sửa thu nhập hay chỉ số là ghi một phiếu "
            "rà soát mới (ghi ngày rà soát mới), phiếu cũ được giữ nguyên.",
        ),
    ]
    for row, (label, value) in enumerate(lines, start=1):
        write_cell(info.cell(row=row, column=1), label)
        info.cell(row=row, column=1).font = Font(bold=True)
        write_cell(info.cell(row=row, column=2), value)
    info.column_dimensions["A"].width = 30
    info.column_dimensions["B"].width = 80
    if default is not None:
        workbook.remove(default)
    # Hộ first: the sheet a person opens on.
    workbook.move_sheet(LISTS_SHEET, offset=len(workbook.sheetnames))
    workbook.active = workbook.sheetnames.index(HOUSEHOLDS.title)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_register(
    households: HouseholdQuerySet,
    *,
    commune: Commune,
    village: Village | None,
    exported_by: str,
    report: Report = no_report,
) -> bytes:
    """The workbook of these households (archived ones too, with their date), their
    members and each one's review in force today."""
    today = clock.today()
    rows = list(
        households.select_related("village").order_by("village__position", "code")
    )
    members = list(
        Member.objects.filter(household__in=rows)
        .select_related("household")
        .order_by("household__village__position", "household__code", "pk")
    )
    in_force: dict[int, Review] = {}
    for review in (
        Review.objects.in_force_on(today)
        .filter(household__in=rows)
        .select_related("household")
    ):
        in_force.setdefault(review.household_id, review)  # the one in force first
    reviews = [in_force[h.pk] for h in rows if h.pk in in_force]
    villages = list(commune.villages.order_by("position", "name"))
    return register_workbook_bytes(
        rows,
        members,
        reviews,
        villages=villages,
        scope=ExportScope(
            commune_code=commune.code,
            commune_name=commune.name,
            scope=village.name if village else "Toàn xã",
            exported_by=exported_by,
            exported_at=timezone.localtime(clock.now()),
            in_force_on=today,
        ),
        report=report,
    )
