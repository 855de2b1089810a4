"""Long PDFs read like the paper they replace (issue 8, item 7): a page that continues
a village says so, STT is filled, a line's Hộ and Nhân khẩu rows and a household's
members stay on one page, and the signature never stands alone on the last page.

Checked on the text of each page (`pdftotext -layout`, one table row a line).
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from giamngheo.models import User
from households.models import Village
from tests.reports.test_review_tables import (
    D23,
    D24,
    POOR,
    THREE,
    YEAR,
    H,
    P,
    build,
    head,
)

pytestmark = pytest.mark.django_db

# With this many one-member households in one village, the old layout put the
# signature block alone on page 2 (measured: 15 to 18 did).
SIGNATURE_ALONE = 16


def pages_of(content: bytes, tmp_path: Path) -> list[str]:
    """The text of each page, table rows kept on their lines."""
    assert content.startswith(b"%PDF")
    pdf = tmp_path / "document.pdf"
    pdf.write_bytes(content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return text.split("\f")[:-1]  # pdftotext ends every page with a form feed


def households(count: int, village: str, *, members: int = 4) -> list[H]:
    family = [
        P("Quách Thị Vợ {n}", 1972, "female", "spouse"),
        P("Bùi Văn Con {n}", 2000),
        P("Bùi Thị Cháu {n}", 2018, "female", "grandchild", attends=True),
    ][: members - 1]
    return [
        H(
            f"{village.upper()}-{n:03d}",
            village,
            [
                head(f"Bùi Văn Chủ {n}", 1970),
                *(P(**{**p.__dict__, "name": p.name.format(n=n)}) for p in family),
            ],
            [(D23, POOR, THREE), (D24, POOR, THREE)],
        )
        for n in range(count)
    ]


def list_pdf(client: Client, user: User, **params: object) -> bytes:
    client.force_login(user)
    response = client.get(
        reverse("reports:household_list", args=[YEAR, 15]), {"format": "pdf", **params}
    )
    assert response.status_code == 200
    return response.content


HEAD_ROW = re.compile(r"^\s*(\d+)\s+1\s+Bùi Văn Chủ (\d+)\b", re.MULTILINE)
NAME = re.compile(r"Bùi Văn Chủ \d+|Quách Thị Vợ \d+|Bùi Văn Con \d+|Bùi Thị Cháu \d+")


def test_a_page_that_continues_a_village_names_it_with_tiep(
    client: Client,
    officer: User,
    village_a1: Village,
    village_a2: Village,
    tmp_path: Path,
) -> None:
    build({"a1": village_a1, "a2": village_a2}, households(60, "a1"))
    build({"a1": village_a1, "a2": village_a2}, households(3, "a2", members=1))

    pages = pages_of(list_pdf(client, officer), tmp_path)

    assert len(pages) >= 3
    assert "(tiếp)" not in pages[0]
    assert "Làng Chiềng — 60 hộ, 240 nhân khẩu" in pages[0]
    continued = 0
    current = "Làng Chiềng"  # the village whose table the page before ended in
    for page in pages[1:]:
        first = re.search(r"Bùi Văn Chủ \d+|— \d+ hộ", page)
        assert first is not None
        if first.group().startswith("—"):  # the page opens with a village's heading
            assert "(tiếp)" not in page
        else:  # it continues the village of the page before, and names only it
            assert f"{current} (tiếp)" in page
            assert page.count("(tiếp)") == 1
            continued += 1
        current = ([current, *re.findall(r"(Làng \w+) — \d+ hộ", page)])[-1]
    assert continued >= len(pages) - 2
    assert "Làng Bột — 3 hộ, 3 nhân khẩu" in " ".join(pages[-2:])


def test_every_household_keeps_its_members_and_its_stt_on_one_page(
    client: Client, officer: User, village_a1: Village, tmp_path: Path
) -> None:
    build({"a1": village_a1}, households(90, "a1"))

    pages = pages_of(list_pdf(client, officer), tmp_path)

    assert len(pages) >= 3
    numbered = {}
    for page in pages:
        names = NAME.findall(page)
        # A page never starts with a member whose head (and STT) is on the page before.
        assert names[0].startswith("Bùi Văn Chủ"), names[:3]
        for stt, n in HEAD_ROW.findall(page):
            numbered[int(n)] = int(stt)
            # The household's three other members are on the same page.
            for member in (
                f"Quách Thị Vợ {n}",
                f"Bùi Văn Con {n}",
                f"Bùi Thị Cháu {n}",
            ):
                assert member in page
    # STT chủ hộ is filled: 1..90 in the village's order, none missing.
    assert sorted(numbered.values()) == list(range(1, 91))


def _many_villages(village_a1: Village, count: int) -> dict[str, Village]:
    villages = {"a1": village_a1}
    for index in range(count):
        villages[f"v{index}"] = Village.objects.create(
            commune=village_a1.commune, name=f"Thôn Số {index + 1}", position=10 + index
        )
    return villages


def test_report_2_numbers_its_villages_and_keeps_ho_with_nhan_khau(
    client: Client, officer: User, village_a1: Village, tmp_path: Path
) -> None:
    villages = _many_villages(village_a1, 30)
    specs = [
        H(f"T-{index:03d}", key, [head(f"Chủ Hộ {index}", 1970)], [(D24, POOR, THREE)])
        for index, key in enumerate(villages)
    ]
    build(villages, specs)
    client.force_login(officer)
    response = client.get(reverse("reports:review_2", args=[YEAR]), {"format": "pdf"})

    pages = pages_of(response.content, tmp_path)

    assert len(pages) >= 2
    numbers: list[int] = []
    for page in pages:
        units = []
        for line in page.splitlines():
            if re.match(r"^\s*(\d+\s+)?(\S.*?\s+)?Hộ\s+\d", line):
                units.append("Hộ")
            elif re.search(r"\bNhân(\s+khẩu)?(\s+\d|\s*$)", line):
                units.append("Nhân khẩu")
        # Hộ and Nhân khẩu alternate from the page's first row to its last.
        assert units == ["Hộ", "Nhân khẩu"] * (len(units) // 2) and units, units
        # STT and name sit on the pair's second line (the cells span both rows).
        numbers += [
            int(n)
            for n in re.findall(
                r"^\s*(\d+)\s+(?:Làng Chiềng|Thôn Số \d+)\s+Nhân", page, re.MULTILINE
            )
        ]
    assert numbers == list(range(1, 32))


def test_the_signature_shares_its_page_with_rows_of_the_table(
    client: Client, officer: User, village_a1: Village, tmp_path: Path
) -> None:
    # SIGNATURE_ALONE households of one member fill the last page so that, without
    # the fix, the signature block went to a page of its own.
    build({"a1": village_a1}, households(SIGNATURE_ALONE, "a1", members=1))

    pages = pages_of(list_pdf(client, officer), tmp_path)

    assert "Nơi nhận:" in pages[-1] and "CHỦ TỊCH" in pages[-1]
    assert NAME.search(pages[-1]), pages[-1]
