"""The review round as QĐ 24/2021/QĐ-TTg runs it: requests, the list to review, the
village meeting (more than half must agree), the posting (working days), complaints,
and the chairman's recognition decision.

The pure rules first, at their edges; then commune A's 2024 round walked through
every step: Làng Chiềng (A1) and Làng Bột (A2), two households each.
"""

from __future__ import annotations

import subprocess
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from giamngheo.models import User
from households.models import (
    Complaint,
    Household,
    Posting,
    RecognitionDecision,
    Review,
    ReviewRequest,
    ReviewRound,
    Village,
    VillageMeeting,
)
from households.procedure import (
    RULES_2022_2025,
    MeetingFacts,
    PostingFacts,
    Step,
    VillageFacts,
    add_working_days,
    meeting_agrees,
    regular_deadline,
    village_step,
    working_days,
)
from households.round_procedure import list_to_review, village_standings
from tests.conftest import make_household, make_review

VN = ZoneInfo("Asia/Ho_Chi_Minh")
RULES = RULES_2022_2025
POOR = ("viec_lam", "chat_luong_nha_o", "nguon_nuoc_sinh_hoat")


# --- The pure rules ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("attendees", "agreeing", "agrees"),
    [
        (20, 10, False),  # exactly half: not more than half
        (20, 11, True),  # half + 1
        (21, 10, False),
        (21, 11, True),
        (1, 1, True),
        (1, 0, False),
        (0, 0, False),  # nobody came: nothing agreed
    ],
    ids=lambda v: str(v),
)
def test_a_household_needs_more_than_half_of_the_attendees(
    attendees: int, agreeing: int, agrees: bool
) -> None:
    assert meeting_agrees(attendees, agreeing) is agrees


@pytest.mark.parametrize(
    ("start", "end", "days"),
    [
        (date(2024, 12, 11), date(2024, 12, 13), 3),  # Wed–Fri
        (date(2024, 12, 13), date(2024, 12, 16), 2),  # Fri–Mon: the weekend is off
        (date(2024, 12, 14), date(2024, 12, 15), 0),  # Sat–Sun
        (date(2024, 12, 16), date(2024, 12, 16), 1),
        (date(2024, 12, 16), date(2024, 12, 15), 0),  # end before start
    ],
)
def test_working_days(start: date, end: date, days: int) -> None:
    assert working_days(start, end) == days


def test_a_public_holiday_is_not_a_working_day() -> None:
    assert working_days(date(2024, 9, 2), date(2024, 9, 4), [date(2024, 9, 2)]) == 2
    assert add_working_days(date(2024, 12, 13), 3) == date(2024, 12, 18)


@pytest.mark.parametrize(
    ("received", "deadline"),
    [
        (date(2024, 3, 1), date(2024, 3, 30)),  # the March round starts 15/3
        (date(2024, 3, 15), date(2024, 3, 30)),  # received on the round's first day
        (date(2024, 3, 16), date(2024, 4, 30)),  # waits for the April round
        (date(2024, 12, 20), date(2025, 1, 30)),  # the year turns
    ],
)
def test_a_regular_request_is_decided_15_days_after_its_monthly_round_starts(
    received: date, deadline: date
) -> None:
    assert regular_deadline(received, RULES) == deadline


MEETING_DAY = date(2024, 11, 20)


def facts(
    *,
    votes: dict[int, int] | None = None,
    attendees: int = 20,
    meeting_on: date | None = MEETING_DAY,
    posting: tuple[date, date] | None = (date(2024, 11, 25), date(2024, 11, 27)),
    reviewed: dict[int, date] | None = None,
    complaints: int = 0,
) -> VillageFacts:
    return VillageFacts(
        to_review=frozenset({1, 2}),
        reviewed={1: date(2024, 10, 1), 2: date(2024, 10, 2)}
        if reviewed is None
        else reviewed,
        meeting=None
        if meeting_on is None
        else MeetingFacts(
            meeting_on, attendees, {1: 15, 2: 11} if votes is None else votes
        ),
        posting=None if posting is None else PostingFacts(*posting),
        open_complaints=complaints,
    )


def step(village: VillageFacts, today: date = date(2024, 11, 28)) -> Step:
    return village_step(village, today=today, recognised=False, rules=RULES).step


