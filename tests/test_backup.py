"""The backup drill (issue 13 item 6): a commune's data and an uploaded attachment
backed up with `manage.py backup`, restored with `manage.py restore` into a new
database and a new media folder, then compared table by table (rows and a checksum
of them in primary-key order), and the attachment downloaded through the app from
the restored install. A changed archive, or an install that is not empty, is
refused with nothing written.

On SQLite the new database is a second file; on PostgreSQL a second database,
created here and dropped after.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.urls import reverse

from giamngheo.backup import client_refusal, database_figures
from giamngheo.models import User
from households.models import Household
from tasks.models import Attachment, Task, TaskStatus
from tests.conftest import AuditRecorder, make_review
from tests.tasks.test_task_status import client_for, make_task, make_unit
from tests.tasks.test_uploads import PDF, upload

pytestmark = pytest.mark.django_db(transaction=True)

DRILL = "drill"

# The restored install answers a download in a process of its own, configured only
# by the environment, as a new machine would be.
DOWNLOAD = """
import hashlib, sys
import django
django.setup()
from django.test.utils import setup_test_environment
setup_test_environment()
from django.test import Client
from django.urls import reverse
from giamngheo.models import User
client = Client()
client.force_login(User.objects.get(username=sys.argv[1]))
response = client.get(reverse("tasks:attachment", args=[int(sys.argv[2])]))
body = b"".join(response.streaming_content) if response.status_code == 200 else b""
print(response.status_code, hashlib.sha256(body).hexdigest())
"""


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT  # type: ignore[no-any-return]


@pytest.fixture
def drill_database(tmp_path: Path) -> Iterator[dict[str, Any]]:
    """A second, empty database, known to Django as `drill`."""
    default = connections["default"].settings_dict
    drill = {**default}
    if connection.vendor == "postgresql":
        drill["NAME"] = f"{default['NAME']}_drill"
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{drill["NAME"]}"')
            cursor.execute(f'CREATE DATABASE "{drill["NAME"]}"')
    else:
        drill["NAME"] = str(tmp_path / "drill.sqlite3")
    # Known to `connections` but not among its settings: Django's test case then
    # takes it for a connection made on the fly, which it allows.
    connections.settings[DRILL] = drill
    connections[DRILL].close()
    del connections.settings[DRILL]
    yield drill
    connections[DRILL].close()
    del connections[DRILL]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{drill["NAME"]}"')


@pytest.fixture
def commune_data(
    media: Path, household_a1: Household, sector: User, officer: User
) -> Attachment:
    """A household with its review, a task with a submission carrying a PDF."""
    make_review(household_a1, income=1_200_000, deprived=("chat_luong_nha_o",))
    assert sector.commune is not None
    unit = make_unit(sector.commune, "tram-y-te", "Trạm Y tế xã", sector)
    task = make_task(unit, status=TaskStatus.IN_PROGRESS)
    response = client_for(sector).post(
        reverse("tasks:submit", args=[task.pk]),
        {"note": "Báo cáo quý 3.", "attachments": [upload("Báo cáo.pdf", PDF)]},
    )
    assert response.status_code == 302
    assert Task.objects.get().status == TaskStatus.SUBMITTED
    return Attachment.objects.get()


def database_url(database: dict[str, Any]) -> str:
    if database["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{database['NAME']}"
    return (
        f"postgres://{database['USER']}:{database['PASSWORD']}@{database['HOST']}:"
        f"{database['PORT']}/{database['NAME']}"
    )


def download_from(
    database: dict[str, Any], media_root: Path, username: str, pk: int
) -> tuple[int, str]:
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "giamngheo.settings",
        "DATABASE_URL": database_url(database),
        "MEDIA_ROOT": str(media_root),
        "TASKS_BACKEND": "immediate",
    }
    done = subprocess.run(
        [sys.executable, "-c", DOWNLOAD, username, str(pk)],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    status, digest = done.stdout.split()[-2:]
    return int(status), digest


def backed_up(folder: Path) -> Path:
    call_command("backup", "--destination", str(folder))
    (archive,) = folder.glob("giamngheo-*.tar")
    return archive


def test_a_backup_restores_into_a_new_install_table_for_table(
    commune_data: Attachment,
    officer: User,
    drill_database: dict[str, Any],
    tmp_path: Path,
    audit_figures: AuditRecorder,
) -> None:
    archive = backed_up(tmp_path / "sao-luu")
    sidecar = archive.parent / f"{archive.name}.sha256"
    assert sidecar.read_text().split() == [
        hashlib.sha256(archive.read_bytes()).hexdigest(),
        archive.name,
    ]
    source = database_figures("default")
    new_media = tmp_path / "media-moi"

    call_command("restore", str(archive), database=DRILL, media_root=new_media)

    restored = database_figures(DRILL)
    mismatches = sorted(
        table
        for table in set(source) | set(restored)
        if source.get(table) != restored.get(table)
    )
    status, digest = download_from(
        drill_database, new_media, officer.username, commune_data.pk
    )
    attachment_ok = (status, digest) == (200, hashlib.sha256(PDF).hexdigest())
    audit_figures(
        "backup_drill",
        tables=len(source),
        mismatches=len(mismatches),
        attachment_ok=attachment_ok,
    )
    assert mismatches == []
    assert source["households_household"]["rows"] == 1
    assert source["tasks_attachment"]["rows"] == 1
    assert attachment_ok, (status, digest)


def test_a_changed_archive_is_refused_and_nothing_is_restored(
    commune_data: Attachment, drill_database: dict[str, Any], tmp_path: Path
) -> None:
    archive = backed_up(tmp_path / "sao-luu")
    content = bytearray(archive.read_bytes())
    content[len(content) // 2] ^= 0xFF
    archive.write_bytes(bytes(content))
    new_media = tmp_path / "media-moi"

    with pytest.raises(CommandError, match="không khớp mã kiểm tra sha256"):
        call_command("restore", str(archive), database=DRILL, media_root=new_media)

    # Without its .sha256 the parts' own checksums refuse it too.
    (archive.parent / f"{archive.name}.sha256").unlink()
    with pytest.raises(CommandError, match="không khớp mã kiểm tra sha256"):
        call_command("restore", str(archive), database=DRILL, media_root=new_media)
    assert not new_media.exists()
    assert connections[DRILL].introspection.table_names() == []


def test_an_install_that_holds_data_is_refused(
    commune_data: Attachment, tmp_path: Path
) -> None:
    archive = backed_up(tmp_path / "sao-luu")
    before = database_figures("default")

    with pytest.raises(CommandError, match="cơ sở dữ liệu đích đã có dữ liệu"):
        call_command("restore", str(archive), media_root=tmp_path / "media-moi")

    assert database_figures("default") == before


@pytest.mark.parametrize(
    ("output", "refused"),
    [
        ("pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)", ""),
        ("pg_dump (PostgreSQL) 16.4", ""),
        (
            "pg_dump (PostgreSQL) 13.16",
            "pg_dump (pg_dump (PostgreSQL) 13.16) cũ hơn máy chủ PostgreSQL 15: cài "
            "gói postgresql-client-15.",
        ),
        (None, "Không thấy lệnh pg_dump: cài gói postgresql-client-15."),
    ],
    ids=["same", "newer", "older", "missing"],
)
@pytest.mark.django_db(transaction=False)
def test_pg_dump_must_be_as_new_as_the_server(output: str | None, refused: str) -> None:
    assert client_refusal("pg_dump", output, 15) == refused
