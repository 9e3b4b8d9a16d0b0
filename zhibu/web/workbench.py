"""The manager's start page (工作台): what needs doing now, gathered from every part of the product."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Max

from zhibu.compliance.facts import check
from zhibu.compliance.rules import VIOLATION
from zhibu.development.birthdays import birthdays_in
from zhibu.development.pipeline import (
    development_people,
    person_reminders,
    records_by_person,
)
from zhibu.dues.accounts import branch_ledger
from zhibu.lists.models import ListItem
from zhibu.orgs import access, membership
from zhibu.orgs.membership import add_months
from zhibu.records.models import Attendance, Status
from zhibu.orgs.models import OrgKind, Person
from zhibu.web.votes import open_votes_managed


@dataclass
class Workbench:
    root: object
    today: date
    due_now: list = field(default_factory=list)
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


def workbench(user, today: date | None = None) -> Workbench | None:
    today = today or date.today()
    managed = access.managed_orgs(user)
    root = managed.exclude(kind=OrgKind.GROUP).order_by("depth", "path").first()
    if root is None:
        return None
    bench = Workbench(root, today)
    result = check(user, root, today.year, today=today)
    bench.due_now = [f for f in result.findings if f.status == "due"][:8]
    bench.violations = sum(1 for f in result.findings if f.severity == VIOLATION and f.status == "missed")
    overdue = ListItem.objects.managed_by(user).overdue(today).select_related("org", "owner").order_by("deadline")
    bench.overdue_count = overdue.count()
    bench.overdue_items = list(overdue[:5])
    branches = list(managed.filter(kind=OrgKind.BRANCH).order_by("path"))
    for branch in branches:
        bench.dues_warnings += [(branch, row) for row in branch_ledger(branch, today.year, today).warnings]
        people = list(development_people(branch))
        records = records_by_person(people)
        for person in people:
            bench.development += [(person, reminder) for reminder in person_reminders(person, records[person.pk], today)]
    bench.votes = open_votes_managed(user)
    bench.dues_warnings, bench.lapsed = join_article_31(bench.dues_warnings, today)
    bench.letters_overdue = list(membership.letters_overdue_for(managed, today))
    bench.transfers_to_accept = list(membership.pending_to(managed))
    bench.membership_reminders = membership.reminders(branches, today)
    bench.birthdays = birthdays_in(Person.objects.filter(branch__in=branches), today.year, today.month).birthdays
    return bench
