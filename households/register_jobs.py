"""The register as background jobs (jobs/): the check of an uploaded file (a dry run:
the preview's figures) and, once confirmed, its import, both read from the copy
staged by the web import (register_views.py) and both through `import_register`, the
command's code path too; and the Excel export of more than
BACKGROUND_EXPORT_HOUSEHOLDS households (`jobs.documents.large_export`), the same
workbook the page sends for fewer."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.http import Http404
from django.tasks import task
from django.urls import reverse
from django.utils.formats import number_format

from households import clock
from households.forms import villages_for
from households.models import Commune, Household, HouseholdQuerySet, Village
from households.register_file import RegisterFileError
from households.register_import import (
    ARCHIVED,
    CHANGED,
    NEW,
    OUTCOME_LABELS,
    UNCHANGED,
    ImportResult,
    import_register,
)
from households.register_workbook import Report, export_register, no_report
from households.staged_uploads import opened_staged
from households.views import commune_for
from jobs.documents import refused_in_job
from jobs.models import Job
from jobs.running import Outcome, Progress, perform

if TYPE_CHECKING:
    from giamngheo.models import User

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

STAGING_FOLDER = "register-imports"
# A file with thousands of errors: the first ones are enough to start correcting.


def staged_path(token: str) -> Path:
    return Path(settings.MEDIA_ROOT) / STAGING_FOLDER / f"{token}.xlsx"


def problems_url(job: Job) -> str:
    """The import page, listing the problems that job found."""
    return f"{reverse('households:register_import')}?viec={job.pk}"


def _preview(result: ImportResult) -> dict[str, Any]:
    return {
        "file_name": result.file_name,
        "sha256": result.sha256,
        "counts": [
            ("Hộ mới", result.count(NEW)),
            ("Hộ thay đổi", result.count(CHANGED)),
            ("Hộ không đổi", result.count(UNCHANGED)),
            ("Hộ lưu trữ", result.count(ARCHIVED)),
            ("Phiếu rà soát mới", result.new_reviews),
            ("Hộ của xã không có trong tệp (giữ nguyên)", result.not_in_file),
        ],
        "changed": [
            {"code": p.code, "label": OUTCOME_LABELS[p.outcome], "changes": p.changes}
            for p in result.changed_plans
        ],
    }


@task
def check_register(job_id: str, *, token: str, name: str, commune_id: int) -> None:
    """The dry run of a staged file: the preview, or the file's problems (and the
    staged copy removed: there is nothing to confirm)."""

    def work(job: Job, progress: Progress) -> Outcome:
        path = staged_path(token)
        try:
            with opened_staged(path) as stream:
                result = import_register(
                    stream,
                    file_name=name,
                    size=path.stat().st_size,
                    commune=Commune.objects.get(pk=commune_id),
                    by=job.requested_by,
                    dry_run=True,
                    report=progress,
                )
        except RegisterFileError as exc:
            path.unlink(missing_ok=True)
            message = f"Không nạp gì: tệp {name} có {len(exc.problems)} lỗi (xem dưới)."
            return Outcome(url=problems_url(job), data=exc.shown(message))
        return Outcome(
            url=reverse("households:register_import_preview"), data=_preview(result)
        )

    perform(job_id, work)


@task
def apply_register(
    job_id: str, *, token: str, name: str, sha256: str, commune_id: int
) -> None:
    """The confirmed import: the staged copy read and checked again from the start
    (it must be the file previewed), written in one transaction, then removed."""

    def work(job: Job, progress: Progress) -> Outcome:
        path = staged_path(token)
        try:
            with opened_staged(path, sha256=sha256) as stream:
                result = import_register(
                    stream,
                    file_name=name,
                    size=path.stat().st_size,
                    commune=Commune.objects.get(pk=commune_id),
                    by=job.requested_by,
                    dry_run=False,
                    report=progress,
                )
        except RegisterFileError as exc:
            message = (
                f"Không nạp gì: tệp {name} có {len(exc.problems)} lỗi (sổ hộ vừa "
                "thay đổi từ lúc xem trước?)."
            )
            return Outcome(url=problems_url(job), data=exc.shown(message))
        finally:
            path.unlink(missing_ok=True)
        return Outcome(
            url=reverse("households:register_import"),
            message=f"Đã nạp {name}: {result.summary}.",
            data={"import_log": result.log.pk if result.log else None},
        )

    perform(job_id, work)


@dataclass(frozen=True)
class RegisterExport:
    """What the user's export holds: the commune's households he may read, or one
    village's."""

    households: HouseholdQuerySet
    commune: Commune
    village: Village | None
    user: User

    @property
    def filename(self) -> str:
        part = f"-thon-{self.village.pk}" if self.village else ""
        return f"so-ho-{self.commune.code}{part}-{clock.today():%Y%m%d}.xlsx"

    @property
    def where(self) -> str:
        return self.village.name if self.village else f"xã {self.commune.name}"

    def workbook(self, report: Report = no_report) -> bytes:
        return export_register(
            self.households,
            commune=self.commune,
            village=self.village,
            exported_by=self.user.get_full_name() or self.user.username,
            report=report,
        )


def register_export_for(user: User, wanted: str) -> RegisterExport:
    """The commune, or the village of id `wanted` (a village head always gets his
    own). Http404 for a village out of the user's scope."""
    commune = commune_for(user)
    households = Household.objects.visible_to(user).filter(commune=commune)
    village = None
    if user.is_village_head:
        village = villages_for(user).first()
    elif wanted:
        village = (
            villages_for(user).filter(commune=commune, pk=int(wanted)).first()
            if wanted.isdigit()
            else None
        )
        if village is None:
            raise Http404("Không có thôn, làng này.")
    if village is not None:
        households = households.filter(village=village)
    return RegisterExport(households, commune, village, user)


@task
def build_register_export(job_id: str, *, village: str) -> None:
    """The register's workbook, for the job's requester and his scope when it runs."""

    def work(job: Job, progress: Progress) -> Outcome:
        user = job.requested_by
        progress("Đang đọc sổ hộ", 0)
        with refused_in_job(user):
            found = register_export_for(user, village)
        content = found.workbook(report=progress)
        return Outcome(
            message=(
                f"Đã xuất tệp {found.filename}: "
                f"{number_format(found.households.count(), force_grouping=True)} hộ "
                f"({found.where})."
            ),
            file_name=found.filename,
            file_content=content,
            file_type=XLSX,
        )

    perform(job_id, work)
