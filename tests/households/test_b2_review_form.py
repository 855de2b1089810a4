"""Phiếu B2 on the review form: the facts recorded, the indicators following from
them, an override needing a note, and the grounds shown on the household's page."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from giamngheo.models import User
from households.models import Household, Member, Review
from households.poverty import PovertyStatus

REVIEW_DAY = "20/11/2025"

POOR_DWELLING = {
    "wall_durable": "false",
    "frame_durable": "false",
    "roof_durable": "true",
    "water_source": "surface",
    "latrine_type": "simple_pit",
    "uses_internet": "false",
    "information_devices": ["none"],
    "hears_loudspeaker": "false",
}
FOLLOWING = (
    "chat_luong_nha_o",
    "nguon_nuoc_sinh_hoat",
    "nha_tieu_hop_ve_sinh",
    "su_dung_dich_vu_vien_thong",
    "phuong_tien_tiep_can_thong_tin",
)


def review_data(**fields: Any) -> dict[str, Any]:
    return {
        "review_date": REVIEW_DAY,
        "kind": "periodic",
        "reviewer_name": "Bùi Văn Thắng",
        "income_per_person_month": "1200000",
        "floor_area_m2": "",
        "note": "",
        **fields,
    }


def post(client: Client, user: User, household: Household, data: dict) -> Any:
    client.force_login(user)
    return client.post(reverse("households:review_create", args=[household.pk]), data)


def test_facts_recorded_with_matching_ticks_are_saved_with_their_grounds(
    client: Client, officer: User, household_a1: Household
) -> None:
    data = review_data(**POOR_DWELLING, **dict.fromkeys(FOLLOWING, "on"))

    response = post(client, officer, household_a1, data)

    assert response.status_code == 302
    review = Review.objects.get()
    assert review.status == PovertyStatus.POOR
    assert (review.wall_durable, review.frame_durable, review.roof_durable) == (
        False,
        False,
        True,
    )
    assert review.water_source == "surface"
    assert review.latrine_type == "simple_pit"
    assert review.uses_internet is False
    assert review.information_devices == []
    assert review.hears_loudspeaker is False
    assert review.derivation is not None
    assert set(FOLLOWING) <= set(review.derivation)
    assert review.derivation["nguon_nuoc_sinh_hoat"]["deprived"] is True
    assert "sông, suối" in review.derivation["nguon_nuoc_sinh_hoat"]["explanation"]

    page = client.get(household_a1.get_absolute_url()).content.decode()
    assert "Căn cứ từng chỉ số" in page
    assert "Kết cấu không bền chắc: tường, cột (khung)" in page


def test_facts_recorded_without_the_ticks_need_a_note_naming_each(
    client: Client, officer: User, household_a1: Household
) -> None:
    response = post(client, officer, household_a1, review_data(**POOR_DWELLING))

    assert response.status_code == 200
    [error] = response.context["form"].errors["note"]
    for name in (
        "Chất lượng nhà ở",
        "Nguồn nước sinh hoạt",
        "Nhà tiêu hợp vệ sinh",
        "Sử dụng dịch vụ viễn thông",
        "Phương tiện phục vụ tiếp cận thông tin",
    ):
        assert name in error
    assert Review.objects.count() == 0


def test_an_override_of_a_fact_indicator_with_a_note_is_saved_and_shown(
    client: Client, officer: User, household_a1: Household
) -> None:
    # Clean water recorded, the officer still finds the household deprived.
    data = review_data(
        water_source="drilled_well",
        nguon_nuoc_sinh_hoat="on",
        note="Giếng khoan nhiễm phèn, hộ không dùng được.",
    )

    response = post(client, officer, household_a1, data)

    assert response.status_code == 302
    review = Review.objects.get()
    assert review.nguon_nuoc_sinh_hoat is True
    assert review.derivation["nguon_nuoc_sinh_hoat"]["deprived"] is False
    page = client.get(household_a1.get_absolute_url()).content.decode()
    assert "khác với số liệu — xem ghi chú" in page


@pytest.mark.parametrize(
    ("employment", "education", "birth_year", "slug", "label"),
    [
        ("no_contract", "upper_secondary", 1980, "viec_lam", "Việc làm"),
        ("unemployed", "upper_secondary", 1980, "viec_lam", "Việc làm"),
        (
            "self_employed",
            "lower_secondary",
            2000,
            "trinh_do_giao_duc_nguoi_lon",
            "Trình độ giáo dục của người lớn",
        ),
    ],
)
def test_work_and_adult_education_follow_the_members(
    client: Client,
    officer: User,
    household_a1: Household,
    employment: str,
    education: str,
    birth_year: int,
    slug: str,
    label: str,
) -> None:
    Member.objects.filter(household=household_a1).update(
        employment=employment, education_level=education, birth_year=birth_year
    )
    client.force_login(officer)

    page = client.get(reverse("households:review_create", args=[household_a1.pk]))
    assert page.context["form"].initial[slug] is True

    refused = post(client, officer, household_a1, review_data())
    assert label in refused.context["form"].errors["note"][0]
    assert Review.objects.count() == 0

    assert (
        post(client, officer, household_a1, review_data(**{slug: "on"})).status_code
        == 302
    )


def test_no_device_with_a_device_is_refused(
    client: Client, officer: User, household_a1: Household
) -> None:
    data = review_data(information_devices=["none", "phone"])

    response = post(client, officer, household_a1, data)

    assert (
        "Không có phương tiện nào"
        in response.context["form"].errors["information_devices"][0]
    )
    assert Review.objects.count() == 0


def test_the_next_review_starts_from_the_dwelling_as_last_recorded(
    client: Client, officer: User, household_a1: Household
) -> None:
    post(
        client,
        officer,
        household_a1,
        review_data(**POOR_DWELLING, **dict.fromkeys(FOLLOWING, "on")),
    )
    client.force_login(officer)

    form = client.get(
        reverse("households:review_create", args=[household_a1.pk])
    ).context["form"]

    assert form.initial["water_source"] == "surface"
    assert form.initial["information_devices"] == []
    assert form.initial["chat_luong_nha_o"] is True
    assert 'value="none" checked' in str(form["information_devices"]) or (
        "checked" in str(form["information_devices"])
    )


def test_the_preview_lists_indicators_differing_from_the_facts(
    client: Client, officer: User, household_a1: Household
) -> None:
    client.force_login(officer)

    response = client.post(
        reverse("households:review_preview", args=[household_a1.pk]),
        review_data(latrine_type="over_water"),
    )

    text = response.content.decode()
    assert "Khác với số liệu vừa ghi" in text
    assert "Cầu tõm" in text


def test_old_reviews_without_facts_keep_their_ticks(
    client: Client, officer: User, household_a1: Household
) -> None:
    from tests.conftest import make_review

    review = make_review(household_a1, deprived=("chat_luong_nha_o",))

    assert review.derivation is None
    assert "chat_luong_nha_o" not in review.suggested_indicators()
    page = client.get(household_a1.get_absolute_url())
    assert page.status_code in (200, 302)
    client.force_login(officer)
    text = client.get(household_a1.get_absolute_url()).content.decode()
    assert "phiếu ghi trước khi lưu căn cứ tính" in text
