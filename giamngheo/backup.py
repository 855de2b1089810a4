"""A whole install in one archive: the database and the uploaded files, with a
manifest of checksums, and its restore into an empty install (README "Sao lưu và
khôi phục").

The archive is an uncompressed tar of three members:

- `manifest.json`: the format, the time, the database's vendor, the sha256 of the two
  other members and of every uploaded file, and each table's row count and the
  sha256 of its rows in primary-key order;
- `database.dump`: django-dbbackup's dump of the database (`pg_dump -Fc` through its
  PgDumpBinaryConnector on PostgreSQL, SQLite's online backup API through its
  SqliteBackupConnector), restored by the same connector (`pg_restore --clean
  --if-exists --single-transaction`, or the file written back);
- `media.tar`: MEDIA_ROOT (attachments, issued reports, decision scans, job results).

Next to it, `<archive>.sha256` holds the archive's own checksum in `sha256sum`'s
format, so that `sha256sum -c` checks a copy on another machine. The table figures
are taken from the very state the dump holds (PostgreSQL: the dump runs on the
snapshot the figures are counted in; SQLite: they are counted in the dump), so a
restore can be compared to them exactly; the restore does, and refuses on any
difference.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from dbbackup.db.base import get_connector
from django.apps import apps
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
DATABASE = "database.dump"
MEDIA = "media.tar"
MEMBERS = (MANIFEST, DATABASE, MEDIA)
CHUNK = 1024 * 1024

# A database holding none of these is a new install's: `migrate` fills reference
# tables by itself (public holidays, the standards…), never accounts or a register.
DATA_MODELS = (
    ("giamngheo", "User", "tài khoản"),
    ("households", "Commune", "xã"),
    ("households", "Household", "hộ"),
)


class BackupError(Exception):
    """A refusal the operator can act on; the message is Vietnamese."""


@dataclass(frozen=True)
class Restored:
    archive: Path
    tables: int
    rows: int
    files: int


# --- Checksums ------------------------------------------------------------------------


def sha256_of_stream(stream: IO[bytes]) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: stream.read(CHUNK), b""):
        digest.update(chunk)
    return digest.hexdigest()


def sha256_of(path: Path) -> str:
    with path.open("rb") as stream:
        return sha256_of_stream(stream)


def _plain(value: object) -> object:
    # A bytea column comes back as a memoryview, whose repr is its address.
    return bytes(value) if isinstance(value, memoryview) else value


def table_figures(
    cursor: Any, primary_keys: dict[str, str | None]
) -> dict[str, dict[str, Any]]:
    """Each table's row count and the sha256 of its rows in primary-key order (in
    the order of every column when it has none). `cursor` is a DB-API cursor of
    PostgreSQL or SQLite: both quote names with double quotes."""
    figures: dict[str, dict[str, Any]] = {}
    for table, primary_key in sorted(primary_keys.items()):
        quoted = '"' + table.replace('"', '""') + '"'
        if primary_key:
            order = '"' + primary_key.replace('"', '""') + '"'
        else:
            cursor.execute(f"SELECT * FROM {quoted} WHERE 1 = 0")  # noqa: S608
            order = ", ".join(str(i) for i in range(1, len(cursor.description) + 1))
        cursor.execute(f"SELECT * FROM {quoted} ORDER BY {order}")  # noqa: S608
        digest = hashlib.sha256()
        rows = 0
        for row in cursor.fetchall():
            digest.update(repr(tuple(_plain(v) for v in row)).encode())
            digest.update(b"\n")
            rows += 1
        figures[table] = {"rows": rows, "sha256": digest.hexdigest()}
    return figures


def primary_keys(using: str = DEFAULT_DB_ALIAS) -> dict[str, str | None]:
    """Every table of the database and its primary key's column."""
    connection = connections[using]
    with connection.cursor() as cursor:
        introspection = connection.introspection
        return {
            table: introspection.get_primary_key_column(cursor, table)
            for table in introspection.table_names(cursor)
        }


def database_figures(using: str = DEFAULT_DB_ALIAS) -> dict[str, dict[str, Any]]:
    """The figures of every table of a database Django is connected to."""
    keys = primary_keys(using)
    with connections[using].cursor() as cursor:
        return table_figures(cursor, keys)


# --- Back up --------------------------------------------------------------------------


def _media_files(media_root: Path) -> list[Path]:
    if not media_root.is_dir():
        return []
    return sorted(
        p for p in media_root.rglob("*") if p.is_file() and not p.is_symlink()
    )


def client_refusal(tool: str, version_output: str | None, server: int) -> str:
    """Why `tool` (pg_dump, pg_restore) cannot serve a server of major version
    `server`, given what `tool --version` printed (None: not installed); "" when it
    can. pg_dump refuses a newer server itself, in English."""
    package = f"postgresql-client-{server}"
    if version_output is None:
        return f"Không thấy lệnh {tool}: cài gói {package}."
    match = re.search(r"(\d+)(?:\.\d+)?", version_output)
    if match is None or int(match.group(1)) < server:
        return (
            f"{tool} ({version_output.strip()}) cũ hơn máy chủ PostgreSQL {server}: "
            f"cài gói {package}."
        )
    return ""


