"""What can be attached to a submission of a task, offered by the app that makes it.

A task that reports on service targets is submitted with the report on them (the
September reports, made and issued by `reports`). `tasks` sits below `reports` in the
dependency arrows (README), so it does not know that report: the providing side
registers itself here from its `AppConfig.ready()` (pretix's exporters, STYLE.md §3),
and the submit page asks the registry what a task's submission can carry.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from giamngheo.models import User
    from tasks.models import Task


class AttachmentRefused(Exception):
    """The document cannot be attached as asked (message in Vietnamese); nothing of
    the submission is saved."""


class Attachable(Protocol):
    """A document offered for one submission of one task.

    The submit page shows it with two template partials (the sentence on the figures
    and the "Đính kèm báo cáo" checkbox, which are the document's words), and the
    submission carries its files when the box is checked.
    """

    figures_template: str
    choice_template: str

    @property
    def name(self) -> str:
        """How a figure's error names it: "Báo cáo số 01/BC-ĐCXD"."""
        ...

    @property
    def frozen_figures(self) -> Mapping[str, tuple[int, int]] | None:
        """The figures of a document already made, (ok, total) by target code; None
        when it is made at submission from the register (the submitted figures are
        then the register's, read on the submission's `as_of`)."""
        ...

    def files(
        self, *, by: User, figures: Mapping[str, tuple[int, int]]
    ) -> list[UploadedFile]:
        """Within the submission's transaction: the document's files, made first if
        need be; `figures` are the submitted ones, by target code, and must be the
        document's. Raises AttachmentRefused."""
        ...

    def discard(self) -> None:
        """The submission failed after `files()`: remove what it stored outside the
        database (its rows roll back with the transaction)."""
        ...


# (task, as_of) -> the document offered for the task's submission, or None.
Provider = Callable[["Task", date], Attachable | None]

_providers: list[Provider] = []


def register(provider: Provider) -> None:
    """Called from the providing app's `AppConfig.ready()`; registering twice is
    harmless."""
    if provider not in _providers:
        _providers.append(provider)


def offer_for(task: Task, *, as_of: date) -> Attachable | None:
    """The document a submission of `task` can carry, read on `as_of` if made now:
    the first provider's offer (a task's targets belong to one report at most)."""
    for provider in _providers:
        offer = provider(task, as_of)
        if offer is not None:
            return offer
    return None
