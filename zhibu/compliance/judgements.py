"""Each branch's judgement (findings and score for a year) kept between requests.

Judging a thousand branches costs seconds (the facts are read from every record and roll of the year); a
committee page shows them all. So each branch's judgement is stored (`Judgement`) with what it was judged from:
the day, a digest of the rules as they apply to the branch (and of the engine's code and the activity types'
hours), and the branch's data version (orgs/versions.py, bumped by every change to its records, rolls, people,
posts, periods and exemptions). A page reuses a stored judgement only when all of those are still current, and
judges again just the branches that changed, in the same fixed number of queries; so a record saved a moment ago
shows on the next view, and an unchanged unit costs a few queries and no judging.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import zlib
from datetime import date
from pathlib import Path
from typing import Callable

from django.db.models import Q

from zhibu.compliance.engine import Finding, Score, ScoreLine
from zhibu.compliance.models import Judgement
from zhibu.compliance.rules import RuleSpec
from zhibu.orgs.models import BranchVersion, Organisation
from zhibu.records.models import ActivityType

# What the engine and the facts compute is part of every judgement: a deployment of changed code judges again.
_CODE = b"".join((Path(__file__).parent / name).read_bytes() for name in ("engine.py", "facts.py", "judgements.py"))
ENGINE_DIGEST = hashlib.sha256(_CODE).hexdigest()


@dataclasses.dataclass(frozen=True)
class JudgedBranch:
    """A branch as a stored judgement knows it (the facts themselves are not kept)."""

    id: int
    name: str


def types_digest() -> str:
    """The activity types' keys and default hours (学时 rules read them): part of each judgement's key."""
    rows = list(ActivityType.objects.order_by("pk").values_list("pk", "key", "study_hours"))
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def rules_key(specs: list[RuleSpec], types: str) -> str:
    spelled = json.dumps([dataclasses.asdict(spec) for spec in specs], sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(f"{ENGINE_DIGEST}|{types}|{spelled}".encode()).hexdigest()


def score_to_json(score: Score) -> dict:
    return {"points": score.points, "possible": score.possible,
            "lines": [[line.rule.key, line.met, line.applicable] for line in score.lines]}


def score_from_json(data: dict, branch: JudgedBranch, specs: list[RuleSpec], lines: dict | None = None) -> Score:
    """`lines`: ScoreLines already made for the same specs, shared between branches (they are never changed)."""
    lines = {} if lines is None else lines
    if not lines:
        lines.update({(spec.key, met, applicable): ScoreLine(spec, met, applicable)
                      for spec in specs for met in (True, False) for applicable in (True, False)})
    return Score(branch.id, branch.name, data["points"], data["possible"],
                 [lines[(key, met, applicable)] for key, met, applicable in data["lines"]])


def pack(findings: list[Finding], score: Score) -> bytes:
    data = {"findings": [vars(finding) for finding in findings], "score": score_to_json(score)}  # asdict deep-copies: slow
    return zlib.compress(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode(), 1)


def unpack(payload: bytes) -> dict:
    return json.loads(zlib.decompress(payload))


def judge(branches: list[Organisation], year: int, today: date, prefix: str | None, rules_by_branch: dict[int, list[RuleSpec]],
          compute: Callable[[list[Organisation]], tuple[list[Finding], dict[int, Score]]],
          ) -> tuple[list[JudgedBranch], list[Finding], dict[int, Score]]:
    """Findings and scores of `branches` (all under `prefix`; None: read them by id, as they are a part of the
    branches under the path they share): stored where still current, else computed by `compute` (for the stale
    branches only) and stored. Three queries, plus the computing when anything changed."""
    types = types_digest()
    digests: dict[int, str] = {}  # branches under one committee's settings share one list of specs: digested once
    keys = {branch.pk: digests.get(id(specs)) or digests.setdefault(id(specs), rules_key(specs, types))
            for branch in branches for specs in [rules_by_branch[branch.pk]]}
    # The version is read before the facts: a change committing meanwhile leaves the new judgement outdated.
    of_branches = Q(branch__path__startswith=prefix) if prefix is not None else Q(branch_id__in=[b.pk for b in branches])
    versions = dict(BranchVersion.objects.filter(of_branches).values_list("branch_id", "version"))
    stored = {
        branch_id: (judged_on, key, version, payload)
        for branch_id, judged_on, key, version, payload in Judgement.objects.filter(of_branches, year=year).values_list(
            "branch_id", "judged_on", "rules_key", "version", "payload")
    }
    judged = [JudgedBranch(branch.pk, branch.name) for branch in branches]
    findings: list[Finding] = []
    scores: dict[int, Score] = {}
    stale = []
    lines_by_specs: dict[int, dict] = {}
    for branch, seen in zip(branches, judged):
        kept = stored.get(branch.pk)
        if kept and kept[0] == today and kept[1] == keys[branch.pk] and kept[2] == versions.get(branch.pk, 0):
            data = unpack(kept[3])
            findings.extend(Finding(**row) for row in data["findings"])
            specs = rules_by_branch[branch.pk]
            scores[branch.pk] = score_from_json(data["score"], seen, specs, lines_by_specs.setdefault(id(specs), {}))
        else:
            stale.append(branch)
    if stale:
        new_findings, new_scores = compute(stale)
        findings.extend(new_findings)
        scores.update(new_scores)
        by_branch: dict[int, list[Finding]] = {branch.pk: [] for branch in stale}
        for finding in new_findings:
            by_branch[finding.org_id].append(finding)
        Judgement.objects.bulk_create(
            [Judgement(branch_id=branch.pk, year=year, judged_on=today, rules_key=keys[branch.pk],
                       version=versions.get(branch.pk, 0), payload=pack(by_branch[branch.pk], new_scores[branch.pk]))
             for branch in stale],
            update_conflicts=True, unique_fields=["branch", "year"],
            update_fields=["judged_on", "rules_key", "version", "payload"], batch_size=500,
        )
    order = {branch.pk: index for index, branch in enumerate(branches)}
    findings.sort(key=lambda finding: order[finding.org_id])  # the branches' order, as a fresh check gives
    return judged, findings, scores
