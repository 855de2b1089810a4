"""The records of the review procedure (Quyết định 24/2021/QĐ-TTg Điều 4, 5):
households' requests, village meetings and their votes, postings, complaints, and
the chairman's recognition decision. Imported by `households.models`, so they are
models of the `households` app; the rules they follow are in `households.procedure`.

A round's records are corrected while it is open, every change kept in their
history (django-simple-history); the signed paper of a meeting's minutes and of the
decision is kept as a scan (`households.procedure_records`).
"""

from __future__ import annotations

import re
import uuid
from datetime import date
from pathlib import PurePath
from typing import TYPE_CHECKING, Self

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from households import clock, text_limits
from households.models import (
    Commune,
    Household,
    Review,
    ReviewKind,
    ReviewRound,
    Village,
)
from households.procedure import (
    RULES_2022_2025,
    ProcedureRules,
    periodic_deadline,
    regular_deadline,
    regular_round_start,
)

if TYPE_CHECKING:
    from giamngheo.models import User

RULES = RULES_2022_2025


class RequestKind(models.TextChoices):
    REVIEW = "review", "Đề nghị rà soát hộ nghèo, hộ cận nghèo (Mẫu số 01)"
    ESCAPE = "escape", "Đề nghị công nhận thoát nghèo, thoát cận nghèo (Mẫu số 04)"


class RequestChannel(models.TextChoices):
    IN_PERSON = "in_person", "Nộp trực tiếp"
    POST = "post", "Qua bưu điện"
    ONLINE = "online", "Qua Cổng dịch vụ công trực tuyến"


class ReviewRequestQuerySet(models.QuerySet["ReviewRequest"]):
    def visible_to(self, user: User) -> Self:
        return self.filter(household__in=Household.objects.visible_to(user))

    def unanswered(self) -> Self:
        return self.filter(review__isnull=True, refused_on__isnull=True)


