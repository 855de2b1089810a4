"""PDF rendering is cached by content and limited in number (issue 8, item 7).

A document whose HTML was rendered before comes back byte for byte without WeasyPrint;
a changed household is a new document. At most PDF_RENDER_SLOTS renderings run at once,
across processes; a request that finds them all taken gets a Vietnamese 503 page with
Retry-After, while the HTML pages (the same report's, a household's) are never limited.
Timings are in scripts/bench_pdf.py, not here.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from giamngheo.models import User
from households.models import Household, Member, Village
from reports import pdf, pdf_cache
from reports.render_slots import NoFreeSlot, render_slot
from targets.models import ServiceTarget
from tasks.models import Attachment, Submission
from tests.reports.test_review_tables import D24, POOR, THREE, YEAR, H, P, build, head
from tests.reports.test_september import _figures, commune_data  # noqa: F401 - fixture
from tests.tasks.test_task_status import make_task, make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def listed(village_a1: Village) -> list[H]:
    return build(
        {"a1": village_a1},
        [
            H(
                f"C-{n:02d}",
                "a1",
                [head(f"Bùi Văn Chủ {n}", 1970), P(f"Bùi Thị Con {n}", 2010)],
                [(D24, POOR, THREE)],
            )
            for n in range(5)
        ],
    )


@pytest.fixture
def renderings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Counts the real renderings (WeasyPrint runs), by the HTML they rendered."""
    calls: list[str] = []
    real: Callable[[str], bytes] = pdf.html_to_pdf

    def counting(html: str) -> bytes:
        calls.append(html)
        return real(html)

    monkeypatch.setattr(pdf, "html_to_pdf", counting)
    return calls


def list_pdf(client: Client, **params: Any) -> Any:
    return client.get(
        reverse("reports:household_list", args=[YEAR, 15]), {"format": "pdf", **params}
    )


def test_the_same_document_comes_from_the_cache_without_rendering_again(
    client: Client, officer: User, listed: list[H], renderings: list[str]
) -> None:
    client.force_login(officer)

    first = list_pdf(client)
    again = list_pdf(client)

    assert first.status_code == again.status_code == 200
    assert len(renderings) == 1
    assert again.content == first.content


def test_a_changed_household_is_a_new_document(
    client: Client, officer: User, listed: list[H], renderings: list[str]
) -> None:
    client.force_login(officer)
    before = list_pdf(client).content
    member = Member.objects.get(full_name="Bùi Thị Con 3")
    member.full_name = "Bùi Thị Mai"
    member.save()

    after = list_pdf(client).content

    assert len(renderings) == 2
    assert after != before
    assert "Bùi Thị Mai" in renderings[1] and "Bùi Thị Con 3" not in renderings[1]


def test_a_changed_stylesheet_or_font_is_a_new_document(
    settings: Any, tmp_path: Path
) -> None:
    static = tmp_path / "static"
    (static / "css").mkdir(parents=True)
    (static / "fonts").mkdir()
    stylesheet, font = static / "css" / "print.css", static / "fonts" / "Serif.ttf"
    stylesheet.write_text('@font-face { src: url("../fonts/Serif.ttf"); }')
    font.write_bytes(b"font")
    settings.STATICFILES_DIRS = [static]
    html = '<link rel="stylesheet" href="/static/css/print.css"><p>Một</p>'
    key = pdf_cache.document_key(html)

    assert pdf_cache.document_key(html) == key
    assert pdf_cache.document_key(html.replace("Một", "Hai")) != key
    stylesheet.write_text('@font-face { src: url("../fonts/Serif.ttf"); } p {}')
    restyled = pdf_cache.document_key(html)
    assert restyled != key
    font.write_bytes(b"another font")
    assert pdf_cache.document_key(html) not in (key, restyled)