def _check_client(tool: str, using: str) -> None:
    server = connections[using].pg_version // 10000  # type: ignore[attr-defined]
    path = shutil.which(tool)
    output = (
        subprocess.run(  # noqa: S603 - the tool found on PATH, no shell
            [path, "--version"], capture_output=True, text=True, check=False
        ).stdout
        if path
        else None
    )
    refusal = client_refusal(tool, output, server)
    if refusal:
        raise BackupError(refusal)


def _dump(using: str, work: Path) -> tuple[Path, dict[str, dict[str, Any]]]:
    """The database's dump in `work`, and the figures of the state it holds."""
    connection = connections[using]
    connector = get_connector(using)
    dump_path = work / DATABASE
    if connection.vendor == "postgresql":
        _check_client("pg_dump", using)
        # Counted in one snapshot, dumped from the same one (pg_dump --snapshot):
        # whatever is written meanwhile is in neither.
        aside = connections.create_connection(using)
        try:
            aside.set_autocommit(False)
            with aside.cursor() as cursor:
                cursor.execute(
                    "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"
                )
                cursor.execute("SELECT pg_export_snapshot()")
                snapshot = cursor.fetchone()[0]
                connector.dump_suffix = f"--snapshot={snapshot}"
                _write(connector.create_dump(), dump_path)
                figures = table_figures(cursor, primary_keys(using))
            aside.rollback()
        finally:
            aside.close()
        return dump_path, figures
    if connection.vendor == "sqlite":
        _write(connector.create_dump(), dump_path)
        # Read as Django reads it (its converters: dates, decimals, booleans), so
        # that the figures compare with those of a restored database.
        copy = sqlite3.connect(
            dump_path, detect_types=sqlite3.PARSE_DECLTYPES | sqlite3.PARSE_COLNAMES
        )
        try:
            # The dump is a copy of the live database: the same tables and keys.
            return dump_path, table_figures(copy.cursor(), primary_keys(using))
        finally:
            copy.close()
    raise BackupError(
        f"Chưa sao lưu được cơ sở dữ liệu loại “{connection.vendor}” "
        "(chỉ PostgreSQL và SQLite)."
    )


def _write(stream: IO[bytes], path: Path) -> None:
    stream.seek(0)
    with path.open("wb") as out:
        shutil.copyfileobj(stream, out, CHUNK)
    stream.close()


def archive_name(now: datetime) -> str:
    return f"giamngheo-{timezone.localtime(now):%Y%m%d-%H%M%S}.tar"


def back_up(
    destination: Path,
    *,
    using: str = DEFAULT_DB_ALIAS,
    media_root: Path | None = None,
    now: datetime | None = None,
) -> Path:
    """Write the archive into the folder `destination` (and its .sha256 next to it);
    return its path. A half-written archive is never left under its final name."""
    media_root = Path(media_root or settings.MEDIA_ROOT)
    now = now or timezone.now()
    destination.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=destination, prefix=".sao-luu-") as folder:
        work = Path(folder)
        dump_path, tables = _dump(using, work)
        media_path = work / MEDIA
        files: dict[str, str] = {}
        with tarfile.open(media_path, "w") as media:
            for path in _media_files(media_root):
                name = path.relative_to(media_root).as_posix()
                files[name] = sha256_of(path)
                media.add(path, arcname=name, recursive=False)
        manifest = {
            "format": FORMAT,
            "created_at": now.isoformat(),
            "vendor": connections[using].vendor,
            "database": {"file": DATABASE, "sha256": sha256_of(dump_path)},
            "media": {"file": MEDIA, "sha256": sha256_of(media_path), "files": files},
            "tables": tables,
        }
        manifest_bytes = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
        partial = work / "archive.tar"
        with tarfile.open(partial, "w") as archive:
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(manifest_bytes)
            info.mtime = int(now.timestamp())
            archive.addfile(info, io.BytesIO(manifest_bytes))
            archive.add(dump_path, arcname=DATABASE)
            archive.add(media_path, arcname=MEDIA)
        final = destination / archive_name(now)
        partial.replace(final)
    (final.parent / f"{final.name}.sha256").write_text(
        f"{sha256_of(final)}  {final.name}\n"
    )
    return final


# --- Restore --------------------------------------------------------------------------


def _refused_checksum(what: str) -> BackupError:
    return BackupError(
        f"Không khôi phục: {what} không khớp mã kiểm tra sha256 — tệp sao lưu bị "
        "hỏng hoặc đã bị sửa. Dùng một bản sao lưu khác; không ghi gì."
    )


