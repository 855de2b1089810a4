"""Importing a register workbook: matching, the plan, new reviews, the log, the
command. The bad files are tests/households/test_register_bad_files.py."""

from __future__ import annotations

from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from giamngheo.models import User
from households.models import Household, ImportLog, Review
from households.register_import import ImportResult, import_register
from tests.conftest import make_review
from tests.households.register_files import edited, export_of, set_cell


def run(
    data: bytes, household: Household, by: User | None, *, dry_run: bool = False
) -> ImportResult:
    return import_register(
        BytesIO(data),
        file_name="so-ho.xlsx",
        size=len(data),
        commune=household.commune,
        by=by,
        dry_run=dry_run,
    )


@pytest.fixture
def register(household_a1: Household, household_a2: Household) -> list[Household]:
    head = household_a1.members.get()
    head.id_number = "038080001234"
    head.save()
    make_review(
        household_a1, income=1_200_000, deprived=("chat_luong_nha_o",), note="Nhà tạm"
    )
    make_review(household_a2, income=2_500_000)
    return [household_a1, household_a2]


def test_the_export_imported_back_changes_nothing(
    register: list[Household], officer: User
) -> None:
    data = export_of(register[0].commune)
    result = run(data, register[0], officer, dry_run=True)
    assert result.summary.startswith("0 mới, 0 thay đổi, 2 không đổi, 0 lưu trữ")
    result = run(data, register[0], officer)
    assert result.count("unchanged") == 2
    assert result.new_reviews == 0
    assert Review.objects.count() == 2


def test_a_changed_income_is_one_new_review_and_a_second_import_changes_nothing(
    register: list[Household], officer: User
) -> None:
    household = register[0]
    first = Review.objects.get(household=household)

    def income(workbook: object) -> None:
        set_cell(workbook["Rà soát"], 3, "thu_nhap", "1.900.000")  # type: ignore[index]

    data = edited(export_of(household.commune), income)
    plan = run(data, household, officer, dry_run=True)
    assert (plan.count("changed"), plan.new_reviews) == (1, 1)
    assert Review.objects.count() == 2  # the dry run wrote nothing

    result = run(data, household, officer)

    assert result.new_reviews == 1
    new = household.reviews.exclude(pk=first.pk).get()
    assert new.income_per_person_month == 1_900_000
    assert new.recorded_by == officer
    first.refresh_from_db()
    assert first.income_per_person_month == 1_200_000  # never overwritten
    log = ImportLog.objects.get()
    assert (log.changed, log.unchanged, log.reviews) == (1, 1, 1)
    assert len(log.sha256) == 64
    assert list(household.import_logs.all()) == [log]
    again = run(data, household, officer)
    assert (again.count("unchanged"), again.new_reviews) == (2, 0)


def test_a_new_household_with_its_member_is_created(
    register: list[Household], officer: User
) -> None:
    def add(workbook: object) -> None:
        households, members = workbook["Hộ"], workbook["Nhân khẩu"]  # type: ignore[index]
        for code, value in {
            "ma_ho": "CN-01-0099",
            "thon": "Làng Chiềng",
            "dan_toc": "Mường",
            "ngay_vao_so": "05/03/2021",
        }.items():
            set_cell(households, 5, code, value)
        for code, value in {
            "ma_ho": "CN-01-0099",
            "ho_ten": "Quách  Văn Tới",
            "quan_he": "Chủ hộ",
            "gioi_tinh": "Nam",
            "nam_sinh": 1975,
            "dan_toc": "Mường",
            "cccd": "038075009999",
            "trinh_do": "Tiểu học",
            "viec_lam": "Tự làm (nông nghiệp, kinh doanh)",
        }.items():
            set_cell(members, 5, code, value)

    result = run(edited(export_of(register[0].commune), add), register[0], officer)

    assert result.count("new") == 1
    household = Household.objects.get(code="CN-01-0099")
    assert household.registered_on == date(2021, 3, 5)
    assert household.head_name == "Quách Văn Tới"
    assert household.members.get().id_number == "038075009999"


def test_a_household_whose_code_changed_is_matched_by_its_heads_cccd(
    register: list[Household], officer: User
) -> None:
    household = register[0]

    def recode(workbook: object) -> None:
        for sheet in ("Hộ", "Nhân khẩu", "Rà soát"):
            set_cell(workbook[sheet], 3, "ma_ho", "CN-01-0500")  # type: ignore[index]

    result = run(edited(export_of(household.commune), recode), household, officer)

    assert (result.count("new"), result.count("changed")) == (0, 1)
    household.refresh_from_db()
    assert household.code == "CN-01-0500"
    assert household.reviews.count() == 1


def test_a_household_archived_in_the_file_is_archived(
    register: list[Household], officer: User
) -> None:
    def archive(workbook: object) -> None:
        set_cell(workbook["Hộ"], 4, "ngay_luu_tru", "01/06/2024")  # type: ignore[index]
        set_cell(workbook["Hộ"], 4, "ly_do_luu_tru", "Chuyển đi nơi khác")  # type: ignore[index]

    result = run(edited(export_of(register[0].commune), archive), register[0], officer)

    assert result.count("archived") == 1
    register[1].refresh_from_db()
    assert register[1].archived_on == date(2024, 6, 1)


def test_a_removed_member_and_a_changed_name_are_listed(
    register: list[Household], officer: User
) -> None:
    def rename(workbook: object) -> None:
        set_cell(
            workbook["Nhân khẩu"],
            3,
            "ho_ten",
            "Bùi Văn Hùng Anh",
        )  # type: ignore[index]

    # Matched by CCCD, so the new name is a change of the same member.
    result = run(
        edited(export_of(register[0].commune), rename),
        register[0],
        officer,
        dry_run=True,
    )
    (plan,) = result.changed_plans
    assert plan.changes == [
        "Nhân khẩu Bùi Văn Hùng: Họ và tên: Bùi Văn Hùng → Bùi Văn Hùng Anh"
    ]


def test_command_prints_the_counts_and_a_dry_run_writes_nothing(
    register: list[Household], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "so-ho.xlsx"
    path.write_bytes(export_of(register[0].commune))
    call_command("import_register", str(path), commune="a", dry_run=True)
    assert "0 mới, 0 thay đổi, 2 không đổi" in capsys.readouterr().out
    assert not ImportLog.objects.exists()
    call_command("import_register", str(path), commune="a")
    assert ImportLog.objects.get().imported_by is None


def test_command_refuses_a_bad_file_with_its_errors(
    register: list[Household], tmp_path: Path
) -> None:
    path = tmp_path / "so-ho.xlsx"

    def bad(workbook: object) -> None:
        set_cell(workbook["Nhân khẩu"], 3, "cccd", "03808000123")  # type: ignore[index]

    path.write_bytes(edited(export_of(register[0].commune), bad))
    with pytest.raises(CommandError, match="12 chữ số"):
        call_command("import_register", str(path), commune="a")
    assert not ImportLog.objects.exists()


def test_text_as_the_forms_store_it_reads_back_unchanged(
    register: list[Household], officer: User
) -> None:
    review = register[0].reviews.get()
    review.note = "Nhà tạm,\r\nmái dột"
    review.save()

    def spaced_name(workbook: object) -> None:
        set_cell(workbook["Nhân khẩu"], 3, "ho_ten", " Bùi  Văn Hùng ")  # type: ignore[index]

    data = edited(export_of(register[0].commune), spaced_name)
    result = run(data, register[0], officer, dry_run=True)
    assert (result.count("unchanged"), result.new_reviews) == (2, 0)
