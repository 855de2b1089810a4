"""Every page a person reaches by following links answers, in Vietnamese.

The demo commune is seeded once for the module (rolled back at the end). Each role logs
in and clicks through the site from its home page with `tests.crawler.Crawl`: every
link and every GET form on the pages it reaches, bounded in count. The crawl fails on a
5xx, a link shown to that role that answers 403 or 404, a malformed URL, a "next page"
link that does not reach its page or drops a filter, and English framework text.

WeasyPrint's page layout took 85 % of the crawl's time (157 s of 182 s for one role)
and is what tests/reports/test_pdf_*.py check, document by document. Here each PDF view
still runs whole (its queries, its template rendered to HTML: an error there is still
a 500), and the HTML is handed to a stand-in for the layout. `make audit` crawls with
the real layout (CRAWL_PDF_LAYOUT=1).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client, override_settings

from demo import farm_households as demo_farm
from demo import register
from demo import regular_reviews as demo_regular
from demo import reports as demo_reports
from demo import surveys as demo_surveys
from demo import targets as demo_targets
from demo import tasks as demo_tasks
from giamngheo.models import Role, User
from reports import pdf
from tests.crawler import Crawl
from tests.demo_seed import demo_seeded, on_demo_working_date  # noqa: F401

pytestmark = pytest.mark.usefixtures("on_demo_working_date")


def _pdf_without_layout(html: str) -> bytes:
    assert "<html" in html.lower(), html[:200]
    return b"%PDF-1.7\n% crawl: layout left to tests/reports/test_pdf_*.py\n"


@pytest.fixture(autouse=True)
def _layout_left_to_the_pdf_tests(monkeypatch: pytest.MonkeyPatch) -> None:
    if os.environ.get("CRAWL_PDF_LAYOUT") != "1":
        monkeypatch.setattr(pdf, "html_to_pdf", _pdf_without_layout)


# The officer, the chairman, a village head, a unit (the health station), and the
# province user (not a demo account: made here, `province_user`).
ROLES = ("canbo", "chutich", "truongthon1", "tramyte", "tinh")


def province_user() -> User:
    """The province's reader: its page, then Cao Ngọc (its only commune) as the
    chairman reads it."""
    return User.objects.create_user(
        username="tinh",
        password=None,
        role=Role.PROVINCE,
        province=register.PROVINCE,
        first_name="Tỉnh",
        last_name="Cán bộ",
    )


@pytest.fixture(scope="module")
def seeded(
    django_db_setup: None, django_db_blocker: object, tmp_path_factory: Any
) -> Iterator[None]:
    # The issued reports' files go to a temporary MEDIA_ROOT for the whole module.
    media = tmp_path_factory.mktemp("media")
    with (
        override_settings(MEDIA_ROOT=media),
        demo_seeded(
            django_db_blocker,
            register.seed_demo,
            register.seed_review_round_2024,
            demo_surveys.seed_surveys_2024,
            demo_farm.seed_farm_households_2024,
            demo_regular.seed_regular_reviews_2024,
            demo_targets.seed_targets_2024,
            demo_tasks.seed_tasks_2024,
            demo_reports.seed_issued_reports_2024,
        ),
    ):
        yield


@pytest.mark.parametrize("username", ROLES)
def test_every_link_a_role_is_shown_leads_somewhere(
    seeded: None, db: None, client: Client, username: str, settings: Any
) -> None:
    # The crawl asks for every file in a few seconds, as no person does.
    settings.EXPORT_RATE = "100000/m"
    user = (
        province_user() if username == "tinh" else User.objects.get(username=username)
    )
    client.force_login(user)

    crawl = Crawl(client).run()

    assert len(crawl.visited) > 40, crawl.visited
    problems = [str(problem) for problem in crawl.problems]
    assert not problems, f"{len(problems)} chỗ hỏng:\n" + "\n".join(problems)
