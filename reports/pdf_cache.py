"""Rendered PDFs kept by their content: the same HTML gives the same bytes, once.

The key is a SHA-256 of the rendered HTML, the renderer's version and the size and
modification time of the static files the HTML and its stylesheets use, so a new
WeasyPrint, a changed stylesheet or font, or any changed figure, name or date in the
document gives a new key. (In production the static files have hashed names, so a
changed stylesheet changes the HTML itself.) Bump `FORMAT` when `reports.pdf` renders
the same HTML differently (options of `write_pdf`, the URL fetcher).

The HTML is everything the document shows and is built from the user's own scope, so
two users share an entry only if they would print the same document. Files under
`PDF_CACHE_DIR` (shared by every worker), written atomically; the least recently used
are removed beyond `PDF_CACHE_MAX_MB`.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
from collections.abc import Iterable
from pathlib import Path

import weasyprint
from django.conf import settings
from django.contrib.staticfiles import finders

FORMAT = 1
# `url("../fonts/x.ttf")` in a stylesheet.
_CSS_URL = re.compile(r"""url\(\s*["']?([^"')]+?)["']?\s*\)""")


def _static_files(html: str) -> list[Path]:
    """The static files the document uses: its stylesheets and what they load."""
    found: list[Path] = []
    # `href="/static/css/print.css"` in the HTML (STATIC_URL, with or without its "/").
    prefix = re.escape(settings.STATIC_URL.strip("/"))
    links = re.findall(rf"""(?:href|src)=["']/?{prefix}/([^"'?#]+)""", html)
    for relative in sorted(set(links)):
        path = finders.find(relative)
        if not path:
            continue
        found.append(Path(str(path)))
        if relative.endswith(".css"):
            text = Path(str(path)).read_text(encoding="utf-8")
            for url in sorted(set(_CSS_URL.findall(text))):
                if ":" not in url:  # no data: or http: URLs, ours only
                    found.append((Path(str(path)).parent / url).resolve())
    return found


def _fingerprint(paths: Iterable[Path]) -> str:
    parts = []
    for path in paths:
        try:
            stat = path.stat()
        except OSError:
            parts.append(f"{path}:missing")
            continue
        parts.append(f"{path}:{stat.st_size}:{stat.st_mtime_ns}")
    return "\n".join(parts)


def document_key(html: str) -> str:
    digest = hashlib.sha256()
    digest.update(f"weasyprint {weasyprint.__version__} format {FORMAT}\n".encode())
    digest.update(_fingerprint(_static_files(html)).encode())
    digest.update(b"\n\n")
    digest.update(html.encode())
    return digest.hexdigest()


def _cache_dir() -> Path:
    return Path(settings.PDF_CACHE_DIR)


def _path(key: str) -> Path:
    return _cache_dir() / f"{key}.pdf"


def get(key: str) -> bytes | None:
    path = _path(key)
    try:
        content = path.read_bytes()
    except FileNotFoundError:
        return None
    with contextlib.suppress(OSError):
        os.utime(path)  # recently used: pruned last
    return content


def put(key: str, content: bytes) -> None:
    directory = _cache_dir()
    directory.mkdir(parents=True, exist_ok=True)
    # Write then rename: a reader in another worker sees the whole file or none.
    fd, temporary = tempfile.mkstemp(dir=directory, suffix=".part")
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(content)
        os.replace(temporary, _path(key))
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    prune()


def prune() -> None:
    """Remove the least recently used documents beyond PDF_CACHE_MAX_MB."""
    limit = settings.PDF_CACHE_MAX_MB * 1024 * 1024
    entries = []
    for path in _cache_dir().glob("*.pdf"):
        try:
            stat = path.stat()
        except FileNotFoundError:
            continue
        entries.append((stat.st_mtime, stat.st_size, path))
    total = sum(size for _, size, _ in entries)
    for _, size, path in sorted(entries):
        if total <= limit:
            break
        path.unlink(missing_ok=True)
        total -= size