def test_the_cache_keeps_to_its_size(settings: Any) -> None:
    settings.PDF_CACHE_MAX_MB = 1
    for index in range(3):
        pdf_cache.put(f"{index:064x}", bytes(600 * 1024))
        time.sleep(0.01)  # distinct modification times: the oldest goes first
    kept = sorted(p.name for p in Path(settings.PDF_CACHE_DIR).glob("*.pdf"))
    assert kept == [f"{2:064x}.pdf"]


def test_one_process_renders_one_document_at_a_time(settings: Any) -> None:
    settings.PDF_RENDER_SLOTS = 2
    with render_slot(wait=0) as taken:
        assert taken == 0
        with pytest.raises(NoFreeSlot), render_slot(wait=0.1):
            pass
    with render_slot(wait=0) as again:
        assert again == 0


def test_slots_held_by_other_processes_count(settings: Any) -> None:
    """Gunicorn's workers are processes: the limit holds across them."""
    settings.PDF_RENDER_SLOTS = 2
    slots = Path(settings.PDF_CACHE_DIR) / "slots"
    slots.mkdir(parents=True, exist_ok=True)
    with ExitStack() as others:
        for index in range(2):
            others.enter_context(holding(slots / f"slot-{index}.lock"))
            if index == 0:  # one held elsewhere: this process gets the other one
                with render_slot(wait=0) as taken:
                    assert taken == 1
        with pytest.raises(NoFreeSlot), render_slot(wait=0.1):
            pass
    with render_slot(wait=1) as taken:  # the kernel freed them with the processes
        assert taken == 0


