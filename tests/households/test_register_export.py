"""The register export: the page (scoped like the list) and the command."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from giamngheo.models import User
from households.models import Household, Village


def codes_in(content: bytes) -> list[str]:
    sheet = load_workbook(BytesIO(content))["Hộ"]
    return [row[0] for row in sheet.iter_rows(min_row=3, values_only=True)]


def test_officer_exports_the_commune_or_one_village(
    client: Client,
    officer: User,
    household_a1: Household,
    household_a2: Household,
    household_b: Household,
) -> None:
    client.force_login(officer)
    url = reverse("households:register_export")
    response = client.get(url)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    assert codes_in(response.content) == ["CN-01-0001", "CN-02-0001"]
    response = client.get(url, {"thon": household_a2.village_id})
    assert codes_in(response.content) == ["CN-02-0001"]


def test_a_village_of_another_commune_is_404(
    client: Client, officer: User, household_b: Household
) -> None:
    client.force_login(officer)
    url = reverse("households:register_export")
    assert client.get(url, {"thon": household_b.village_id}).status_code == 404
    assert client.get(url, {"thon": "x"}).status_code == 404


def test_village_head_exports_his_village_whatever_he_asks(
    client: Client,
    head_a1: User,
    household_a1: Household,
    household_a2: Household,
) -> None:
    client.force_login(head_a1)
    url = reverse("households:register_export")
    response = client.get(url, {"thon": household_a2.village_id})
    assert codes_in(response.content) == ["CN-01-0001"]


def test_the_list_links_to_the_export_of_the_filtered_village(
    client: Client, officer: User, village_a2: Village, household_a1: Household
) -> None:
    client.force_login(officer)
    page = client.get(reverse("households:list"), {"village": village_a2.pk})
    assert f"/xuat-excel/?thon={village_a2.pk}" in page.content.decode()


def test_command_exports_a_commune(
    tmp_path: Path, household_a1: Household, household_a2: Household
) -> None:
    out = tmp_path / "so-ho.xlsx"
    call_command("export_register", str(out), commune="a")
    assert codes_in(out.read_bytes()) == ["CN-01-0001", "CN-02-0001"]
    call_command(
        "export_register", str(out), commune="a", village=household_a1.village_id
    )
    assert codes_in(out.read_bytes()) == ["CN-01-0001"]
