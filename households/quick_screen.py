"""Phiếu A (phiếu nhận dạng nhanh): the quick screen that decides whether a household
goes on to Phiếu B (Thông tư 07/2021/TT-BLĐTBXH; DOMAIN.md §3.6).

The questions and the rule (how many "có" in a group stop the review) are data: one
JSON file per version in `households/data/phieu-a-*.json`, with its source and whether
it was checked against the circular. The circular's own Phiếu A was not read: the
shipped list is a sample and says so wherever it is shown. No database here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
SAMPLE_MARK = "Bộ câu hỏi mẫu — chưa đối chiếu văn bản gốc"
CONTINUE = "continue"
SCREENED_OUT = "screened_out"


@dataclass(frozen=True)
class Question:
    code: str
    text: str


@dataclass(frozen=True)
class Group:
    code: str
    title: str
    stop_at: int  # this many "có" in the group stop the review
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Outcome:
    result: str  # CONTINUE or SCREENED_OUT
    reasons: str


@dataclass(frozen=True)
class QuestionList:
    code: str
    standard_code: str
    name: str
    source: str
    verified: bool
    note: str
    groups: tuple[Group, ...]

    @property
    def mark(self) -> str:
        return "" if self.verified else SAMPLE_MARK

    @property
    def questions(self) -> tuple[Question, ...]:
        return tuple(q for g in self.groups for q in g.questions)

    def decide(self, yes: set[str]) -> Outcome:
        """Screened out when some group has at least its `stop_at` answers "có"."""
        known = {q.code for q in self.questions}
        unknown = sorted(yes - known)
        if unknown:
            raise ValueError(f"Câu hỏi không có trong Phiếu A: {', '.join(unknown)}.")
        parts: list[str] = []
        stop = False
        for group in self.groups:
            ticked = [q.text for q in group.questions if q.code in yes]
            enough = len(ticked) >= group.stop_at
            stop = stop or enough
            listed = f": {'; '.join(ticked)}" if ticked else ""
            parts.append(
                f"Nhóm {group.code}: {len(ticked)} đặc điểm{listed} "
                f"({'đủ' if enough else 'chưa đủ'} {group.stop_at} để dừng)"
            )
        verdict = (
            "dừng rà soát, hộ không thuộc diện lập Phiếu B."
            if stop
            else "tiếp tục rà soát bằng Phiếu B."
        )
        return Outcome(
            SCREENED_OUT if stop else CONTINUE, f"{'. '.join(parts)} — {verdict}"
        )


def _parse(data: dict[str, object]) -> QuestionList:
    groups = tuple(
        Group(
            code=str(g["code"]),
            title=str(g["title"]),
            stop_at=int(g["stop_at"]),
            questions=tuple(
                Question(str(q["code"]), str(q["text"])) for q in g["questions"]
            ),
        )
        for g in data["groups"]  # type: ignore[attr-defined]
    )
    return QuestionList(
        code=str(data["code"]),
        standard_code=str(data["standard_code"]),
        name=str(data["name"]),
        source=str(data["source"]),
        verified=bool(data.get("verified", False)),
        note=str(data.get("note", "")),
        groups=groups,
    )


@cache
def question_lists() -> dict[str, QuestionList]:
    lists = [
        _parse(json.loads(path.read_text(encoding="utf-8")))
        for path in sorted(DATA_DIR.glob("phieu-a-*.json"))
    ]
    return {q.code: q for q in lists}


def question_list(code: str) -> QuestionList:
    return question_lists()[code]


def list_for(standard_code: str) -> QuestionList | None:
    """The question list of a standard (the last file in name order), or None."""
    found = [q for q in question_lists().values() if q.standard_code == standard_code]
    return found[-1] if found else None
