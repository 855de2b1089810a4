"""The project's own text names no path outside the project.

A docstring that points at a folder of one developer's machine is a dead end for the
next reader; the plan's text is in docs/.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from django.conf import settings

OUTSIDE = re.compile(r"/work/|/home/|/root/|/tmp/|\.\./shared|\bshared/seed\b")


def tracked_text_files() -> list[Path]:
    root = Path(settings.BASE_DIR)
    names = subprocess.run(
        ["git", "ls-files"], cwd=root, capture_output=True, text=True, check=True
    ).stdout.split()
    return [
        root / name
        for name in names
        if Path(name).suffix in {".py", ".html", ".md", ".txt", ".css", ".js", ".toml"}
    ]


def test_no_tracked_file_names_a_path_outside_the_project() -> None:
    files = tracked_text_files()
    assert len(files) > 50
    this_file = Path(__file__).resolve()
    offenders = [
        f"{path.relative_to(settings.BASE_DIR)}:{number}: {line.strip()}"
        for path in files
        if path.resolve() != this_file
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if OUTSIDE.search(line)
    ]
    assert offenders == []


def test_the_plan_the_code_quotes_is_in_docs() -> None:
    docs = Path(settings.BASE_DIR) / "docs"
    assert (docs / "ke-hoach-2024.vi.md").is_file()
    assert (docs / "ke-hoach-2024.extract.md").is_file()