def check_archive(archive: Path) -> None:
    """The archive against its .sha256, when that file is next to it."""
    if not archive.is_file():
        raise BackupError(f"Không thấy tệp sao lưu {archive}.")
    sidecar = archive.parent / f"{archive.name}.sha256"
    if sidecar.is_file():
        expected = sidecar.read_text().split()[:1]
        if expected != [sha256_of(archive)]:
            raise _refused_checksum(f"tệp {archive.name}")


@contextmanager
def _opened(archive: Path) -> Iterator[tuple[dict[str, Any], Path]]:
    """The manifest and a folder holding the checked database dump and media tar."""
    try:
        tar = tarfile.open(archive, "r:")  # noqa: SIM115 - closed by the `with` below
    except (tarfile.TarError, OSError) as exc:
        raise BackupError(
            f"Tệp {archive.name} không phải là một bản sao lưu của giamngheo."
        ) from exc
    with tar, tempfile.TemporaryDirectory(prefix=".khoi-phuc-") as folder:
        work = Path(folder)
        names = tar.getnames()
        if sorted(names) != sorted(MEMBERS):
            raise BackupError(
                f"Tệp {archive.name} không phải là một bản sao lưu của giamngheo "
                "(thiếu hoặc thừa thành phần)."
            )
        try:
            manifest = json.load(tar.extractfile(MANIFEST))  # type: ignore[arg-type]
        except ValueError as exc:
            raise _refused_checksum("bảng kê (manifest.json)") from exc
        if manifest.get("format") != FORMAT:
            raise BackupError(
                f"Bản sao lưu định dạng {manifest.get('format')} không đọc được ở "
                f"phiên bản này (định dạng {FORMAT})."
            )
        for name, part in ((DATABASE, "database"), (MEDIA, "media")):
            tar.extract(name, work, filter="data")
            if sha256_of(work / name) != manifest[part]["sha256"]:
                raise _refused_checksum(f"phần {name}")
        yield manifest, work


def _data_held(using: str) -> list[str]:
    held = []
    for app, model_name, label in DATA_MODELS:
        count = apps.get_model(app, model_name).objects.using(using).count()
        if count:
            held.append(f"{count} {label}")
    return held


def _check_empty(using: str, media_root: Path, vendor: str) -> None:
    connection = connections[using]
    if connection.vendor != vendor:
        raise BackupError(
            f"Không khôi phục: bản sao lưu là của {vendor}, máy này dùng "
            f"{connection.vendor} (xem DATABASE_URL)."
        )
    # An empty database has no tables yet: nothing in it to count.
    held = _data_held(using) if connection.introspection.table_names() else []
    if held:
        raise BackupError(
            f"Không khôi phục: cơ sở dữ liệu đích đã có dữ liệu ({', '.join(held)}). "
            "Chỉ khôi phục vào một bản cài mới: cơ sở dữ liệu trống (hoặc vừa "
            "`migrate`) và thư mục tệp tải lên trống."
        )
    if media_root.exists() and any(media_root.iterdir()):
        raise BackupError(
            f"Không khôi phục: thư mục tệp tải lên {media_root} không trống. Chỉ "
            "khôi phục vào một bản cài mới."
        )


def restore(
    archive: Path, *, using: str = DEFAULT_DB_ALIAS, media_root: Path | None = None
) -> Restored:
    """Restore the archive into an empty install, after checking every checksum;
    then compare every table and file with the manifest."""
    media_root = Path(media_root or settings.MEDIA_ROOT)
    check_archive(archive)
    with _opened(archive) as (manifest, work):
        _check_empty(using, media_root, manifest["vendor"])
        connection = connections[using]
        connection.close()
        connector = get_connector(using)
        if connection.vendor == "postgresql":
            _check_client("pg_restore", using)
            # The new machine's role may have another name than the old one's.
            connector.restore_suffix = "--no-owner --no-privileges"
        with (work / DATABASE).open("rb") as dump:
            connector.restore_dump(dump)
        connection.close()
        restored = database_figures(using)
        expected = manifest["tables"]
        different = sorted(
            table
            for table in set(expected) | set(restored)
            if expected.get(table) != restored.get(table)
        )
        if different:
            raise BackupError(
                "Khôi phục cơ sở dữ liệu xong nhưng không khớp bản sao lưu ở bảng "
                f"{', '.join(different[:5])}: đừng dùng bản cài này, báo người quản "
                "trị hệ thống."
            )
        media_root.mkdir(parents=True, exist_ok=True)
        with tarfile.open(work / MEDIA, "r:") as media:
            media.extractall(media_root, filter="data")
        files = manifest["media"]["files"]
        for name, digest in files.items():
            path = media_root / name
            if not path.is_file() or sha256_of(path) != digest:
                raise _refused_checksum(f"tệp tải lên {name}")
    return Restored(
        archive=archive,
        tables=len(restored),
        rows=sum(f["rows"] for f in restored.values()),
        files=len(files),
    )
