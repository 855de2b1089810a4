"""Writes that correct the review procedure's records (QĐ 24/2021/QĐ-TTg Điều 4)
and keep their signed scans. One transaction each.

A record is corrected or deleted only while its round is open: once the chairman
has recognised the round, its records are what the decision rests on, and changing
them means reopening the round, with the reason on record. Every change is a row of
the record's history (django-simple-history), who made it included.

The signed paper of a meeting's minutes is attached or replaced while the round is
open; after the recognition a missing scan may still be attached (it changes no
fact of the record), but a scan on file is not replaced. The decision's scan exists
only after the recognition, so it may be attached and replaced then.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from households.models import (
    Complaint,
    Household,
    MeetingVote,
    Posting,
    RecognitionDecision,
    ReviewRound,
    VillageMeeting,
)
from households.uploads import check_signed_scan

if TYPE_CHECKING:
    from giamngheo.models import User

Record = VillageMeeting | Posting | Complaint


def _lock_round(record: Record | RecognitionDecision) -> None:
    """Take the round's row for the transaction, so a closing waits for the write
    (and the write sees a closing that came first)."""
    record.review_round = ReviewRound.objects.select_for_update().get(
        pk=record.review_round_id
    )


def refusal(record: Record) -> str | None:
    """Why the record may not be changed now, in Vietnamese, or None."""
    try:
        record.check_open()
    except ValidationError as exc:
        return " ".join(exc.messages)
    return None


@transaction.atomic
def correct_record(record: Record, *, by: User) -> Record:
    """Save a corrected posting or complaint, validated as when it was recorded."""
    _lock_round(record)
    record.full_clean()
    record._history_user = by  # type: ignore[union-attr]
    record.save()
    return record


@transaction.atomic
def correct_meeting(
    meeting: VillageMeeting, votes: Mapping[Household, int], *, by: User
) -> VillageMeeting:
    """Save a corrected meeting with its votes: a vote changed is saved, a vote new
    to the meeting added; a vote the form does not show is left as it was."""
    _lock_round(meeting)
    meeting.full_clean()
    meeting._history_user = by  # type: ignore[attr-defined]
    meeting.save()
    recorded = {v.household_id: v for v in meeting.votes.all()}
    for household, agreeing in votes.items():
        vote = recorded.get(household.pk) or MeetingVote(
            meeting=meeting, household=household
        )
        if vote.pk is not None and vote.agreeing == agreeing:
            continue
        vote.agreeing = agreeing
        vote._history_user = by  # type: ignore[attr-defined]
        vote.full_clean(exclude=["meeting"])
        vote.save()
    return meeting


@transaction.atomic
def delete_record(record: Record, *, by: User) -> None:
    """Delete a record (a meeting with its votes); its history keeps it, and its
    scan leaves the disk once the deletion is committed."""
    _lock_round(record)
    record.check_open()
    scan = record.signed_scan if isinstance(record, VillageMeeting) else None
    if scan:
        storage, name = scan.storage, scan.name
        transaction.on_commit(lambda: storage.delete(name))
    record._history_user = by  # type: ignore[union-attr]
    if isinstance(record, VillageMeeting):
        for vote in record.votes.all():
            vote._history_user = by  # type: ignore[attr-defined]
            vote.delete()
    record.delete()


@transaction.atomic
def attach_scan(
    record: VillageMeeting | RecognitionDecision, upload: UploadedFile, *, by: User
) -> None:
    """Keep the signed paper's scan with the record, replacing the one before it.
    Nothing is written when the file is refused; the replaced file leaves the disk
    once the new one is committed, the new one if the row cannot be saved."""
    checked = check_signed_scan(upload)
    _lock_round(record)
    if (
        isinstance(record, VillageMeeting)
        and record.signed_scan
        and not record.review_round.is_open
    ):
        # The refusal of `check_open`, for the scan already on file.
        record.check_open()
    old = record.signed_scan.name if record.signed_scan else ""
    record.signed_scan.save(checked.original_name, checked.upload, save=False)
    new = record.signed_scan.name
    storage = record.signed_scan.storage
    record.signed_scan_name = checked.original_name
    record.signed_scan_type = checked.content_type
    record._history_user = by  # type: ignore[union-attr]
    record._change_reason = (  # type: ignore[union-attr]
        "Thay bản có chữ ký" if old else "Đính kèm bản có chữ ký"
    )
    try:
        with transaction.atomic():
            record.save(
                update_fields=["signed_scan", "signed_scan_name", "signed_scan_type"]
            )
    except BaseException:
        storage.delete(new)
        raise
    if old:
        transaction.on_commit(lambda: storage.delete(old))
