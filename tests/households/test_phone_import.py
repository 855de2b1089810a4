"""The phones' submissions into the round (issue 11, item 5): the export of the
village's phone form, as KoBoToolbox and ODK Central give it, goes through the
review form's rules, all or nothing, and a second import records nothing."""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from giamngheo.models import User
from households.models import (
    Household,
    ImportKind,
    ImportLog,
    PovertyStatus,
    Review,
    ReviewRound,
    Village,
)
from households.phone_import import (
    ALREADY,
    REJECTED,
    REVIEWED,
    SCREENED_OUT,
    import_submissions,
)
from households.phone_submissions import field_name
from households.regions import Region
from households.register_file import RegisterFileError
from households.survey_actions import load_points_file
from households.survey_questions import questions_for
from households.surveys import QuickScreen, QuickScreenResult
from jobs.models import Job
from tests.conftest import make_household, make_review
from tests.households.bad_files import counted_bad_file
from tests.households.phone_exports import form_fields, kobo_xlsx, odk_csv, odk_zip
from tests.households.test_scope import database_state

VN = ZoneInfo("Asia/Ho_Chi_Minh")
SAMPLE = Path(__file__).resolve().parents[2] / "households/data/bang-diem-b1-mau.xlsx"
POOR = ("viec_lam", "chat_luong_nha_o", "nguon_nuoc_sinh_hoat")

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_2024(time_machine: Any, household_a1: Household) -> ReviewRound:
    time_machine.move_to(datetime(2024, 10, 20, 9, tzinfo=VN), tick=False)
    commune = household_a1.commune
    commune.region = Region.NORTH_CENTRAL_COAST
    commune.save()
    with SAMPLE.open("rb") as stream:
        load_points_file(stream)
    household_a1.registered_on = date(2015, 1, 1)
    household_a1.save()
    make_review(household_a1, deprived=POOR, on=date(2023, 11, 20))
    make_household(household_a1.village, "CN-01-0002", "Quách Thị Mai")
    return ReviewRound.objects.create(
        commune=commune, year=2024, opened_on=date(2024, 9, 1)
    )


@pytest.fixture
def phone_form(
    client: Client, officer: User, round_2024: ReviewRound, village_a1: Village
) -> bytes:
    """The village's form, as the officer downloads it for the phones."""
    client.force_login(officer)
    response = client.get(reverse("households:phone_form", args=[2024, village_a1.pk]))
    assert response.status_code == 200
    return response.content


def reviewed(round_2024: ReviewRound, **changes: str) -> dict[str, str]:
    """CN-01-0001 as the enumerator records it: Phiếu A lets it go on; the lowest
    answer of every B1 question; a poor dwelling."""
    questions = questions_for(round_2024.commune, round_2024.opened_on)
    assert questions.phieu_a is not None
    answers = {
        f"b1__{item.code}": min(item.answers, key=lambda a: a.points)
        for item in questions.b1_items
    }
    submission = {
        "instanceID": "uuid:0b5c7a8e-0001",
        "ma_ho": "CN-01-0001",
        "review_date": "2024-10-15",
        "reviewer_name": "Bùi Văn Thắng",
        **{f"a_{q.code}": "khong" for q in questions.phieu_a.questions},
        "ket_qua_phieu_a": "continue",
        **{name: answer.code for name, answer in answers.items()},
        "b1_score": str(sum(a.points for a in answers.values())),
        "floor_area_m2": "24.5",
        "wall_durable": "khong",
        "frame_durable": "co",
        "roof_durable": "co",
        "water_source": "unprotected_dug_well",
        "latrine_type": "simple_pit",
        "uses_internet": "khong",
        "information_devices": "phone radio",
        "hears_loudspeaker": "co",
        "chi_so_thieu_hut": "viec_lam chat_luong_nha_o nguon_nuoc_sinh_hoat "
        "nha_tieu_hop_ve_sinh su_dung_dich_vu_vien_thong",
        "note": "Hộ làm nông, thu nhập thấp.",
    }
    return submission | changes


