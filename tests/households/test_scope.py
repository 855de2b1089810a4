"""Who may open which page, on which household (ECOSYSTEM.md B5).

One table, `POLICY`, states for every named URL of the project the expected answer
per role and, for pages about one household, per household:

- household_a1: village A1 of commune A (the village of `head_a1`),
- household_a2: village A2 of the same commune,
- household_b: commune B (the commune of `outsider`).

Pages of a year (the periodic review round, the targets) work on the user's own
commune, so their cells are per role only; `plans()` gives both communes a round and
a service target for this year.

Out of scope is 404 (the household does not exist for you); in scope but read-only
is 403; anonymous is sent to the login page with `?next=`. Every request that is not
an allowed write leaves every row of the project's models as it was. A URL added to
the project without a row here fails `test_every_named_url_has_a_policy`.

The task pages (`TASK_POLICY`, tests/tasks/test_task_scope.py) and the reports
(`REPORT_POLICY`, tests/reports/test_report_scope.py) keep their rows in tables of
their own, in the same shape; so do the procedure records, the issued reports and the
background jobs' pages (`JOB_POLICY`, tests/jobs/test_job_scope.py); the coverage
tests here count them all.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any
from urllib.parse import quote

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from giamngheo.models import User
from households.models import (
    ArchiveReason,
    Commune,
    FarmLivelihood,
    Household,
    MediumLivingDetermination,
    Member,
    ReviewRound,
    Village,
)
from targets.models import Measure, Population, ServiceTarget
from targets.progress import Comparator
from tests.conftest import make_review

# 3 deprivations the reviewer ticks (none follows from the test members).
POOR = ("su_dung_dich_vu_vien_thong", "chat_luong_nha_o", "nguon_nuoc_sinh_hoat")


# --- Outcomes ----------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    status: int
    # Where a 302 goes: "login?next" (the login page, back to this path), "detail"
    # (the household's page), or a URL name. (The task table gives its own keys.)
    location: str | None = None
    # The request changes the household (checked by `EFFECTS`); every other request
    # leaves the database as it was.
    writes: bool = False

    def __repr__(self) -> str:
        return f"{self.status}{f' → {self.location}' if self.location else ''}"


OK = Outcome(200)
FORBIDDEN = Outcome(403)
NOT_FOUND = Outcome(404)
NOT_ALLOWED = Outcome(405)
TO_LOGIN = Outcome(302, "login?next")
TO_LIST = Outcome(302, "households:list")
TO_LATEST = Outcome(302, "targets:latest")  # the targets of this year
TO_MY_TASKS = Outcome(302, "tasks:mine")
TO_HOME = Outcome(302, "home")
TO_DASHBOARD = Outcome(302, "reports:dashboard")
LOGGED_OUT = Outcome(302, "login")
SAVED = Outcome(302, "detail", writes=True)
# The review form of a household the user may review, in this year's round.
NEXT_REVIEW = Outcome(302, "next review")
TO_PROGRESS = Outcome(302, "targets:progress")  # of this year
TO_ROUND = Outcome(302, "households:round_detail")  # of this year

HOUSEHOLDS = ("household_a1", "household_a2", "household_b")
ROLES = ("anonymous", "officer", "chairman", "sector", "head_a1", "outsider", "admin")

Cell = Outcome | dict[str, Outcome]


def with_province[C](
    cells: dict[str, C],
    name: str,
    method: str,
    exceptions: dict[tuple[str, str], C] | None = None,
) -> dict[str, C]:
    """A row of a policy table with the province user's cell added: the chairman's
    (it looks at commune A, its province's first commune, and reads it as the
    chairman does; the chairman writes nothing, so neither does it), except where
    `exceptions` says otherwise (its home, its own pages)."""
    own = (exceptions or {}).get((name, method), cells["chairman"])
    return {**cells, "province": own}


def on(a1: Outcome, a2: Outcome, b: Outcome) -> dict[str, Outcome]:
    """One cell for a household page: the outcome on household_a1, _a2 and _b."""
    return dict(zip(HOUSEHOLDS, (a1, a2, b), strict=True))


def row(*cells: Cell) -> dict[str, Cell]:
    """One row of the matrix, in the order of ROLES."""
    return dict(zip(ROLES, cells, strict=True))


# Household cells: the outcome on (household_a1, household_a2, household_b).
READ_A = on(OK, OK, NOT_FOUND)  # a reader of commune A
READ_A1 = on(OK, NOT_FOUND, NOT_FOUND)  # the head of village A1
READ_B = on(NOT_FOUND, NOT_FOUND, OK)  # the officer of commune B
READ_ALL = on(OK, OK, OK)  # the superuser
DENY_A = on(FORBIDDEN, FORBIDDEN, NOT_FOUND)  # read-only in commune A: 403, else 404
DENY_A1 = on(FORBIDDEN, NOT_FOUND, NOT_FOUND)  # the head of A1, on an officer's page
# Nothing waits for the chairman's decision: back to the household's page.
DETAIL = Outcome(302, "detail")
BACK_A = on(DETAIL, DETAIL, NOT_FOUND)
BACK_B = on(NOT_FOUND, NOT_FOUND, DETAIL)
BACK_ALL = on(DETAIL, DETAIL, DETAIL)
SAVE_A = on(SAVED, SAVED, NOT_FOUND)
SAVE_A1 = on(SAVED, NOT_FOUND, NOT_FOUND)
SAVE_B = on(NOT_FOUND, NOT_FOUND, SAVED)
SAVE_ALL = on(SAVED, SAVED, SAVED)
# Short names, so that one row of the matrix fits on one line.
LOGIN, LIST, HOME, OUT = TO_LOGIN, TO_LIST, TO_HOME, LOGGED_OUT
LATEST, MINE, DASH = TO_LATEST, TO_MY_TASKS, TO_DASHBOARD
F, NA, NEXT, PROG, ROUND = FORBIDDEN, NOT_ALLOWED, NEXT_REVIEW, TO_PROGRESS, TO_ROUND
IMPORT = Outcome(302, "households:register_import")

# fmt: off
POLICY: dict[str, dict[str, dict[str, Cell]]] = {
    #               anon     officer  chairman sector   head_a1  outsider admin
    # Each role starts where its work is.
    "home": {
        "GET":      row(LOGIN,   DASH,    DASH,    MINE,    DASH,    DASH,    LIST),
    },
    "login": {
        "GET":      row(OK,      HOME,    HOME,    HOME,    HOME,    HOME,    HOME),
    },
    # Django 6's LogoutView answers POST only.
    "logout": {
        "GET":      row(LOGIN,   NA,      NA,      NA,      NA,      NA,      NA),
        "POST":     row(LOGIN,   OUT,     OUT,     OUT,     OUT,     OUT,     OUT),
    },
    # Accounts (giamngheo/account_views.py). An empty POST re-shows the form.
    "password_change": {
        "GET":      row(LOGIN,   OK,      OK,      OK,      OK,      OK,      OK),
        "POST":     row(LOGIN,   OK,      OK,      OK,      OK,      OK,      OK),
    },
    # Without mail (the tests' settings) the page says who gives a temporary one.
    "password_reset": {
        "GET":      row(OK,      OK,      OK,      OK,      OK,      OK,      OK),
        "POST":     row(OK,      OK,      OK,      OK,      OK,      OK,      OK),
    },
    "password_reset_done": {
        "GET":      row(OK,      OK,      OK,      OK,      OK,      OK,      OK),
    },
    # A link of no user: "no longer valid", for everybody.
    "password_reset_confirm": {
        "GET":      row(OK,      OK,      OK,      OK,      OK,      OK,      OK),
        "POST":     row(OK,      OK,      OK,      OK,      OK,      OK,      OK),
    },
    "password_reset_complete": {
        "GET":      row(OK,      OK,      OK,      OK,      OK,      OK,      OK),
    },
    # The officer gives his commune's users a temporary password (the superuser,
    # anybody's but a superuser's); an empty POST asks whom.
    "user_passwords": {
        "GET":      row(LOGIN,   OK,      F,       F,       F,       OK,      OK),
        "POST":     row(LOGIN,   OK,      F,       F,       F,       OK,      OK),
    },
    "households:list": {
        "GET":      row(LOGIN,   OK,      OK,      OK,      OK,      OK,      OK),
    },
    # The register workbook of the user's scope (a village head: his village).
    "households:register_export": {
        "GET":      row(LOGIN,   OK,      OK,      OK,      OK,      OK,      OK),
        "POST":     row(LOGIN,   NA,      NA,      NA,      NA,      NA,      NA),
    },
    # The register import: the officer only. An empty POST re-shows the form; a
    # confirmation with nothing staged goes back to the import page.
    "households:register_import": {
        "GET":      row(LOGIN,   OK,      F,       F,       F,       OK,      OK),
        "POST":     row(LOGIN,   OK,      F,       F,       F,       OK,      OK),
    },
    # The preview of the file this session staged (its check is a background job):
    # nothing staged goes back to the import page.
    "households:register_import_preview": {
        "GET":      row(LOGIN,   IMPORT,  F,       F,       F,       IMPORT,  IMPORT),
        "POST":     row(LOGIN,   NA,      NA,      NA,      NA,      NA,      NA),
    },
    "households:register_import_confirm": {
        "GET":      row(LOGIN,   NA,      NA,      NA,      NA,      NA,      NA),
        "POST":     row(LOGIN,   IMPORT,  F,       F,       F,       IMPORT,  IMPORT),
    },
    # The province's list against the register: officer only, nothing written.
    "households:province_list": {
        "GET":      row(LOGIN,   OK,      F,       F,       F,       OK,      OK),
        "POST":     row(LOGIN,   OK,      F,       F,       F,       OK,      OK),
    },
    "households:province_list_template": {
        "GET":      row(LOGIN,   OK,      F,       F,       F,       OK,      OK),
        "POST":     row(LOGIN,   NA,      NA,      NA,      NA,      NA,      NA),
    },
    "households:villages": {
        "GET":      row(LOGIN,   OK,      OK,      OK,      OK,      OK,      OK),
    },
    "households:create": {
        "GET":      row(LOGIN,   OK,      F,       F,       OK,      OK,      OK),
    },
    # htmx, GET only; a village outside the user's scope gets no suggestion
    # (test_code_suggestion_never_reads_another_scope).
    "households:code_suggestion": {
        "GET":      row(LOGIN,   OK,      F,       F,       OK,      OK,      OK),
        "POST":     row(LOGIN,   NA,      NA,      NA,      NA,      NA,      NA),
    },
    "households:detail": {
        "GET":      row(LOGIN,   READ_A,  READ_A,  READ_A,  READ_A1, READ_B,  READ_ALL),
    },
    "households:edit": {
        "GET":      row(LOGIN,   READ_A,  DENY_A,  DENY_A,  READ_A1, READ_B,  READ_ALL),
        "POST":     row(LOGIN,   SAVE_A,  DENY_A,  DENY_A,  SAVE_A1, SAVE_B,  SAVE_ALL),
    },
    "households:review_create": {
        "GET":      row(LOGIN,   READ_A,  DENY_A,  DENY_A,  READ_A1, READ_B,  READ_ALL),
        "POST":     row(LOGIN,   SAVE_A,  DENY_A,  DENY_A,  SAVE_A1, SAVE_B,  SAVE_ALL),
    },
    # htmx preview: POST only; renders the classification and never saves.
    "households:review_preview": {
        "GET":      row(LOGIN,   NA,      NA,      NA,      NA,      NA,      NA),
        "POST":     row(LOGIN,   READ_A,  DENY_A,  DENY_A,  READ_A1, READ_B,  READ_ALL),
    },
    # Phiếu A: like the review form (the posted screen stops the review, so it
    # goes back to the household's page).
    "households:quick_screen": {
        "GET":      row(LOGIN,   READ_A,  DENY_A,  DENY_A,  READ_A1, READ_B,  READ_ALL),
        "POST":     row(LOGIN,   SAVE_A,  DENY_A,  DENY_A,  SAVE_A1, SAVE_B,  SAVE_ALL),
    },
    # The Phiếu B1 points tables are read by everyone; only the officer loads one
    # (an empty POST re-shows the form and writes nothing).
    "households:points_tables": {
        "GET":      row(LOGIN,   OK,      OK,      OK,      OK,      OK,      OK),
        "POST":     row(LOGIN,   OK,      F,       F,       F,       OK,      OK),
    },
    # The medium living standard of farm households (QĐ 24/2021): the commune's
    # officer records the determination and the chairman's decision; the village
    # head and the chairman read it on the household's page.
    "households:medium_living_create": {
        "GET":      row(LOGIN,   READ_A,  DENY_A,  DENY_A,  DENY_A1, READ_B,  READ_ALL),
        "POST":     row(LOGIN,   SAVE_A,  DENY_A,  DENY_A,  DENY_A1, SAVE_B,  SAVE_ALL),
    },
    # GET: nothing pending. POST: `recognise_data` makes one pending first.
    "households:medium_living_recognise": {
        "GET":      row(LOGIN,   BACK_A,  DENY_A,  DENY_A,  DENY_A1, BACK_B,  BACK_ALL),
        "POST":     row(LOGIN,   SAVE_A,  DENY_A,  DENY_A,  DENY_A1, SAVE_B,  SAVE_ALL),
    },
    "households:archive": {
        "GET":      row(LOGIN,   READ_A,  DENY_A,  DENY_A,  READ_A1, READ_B,  READ_ALL),
        "POST":     row(LOGIN,   SAVE_A,  DENY_A,  DENY_A,  SAVE_A1, SAVE_B,  SAVE_ALL),
    },
    # POST only; the target household is archived before the request.
    "households:restore": {
        "GET":      row(LOGIN,   NA,      NA,      NA,      NA,      NA,      NA),
        "POST":     row(LOGIN,   SAVE_A,  DENY_A,  DENY_A,  SAVE_A1, SAVE_B,  SAVE_ALL),
    },
    # The periodic review of this year, in the user's own commune (the superuser:
    # the first commune). Only the officer opens and closes a round; an empty POST
    # is refused (403) or re-shows the form (200), and never writes.
    "households:rounds": {
        "GET":      row(LOGIN,   OK,      OK,      OK,      OK,      OK,      OK),
        "POST":     row(LOGIN,   OK,      F,       F,       F,       OK,      OK),
    },
    "households:round_detail": {
        "GET":      row(LOGIN,   OK,      OK,      OK,      OK,      OK,      OK),
        "POST":     row(LOGIN,   OK,      F,       F,       F,       OK,      OK),
    },
    "households:round_next": {
        "GET":      row(LOGIN,   NEXT,    F,       F,       NEXT,    NEXT,    NEXT),
    },
    # POST only, by the officer; this year's round is open, so nothing to reopen.
    "households:round_reopen": {
        "GET":      row(LOGIN,   NA,      NA,      NA,      NA,      NA,      NA),
        "POST":     row(LOGIN,   ROUND,   F,       F,       F,       ROUND,   ROUND),
    },
    # Targets of this year, in the user's own commune; only the officer allocates.
    "targets:latest": {
        "GET":      row(LOGIN,   PROG,    PROG,    PROG,    PROG,    PROG,    PROG),
    },
    "targets:progress": {
        "GET":      row(LOGIN,   OK,      OK,      OK,      OK,      OK,      OK),
    },
    "targets:allocation": {
        "GET":      row(LOGIN,   OK,      F,       F,       F,       OK,      OK),
        "POST":     row(LOGIN,   OK,      F,       F,       F,       OK,      OK),
    },
    "targets:concerned": {
        "GET":      row(LOGIN,   OK,      OK,      OK,      OK,      OK,      OK),
    },
    "targets:service_villages": {
        "GET":      row(LOGIN,   OK,      OK,      OK,      OK,      OK,      OK),
    },
    "targets:dynamics": {
        "GET":      row(LOGIN,   OK,      OK,      OK,      OK,      OK,      OK),
    },
    # Reads only: the register of the user's scope reclassified under a standard.
    "targets:what_if": {
        "GET":      row(LOGIN,   OK,      OK,      OK,      OK,      OK,      OK),
    },
}
# fmt: on

# Where the province user's answer is not the chairman's (`with_province`).
PROVINCE_EXCEPTIONS: dict[tuple[str, str], Cell] = {
    # Its work starts on its province's page.
    ("home", "GET"): Outcome(302, "reports:province"),
}

# Pages about one household take its pk.
HOUSEHOLD_URLS = {
    "households:detail",
    "households:edit",
    "households:review_create",
    "households:review_preview",
    "households:quick_screen",
    "households:archive",
    "households:restore",
    "households:medium_living_create",
    "households:medium_living_recognise",
}
# Pages of a year (a review round, the targets) take the year, and need `plans`.
YEAR = timezone.localdate().year
YEAR_URL_ARGS: dict[str, list[object]] = {
    "households:round_detail": [YEAR],
    "households:round_next": [YEAR],
    "households:round_reopen": [YEAR],
    "targets:progress": [YEAR],
    "targets:allocation": [YEAR],
    "targets:concerned": [YEAR, "1"],
    "targets:service_villages": [YEAR, "1"],
    "targets:dynamics": [YEAR],
}
NEEDS_PLANS = {*YEAR_URL_ARGS, "households:rounds", "targets:latest"}
# Other pages that take arguments: a password-reset link of no user.
OTHER_URL_ARGS: dict[str, list[object]] = {
    "password_reset_confirm": ["MA", "link-of-nobody"],
}

# Django's admin protects itself (is_staff); see test_admin_refuses_a_non_staff_officer.
SELF_PROTECTED_NAMESPACES = {"admin"}


# --- What a POST sends, and what a successful one changes -------------------------

REVIEW_DAY = "20/11/2025"


def edit_data(household: Household) -> dict[str, str]:
    """The household's edit form as the browser would post it, with a new address."""
    head = household.members.get()
    return {
        "code": household.code,
        "village": str(household.village_id),
        "address": "Xóm Mới",
        "ethnicity": household.ethnicity,
        "registered_on": household.registered_on.strftime("%d/%m/%Y"),
        "members-TOTAL_FORMS": "1",
        "members-INITIAL_FORMS": "1",
        "members-MIN_NUM_FORMS": "1",
        "members-MAX_NUM_FORMS": "30",
        "members-0-id": str(head.pk),
        "members-0-household": str(household.pk),
        "members-0-full_name": head.full_name,
        "members-0-relationship": head.relationship,
        "members-0-sex": head.sex,
        "members-0-birth_year": str(head.birth_year),
        "members-0-ethnicity": head.ethnicity,
        "members-0-has_health_insurance": "on",
        "members-0-attends_school": "",
        "members-0-education_level": head.education_level,
        "members-0-employment": head.employment,
    }