class ReviewRequest(models.Model):
    """A household's written request (Giấy đề nghị) to be reviewed or recognised as
    escaped; answered by a review, or refused in writing with the reason
    (QĐ 24/2021 Điều 5)."""

    household = models.ForeignKey(
        Household,
        on_delete=models.PROTECT,
        related_name="requests",
        verbose_name="hộ",
    )
    kind = models.CharField(
        "loại giấy đề nghị", max_length=10, choices=RequestKind, default="review"
    )
    received_on = models.DateField("ngày nhận giấy đề nghị")
    channel = models.CharField(
        "hình thức nộp", max_length=10, choices=RequestChannel, default="in_person"
    )
    # Set when the request is taken into a periodic round (its list to review).
    round = models.ForeignKey(
        ReviewRound,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requests",
        verbose_name="xét trong đợt rà soát định kỳ",
    )
    review = models.ForeignKey(
        Review,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requests",
        verbose_name="trả lời bằng phiếu rà soát",
    )
    refused_on = models.DateField("ngày trả lời từ chối", null=True, blank=True)
    refusal_reason = models.TextField(
        "lý do từ chối (bằng văn bản)", max_length=text_limits.REASON, blank=True
    )
    note = models.CharField("ghi chú", max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ReviewRequestQuerySet.as_manager()

    class Meta:
        verbose_name = "giấy đề nghị của hộ"
        verbose_name_plural = "các giấy đề nghị của hộ"
        ordering = ["-received_on", "-id"]

    def __str__(self) -> str:
        return f"Giấy đề nghị ngày {self.received_on:%d/%m/%Y} — {self.household.code}"

    @property
    def rules(self) -> ProcedureRules:
        return RULES

    @property
    def deadline(self) -> date:
        """In a periodic round: the round's legal end (14/12); else the regular
        review's deadline (Điều 5)."""
        if self.round_id is not None:
            return periodic_deadline(self.round.year, self.rules)
        return regular_deadline(self.received_on, self.rules)

    @property
    def answered_on(self) -> date | None:
        """The day the request was answered: the refusal, or the decision that
        recognised the review's result (the review's own date for a periodic round,
        whose deadline is the round's end)."""
        if self.review_id is not None:
            review = self.review
            if review.round_id is not None:
                return review.review_date
            return review.takes_effect_on
        return self.refused_on

    def is_overdue(self, today: date | None = None) -> bool:
        answered = self.answered_on
        if answered is not None:
            return answered > self.deadline
        return (today or clock.today()) > self.deadline

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.received_on and self.received_on > clock.today():
            errors["received_on"] = "Ngày nhận giấy đề nghị không được ở tương lai."
        if self.review_id is not None and self.refused_on is not None:
            errors["refused_on"] = (
                "Giấy đề nghị đã được trả lời bằng phiếu rà soát: không ghi thêm "
                "ngày từ chối."
            )
        if self.refused_on is not None:
            if not self.refusal_reason.strip():
                errors["refusal_reason"] = (
                    "Ghi lý do từ chối: Chủ tịch UBND xã trả lời bằng văn bản, nêu rõ "
                    "lý do (QĐ 24/2021 Điều 5)."
                )
            if self.received_on and self.refused_on < self.received_on:
                errors["refused_on"] = "Ngày từ chối không được trước ngày nhận."
            if self.refused_on > clock.today():
                errors["refused_on"] = "Ngày từ chối không được ở tương lai."
        elif self.refusal_reason.strip():
            errors["refused_on"] = "Ghi ngày trả lời từ chối."
        if self.review_id is not None and self.household_id is not None:
            if self.review.household_id != self.household_id:
                errors["review"] = "Phiếu rà soát phải là của chính hộ đề nghị."
            elif self.received_on and self.review.review_date < self.received_on:
                errors["review"] = "Phiếu rà soát phải ghi sau ngày nhận giấy đề nghị."
        if errors:
            raise ValidationError(errors)


class RoundVillageRecord(models.Model):
    """What the procedure records share: a round, a village, who entered it."""

    review_round = models.ForeignKey(
        ReviewRound,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="đợt rà soát",
    )
    village = models.ForeignKey(
        Village, on_delete=models.PROTECT, related_name="+", verbose_name="thôn, làng"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    def check_open(self) -> None:
        """Refuse a change once the round is recognised (the message of `clean`)."""
        errors = self._check_round(None, NON_FIELD_ERRORS)
        if errors:
            raise ValidationError(errors)

    def _check_round(self, day: date | None, field: str) -> dict[str, str]:
        errors: dict[str, str] = {}
        if not self.review_round_id:
            return errors
        review_round = self.review_round
        if self.village_id and self.village.commune_id != review_round.commune_id:
            errors["village"] = "Thôn không thuộc xã của đợt rà soát."
        if not review_round.is_open:
            errors[field] = (
                f"{str(review_round).capitalize()} đã được công nhận ngày "
                f"{review_round.closed_on:%d/%m/%Y}: không ghi thêm. Nếu phải sửa, "
                "công chức LĐ-TB&XH mở lại đợt (ghi rõ lý do)."
            )
        elif day is not None:
            if day < review_round.opened_on:
                errors[field] = (
                    f"Ngày phải từ ngày mở đợt ({review_round.opened_on:%d/%m/%Y})."
                )
            elif day > clock.today():
                errors[field] = "Ngày không được ở tương lai."
        return errors


def scan_path(instance: VillageMeeting | RecognitionDecision, filename: str) -> str:
    # A random name: the person's own file name is given back at download.
    suffix = PurePath(filename).suffix.lower()
    return f"procedure/{instance.review_round.year}/{uuid.uuid4().hex}{suffix}"


class SignedScanRecord(models.Model):
    """A record whose paper is signed (the minutes, the decision): its scan, one
    file, PDF or a picture, served only to those who see the record."""

    signed_scan = models.FileField("bản có chữ ký", upload_to=scan_path, blank=True)
    signed_scan_name = models.CharField(
        "tên tệp bản có chữ ký", max_length=255, blank=True
    )
    signed_scan_type = models.CharField(max_length=100, blank=True)

    class Meta:
        abstract = True


class VillageMeeting(RoundVillageRecord, SignedScanRecord):
    """Hội nghị thôn (họp dân) that agrees the village's review results (Điều 4
    khoản 2): chaired by the village head; minutes in two copies."""

    held_on = models.DateField("ngày họp")
    chaired_by = models.CharField("chủ trì (trưởng thôn)", max_length=100)
    secretary = models.CharField("thư ký", max_length=100, blank=True)
    attendees = models.PositiveSmallIntegerField(
        "số người dự họp", validators=[MinValueValidator(1)]
    )
    note = models.TextField(
        "ý kiến, ghi chú của cuộc họp", max_length=text_limits.LONG_TEXT, blank=True
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "cuộc họp dân (hội nghị thôn)"
        verbose_name_plural = "các cuộc họp dân"
        ordering = ["review_round", "village", "held_on", "id"]

    def __str__(self) -> str:
        return f"Họp dân {self.village} ngày {self.held_on:%d/%m/%Y}"

    def clean(self) -> None:
        errors = self._check_round(self.held_on, "held_on")
        if errors:
            raise ValidationError(errors)


class MeetingVote(models.Model):
    meeting = models.ForeignKey(
        VillageMeeting, on_delete=models.CASCADE, related_name="votes"
    )
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="+", verbose_name="hộ"
    )
    agreeing = models.PositiveSmallIntegerField("số người đồng ý")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "biểu quyết về một hộ"
        verbose_name_plural = "biểu quyết về các hộ"
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "household"], name="one_vote_per_household"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agreeing} người đồng ý"


