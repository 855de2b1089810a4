"""Templates → PDF bytes with WeasyPrint, fetching nothing but our own static files.

The fonts are bundled (static/fonts, Liberation Serif 2: Times New Roman metrics with
every Vietnamese letter), so a PDF looks the same on every machine and never falls back
to a font that lacks a diacritic (STACK.md).

A document already rendered from the same HTML comes from the cache
(`reports.pdf_cache`); a new one is rendered only inside a rendering slot
(`reports.render_slots`), so a burst of PDF requests cannot take every worker.
`scripts/bench_pdf.py` measures both.
"""

from __future__ import annotations

import mimetypes
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from reports import pdf_cache
from reports.render_slots import POLL_SECONDS, NoFreeSlot, render_slot

# A host that can never resolve: relative URLs in the templates hang off it.
BASE_URL = "https://giamngheo.invalid/"


class StaticFilesOnly(URLFetcher):
    """Serve `{% static %}` URLs from the project's files; refuse everything else."""

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> Any:
        prefix = BASE_URL + settings.STATIC_URL.lstrip("/")
        if not url.startswith(prefix):
            raise ValueError(f"Không tải tài nguyên ngoài hệ thống: {url}")
        relative = url.removeprefix(prefix).split("?")[0]
        found = finders.find(relative)
        if not found:
            static_root = Path(settings.STATIC_ROOT)
            candidate = (static_root / relative).resolve()
            if static_root.resolve() in candidate.parents and candidate.is_file():
                found = str(candidate)
        if not found:
            raise ValueError(f"Không tìm thấy tệp tĩnh: {relative}")
        path = Path(str(found))
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            url, body=path.read_bytes(), headers={"Content-Type": content_type}
        )


def html_to_pdf(html: str) -> bytes:
    """Render `html` now, whatever the cache and the slots say."""
    fonts = FontConfiguration()
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFilesOnly())
    pdf: bytes = document.write_pdf(font_config=fonts)
    return pdf


def cached_pdf(html: str) -> bytes | None:
    """The document of `html` if the cache holds it (nothing is rendered)."""
    return pdf_cache.get(pdf_cache.document_key(html))


def render_pdf_in_job(html: str) -> bytes:
    """The PDF of `html` for a background job: from the cache, else rendered and kept.

    It takes no rendering slot: the slots keep the web workers free for pages, and a
    worker runs one job at a time. A long list holding the only slot for a minute
    would turn every other PDF away with a 503 meanwhile."""
    key = pdf_cache.document_key(html)
    cached = pdf_cache.get(key)
    if cached is not None:
        return cached
    pdf = html_to_pdf(html)
    pdf_cache.put(key, pdf)
    return pdf


def render_pdf(
    template_name: str, context: dict[str, Any], *, wait: float | None = None
) -> bytes:
    """The PDF of the template: from the cache when the same HTML was rendered before,
    else rendered in a slot. While every slot is taken the cache is looked at again
    (the document may be the one being rendered: nine people printing the same list
    cost one rendering); `render_slots.NoFreeSlot` when the wait (PDF_RENDER_WAIT
    unless given: a document made while saving a form may wait longer) runs out."""
    html = render_to_string(template_name, context)
    key = pdf_cache.document_key(html)
    wait = settings.PDF_RENDER_WAIT if wait is None else wait
    deadline = time.monotonic() + wait
    while True:
        cached = pdf_cache.get(key)
        if cached is not None:
            return cached
        try:
            with render_slot(wait=0):
                # Rendered by another worker between the look and the slot?
                cached = pdf_cache.get(key)
                if cached is not None:
                    return cached
                pdf = html_to_pdf(html)
                pdf_cache.put(key, pdf)
                return pdf
        except NoFreeSlot:
            if time.monotonic() >= deadline:
                raise
            time.sleep(POLL_SECONDS)