def review_data(household: Household) -> dict[str, str]:
    # The head (born 1980) is insured: no member-derived indicator is deprived.
    return {
        "review_date": REVIEW_DAY,
        "kind": "periodic",
        "reviewer_name": "Bùi Văn Thắng",
        "income_per_person_month": "1200000",
        "su_dung_dich_vu_vien_thong": "on",
    }


def quick_screen_data(household: Household) -> dict[str, str]:
    # A car (Phiếu A, nhóm 1) stops the review.
    return {
        "screen_date": REVIEW_DAY,
        "screener_name": "Bùi Văn Thắng",
        "a__o_to": "on",
    }


def medium_living_data(household: Household) -> dict[str, str]:
    """A farm household's determination: 2.000.000 đồng per person per month."""
    household.farm_livelihood = FarmLivelihood.AGRICULTURE
    household.save()
    return {
        "requested_on": REVIEW_DAY,
        "determined_on": REVIEW_DAY,
        "income_12_months": "24.000.000",
        "excluded_allowances": "0",
        "persons": "1",
    }


def recognise_data(household: Household) -> dict[str, str]:
    """A determination in the band waits for the chairman's decision (made before the
    request, so the request's own writes are the decision only)."""
    household.farm_livelihood = FarmLivelihood.AGRICULTURE
    household.save()
    MediumLivingDetermination.objects.create(
        household=household,
        requested_on=date(2025, 11, 15),
        determined_on=date(2025, 11, 20),
        income_12_months=24_000_000,
        persons=1,
    )
    return {"decision_number": "12/QĐ-UBND", "decision_date": "28/11/2025"}


