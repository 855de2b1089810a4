"""Writes of the survey forms (Phiếu A, the Phiếu B1 points tables): one
transaction each."""

from __future__ import annotations

from typing import IO, TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from households.points_file import ParsedTable, read_points_file
from households.surveys import PointsRow, PointsTable, QuickScreen

if TYPE_CHECKING:
    from giamngheo.models import User


@transaction.atomic
def load_points_table(
    parsed: ParsedTable, *, file_name: str = "", by: User | None = None
) -> PointsTable:
    """Store a parsed table as a new version of its key (standard, region, area):
    the reviews scored with an earlier version keep it."""
    table = PointsTable.objects.create(
        standard_code=parsed.standard_code,
        region=parsed.region,
        urban=parsed.urban,
        name=parsed.name,
        source=parsed.source,
        verified=parsed.verified,
        note=parsed.note,
        file_name=file_name[:200],
        loaded_at=timezone.now(),
        loaded_by=by,
    )
    PointsRow.objects.bulk_create(
        PointsRow(
            table=table,
            position=position,
            item_code=item.code,
            question=item.question,
            answer_code=answer.code,
            answer_label=answer.label,
            points=answer.points,
        )
        for position, (item, answer) in enumerate(
            ((item, answer) for item in parsed.items for answer in item.answers),
            start=1,
        )
    )
    return table


def load_points_file(
    stream: IO[bytes], *, file_name: str = "", by: User | None = None
) -> PointsTable:
    """Read and store a points file; raises PointsFileError and stores nothing when
    the file has a problem."""
    return load_points_table(read_points_file(stream), file_name=file_name, by=by)


@transaction.atomic
def record_quick_screen(screen: QuickScreen, *, by: User) -> QuickScreen:
    screen.recorded_by = by
    screen.result = screen.outcome().result
    screen.full_clean()
    screen.save()
    return screen
