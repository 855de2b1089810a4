"""The demo's 2025 periodic round walked through every step through the pages, as the
officer, a village head and the chairman would (QĐ 24/2021/QĐ-TTg Điều 4): the round
opened, a household's request (Mẫu 01), Phiếu A, the reviews (B1 score and income),
each village's meeting with its votes, the posting, a complaint, the chairman's
decision, the statuses taking effect from its date and the closed round locked.

Thôn Lập Thành (position 6) is walked household by household through the review
page. The other villages' routine reviews are recorded with the model API (the review
page itself is tested in tests/households/test_forms.py, test_b1_review.py and
test_b2_review_form.py); their meetings and postings go through the pages.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from pyxform.xls2xform import convert

from demo import register
from demo import regular_reviews as demo_regular
from demo import surveys as demo_surveys
from giamngheo.models import User
from households.models import (
    Complaint,
    Household,
    RecognitionDecision,
    Review,
    ReviewRound,
    Village,
)
from households.poverty import PovertyStatus
from households.procedure import Step
from households.round_procedure import list_to_review, village_standings
from households.survey_questions import questions_for
from households.surveys import QuickScreen, QuickScreenResult
from tests.demo_seed import demo_seeded
from tests.households.phone_exports import kobo_xlsx
from tests.households.test_b1_review import POOR_FARM

YEAR = 2025
WALKED = 6  # Thôn Lập Thành: its households are reviewed through the page
ASKING = 3  # Làng Chiềng: a household asks, Phiếu A screens another out


@pytest.fixture(scope="module")
def seeded(django_db_setup: None, django_db_blocker: object) -> Iterator[None]:
    with demo_seeded(
        django_db_blocker,
        register.seed_demo,
        register.seed_review_round_2024,
        demo_surveys.seed_surveys_2024,
        demo_regular.seed_regular_reviews_2024,
    ):
        yield


def login(client: Client, username: str) -> User:
    user = User.objects.get(username=username)
    client.force_login(user)
    return user


def text(response: Any) -> str:
    return response.content.decode()


def messages_of(response: Any) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def day(d: date) -> str:
    return f"{d:%d/%m/%Y}"


def as_rendered(client: Client, url: str) -> dict[str, str]:
    """The form's fields as the page fills them in (from the register's facts)."""
    form = client.get(url).context["form"]
    data: dict[str, str] = {}
    for field in form:
        value = field.value()
        if value is None or value is False:
            continue
        if value is True:
            data[field.html_name] = "on"
        elif isinstance(value, list | tuple):
            data[field.html_name] = value  # type: ignore[assignment]
        else:
            data[field.html_name] = str(value)
    return data


def review_page(client: Client, household: Household, on: str, **fields: str) -> Any:
    """The officer opens the review form in the round, changes what the survey
    found, and saves it."""
    url = reverse("households:review_create", args=[household.pk]) + f"?dot={YEAR}"
    data = as_rendered(client, url)
    data |= {"review_date": on, "kind": "periodic", "reviewer_name": "Bùi Văn Thắng"}
    for name, value in fields.items():
        if value == "off":
            data.pop(name, None)
        else:
            data[name] = value
    return client.post(url, data)


def routine_review(household: Household, on: date, review_round: ReviewRound) -> None:
    """The household's last review again, in the round: the same facts, same status."""
    last = household.reviews.order_by("-review_date", "-id").first()
    assert last is not None
    last.pk = None
    last.id = None
    last._state.adding = True
    last.review_date = on
    last.round = review_round
    last.kind = "periodic"
    last.standard_code = ""
    last.save()


