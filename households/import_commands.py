"""What the import commands (`import_register`, `import_submissions`) share: who is
recorded as importing, the file to read, and a refused file as the command's error."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from households.register_file import RegisterFileError

if TYPE_CHECKING:
    from giamngheo.models import User


def importing_user(username: str | None) -> User | None:
    """The user named by `--user` (recorded in the import log), or None."""
    if not username:
        return None
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise CommandError(f"Không có người dùng “{username}”.")
    return user  # type: ignore[return-value]


def readable_file(path: Path) -> Path:
    if not path.is_file():
        raise CommandError(f"Không có tệp {path}.")
    return path


def refused(exc: RegisterFileError) -> CommandError:
    """Every problem of the file, one a line; the command exits non-zero."""
    return CommandError(
        f"Không nạp gì: tệp có {len(exc.problems)} lỗi.\n"
        + "\n".join(f"  - {p}" for p in exc.problems)
    )
