"""Loading the engine's facts for many branches in a fixed number of queries, whatever their count."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, Q

from zhibu.compliance.engine import BranchFacts, Finding, MeetingFact, MemberFact, Score, evaluate, score_branch
from zhibu.compliance.models import Rule
from zhibu.compliance.rules import RuleSpec
from zhibu.orgs import access, membership
from zhibu.orgs.models import MEMBER_CATEGORIES, Exemption, Organisation, OrgKind, Person
from zhibu.records.hours import member_hours
from zhibu.records.models import Activity, Attendance


def load_branch_facts(branches: list[Organisation], year: int, today: date | None = None) -> list[BranchFacts]:
    if not branches:
        return []
    under_branches = Q()
    for branch in branches:
        under_branches |= Q(path__startswith=branch.path)
    groups = list(Organisation.objects.filter(under_branches, kind=OrgKind.GROUP).values_list("pk", "name", "path"))
    branch_of_path = {branch.path: branch.pk for branch in branches}
    steplen = Organisation.steplen
    groups_by_branch: dict[int, list[tuple[int, str]]] = defaultdict(list)
    branch_of_org = {branch.pk: branch.pk for branch in branches}
    for group_id, name, path in groups:
        branch_id = branch_of_path[path[:-steplen]]
        groups_by_branch[branch_id].append((group_id, name))
        branch_of_org[group_id] = branch_id

    members_by_branch = members_during_year(branches, year, today)

    meetings_by_branch: dict[int, list[MeetingFact]] = defaultdict(list)
    activities = (
        Activity.objects.held(today).filter(org_id__in=branch_of_org, date__year=year)
        .select_related("type")
        .prefetch_related(Prefetch("attendance", queryset=Attendance.objects.only("activity_id", "person_id", "status")))
        .order_by("date", "pk")
    )
    for activity in activities:
        meetings_by_branch[branch_of_org[activity.org_id]].append(MeetingFact(
            activity.pk, activity.type.key, activity.date, activity.org_id, activity.lecturer_id,
            tuple((row.person_id, row.status) for row in activity.attendance.all()),
        ))
    return [
        BranchFacts(
            branch.pk, branch.name, tuple(members_by_branch[branch.pk]), tuple(meetings_by_branch[branch.pk]),
            tuple(sorted(groups_by_branch[branch.pk], key=lambda group: group[1])), branch.elected_on, branch.term_years,
        )
        for branch in branches
    ]


def members_during_year(branches: list[Organisation], year: int, today: date | None = None) -> dict[int, list[MemberFact]]:
    """Branch id → a MemberFact for each party member who belonged to it at some time in the year, carrying
    their periods there (`spans`), so the rules count each branch's members at the date in question."""
    spans = membership.spans_by_branch([b.pk for b in branches], date(year, 1, 1), date(year, 12, 31))
    ids = {person_id for by_person in spans.values() for person_id in by_person}
    people = {p.pk: p for p in Person.objects.filter(pk__in=ids, category__in=MEMBER_CATEGORIES).prefetch_related("posts")}
    exempt: dict[int, list] = defaultdict(list)
    for person_id, start, end in Exemption.objects.filter(person_id__in=list(people)).values_list("person_id", "start", "end"):
        exempt[person_id].append((start, end))
    hours = member_hours(list(people), year, until=today)
    result: dict[int, list[MemberFact]] = defaultdict(list)
    for branch_id, by_person in spans.items():
        for person_id, person_spans in by_person.items():
            person = people.get(person_id)
            if person is None:
                continue
            result[branch_id].append(MemberFact(
                person.pk, person.name, person.category, person.full_on, person.admitted_on,
                frozenset(post.post for post in person.posts.all()), person.is_leading_cadre, person.group_id,
                tuple(sorted(person_spans)), tuple(sorted(exempt[person_id])), float(hours.get(person_id) or 0),
            ))
    return result


@dataclass
class CheckResult:
    year: int
    today: date
    rules: list[RuleSpec]  # as they apply to the root asked for (titles, the dashboard's columns)
    branches: list[BranchFacts]
    findings: list[Finding]
    # Each branch is judged by the settings of its own part of the tree (RuleSetting), which may differ.
    rules_by_branch: dict[int, list[RuleSpec]] | None = None

    def rules_for(self, branch_id: int) -> list[RuleSpec]:
        return (self.rules_by_branch or {}).get(branch_id, self.rules)

    def scores(self) -> list[Score]:
        return [score_branch(b, self.findings, self.rules_for(b.id), self.year, self.today) for b in self.branches]

    def for_branch(self, branch_id: int) -> list[Finding]:
        return [f for f in self.findings if f.org_id == branch_id]


def check(actor, root: Organisation, year: int, *, today: date | None = None) -> CheckResult:
    """Evaluate every enabled rule for the branches in `root`'s subtree that the actor may see."""
    today = today or date.today()
    branches = list(access.visible_orgs(actor).subtree_of(root).filter(kind=OrgKind.BRANCH).order_by("path"))
    if root.kind == OrgKind.GROUP:  # a group is judged as part of its branch
        branches = list(access.visible_orgs(actor).filter(pk=Organisation.objects.get_parent(root).pk))
    from zhibu.compliance.models import RuleSetting, specs_of

    every_rule = list(Rule.objects.all())
    settings = list(RuleSetting.objects.select_related("org"))
    rules = specs_of(every_rule, root, settings)
    facts = load_branch_facts(branches, year, today)
    # Branches whose settings agree are evaluated together (usually all of them: one committee's settings).
    groups: dict[tuple, tuple[list[RuleSpec], list[BranchFacts]]] = {}
    by_id = {branch.pk: branch for branch in branches}
    rules_by_branch = {}
    for fact in facts:
        specs = specs_of(every_rule, by_id.get(fact.id), settings) if settings else rules
        key = tuple((spec.key, spec.minimum, spec.severity, spec.points, tuple(sorted(spec.params.items(), key=str)))
                    for spec in specs)
        groups.setdefault(key, (specs, []))[1].append(fact)
        rules_by_branch[fact.id] = specs
    findings = [finding for specs, members in groups.values() for finding in evaluate(members, year, today, specs)]
    return CheckResult(year, today, rules, facts, findings, rules_by_branch)