class Posting(RoundVillageRecord):
    """Niêm yết, thông báo công khai (Điều 4 khoản 3) of the village's list."""

    posted_from = models.DateField("niêm yết từ ngày")
    posted_until = models.DateField("đến hết ngày")
    place = models.CharField(
        "nơi niêm yết",
        max_length=200,
        default="Trụ sở UBND xã và nhà văn hóa thôn",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "niêm yết công khai"
        verbose_name_plural = "các lần niêm yết công khai"
        ordering = ["review_round", "village", "posted_from", "id"]

    def __str__(self) -> str:
        return (
            f"Niêm yết {self.village} {self.posted_from:%d/%m/%Y}–"
            f"{self.posted_until:%d/%m/%Y}"
        )

    def clean(self) -> None:
        errors = self._check_round(self.posted_from, "posted_from")
        if (
            self.posted_from
            and self.posted_until
            and self.posted_until < self.posted_from
        ):
            errors["posted_until"] = "Ngày kết thúc niêm yết phải từ ngày bắt đầu."
        if errors:
            raise ValidationError(errors)


class ComplaintOutcome(models.TextChoices):
    KEPT = "kept", "Giữ nguyên kết quả"
    CHANGED = "changed", "Phúc tra, điều chỉnh kết quả"


class Complaint(RoundVillageRecord):
    """A complaint about the posted list, and its answer (phúc tra)."""

    household = models.ForeignKey(
        Household,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="về hộ",
    )
    received_on = models.DateField("ngày nhận khiếu nại")
    complainant = models.CharField("người khiếu nại", max_length=100)
    content = models.TextField("nội dung", max_length=text_limits.LONG_TEXT)
    answered_on = models.DateField("ngày trả lời", null=True, blank=True)
    answer = models.TextField("trả lời", max_length=text_limits.LONG_TEXT, blank=True)
    outcome = models.CharField(
        "kết quả", max_length=10, choices=ComplaintOutcome, blank=True
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "khiếu nại về danh sách niêm yết"
        verbose_name_plural = "các khiếu nại về danh sách niêm yết"
        ordering = ["review_round", "village", "received_on", "id"]

    def __str__(self) -> str:
        return f"Khiếu nại ngày {self.received_on:%d/%m/%Y} ({self.village})"

    def clean(self) -> None:
        errors = self._check_round(self.received_on, "received_on")
        if self.answered_on is not None:
            if self.received_on and self.answered_on < self.received_on:
                errors["answered_on"] = "Ngày trả lời không được trước ngày nhận."
            if not self.answer.strip():
                errors["answer"] = "Ghi nội dung trả lời."
            if not self.outcome:
                errors["outcome"] = "Chọn kết quả giải quyết."
        elif self.answer.strip() or self.outcome:
            errors["answered_on"] = "Ghi ngày trả lời."
        if errors:
            raise ValidationError(errors)


DECISION_NUMBER = re.compile(r"^\d{1,4}/QĐ-[A-ZĐ]+$")


class ChairmansDecision(models.Model):
    """What a decision of the commune chairman records: its number and symbol, the
    day he signed it (the day it takes effect), who signed, who entered it."""

    number = models.CharField(
        "số, ký hiệu quyết định",
        max_length=30,
        help_text="Ví dụ: 123/QĐ-UBND",
    )
    signed_on = models.DateField("ngày ký, ngày công nhận")
    signer_name = models.CharField("người ký (Chủ tịch UBND xã)", max_length=100)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"Quyết định số {self.number} ngày {self.signed_on:%d/%m/%Y}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.number and not DECISION_NUMBER.match(self.number.strip()):
            errors["number"] = (
                "Số, ký hiệu quyết định viết như “45/QĐ-UBND” (số/QĐ-cơ quan)."
            )
        if self.signed_on and self.signed_on > clock.today():
            errors["signed_on"] = "Ngày ký không được ở tương lai."
        if errors:
            raise ValidationError(errors)


class RecognitionDecision(SignedScanRecord, ChairmansDecision):
    """The chairman's decision recognising the round's lists (Điều 4 khoản 4): its
    date is the date the statuses take effect (= the round's `closed_on`). A
    reopened round keeps its withdrawn decisions; the one in force has the round's
    closing date."""

    review_round = models.ForeignKey(
        ReviewRound,
        on_delete=models.PROTECT,
        related_name="decisions",
        verbose_name="đợt rà soát",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "quyết định công nhận kết quả rà soát"
        verbose_name_plural = "các quyết định công nhận kết quả rà soát"
        ordering = ["review_round", "signed_on", "id"]


def decision_in_force(review_round: ReviewRound) -> RecognitionDecision | None:
    if review_round.closed_on is None:
        return None
    return (
        review_round.decisions.filter(signed_on=review_round.closed_on)
        .order_by("-id")
        .first()
    )


class RegularDecisionQuerySet(models.QuerySet["RegularDecision"]):
    def of_commune(self, commune: Commune) -> Self:
        return self.filter(commune=commune)


class RegularDecision(ChairmansDecision):
    """The chairman's decision recognising the results of regular reviews
    (rà soát thường xuyên, QĐ 24/2021/QĐ-TTg Điều 5): the commune applies khoản 2–4
    of Điều 4 to the households that asked or changed, and the chairman decides
    within 15 days from the start of the monthly round (the 15th). The reviews it
    recognises hold from its date (`ReviewQuerySet.in_force_on`)."""

    commune = models.ForeignKey(
        Commune,
        on_delete=models.PROTECT,
        related_name="regular_decisions",
        verbose_name="xã",
    )

    objects = RegularDecisionQuerySet.as_manager()

    class Meta:
        verbose_name = "quyết định công nhận kết quả rà soát thường xuyên"
        verbose_name_plural = "các quyết định công nhận kết quả rà soát thường xuyên"
        ordering = ["-signed_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "number", "signed_on"],
                name="one_regular_decision_per_number",
            )
        ]


def awaiting_regular_decision(commune: Commune) -> models.QuerySet[Review]:
    """The commune's regular reviews that no decision has recognised yet."""
    return (
        Review.objects.filter(
            household__commune=commune,
            kind=ReviewKind.REGULAR,
            round__isnull=True,
            regular_decision__isnull=True,
        )
        .select_related("household__village")
        .order_by("review_date", "household__village__position", "household__code")
    )


def regular_review_deadline(review: Review) -> date:
    """The last day for the chairman's decision on a regular review: 15 days from
    the monthly round that took the household's request, or, when the household
    did not ask (a change found by the village), the round that took the review."""
    request = (
        ReviewRequest.objects.filter(review=review).order_by("received_on").first()
    )
    received = request.received_on if request else review.review_date
    return regular_deadline(received, RULES)


def monthly_round_of(review: Review) -> date:
    """The start (the 15th) of the monthly round of regular reviews that took it."""
    return regular_round_start(review.review_date, RULES)
