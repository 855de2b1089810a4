"""The cast of the test suite, created lazily: only tests that ask for a user get one.

Commune A (Cao Ngọc) has villages A1 and A2; commune B is somebody else's (in the same
province, tỉnh Thanh Hóa). `officer`, `chairman`, `sector` and `head_a1`/`head_a2`
work in commune A; `outsider` is the officer of commune B; `province` is the province
user of tỉnh Thanh Hóa (it looks at commune A, its first commune by name, unless it
asks for another with `?xa=`); `admin` is a superuser.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from pathlib import Path

import pytest
from django.core.cache import caches
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test.testcases import LiveServerThread

from giamngheo.models import Role, User
from households.models import Commune, Household, Member, Review, Village
from tests.audit_tally import (
    TALLY,
    MatrixCell,
    bad_file_figures,
    is_refusal,
    matrix_figures,
    write_figures,
)

# Playwright's sync API runs an event loop in the test thread; live_server's ORM calls
# happen in another thread, so Django's async-safety guard would refuse them.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "mat-khau-thu-nghiem-2024"


class OneRequestAtATimeServer(ThreadedWSGIServer):
    """The live server answers one request at a time.

    On SQLite the test database lives in memory, and Django hands the server's threads
    the test's one connection. A page that sends two requests at once (the review
    form's htmx preview fires as the officer clicks "Lưu") would use that connection
    from two threads, which SQLite refuses ("bad parameter or other API misuse", seen
    in CI). Connections stay threaded, so a browser's keep-alive never blocks another.
    """

    _one_request = threading.Lock()

    def set_app(self, application: Callable[..., Iterable[bytes]]) -> None:
        def one_at_a_time(
            environ: dict[str, object], start_response: Callable[..., object]
        ) -> Iterable[bytes]:
            with self._one_request:
                # The whole body is read inside the lock: a streamed response may query.
                response = application(environ, start_response)
                try:
                    return list(response)
                finally:
                    if hasattr(response, "close"):
                        response.close()

        super().set_app(one_at_a_time)


LiveServerThread.server_class = OneRequestAtATimeServer


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings: object) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _fresh_throttles(settings: object) -> None:
    """The throttles count in memory, from zero in each test: the files of the
    settings would be shared by the test workers and kept between runs."""
    settings.CACHES = {  # type: ignore[attr-defined]
        **settings.CACHES,  # type: ignore[attr-defined]
        "throttles": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "throttles-test",
        },
    }
    caches["throttles"].clear()


IMMEDIATE_TASKS = {
    "default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}
}


@pytest.fixture(autouse=True)
def _jobs_run_inline(settings: object) -> None:
    """Background jobs run inside the request that starts them, whatever
    TASKS_BACKEND says; tests/test_jobs.py runs the database worker on purpose.
    (Django resets its task backends when TASKS changes.)"""
    settings.TASKS = IMMEDIATE_TASKS  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(settings: object, tmp_path: Path) -> None:
    """Files a test stores (attachments, issued reports, the demo's) never land in
    the project's folder; a module that set its own temporary folder keeps it."""
    media = Path(settings.MEDIA_ROOT).resolve()  # type: ignore[attr-defined]
    if media.is_relative_to(Path(settings.BASE_DIR).resolve()):  # type: ignore[attr-defined]
        settings.MEDIA_ROOT = tmp_path / "media"  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _static_files_from_sources(settings: object) -> None:
    """Pages render without `collectstatic`, whatever DEBUG the suite runs with."""
    settings.STORAGES = {  # type: ignore[attr-defined]
        **settings.STORAGES,  # type: ignore[attr-defined]
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }


@pytest.fixture(autouse=True)
def _own_pdf_cache(settings: object, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Each test renders its PDFs afresh, in a cache and slots of its own."""
    settings.PDF_CACHE_DIR = tmp_path_factory.mktemp("pdf-cache")  # type: ignore[attr-defined]


AuditRecorder = Callable[..., None]

# The modules of the access policy: their matrix cells and scope checks make
# `make audit`'s "scope_matrix" figures (tests/audit_tally.py).
POLICY_MODULES = {
    "tests/households/test_scope.py",
    "tests/households/test_procedure_scope.py",
    "tests/tasks/test_task_scope.py",
    "tests/reports/test_report_scope.py",
    "tests/reports/test_issued_scope.py",
    "tests/jobs/test_job_scope.py",
}


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Iterator[None]:
    """While the audit runs, each report of a policy test carries its cell, and the
    call's report the bad files it counted: under pytest-xdist the reports are what
    reaches the controlling process, which adds them up (`pytest_runtest_logreport`)."""
    report = yield
    if os.environ.get("AUDIT_FIGURES_DIR"):
        cell = policy_cell(item)
        if cell is not None:
            report.user_properties.append(("audit_policy", cell))
        if TALLY.bad_files and report.when == "call":
            report.user_properties.append(("audit_bad_files", TALLY.bad_files))
            TALLY.bad_files = []
    return report


def policy_cell(item: pytest.Item) -> dict[str, object] | None:
    """A cell of a policy matrix (a test with a role and an expected answer), or a
    scope check beside it (no role: url None)."""
    if item.nodeid.split("::")[0] not in POLICY_MODULES:
        return None
    params = getattr(getattr(item, "callspec", None), "params", {})
    if "role" in params and "expected" in params:
        return {
            "url": params.get("url_name") or params["name"],
            "method": params["method"],
            "role": params["role"],
            "refuses": is_refusal(params["expected"]),
        }
    return {"url": None}


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.skipped:
        return
    for key, value in report.user_properties:
        if key == "audit_policy" and value["url"] is None:
            TALLY.scope_checks[report.nodeid] = (
                TALLY.scope_checks.get(report.nodeid, True) and report.passed
            )
        elif key == "audit_policy":
            cell = TALLY.cells.setdefault(
                report.nodeid,
                MatrixCell(
                    value["url"], value["method"], value["role"], value["refuses"]
                ),
            )
            cell.passed = cell.passed and report.passed
        elif key == "audit_bad_files":
            TALLY.counted_files.extend(value)


def pytest_sessionfinish(session: pytest.Session) -> None:
    if hasattr(session.config, "workerinput"):
        return  # a pytest-xdist worker: its reports went to the controller
    if TALLY.cells:
        write_figures(
            "scope_matrix",
            matrix_figures(list(TALLY.cells.values()), TALLY.scope_checks),
        )
    if TALLY.counted_files:
        write_figures("bad_files", bad_file_figures(TALLY.counted_files))


@pytest.fixture
def audit_figures() -> AuditRecorder:
    """What a reliability test measured, for `make audit`'s table.

    `audit_figures("lost_updates", writers=10, winners=1, losses=0)` writes the figures
    to `$AUDIT_FIGURES_DIR/lost_updates.json` when `make audit` set that folder, and
    does nothing in `make test`: the test's own asserts are what fail it either way.
    """

    def record(section: str, **figures: object) -> None:
        write_figures(section, figures)

    return record


@pytest.fixture
def commune_a(db: None) -> Commune:
    return Commune.objects.create(
        name="Cao Ngọc", code="a", district="Ngọc Lặc", province="Thanh Hóa"
    )


@pytest.fixture
def commune_b(db: None) -> Commune:
    return Commune.objects.create(
        name="Minh Tiến", code="b", district="Ngọc Lặc", province="Thanh Hóa"
    )


@pytest.fixture
def village_a1(commune_a: Commune) -> Village:
    return Village.objects.create(commune=commune_a, name="Làng Chiềng", position=1)


@pytest.fixture
def village_a2(commune_a: Commune) -> Village:
    return Village.objects.create(commune=commune_a, name="Làng Bột", position=2)


@pytest.fixture
def village_b1(commune_b: Commune) -> Village:
    return Village.objects.create(commune=commune_b, name="Làng Mốc", position=1)


def make_user(
    username: str, role: str, commune: Commune | None, **extra: object
) -> User:
    return User.objects.create_user(
        username=username,
        password=PASSWORD,
        role=role,
        commune=commune,
        first_name=extra.pop("first_name", username),
        **extra,
    )


@pytest.fixture
def officer(commune_a: Commune) -> User:
    return make_user(
        "canbo", Role.OFFICER, commune_a, last_name="Bùi Thị", first_name="Lan"
    )


@pytest.fixture
def chairman(commune_a: Commune) -> User:
    return make_user("chutich", Role.CHAIRMAN, commune_a)


@pytest.fixture
def sector(commune_a: Commune) -> User:
    return make_user("tramyte", Role.SECTOR_OFFICER, commune_a)


@pytest.fixture
def head_a1(village_a1: Village) -> User:
    return make_user(
        "truongthon1", Role.VILLAGE_HEAD, village_a1.commune, village=village_a1
    )


@pytest.fixture
def head_a2(village_a2: Village) -> User:
    return make_user(
        "truongthon2", Role.VILLAGE_HEAD, village_a2.commune, village=village_a2
    )


@pytest.fixture
def outsider(commune_b: Commune) -> User:
    return make_user("canbo_b", Role.OFFICER, commune_b)


@pytest.fixture
def province(commune_a: Commune) -> User:
    return make_user("tinh", Role.PROVINCE, None, province=commune_a.province)


@pytest.fixture
def admin(db: None) -> User:
    return User.objects.create_superuser(username="admin", password=PASSWORD)


def make_household(
    village: Village, code: str, head_name: str = "Bùi Văn Hùng", **fields: object
) -> Household:
    """A household with its head (born 1980) and no review."""
    household = Household.objects.create(
        commune=village.commune, village=village, code=code, **fields
    )
    Member.objects.create(
        household=household,
        full_name=head_name,
        birth_year=1980,
        sex="male",
        relationship="head",
        has_health_insurance=True,
    )
    household.refresh_search_text()
    household.save()
    return household


def make_review(
    household: Household,
    *,
    income: int = 1_200_000,
    deprived: tuple[str, ...] = (),
    on: date = date(2023, 11, 20),
    **fields: object,
) -> Review:
    review = Review(
        household=household,
        review_date=on,
        reviewer_name="Bùi Văn Thắng",
        income_per_person_month=income,
        household_size=household.members.count(),
        **fields,
    )
    for slug in deprived:
        setattr(review, slug, True)
    review.save()
    return review


@pytest.fixture
def household_a1(village_a1: Village) -> Household:
    return make_household(village_a1, "CN-01-0001", "Bùi Văn Hùng")


@pytest.fixture
def household_a2(village_a2: Village) -> Household:
    return make_household(village_a2, "CN-02-0001", "Quách Thị Lan")


@pytest.fixture
def household_b(village_b1: Village) -> Household:
    return make_household(village_b1, "MT-01-0001", "Hà Văn Sơn")


@pytest.fixture(scope="session")
def browser_type_launch_args(
    browser_type_launch_args: dict[str, object],
) -> dict[str, object]:
    """Drive Debian's Chromium (never `playwright install`: no download here)."""
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }
