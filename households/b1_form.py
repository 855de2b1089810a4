"""The Phiếu B1 part of the review form: one question per line of the points table
in force for the commune, as on the paper form, or the total typed from the paper.

`ReviewForm` calls `add_b1_fields` when it is built and `clean_b1` first thing in its
clean(); the template partial is `households/_b1_form.html`.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError

from households import b1, clock, points

if TYPE_CHECKING:
    from households.forms import ReviewForm
    from households.surveys import PointsTable

PREFIX = "b1__"


def _table_date(form: ReviewForm) -> date:
    """The review date as typed (it picks the standard, hence the table), or today."""
    if form.is_bound:
        try:
            typed = form.fields["review_date"].clean(
                form.data.get(form.add_prefix("review_date"))
            )
        except ValidationError:
            typed = None
        if isinstance(typed, date):
            return typed
    return clock.today()


def add_b1_fields(form: ReviewForm) -> None:
    on = _table_date(form)
    table: PointsTable | None = b1.table_for(form.household, on)
    form.b1_table = table
    form.b1_items = table.items() if table else ()
    form.b1_missing_table = "" if table else b1.missing_table_reason(form.household, on)
    form.b1_total = None
    for number, item in enumerate(form.b1_items, start=1):
        form.fields[PREFIX + item.code] = forms.ChoiceField(
            label=f"{number}. {item.question}",
            required=False,
            choices=[
                ("", "— Chọn câu trả lời —"),
                *[(a.code, f"{a.label} ({a.points} điểm)") for a in item.answers],
            ],
        )


def b1_fields(form: ReviewForm) -> list[forms.BoundField]:
    return [form[PREFIX + item.code] for item in form.b1_items]


def clean_b1(form: ReviewForm, cleaned: dict[str, Any]) -> None:
    """Score the answers: all or none of the questions, and a typed total must equal
    the answers' sum. Sets the review's answers, table and score."""
    answers = {
        item.code: cleaned[PREFIX + item.code]
        for item in form.b1_items
        if cleaned.get(PREFIX + item.code)
    }
    typed = cleaned.get("b1_score")
    form.instance.b1_answers = answers
    form.instance.b1_table = form.b1_table if (answers or typed is not None) else None
    if not answers:
        return
    try:
        total = points.score(form.b1_items, answers).total
    except points.IncompleteAnswers:
        for item in form.b1_items:
            if item.code not in answers:
                form.add_error(
                    PREFIX + item.code,
                    "Chưa trả lời: Phiếu B1 cần đủ mọi câu (hoặc xóa hết câu trả lời "
                    "và chỉ ghi tổng điểm của phiếu giấy).",
                )
        return
    form.b1_total = total
    if typed is not None and typed != total:
        form.add_error(
            "b1_score",
            f"Tổng điểm ghi là {typed} nhưng các câu trả lời cộng lại được {total} "
            "điểm: sửa tổng điểm hoặc câu trả lời.",
        )
        return
    cleaned["b1_score"] = total
    form.instance.b1_score = total