@pytest.mark.usefixtures("seeded")
@pytest.mark.django_db
def test_the_2025_round_from_the_list_to_the_chairmans_decision(
    client: Client, settings: Any
) -> None:
    def on(d: date, username: str = register.OFFICER_USERNAME) -> User:
        settings.DEMO_WORKING_DATE = d
        return login(client, username)

    villages = {v.position: v for v in Village.objects.filter(commune__code="cao-ngoc")}
    walked, asking_village = villages[WALKED], villages[ASKING]
    status_2024 = dict(
        Household.objects.filter(commune__code="cao-ngoc")
        .with_status_on(date(2024, 12, 31))
        .values_list("pk", "status")
    )

    # 1. The officer opens the 2025 round.
    on(date(2025, 9, 1))
    response = client.post(
        reverse("households:rounds"), {"year": str(YEAR), "opened_on": "01/09/2025"}
    )
    assert response.status_code == 302, text(response)
    review_round = ReviewRound.objects.get(commune__code="cao-ngoc", year=YEAR)

    # A household of Làng Chiềng that is neither poor nor near-poor asks (Mẫu 01);
    # another asks too and Phiếu A screens it out.
    others = (
        Household.objects.filter(village=asking_village)
        .with_status_on(date(2024, 12, 31))
        .exclude(status__in=[PovertyStatus.POOR, PovertyStatus.NEAR_POOR])
        .order_by("code")
    )
    asker, screened = others[0], others[1]
    on(date(2025, 9, 5))
    for household in (asker, screened):
        response = client.post(
            reverse("households:household_requests", args=[household.pk]),
            {
                "action": "record",
                "kind": "review",
                "received_on": "05/09/2025",
                "channel": "post",
            },
        )
        assert response.status_code == 302, text(response)
    lines = list_to_review(review_round, Household.objects.all())
    new = [x.household for x in lines if x.origin == "Hộ mới (có giấy đề nghị)"]
    assert new == [asker, screened]
    managed = (
        Household.objects.active()
        .present_on(date(2025, 8, 31))
        .with_status_on(date(2025, 8, 31))
        .with_status(PovertyStatus.POOR, PovertyStatus.NEAR_POOR)
    )
    assert len(lines) == 2 + managed.count() == 2 + 42 + 110

    on(date(2025, 9, 20))
    response = client.post(
        reverse("households:quick_screen", args=[screened.pk]) + f"?dot={YEAR}",
        {
            "screen_date": "20/09/2025",
            "screener_name": "Bùi Văn Thắng",
            "a__o_to": "on",
        },
    )
    assert response.status_code == 302, text(response)
    screen = QuickScreen.objects.get(round=review_round)
    assert (screen.household, screen.result) == (
        screened,
        QuickScreenResult.SCREENED_OUT,
    )

    # 2. The survey. Thôn Lập Thành through the review page: its first poor household
    # by Phiếu B1 points, the others by income, one near-poor household falling poor.
    walked_lines = [x for x in lines if x.household.village_id == walked.pk]
    assert walked_lines
    b1_household = next(
        x.household for x in walked_lines if x.status == PovertyStatus.POOR
    )
    near = [x.household for x in walked_lines if x.status == PovertyStatus.NEAR_POOR]
    falling = near[0]
    rich = {**POOR_FARM, "o_to": "co", "luong_huu": "2", "dien": "tu_150"}
    rich |= {"so_nhan_khau": "1", "phu_thuoc": "0", "dien_tich": "tu_40"}
    on(date(2025, 10, 6))
    for line in walked_lines:
        household = line.household
        last = household.reviews.order_by("-review_date", "-id").first()
        assert last is not None and last.income_per_person_month is not None
        fields = {"income_per_person_month": f"{last.income_per_person_month}"}
        if household == b1_household:
            fields = {"income_per_person_month": "", "note": "Theo Phiếu B1"}
            fields |= {f"b1__{code}": answer for code, answer in rich.items()}
        elif household == falling:
            fields = {
                "income_per_person_month": "1.200.000",
                "nguon_nuoc_sinh_hoat": "on",
                "chat_luong_nha_o": "on",
                "nha_tieu_hop_ve_sinh": "on",
                "note": "Giếng cạn, nhà dột, nhà tiêu tạm.",
            }
        response = review_page(client, household, "06/10/2025", **fields)
        assert response.status_code == 302, (
            household.code,
            response.context["form"].errors,
        )
    escaped = b1_household.reviews.get(round=review_round)
    assert escaped.b1_score is not None and escaped.income_per_person_month is None
    assert escaped.status == PovertyStatus.NOT_POOR
    assert falling.reviews.get(round=review_round).status == PovertyStatus.POOR

    # The asker through the page too; the other villages' routine reviews by the API.
    response = review_page(
        client, asker, "06/10/2025", income_per_person_month="1.300.000"
    )
    assert response.status_code == 302, response.context["form"].errors
    asker_url = reverse("households:review_create", args=[asker.pk]) + f"?dot={YEAR}"
    asker_data = as_rendered(client, asker_url)
    for line in lines:
        if line.household.village_id != walked.pk and line.household not in (
            asker,
            screened,
        ):
            routine_review(line.household, date(2025, 10, 8), review_round)

    # Closing now is refused: no village has met.
    on(date(2025, 10, 10))
    round_url = reverse("households:round_detail", args=[YEAR])
    close = {
        "closed_on": "10/10/2025",
        "decision_number": "188/QĐ-UBND",
        "signer_name": register.CHAIRMAN_NAME,
    }
    response = client.post(round_url, close)
    assert response.status_code == 200
    assert "11 thôn chưa xong họp dân và niêm yết" in text(response)
    assert ReviewRound.objects.get(pk=review_round.pk).is_open

    # 3. Each village meets. Thôn Lập Thành's head records its meeting: the household
    # falling poor gets exactly half the votes, is reviewed again and passes.
    def reviewed_in(village: Village) -> list[Household]:
        return list(
            Household.objects.filter(village=village, reviews__round=review_round)
            .distinct()
            .order_by("code")
        )

    def meeting(village: Village, held_on: date, **votes: int) -> dict[str, str]:
        data = {
            "action": "meeting",
            "held_on": day(held_on),
            "chaired_by": "Trưởng thôn",
            "attendees": "30",
        }
        for household in reviewed_in(village):
            data[f"agree_{household.pk}"] = str(votes.get(household.code, 25))
        return data

    head = f"truongthon{WALKED}"
    on(date(2025, 10, 12), head)
    walked_url = reverse("households:round_village", args=[YEAR, walked.pk])
    response = client.post(
        walked_url,
        meeting(walked, date(2025, 10, 12), **{falling.code: 15}),
        follow=True,
    )
    assert f"1 hộ chưa được quá nửa số người dự họp đồng ý ({falling.code})" in (
        messages_of(response)
    )
    assert "Rà soát lại, họp lại" in text(response)

    on(date(2025, 10, 14))
    response = review_page(
        client,
        falling,
        "14/10/2025",
        income_per_person_month="1.100.000",
        nguon_nuoc_sinh_hoat="on",
        chat_luong_nha_o="on",
        nha_tieu_hop_ve_sinh="on",
        note="Phúc tra sau họp thôn: giếng cạn, nhà dột, nhà tiêu tạm.",
    )
    assert response.status_code == 302, response.context["form"].errors
    on(date(2025, 10, 15), head)
    response = client.post(
        walked_url, meeting(walked, date(2025, 10, 15), **{falling.code: 16})
    )
    assert response.status_code == 302, text(response)

    # The officer records the other villages' meetings and every posting but one:
    # Wed 15/10 – Fri 17/10/2025, three working days.
    on(date(2025, 10, 15))
    for position, village in villages.items():
        village_url = reverse("households:round_village", args=[YEAR, village.pk])
        if position != WALKED:
            response = client.post(village_url, meeting(village, date(2025, 10, 15)))
            assert response.status_code == 302, (village.name, text(response))
        if position == 11:
            continue  # Làng Mốc posts later
        response = client.post(
            village_url,
            {
                "action": "posting",
                "posted_from": "15/10/2025",
                "posted_until": "17/10/2025",
                "place": "Nhà văn hóa thôn",
            },
        )
        assert response.status_code == 302, (village.name, text(response))

    # A complaint about Thôn Lập Thành's list, answered.
    on(date(2025, 10, 16))
    response = client.post(
        walked_url,
        {
            "action": "complaint",
            "received_on": "16/10/2025",
            "complainant": "Hà Văn Khánh",
            "household_code": b1_household.code,
            "content": "Hộ này vẫn khó khăn, đề nghị xem lại.",
        },
    )
    assert response.status_code == 302, text(response)
    complaint = Complaint.objects.get(review_round=review_round)
    response = client.post(
        walked_url,
        {
            "action": "answer",
            "complaint_id": str(complaint.pk),
            f"c{complaint.pk}-answered_on": "17/10/2025",
            f"c{complaint.pk}-answer": "Phúc tra: hộ có lương hưu, giữ kết quả.",
            f"c{complaint.pk}-outcome": "kept",
        },
    )
    assert response.status_code == 302, text(response)

    # 4. Closing is refused while Làng Mốc has not posted its list.
    on(date(2025, 10, 20))
    response = client.post(round_url, {**close, "closed_on": "20/10/2025"})
    assert response.status_code == 200
    assert "1 thôn chưa xong họp dân và niêm yết" in text(response), text(
        response
    ).split("errorlist")[1][:800]
    assert "Làng Mốc" in text(response)
    mooc_url = reverse("households:round_village", args=[YEAR, villages[11].pk])
    response = client.post(
        mooc_url,
        {
            "action": "posting",
            "posted_from": "20/10/2025",
            "posted_until": "22/10/2025",
            "place": "Nhà văn hóa thôn",
        },
    )
    assert response.status_code == 302, text(response)
    on(date(2025, 10, 23))
    steps = {
        s.village.position: s.standing.step
        for s in village_standings(
            review_round, Household.objects.all(), today=date(2025, 10, 23)
        )
    }
    assert set(steps.values()) == {Step.READY}, steps

    decided_on = date(2025, 10, 24)
    on(decided_on)
    response = client.post(round_url, {**close, "closed_on": day(decided_on)})
    assert response.status_code == 302, text(response)
    decision = RecognitionDecision.objects.get(review_round=review_round)
    assert (decision.number, decision.signed_on) == ("188/QĐ-UBND", decided_on)

    # 5. The statuses take effect from the decision's date.
    def status(household: Household, d: date) -> str:
        return (
            Household.objects.filter(pk=household.pk)
            .with_status_on(d)
            .values_list("status", flat=True)
            .get()
        )

    # The 2024 status holds until the chairman's decision, the day before it
    # included, though the households were surveyed weeks earlier; the new one
    # holds from the decision date (QĐ 24/2021 Điều 4 khoản 4).
    before = decided_on - timedelta(days=1)
    assert status(b1_household, before) == PovertyStatus.POOR
    assert status(b1_household, decided_on) == PovertyStatus.NOT_POOR
    assert status(falling, before) == PovertyStatus.NEAR_POOR
    assert status(falling, decided_on) == PovertyStatus.POOR
    assert status(asker, before) == status_2024[asker.pk]
    assert status(asker, decided_on) == PovertyStatus.NEAR_POOR
    assert status(screened, decided_on) == status_2024[screened.pk]
    detail = text(client.get(falling.get_absolute_url()))
    assert "188/QĐ-UBND" in detail or "24/10/2025" in detail

    response = client.get(round_url)
    page = text(response)
    steps = [s.standing.step for s in response.context["village_steps"]]
    assert steps == [Step.RECOGNISED] * len(villages) == [Step.RECOGNISED] * 11
    assert page.count('not_poor">Đã công nhận</span>') == 11
    assert (
        "Quyết định công nhận số <strong>188/QĐ-UBND</strong> ngày 24/10/2025" in page
    )

    # 6. The closed round is locked: a review dated inside it is refused.
    response = client.post(
        asker_url,
        {
            **asker_data,
            "review_date": "20/10/2025",
            "income_per_person_month": "900.000",
        },
    )
    assert response.status_code == 200
    assert "công nhận ngày 24/10/2025" in text(response)
    assert asker.reviews.filter(round=review_round).count() == 1
    assert Review.objects.filter(review_date__gt=decided_on).count() == 0


