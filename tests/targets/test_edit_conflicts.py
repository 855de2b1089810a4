"""Sửa cùng lúc on the allocation page (households/edit_conflicts.py): the year's
target and every village's share are one version; a stale save is refused with what
changed and writes nothing; the page shown again applies it on a second click."""

from __future__ import annotations

import pytest
from django.test import Client

from giamngheo.models import Role, User
from households.models import Household, Village
from targets.models import PovertyTarget, VillageAllocation
from tests.conftest import make_user
from tests.form_pages import post_form
from tests.targets.test_views import allocation_url
from tests.targets.test_views import register as register

pytestmark = pytest.mark.django_db


def shares() -> dict[str, int]:
    return dict(
        VillageAllocation.objects.values_list("village__name", "poor_reduction")
    )


@pytest.mark.usefixtures("register")
def test_stale_allocation_is_refused_then_applied_again(
    officer: User, village_a1: Village, village_a2: Village
) -> None:
    deputy = make_user("canbo2", Role.OFFICER, officer.commune, first_name="Hà Văn")
    target = PovertyTarget.objects.create(
        commune=officer.commune, year=2024, poor_target_end=2
    )
    VillageAllocation.objects.create(
        target=target, village=village_a1, poor_reduction=2
    )
    VillageAllocation.objects.create(
        target=target, village=village_a2, poor_reduction=1
    )
    first, second = Client(), Client()
    first.force_login(officer)
    second.force_login(deputy)
    first_form = post_form(first.get(allocation_url()))
    second_form = post_form(second.get(allocation_url()))

    # Only the shares move: the version is the whole year's allocation.
    first_form |= {
        f"reduction_{village_a1.pk}": "1",
        f"reduction_{village_a2.pk}": "2",
    }
    assert first.post(allocation_url(), first_form).status_code == 302
    second_form |= {
        "poor_target_end": "1",
        f"reduction_{village_a1.pk}": "3",
        f"reduction_{village_a2.pk}": "1",
    }
    refused = second.post(allocation_url(), second_form)

    assert refused.status_code == 409
    page = refused.content.decode()
    assert "người khác đã sửa nội dung này sau khi bạn mở trang" in page
    assert (
        "Chỉ tiêu giao cho Làng Chiềng: chỉ tiêu giảm hộ nghèo (hộ): "
        "lúc bạn mở trang là “2”, nay là “1”" in page
    )
    assert "Bùi Thị Lan sửa lúc" in page
    assert shares() == {"Làng Chiềng": 1, "Làng Bột": 2}
    assert PovertyTarget.objects.get().poor_target_end == 2

    again = post_form(refused)
    assert again[f"reduction_{village_a1.pk}"] == "3"
    assert second.post(allocation_url(), again).status_code == 302
    assert shares() == {"Làng Chiềng": 3, "Làng Bột": 1}
    assert PovertyTarget.objects.get().poor_target_end == 1


def test_two_first_allocations_of_a_year_do_not_overwrite_each_other(
    officer: User,
    village_a1: Village,
    village_a2: Village,
    register: dict[str, Household],
) -> None:
    deputy = make_user("canbo2", Role.OFFICER, officer.commune)
    first, second = Client(), Client()
    first.force_login(officer)
    second.force_login(deputy)
    first_form = post_form(first.get(allocation_url()))
    second_form = post_form(second.get(allocation_url()))
    values = {"poor_target_end": "2", f"reduction_{village_a2.pk}": "1"}
    first.post(
        allocation_url(), first_form | values | {f"reduction_{village_a1.pk}": "2"}
    )

    refused = second.post(
        allocation_url(),
        second_form
        | values
        | {"poor_target_end": "3", f"reduction_{village_a1.pk}": "1"},
    )

    assert refused.status_code == 409
    assert "Chỉ tiêu của xã" in refused.content.decode()
    assert PovertyTarget.objects.get().poor_target_end == 2
