"""A report page's downloads (`?format=pdf|xlsx`): the response that saves a file, and
the links to the other formats."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlencode

from jobs.documents import download

__all__ = ["PDF", "XLSX", "download", "format_links"]

if TYPE_CHECKING:
    from giamngheo.http import AuthenticatedRequest


PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def format_links(request: AuthenticatedRequest) -> dict[str, str]:
    """The links to the other formats, keeping the village filter."""
    params = {k: v for k, v in request.GET.items() if k == "village" and v}
    return {fmt: urlencode({**params, "format": fmt}) for fmt in ("pdf", "xlsx")}
