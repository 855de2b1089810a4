"""The review's reporting calendar (QĐ 24/2021/QĐ-TTg Điều 7, DOMAIN.md §15) as tasks
of the year: its dates and recipients, made once per year (twice changes nothing), by
the command; and in the demo, played to its working date."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from giamngheo.models import User
from households.models import Commune
from targets.models import Recipient
from tasks.models import DeliverableKind, Task, TaskStatus, Unit, UnitKind
from tasks.reporting_calendar import (
    SOURCE,
    create_reporting_tasks,
    reporting_deadlines,
)


def test_the_calendar_of_2024_has_its_ten_reports_to_the_district() -> None:
    deadlines = reporting_deadlines(2024)

    assert [d.last_day for d in deadlines] == [
        *(date(2024, month, 5) for month in range(2, 10)),
        date(2024, 11, 15),
        date(2024, 12, 20),
    ]
    # "Chậm nhất ngày 05/02": the 5th is the last day on time.
    assert deadlines[0].due_before == date(2024, 2, 6)
    assert deadlines[0].deadline_text == "Chậm nhất ngày 05/02/2024"
    assert {d.recipient for d in deadlines} == {Recipient.UBND_HUYEN}
    assert "sơ bộ" in deadlines[-2].title and "chính thức" in deadlines[-1].title
    assert all(SOURCE in d.duty_text for d in deadlines)
    assert all("chưa đối chiếu văn bản gốc" in d.duty_text for d in deadlines)


def test_from_july_2025_the_reports_go_to_the_province() -> None:
    by_day = {d.last_day: d.recipient for d in reporting_deadlines(2025)}

    assert by_day[date(2025, 6, 5)] == Recipient.UBND_HUYEN
    assert by_day[date(2025, 7, 5)] == Recipient.UBND_TINH
    assert by_day[date(2025, 12, 20)] == Recipient.UBND_TINH
    assert {d.recipient for d in reporting_deadlines(2027)} == {Recipient.UBND_TINH}


@pytest.fixture
def officer_unit(commune_a: Commune) -> Unit:
    return Unit.objects.create(
        commune=commune_a,
        slug="ldtbxh",
        name="Công chức Lao động - Thương binh và Xã hội",
        kind=UnitKind.OFFICER,
    )


@pytest.mark.django_db
def test_the_tasks_of_a_year_are_made_once(
    commune_a: Commune, officer_unit: Unit
) -> None:
    created = create_reporting_tasks(commune_a, 2027, officer_unit)

    assert len(created) == 10
    tasks = Task.objects.filter(commune=commune_a, year=2027, source=SOURCE)
    assert tasks.count() == 10
    assert {t.kind for t in tasks} == {DeliverableKind.REPORT}
    assert {t.status for t in tasks} == {TaskStatus.NOT_STARTED}
    assert {t.unit for t in tasks} == {officer_unit}
    official = tasks.get(due_before=date(2027, 12, 21))
    assert official.last_on_time_day == date(2027, 12, 20)
    # Again: nothing new; a task already there (even changed) is left alone.
    official.title = "Báo cáo chính thức (đã sửa)"
    official.save()
    assert create_reporting_tasks(commune_a, 2027, officer_unit) == []
    assert tasks.count() == 10
    official.delete()
    assert len(create_reporting_tasks(commune_a, 2027, officer_unit)) == 1


@pytest.mark.django_db
def test_the_officer_makes_the_calendar_from_the_calendar_page(
    client: Client, commune_a: Commune, officer: User, head_a1: User
) -> None:
    calendar = reverse("tasks:calendar", args=[2026])
    create = reverse("tasks:reporting_calendar_create", args=[2026])
    client.force_login(head_a1)
    assert "Tạo nhiệm vụ báo cáo rà soát" not in client.get(calendar).content.decode()
    client.force_login(officer)
    assert (
        "Tạo nhiệm vụ báo cáo rà soát năm 2026" in client.get(calendar).content.decode()
    )

    # No LĐ-TB&XH unit yet: said so, nothing made.
    response = client.post(create, follow=True)
    said = " ".join(str(m) for m in response.context["messages"])
    assert "chưa có đơn vị “Công chức LĐ-TB&XH” (mã ldtbxh)" in said
    assert not Task.objects.exists()

    Unit.objects.create(
        commune=commune_a,
        slug="ldtbxh",
        name="Công chức LĐ-TB&XH",
        kind=UnitKind.OFFICER,
    )
    response = client.post(create, follow=True)
    assert response.redirect_chain == [(calendar, 302)]
    page = response.content.decode()
    assert "đã tạo 10 nhiệm vụ, 0 nhiệm vụ đã có từ trước" in page
    assert (
        "Báo cáo sơ bộ kết quả rà soát định kỳ hộ nghèo, hộ cận nghèo năm 2026" in page
    )
    response = client.post(create, follow=True)
    assert "đã tạo 0 nhiệm vụ, 10 nhiệm vụ đã có từ trước" in response.content.decode()
    assert Task.objects.filter(source=SOURCE, year=2026).count() == 10


def test_the_command_makes_the_calendar_and_says_what_it_did(
    commune_a: Commune, officer_unit: Unit
) -> None:
    out = io.StringIO()
    call_command("create_reporting_calendar", "--xa", "a", "--nam", "2026", stdout=out)
    assert "đã tạo 10 nhiệm vụ, 0 nhiệm vụ đã có từ trước" in out.getvalue()
    assert "Chậm nhất ngày 15/11/2026" in out.getvalue()

    out = io.StringIO()
    call_command("create_reporting_calendar", "--xa", "a", "--nam", "2026", stdout=out)
    assert "đã tạo 0 nhiệm vụ, 10 nhiệm vụ đã có từ trước" in out.getvalue()

    with pytest.raises(CommandError, match="chưa có đơn vị mã vptk"):
        call_command("create_reporting_calendar", "--xa", "a", "--don-vi", "vptk")
    with pytest.raises(CommandError, match="Không có xã mã z"):
        call_command("create_reporting_calendar", "--xa", "z")