def test_where_a_village_is() -> None:
    assert step(facts()) == Step.READY
    assert step(facts(reviewed={1: date(2024, 10, 1)})) == Step.SURVEY
    assert step(facts(meeting_on=None)) == Step.MEETING
    # A review after the meeting: the village meets again.
    late = {1: date(2024, 10, 1), 2: date(2024, 11, 21)}
    assert step(facts(reviewed=late)) == Step.MEETING
    assert step(facts(votes={1: 15})) == Step.MEETING  # household 2 not voted on
    assert step(facts(votes={1: 15, 2: 10})) == Step.REVIEW_AGAIN  # exactly half
    assert step(facts(votes={1: 15, 2: 11})) == Step.READY  # half + 1
    assert step(facts(posting=None)) == Step.POSTING
    before_meeting = (date(2024, 11, 19), date(2024, 11, 27))
    assert step(facts(posting=before_meeting)) == Step.POSTING
    assert step(facts(complaints=1)) == Step.COMPLAINTS
    nothing = VillageFacts(frozenset(), {}, None, None, 0)
    assert step(nothing) == Step.NOTHING
    assert village_step(
        nothing, today=MEETING_DAY, recognised=True, rules=RULES
    ).step == (Step.RECOGNISED)


def test_the_posting_lasts_the_legal_number_of_working_days() -> None:
    three = (date(2024, 11, 25), date(2024, 11, 27))  # Mon–Wed
    assert step(facts(posting=three), today=date(2024, 11, 27)) == Step.POSTED
    assert step(facts(posting=three), today=date(2024, 11, 28)) == Step.READY
    two = (date(2024, 11, 29), date(2024, 12, 2))  # Fri–Mon
    assert step(facts(posting=two), today=date(2024, 12, 3)) == Step.POSTING_SHORT
    assert Step.READY.passed and not Step.POSTING_SHORT.passed


# --- A round walked through every step ----------------------------------------------


def on(client: Client, time_machine: Any, day: date, user: User) -> None:
    """Move to 9:00 on `day`, logged in as `user` (a session does not last months)."""
    time_machine.move_to(
        datetime(day.year, day.month, day.day, 9, tzinfo=VN), tick=False
    )
    client.force_login(user)


def text(response: Any) -> str:
    return response.content.decode()


def messages_of(response: Any) -> str:
    return " ".join(str(m) for m in response.context["messages"])


@pytest.fixture
def commune_2024(
    village_a1: Village, village_a2: Village, time_machine: Any
) -> dict[str, Household]:
    """End of 2023: A1 has a poor and a near-poor household, A2 a poor one and one
    that is neither (it will ask to be reviewed)."""
    time_machine.move_to(datetime(2024, 1, 5, 9, tzinfo=VN), tick=False)
    village_a1.commune.chairman_name = "Phạm Văn Quý"
    village_a1.commune.save()
    made = {
        "a1_poor": make_household(
            village_a1, "CN-01-0001", registered_on=date(2015, 1, 1)
        ),
        "a1_near": make_household(
            village_a1, "CN-01-0002", "Hà Thị Mai", registered_on=date(2015, 1, 1)
        ),
        "a2_poor": make_household(
            village_a2, "CN-02-0001", "Quách Văn Tú", registered_on=date(2015, 1, 1)
        ),
        "a2_asks": make_household(
            village_a2, "CN-02-0002", "Bùi Thị Nga", registered_on=date(2015, 1, 1)
        ),
    }
    make_review(made["a1_poor"], deprived=POOR, on=date(2023, 11, 20))
    make_review(made["a1_near"], on=date(2023, 11, 20))
    make_review(made["a2_poor"], deprived=POOR, on=date(2023, 11, 20))
    make_review(made["a2_asks"], income=3_000_000, on=date(2023, 11, 20))
    return made


