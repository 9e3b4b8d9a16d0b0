"""A session's results per secretary: counts of each grade, vote score, standardisation score, total, band, rank.

Only counts leave this module; who voted what is not in the tables to begin with (see models).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count

from zhibu.review import scoring
from zhibu.review.models import Grade, Reportee, ReviewSession


@dataclass
class ReporteeResult:
    reportee: Reportee
    counts: dict[str, int]
    vote_score: Decimal | None
    compliance: int | None
    total: Decimal | None
    band: str
    rank: int | None = None
    comments: list[Grade] = field(default_factory=list)

    @property
    def valid_votes(self) -> int:
        return sum(self.counts.values())

    def count_list(self) -> list[int]:
        return [self.counts[grade] for grade in scoring.GRADES]


def session_results(session: ReviewSession, *, with_comments: bool = False) -> list[ReporteeResult]:
    """Results in rank order (ties in the order of the tree), each with its comments if asked for."""
    scheme = session.scheme()
    tallies: dict[int, Counter] = {}
    for row in Grade.objects.filter(reportee__session=session).values("reportee", "grade").annotate(n=Count("pk")).order_by():
        tallies.setdefault(row["reportee"], Counter())[row["grade"]] = row["n"]
    comments: dict[int, list[Grade]] = {}
    if with_comments:
        for grade in Grade.objects.with_comment().filter(reportee__session=session).select_related("list_item"):
            comments.setdefault(grade.reportee_id, []).append(grade)
    results = []
    for reportee in session.reportees.select_related("branch", "session"):
        counts = {grade: tallies.get(reportee.pk, Counter())[grade] for grade in scoring.GRADES}
        vote = scoring.vote_score(counts, scheme)
        total = scoring.combined_score(vote, reportee.compliance_percent, scheme)
        results.append(ReporteeResult(
            reportee, counts, vote, reportee.compliance_percent, total, scoring.band(total, scheme),
            comments=comments.get(reportee.pk, []),
        ))
    for result, rank in zip(results, scoring.ranks([r.total for r in results])):
        result.rank = rank
    return sorted(results, key=lambda result: result.rank if result.rank is not None else len(results) + 1)
