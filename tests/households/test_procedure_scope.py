"""Who may open and write the review procedure's pages and documents (QĐ 24/2021).

`PROCEDURE_POLICY` is this part of the project's policy table (the coverage test of
tests/households/test_scope.py counts it). The officer writes everything; a village
head reads their village and records its meeting; the chairman and the sector
officers read. Out of scope is 404, in scope but read-only 403, and a request that is
not an allowed write leaves every row as it was.

The data: both communes recognised their 2023 round on 10/12/2023 (their household
poor, so certified; commune A's decision's signed scan on file) and run their 2024
round (opened 01/09/2024); village A1 has a poor household reviewed in the round, met
on (minutes signed and scanned), posted and complained about, and two regular reviews
(one recognised on 18/10, one awaiting); the day is 20/10/2024. A correction is
written by whoever may record the record (tests/households/test_procedure_records.py
tells the rest).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from giamngheo.models import User
from households.models import (
    Commune,
    Complaint,
    Household,
    Posting,
    RecognitionDecision,
    RegularDecision,
    Review,
    ReviewKind,
    ReviewRequest,
    ReviewRound,
    VillageMeeting,
)
from tests.conftest import make_household, make_review
from tests.households.test_scope import ROLES, database_state, log_in, with_province

VN = ZoneInfo("Asia/Ho_Chi_Minh")
PDF = b"%PDF-1.4\n%scan\n"
POOR = ("viec_lam", "chat_luong_nha_o", "nguon_nuoc_sinh_hoat")

OK, SAVED, F, NF, LOGIN = 200, 302, 403, 404, "login"


def row(*cells: int | str) -> dict[str, int | str]:
    return dict(zip(ROLES, cells, strict=True))


ALL_READ = row(LOGIN, OK, OK, OK, OK, OK, OK)
A1_READ = row(LOGIN, OK, OK, OK, OK, NF, OK)

# fmt: off
PROCEDURE_POLICY: dict[str, dict[str, dict[str, int | str]]] = {
    #                   anon    officer chairman sector head_a1 outsider admin
    "households:requests": {"GET": ALL_READ},
    # Household A1's requests: the officer records them.
    "households:household_requests": {
        "GET":  A1_READ,
        "POST": row(LOGIN,  SAVED,  F,      F,     F,      NF,      SAVED),
    },
    # The list of the user's own commune's round (commune B has one too).
    "households:round_list_to_review": {"GET": ALL_READ},
    # Village A1's steps: the officer and A1's head record its meeting.
    "households:round_village": {
        "GET":  A1_READ,
        "POST": row(LOGIN,  SAVED,  F,      F,     SAVED,  NF,      SAVED),
    },
    # Corrections while the round is open: whoever may record the record. The
    # read-only roles get 403 on the form too.
    "households:meeting_edit": {
        "GET":  row(LOGIN,  OK,     F,      F,     OK,     NF,      OK),
        "POST": row(LOGIN,  SAVED,  F,      F,     SAVED,  NF,      SAVED),
    },
    "households:meeting_delete": {
        "POST": row(LOGIN,  SAVED,  F,      F,     SAVED,  NF,      SAVED),
    },
    "households:posting_edit": {
        "GET":  row(LOGIN,  OK,     F,      F,     F,      NF,      OK),
        "POST": row(LOGIN,  SAVED,  F,      F,     F,      NF,      SAVED),
    },
    "households:posting_delete": {
        "POST": row(LOGIN,  SAVED,  F,      F,     F,      NF,      SAVED),
    },
    "households:complaint_edit": {
        "GET":  row(LOGIN,  OK,     F,      F,     F,      NF,      OK),
        "POST": row(LOGIN,  SAVED,  F,      F,     F,      NF,      SAVED),
    },
    "households:complaint_delete": {
        "POST": row(LOGIN,  SAVED,  F,      F,     F,      NF,      SAVED),
    },
    # Signed scans: read by whoever sees the record, attached by whoever records it.
    "households:meeting_scan": {
        "GET":  A1_READ,
        "POST": row(LOGIN,  SAVED,  F,      F,     SAVED,  NF,      SAVED),
    },
    # Commune A's 2023 decision: every role of commune A reads it.
    "households:decision_scan": {
        "GET":  A1_READ,
        "POST": row(LOGIN,  SAVED,  F,      F,     F,      NF,      SAVED),
    },
    # The public holidays that the working days skip: everyone reads them.
    "households:public_holidays": {"GET": ALL_READ},
    # Entry in bulk of village A1's review forms (?thon=): the officer and A1's head
    # save a row (a household of A1 still to review, made by `post_data`).
    "households:round_bulk_entry": {
        "GET":  row(LOGIN,  OK,     F,      F,     OK,     NF,      OK),
        "POST": row(LOGIN,  SAVED,  F,      F,     SAVED,  NF,      SAVED),
    },
    "reports:round_decision": {"GET": ALL_READ},
    # Regular reviews awaiting the chairman's decision (Điều 5): the officer records
    # the decision; the chairman reads; commune B's officer sees commune B's page,
    # where household A1's review is no choice (the form refuses it, nothing saved).
    "households:regular_decisions": {
        "GET":  row(LOGIN,  OK,     OK,     F,     F,      OK,      OK),
        "POST": row(LOGIN,  SAVED,  F,      F,     F,      OK,      SAVED),
    },
    "reports:regular_decision": {"GET": row(LOGIN, OK, OK, OK, OK, NF, OK)},
    "reports:regular_decision_draft": {"GET": ALL_READ},
    "reports:meeting_minutes": {"GET": A1_READ},
    "reports:posting_notice": {"GET": A1_READ},
    # Phiếu C of village A1 (?thon=).
    "reports:round_summary": {"GET": A1_READ},
    # Phiếu A/B: household A1 pre-filled; village A1's list (?thon=).
    "reports:household_field_forms": {"GET": A1_READ},
    "reports:village_field_forms": {"GET": A1_READ},
    # The 2023 certificates: household A1's; village A1's (?thon=).
    "reports:household_certificate": {"GET": A1_READ},
    "reports:round_certificates": {"GET": A1_READ},
    # Village A1's Phiếu A/B as an XLSForm for the phones.
    "households:phone_form": {"GET": A1_READ},
    # The phones' submissions into the round: the officer only (commune B's officer
    # into commune B's round); an empty upload re-shows the form, nothing written.
    "households:phone_import": {
        "GET":  row(LOGIN,  OK,     F,      F,     F,      OK,      OK),
        "POST": row(LOGIN,  OK,     F,      F,     F,      OK,      OK),
    },
}
# fmt: on


@pytest.fixture
def procedure(
    time_machine: Any,
    household_a1: Household,
    household_b: Household,
    officer: User,
) -> dict[str, Any]:
    time_machine.move_to(datetime(2024, 10, 20, 9, tzinfo=VN), tick=False)
    for household in (household_a1, household_b):
        household.registered_on = date(2015, 1, 1)
        household.save()
        # Poor by the 2023 round, recognised on 10/12/2023: it holds a certificate.
        round_2023 = ReviewRound.objects.create(
            commune=household.commune,
            year=2023,
            opened_on=date(2023, 9, 1),
            closed_on=date(2023, 12, 10),
        )
        make_review(household, deprived=POOR, on=date(2023, 11, 20), round=round_2023)
        RecognitionDecision.objects.create(
            review_round=round_2023,
            number="98/QĐ-UBND",
            signed_on=date(2023, 12, 10),
            signer_name="Phạm Văn Quang",
        )
    rounds = {
        commune.pk: ReviewRound.objects.create(
            commune=commune, year=2024, opened_on=date(2024, 9, 1)
        )
        for commune in Commune.objects.all()
    }
    review_round = rounds[household_a1.commune_id]
    make_review(household_a1, deprived=POOR, on=date(2024, 10, 1), round=review_round)
    village = household_a1.village
    meeting = VillageMeeting.objects.create(
        review_round=review_round,
        village=village,
        held_on=date(2024, 10, 2),
        chaired_by="Bùi Văn Thắng",
        attendees=20,
    )
    meeting.votes.create(household=household_a1, agreeing=15)
    meeting.signed_scan.save("bien-ban.pdf", ContentFile(PDF), save=False)
    meeting.signed_scan_name, meeting.signed_scan_type = (
        "bien-ban.pdf",
        "application/pdf",
    )
    meeting.save()
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
    decision = RecognitionDecision.objects.get(
        review_round__commune=household_a1.commune, review_round__year=2023
    )
    decision.signed_scan.save("quyet-dinh.pdf", ContentFile(PDF), save=False)
    decision.signed_scan_name = "quyet-dinh.pdf"
    decision.signed_scan_type = "application/pdf"
    decision.save()
    in_village = [2024, village.pk]
    # A regular review of household A1 recognised on 18/10; another awaiting.
    recognised = make_review(
        household_a1, on=date(2024, 10, 16), kind=ReviewKind.REGULAR
    )
    regular_decision = RegularDecision.objects.create(
        commune=household_a1.commune,
        number="45/QĐ-UBND",
        signed_on=date(2024, 10, 18),
        signer_name="Phạm Văn Hòa",
    )
    recognised.regular_decision = regular_decision
    recognised.save()
    awaiting = make_review(household_a1, on=date(2024, 10, 19), kind=ReviewKind.REGULAR)
    return {
        "reports:regular_decision": [regular_decision.pk],
        "awaiting": awaiting,
        "households:meeting_edit": [*in_village, meeting.pk],
        "households:meeting_delete": [*in_village, meeting.pk],
        "households:meeting_scan": [*in_village, meeting.pk],
        "households:posting_edit": [*in_village, posting.pk],
        "households:posting_delete": [*in_village, posting.pk],
        "households:complaint_edit": [*in_village, complaint.pk],
        "households:complaint_delete": [*in_village, complaint.pk],
        "households:decision_scan": [2023, decision.pk],
        "households:household_requests": [household_a1.pk],
        "households:round_list_to_review": [2024],
        "households:round_village": [2024, village.pk],
        "households:round_bulk_entry": [2024],
        "households:phone_form": [2024, village.pk],
        "households:phone_import": [2024],
        "reports:round_decision": [2024],
        "reports:meeting_minutes": [2024, meeting.pk],
        "reports:posting_notice": [2024, posting.pk],
        "reports:round_summary": [2024],
        "reports:household_field_forms": [household_a1.pk],
        "reports:village_field_forms": [2024],
        "reports:household_certificate": [2023, household_a1.pk],
        "reports:round_certificates": [2023],
        "query": {
            "reports:round_summary": f"?thon={village.pk}",
            "reports:village_field_forms": f"?thon={village.pk}",
            "reports:round_certificates": f"?thon={village.pk}",
            "households:round_bulk_entry": f"?thon={village.pk}",
        },
        "household": household_a1,
    }


def post_data(url_name: str, procedure: dict[str, Any]) -> dict[str, Any]:
    household = procedure["household"]
    if url_name == "households:regular_decisions":
        return {
            "number": "46/QĐ-UBND",
            "signed_on": "20/10/2024",
            "signer_name": "Phạm Văn Hòa",
            "reviews": str(procedure["awaiting"].pk),
        }
    if url_name == "households:round_bulk_entry":
        # A poor household of village A1 not yet reviewed in the round: one row.
        waiting = make_household(household.village, "CN-01-0009", "Hà Văn Tám")
        waiting.registered_on = date(2015, 1, 1)
        waiting.save()
        make_review(waiting, deprived=POOR, on=date(2023, 11, 20))
        prefix = f"h{waiting.pk}-"
        return {
            "ho": str(waiting.pk),
            prefix + "review_date": "15/10/2024",
            prefix + "reviewer_name": "Bùi Văn Thắng",
            prefix + "income_per_person_month": "1.500.000",
            # 3 indicators the members do not decide (no note needed).
            **{prefix + slug: "on" for slug in POOR if slug != "viec_lam"},
            prefix + "su_dung_dich_vu_vien_thong": "on",
        }
    if url_name == "households:household_requests":
        return {
            "action": "record",
            "kind": "review",
            "received_on": "15/10/2024",
            "channel": "in_person",
        }
    if url_name == "households:round_village":
        return {
            "action": "meeting",
            "held_on": "15/10/2024",
            "chaired_by": "Bùi Văn Thắng",
            "attendees": "20",
            f"agree_{household.pk}": "12",
        }
    if url_name == "households:meeting_edit":
        return {
            "held_on": "02/10/2024",
            "chaired_by": "Bùi Văn Thắng",
            "attendees": "20",
            f"agree_{household.pk}": "16",
        }
    if url_name == "households:posting_edit":
        return {
            "posted_from": "03/10/2024",
            "posted_until": "08/10/2024",
            "place": "Nhà văn hóa thôn",
        }
    if url_name == "households:complaint_edit":
        return {
            "received_on": "05/10/2024",
            "complainant": "Đinh Thị Hoa",
            "content": "Hộ A1 mới mua xe máy.",
        }
    if url_name.endswith("_scan"):
        return {"ban_ky": SimpleUploadedFile("ban-ky-moi.pdf", PDF, "application/pdf")}
    return {}  # a deletion


def _scan_name(model: type[VillageMeeting | RecognitionDecision]) -> str:
    # Commune A's record: commune B recognised its 2023 round too.
    return model.objects.get(review_round__commune__code="a").signed_scan_name


EFFECTS: dict[str, Callable[[], bool]] = {
    "households:household_requests": lambda: ReviewRequest.objects.count() == 1,
    "households:round_village": lambda: VillageMeeting.objects.count() == 2,
    "households:round_bulk_entry": lambda: Review.objects.filter(
        household__code="CN-01-0009", round__isnull=False
    ).exists(),
    "households:regular_decisions": lambda: (
        RegularDecision.objects.count() == 2
        and not Review.objects.filter(
            kind=ReviewKind.REGULAR, regular_decision__isnull=True
        ).exists()
    ),
    "households:meeting_edit": lambda: (
        VillageMeeting.objects.get().votes.get().agreeing == 16
    ),
    "households:meeting_delete": lambda: not VillageMeeting.objects.exists(),
    "households:posting_edit": lambda: (
        Posting.objects.get().posted_until == date(2024, 10, 8)
    ),
    "households:posting_delete": lambda: not Posting.objects.exists(),
    "households:complaint_edit": lambda: (
        Complaint.objects.get().content == "Hộ A1 mới mua xe máy."
    ),
    "households:complaint_delete": lambda: not Complaint.objects.exists(),
    "households:meeting_scan": lambda: _scan_name(VillageMeeting) == "ban-ky-moi.pdf",
    "households:decision_scan": lambda: (
        _scan_name(RecognitionDecision) == "ban-ky-moi.pdf"
    ),
}


def cases() -> Iterator[Any]:
    for name, methods in PROCEDURE_POLICY.items():
        for method, cells in methods.items():
            for role, expected in with_province(cells, name, method).items():
                yield pytest.param(
                    name, method, role, expected, id=f"{name}-{method}-{role}"
                )


@pytest.mark.parametrize(("url_name", "method", "role", "expected"), list(cases()))
def test_procedure_url_matrix(
    db: None,
    client: Client,
    request: pytest.FixtureRequest,
    procedure: dict[str, Any],
    url_name: str,
    method: str,
    role: str,
    expected: int | str,
) -> None:
    log_in(client, request, role)
    path = reverse(url_name, args=procedure.get(url_name, []))
    path += procedure["query"].get(url_name, "")
    data = post_data(url_name, procedure) if method == "POST" else {}
    before = database_state()

    response = client.get(path) if method == "GET" else client.post(path, data)

    if expected == LOGIN:
        assert response.status_code == 302
        assert response.url == f"{reverse('login')}?next={quote(path, safe='/')}"
    else:
        assert response.status_code == expected, response.content.decode()[:2000]
    if expected == SAVED:
        assert EFFECTS[url_name]()
    else:
        assert database_state() == before
    if expected == OK and url_name.startswith("reports:"):
        assert response["Content-Type"] == "application/pdf"
    if expected == OK and url_name.endswith("_scan"):
        assert response["Content-Disposition"].startswith("attachment;")
        assert b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]


def test_a_village_head_does_not_see_another_villages_steps(
    client: Client, head_a2: User, procedure: dict[str, Any]
) -> None:
    client.force_login(head_a2)
    summary = reverse("reports:round_summary", args=[2024])
    village_a1 = procedure["household"].village_id
    assert client.get(f"{summary}?thon={village_a1}").status_code == 404
    forms = reverse("reports:village_field_forms", args=[2024])
    assert client.get(f"{forms}?thon={village_a1}&mau-trong=1").status_code == 404
    certificates = reverse("reports:round_certificates", args=[2023])
    assert client.get(f"{certificates}?thon={village_a1}").status_code == 404
    for name in (
        "reports:household_field_forms",
        "households:round_village",
        "households:meeting_edit",
        "households:meeting_scan",
        "households:posting_edit",
        "households:complaint_edit",
        "reports:meeting_minutes",
        "reports:posting_notice",
        "reports:household_certificate",
        "households:household_requests",
    ):
        assert client.get(reverse(name, args=procedure[name])).status_code == 404
