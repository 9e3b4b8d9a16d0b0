"""The manager's start page (工作台): what needs doing now, gathered from every part of the product."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Exists, Max, OuterRef

from zhibu.compliance.facts import check
from zhibu.compliance.rules import VIOLATION
from zhibu.development.birthdays import birthdays_in
from zhibu.development.pipeline import (
    development_people,
    person_reminders,
    records_by_person,
)
from zhibu.dues.accounts import person_years
from zhibu.dues.models import DuesBase, DuesPayment
from zhibu.dues.months import previous_month
from zhibu.lists.models import ListItem
from zhibu.orgs import access, membership
from zhibu.lib.dates import add_months
from zhibu.records.models import Attendance, Status
from zhibu.orgs.models import MEMBER_CATEGORIES, OrgKind, Person
from zhibu.web.votes import open_votes_managed


@dataclass
class Workbench:
    root: object
    today: date
    due_now: list = field(default_factory=list)
    due_count: int = 0
    due_planned: list = field(default_factory=list)  # (finding, record planned to meet it or None, type id)
    dues_count: int = 0
    development_count: int = 0
    membership_count: int = 0
    birthdays_count: int = 0
    more: dict = field(default_factory=dict)  # kind → items counted but not listed ("还有 N 项")
    violations: int = 0
    overdue_items: list = field(default_factory=list)
    overdue_count: int = 0
    dues_warnings: list = field(default_factory=list)  # (branch, PersonYear)
    development: list = field(default_factory=list)  # (person, Reminder)
    birthdays: list = field(default_factory=list)
    votes: list = field(default_factory=list)  # OpenVote: reviews, appraisals and elections under way
    letters_overdue: list = field(default_factory=list)  # 转出 letters past validity without 回执
    transfers_to_accept: list = field(default_factory=list)  # 内部转接 waiting for this login's organisations
    membership_reminders: list = field(default_factory=list)  # membership.Reminder
    lapsed: list = field(default_factory=list)  # (branch, PersonYear, last attended or None): 第三十一条


LAPSE_MONTHS = 6  # 党员教育管理工作条例 第三十一条


def join_article_31(dues_warnings: list, today: date) -> tuple[list, list]:
    """Split the dues warnings: a member 6 or more months behind with dues who also attended no 组织生活 in the
    last 6 months gets one reminder, the 第三十一条 one (自行脱党 to be verified), instead of a dues warning."""
    behind = [(branch, row) for branch, row in dues_warnings if row.unpaid_run >= LAPSE_MONTHS]
    if not behind:
        return dues_warnings, []
    since = add_months(today, -LAPSE_MONTHS)
    present = Attendance.objects.filter(person_id__in=[row.person.pk for _b, row in behind], status=Status.PRESENT,
                                        activity__date__lte=today)
    last_seen = dict(present.values("person_id").annotate(last=Max("activity__date")).values_list("person_id", "last"))
    lapsed = [(branch, row, last_seen.get(row.person.pk)) for branch, row in behind
              if not last_seen.get(row.person.pk) or last_seen[row.person.pk] <= since]
    ids = {row.person.pk for _b, row, _last in lapsed}
    return [(branch, row) for branch, row in dues_warnings if row.person.pk not in ids], lapsed


SHOWN = 8  # items of each kind listed; the rest are counted and linked ("还有 N 项")


def planned_for(findings, today: date) -> list[tuple]:
    """(finding, the record planned for it or None, the activity type's id) for each finding: a due meeting
    already on the calendar (a record dated after today in the finding's period) shows as planned, not as
    "尚未召开"; the type's id lets the page link to creating the record the finding asks for. One or two queries."""
    from zhibu.compliance.engine import periods
    from zhibu.records.models import Activity, ActivityType

    typed = [f for f in findings if f.type]
    if not typed:
        return [(f, None, None) for f in findings]
    types = {}
    for pk, name, key in ActivityType.objects.values_list("pk", "name", "key"):
        types.setdefault(key, (pk, key))
        types.setdefault(name, (pk, key))
    spans = {f.period: next(p for p in periods(int(f.period[:4]), _kind(f.period)) if p.label == f.period) for f in typed}
    due = [f for f in typed if f.status == "due" and f.type in types]
    found = {}
    if due:
        planned = Activity.objects.planned(today).filter(
            date__lte=max(spans[f.period].end for f in due), org_id__in={f.group_id or f.org_id for f in due},
            type__key__in={types[f.type][1] for f in due},
        ).select_related("type").order_by("date", "pk")
        for record in planned:
            for label, period in spans.items():
                if period.contains(record.date):
                    found.setdefault((record.org_id, record.type.key, label), record)
    return [
        (f, found.get((f.group_id or f.org_id, types[f.type][1], f.period)) if f.type in types else None,
         types[f.type][0] if f.type in types else None)
        for f in findings
    ]


def _kind(label: str) -> str:
    return "quarter" if "-Q" in label else "month" if "-" in label else "year"


def workbench(user, today: date | None = None) -> Workbench | None:
    """Everything below the login's top organisation, in a fixed number of queries whatever the number of
    branches: each kind of reminder is counted in full and its first SHOWN items listed."""
    today = today or date.today()
    managed = access.managed_orgs(user)
    root = managed.exclude(kind=OrgKind.GROUP).order_by("depth", "path").first()
    if root is None:
        return None
    bench = Workbench(root, today)
    # Participation rules find only what is over ("missed"): they matter here when they count as violations.
    result = check(user, root, today.year, today=today, only=lambda rule: rule.kind != "participation" or rule.severity == VIOLATION)
    due = [f for f in result.findings if f.status == "due"]
    bench.due_count = len(due)
    bench.due_now = due[:SHOWN]
    bench.due_planned = planned_for(bench.due_now, today)
    bench.violations = sum(1 for f in result.findings if f.severity == VIOLATION and f.status == "missed")
    overdue = ListItem.objects.managed_by(user).overdue(today).select_related("org", "owner").order_by("deadline")
    bench.overdue_count = overdue.count()
    bench.overdue_items = list(overdue[:5])
    branches = managed.filter(kind=OrgKind.BRANCH)
    rows = person_years(arrears_candidates(branches, today), today.year, today)
    warnings = sorted(((row.person.branch, row) for row in rows if row.level),
                      key=lambda pair: (pair[0].path, -pair[1].unpaid_run))
    people = list(development_people(branches))
    records = records_by_person(people)
    for person in sorted(people, key=lambda p: p.branch.path):
        bench.development += [(person, reminder) for reminder in person_reminders(person, records[person.pk], today)]
    bench.development_count = len(bench.development)
    bench.development = bench.development[:SHOWN]
    bench.votes = open_votes_managed(user)
    warnings, lapsed = join_article_31(warnings, today)
    bench.dues_count = len(warnings) + len(lapsed)
    bench.lapsed = lapsed[:SHOWN]
    bench.dues_warnings = warnings[:max(SHOWN - len(bench.lapsed), 0)]
    bench.letters_overdue = list(membership.letters_overdue_for(managed, today))
    bench.transfers_to_accept = list(membership.pending_to(managed))
    bench.membership_reminders = membership.reminders(list(branches.order_by("path")), today)
    bench.membership_count = len(bench.letters_overdue) + len(bench.transfers_to_accept) + len(bench.membership_reminders)
    bench.letters_overdue = bench.letters_overdue[:SHOWN]
    bench.transfers_to_accept = bench.transfers_to_accept[:SHOWN]
    bench.membership_reminders = bench.membership_reminders[:SHOWN]
    birthdays = birthdays_in(Person.objects.filter(branch__in=branches).on_roll(), today.year, today.month).birthdays
    bench.birthdays_count = len(birthdays)
    bench.birthdays = birthdays[:SHOWN]
    bench.more = {
        "due": bench.due_count - len(bench.due_now),
        "dues": bench.dues_count - len(bench.lapsed) - len(bench.dues_warnings),
        "development": bench.development_count - len(bench.development),
        "membership": bench.membership_count - len(bench.letters_overdue) - len(bench.transfers_to_accept)
        - len(bench.membership_reminders),
        "birthdays": bench.birthdays_count - len(bench.birthdays),
    }
    return bench


def arrears_candidates(branches, today: date):
    """The members of these branches who may be behind with dues: those who have not paid last month (a run of
    unpaid months ends there, so anyone who paid it owes no reminder) and have a 缴费基数 of some year (months are
    due only in a year with a base: dues.accounts._due_months); their ledgers are then computed exactly."""
    last_month = previous_month(today)
    return (
        Person.objects.filter(branch__in=branches, category__in=MEMBER_CATEGORIES, admitted_on__isnull=False)
        .filter(Exists(DuesBase.objects.filter(person=OuterRef("pk"), year__lte=today.year)))
        .exclude(pk__in=DuesPayment.objects.filter(month=last_month).values("person_id"))
        .select_related("branch")
    )
