"""Security controls: headers, sessions, login throttling, demo accounts, deploy checks.

ECOSYSTEM.md rows B1–B4 and note N3. Users log in through the real login view, so
the axes backend and the demo-aware backend are both on the path.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from giamngheo.models import Role, User
from households.models import Commune

BASE_DIR = Path(__file__).resolve().parent.parent
PASSWORD = "núi-Cao-Ngọc-mùa-lúa-chín-2024"
OTHER_PASSWORD = "thôn-Bàn-Lai-bên-suối-Âm-2024"
WRONG_PASSWORD = "sai-mat-khau-hoan-toan"


@pytest.fixture
def commune(db: None) -> Commune:
    return Commune.objects.create(
        name="Cao Ngọc", code="cao-ngoc", district="Ngọc Lặc", province="Thanh Hóa"
    )


@pytest.fixture
def officer(commune: Commune) -> User:
    return User.objects.create_user(
        username="canbo", password=PASSWORD, role=Role.OFFICER, commune=commune
    )


@pytest.fixture
def colleague(commune: Commune) -> User:
    """A second officer in the same office, hence behind the same IP address."""
    return User.objects.create_user(
        username="canbo2", password=OTHER_PASSWORD, role=Role.OFFICER, commune=commune
    )


@pytest.fixture
def demo_user(commune: Commune) -> User:
    user = User.objects.create_user(
        username="demo", password=PASSWORD, role=Role.OFFICER, commune=commune
    )
    user.is_demo = True  # set_password() clears the flag, so set it afterwards
    user.save()
    return user


def post_login(client: Client, username: str, password: str) -> Any:
    return client.post(reverse("login"), {"username": username, "password": password})


def logged_in(response: Any) -> bool:
    """The login view redirects on success and re-renders the form on failure."""
    return response.status_code == 302 and "_auth_user_id" in response.client.session


def redirects_to_login(response: Any) -> bool:
    return response.status_code == 302 and response.url.startswith(reverse("login"))


# --- Headers (B2) -------------------------------------------------------------------


@pytest.mark.django_db
def test_login_page_sends_the_security_headers(client: Client) -> None:
    response = client.get(reverse("login"))

    assert response.status_code == 200
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "object-src 'none'" in csp
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_csp_script_nonce_changes_on_every_response(client: Client) -> None:
    first = client.get(reverse("login")).headers["Content-Security-Policy"]
    second = client.get(reverse("login")).headers["Content-Security-Policy"]

    assert "'nonce-" in first
    assert first != second


# --- Login required and sessions (B4) ----------------------------------------------


@pytest.mark.django_db
def test_anonymous_home_redirects_to_login(client: Client) -> None:
    response = client.get("/")

    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next=/"


@pytest.mark.django_db
def test_anonymous_household_list_redirects_to_login(client: Client) -> None:
    response = client.get(reverse("households:list"))

    assert redirects_to_login(response)


def test_session_settings_give_a_30_minute_sliding_idle_timeout(
    settings: Any,
) -> None:
    assert settings.SESSION_COOKIE_AGE == 1800
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_COOKIE_HTTPONLY is True


@pytest.mark.django_db
def test_session_expires_after_31_idle_minutes(client: Client, officer: User) -> None:
    client.force_login(officer)
    now = timezone.now()

    with time_machine.travel(now + timedelta(minutes=31), tick=False):
        response = client.get(reverse("home"))

    assert redirects_to_login(response)


@pytest.mark.django_db
def test_session_survives_29_idle_minutes(client: Client, officer: User) -> None:
    client.force_login(officer)
    now = timezone.now()

    with time_machine.travel(now + timedelta(minutes=29), tick=False):
        response = client.get(reverse("home"))

    assert response.status_code == 302
    assert not redirects_to_login(response)
    assert response.url == reverse("reports:dashboard")


@pytest.mark.django_db
def test_each_request_restarts_the_idle_clock(client: Client, officer: User) -> None:
    client.force_login(officer)
    now = timezone.now()

    with time_machine.travel(now + timedelta(minutes=29), tick=False):
        client.get(reverse("home"))
    with time_machine.travel(now + timedelta(minutes=58), tick=False):
        response = client.get(reverse("home"))

    assert not redirects_to_login(response)


@pytest.mark.django_db
def test_login_issues_a_new_session_key(client: Client, officer: User) -> None:
    client.get(reverse("login"))
    client.session.save()
    before = client.session.session_key

    assert logged_in(post_login(client, "canbo", PASSWORD))
    assert client.session.session_key != before


@pytest.mark.django_db
def test_deactivated_user_is_logged_out_on_next_request(
    client: Client, officer: User
) -> None:
    client.force_login(officer)
    officer.is_active = False
    officer.save()

    assert redirects_to_login(client.get(reverse("home")))


# --- Login throttling with axes (B3, N3) -------------------------------------------


@pytest.mark.django_db
def test_sixth_attempt_after_5_failures_is_refused_even_with_right_password(
    client: Client,
    officer: User,
    settings: Any,
) -> None:
    settings.AXES_ENABLED = True
    for _ in range(4):
        assert post_login(client, "canbo", WRONG_PASSWORD).status_code == 200
    post_login(client, "canbo", WRONG_PASSWORD)

    response = post_login(client, "canbo", PASSWORD)

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_lockout_of_one_username_spares_a_colleague_on_the_same_ip(
    client: Client,
    officer: User,
    colleague: User,
    settings: Any,
) -> None:
    settings.AXES_ENABLED = True
    for _ in range(5):
        post_login(client, "canbo", WRONG_PASSWORD)
    assert post_login(client, "canbo", PASSWORD).status_code == 429

    other_browser = Client()  # same REMOTE_ADDR, 127.0.0.1
    response = post_login(other_browser, "canbo2", OTHER_PASSWORD)

    assert logged_in(response)


@pytest.mark.django_db
def test_lockout_ends_by_itself_after_the_15_minute_cooloff(
    client: Client,
    officer: User,
    settings: Any,
) -> None:
    settings.AXES_ENABLED = True
    for _ in range(5):
        post_login(client, "canbo", WRONG_PASSWORD)
    assert post_login(client, "canbo", PASSWORD).status_code == 429

    with time_machine.travel(timezone.now() + timedelta(minutes=16), tick=False):
        response = post_login(client, "canbo", PASSWORD)

    assert logged_in(response)


@pytest.mark.django_db
def test_still_locked_out_14_minutes_later(
    client: Client,
    officer: User,
    settings: Any,
) -> None:
    settings.AXES_ENABLED = True
    for _ in range(5):
        post_login(client, "canbo", WRONG_PASSWORD)

    with time_machine.travel(timezone.now() + timedelta(minutes=14), tick=False):
        response = post_login(client, "canbo", PASSWORD)

    assert response.status_code == 429


@pytest.mark.django_db
def test_four_failures_then_the_right_password_logs_in(
    client: Client,
    officer: User,
    settings: Any,
) -> None:
    settings.AXES_ENABLED = True
    for _ in range(4):
        post_login(client, "canbo", WRONG_PASSWORD)

    assert logged_in(post_login(client, "canbo", PASSWORD))


# --- Demo accounts (B3 6.3.2) ------------------------------------------------------


@pytest.mark.django_db
def test_demo_user_cannot_log_in_outside_demo_mode(
    client: Client,
    demo_user: User,
    settings: Any,
) -> None:
    settings.DEMO_MODE = False

    response = post_login(client, "demo", PASSWORD)

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_demo_user_can_log_in_in_demo_mode(
    client: Client,
    demo_user: User,
    settings: Any,
) -> None:
    settings.DEMO_MODE = True

    assert logged_in(post_login(client, "demo", PASSWORD))


@pytest.mark.django_db
def test_new_password_clears_the_demo_flag(
    client: Client,
    demo_user: User,
    settings: Any,
) -> None:
    settings.DEMO_MODE = False
    demo_user.set_password(OTHER_PASSWORD)
    demo_user.save()

    assert demo_user.is_demo is False
    assert logged_in(post_login(client, "demo", OTHER_PASSWORD))


@pytest.mark.django_db
def test_check_fails_with_e002_when_a_demo_account_remains_outside_demo_mode(
    demo_user: User,
    settings: Any,
) -> None:
    settings.DEMO_MODE = False

    with pytest.raises(SystemCheckError, match=r"giamngheo\.E002"):
        call_command("check", "--database", "default")


@pytest.mark.django_db
def test_check_passes_in_demo_mode_with_demo_accounts(
    demo_user: User,
    settings: Any,
) -> None:
    settings.DEMO_MODE = True

    call_command("check", "--database", "default")


@pytest.mark.django_db
def test_check_ignores_deactivated_demo_accounts(
    demo_user: User,
    settings: Any,
) -> None:
    settings.DEMO_MODE = False
    demo_user.is_active = False
    demo_user.save()

    call_command("check", "--database", "default")


# --- Passwords (B3 6.2) -------------------------------------------------------------


@pytest.mark.parametrize(
    "password", ["12345678", "matkhau123", "password", "canbo2024"]
)
@pytest.mark.django_db
def test_weak_passwords_are_rejected(password: str) -> None:
    user = User(username="canbo2024")

    with pytest.raises(ValidationError):
        validate_password(password, user=user)


@pytest.mark.django_db
def test_64_character_passphrase_is_accepted() -> None:
    passphrase = "nhà tôi ở thôn Bàn Lai xã Cao Ngọc huyện Ngọc Lặc tỉnh Thanh Hóa"[:64]
    assert len(passphrase) == 64

    validate_password(passphrase, user=User(username="canbo"))


# --- Production settings (B1) -------------------------------------------------------


def production_env(tmp_path: Path, **overrides: str) -> dict[str, str]:
    """The environment of a production host: nothing inherited that settings read."""
    read_by_settings = {
        "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS", "DATABASE_URL",
        "DEMO_MODE", "SECURE_SSL", "SMTP_HOST", "SMTP_PORT", "SMTP_USER",
        "SMTP_PASSWORD", "DEFAULT_FROM_EMAIL", "RECENTLY_ESCAPED_MONTHS", "LOG_LEVEL",
        "MEDIA_ROOT", "AXES_IPWARE_PROXY_COUNT",
    }  # fmt: skip
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in read_by_settings and not key.startswith(("DJANGO_", "PYTEST_"))
    }
    env.update(
        DEBUG="False",
        DEMO_MODE="False",
        SECURE_SSL="True",
        SECRET_KEY=secrets.token_urlsafe(48),
        ALLOWED_HOSTS="giamngheo.example",
        DATABASE_URL=f"sqlite:///{tmp_path / 'deploy-check.sqlite3'}",
    )
    env.update(overrides)
    return env


# A developer's `.env` (created by `make run` from `.env.example`) would fill in what a
# test leaves out, SECRET_KEY included; the production host is simulated without it.
WITHOUT_DOT_ENV = (
    "import runpy, sys, environ; "
    "environ.Env.read_env = lambda *args, **kwargs: None; "
    "sys.argv = ['manage.py', *sys.argv[1:]]; "
    "runpy.run_path('manage.py', run_name='__main__')"
)


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", WITHOUT_DOT_ENV, *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_pass_check_deploy_without_warnings(
    tmp_path: Path,
) -> None:
    env = production_env(tmp_path)
    assert len(env["SECRET_KEY"]) == 64

    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)

    assert result.returncode == 0, result.stdout + result.stderr


def test_production_settings_secure_the_cookies_and_transport(tmp_path: Path) -> None:
    env = production_env(tmp_path, DJANGO_SETTINGS_MODULE="giamngheo.settings")
    code = (
        "import environ; environ.Env.read_env = lambda *args, **kwargs: None; "
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SESSION_COOKIE_HTTPONLY, s.SECURE_SSL_REDIRECT, "
        "s.SECURE_HSTS_SECONDS >= 31536000, s.DEMO_MODE)"
    )

    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    last_line = result.stdout.strip().splitlines()[-1]
    assert last_line == "False True True True True True False"


def test_production_without_secret_key_refuses_to_start(tmp_path: Path) -> None:
    env = production_env(tmp_path)
    del env["SECRET_KEY"]

    result = manage("check", env=env)

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_the_published_development_key(tmp_path: Path) -> None:
    env = production_env(tmp_path, SECRET_KEY="dev-only-insecure-key-change-me")

    result = manage("check", env=env)

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