def screened(round_2024: ReviewRound, **changes: str) -> dict[str, str]:
    """CN-01-0002: a member is a civil servant, Phiếu A stops the review."""
    questions = questions_for(round_2024.commune, round_2024.opened_on)
    assert questions.phieu_a is not None
    submission = {
        "instanceID": "uuid:0b5c7a8e-0002",
        "ma_ho": "CN-01-0002",
        "review_date": "2024-10-16",
        "reviewer_name": "Bùi Văn Thắng",
        **{f"a_{q.code}": "khong" for q in questions.phieu_a.questions},
        "a_cong_chuc": "co",
        "ket_qua_phieu_a": "screened_out",
    }
    return submission | changes


def run(
    content: bytes, round_2024: ReviewRound, officer: User, *, dry_run: bool = False
) -> Any:
    return import_submissions(
        io.BytesIO(content),
        file_name="ban-gui.xlsx",
        size=len(content),
        review_round=round_2024,
        by=officer,
        dry_run=dry_run,
    )


def refused(content: bytes, round_2024: ReviewRound, officer: User) -> list[str]:
    before = database_state()
    with pytest.raises(RegisterFileError) as caught, counted_bad_file():
        run(content, round_2024, officer)
    assert database_state() == before
    return [str(p) for p in caught.value.problems]


def test_every_field_of_the_phone_form_is_one_the_import_reads(
    phone_form: bytes,
) -> None:
    for group, name, _ in form_fields(phone_form):
        assert field_name(f"{group}/{name}" if group else name) == name
        assert field_name(f"{group.replace('/', '-')}-{name}" if group else name) == (
            name
        )
    assert field_name("phieu_b2/chi_so_thieu_hut/viec_lam") is None
    assert field_name("meta/instanceID") == "instance_id"
    assert field_name("_submission_time") == "_submission_time"


def test_a_kobo_export_records_the_review_and_the_screen(
    phone_form: bytes, round_2024: ReviewRound, officer: User
) -> None:
    content = kobo_xlsx(phone_form, [reviewed(round_2024), screened(round_2024)])
    preview = run(content, round_2024, officer, dry_run=True)
    assert [p.outcome for p in preview.plans] == [REVIEWED, SCREENED_OUT]
    assert not Review.objects.filter(round=round_2024).exists()
    assert not QuickScreen.objects.exists()

    result = run(content, round_2024, officer)

    review = Review.objects.get(round=round_2024)
    assert review.household.code == "CN-01-0001"
    assert review.review_date == date(2024, 10, 15)
    assert review.submission_id == "uuid:0b5c7a8e-0001"
    assert review.b1_answers and review.b1_score is not None
    assert review.floor_area_m2 == pytest.approx(24.5)
    assert review.wall_durable is False and review.roof_durable is True
    assert review.water_source == "unprotected_dug_well"
    assert review.information_devices == ["phone", "radio"]
    assert review.status == PovertyStatus.POOR
    assert review.recorded_by == officer
    screens = {s.household.code: s for s in QuickScreen.objects.all()}
    assert screens["CN-01-0001"].result == QuickScreenResult.CONTINUE
    assert screens["CN-01-0002"].result == QuickScreenResult.SCREENED_OUT
    assert screens["CN-01-0002"].answers == ["cong_chuc"]
    assert not Review.objects.filter(household__code="CN-01-0002").exists()
    log = ImportLog.objects.get()
    assert log == result.log
    assert log.kind == ImportKind.PHONE and log.reviews == 1 and log.changed == 2
    assert set(log.households.values_list("code", flat=True)) == {
        "CN-01-0001",
        "CN-01-0002",
    }


def test_a_second_import_of_the_same_export_records_nothing(
    phone_form: bytes, round_2024: ReviewRound, officer: User
) -> None:
    content = kobo_xlsx(phone_form, [reviewed(round_2024), screened(round_2024)])
    run(content, round_2024, officer)
    before = database_state()
    # The next export holds the same submissions and one more, rejected.
    later = kobo_xlsx(
        phone_form,
        [
            reviewed(round_2024),
            screened(round_2024),
            reviewed(
                round_2024,
                instanceID="uuid:0b5c7a8e-0003",
                _validation_status="validation_status_not_approved",
            ),
        ],
    )
    result = run(later, round_2024, officer, dry_run=True)
    assert [p.outcome for p in result.plans] == [ALREADY, ALREADY, REJECTED]
    assert database_state() == before


