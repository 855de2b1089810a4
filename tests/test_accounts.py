"""Accounts (issue 13 item 4): a user changes their own password; a forgotten one is
reset by e-mail where mail is set up, else the commune's officer gives a temporary
one that must be changed at the next page; a session ends a working day after its
login, whatever the activity."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from giamngheo.models import User
from tests.conftest import PASSWORD

NEW_PASSWORD = "lúa-chín-vàng-đồng-Cao-Ngọc-2025"


def log_in(client: Client, user: User, password: str = PASSWORD) -> Any:
    return client.post(
        reverse("login"), {"username": user.username, "password": password}
    )


def change(client: Client, old: str, new: str) -> Any:
    return client.post(
        reverse("password_change"),
        {"old_password": old, "new_password1": new, "new_password2": new},
    )


# --- Changing one's own password ---------------------------------------------------


@pytest.mark.django_db
def test_a_user_changes_their_password_and_stays_logged_in(
    client: Client, head_a1: User
) -> None:
    client.force_login(head_a1)
    page = client.get(reverse("home"), follow=True).content.decode()
    assert reverse("password_change") in page  # the link next to "Đăng xuất"

    response = change(client, PASSWORD, NEW_PASSWORD)

    assert response.status_code == 302
    assert response.url == reverse("home")
    assert client.get(reverse("households:list")).status_code == 200
    head_a1.refresh_from_db()
    assert head_a1.check_password(NEW_PASSWORD)


@pytest.mark.django_db
def test_the_validators_of_the_settings_refuse_a_weak_password(
    client: Client, head_a1: User
) -> None:
    client.force_login(head_a1)

    response = change(client, PASSWORD, "12345678")

    assert response.status_code == 200
    assert "chữ số" in response.content.decode()  # the numeric validator, in Vietnamese
    head_a1.refresh_from_db()
    assert head_a1.check_password(PASSWORD)


# --- The officer's temporary password -----------------------------------------------


def give_temporary_password(client: Client, account: User) -> Any:
    return client.post(reverse("user_passwords"), {"account": str(account.pk)})


@pytest.mark.django_db
def test_the_officer_gives_a_village_head_a_temporary_password_to_change_at_once(
    client: Client, officer: User, head_a1: User
) -> None:
    client.force_login(officer)
    listing = client.get(reverse("user_passwords")).content.decode()
    assert head_a1.username in listing

    answer = give_temporary_password(client, head_a1)

    temporary = re.search(r"<code>([a-z0-9]+)</code>", answer.content.decode())
    assert temporary is not None
    head_a1.refresh_from_db()
    assert head_a1.must_change_password
    assert head_a1.check_password(temporary.group(1))

    village_head = Client()
    assert log_in(village_head, head_a1, temporary.group(1)).status_code == 302
    for path in (reverse("home"), reverse("households:list")):
        response = village_head.get(path)
        assert response.status_code == 302
        assert response.url == reverse("password_change")
    assert change(village_head, temporary.group(1), NEW_PASSWORD).status_code == 302
    assert village_head.get(reverse("households:list")).status_code == 200
    head_a1.refresh_from_db()
    assert not head_a1.must_change_password


@pytest.mark.django_db
def test_a_temporary_password_ends_the_accounts_open_sessions(
    client: Client, officer: User, head_a1: User
) -> None:
    already_in = Client()
    already_in.force_login(head_a1)
    client.force_login(officer)

    give_temporary_password(client, head_a1)

    response = already_in.get(reverse("households:list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.django_db
@pytest.mark.parametrize("other", ["outsider", "admin", "officer"])
def test_the_officer_cannot_reset_another_communes_an_admins_or_his_own(
    client: Client, officer: User, request: pytest.FixtureRequest, other: str
) -> None:
    account: User = request.getfixturevalue(other)
    client.force_login(officer)
    assert (
        account.username not in client.get(reverse("user_passwords")).content.decode()
    )

    response = give_temporary_password(client, account)

    assert response.status_code == 404
    account.refresh_from_db()
    assert account.check_password(PASSWORD)
    assert not account.must_change_password


@pytest.mark.django_db
def test_only_the_officer_and_the_superuser_have_the_page(
    client: Client, chairman: User, head_a1: User, admin: User, officer: User
) -> None:
    client.force_login(chairman)
    assert give_temporary_password(client, head_a1).status_code == 403

    client.force_login(admin)
    assert give_temporary_password(client, officer).status_code == 200
    officer.refresh_from_db()
    assert officer.must_change_password


# --- Reset by e-mail ---------------------------------------------------------------


@pytest.mark.django_db
def test_without_mail_the_reset_page_sends_to_the_officer(client: Client) -> None:
    page = client.get(reverse("password_reset")).content.decode()

    assert "mật khẩu tạm thời" in page
    assert 'name="email"' not in page
    assert reverse("password_reset") in client.get(reverse("login")).content.decode()


@pytest.mark.django_db
def test_with_mail_a_reset_link_sets_a_new_password(
    client: Client, head_a1: User, settings: Any
) -> None:
    settings.PASSWORD_RESET_BY_EMAIL = True
    head_a1.email = "truongthon1@example.vn"
    head_a1.save()

    sent = client.post(reverse("password_reset"), {"email": head_a1.email})

    assert sent.status_code == 302
    [message] = mail.outbox
    assert message.to == [head_a1.email]
    assert "Đặt lại mật khẩu" in message.subject
    link = re.search(r"https?://[^/\s]+(/tai-khoan/dat-lai/\S+/)", message.body)
    assert link is not None
    form = client.get(link.group(1), follow=True)
    assert form.status_code == 200
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert done.url == reverse("password_reset_complete")
    head_a1.refresh_from_db()
    assert head_a1.check_password(NEW_PASSWORD)


@pytest.mark.django_db
def test_reset_requests_are_rated_per_address(client: Client, settings: Any) -> None:
    settings.PASSWORD_RESET_BY_EMAIL = True
    settings.LOGIN_RATE = "2/m"
    for _ in range(2):
        client.post(reverse("password_reset"), {"email": "ai-do@example.vn"})

    response = client.post(reverse("password_reset"), {"email": "ai-do@example.vn"})

    assert response.status_code == 429


# --- A working day at most ----------------------------------------------------------


@pytest.mark.django_db
def test_a_session_used_all_day_ends_ten_hours_after_its_login(
    client: Client, officer: User
) -> None:
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        assert log_in(client, officer).status_code == 302
        # A request every 20 minutes: the 30 idle minutes never pass.
        for _ in range(29):
            clock.shift(timedelta(minutes=20))
            assert client.get(reverse("households:list")).status_code == 200
        clock.shift(timedelta(minutes=21))  # 10 h 1 min after the login

        response = client.get(reverse("households:list"))

        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
        assert "_auth_user_id" not in client.session
        login_page = client.get(response.url).content.decode()
        assert "Phiên làm việc đã quá 10 giờ" in login_page


@pytest.mark.django_db
def test_the_limit_is_a_setting(client: Client, officer: User, settings: Any) -> None:
    settings.SESSION_MAX_HOURS = 1
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        log_in(client, officer)
        clock.shift(timedelta(minutes=25))
        assert client.get(reverse("households:list")).status_code == 200
        clock.shift(timedelta(minutes=25))
        assert client.get(reverse("households:list")).status_code == 200
        clock.shift(timedelta(minutes=11))

        assert client.get(reverse("households:list")).status_code == 302


@pytest.mark.django_db
def test_the_change_form_says_each_rule_once(client: Client, officer: User) -> None:
    client.force_login(officer)
    page = client.get(reverse("password_change")).content.decode()
    rules = re.findall(r"<li>(.*?)</li>", page.split('name="new_password1"')[1])
    assert rules, "the new password's rules are listed"
    assert len(rules) == len(set(rules))
    assert any("matkhau123" in rule for rule in rules)


@pytest.mark.django_db
def test_the_vietnamese_list_still_refuses_its_passwords(
    client: Client, officer: User
) -> None:
    client.force_login(officer)
    answer = change(client, PASSWORD, "anhyeuem123")
    assert answer.status_code == 200
    officer.refresh_from_db()
    assert officer.check_password(PASSWORD)


@pytest.mark.django_db
def test_the_officers_list_goes_by_given_name_without_marks(
    client: Client, officer: User, commune_a: Any
) -> None:
    for username, last, first in [
        ("bui", "Bùi Văn", "An"),
        ("bach", "Bạch Thị", "Bình"),
        ("dinh", "Đinh Văn", "An"),
    ]:
        User.objects.create_user(
            username,
            password=PASSWORD,
            commune=commune_a,
            last_name=last,
            first_name=first,
            role=officer.role,
        )
    client.force_login(officer)
    page = client.get(reverse("user_passwords")).content.decode()
    order = [page.index(f">{name}<") for name in ("bui", "dinh", "bach")]
    assert order == sorted(order)