@contextmanager
def holding(lock: Path) -> Iterator[None]:
    """Another process holds the slot file `lock` for the block."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, sys\n"
            f"f = open({str(lock)!r}, 'a')\n"
            "fcntl.flock(f, fcntl.LOCK_EX)\n"
            "print('held', flush=True)\n"
            "sys.stdin.read()\n",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        yield
    finally:
        holder.communicate("")  # closing stdin ends it


def test_a_pdf_without_a_free_slot_is_told_to_retry_and_pages_are_not_limited(
    client: Client,
    officer: User,
    listed: list[H],
    village_a1: Village,
    settings: Any,
    renderings: list[str],
) -> None:
    settings.PDF_RENDER_SLOTS = 1
    settings.PDF_RENDER_WAIT = 0.1
    client.force_login(officer)
    household = Household.objects.get(code="C-01")

    with render_slot(wait=0):  # another request's rendering
        busy = list_pdf(client, village=village_a1.pk)
        page = client.get(reverse("reports:household_list", args=[YEAR, 15]))
        detail = client.get(reverse("households:detail", args=[household.pk]))

    assert busy.status_code == 503
    assert busy["Retry-After"] == "10"
    body = busy.content.decode()
    assert "Máy chủ đang in nhiều báo cáo, vui lòng thử lại sau ít giây" in body
    url = reverse("reports:household_list", args=[YEAR, 15])
    assert f'href="{url}?format=pdf&amp;village={village_a1.pk}"' in body  # retry
    assert f'href="{url}?village={village_a1.pk}"' in body  # the report's page
    assert renderings == []
    assert page.status_code == 200 and "Bùi Văn Chủ 1" in page.content.decode()
    assert detail.status_code == 200
    # Once a slot is free the same request renders.
    assert list_pdf(client, village=village_a1.pk).status_code == 200
    assert len(renderings) == 1


def test_a_cached_document_needs_no_slot(
    client: Client, officer: User, listed: list[H], settings: Any
) -> None:
    settings.PDF_RENDER_SLOTS = 1
    settings.PDF_RENDER_WAIT = 0
    client.force_login(officer)
    first = list_pdf(client)

    with render_slot(wait=0):
        again = list_pdf(client)

    assert again.status_code == 200 and again.content == first.content


def test_a_request_waiting_for_a_slot_takes_the_document_another_worker_rendered(
    client: Client,
    officer: User,
    listed: list[H],
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
    renderings: list[str],
) -> None:
    """Nine people printing the same list cost one rendering, not eight 503s."""
    settings.PDF_RENDER_SLOTS = 1
    settings.PDF_RENDER_WAIT = 5
    client.force_login(officer)
    document = list_pdf(client).content
    (stored,) = Path(settings.PDF_CACHE_DIR).glob("*.pdf")
    stored.unlink()

    def other_worker_finishes(seconds: float) -> None:
        pdf_cache.put(stored.stem, document)

    monkeypatch.setattr(
        pdf,
        "time",
        SimpleNamespace(monotonic=time.monotonic, sleep=other_worker_finishes),
    )
    with render_slot(wait=0):  # the other worker's rendering
        waited = list_pdf(client)

    assert waited.status_code == 200 and waited.content == document
    assert len(renderings) == 1  # the first request's only


@pytest.mark.usefixtures("commune_data")
def test_a_submission_whose_report_finds_no_slot_saves_nothing(
    client: Client, sector: User, settings: Any, tmp_path: Path
) -> None:
    """Attaching the September report needs a rendering: with every slot busy the
    unit is told to try again, and nothing of the submission is written."""
    settings.MEDIA_ROOT = tmp_path
    settings.PDF_RENDER_SLOTS = 1
    settings.PDF_RENDER_WAIT = 0
    settings.PDF_FORM_WAIT = 0
    unit = make_unit(sector.commune, "dia-chinh", "Công chức Địa chính", sector)  # type: ignore[arg-type]
    task = make_task(unit, "Báo cáo chỉ tiêu nhà ở", due=date(2024, 9, 25))
    task.service_targets.add(
        *ServiceTarget.objects.filter(code__in=["4a", "4b"], year=YEAR)
    )
    client.force_login(sector)
    url = reverse("tasks:submit", args=[task.pk])
    data = {
        "note": "Báo cáo nhà ở",
        "dinh_kem_bao_cao": "on",
        **_figures(task, client.get(url).content.decode()),
    }

    with render_slot(wait=0):
        busy = client.post(url, data)

    assert busy.status_code == 503
    assert f'href="{url}"' in busy.content.decode()  # "Thử lại": back to the form
    assert not Submission.objects.filter(task=task).exists()
    assert not Attachment.objects.exists()
    assert not list(tmp_path.rglob("*.pdf"))
    task.refresh_from_db()
    assert task.status == "not_started"
    # Sent again once the slot is free, it goes through with the report attached.
    assert client.post(url, data).status_code == 302
    assert Attachment.objects.filter(submission__task=task).count() == 2


@pytest.mark.usefixtures("commune_data")
def test_a_submission_waits_for_a_slot_that_frees_within_the_form_wait(
    client: Client, sector: User, settings: Any, tmp_path: Path
) -> None:
    """A page's PDF is told to retry at once; a PDF made while saving a form waits
    (PDF_FORM_WAIT), so that the unit is not sent back to an empty form."""
    settings.MEDIA_ROOT = tmp_path
    settings.PDF_RENDER_SLOTS = 1
    settings.PDF_RENDER_WAIT = 0
    settings.PDF_FORM_WAIT = 30
    unit = make_unit(sector.commune, "dia-chinh", "Công chức Địa chính", sector)  # type: ignore[arg-type]
    task = make_task(unit, "Báo cáo chỉ tiêu nhà ở", due=date(2024, 9, 25))
    task.service_targets.add(
        *ServiceTarget.objects.filter(code__in=["4a", "4b"], year=YEAR)
    )
    client.force_login(sector)
    url = reverse("tasks:submit", args=[task.pk])
    data = {
        "note": "Báo cáo nhà ở",
        "dinh_kem_bao_cao": "on",
        **_figures(task, client.get(url).content.decode()),
    }
    held = threading.Event()
    release = threading.Event()

    def another_rendering() -> None:
        with render_slot(wait=0):
            held.set()
            release.wait(timeout=30)

    other = threading.Thread(target=another_rendering)
    other.start()
    held.wait(timeout=10)
    threading.Timer(0.5, release.set).start()

    response = client.post(url, data)
    other.join(timeout=30)

    assert response.status_code == 302
    assert Attachment.objects.filter(submission__task=task).count() == 2
