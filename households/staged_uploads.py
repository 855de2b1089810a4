"""A checked upload kept between its preview and the person's confirmation.

The preview reads the upload and writes nothing; the file is then kept under
MEDIA_ROOT/<folder>/<token><suffix> and the token, the file's SHA-256 and what it was
checked for are kept in the session. The confirmation takes nothing from the form
but the token, and only for the same scope: the stored copy is read and checked
again from the start.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from households.register_file import Problem, RegisterFileError
from households.register_import import sha256_of
from jobs.running import JobFailure

if TYPE_CHECKING:
    from giamngheo.http import AuthenticatedRequest


@dataclass(frozen=True)
class StagedUpload:
    path: Path
    name: str
    sha256: str


STAGED_FILE_GONE = "Tệp đã lưu không còn (quá lâu hoặc đã nạp): chọn lại tệp."


@contextmanager
def opened_staged(path: Path, *, sha256: str | None = None) -> Iterator[IO[bytes]]:
    """A staged copy opened for an import's job. With `sha256` (a confirmation), it
    must be the file that was previewed, else it is refused as changed; a copy that
    is gone (cleared, or already imported by a first confirmation) fails the job."""
    try:
        stream = path.open("rb")
    except FileNotFoundError:
        raise JobFailure(STAGED_FILE_GONE) from None
    with stream:
        if sha256 is not None and sha256_of(stream) != sha256:
            raise RegisterFileError([Problem("Tệp đã lưu bị thay đổi: chọn lại tệp.")])
        yield stream


def stored_path(folder: str, token: str, suffix: str) -> Path:
    return Path(settings.MEDIA_ROOT) / folder / f"{token}{suffix}"


def stage(
    request: AuthenticatedRequest,
    *,
    key: str,
    folder: str,
    upload: UploadedFile,
    name: str,
    sha256: str,
    scope: dict[str, Any],
) -> str:
    """Keep the upload for its confirmation (replacing the session's previous one)
    and return its token."""
    token = secrets.token_hex(16)
    suffix = Path(name).suffix.lower()[:8]
    path = stored_path(folder, token, suffix)
    path.parent.mkdir(parents=True, exist_ok=True)
    upload.seek(0)
    with path.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    discard(request, key=key, folder=folder)
    request.session[key] = {
        "token": token,
        "suffix": suffix,
        "name": name,
        "sha256": sha256,
        "scope": scope,
    }
    return token


def staged(
    request: AuthenticatedRequest,
    *,
    key: str,
    folder: str,
    token: str,
    scope: dict[str, Any],
) -> StagedUpload | None:
    """The upload kept under this token for this scope, or None."""
    kept = request.session.get(key)
    if not kept or kept.get("token") != token or kept.get("scope") != scope:
        return None
    path = stored_path(folder, kept["token"], kept.get("suffix", ""))
    if not path.is_file():
        return None
    return StagedUpload(path, kept["name"], kept["sha256"])


def discard(request: AuthenticatedRequest, *, key: str, folder: str) -> None:
    kept = request.session.pop(key, None)
    if kept:
        stored_path(folder, kept["token"], kept.get("suffix", "")).unlink(
            missing_ok=True
        )
