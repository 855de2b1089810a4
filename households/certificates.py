"""Giấy chứng nhận hộ nghèo, hộ cận nghèo: the certificate the commune chairman gives
each household his recognition decision names poor or near-poor (QĐ 24/2021/QĐ-TTg
Điều 4 khoản 4; DOMAIN.md §3.2, §3.6).

A household of a round holds one when the round is closed with a decision in force and
the household's last review in the round classifies it poor or near-poor: the same
reading as the decision's lists (`reports.procedure_documents.decision_lists`).

The certificate's number is the household's place in the decision's lists, Phụ lục I
(hộ nghèo) then Phụ lục II (hộ cận nghèo) counted on, over the whole commune: the same
household keeps the same number whoever prints it, for as long as the round stays
recognised. That numbering, and the ký hiệu "GCN-HN.HCN", are our reading of a
secondary description of the form (VERIFIED secondary only [S14]).
"""

from __future__ import annotations

from dataclasses import dataclass

from households.models import Household, Review, ReviewRound
from households.poverty import PovertyStatus
from households.procedure_models import RecognitionDecision, decision_in_force

# Ký hiệu of the certificate (DOMAIN.md §3.6, VERIFIED secondary only).
SYMBOL = "GCN-HN.HCN"
CERTIFIED = (PovertyStatus.POOR, PovertyStatus.NEAR_POOR)

# Shown next to the links: what of the certificate is not checked against QĐ 24/2021.
NOTE = (
    "Giấy chứng nhận dựng theo bản mô tả mẫu của Quyết định 24/2021/QĐ-TTg (nguồn thứ "
    "cấp); ký hiệu “GCN-HN.HCN” và số giấy theo thứ tự hộ trong danh sách kèm quyết "
    "định công nhận (hộ nghèo trước, hộ cận nghèo sau) chưa đối chiếu văn bản gốc."
)


@dataclass(frozen=True)
class Certified:
    household: Household
    review: Review  # the household's last review in the round
    number: int

    @property
    def status(self) -> str:
        return self.review.status


def last_reviews(review_round: ReviewRound) -> dict[int, Review]:
    """Each household's last review in the round, by household id."""
    last: dict[int, Review] = {}
    for review in Review.objects.filter(round=review_round).order_by(
        "review_date", "id"
    ):
        last[review.household_id] = review
    return last


def certified_households(review_round: ReviewRound) -> list[Certified]:
    """Every household of the commune the round's decision certifies, numbered; empty
    while the round has no decision in force."""
    if decision_in_force(review_round) is None:
        return []
    last = last_reviews(review_round)
    households = (
        Household.objects.filter(
            commune=review_round.commune,
            pk__in=[pk for pk, r in last.items() if r.status in CERTIFIED],
        )
        .select_related("commune", "village")
        .prefetch_related("members")
        .order_by("village__position", "code")
    )
    ordered = sorted(
        households, key=lambda h: CERTIFIED.index(PovertyStatus(last[h.pk].status))
    )
    return [
        Certified(h, last[h.pk], number) for number, h in enumerate(ordered, start=1)
    ]


def certified_by_village(review_round: ReviewRound) -> dict[int, int]:
    """How many households of each village (by id) the round's decision certifies;
    empty while the round has no decision in force."""
    if decision_in_force(review_round) is None:
        return {}
    last = last_reviews(review_round)
    counts: dict[int, int] = {}
    for village_id in Household.objects.filter(
        commune=review_round.commune,
        pk__in=[pk for pk, r in last.items() if r.status in CERTIFIED],
    ).values_list("village_id", flat=True):
        counts[village_id] = counts.get(village_id, 0) + 1
    return counts


def round_refusal(
    review_round: ReviewRound, decision: RecognitionDecision | None
) -> str | None:
    """Why the round certifies no household yet, or None once it has a decision in
    force (`decision`)."""
    if review_round.is_open:
        return (
            f"Kết quả {str(review_round).lower()} chưa được Chủ tịch UBND xã công "
            "nhận: giấy chứng nhận được cấp sau khi có quyết định công nhận."
        )
    if decision is None:
        return (
            f"{str(review_round).capitalize()} đã kết thúc ngày "
            f"{review_round.closed_on:%d/%m/%Y} nhưng chưa ghi quyết định công nhận "
            "(số, ngày ký, người ký): ghi quyết định trước khi in giấy chứng nhận."
        )
    return None


def refusal(
    review_round: ReviewRound,
    decision: RecognitionDecision | None,
    review: Review | None,
) -> str | None:
    """Why the household whose last review in the round is `review` holds no
    certificate of the round, or None when it holds one."""
    reason = round_refusal(review_round, decision)
    if reason is not None or decision is None:
        return reason
    if review is None:
        return f"Hộ không được rà soát trong {str(review_round).lower()}."
    if review.status not in CERTIFIED:
        return (
            f"Theo Quyết định số {decision.number} ngày "
            f"{decision.signed_on:%d/%m/%Y}, hộ là "
            f"{review.get_status_display().lower()}: chỉ hộ nghèo, hộ cận nghèo được "
            "cấp giấy chứng nhận."
        )
    return None


def certificate_round(review: Review | None) -> ReviewRound | None:
    """The round whose certificate the household holds by its review in force
    `review` (a round's recognised result, poor or near-poor), or None."""
    if review is None or review.round is None or review.status not in CERTIFIED:
        return None
    if decision_in_force(review.round) is None:
        return None
    return review.round