def archive_data(household: Household) -> dict[str, str]:
    return {"archived_on": REVIEW_DAY, "archive_reason": ArchiveReason.MOVED_AWAY}


POST_DATA: dict[str, Callable[[Household], dict[str, str]]] = {
    "households:edit": edit_data,
    "households:review_create": review_data,
    "households:review_preview": review_data,
    "households:quick_screen": quick_screen_data,
    "households:archive": archive_data,
    "households:restore": lambda household: {},
    "households:medium_living_create": medium_living_data,
    "households:medium_living_recognise": recognise_data,
}

EFFECTS: dict[str, Callable[[Household], bool]] = {
    "households:edit": lambda h: h.address == "Xóm Mới",
    "households:review_create": lambda h: h.reviews.count() == 1,
    "households:quick_screen": lambda h: h.quick_screens.count() == 1,
    "households:archive": lambda h: h.archived_on is not None,
    "households:restore": lambda h: h.archived_on is None,
    "households:medium_living_create": lambda h: (
        h.medium_living_determinations.get().in_band
    ),
    "households:medium_living_recognise": lambda h: (
        h.medium_living_determinations.get().is_recognised
    ),
}


def archive(household: Household) -> None:
    household.archived_on = household.created_at.date()
    household.archive_reason = ArchiveReason.MOVED_AWAY
    household.save()


