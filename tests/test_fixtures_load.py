"""fixtures/ still loads after schema changes (reference data for a real install)."""

import pytest
from django.core.management import call_command

from households.models import Commune


@pytest.mark.django_db
def test_the_commune_fixture_loads_without_the_demo() -> None:
    call_command("loaddata", "cao_ngoc", verbosity=0)

    commune = Commune.objects.get(code="cao-ngoc")
    assert (commune.name, commune.district, commune.province) == (
        "Cao Ngọc",
        "Ngọc Lặc",
        "Thanh Hóa",
    )
    assert not commune.is_urban
