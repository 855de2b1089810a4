"""Phiếu B1: the household's characteristics scored with a points table.

Thông tư 07/2021/TT-BLĐTBXH estimates a household's income from characteristics the
survey team can see (size, dependants, education, jobs, pensions, housing, floor
area, assets, electricity and water use…), each answer worth some points in a table
that depends on the region (vùng) and the area (rural/urban); the total is compared
with the standard's B1 line (`households.poverty.Standard.b1_line`, DOMAIN.md §2.3,
§3.7). The table itself is data loaded from the file the province issues
(`households.points_file`); this module only adds up the answers, without the
database.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

# Shown wherever a table not checked against the circular's own text is used.
SAMPLE_MARK = "Bảng điểm mẫu — chưa đối chiếu văn bản gốc"


@dataclass(frozen=True)
class Answer:
    code: str
    label: str
    points: int


@dataclass(frozen=True)
class Item:
    """One question of Phiếu B1 and its answers; the household gets exactly one."""

    code: str
    question: str
    answers: tuple[Answer, ...]

    def answer(self, code: str) -> Answer | None:
        return next((a for a in self.answers if a.code == code), None)


@dataclass(frozen=True)
class ScoredLine:
    item: Item
    answer: Answer


@dataclass(frozen=True)
class Score:
    total: int
    lines: tuple[ScoredLine, ...]


class IncompleteAnswers(ValueError):
    """Some questions are unanswered or answered with a code the table lacks."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(" ".join(problems))


def score(items: tuple[Item, ...], answers: Mapping[str, str]) -> Score:
    """The B1 total of `answers` ({item code: answer code}) under `items`.

    Every question of the table must be answered, as on the paper form; raises
    IncompleteAnswers naming the questions that are not, or an unknown code.
    """
    problems: list[str] = []
    lines: list[ScoredLine] = []
    known = {item.code for item in items}
    for code in sorted(set(answers) - known):
        problems.append(f"Câu “{code}” không có trong bảng điểm.")
    for number, item in enumerate(items, start=1):
        chosen = answers.get(item.code, "")
        if not chosen:
            problems.append(f"Chưa trả lời câu {number}: {item.question}.")
            continue
        answer = item.answer(chosen)
        if answer is None:
            problems.append(
                f"Câu {number} ({item.question}) không có câu trả lời mã “{chosen}”."
            )
            continue
        lines.append(ScoredLine(item, answer))
    if problems:
        raise IncompleteAnswers(problems)
    return Score(total=sum(line.answer.points for line in lines), lines=tuple(lines))