@pytest.mark.django_db
def test_a_round_from_the_list_to_the_chairmans_decision(
    client: Client,
    time_machine: Any,
    officer: User,
    head_a1: User,
    chairman: User,
    commune_2024: dict[str, Household],
    village_a1: Village,
    village_a2: Village,
    tmp_path: Path,
) -> None:
    h = commune_2024

    # 1. The officer opens the round; a household asks to be reviewed (Mẫu 01).
    on(client, time_machine, date(2024, 9, 1), officer)
    response = client.post(
        reverse("households:rounds"), {"year": "2024", "opened_on": "01/09/2024"}
    )
    assert response.status_code == 302
    review_round = ReviewRound.objects.get(year=2024)
    on(client, time_machine, date(2024, 9, 5), officer)
    url = reverse("households:household_requests", args=[h["a2_asks"].pk])
    response = client.post(
        url,
        {
            "action": "record",
            "kind": "review",
            "received_on": "05/09/2024",
            "channel": "post",
        },
    )
    assert response.status_code == 302, text(response)
    request = ReviewRequest.objects.get()
    assert request.round == review_round
    assert request.deadline == date(2024, 12, 14)

    # 2. The list to review: the managed poor/near-poor and the one that asked.
    lines = list_to_review(review_round, Household.objects.all())
    assert [(x.household.code, x.origin) for x in lines] == [
        ("CN-01-0001", "Hộ nghèo cũ"),
        ("CN-01-0002", "Hộ cận nghèo cũ"),
        ("CN-02-0001", "Hộ nghèo cũ"),
        ("CN-02-0002", "Hộ mới (có giấy đề nghị)"),
    ]
    page = text(client.get(reverse("households:round_list_to_review", args=[2024])))
    assert "Hộ mới (có giấy đề nghị)" in page and "Ngày 05/09/2024" in page

    # The survey: A1's poor household escapes, the one that asked is near-poor.
    on(client, time_machine, date(2024, 10, 10), officer)
    make_review(
        h["a1_poor"], income=3_000_000, on=date(2024, 10, 1), round=review_round
    )
    make_review(h["a1_near"], on=date(2024, 10, 1), round=review_round)
    make_review(h["a2_poor"], deprived=POOR, on=date(2024, 10, 2), round=review_round)
    asked = make_review(h["a2_asks"], on=date(2024, 10, 2), round=review_round)
    response = client.post(
        url,
        {"action": "answer", "request_id": str(request.pk), "answer": str(asked.pk)},
    )
    assert response.status_code == 302, text(response)
    request.refresh_from_db()
    assert request.review == asked and not request.is_overdue()

    # Closing now is refused: no village has met.
    round_url = reverse("households:round_detail", args=[2024])
    close = {
        "closed_on": "10/10/2024",
        "decision_number": "123/QĐ-UBND",
        "signer_name": "Phạm Văn Quý",
    }
    response = client.post(round_url, close)
    assert response.status_code == 200
    assert "2 thôn chưa xong họp dân và niêm yết" in text(response)
    assert "Làng Chiềng: 2. chờ họp dân" in text(response)
    assert ReviewRound.objects.get().is_open

    # 3. A1 meets, chaired by its head: exactly half agree on one household.
    client.force_login(head_a1)
    a1_url = reverse("households:round_village", args=[2024, village_a1.pk])
    a2_url = reverse("households:round_village", args=[2024, village_a2.pk])
    assert client.get(a2_url).status_code == 404  # not the head's village
    meeting = {
        "action": "meeting",
        "held_on": "10/10/2024",
        "chaired_by": "Bùi Văn Thắng",
        "attendees": "20",
        f"agree_{h['a1_poor'].pk}": "10",
        f"agree_{h['a1_near'].pk}": "18",
    }
    response = client.post(a1_url, {**meeting, f"agree_{h['a1_near'].pk}": "21"})
    assert response.status_code == 200
    assert "Số người đồng ý (21) không được lớn hơn số người dự họp (20)." in text(
        response
    )
    assert not VillageMeeting.objects.exists()
    response = client.post(a1_url, meeting, follow=True)
    assert "1 hộ chưa được quá nửa số người dự họp đồng ý (CN-01-0001)" in messages_of(
        response
    )
    assert "2. Rà soát lại, họp lại" in text(response)
    # The head records the village's meeting, not its posting.
    assert client.post(a1_url, {"action": "posting"}).status_code == 403

    # Reviewed again, met again: 11 of 20 agree.
    on(client, time_machine, date(2024, 10, 20), head_a1)
    make_review(
        h["a1_poor"], income=3_000_000, on=date(2024, 10, 15), round=review_round
    )
    response = client.post(
        a1_url, {**meeting, "held_on": "16/10/2024", f"agree_{h['a1_poor'].pk}": "11"}
    )
    assert response.status_code == 302

    # A2 meets (the officer records it); both villages are posted.
    client.force_login(officer)
    response = client.post(
        a2_url,
        {
            **{k: v for k, v in meeting.items() if not k.startswith("agree_")},
            "held_on": "17/10/2024",
            "chaired_by": "Quách Văn Hòa",
            f"agree_{h['a2_poor'].pk}": "15",
            f"agree_{h['a2_asks'].pk}": "16",
        },
    )
    assert response.status_code == 302
    # Fri 18/10 – Mon 21/10: two working days, too short once over.
    for village_url in (a1_url, a2_url):
        response = client.post(
            village_url,
            {
                "action": "posting",
                "posted_from": "18/10/2024",
                "posted_until": "21/10/2024",
                "place": "Trụ sở UBND xã và nhà văn hóa thôn",
            },
        )
        assert response.status_code == 302
    on(client, time_machine, date(2024, 10, 22), officer)
    assert "Niêm yết chưa đủ thời gian" in text(client.get(a1_url))
    response = client.post(round_url, {**close, "closed_on": "22/10/2024"})
    assert "niêm yết 2 ngày làm việc, cần 3 ngày làm việc" in text(response)
    for village_url in (a1_url, a2_url):
        client.post(
            village_url,
            {
                "action": "posting",
                "posted_from": "22/10/2024",
                "posted_until": "24/10/2024",
                "place": "Nhà văn hóa thôn",
            },
        )

    # A complaint about A2's list, answered after a re-check.
    on(client, time_machine, date(2024, 10, 23), officer)
    response = client.post(
        a2_url,
        {
            "action": "complaint",
            "received_on": "23/10/2024",
            "complainant": "Bùi Văn Khánh",
            "household_code": "CN-02-0009",
            "content": "Hộ này có xe ô tô.",
        },
    )
    assert "Không có hộ mã CN-02-0009 trong thôn này." in text(response)
    client.post(
        a2_url,
        {
            "action": "complaint",
            "received_on": "23/10/2024",
            "complainant": "Bùi Văn Khánh",
            "household_code": "ｃｎ-02-０００２",  # full-width, lower case: CN-02-0002
            "content": "Hộ này có xe ô tô.",
        },
    )
    complaint = Complaint.objects.get()
    assert complaint.household == h["a2_asks"]
    on(client, time_machine, date(2024, 10, 25), officer)
    steps = {
        s.village.name: s.standing.step
        for s in village_standings(
            review_round, Household.objects.all(), today=date(2024, 10, 25)
        )
    }
    assert steps == {"Làng Chiềng": Step.READY, "Làng Bột": Step.COMPLAINTS}
    response = client.post(
        a2_url,
        {
            "action": "answer",
            "complaint_id": str(complaint.pk),
            f"c{complaint.pk}-answered_on": "24/10/2024",
            f"c{complaint.pk}-answer": "Phúc tra: xe của người con đã tách hộ.",
            f"c{complaint.pk}-outcome": "kept",
        },
    )
    assert response.status_code == 302, text(response)

    # The round page shows where each village is.
    page = text(client.get(round_url))
    assert page.count("4. Chờ quyết định công nhận") == 2

    # 4. The chairman's decision: a malformed number is refused, then recognised.
    response = client.post(
        round_url, {**close, "closed_on": "25/10/2024", "decision_number": "QĐ 123"}
    )
    assert "Số, ký hiệu viết như “123/QĐ-UBND”" in text(response)
    client.force_login(chairman)
    assert (
        client.post(round_url, {**close, "closed_on": "25/10/2024"}).status_code == 403
    )
    client.force_login(officer)
    response = client.post(round_url, {**close, "closed_on": "25/10/2024"})
    assert response.status_code == 302
    review_round.refresh_from_db()
    assert review_round.closed_on == date(2024, 10, 25)
    assert review_round.closed_by == officer
    decision = RecognitionDecision.objects.get()
    assert (decision.number, decision.signed_on) == ("123/QĐ-UBND", date(2024, 10, 25))
    assert (
        "Quyết định công nhận số <strong>123/QĐ-UBND</strong> ngày 25/10/2024"
        in text(client.get(round_url))
    )

    # The closed round is locked: no review dated in it, no meeting, no posting.
    late = Review(
        household=h["a1_near"],
        review_date=date(2024, 10, 24),
        reviewer_name="X",
        income_per_person_month=1_000_000,
        household_size=1,
        round=review_round,
    )
    with pytest.raises(ValidationError, match="công nhận ngày 25/10/2024"):
        late.full_clean()
    response = client.post(
        a1_url, {**meeting, "held_on": "25/10/2024", f"agree_{h['a1_poor'].pk}": "15"}
    )
    assert response.status_code == 302
    assert "đã được công nhận ngày 25/10/2024: không ghi thêm" in text(
        client.get(a1_url)
    )
    assert VillageMeeting.objects.count() == 3
    assert Posting.objects.count() == 4

    # The documents print in the ND 30/2020 layout.
    pdf = client.get(reverse("reports:round_decision", args=[2024]))
    assert pdf["Content-Type"] == "application/pdf"
    decision_text = pdf_text(pdf.content, tmp_path)
    assert "QUYẾT ĐỊNH" in decision_text and "123/QĐ-UBND" in decision_text
    flat = " ".join(decision_text.split())
    assert (
        "Công nhận 1 hộ nghèo (1 nhân khẩu); 2 hộ cận nghèo (2 nhân khẩu); 1 hộ thoát "
        "nghèo (1 nhân khẩu); 0 hộ thoát cận nghèo (0 nhân khẩu) năm 2024" in flat
    )
    # 2024: the district chairman was still consulted, and is told.
    assert "và ý kiến của Chủ tịch UBND huyện" in flat
    assert "UBND huyện" in flat.split("Nơi nhận:")[1]
    assert "Phụ lục III\nDANH SÁCH HỘ THOÁT NGHÈO NĂM 2024" in decision_text
    assert "TM. ỦY BAN NHÂN DÂN" not in decision_text  # the chairman decides himself
    assert "DANH SÁCH HỘ THOÁT NGHÈO" in decision_text and "CN-01-0001" in decision_text
    minutes = VillageMeeting.objects.filter(village=village_a1).last()
    assert minutes is not None
    minutes_text = pdf_text(
        client.get(reverse("reports:meeting_minutes", args=[2024, minutes.pk])).content,
        tmp_path,
    )
    assert "BIÊN BẢN" in minutes_text and "11/20" in minutes_text
    posting = Posting.objects.filter(village=village_a2).last()
    assert posting is not None
    notice = pdf_text(
        client.get(reverse("reports:posting_notice", args=[2024, posting.pk])).content,
        tmp_path,
    )
    assert "THÔNG BÁO" in notice and "22/10/2024" in notice
    summary = reverse("reports:round_summary", args=[2024])
    phieu_c = pdf_text(client.get(f"{summary}?thon={village_a2.pk}").content, tmp_path)
    flat = " ".join(phieu_c.split())
    assert "PHIẾU C" in flat and "Hộ mới (có giấy đề nghị)" in flat
    assert "Quách Văn Tú Hộ nghèo cũ 02/10/2024 30 Hộ nghèo" in flat
    blank = client.get(f"{summary}?thon={village_a2.pk}&mau-trong=1")
    assert "02/10/2024" not in pdf_text(blank.content, tmp_path)