@pytest.mark.parametrize("export", [odk_csv, odk_zip], ids=["csv", "zip"])
def test_an_odk_central_export_is_read_the_same(
    phone_form: bytes, round_2024: ReviewRound, officer: User, export: Any
) -> None:
    content = export(phone_form, [reviewed(round_2024), screened(round_2024)])
    result = run(content, round_2024, officer)
    assert [p.outcome for p in result.plans] == [REVIEWED, SCREENED_OUT]
    assert Review.objects.get(round=round_2024).floor_area_m2 == pytest.approx(24.5)


def test_a_csv_with_semicolons_as_kobo_writes_it(
    phone_form: bytes, round_2024: ReviewRound, officer: User
) -> None:
    content = odk_csv(phone_form, [screened(round_2024)]).decode()
    content = content.replace(",", ";")
    result = run(content.encode("utf-8-sig"), round_2024, officer)
    assert [p.outcome for p in result.plans] == [SCREENED_OUT]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"ma_ho": "CN-09-0009"}, "mã hộ CN-09-0009 không có trong sổ hộ của xã"),
        ({"review_date": "2024-08-20"}, "phải ghi ngày từ 01/09/2024"),
        ({"review_date": "2024-11-20"}, "không được ở tương lai"),
        ({"b1_score": "999"}, "Tổng điểm ghi là 999"),
        ({"floor_area_m2": "hai mươi"}, "cột phieu_b2/floor_area_m2"),
        ({"water_source": "ao_nha"}, "cột phieu_b2/water_source"),
        # An indicator the facts contradict, without a note saying why.
        (
            {"chi_so_thieu_hut": "viec_lam", "note": ""},
            "Ghi lý do vì sao kết quả khác với số liệu",
        ),
    ],
    ids=["unknown-code", "before-round", "future", "b1-total", "area", "water", "note"],
)
def test_a_bad_submission_is_named_and_nothing_is_written(
    phone_form: bytes,
    round_2024: ReviewRound,
    officer: User,
    changes: dict[str, str],
    expected: str,
) -> None:
    content = kobo_xlsx(
        phone_form, [screened(round_2024), reviewed(round_2024, **changes)]
    )
    problems = refused(content, round_2024, officer)
    assert any(expected in p and "dòng 3" in p for p in problems), problems


def test_two_new_submissions_for_one_household_are_refused(
    phone_form: bytes, round_2024: ReviewRound, officer: User
) -> None:
    content = kobo_xlsx(
        phone_form,
        [reviewed(round_2024), reviewed(round_2024, instanceID="uuid:other")],
    )
    problems = refused(content, round_2024, officer)
    assert any("đã có bản gửi ở dòng 2" in p for p in problems), problems


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "Tệp rỗng"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"0" * 100, "Excel 97–2003"),
        ("ho;ten\nCN;Hùng\n".encode("utf-16"), "không phải CSV mã UTF-8"),
        ("Hộ được rà soát,Ngày\nCN-01-0001,x\n".encode(), "Không thấy cột ma_ho"),
        (b"ma_ho,review_date\nCN-01-0001,2024-10-15\n", "thiếu cột mã bản gửi"),
        (b"PK\x03\x04truncated", "bị hỏng hoặc chưa tải về hết"),
    ],
    ids=["empty", "xls", "utf16", "labels", "no-id", "truncated"],
)
def test_a_file_that_is_not_an_export_is_refused(
    round_2024: ReviewRound, officer: User, content: bytes, expected: str
) -> None:
    problems = refused(content, round_2024, officer)
    assert any(expected in p for p in problems), problems


def test_a_formula_in_a_cell_is_refused(
    phone_form: bytes, round_2024: ReviewRound, officer: User
) -> None:
    import openpyxl

    book = openpyxl.load_workbook(
        io.BytesIO(kobo_xlsx(phone_form, [screened(round_2024)]))
    )
    sheet = book.active
    assert sheet is not None
    sheet.cell(row=2, column=3, value="=1+1")
    stream = io.BytesIO()
    book.save(stream)
    problems = refused(stream.getvalue(), round_2024, officer)
    assert any("ô có công thức" in p for p in problems), problems


