"""The manager's start page (工作台): what needs doing now, gathered from every part of the product."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from zhibu.compliance.facts import check
from zhibu.compliance.rules import VIOLATION
from zhibu.development.birthdays import birthdays_in
from zhibu.development.pipeline import (
    development_people,
    person_reminders,
    records_by_person,
)
from zhibu.dues.ledger import branch_ledger
from zhibu.lists.models import ListItem
from zhibu.orgs import access
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
    bench.birthdays = birthdays_in(Person.objects.filter(branch__in=branches), today.year, today.month).birthdays
    return bench
