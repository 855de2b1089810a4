"""Vietnam's local government levels over time.

From 01/07/2025 local government has two levels, province and commune: the districts
(huyện) are gone (Luật Tổ chức chính quyền địa phương 2025; DOMAIN.md §1.2 and §15). A
commune reports to the province from then on (in poverty reduction, to the Sở Nông
nghiệp và Môi trường, Thông tư 13/2025/TT-BNNMT), and a document dated before keeps
the district it was written to.
"""

from __future__ import annotations

from datetime import date

DISTRICTS_ABOLISHED_ON = date(2025, 7, 1)


def has_districts(on: date) -> bool:
    """Whether a document dated `on` still has a district above the commune."""
    return on < DISTRICTS_ABOLISHED_ON
