"""The register reclassified under another poverty standard ("chuẩn mới thì sao?").

The chairman's question for 2027: under the 2027–2030 standard (Nghị định
351/2025/NĐ-CP, `households.poverty.STANDARD_2027_2030`), how many of our households
would be poor? Each household's latest review facts — its income per person per month
and the indicators recorded as deprived — go through `households.poverty.classify`
under the chosen standard, next to the status stored by that review. Nothing is
written: a stored review keeps the standard of its own date.

Pure: the view reads the facts in one query and hands them in as `ReviewFacts`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from households import poverty
from households.poverty import PovertyStatus, Standard
from households.rates import rate


@dataclass(frozen=True)
class ReviewFacts:
    """One household on the register and its latest review (None fields if none)."""

    village_id: int
    stored_status: str | None
    income_per_person_month: int | None
    deprived: tuple[str, ...]
    # A review scored by Phiếu B1 has a score instead of an income.
    b1_score: int | None = None

    @property
    def reviewed(self) -> bool:
        return self.income_per_person_month is not None or self.b1_score is not None


# A review scored by Phiếu B1 under a standard with no B1 line (2027–2030: the new
# points table is not known) cannot be reclassified: it is counted apart, not guessed.
SCORE_WITHOUT_LINE = "score_without_line"


@dataclass(frozen=True)
class WhatIfRow:
    name: str
    households: int
    reviewed: int
    poor_now: int
    near_poor_now: int
    poor_then: int
    near_poor_then: int
    scored_without_line: int = 0

    def _rate(self, count: int) -> Decimal | None:
        return rate(count, self.households) if self.households else None

    @property
    def rate_poor_now(self) -> Decimal | None:
        return self._rate(self.poor_now)

    @property
    def rate_near_poor_now(self) -> Decimal | None:
        return self._rate(self.near_poor_now)

    @property
    def rate_poor_then(self) -> Decimal | None:
        return self._rate(self.poor_then)

    @property
    def rate_near_poor_then(self) -> Decimal | None:
        return self._rate(self.near_poor_then)

    @property
    def not_reviewed(self) -> int:
        return self.households - self.reviewed


@dataclass(frozen=True)
class WhatIf:
    standard: Standard
    villages: list[WhatIfRow]
    total: WhatIfRow


def reclassified(facts: ReviewFacts, standard: Standard, *, urban: bool) -> str | None:
    """The status the household's latest review facts give under `standard`; None
    for a household never reviewed; `SCORE_WITHOUT_LINE` for a review scored by
    Phiếu B1 when `standard` has no B1 line to compare the score with."""
    if facts.income_per_person_month is not None:
        return poverty.classify(
            facts.income_per_person_month,
            facts.deprived,
            urban=urban,
            standard=standard,
        ).status
    if facts.b1_score is None:
        return None
    if standard.b1_line(urban=urban) is None:
        return SCORE_WITHOUT_LINE
    return poverty.classify(
        deprived=facts.deprived, b1_score=facts.b1_score, urban=urban, standard=standard
    ).status


def _row(
    name: str, facts: Sequence[ReviewFacts], then: Sequence[str | None]
) -> WhatIfRow:
    stored = [f.stored_status for f in facts]
    return WhatIfRow(
        name=name,
        households=len(facts),
        reviewed=sum(1 for f in facts if f.reviewed),
        poor_now=stored.count(PovertyStatus.POOR),
        near_poor_now=stored.count(PovertyStatus.NEAR_POOR),
        poor_then=list(then).count(PovertyStatus.POOR),
        near_poor_then=list(then).count(PovertyStatus.NEAR_POOR),
        scored_without_line=list(then).count(SCORE_WITHOUT_LINE),
    )


def what_if(
    villages: Iterable[tuple[int, str]],
    facts: Iterable[ReviewFacts],
    standard: Standard,
    *,
    urban: bool,
    total_name: str = "Toàn xã",
) -> WhatIf:
    """Per village (id, name) and in total: today's poor and near-poor households by
    the status their latest review stored, and the same households classified under
    `standard` from that review's facts. Rates are of the households on the register."""
    pairs = [(f, reclassified(f, standard, urban=urban)) for f in facts]
    rows = []
    for village_id, name in villages:
        mine = [(f, s) for f, s in pairs if f.village_id == village_id]
        rows.append(_row(name, [f for f, _ in mine], [s for _, s in mine]))
    total = _row(total_name, [f for f, _ in pairs], [s for _, s in pairs])
    return WhatIf(standard=standard, villages=rows, total=total)
