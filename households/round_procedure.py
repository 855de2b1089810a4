"""The round's procedure read from the database: its list to review and where each
village stands (QĐ 24/2021/QĐ-TTg Điều 4). The rules are `households.procedure`;
this module only gathers their facts."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Max, Q

from households.holidays import holidays_between
from households.models import (
    Complaint,
    Household,
    HouseholdQuerySet,
    Posting,
    Review,
    ReviewRequest,
    ReviewRound,
    Village,
    VillageMeeting,
)
from households.poverty import PovertyStatus
from households.procedure import (
    HolidayCalendar,
    MeetingFacts,
    PostingFacts,
    Standing,
    VillageFacts,
    village_step,
)
from households.procedure_models import RULES
from households.surveys import screened_out


@dataclass(frozen=True)
class ListedHousehold:
    """One line of the list to review: why the household is on it."""

    household: Household
    status: str | None  # managed as poor / near-poor at the round's opening
    request: ReviewRequest | None  # its request in the round (Mẫu 01/04)

    @property
    def origin(self) -> str:
        """The household's origin on Phiếu C: old poor, old near-poor, or new."""
        if self.status == PovertyStatus.POOR:
            return "Hộ nghèo cũ"
        if self.status == PovertyStatus.NEAR_POOR:
            return "Hộ cận nghèo cũ"
        return "Hộ mới (có giấy đề nghị)"


def list_to_review(
    review_round: ReviewRound, households: HouseholdQuerySet
) -> list[ListedHousehold]:
    """Điều 4 khoản 1: (a) the households the commune manages as poor or near-poor
    when the round opens, (b) the households whose request the round takes."""
    # The status "when the round opens": by the reviews before its first day.
    opened = review_round.opened_on - timedelta(days=1)
    managed = {
        h.pk: h
        for h in households.active()
        .present_on(opened)
        .with_status_on(opened)
        .with_status(PovertyStatus.POOR, PovertyStatus.NEAR_POOR)
        .select_related("village")
        .prefetch_related("members")
    }
    requests = {
        r.household_id: r
        for r in ReviewRequest.objects.filter(
            round=review_round, household__in=households
        ).order_by("received_on", "id")
    }
    asking = (
        households.filter(pk__in=requests.keys() - managed.keys())
        .select_related("village")
        .prefetch_related("members")
    )
    lines = [
        ListedHousehold(h, getattr(h, "status", None), requests.get(h.pk))
        for h in [*managed.values(), *asking]
    ]
    lines.sort(key=lambda line: (line.household.village.position, line.household.code))
    return lines


def round_holidays(review_round: ReviewRound) -> HolidayCalendar:
    """The public holidays the round's time limits may meet: from its opening to
    the end of the next year (a posting or a complaint may run into January)."""
    return holidays_between(review_round.opened_on, date(review_round.year + 1, 12, 31))


def still_to_review(
    review_round: ReviewRound, households: HouseholdQuerySet
) -> list[ListedHousehold]:
    """The lines of the list to review that still wait for their review: no review
    in the round yet, not screened out by Phiếu A (their review stopped there, as
    `village_standings` counts it), still on the register."""
    reviewed = set(
        Review.objects.filter(round=review_round, household__in=households).values_list(
            "household_id", flat=True
        )
    )
    done = reviewed | screened_out(review_round, households)
    return [
        line
        for line in list_to_review(review_round, households)
        if line.household.pk not in done and not line.household.is_archived
    ]


@dataclass(frozen=True)
class VillageStanding:
    village: Village
    listed: int
    reviewed: int
    standing: Standing
    # The meeting the standing reads (the latest), for its signed minutes.
    meeting: VillageMeeting | None = None


def village_standings(
    review_round: ReviewRound,
    households: HouseholdQuerySet,
    *,
    today: date,
    villages: Iterable[Village] | None = None,
    holidays: HolidayCalendar | None = None,
) -> list[VillageStanding]:
    """Where each village of the round is, in village order; the posting's working
    days skip the public holidays of the table (`round_holidays`)."""
    if holidays is None:
        holidays = round_holidays(review_round)
    if villages is None:
        villages = list(review_round.commune.villages.order_by("position", "name"))
    reviewed: dict[int, dict[int, date]] = defaultdict(dict)
    for row in (
        Review.objects.filter(round=review_round, household__in=households)
        .values("household_id", "household__village_id")
        .annotate(last=Max("review_date"))
    ):
        reviewed[row["household__village_id"]][row["household_id"]] = row["last"]
    # A household on the list that Phiếu A screened out (and that was not reviewed
    # anyway) has finished: it goes neither to Phiếu B nor to the village's vote.
    stopped = screened_out(review_round, households)
    listed: dict[int, set[int]] = defaultdict(set)
    for line in list_to_review(review_round, households):
        household = line.household
        if (
            household.pk in stopped
            and household.pk not in reviewed[household.village_id]
        ):
            continue
        listed[household.village_id].add(household.pk)
    meetings: dict[int, VillageMeeting] = {}
    for meeting in VillageMeeting.objects.filter(
        review_round=review_round
    ).prefetch_related("votes"):
        meetings[meeting.village_id] = meeting  # ordered by date: the latest wins
    postings: dict[int, Posting] = {}
    for posting in Posting.objects.filter(review_round=review_round):
        postings[posting.village_id] = posting
    complaints = dict(
        Complaint.objects.filter(review_round=review_round)
        .values("village_id")
        .annotate(n=Count("id", filter=Q(answered_on__isnull=True)))
        .values_list("village_id", "n")
    )
    result = []
    for village in villages:
        meeting = meetings.get(village.pk)
        posting = postings.get(village.pk)
        facts = VillageFacts(
            to_review=frozenset(listed[village.pk]),
            reviewed=reviewed[village.pk],
            meeting=meeting
            and MeetingFacts(
                held_on=meeting.held_on,
                attendees=meeting.attendees,
                votes={v.household_id: v.agreeing for v in meeting.votes.all()},
            ),
            posting=posting
            and PostingFacts(
                posted_from=posting.posted_from, posted_until=posting.posted_until
            ),
            open_complaints=complaints.get(village.pk, 0),
            holidays=tuple(sorted(holidays.days)),
        )
        standing = village_step(
            facts, today=today, recognised=not review_round.is_open, rules=RULES
        )
        result.append(
            VillageStanding(
                village,
                len(listed[village.pk]),
                len(reviewed[village.pk]),
                standing,
                meeting,
            )
        )
    return result


def closing_refusal(review_round: ReviewRound, *, on: date) -> str | None:
    """Why the chairman may not recognise the round on `on`, or None: every village
    must have agreed its results in a meeting and posted them (Điều 4 khoản 2–3)."""
    households = Household.objects.filter(commune=review_round.commune)
    pending = [
        s
        for s in village_standings(review_round, households, today=on)
        if not s.standing.step.passed
    ]
    if not pending:
        return None
    lines = "; ".join(
        f"{s.village.name}: {s.standing.label.lower()}"
        + (f" ({s.standing.detail})" if s.standing.detail else "")
        for s in pending
    )
    return (
        f"Chưa công nhận được kết quả: {len(pending)} thôn chưa xong họp dân và niêm "
        f"yết đến ngày {on:%d/%m/%Y} — {lines}."
    )
