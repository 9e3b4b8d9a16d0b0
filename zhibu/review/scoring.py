"""The arithmetic of a review, apart from the database so it can be checked by hand.

Practice differs from place to place (domain notes: "Scoring varies locally"), so every number here is
a parameter of the session (`ReviewSession.scheme()`); the defaults are the common ones:

- vote score = (好×100 + 较好×80 + 一般×60 + 差×40) ÷ valid votes;
- total = vote score × vote weight% + standardisation score × compliance weight% (40 and 60 by default:
  the vote worth 40 of 100 points, the inspection the other 60);
- grade band of the total: ≥90 好, ≥75 较好, ≥60 一般, otherwise 差.

Scores are kept to two decimals (rounded half up, as people round on paper); the band is read from the
rounded total, so the figure on the page and the band beside it never disagree.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

GRADES = ("好", "较好", "一般", "差")
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Scheme:
    points: Mapping[str, int]  # grade → points, e.g. {"好": 100, …}
    vote_weight: int  # percent of the total that comes from the vote
    compliance_weight: int  # percent that comes from the standardisation score
    bands: Sequence[tuple[int, str]]  # (lowest total, grade), highest first; the last band catches the rest


DEFAULT_SCHEME = Scheme(
    points={"好": 100, "较好": 80, "一般": 60, "差": 40},
    vote_weight=40,
    compliance_weight=60,
    bands=((90, "好"), (75, "较好"), (60, "一般"), (0, "差")),
)


def _cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def vote_score(counts: Mapping[str, int], scheme: Scheme) -> Decimal | None:
    """Average points per valid vote; None when nobody voted (a score of 0 would read as "all 差")."""
    valid = sum(counts.get(grade, 0) for grade in GRADES)
    if not valid:
        return None
    earned = sum(counts.get(grade, 0) * scheme.points[grade] for grade in GRADES)
    return _cents(Decimal(earned) / valid)


def combined_score(vote: Decimal | None, compliance: int | Decimal | None, scheme: Scheme) -> Decimal | None:
    if vote is None or compliance is None:
        return None
    weighted = vote * scheme.vote_weight + Decimal(compliance) * scheme.compliance_weight
    return _cents(weighted / 100)


def band(total: Decimal | None, scheme: Scheme) -> str:
    if total is None:
        return ""
    for lowest, grade in scheme.bands:
        if total >= lowest:
            return grade
    return scheme.bands[-1][1]


def ranks(totals: Sequence[Decimal | None]) -> list[int | None]:
    """Competition ranking (1, 2, 2, 4): equal totals share a rank; no total, no rank."""
    ordered = sorted((t for t in totals if t is not None), reverse=True)
    return [ordered.index(total) + 1 if total is not None else None for total in totals]