PROJECT_APPS = ("giamngheo", "households", "targets", "tasks", "reports")


def database_state() -> dict[str, list[dict[str, Any]]]:
    """Every row of every model of the project, history included."""
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values())
        for label in PROJECT_APPS
        for model in apps.get_app_config(label).get_models()
    }


def plans(households: dict[str, Household]) -> None:
    """This year's review round and one service target in both communes; every
    household registered long ago and poor at the start of the year."""
    for household in households.values():
        household.registered_on = date(2020, 1, 1)
        household.save()
        make_review(household, deprived=POOR, on=date(YEAR - 1, 11, 20))
    for commune in Commune.objects.all():
        ReviewRound.objects.create(
            commune=commune, year=YEAR, opened_on=date(YEAR, 1, 1)
        )
        ServiceTarget.objects.create(
            commune=commune,
            year=YEAR,
            code="1",
            text="100% trẻ em từ 3 đến dưới 16 tuổi được đi học",
            measure=Measure.CHILDREN_IN_SCHOOL,
            population=Population.CHILDREN,
            indicators="tinh_trang_di_hoc_tre_em",
            comparator=Comparator.GTE,
            threshold=Decimal(100),
            threshold_as_written="100%",
            responsible="Công chức Văn hóa - Xã hội",
            report_due_before=date(YEAR, 12, 25),
        )