def pdf_text(content: bytes, tmp_path: Path) -> str:
    pdf = tmp_path / "document.pdf"
    pdf.write_bytes(content)
    return subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


@pytest.mark.django_db
def test_requests_out_of_a_round_are_regular_and_shown_overdue(
    client: Client,
    time_machine: Any,
    officer: User,
    head_a1: User,
    commune_2024: dict[str, Household],
) -> None:
    on(client, time_machine, date(2024, 3, 20), officer)
    client.force_login(officer)
    url = reverse("households:household_requests", args=[commune_2024["a1_near"].pk])
    response = client.post(
        url,
        {
            "action": "record",
            "kind": "escape",
            "received_on": "16/03/2024",
            "channel": "online",
        },
    )
    assert response.status_code == 302
    request = ReviewRequest.objects.get()
    assert (request.round, request.deadline) == (None, date(2024, 4, 30))
    # A refusal needs its written reason.
    response = client.post(
        url,
        {
            "action": "answer",
            "request_id": str(request.pk),
            "answer": "refuse",
            "refused_on": "20/03/2024",
        },
    )
    assert "Ghi lý do từ chối" in text(response)
    on(client, time_machine, date(2024, 5, 2), officer)
    page = text(client.get(reverse("households:requests")))
    assert "1 giấy đề nghị quá hạn chưa trả lời." in page
    assert "Quá hạn" in page
    # The head of the village reads it, and may not answer it.
    client.force_login(head_a1)
    assert "CN-01-0002" in text(client.get(reverse("households:requests")))
    assert client.post(url, {"action": "record"}).status_code == 403
    client.force_login(officer)
    response = client.post(
        url,
        {
            "action": "answer",
            "request_id": str(request.pk),
            "answer": "refuse",
            "refused_on": "02/05/2024",
            "refusal_reason": "Hộ vẫn thiếu hụt 2 chỉ số.",
        },
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.is_overdue()  # answered, but late
