"""Checks on uploaded files (ASVS 5.2.1, 5.2.2, 5.2.3): the files attached to a
task's submission, and the signed scans of an issued report, a village meeting's
minutes and a recognition decision. It lives in `households`, the lowest layer, so
every app can use the one copy.

A file is accepted only when its extension is one of ours AND its first bytes are
what that extension promises, so an executable renamed "bao-cao.pdf" is refused.
Office files (.xlsx, .docx) are zip archives: their directory is read, never their
content, and a macro project (vbaProject.bin) is refused. The checks on names, sizes
and magic bytes are pure functions; only `check_upload` touches the file.
"""

from __future__ import annotations

import hashlib
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import PureWindowsPath
from typing import IO

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

MAX_SIZE = 10 * 1024 * 1024  # 10 MB per file
MAX_FILES = 10  # per submission
# A real report holds a few hundred parts at most; a zip bomb declares far more.
MAX_ZIP_ENTRIES = 2000
MAX_ZIP_UNCOMPRESSED = 200 * 1024 * 1024

PDF = b"%PDF-"
PNG = b"\x89PNG\r\n\x1a\n"
JPEG = b"\xff\xd8\xff"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .doc and .xls (Compound File)
ZIP = b"PK\x03\x04"
# The storage that holds macros in an OLE file, as its UTF-16 directory name.
OLE_MACROS = "_VBA_PROJECT".encode("utf-16-le")

ACCEPTED_LIST = "PDF, Excel (.xlsx, .xls), Word (.docx, .doc), ảnh (.png, .jpg)"


@dataclass(frozen=True)
class FileKind:
    label: str
    content_type: str
    magic: tuple[bytes, ...]
    main_part: str = ""  # for Office zip files: the part that must be there


KINDS: dict[str, FileKind] = {
    ".pdf": FileKind("PDF", "application/pdf", (PDF,)),
    ".xlsx": FileKind(
        "Excel",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        (ZIP,),
        "xl/workbook.xml",
    ),
    ".docx": FileKind(
        "Word",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (ZIP,),
        "word/document.xml",
    ),
    ".xls": FileKind("Excel", "application/vnd.ms-excel", (OLE,)),
    ".doc": FileKind("Word", "application/msword", (OLE,)),
    ".png": FileKind("ảnh PNG", "image/png", (PNG,)),
    ".jpg": FileKind("ảnh JPEG", "image/jpeg", (JPEG,)),
    ".jpeg": FileKind("ảnh JPEG", "image/jpeg", (JPEG,)),
}


# A signed paper, scanned or photographed: PDF or a picture, nothing else.
SCAN_SUFFIXES = (".pdf", ".png", ".jpg", ".jpeg")


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed every check, with what the Attachment row records."""

    upload: UploadedFile
    original_name: str
    content_type: str
    size: int
    sha256: str


def clean_name(name: str) -> str:
    """The file name as the person sees it: no folders, composed Vietnamese (NFC)."""
    # PureWindowsPath splits on both "/" and "\" (names typed on Windows).
    base = PureWindowsPath(name).name
    base = "".join(c for c in base if unicodedata.category(c)[0] != "C")
    base = unicodedata.normalize("NFC", base).strip() or "tep"
    if len(base) > 200:
        stem, dot, suffix = base.rpartition(".")
        base = f"{stem[: 200 - len(suffix) - 1]}.{suffix}" if dot else base[:200]
    return base


def kind_for(name: str) -> FileKind:
    suffix = PureWindowsPath(name).suffix.lower()
    kind = KINDS.get(suffix)
    if kind is None:
        raise ValidationError(
            f"Tệp {name}: không nhận loại tệp này. Chỉ nhận {ACCEPTED_LIST}.",
            code="extension",
        )
    return kind


def check_size(name: str, size: int) -> None:
    if size == 0:
        raise ValidationError(f"Tệp {name} rỗng (0 byte).", code="empty")
    if size > MAX_SIZE:
        megabytes = f"{size / 1024 / 1024:.1f}".replace(".", ",")
        raise ValidationError(
            f"Tệp {name} nặng {megabytes} MB, quá giới hạn 10 MB mỗi tệp.",
            code="size",
        )


def check_magic(name: str, kind: FileKind, head: bytes) -> None:
    """The first bytes must be those of the kind the extension names."""
    if not head.startswith(kind.magic):
        raise ValidationError(
            f"Tệp {name}: nội dung không phải là {kind.label} dù tên tệp có đuôi "
            f"{PureWindowsPath(name).suffix.lower()} (có thể tệp đã bị đổi tên). "
            "Tệp không được nhận.",
            code="content",
        )


def check_office_zip(name: str, kind: FileKind, stream: IO[bytes]) -> None:
    """Read the zip directory only (no decompression, no XML parsing)."""
    broken = ValidationError(
        f"Tệp {name} không phải là tệp {kind.label} hợp lệ (tệp hỏng hoặc đã bị "
        "đổi tên).",
        code="content",
    )
    try:
        with zipfile.ZipFile(stream) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise broken from None
    if len(entries) > MAX_ZIP_ENTRIES or (
        sum(e.file_size for e in entries) > MAX_ZIP_UNCOMPRESSED
    ):
        raise ValidationError(
            f"Tệp {name} có cấu trúc bất thường (quá nhiều phần hoặc dung lượng giải "
            "nén quá lớn). Tệp không được nhận.",
            code="zip_bomb",
        )
    names = {e.filename.replace("\\", "/").lower() for e in entries}
    if "[content_types].xml" not in names or kind.main_part not in names:
        raise broken
    if any(n.rsplit("/", 1)[-1] == "vbaproject.bin" for n in names):
        raise ValidationError(
            f"Tệp {name} có chứa macro. Hãy lưu lại thành tệp {kind.label} không có "
            "macro rồi đính kèm.",
            code="macro",
        )


def check_ole(name: str, kind: FileKind, content: bytes) -> None:
    if OLE_MACROS in content:
        raise ValidationError(
            f"Tệp {name} có chứa macro. Hãy lưu lại thành tệp {kind.label} không có "
            "macro rồi đính kèm.",
            code="macro",
        )


def check_upload(upload: UploadedFile) -> CheckedFile:
    """Every check on one uploaded file; raises ValidationError with a Vietnamese
    message. Reads at most MAX_SIZE bytes, and only when the size is already fine."""
    name = clean_name(upload.name or "")
    kind = kind_for(name)
    size = int(upload.size or 0)
    check_size(name, size)
    upload.seek(0)
    head = upload.read(16)
    check_magic(name, kind, head)
    if kind.main_part:
        upload.seek(0)
        check_office_zip(name, kind, upload)  # type: ignore[arg-type]
    digest = hashlib.sha256()
    upload.seek(0)
    if kind.magic == (OLE,):
        content = upload.read()
        check_ole(name, kind, content)
        digest.update(content)
    else:
        for chunk in upload.chunks():
            digest.update(chunk)
    upload.seek(0)
    return CheckedFile(
        upload=upload,
        original_name=name,
        content_type=kind.content_type,
        size=size,
        sha256=digest.hexdigest(),
    )


def check_signed_scan(upload: UploadedFile) -> CheckedFile:
    """`check_upload`, for the scan of a signed paper: PDF or an image only."""
    name = clean_name(upload.name or "")
    if not name.lower().endswith(SCAN_SUFFIXES):
        raise ValidationError(
            f"Tệp {name}: bản có chữ ký phải là tệp PDF hoặc ảnh (.pdf, .png, .jpg).",
            code="extension",
        )
    return check_upload(upload)