# --- The matrix --------------------------------------------------------------------


def matrix_cases() -> Iterator[Any]:
    for name, methods in POLICY.items():
        for method, cells in methods.items():
            every_role = with_province(cells, name, method, PROVINCE_EXCEPTIONS)
            for role, cell in every_role.items():
                if name not in HOUSEHOLD_URLS:
                    assert isinstance(cell, Outcome), name
                    yield pytest.param(
                        name,
                        method,
                        role,
                        None,
                        cell,
                        id=f"{name}-{method}-{role}",
                    )
                    continue
                for household in HOUSEHOLDS:
                    outcome = cell[household] if isinstance(cell, dict) else cell
                    yield pytest.param(
                        name,
                        method,
                        role,
                        household,
                        outcome,
                        id=f"{name}-{method}-{role}-{household}",
                    )


def log_in(client: Client, request: pytest.FixtureRequest, role: str) -> User | None:
    if role == "anonymous":
        return None
    user = request.getfixturevalue(role)
    client.force_login(user)
    return user


def assert_next_review(url: str, user: User | None) -> None:
    """The review form of a household in the user's scope that the user may edit."""
    match = re.fullmatch(rf"/ho/(\d+)/ra-soat/\?dot={YEAR}", url)
    assert match, url
    assert user is not None
    household = Household.objects.visible_to(user).get(pk=int(match.group(1)))
    assert user.can_edit(household)


def assert_outcome(
    response: Any,
    expected: Outcome,
    path: str,
    household: Household | None,
    user: User | None,
) -> None:
    assert response.status_code == expected.status, response.content.decode()[:2000]
    if expected.location == "login?next":
        assert response.url == f"{reverse('login')}?next={quote(path)}"
    elif expected.location == "detail":
        assert household is not None
        assert response.url == household.get_absolute_url()
    elif expected.location == "next review":
        assert_next_review(response.url, user)
    elif expected.location in ("targets:progress", "households:round_detail"):
        assert response.url == reverse(expected.location, args=[YEAR])
    elif expected.location is not None:
        assert response.url == reverse(expected.location)
    if expected.status == 403:
        assert "Không có quyền" in response.content.decode()
    if expected.status == 404:
        assert "Không tìm thấy" in response.content.decode()


