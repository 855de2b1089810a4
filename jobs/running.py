"""Run work as a job: queue it (`start`), run it with progress and a result
(`perform`, inside a Django task), report progress from inside it (`Progress`).

The work itself is a Django task of the app it belongs to (households/register_jobs.py)
that calls `perform(job_id, work)`: this module names no app of the project.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.core.files.base import ContentFile
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.utils import timezone

from jobs.models import Job, JobStatus

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.tasks import Task

    from giamngheo.models import User

logger = logging.getLogger(__name__)

# What the requester reads when the work broke in a way it did not foresee (the
# traceback stays in the log and in the task result the admin sees).
UNFORESEEN = (
    "Có lỗi ngoài dự kiến, việc chưa làm xong và không ghi gì. Thử lại; nếu vẫn "
    "lỗi, báo người quản trị hệ thống (kèm giờ xảy ra)."
)


class JobFailure(Exception):
    """A failure the requester can act on; its message is Vietnamese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Outcome:
    """What finished work leaves: where its page leads, a message to show there
    first (else the page goes straight to `url`), data kept on the job, a file."""

    url: str = ""
    message: str = ""
    data: Any = None
    file_name: str = ""
    file_content: bytes = b""
    file_type: str = ""  # the download's content type (else guessed from the name)


def start(
    task: Task[..., Any],
    *,
    title: str,
    by: User,
    back_url: str = "",
    key: str = "",
    **kwargs: Any,
) -> Job:
    """Record the job and queue its task (`task(job_id, **kwargs)`). With the
    immediate backend the work is done on return; the job is read back.

    With a `key` (what the job makes), the user's job of the same key that is still
    queued or running is returned instead: asking twice makes one document."""
    if key:
        running = (
            Job.objects.unfinished()
            .filter(requested_by=by, key=key)
            .order_by("created_at")
            .first()
        )
        if running is not None:
            return running
    job = Job.objects.create(title=title, requested_by=by, back_url=back_url, key=key)
    task.enqueue(str(job.pk), **kwargs)
    job.refresh_from_db()
    return job


def perform(job_id: str, work: Callable[[Job, Progress], Outcome]) -> None:
    """Run `work` for the job: running, then done with its outcome, or failed with
    a message the requester can read (never a traceback)."""
    job = Job.objects.get(pk=job_id)
    _update(job.pk, status=JobStatus.RUNNING, started_at=timezone.now())
    progress = Progress(job.pk)
    try:
        outcome = work(job, progress)
    except JobFailure as exc:
        _update(job.pk, status=JobStatus.FAILED, error=exc.message)
        return
    except Exception:
        logger.exception("Job %s (%s) failed", job.pk, job.title)
        if not connection.in_atomic_block:
            # The work lost its connection (PostgreSQL restarted): the failure is
            # recorded through a new one, else the job would stay "running".
            connection.close_if_unusable_or_obsolete()
        _update(job.pk, status=JobStatus.FAILED, error=UNFORESEEN)
        raise
    finally:
        progress.close()
    job.refresh_from_db()
    job.status = JobStatus.DONE
    job.result_url = outcome.url
    job.message = outcome.message
    job.result = outcome.data
    job.finished_at = timezone.now()
    if outcome.file_name:
        job.result_file.save(
            outcome.file_name, ContentFile(outcome.file_content), save=False
        )
        job.result_file_name = outcome.file_name
        job.result_file_type = outcome.file_type
    job.save()


def _update(pk: UUID, **fields: Any) -> None:
    if fields.get("status") == JobStatus.FAILED:
        fields["finished_at"] = timezone.now()
    Job.objects.filter(pk=pk).update(**fields)


class Progress:
    """Called from inside the work, as often as it likes (each line, each
    household): `progress("Đang kiểm tra hộ", 3200, 10000)`. It writes when the
    phase changes, at the end of a phase, and otherwise at most every `every`
    seconds — not once a row.

    Work that holds a transaction of its own (an import, all or nothing) would hide
    its progress until it commits, or roll it back with a dry run: progress made
    inside it goes through a second connection to the database. SQLite has one
    writer at a time, and that transaction is it: there the page shows the last
    progress written before it."""

    def __init__(self, pk: UUID, *, every: float = 0.5) -> None:
        self.pk = pk
        self.every = every
        self.phase = ""
        self.written_at = 0.0
        # The transactions already open when the work began (a test's, a request's).
        self.depth = len(connection.atomic_blocks)
        self.aside: BaseDatabaseWrapper | None = None

    def __call__(self, phase: str, done: int, total: int | None = None) -> None:
        now = time.monotonic()
        if phase == self.phase and done != total and now - self.written_at < self.every:
            return
        self.phase = phase
        self.written_at = now
        self.write(phase=phase[:200], done=done, total=total)

    def write(self, **fields: Any) -> None:
        if len(connection.atomic_blocks) <= self.depth:
            Job.objects.filter(pk=self.pk).update(**fields)
        elif writes_aside(connection):
            self.write_aside(fields)

    def write_aside(self, fields: dict[str, Any]) -> None:
        if self.aside is None:
            self.aside = connections.create_connection(DEFAULT_DB_ALIAS)
        aside = self.aside
        quote = aside.ops.quote_name
        meta = Job._meta
        columns = ", ".join(
            f"{quote(meta.get_field(name).column)} = %s" for name in fields
        )
        pk = meta.pk
        assert pk is not None
        with aside.cursor() as cursor:
            cursor.execute(
                # Names from the model, values as parameters.
                f"UPDATE {quote(meta.db_table)} SET {columns} "  # noqa: S608
                f"WHERE {quote(pk.column)} = %s",
                [*fields.values(), pk.get_db_prep_value(self.pk, aside)],
            )

    def close(self) -> None:
        if self.aside is not None:
            self.aside.close()
            self.aside = None


def writes_aside(default: BaseDatabaseWrapper) -> bool:
    """Whether progress inside the work's transaction can be written at once."""
    return default.vendor != "sqlite"
