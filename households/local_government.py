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


# The law on local government a document cites in its căn cứ, by the day it is dated
# (each from the day it took effect). RECALLED, chưa đối chiếu văn bản gốc: Luật
# 77/2015/QH13 (19/6/2015) with Luật 47/2019/QH14 (22/11/2019) amending it; Luật
# 65/2025/QH15 (19/02/2025, in force 01/03/2025); Luật 72/2025/QH15 (16/6/2025, in
# force 01/07/2025, the two-level local government of DOMAIN.md §15).
LOCAL_GOVERNMENT_LAWS: tuple[tuple[date, str], ...] = (
    (
        date(2016, 1, 1),
        "Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; Luật sửa đổi, "
        "bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền "
        "địa phương ngày 22 tháng 11 năm 2019",
    ),
    (date(2025, 3, 1), "Luật Tổ chức chính quyền địa phương ngày 19 tháng 02 năm 2025"),
    (
        DISTRICTS_ABOLISHED_ON,
        "Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025",
    ),
)


def local_government_law(on: date) -> str:
    """The law on local government in force on `on`, as a căn cứ names it (without
    "Căn cứ" and the closing ";")."""
    cited = LOCAL_GOVERNMENT_LAWS[0][1]
    for since, law in LOCAL_GOVERNMENT_LAWS:
        if since <= on:
            cited = law
    return cited