@pytest.mark.parametrize(
    ("url_name", "method", "role", "household_name", "expected"), list(matrix_cases())
)
def test_role_url_matrix(
    db: None,  # asked for here: a first `getfixturevalue("db")` skips the test DB
    client: Client,
    request: pytest.FixtureRequest,
    url_name: str,
    method: str,
    role: str,
    household_name: str | None,
    expected: Outcome,
) -> None:
    households = {name: request.getfixturevalue(name) for name in HOUSEHOLDS}
    household = households[household_name] if household_name else None
    user = log_in(client, request, role)
    if household is not None and url_name == "households:restore":
        archive(household)
    if url_name in NEEDS_PLANS:
        plans(households)
    args = (
        [household.pk]
        if household
        else YEAR_URL_ARGS.get(url_name, OTHER_URL_ARGS.get(url_name, []))
    )
    path = reverse(url_name, args=args)
    data = POST_DATA[url_name](household) if household and method == "POST" else {}
    before = database_state()

    response = client.get(path) if method == "GET" else client.post(path, data)

    assert_outcome(response, expected, path, household, user)
    if expected.writes:
        assert household is not None
        household.refresh_from_db()
        assert EFFECTS[url_name](household)
    else:
        assert database_state() == before


def impossible_year_cases() -> Iterator[Any]:
    for name in sorted(YEAR_URL_ARGS):
        for year in (0, 99999):
            yield pytest.param(name, year, id=f"{name}-{year}")


def with_year(path: str, year: int) -> str:
    """The same page for another year, which `reverse()` refuses to build."""
    return path.replace(f"/{YEAR}/", f"/{year}/", 1)


@pytest.mark.parametrize(("url_name", "year"), list(impossible_year_cases()))
def test_page_of_an_impossible_year_is_404(
    client: Client,
    request: pytest.FixtureRequest,
    officer: User,
    url_name: str,
    year: int,
) -> None:
    plans({name: request.getfixturevalue(name) for name in HOUSEHOLDS})
    client.force_login(officer)

    path = reverse(url_name, args=YEAR_URL_ARGS[url_name])
    response = client.get(with_year(path, year))

    assert response.status_code == 404


# --- Every URL has a policy ---------------------------------------------------------


def named_urls(
    patterns: Sequence[URLPattern | URLResolver], namespace: str = ""
) -> Iterator[str]:
    """`namespace:name` of every named URL, walking includes recursively."""
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from named_urls(entry.url_patterns, inner)
        elif entry.name:
            yield f"{namespace}{entry.name}"


def project_urls() -> set[str]:
    return {
        name
        for name in named_urls(get_resolver().url_patterns)
        if name.split(":")[0] not in SELF_PROTECTED_NAMESPACES
    }


def policy_tables() -> dict[str, set[str]]:
    """The URL names of every policy table: this one, the task pages', the reports'
    and the issued reports'. Imported here, not at the top: those modules import this
    one."""
    from tests.households.test_procedure_scope import PROCEDURE_POLICY
    from tests.jobs.test_job_scope import JOB_POLICY
    from tests.reports.test_issued_scope import ISSUED_POLICY
    from tests.reports.test_report_scope import REPORT_POLICY
    from tests.tasks.test_task_scope import TASK_POLICY

    return {
        "POLICY": set(POLICY),
        "TASK_POLICY": set(TASK_POLICY),
        "REPORT_POLICY": set(REPORT_POLICY),
        "ISSUED_POLICY": set(ISSUED_POLICY),
        "PROCEDURE_POLICY": set(PROCEDURE_POLICY),
        "JOB_POLICY": set(JOB_POLICY),
    }


def test_every_named_url_has_a_policy() -> None:
    tables = policy_tables()
    without_policy = project_urls() - set().union(*tables.values())

    assert without_policy == set(), f"URLs with no entry in POLICY: {without_policy}"


def test_every_policy_entry_is_a_url_of_the_project() -> None:
    stale = set().union(*policy_tables().values()) - project_urls()

    assert stale == set(), f"POLICY entries that are no URL: {stale}"


def test_no_url_has_a_row_in_two_policy_tables() -> None:
    tables = policy_tables()
    twice = {
        name
        for table, names in tables.items()
        for other, other_names in tables.items()
        if table < other
        for name in names & other_names
    }

    assert twice == set(), f"URLs with a row in two policy tables: {twice}"


def test_url_walk_finds_namespaced_and_plain_names_and_skips_only_admin() -> None:
    walked = set(named_urls(get_resolver().url_patterns))

    assert {"home", "login", "logout", "households:detail"} <= walked
    assert "admin:index" in walked
    assert "admin:index" not in project_urls()


