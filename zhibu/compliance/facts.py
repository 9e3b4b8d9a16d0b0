"""Loading the engine's facts for many branches in a fixed number of queries, whatever their count."""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property
from typing import Callable
from datetime import date

from django.db import connection
from django.db.models import Count, Exists, ExpressionWrapper, F, IntegerField, OuterRef, Q

from zhibu.compliance.engine import (
    ABSENT, MEETING_TYPES_FOR_PARTICIPATION, PRESENT, BranchFacts, Finding, MeetingFact, MemberFact, Score, Tally,
    cadre_min_rate, evaluate, score_branch,
)
from zhibu.compliance.models import Rule
from zhibu.compliance.rules import RuleSpec
from zhibu.orgs import access
from zhibu.orgs.models import MEMBER_CATEGORIES, Exemption, MembershipPeriod, Organisation, OrgKind, PersonPost
from zhibu.records.hours import member_hours
from zhibu.records.models import Activity, ActivityType, Attendance


def subtree_prefix(orgs: list[Organisation]) -> str:
    """The longest path all of `orgs` lie under: one `path LIKE prefix%` selects them (and perhaps some others,
    which callers drop), so a query's size never grows with the number of organisations (SQLite refuses an
    expression of a thousand ORs)."""
    prefix = os.path.commonprefix([org.path for org in orgs])
    return prefix[: len(prefix) - len(prefix) % Organisation.steplen]


# Up to this many branches may be read by their ids (with their groups: three times as many parameters).
MOST_BY_ID = 2000


@dataclass(frozen=True)
class FactScope:
    """Which rows the facts are read from: those of every organisation under `prefix` (one LIKE, whatever their
    number), or, when the branches asked for are a few of those under it (two branches changed in two 党总支 of
    a unit of a thousand), those of the branches and their groups by id, so the unit's other rows are not read."""

    prefix: str
    org_ids: tuple[int, ...] | None = None

    def orgs(self, field: str) -> Q:
        """The rows whose organisation (`field`, e.g. "activity__org") is in the scope."""
        if self.org_ids is None:
            return Q(**{f"{field}__path__startswith": self.prefix})
        return Q(**{f"{field}_id__in": self.org_ids})


def load_branch_facts(branches: list[Organisation], year: int, today: date | None = None, *,
                      attendance: bool = True, cadre_rate: float | None = None, by_id: bool = False,
                      ) -> list[BranchFacts]:
    """The engine's facts for the branches, in a fixed number of queries whatever their count: the records of the
    year (no attendance rows), and each member's attendance per quarter counted by the database (`Tally`).
    `cadre_rate`: the meetings are listed for a leading cadre only when their rate is below it (the highest
    `min_rate` of the cadre rules judged), as no finding cites them otherwise; None lists them for every cadre.
    `by_id`: the branches are a few of those under the path they share (FactScope); ignored above MOST_BY_ID."""
    if not branches:
        return []
    today = today or date.today()
    prefix = subtree_prefix(branches)
    branch_of_path = {branch.path: branch.pk for branch in branches}
    steplen = Organisation.steplen
    groups_by_branch: dict[int, list[tuple[int, str]]] = defaultdict(list)
    branch_of_org = {branch.pk: branch.pk for branch in branches}
    groups = Organisation.objects.filter(path__startswith=prefix, kind=OrgKind.GROUP).values_list("pk", "name", "path")
    for group_id, name, path in groups:
        branch_id = branch_of_path.get(path[:-steplen])
        if branch_id is not None:
            groups_by_branch[branch_id].append((group_id, name))
            branch_of_org[group_id] = branch_id

    scope = FactScope(prefix, tuple(branch_of_org) if by_id and len(branches) <= MOST_BY_ID else None)
    members_by_branch = members_during_year(branches, year, today, scope=scope, branch_of_org=branch_of_org,
                                            attendance=attendance, cadre_rate=cadre_rate)

    meetings_by_branch: dict[int, list[MeetingFact]] = defaultdict(list)
    activities = (
        Activity.objects.held(today).filter(scope.orgs("org"), date__year=year)
        .order_by("date", "pk").values_list("pk", "type__key", "date", "org_id", "lecturer_id")
    )
    for pk, type_key, day, org_id, lecturer_id in activities:
        branch_id = branch_of_org.get(org_id)
        if branch_id is not None:
            meetings_by_branch[branch_id].append(MeetingFact(pk, type_key, day, org_id, lecturer_id))
    return [
        BranchFacts(
            branch.pk, branch.name, tuple(members_by_branch[branch.pk]), tuple(meetings_by_branch[branch.pk]),
            tuple(sorted(groups_by_branch[branch.pk], key=lambda group: group[1])), branch.elected_on, branch.term_years,
        )
        for branch in branches
    ]


