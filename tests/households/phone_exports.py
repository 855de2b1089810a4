"""Exports of the phones' submissions as the servers give them, built from a phone
form the app generated: its groups and field names are read from the form's own
`survey` sheet, so a change to the form that the import does not follow shows here.

- `kobo_xlsx`: KoBoToolbox's "XLS" export with "XML values and headers" and group
  names in the headers ("phieu_b1/b1__so_nhan_khau"), one 0/1 column per option of a
  multiple choice, and its own columns (`_id`, `_uuid`, `_submission_time`, …).
- `odk_csv`: ODK Central's CSV ("phieu_b1-b1__so_nhan_khau", `SubmissionDate`,
  `KEY`, `ReviewState`), alone or zipped with the media folder as Central downloads.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Sequence
from typing import Any

import openpyxl

NOT_ANSWERS = {"note", "begin_group", "end_group", "start", "end"}


def form_fields(workbook: bytes) -> list[tuple[str, str, str]]:
    """(group path, name, type) of every answered or calculated field, in order."""
    book = openpyxl.load_workbook(io.BytesIO(workbook))
    rows = list(book["survey"].iter_rows(values_only=True))
    header = list(rows[0])
    groups: list[str] = []
    fields = []
    for row in rows[1:]:
        values = dict(zip(header, row, strict=False))
        kind = str(values["type"] or "")
        name = str(values["name"] or "")
        if kind == "begin_group":
            groups.append(name)
        elif kind == "end_group":
            groups.pop()
        elif kind not in NOT_ANSWERS:
            fields.append(("/".join(groups), name, kind))
    return fields


def options(workbook: bytes, list_name: str) -> list[str]:
    book = openpyxl.load_workbook(io.BytesIO(workbook))
    return [
        str(row[1])
        for row in book["choices"].iter_rows(min_row=2, values_only=True)
        if row[0] == list_name
    ]


def _columns(workbook: bytes, separator: str) -> list[tuple[str, str, str | None]]:
    """(header, field, option) for each column of the form's answers."""
    columns: list[tuple[str, str, str | None]] = []
    for group, name, kind in form_fields(workbook):
        path = group.replace("/", separator)
        header = f"{path}{separator}{name}" if path else name
        columns.append((header, name, None))
        if kind.startswith("select_multiple ") and separator == "/":
            for option in options(workbook, kind.split()[1]):
                columns.append((f"{header}/{option}", name, option))
    return columns


def _value(submission: dict[str, Any], name: str, option: str | None) -> Any:
    value = submission.get(name, "")
    if option is None:
        return value
    if not submission.get(name) and name not in submission:
        return ""
    return 1 if option in str(value).split() else 0


def kobo_xlsx(workbook: bytes, submissions: Sequence[dict[str, Any]]) -> bytes:
    columns = _columns(workbook, "/")
    extra = [
        "meta/instanceID",
        "_id",
        "_uuid",
        "_submission_time",
        "_validation_status",
    ]
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Phiếu A, B"
    sheet.append(["start", "end", *[c[0] for c in columns], *extra])
    for number, submission in enumerate(submissions, start=1):
        uuid = submission["instanceID"].removeprefix("uuid:")
        sheet.append(
            [
                "2024-10-15T08:00:00.000+07:00",
                "2024-10-15T08:20:00.000+07:00",
                *[_value(submission, name, option) for _, name, option in columns],
                submission["instanceID"],
                number,
                uuid,
                "2024-10-15T09:00:00",
                submission.get("_validation_status", ""),
            ]
        )
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def odk_csv(workbook: bytes, submissions: Sequence[dict[str, Any]]) -> bytes:
    columns = _columns(workbook, "-")
    stream = io.StringIO()
    writer = csv.writer(stream)
    writer.writerow(
        [
            "SubmissionDate",
            "start",
            "end",
            *[c[0] for c in columns],
            "meta-instanceID",
            "KEY",
            "SubmitterID",
            "ReviewState",
        ]
    )
    for submission in submissions:
        writer.writerow(
            [
                "2024-10-15T09:00:00.000Z",
                "2024-10-15T08:00:00.000+07:00",
                "2024-10-15T08:20:00.000+07:00",
                *[_value(submission, name, option) for _, name, option in columns],
                submission["instanceID"],
                submission["instanceID"],
                "5",
                submission.get("ReviewState", ""),
            ]
        )
    return stream.getvalue().encode("utf-8")


def odk_zip(workbook: bytes, submissions: Sequence[dict[str, Any]]) -> bytes:
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("media/anh.jpg", b"\xff\xd8\xff")
        archive.writestr("giamngheo-form.csv", odk_csv(workbook, submissions))
    return stream.getvalue()