def test_every_household_page_has_post_data_when_it_takes_a_post() -> None:
    for name in HOUSEHOLD_URLS:
        if "POST" in POLICY[name]:
            assert name in POST_DATA, name


def test_admin_refuses_a_non_staff_officer(client: Client, officer: User) -> None:
    client.force_login(officer)

    response = client.get("/quan-tri/")

    assert response.status_code == 302
    assert response.url == f"{reverse('admin:login')}?next=/quan-tri/"


def test_admin_opens_for_the_superuser(client: Client, admin: User) -> None:
    client.force_login(admin)

    assert client.get("/quan-tri/").status_code == 200


# --- Beyond the matrix: anonymous, inactive, logging ---------------------------------


def test_inactive_officer_is_treated_as_anonymous(
    client: Client, officer: User, household_a1: Household
) -> None:
    client.force_login(officer)
    officer.is_active = False
    officer.save()
    path = reverse("households:detail", args=[household_a1.pk])

    response = client.get(path)

    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={quote(path)}"


def test_forbidden_request_is_logged_with_its_path(
    client: Client,
    chairman: User,
    household_a1: Household,
    caplog: pytest.LogCaptureFixture,
) -> None:
    client.force_login(chairman)
    path = reverse("households:edit", args=[household_a1.pk])

    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get(path)

    assert response.status_code == 403
    assert any(
        getattr(record, "status_code", None) == 403 and path in record.getMessage()
        for record in caplog.records
    )


def test_403_page_is_the_vietnamese_template(
    client: Client, sector: User, household_a1: Household
) -> None:
    client.force_login(sector)

    response = client.get(reverse("households:archive", args=[household_a1.pk]))

    assert response.status_code == 403
    body = response.content.decode()
    assert "Không có quyền" in body
    assert "<html" in body


def test_404_page_is_the_vietnamese_template(
    client: Client, officer: User, db: None
) -> None:
    client.force_login(officer)

    response = client.get(reverse("households:detail", args=[999_999]))

    assert response.status_code == 404
    body = response.content.decode()
    assert "Không tìm thấy" in body
    assert "<html" in body


# --- The list, the villages: content in scope -------------------------------------


@pytest.fixture
def both_communes(
    household_a1: Household, household_a2: Household, household_b: Household
) -> None:
    """All three households exist."""


def list_page(client: Client, user: User, query: str = "") -> str:
    client.force_login(user)
    response = client.get(reverse("households:list") + query)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.usefixtures("both_communes")
def test_village_head_list_shows_only_own_village(
    client: Client, head_a1: User
) -> None:
    page = list_page(client, head_a1)

    assert "CN-01-0001" in page
    assert "CN-02-0001" not in page
    assert "MT-01-0001" not in page


@pytest.mark.usefixtures("both_communes")
def test_village_head_cannot_widen_the_list_with_another_village_filter(
    client: Client, head_a1: User, village_a2: Village
) -> None:
    page = list_page(client, head_a1, f"?village={village_a2.pk}")

    assert "CN-02-0001" not in page


@pytest.mark.usefixtures("both_communes")
def test_outsider_list_shows_no_household_of_commune_a(
    client: Client, outsider: User
) -> None:
    page = list_page(client, outsider)

    assert "CN-01-0001" not in page
    assert "CN-02-0001" not in page
    assert "MT-01-0001" in page


@pytest.mark.usefixtures("both_communes")
def test_outsider_search_by_code_finds_nothing_in_commune_a(
    client: Client, outsider: User, household_a1: Household
) -> None:
    page = list_page(client, outsider, "?q=CN-01-0001")

    assert household_a1.get_absolute_url() not in page
    assert "Không có hộ nào" in page


@pytest.mark.usefixtures("both_communes")
@pytest.mark.parametrize("role", ["chairman", "sector", "officer"])
def test_commune_roles_list_both_villages_of_their_commune_only(
    client: Client, request: pytest.FixtureRequest, role: str
) -> None:
    page = list_page(client, request.getfixturevalue(role))

    assert "CN-01-0001" in page
    assert "CN-02-0001" in page
    assert "MT-01-0001" not in page


@pytest.mark.usefixtures("both_communes")
def test_superuser_list_shows_every_commune(client: Client, admin: User) -> None:
    page = list_page(client, admin)

    assert all(code in page for code in ("CN-01-0001", "CN-02-0001", "MT-01-0001"))


def villages_page(client: Client, user: User) -> str:
    client.force_login(user)
    response = client.get(reverse("households:villages"))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.usefixtures("both_communes")
def test_village_head_villages_page_lists_only_own_village(
    client: Client, head_a1: User
) -> None:
    page = villages_page(client, head_a1)

    assert "Làng Chiềng" in page
    assert "Làng Bột" not in page
    assert "Làng Mốc" not in page


@pytest.mark.usefixtures("both_communes")
def test_officer_villages_page_lists_the_villages_of_own_commune(
    client: Client, officer: User
) -> None:
    page = villages_page(client, officer)

    assert "Làng Chiềng" in page
    assert "Làng Bột" in page
    assert "Làng Mốc" not in page


