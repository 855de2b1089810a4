"""The staged copy an import's job reads: gone fails the job with a message, changed
since the preview is refused, the previewed file is read from its start."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from households.register_file import RegisterFileError
from households.staged_uploads import STAGED_FILE_GONE, opened_staged
from jobs.running import JobFailure


def test_a_copy_that_is_gone_fails_the_job_with_a_message(tmp_path: Path) -> None:
    with pytest.raises(JobFailure) as failure, opened_staged(tmp_path / "gone.xlsx"):
        pass
    assert str(failure.value) == STAGED_FILE_GONE


def test_a_confirmation_reads_only_the_file_that_was_previewed(tmp_path: Path) -> None:
    path = tmp_path / "staged.xlsx"
    path.write_bytes(b"previewed")
    previewed = hashlib.sha256(b"previewed").hexdigest()

    with opened_staged(path, sha256=previewed) as stream:
        assert stream.read() == b"previewed"
    path.write_bytes(b"changed since")
    with (
        pytest.raises(RegisterFileError) as refused,
        opened_staged(path, sha256=previewed),
    ):
        pass
    assert "Tệp đã lưu bị thay đổi" in str(refused.value)
    with opened_staged(path) as stream:  # a check reads whatever is staged
        assert stream.read() == b"changed since"