QUARTERS = (1, 2, 3, 4)


def attendance_tallies(scope: FactScope, branch_of_org: dict[int, int], year: int, today: date,
                       cadres: set[int], exemptions: bool = True, cadre_rate: float | None = None,
                       ) -> dict[tuple[int, int], tuple[Tally, ...]]:
    """(branch id, person id) → the person's Tally per quarter at the participation meetings of that branch and its
    groups held by `today`: one aggregate over the attendance rows (a row per organisation and person), plus the
    meeting ids where a finding cites them (leading cadres; members absent from a whole quarter)."""
    types = list(ActivityType.objects.filter(key__in=MEETING_TYPES_FOR_PARTICIPATION).values_list("pk", flat=True))
    rows = Attendance.objects.filter(
        scope.orgs("activity__org"), activity__date__range=(date(year, 1, 1), min(today, date(year, 12, 31))),
        activity__type_id__in=types,
    ).exclude(status="")
    # A day the member was exempted (第二十三条) expects nothing of them (engine._expected_meetings). Without any
    # exemption in the unit (`exemptions` false) the test is left out: it costs a probe per attendance row.
    if exemptions:
        exempted = Exemption.objects.filter(person_id=OuterRef("person_id"), start__lte=OuterRef("activity__date")).filter(
            Q(end__isnull=True) | Q(end__gt=OuterRef("activity__date")))
        rows = rows.exclude(Exists(exempted))
    # A row per organisation and person with a count per quarter in columns: a quarter is a range of dates (no
    # EXTRACT per row), and four times fewer rows for Python to read than a row per quarter. (Summing the 学时 in
    # the same pass was tried: a dozen FILTER clauses over every record type's rows made it slower than two scans.)
    bounds = [date(year, month, 1) for month in (1, 4, 7, 10)] + [date(year + 1, 1, 1)]
    columns = {}
    for i in range(4):
        in_quarter = Q(activity__date__gte=bounds[i], activity__date__lt=bounds[i + 1])
        columns[f"e{i}"] = Count("pk", filter=in_quarter)
        columns[f"p{i}"] = Count("pk", filter=in_quarter & Q(status=PRESENT))
        columns[f"a{i}"] = Count("pk", filter=in_quarter & Q(status=ABSENT))
    counted = rows.values_list("activity__org_id", "person_id").annotate(**columns).order_by()
    sums: dict[tuple[int, int], list[int]] = {}
    sql, params = counted.query.sql_with_params()
    with connection.cursor() as cursor:  # plain tuples: a row per organisation and member, no converters
        cursor.execute(sql, params)
        found = cursor.fetchall()
    for org_id, person_id, *counts in found:
        branch_id = branch_of_org.get(org_id)
        if branch_id is None:
            continue
        key = (branch_id, person_id)
        total = sums.get(key)
        if total is None:
            sums[key] = counts  # a member's first organisation of the branch (the branch, or one of its groups)
        else:
            sums[key] = [a + b for a, b in zip(total, counts)]

    def cadre_cited(total: list[int]) -> bool:
        expected = total[0] + total[3] + total[6] + total[9]
        present = total[1] + total[4] + total[7] + total[10]
        return cadre_rate is None or (expected > 0 and present / expected < cadre_rate)

    cited = {key for key, total in sums.items() if (key[1] in cadres and cadre_cited(total))
             or any(total[3 * i] and total[3 * i] == total[3 * i + 2] for i in range(4))}
    evidence: dict[tuple[int, int], dict[int, list[int]]] = {key: {quarter: [] for quarter in QUARTERS} for key in cited}
    people = sorted({person_id for _branch, person_id in cited})
    # The ids are compared through an expression (person_id + 0): with the column itself SQLite probed the roll's
    # (record, person) index once for each pair of a year's records and these people (12 s at 1,000 branches).
    unindexed_person = rows.alias(person_plus_0=ExpressionWrapper(F("person_id") + 0, output_field=IntegerField()))
    for chunk in range(0, len(people), 5000):  # one query unless thousands of members are cited
        found = unindexed_person.filter(person_plus_0__in=people[chunk:chunk + 5000]).values_list(
            "activity__org_id", "person_id", "activity_id", "activity__date").order_by("activity__date", "activity_id")
        for org_id, person_id, activity_id, day in found:
            cited_quarters = evidence.get((branch_of_org.get(org_id), person_id))
            if cited_quarters is not None:
                cited_quarters[(day.month - 1) // 3 + 1].append(activity_id)
    none_cited = dict.fromkeys(QUARTERS, ())
    tallies = {}
    for key, total in sums.items():  # 30,000 members at 1,000 branches: written out, not a nested comprehension
        ids = evidence.get(key, none_cited)
        tallies[key] = tuple(Tally(quarter, total[i], total[i + 1], total[i + 2], tuple(ids[quarter]))
                             for quarter, i in ((1, 0), (2, 3), (3, 6), (4, 9)) if total[i])
    return tallies


def members_during_year(branches: list[Organisation], year: int, today: date | None = None, *, scope: FactScope | None = None,
                        branch_of_org: dict[int, int] | None = None, attendance: bool = True,
                        cadre_rate: float | None = None) -> dict[int, list[MemberFact]]:
    """Branch id → a MemberFact for each party member who belonged to it at some time in the year, carrying
    their periods there (`spans`), so the rules count each branch's members at the date in question, and their
    attendance per quarter (`tallies`; not counted when `attendance` is false: no participation rule is judged)."""
    today = today or date.today()
    scope = scope or FactScope(subtree_prefix(branches))
    branch_ids = {branch.pk for branch in branches}
    branch_of_org = branch_of_org or {pk: pk for pk in branch_ids}
    start, end = date(year, 1, 1), date(year, 12, 31)
    periods = MembershipPeriod.objects.filter(
        scope.orgs("branch"), start__lte=end, person__category__in=MEMBER_CATEGORIES,
    ).filter(Q(end__isnull=True) | Q(end__gt=start)).order_by("pk").values_list(
        "branch_id", "person_id", "start", "end", "person__name", "person__category", "person__full_on",
        "person__admitted_on", "person__is_leading_cadre", "person__group_id",
    )
    spans: dict[int, dict[int, list]] = defaultdict(dict)
    people: dict[int, tuple] = {}
    for branch_id, person_id, span_start, span_end, *person in periods:
        if branch_id not in branch_ids:
            continue
        spans[branch_id].setdefault(person_id, []).append((span_start, span_end))
        people[person_id] = tuple(person)
    posts: dict[int, set[str]] = defaultdict(set)
    held_posts = PersonPost.objects.filter(
        scope.orgs("person__periods__branch"), person__category__in=MEMBER_CATEGORIES,
    ).values_list("person_id", "post").distinct()
    for person_id, post in held_posts:
        posts[person_id].add(post)
    exempt: dict[int, list] = defaultdict(list)
    in_unit = MembershipPeriod.objects.filter(scope.orgs("branch")).values("person_id")
    for person_id, span_start, span_end in Exemption.objects.filter(person_id__in=in_unit).values_list("person_id", "start", "end"):
        exempt[person_id].append((span_start, span_end))
    # 学时 per member, summed by the database (records/hours.py: the one definition of hours earned).
    hours = member_hours(in_unit, year, min(today, end))
    cadres = {pk for pk, person in people.items() if person[4]}
    tallies = attendance_tallies(scope, branch_of_org, year, today, cadres, exemptions=bool(exempt),
                                 cadre_rate=cadre_rate) if attendance else {}
    result: dict[int, list[MemberFact]] = defaultdict(list)
    for branch_id, by_person in spans.items():
        for person_id, person_spans in by_person.items():
            name, category, full_on, admitted_on, is_leading_cadre, group_id = people[person_id]
            result[branch_id].append(MemberFact(
                person_id, name, category, full_on, admitted_on, frozenset(posts[person_id]), is_leading_cadre,
                group_id, tuple(sorted(person_spans)) if len(person_spans) > 1 else tuple(person_spans),
                tuple(sorted(exempt[person_id])) if person_id in exempt else (), float(hours.get(person_id) or 0),
                tallies.get((branch_id, person_id), ()),
            ))
    return result


@dataclass
class CheckResult:
    year: int
    today: date
    rules: list[RuleSpec]  # as they apply to the root asked for (titles, the dashboard's columns)
    branches: list  # BranchFacts when judged now (`fresh`), else judgements.JudgedBranch (id and name)
    findings: list[Finding]
    # Each branch is judged by the settings of its own part of the tree (RuleSetting), which may differ.
    rules_by_branch: dict[int, list[RuleSpec]] | None = None
    stored_scores: dict[int, Score] | None = None  # from stored judgements (their facts are not kept)

    def rules_for(self, branch_id: int) -> list[RuleSpec]:
        return (self.rules_by_branch or {}).get(branch_id, self.rules)

    def scores(self) -> list[Score]:
        if self.stored_scores is not None:
            return [self.stored_scores[b.id] for b in self.branches]
        return [score_branch(b, self.for_branch(b.id), self.rules_for(b.id), self.year, self.today) for b in self.branches]

    def for_branch(self, branch_id: int) -> list[Finding]:
        return self._by_branch.get(branch_id, [])

    @cached_property
    def _by_branch(self) -> dict[int, list[Finding]]:
        """Findings per branch, indexed once (asking each of 1,000 branches to scan every finding took seconds)."""
        index: dict[int, list[Finding]] = {}
        for finding in self.findings:
            index.setdefault(finding.org_id, []).append(finding)
        return index


def _spec_key(specs: list[RuleSpec]) -> tuple:
    return tuple((spec.key, spec.minimum, spec.severity, spec.points, tuple(sorted(spec.params.items(), key=str)))
                 for spec in specs)


def judge_now(branches: list[Organisation], year: int, today: date, rules_by_branch: dict[int, list[RuleSpec]],
              *, by_id: bool = False) -> tuple[list[BranchFacts], list[Finding]]:
    """Load the branches' facts and evaluate their rules. Members' attendance is counted only when a participation
    rule is among them; branches whose settings agree are evaluated together (usually all: one committee's).
    `by_id`: the branches are a few of those under the path they share (load_branch_facts)."""
    attendance = any(spec.kind == "participation" for branch in branches for spec in rules_by_branch[branch.pk])
    rates = {cadre_min_rate(spec) for branch in branches for spec in rules_by_branch[branch.pk] if spec.key == "cadre_attendance"}
    facts = load_branch_facts(branches, year, today, attendance=attendance, cadre_rate=max(rates, default=0.0),
                              by_id=by_id)
    groups: dict[tuple, tuple[list[RuleSpec], list[BranchFacts]]] = {}
    for fact in facts:
        specs = rules_by_branch[fact.id]
        groups.setdefault(_spec_key(specs), (specs, []))[1].append(fact)
    findings = [finding for specs, members in groups.values() for finding in evaluate(members, year, today, specs)]
    order = {fact.id: index for index, fact in enumerate(facts)}
    findings.sort(key=lambda finding: order[finding.org_id])
    return facts, findings


def check(actor, root: Organisation, year: int, *, today: date | None = None,
          only: Callable[[RuleSpec], bool] | None = None, fresh: bool = False) -> CheckResult:
    """Evaluate every enabled rule (or those `only` keeps) for the branches in `root`'s subtree that the actor may
    see. Each branch's stored judgement is reused while it is current (judgements.py); `fresh` judges every branch
    now from its facts (the command, and pages that show the facts themselves, e.g. a branch's calendar)."""
    from zhibu.compliance import judgements
    from zhibu.compliance.models import RuleSetting, specs_of

    today = today or date.today()
    branches = list(access.visible_orgs(actor).subtree_of(root).filter(kind=OrgKind.BRANCH).order_by("path"))
    if root.kind == OrgKind.GROUP:  # a group is judged as part of its branch
        branches = list(access.visible_orgs(actor).filter(pk=Organisation.objects.get_parent(root).pk))

    def kept(specs: list[RuleSpec]) -> list[RuleSpec]:
        # The committee rule states the threshold other rules depend on (engine.committee_threshold): always kept.
        return [spec for spec in specs if only is None or only(spec) or spec.key == "committee_required"]

    every_rule = list(Rule.objects.all())
    settings = list(RuleSetting.objects.select_related("org"))
    root_specs = specs_of(every_rule, root, settings)
    rules = kept(root_specs)
    every_spec = _specs_by_branch(branches, every_rule, settings, root_specs)
    rules_by_branch = {pk: kept(specs) for pk, specs in every_spec.items()}
    if fresh or not branches:
        facts, findings = judge_now(branches, year, today, rules_by_branch)
        return CheckResult(year, today, rules, facts, findings, rules_by_branch)

    def compute(stale: list[Organisation]) -> tuple[list[Finding], dict[int, Score]]:
        # Stored judgements hold every enabled rule's findings; `only` is applied when they are read.
        return _judge_and_score(stale, year, today, every_spec, by_id=len(stale) < len(branches))

    judged, findings, scores = judgements.judge(branches, year, today, subtree_prefix(branches), every_spec, compute)
    if only is not None:
        kept_keys = {pk: {spec.key for spec in specs} for pk, specs in rules_by_branch.items()}
        findings = [finding for finding in findings if finding.rule in kept_keys[finding.org_id]]
        scores = {pk: _only_lines(score, kept_keys[pk]) for pk, score in scores.items()}
    return CheckResult(year, today, rules, judged, findings, rules_by_branch, scores)


def _specs_by_branch(branches: list[Organisation], every_rule: list[Rule], settings: list, common: list[RuleSpec],
                     ) -> dict[int, list[RuleSpec]]:
    """Each branch's enabled rules, by the settings of its part of the tree; without any setting, `common` for every
    branch (one list: judgements digest each list once)."""
    from zhibu.compliance.models import specs_of

    return {branch.pk: specs_of(every_rule, branch, settings) if settings else common for branch in branches}


def _judge_and_score(branches: list[Organisation], year: int, today: date, every_spec: dict[int, list[RuleSpec]], *,
                     by_id: bool) -> tuple[list[Finding], dict[int, Score]]:
    """Every enabled rule's findings for the branches, and each branch's score: what a stored judgement holds."""
    facts, found = judge_now(branches, year, today, every_spec, by_id=by_id)
    by_branch: dict[int, list[Finding]] = {}
    for finding in found:
        by_branch.setdefault(finding.org_id, []).append(finding)
    return found, {fact.id: score_branch(fact, by_branch.get(fact.id, []), every_spec[fact.id], year, today) for fact in facts}


def refresh_judgements(year: int, today: date | None = None, *, chunk: int = 1000) -> int:
    """Judge again every branch whose stored judgement for `year` is not current, and store it; the number judged.

    The worker does this at the start of each day (jobs/tasks.py), so the day's first committee page reads stored
    judgements instead of judging a thousand branches while its user waits. Branches go in path order, `chunk`
    at a time (one chunk's facts in memory), each chunk's rows read by id when it is part of a larger subtree."""
    from zhibu.compliance import judgements
    from zhibu.compliance.models import RuleSetting, specs_of

    today = today or date.today()
    every_rule = list(Rule.objects.all())
    settings = list(RuleSetting.objects.select_related("org"))
    common = specs_of(every_rule, None, settings)
    branches = list(Organisation.objects.filter(kind=OrgKind.BRANCH).order_by("path"))
    judged = 0
    for start in range(0, len(branches), chunk):
        part = branches[start:start + chunk]
        prefix = subtree_prefix(part)
        # In path order a subtree's branches stand together: the part is all of its subtree's unless a neighbour
        # lies under the same path.
        neighbours = branches[start - 1:start] + branches[start + chunk:start + chunk + 1]
        whole_subtree = not any(branch.path.startswith(prefix) for branch in neighbours)
        every_spec = _specs_by_branch(part, every_rule, settings, common)

        def compute(stale: list[Organisation]) -> tuple[list[Finding], dict[int, Score]]:
            nonlocal judged
            judged += len(stale)
            return _judge_and_score(stale, year, today, every_spec, by_id=len(stale) < len(part) or not whole_subtree)

        judgements.judge(part, year, today, prefix if whole_subtree else None, every_spec, compute)
    return judged


def _only_lines(score: Score, keys: set[str]) -> Score:
    lines = [line for line in score.lines if line.rule.key in keys]
    possible = sum(line.rule.points for line in lines if line.applicable)
    points = sum(line.rule.points for line in lines if line.applicable and line.met)
    return Score(score.org_id, score.org, points, possible, lines)