@pytest.mark.usefixtures("both_communes")
def test_outsider_villages_page_lists_only_commune_b(
    client: Client, outsider: User
) -> None:
    page = villages_page(client, outsider)

    assert "Làng Mốc" in page
    assert "Làng Chiềng" not in page
    assert "Làng Bột" not in page


def test_village_head_gets_404_for_the_concerned_list_of_another_village(
    client: Client,
    head_a1: User,
    household_a1: Household,
    household_a2: Household,
    household_b: Household,
    village_a2: Village,
) -> None:
    plans({"a1": household_a1, "a2": household_a2, "b": household_b})
    client.force_login(head_a1)
    url = reverse("targets:concerned", args=[YEAR, "1"])

    response = client.get(f"{url}?village={village_a2.pk}")

    assert response.status_code == 404
    assert "Không tìm thấy" in response.content.decode()


def test_next_review_of_a_village_head_stays_in_own_village(
    client: Client,
    head_a1: User,
    household_a1: Household,
    household_a2: Household,
    household_b: Household,
) -> None:
    plans({"a1": household_a1, "a2": household_a2, "b": household_b})
    client.force_login(head_a1)

    response = client.get(reverse("households:round_next", args=[YEAR]))

    assert response.url == (
        reverse("households:review_create", args=[household_a1.pk]) + f"?dot={YEAR}"
    )


# --- IDOR through form fields: a village or commune outside one's scope ------------


def new_household_data(village: Village, code: str = "CN-09-0001") -> dict[str, str]:
    return {
        "code": code,
        "village": str(village.pk),
        "address": "",
        "ethnicity": "muong",
        "registered_on": "01/01/2020",
        "members-TOTAL_FORMS": "1",
        "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "1",
        "members-MAX_NUM_FORMS": "30",
        "members-0-full_name": "Bùi Văn Tâm",
        "members-0-relationship": "head",
        "members-0-sex": "male",
        "members-0-birth_year": "1975",
        "members-0-ethnicity": "muong",
        "members-0-attends_school": "",
        "members-0-education_level": "primary",
        "members-0-employment": "self_employed",
    }


def test_village_head_cannot_create_a_household_in_another_village(
    client: Client, head_a1: User, village_a2: Village
) -> None:
    client.force_login(head_a1)

    response = client.post(reverse("households:create"), new_household_data(village_a2))

    assert response.status_code == 200
    assert response.context["form"].has_error("village")
    assert not Household.objects.exists()


def test_village_head_creates_a_household_in_own_village(
    client: Client, head_a1: User, village_a1: Village
) -> None:
    client.force_login(head_a1)

    response = client.post(reverse("households:create"), new_household_data(village_a1))

    household = Household.objects.get(code="CN-09-0001")
    assert response.status_code == 302
    assert response.url == household.get_absolute_url()
    assert household.village == village_a1


def test_outsider_cannot_create_a_household_in_commune_a(
    client: Client, outsider: User, village_a1: Village, village_b1: Village
) -> None:
    client.force_login(outsider)

    response = client.post(reverse("households:create"), new_household_data(village_a1))

    assert response.status_code == 200
    assert response.context["form"].has_error("village")
    assert not Household.objects.exists()


def test_village_head_cannot_move_own_household_to_another_village(
    client: Client, head_a1: User, household_a1: Household, village_a2: Village
) -> None:
    client.force_login(head_a1)
    data = edit_data(household_a1) | {"village": str(village_a2.pk)}

    response = client.post(reverse("households:edit", args=[household_a1.pk]), data)

    assert response.status_code == 200
    household_a1.refresh_from_db()
    assert household_a1.village_id != village_a2.pk
    assert household_a1.address == ""


def test_officer_cannot_move_a_household_to_another_commune(
    client: Client, officer: User, household_a1: Household, village_b1: Village
) -> None:
    client.force_login(officer)
    data = edit_data(household_a1) | {"village": str(village_b1.pk)}

    response = client.post(reverse("households:edit", args=[household_a1.pk]), data)

    assert response.status_code == 200
    household_a1.refresh_from_db()
    assert household_a1.commune.code == "a"


def test_member_of_another_household_cannot_be_edited_through_the_formset(
    client: Client, officer: User, household_a1: Household, household_b: Household
) -> None:
    """A member id from another commune, typed into the form, changes nothing there."""
    client.force_login(officer)
    foreign = household_b.members.get()
    own = household_a1.members.get()
    data = edit_data(household_a1) | {
        "members-0-id": str(foreign.pk),
        "members-0-full_name": "Kẻ Lạ Mặt",
    }

    client.post(reverse("households:edit", args=[household_a1.pk]), data)

    foreign.refresh_from_db()
    assert foreign.full_name == "Hà Văn Sơn"
    assert foreign.household_id == household_b.pk
    assert list(household_a1.members.all()) == [own]
    assert list(household_b.members.all()) == [foreign]
    assert not Member.objects.filter(full_name="Kẻ Lạ Mặt").exists()