@pytest.mark.usefixtures("seeded")
@pytest.mark.django_db
def test_a_villages_phone_survey_goes_into_the_2025_round(
    client: Client, settings: Any
) -> None:
    """The officer opens the round, hands Thôn Lập Thành's phone form to the survey
    team, and brings their submissions back from the server's export: reviewed,
    screened out, and nothing twice when the next export is imported."""
    settings.DEMO_WORKING_DATE = date(2025, 9, 1)
    login(client, register.OFFICER_USERNAME)
    client.post(
        reverse("households:rounds"), {"year": str(YEAR), "opened_on": "01/09/2025"}
    )
    review_round = ReviewRound.objects.get(commune__code="cao-ngoc", year=YEAR)
    village = Village.objects.get(commune__code="cao-ngoc", position=WALKED)
    form = client.get(reverse("households:phone_form", args=[YEAR, village.pk]))
    assert form.status_code == 200
    warnings: list[str] = []
    convert(
        xlsform=io.BytesIO(form.content),
        file_type=".xlsx",
        warnings=warnings,
        validate=False,
    )
    assert warnings == []
    listed = [
        line.household
        for line in list_to_review(
            review_round, Household.objects.filter(village=village)
        )
    ]
    assert len(listed) >= 3
    questions = questions_for(review_round.commune, review_round.opened_on)
    assert questions.phieu_a is not None
    no_to_a = {f"a_{q.code}": "khong" for q in questions.phieu_a.questions}
    submissions = []
    for number, household in enumerate(listed[:3], start=1):
        lowest = {
            f"b1__{item.code}": min(item.answers, key=lambda a: a.points)
            for item in questions.b1_items
        }
        submissions.append(
            {
                "instanceID": f"uuid:lap-thanh-{number}",
                "ma_ho": household.code,
                "review_date": "2025-09-20",
                "reviewer_name": "Bùi Văn Thắng",
                **no_to_a,
                "ket_qua_phieu_a": "continue",
                **{name: answer.code for name, answer in lowest.items()},
                "b1_score": str(sum(a.points for a in lowest.values())),
                "floor_area_m2": "30",
                "wall_durable": "co",
                "frame_durable": "co",
                "roof_durable": "co",
                "water_source": "drilled_well",
                "latrine_type": "simple_pit",
                "uses_internet": "co",
                "information_devices": "phone",
                "hears_loudspeaker": "co",
                "chi_so_thieu_hut": "viec_lam nha_tieu_hop_ve_sinh",
                "note": "Rà soát tại hộ bằng điện thoại.",
            }
        )
    other = (
        Household.objects.filter(village=village)
        .active()
        .exclude(pk__in=[h.pk for h in listed])
        .order_by("code")
        .first()
    )
    assert other is not None
    submissions.append(
        {
            "instanceID": "uuid:lap-thanh-4",
            "ma_ho": other.code,
            "review_date": "2025-09-21",
            "reviewer_name": "Bùi Văn Thắng",
            **no_to_a,
            "a_o_to": "co",
            "ket_qua_phieu_a": "screened_out",
        }
    )
    settings.DEMO_WORKING_DATE = date(2025, 9, 25)
    url = reverse("households:phone_import", args=[YEAR])
    round_page = text(client.get(reverse("households:round_detail", args=[YEAR])))
    assert url in round_page

    upload = SimpleUploadedFile("lap-thanh.xlsx", kobo_xlsx(form.content, submissions))
    preview = client.post(url, {"file": upload}, follow=True)
    assert preview.status_code == 200, text(preview)
    assert "Chưa ghi gì" in text(preview)
    done = client.post(
        url, {"action": "confirm", "token": preview.context["token"]}, follow=True
    )
    # The recording is a job: its page tells what it did.
    assert "Đã nạp lap-thanh.xlsx: 3 phiếu rà soát mới, 1 hộ dừng ở Phiếu A" in text(
        done
    )
    recorded = Review.objects.filter(round=review_round)
    assert set(recorded.values_list("household__code", flat=True)) == {
        h.code for h in listed[:3]
    }
    assert all(r.submission_id.startswith("uuid:lap-thanh-") for r in recorded)
    assert QuickScreen.objects.get(household=other, round=review_round).result == (
        QuickScreenResult.SCREENED_OUT
    )

    # The next export holds the same submissions: nothing is recorded twice.
    again = client.post(
        url,
        {"file": SimpleUploadedFile("lap-thanh-2.xlsx", upload.open().read())},
        follow=True,
    )
    assert "Bản gửi đã nạp trước đây (giữ nguyên)" in text(again)
    assert ["Bản gửi đã nạp trước đây (giữ nguyên)", 4] in again.context["counts"]
    assert Review.objects.filter(round=review_round).count() == 3
