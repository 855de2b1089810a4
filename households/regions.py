"""The six socio-economic regions (vùng kinh tế - xã hội) by which Thông tư
07/2021/TT-BLĐTBXH differentiates the Phiếu B1 points (DOMAIN.md §3.7)."""

from __future__ import annotations

from django.db import models


class Region(models.TextChoices):
    NORTHERN_MIDLANDS = "trung_du_mien_nui_phia_bac", "Trung du và miền núi phía Bắc"
    RED_RIVER_DELTA = "dong_bang_song_hong", "Đồng bằng sông Hồng"
    NORTH_CENTRAL_COAST = (
        "bac_trung_bo_duyen_hai_mien_trung",
        "Bắc Trung Bộ và Duyên hải miền Trung",
    )
    CENTRAL_HIGHLANDS = "tay_nguyen", "Tây Nguyên"
    SOUTH_EAST = "dong_nam_bo", "Đông Nam Bộ"
    MEKONG_DELTA = "dong_bang_song_cuu_long", "Đồng bằng sông Cửu Long"


def area_name(*, urban: bool) -> str:
    return "Thành thị" if urban else "Nông thôn"