def test_a_recognised_round_takes_no_submission(
    phone_form: bytes, round_2024: ReviewRound, officer: User
) -> None:
    round_2024.closed_on = date(2024, 10, 18)
    round_2024.save()
    problems = refused(
        kobo_xlsx(phone_form, [screened(round_2024)]), round_2024, officer
    )
    assert problems == [
        "Rà soát định kỳ năm 2024 đã được công nhận kết quả ngày 18/10/2024: "
        "không nạp thêm phiếu vào đợt này."
    ]


def test_the_page_previews_then_records(
    client: Client, phone_form: bytes, round_2024: ReviewRound
) -> None:
    url = reverse("households:phone_import", args=[2024])
    content = kobo_xlsx(phone_form, [reviewed(round_2024), screened(round_2024)])
    upload = SimpleUploadedFile("ban-gui-Làng Chiềng.xlsx", content)

    preview = client.post(url, {"file": upload}, follow=True)

    assert preview.status_code == 200
    assert preview.redirect_chain[0][0] == Job.objects.get().get_absolute_url()
    page = preview.content.decode()
    assert "Chưa ghi gì" in page and "CN-01-0001" in page and "Hộ nghèo" in page
    assert not Review.objects.filter(round=round_2024).exists()
    token = preview.context["token"]
    done = client.post(url, {"action": "confirm", "token": token}, follow=True)
    assert "Đã nạp ban-gui-Làng Chiềng.xlsx: 1 phiếu rà soát mới" in (
        done.content.decode()
    )
    assert Review.objects.filter(round=round_2024).count() == 1
    household = Household.objects.get(code="CN-01-0001")
    detail = client.get(reverse("households:detail", args=[household.pk]))
    assert "Nạp tệp ban-gui-Làng Chiềng.xlsx" in detail.content.decode()
    # The token was used: a second confirmation records nothing.
    again = client.post(url, {"action": "confirm", "token": token}, follow=True)
    assert "Không có tệp nào đang chờ xác nhận" in again.content.decode()
    assert Review.objects.filter(round=round_2024).count() == 1


def test_a_bad_file_on_the_page_lists_its_problems(
    client: Client, phone_form: bytes, round_2024: ReviewRound
) -> None:
    url = reverse("households:phone_import", args=[2024])
    content = kobo_xlsx(phone_form, [reviewed(round_2024, ma_ho="CN-09-0009")])
    response = client.post(
        url, {"file": SimpleUploadedFile("x.xlsx", content)}, follow=True
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Không nạp gì" in page
    assert "mã hộ CN-09-0009 không có trong sổ hộ của xã" in page


def test_the_command_shares_the_import(
    phone_form: bytes, round_2024: ReviewRound, tmp_path: Path, officer: User
) -> None:
    path = tmp_path / "ban-gui.csv"
    path.write_bytes(odk_csv(phone_form, [reviewed(round_2024)]))
    out = io.StringIO()
    call_command(
        "import_submissions",
        str(path),
        "--commune",
        round_2024.commune.code,
        "--year",
        "2024",
        "--dry-run",
        stdout=out,
    )
    assert "Chạy thử, không ghi gì: 1 phiếu rà soát mới" in out.getvalue()
    assert not Review.objects.filter(round=round_2024).exists()
    path.write_bytes(odk_csv(phone_form, [reviewed(round_2024, ma_ho="X-1")]))
    with pytest.raises(CommandError, match="mã hộ X-1 không có"):
        call_command(
            "import_submissions",
            str(path),
            "--commune",
            round_2024.commune.code,
            "--year",
            "2024",
        )


def test_a_full_width_code_typed_on_the_phone_finds_its_household(
    phone_form: bytes, round_2024: ReviewRound, officer: User
) -> None:
    submission = reviewed(round_2024, ma_ho="ＣＮ-01-０００１")

    run(kobo_xlsx(phone_form, [submission]), round_2024, officer)

    assert Review.objects.get(round=round_2024).household.code == "CN-01-0001"


def test_a_reviewer_name_with_a_right_to_left_override_is_refused(
    phone_form: bytes, round_2024: ReviewRound, officer: User
) -> None:
    submission = reviewed(round_2024, reviewer_name="Bùi Văn \u202eThắng")

    problems = refused(kobo_xlsx(phone_form, [submission]), round_2024, officer)

    assert any("ký tự đổi chiều chữ (U+202E)" in p for p in problems)
