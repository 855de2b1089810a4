"""Correcting the review procedure's records while the round is open, and keeping
the signed paper of a meeting's minutes and of the recognition decision
(households/procedure_records.py, procedure_record_views.py).

Commune A's 2024 round, opened 01/09/2024; village A1 (Làng Chiềng) has household
A1 reviewed in the round, a meeting of 20 people on 02/10 (15 agreed), a posting
03–07/10 and one unanswered complaint. The day is 20/10/2024. Who may open which
URL is in tests/households/test_procedure_scope.py (PROCEDURE_POLICY).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse

from giamngheo.models import User
from households import actions
from households.models import (
    Complaint,
    Household,
    MeetingVote,
    Posting,
    RecognitionDecision,
    ReviewRound,
    VillageMeeting,
)
from tests.conftest import make_household, make_review
from tests.households.test_scope import database_state

VN = ZoneInfo("Asia/Ho_Chi_Minh")
POOR = ("viec_lam", "chat_luong_nha_o", "nguon_nuoc_sinh_hoat")
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(20)
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(64)
CLOSED = "đã được công nhận ngày 19/10/2024: không ghi thêm"


@pytest.fixture
def steps(time_machine: Any, household_a1: Household, officer: User) -> dict[str, Any]:
    time_machine.move_to(datetime(2024, 10, 20, 9, tzinfo=VN), tick=False)
    household_a1.registered_on = date(2015, 1, 1)
    household_a1.save()
    make_review(household_a1, deprived=POOR, on=date(2023, 11, 20))
    review_round = ReviewRound.objects.create(
        commune=household_a1.commune, year=2024, opened_on=date(2024, 9, 1)
    )
    make_review(household_a1, deprived=POOR, on=date(2024, 10, 1), round=review_round)
    village = household_a1.village
    meeting = VillageMeeting.objects.create(
        review_round=review_round,
        village=village,
        held_on=date(2024, 10, 2),
        chaired_by="Bùi Văn Thắng",
        secretary="Bùi Thị Lan",
        attendees=20,
        recorded_by=officer,
    )
    meeting.votes.create(household=household_a1, agreeing=15)
    posting = Posting.objects.create(
        review_round=review_round,
        village=village,
        posted_from=date(2024, 10, 3),
        posted_until=date(2024, 10, 7),
    )
    complaint = Complaint.objects.create(
        review_round=review_round,
        village=village,
        received_on=date(2024, 10, 5),
        complainant="Đinh Thị Hoa",
        content="Hộ A1 có xe máy mới.",
    )
    return {
        "round": review_round,
        "village": village,
        "household": household_a1,
        "meeting": meeting,
        "posting": posting,
        "complaint": complaint,
    }


def url(name: str, record: Any) -> str:
    return reverse(f"households:{name}", args=[2024, record.village_id, record.pk])


def village_page(steps: dict[str, Any]) -> str:
    return reverse("households:round_village", args=[2024, steps["village"].pk])


def meeting_data(household: Household, **changes: str) -> dict[str, str]:
    return {
        "held_on": "02/10/2024",
        "chaired_by": "Bùi Văn Thắng",
        "secretary": "Bùi Thị Lan",
        "attendees": "20",
        f"agree_{household.pk}": "15",
        **changes,
    }


def messages_of(response: Any) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def stored_files(settings: Any) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def scan(name: str = "bien-ban-da-ky.pdf", content: bytes = PDF) -> Any:
    return SimpleUploadedFile(name, content, "application/octet-stream")


def close(steps: dict[str, Any], officer: User) -> None:
    actions.close_round(
        steps["round"],
        date(2024, 10, 19),
        decision_number="12/QĐ-UBND",
        signer_name="Hà Văn Chiến",
        by=officer,
    )


# --- Correcting a meeting ------------------------------------------------------------


def test_the_officer_corrects_a_meeting_and_its_vote_and_the_history_shows_it(
    client: Client, officer: User, steps: dict[str, Any]
) -> None:
    client.force_login(officer)
    meeting, household = steps["meeting"], steps["household"]
    form = client.get(url("meeting_edit", meeting))
    assert form.status_code == 200
    assert form.context["form"][f"agree_{household.pk}"].value() == 15

    response = client.post(
        url("meeting_edit", meeting),
        meeting_data(household, attendees="25", **{f"agree_{household.pk}": "14"}),
        follow=True,
    )

    assert "Đã sửa cuộc họp ngày 02/10/2024." in messages_of(response)
    meeting.refresh_from_db()
    assert meeting.attendees == 25
    assert meeting.votes.get().agreeing == 14
    rows = meeting.history.order_by("history_id")
    assert [(r.history_type, r.attendees) for r in rows] == [("+", 20), ("~", 25)]
    assert rows.last().history_user == officer
    vote_change = MeetingVote.history.filter(history_type="~").get()
    assert (vote_change.agreeing, vote_change.history_user) == (14, officer)
    history = client.get(url("meeting_edit", meeting)).content.decode()
    assert "số người dự họp: 20 → 25" in history
    assert f"Sửa biểu quyết về hộ {household.code}</strong> — {officer}" in history
    assert "số người đồng ý: 15 → 14" in history


def test_the_village_head_corrects_the_meeting_and_adds_a_household_reviewed_after(
    client: Client, head_a1: User, steps: dict[str, Any], village_a1: Any
) -> None:
    later = make_household(village_a1, code="A1-02")
    later.registered_on = date(2015, 1, 1)
    later.save()
    make_review(later, deprived=POOR, on=date(2024, 10, 10), round=steps["round"])
    client.force_login(head_a1)
    household = steps["household"]

    # Reviewed after the meeting: its vote may stay blank…
    blank = client.post(url("meeting_edit", steps["meeting"]), meeting_data(household))
    assert blank.status_code == 302
    assert steps["meeting"].votes.count() == 1
    # …or be added, once the meeting did vote on it.
    client.post(
        url("meeting_edit", steps["meeting"]),
        meeting_data(household, **{f"agree_{later.pk}": "18"}),
    )
    votes = {v.household_id: v.agreeing for v in steps["meeting"].votes.all()}
    assert votes == {household.pk: 15, later.pk: 18}
    assert MeetingVote.history.filter(history_type="+", household=later).exists()


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"held_on": "30/08/2024"}, "Ngày phải từ ngày mở đợt (01/09/2024)."),
        ({"held_on": "21/10/2024"}, "Ngày không được ở tương lai."),
        ({"agree": "21"}, "không được lớn hơn số người dự họp (20)"),
        ({"agree": ""}, "Ghi số người đồng ý."),
        ({"attendees": "0"}, "lớn hơn hoặc bằng với 1"),
        ({"chaired_by": ""}, "Ghi người chủ trì cuộc họp."),
    ],
    ids=[
        "before_round",
        "future",
        "more_than_attendees",
        "vote_blank",
        "nobody",
        "chair",
    ],
)
def test_a_meeting_correction_is_validated_like_a_new_meeting(
    client: Client,
    officer: User,
    steps: dict[str, Any],
    changes: dict[str, str],
    error: str,
) -> None:
    client.force_login(officer)
    household = steps["household"]
    if "agree" in changes:
        changes = {f"agree_{household.pk}": changes["agree"]}
    before = database_state()

    response = client.post(
        url("meeting_edit", steps["meeting"]), meeting_data(household, **changes)
    )

    assert response.status_code == 200
    assert error in response.content.decode()
    assert "Chưa lưu được" in messages_of(response)
    assert database_state() == before


# --- Postings and complaints ---------------------------------------------------------


def test_the_officer_corrects_a_posting_and_a_wrong_period_is_refused(
    client: Client, officer: User, steps: dict[str, Any]
) -> None:
    client.force_login(officer)
    posting = steps["posting"]
    before = database_state()
    wrong = client.post(
        url("posting_edit", posting),
        {"posted_from": "08/10/2024", "posted_until": "03/10/2024", "place": "Thôn"},
    )
    assert "Ngày kết thúc niêm yết phải từ ngày bắt đầu." in wrong.content.decode()
    assert database_state() == before

    client.post(
        url("posting_edit", posting),
        {"posted_from": "03/10/2024", "posted_until": "09/10/2024", "place": "Thôn"},
    )

    posting.refresh_from_db()
    assert posting.posted_until == date(2024, 10, 9)
    assert [h.history_type for h in posting.history.all()] == ["~", "+"]


def test_a_complaint_is_answered_on_the_village_page_then_its_answer_corrected(
    client: Client, officer: User, steps: dict[str, Any]
) -> None:
    client.force_login(officer)
    complaint = steps["complaint"]
    # Answering later was already there: on the village's page.
    client.post(
        village_page(steps),
        {
            "action": "answer",
            "complaint_id": str(complaint.pk),
            f"c{complaint.pk}-answered_on": "10/10/2024",
            f"c{complaint.pk}-answer": "Xe máy đi mượn.",
            f"c{complaint.pk}-outcome": "kept",
        },
    )
    complaint.refresh_from_db()
    assert complaint.answered_on == date(2024, 10, 10)
    data = {
        "received_on": "05/10/2024",
        "complainant": "Đinh Thị Hoa",
        "household_code": steps["household"].code,
        "content": "Hộ A1 có xe máy mới.",
        "answered_on": "10/10/2024",
        "answer": "",
        "outcome": "kept",
    }

    missing = client.post(url("complaint_edit", complaint), data)
    elsewhere = client.post(
        url("complaint_edit", complaint), {**data, "household_code": "B-01"}
    )
    client.post(
        url("complaint_edit", complaint),
        {**data, "answer": "Xe máy của con gái, đăng ký ở xã khác."},
    )

    assert "Ghi nội dung trả lời." in missing.content.decode()
    assert "Không có hộ mã B-01 trong thôn này." in elsewhere.content.decode()
    complaint.refresh_from_db()
    assert complaint.answer == "Xe máy của con gái, đăng ký ở xã khác."
    assert complaint.household == steps["household"]
    assert complaint.history.filter(history_type="~").count() == 2  # answer, fix
    history = client.get(url("complaint_edit", complaint)).content.decode()
    assert "kết quả: (trống) → Giữ nguyên kết quả" in history
    assert "trả lời: Xe máy đi mượn. → Xe máy của con gái" in history


def test_the_edit_links_are_on_the_village_page_for_those_who_may_write(
    client: Client, officer: User, head_a1: User, chairman: User, steps: dict[str, Any]
) -> None:
    pages = {}
    for user in (officer, head_a1, chairman):
        client.force_login(user)
        pages[user.username] = client.get(village_page(steps)).content.decode()

    meeting, posting = steps["meeting"], steps["posting"]
    edit_meeting = f'href="{url("meeting_edit", meeting)}"'
    edit_posting = f'href="{url("posting_edit", posting)}"'
    edit_complaint = f'href="{url("complaint_edit", steps["complaint"])}"'
    officer_page = pages[officer.username]
    assert edit_meeting in officer_page and edit_posting in officer_page
    assert edit_complaint in officer_page
    assert edit_meeting in pages[head_a1.username]
    assert edit_posting not in pages[head_a1.username]
    assert "Sửa, xóa" not in pages[chairman.username]


# --- Deleting ------------------------------------------------------------------------


def test_deleting_a_meeting_deletes_its_votes_and_scan_and_keeps_its_history(
    client: Client,
    officer: User,
    steps: dict[str, Any],
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client.force_login(officer)
    meeting = steps["meeting"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("meeting_scan", meeting), {"ban_ky": scan()})
    assert len(stored_files(settings)) == 1

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("meeting_delete", meeting), follow=True)

    assert "Đã xóa cuộc họp ngày 02/10/2024" in messages_of(response)
    assert not VillageMeeting.objects.exists() and not MeetingVote.objects.exists()
    assert stored_files(settings) == []
    gone = VillageMeeting.history.get(history_type="-")
    assert (gone.id, gone.attendees, gone.history_user) == (meeting.pk, 20, officer)
    assert MeetingVote.history.filter(history_type="-", history_user=officer).exists()


def test_deleting_a_posting_and_a_complaint(
    client: Client, officer: User, steps: dict[str, Any]
) -> None:
    client.force_login(officer)

    client.post(url("posting_delete", steps["posting"]))
    client.post(url("complaint_delete", steps["complaint"]))

    assert not Posting.objects.exists() and not Complaint.objects.exists()
    assert Posting.history.filter(history_type="-").count() == 1
    assert Complaint.history.filter(history_type="-").count() == 1


def test_a_deletion_is_a_post(
    client: Client, officer: User, steps: dict[str, Any]
) -> None:
    client.force_login(officer)
    assert client.get(url("meeting_delete", steps["meeting"])).status_code == 405
    assert VillageMeeting.objects.exists()


# --- Once the round is recognised ----------------------------------------------------


def test_nothing_is_corrected_or_deleted_once_the_round_is_recognised(
    client: Client, officer: User, steps: dict[str, Any]
) -> None:
    close(steps, officer)
    client.force_login(officer)
    meeting, posting, complaint = steps["meeting"], steps["posting"], steps["complaint"]
    before = database_state()

    answers = [
        client.get(url("meeting_edit", meeting), follow=True),
        client.post(
            url("meeting_edit", meeting),
            meeting_data(steps["household"], attendees="30"),
            follow=True,
        ),
        client.post(
            url("posting_edit", posting),
            {"posted_from": "03/10/2024", "posted_until": "09/10/2024", "place": "X"},
            follow=True,
        ),
        client.post(url("complaint_edit", complaint), {}, follow=True),
        client.post(url("meeting_delete", meeting), follow=True),
        client.post(url("posting_delete", posting), follow=True),
        client.post(url("complaint_delete", complaint), follow=True),
    ]

    for answer in answers:
        assert answer.redirect_chain[-1][0].startswith(village_page(steps))
        assert CLOSED in messages_of(answer)
        assert "mở lại đợt" in messages_of(answer)
    assert database_state() == before
    page = answers[0].content.decode()
    assert url("meeting_edit", meeting) not in page
    assert url("posting_edit", posting) not in page


# --- Signed scans --------------------------------------------------------------------


def test_the_signed_minutes_are_attached_and_served_to_those_who_see_the_village(
    client: Client,
    head_a1: User,
    sector: User,
    head_a2: User,
    steps: dict[str, Any],
    settings: Any,
) -> None:
    client.force_login(head_a1)
    meeting = steps["meeting"]

    response = client.post(
        url("meeting_scan", meeting), {"ban_ky": scan("Biên bản họp.pdf")}, follow=True
    )

    assert "Đã lưu bản có chữ ký (Biên bản họp.pdf)." in messages_of(response)
    page = response.content.decode()
    assert "Đã có bản có chữ ký" in page
    assert f'href="{url("meeting_scan", meeting)}"' in page
    meeting.refresh_from_db()
    assert meeting.signed_scan_type == "application/pdf"
    # Stored under a random name, outside any public address.
    assert meeting.signed_scan.name.startswith("procedure/2024/")
    assert "Biên bản" not in meeting.signed_scan.name
    assert meeting.signed_scan.name not in page
    assert meeting.history.first().history_change_reason == "Đính kèm bản có chữ ký"
    client.force_login(sector)
    served = client.get(url("meeting_scan", meeting))
    assert served.status_code == 200
    assert served["Content-Type"] == "application/pdf"
    assert served["Content-Disposition"].startswith("attachment;")
    assert b"".join(served.streaming_content) == PDF
    client.force_login(head_a2)
    assert client.get(url("meeting_scan", meeting)).status_code == 404


def test_replacing_a_scan_leaves_one_file_on_disk(
    client: Client,
    officer: User,
    steps: dict[str, Any],
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client.force_login(officer)
    meeting = steps["meeting"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("meeting_scan", meeting), {"ban_ky": scan()})
    first = stored_files(settings)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("meeting_scan", meeting), {"ban_ky": scan("anh.jpg", JPEG)}, follow=True
        )

    assert "Đã thay bản có chữ ký (anh.jpg)." in messages_of(response)
    now = stored_files(settings)
    assert len(first) == len(now) == 1 and first != now
    assert now[0].read_bytes() == JPEG
    meeting.refresh_from_db()
    assert meeting.signed_scan_type == "image/jpeg"
    reasons = [h.history_change_reason for h in meeting.history.all()[:2]]
    assert reasons == ["Thay bản có chữ ký", "Đính kèm bản có chữ ký"]


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("bien-ban.pdf", EXE, "nội dung không phải là PDF"),
        ("bien-ban.docx", b"PK\x03\x04" + bytes(40), "phải là tệp PDF hoặc ảnh"),
        ("bien-ban.exe", EXE, "phải là tệp PDF hoặc ảnh"),
        ("bien-ban.pdf", b"", "rỗng"),
    ],
    ids=["exe_named_pdf", "word", "exe", "empty"],
)
def test_a_bad_scan_is_refused_with_a_clear_message_and_nothing_written(
    client: Client,
    officer: User,
    steps: dict[str, Any],
    settings: Any,
    name: str,
    content: bytes,
    words: str,
) -> None:
    client.force_login(officer)
    before = database_state()

    response = client.post(
        url("meeting_scan", steps["meeting"]),
        {"ban_ky": scan(name, content)},
        follow=True,
    )

    text = messages_of(response)
    assert text.startswith("Chưa lưu bản có chữ ký: Tệp ") and words in text
    assert database_state() == before
    assert stored_files(settings) == []


def test_no_file_chosen_is_said(
    client: Client, officer: User, steps: dict[str, Any]
) -> None:
    client.force_login(officer)
    response = client.post(url("meeting_scan", steps["meeting"]), {}, follow=True)
    assert "Chưa chọn tệp bản có chữ ký" in messages_of(response)
    assert client.get(url("meeting_scan", steps["meeting"])).status_code == 404


def test_after_the_recognition_a_missing_scan_is_attached_but_none_replaced(
    client: Client, officer: User, steps: dict[str, Any], settings: Any
) -> None:
    close(steps, officer)
    client.force_login(officer)
    meeting = steps["meeting"]

    first = client.post(url("meeting_scan", meeting), {"ban_ky": scan()}, follow=True)
    before = database_state()
    again = client.post(
        url("meeting_scan", meeting), {"ban_ky": scan("khac.pdf")}, follow=True
    )

    assert "Đã lưu bản có chữ ký" in messages_of(first)
    assert CLOSED in messages_of(again)
    assert database_state() == before
    assert len(stored_files(settings)) == 1


def test_the_signed_decision_is_attached_and_shown_on_the_round_page(
    client: Client,
    officer: User,
    head_a1: User,
    chairman: User,
    steps: dict[str, Any],
) -> None:
    close(steps, officer)
    decision = RecognitionDecision.objects.get()
    path = reverse("households:decision_scan", args=[2024, decision.pk])
    client.force_login(chairman)
    assert client.post(path, {"ban_ky": scan()}).status_code == 403
    client.force_login(officer)
    round_page = reverse("households:round_detail", args=[2024])
    assert "Chưa có bản có chữ ký" in client.get(round_page).content.decode()

    response = client.post(path, {"ban_ky": scan("QĐ 12.pdf")}, follow=True)

    assert response.redirect_chain[-1][0] == f"{round_page}#thu-tuc"
    page = response.content.decode()
    assert "Đã có bản có chữ ký" in page and f'href="{path}"' in page
    decision.refresh_from_db()
    assert decision.signed_scan_name == "QĐ 12.pdf"
    assert decision.history.first().history_user == officer
    client.force_login(head_a1)
    served = client.get(path)
    assert served["Content-Disposition"].startswith("attachment;")


def test_the_round_page_shows_each_villages_signed_minutes(
    client: Client, officer: User, steps: dict[str, Any]
) -> None:
    client.force_login(officer)
    round_page = reverse("households:round_detail", args=[2024])
    assert "Chưa có (họp ngày 02/10/2024)" in client.get(round_page).content.decode()

    client.post(url("meeting_scan", steps["meeting"]), {"ban_ky": scan()})

    page = client.get(round_page).content.decode()
    assert f'href="{url("meeting_scan", steps["meeting"])}"' in page


# --- Another village's head ----------------------------------------------------------


def test_another_villages_head_can_neither_see_nor_change_the_records(
    client: Client, head_a2: User, steps: dict[str, Any]
) -> None:
    client.force_login(head_a2)
    meeting = steps["meeting"]
    before = database_state()

    answers = [
        client.get(url("meeting_edit", meeting)),
        client.post(url("meeting_edit", meeting), meeting_data(steps["household"])),
        client.post(url("meeting_delete", meeting)),
        client.post(url("meeting_scan", meeting), {"ban_ky": scan()}),
        client.post(url("posting_delete", steps["posting"])),
        client.post(url("complaint_delete", steps["complaint"])),
    ]

    assert [a.status_code for a in answers] == [404] * len(answers)
    assert database_state() == before


def test_the_village_head_may_not_correct_the_posting(
    client: Client, head_a1: User, steps: dict[str, Any]
) -> None:
    client.force_login(head_a1)
    before = database_state()
    answers = [
        client.get(url("posting_edit", steps["posting"])),
        client.post(url("posting_delete", steps["posting"])),
        client.post(url("complaint_delete", steps["complaint"])),
    ]
    assert [a.status_code for a in answers] == [403, 403, 403]
    assert database_state() == before


# --- The migration -------------------------------------------------------------------


def _migrate(target: list[tuple[str, str]]) -> Any:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)
    return executor.loader.project_state(target).apps


@pytest.fixture
def _back_to_the_latest() -> Iterator[None]:
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("_back_to_the_latest")
def test_the_records_entered_before_get_a_first_history_row() -> None:
    apps = _migrate([("households", "0010_holidays_public_holidays")])
    commune = apps.get_model("households", "Commune").objects.create(
        name="Cao Ngọc", code="cn", district="Ngọc Lặc", province="Thanh Hóa"
    )
    village = apps.get_model("households", "Village").objects.create(
        commune=commune, name="Làng Cốc"
    )
    household = apps.get_model("households", "Household").objects.create(
        commune=commune, village=village, code="CN-01-0001"
    )
    review_round = apps.get_model("households", "ReviewRound").objects.create(
        commune=commune, year=2024, opened_on=date(2024, 9, 1)
    )
    meeting = apps.get_model("households", "VillageMeeting").objects.create(
        review_round=review_round,
        village=village,
        held_on=date(2024, 10, 2),
        chaired_by="Bùi Văn Thắng",
        attendees=20,
    )
    apps.get_model("households", "MeetingVote").objects.create(
        meeting=meeting, household=household, agreeing=15
    )

    apps = _migrate([("households", "0011_procedure_records_history_and_scans")])

    first = apps.get_model("households", "HistoricalVillageMeeting").objects.get()
    assert (first.id, first.attendees, first.history_type) == (meeting.pk, 20, "+")
    assert first.history_date == meeting.created_at
    assert first.signed_scan == ""
    vote = apps.get_model("households", "HistoricalMeetingVote").objects.get()
    assert (vote.agreeing, vote.history_change_reason) == (
        15,
        "Đã có trước khi lưu lịch sử",
    )
