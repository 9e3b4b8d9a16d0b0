"""A unit of many small branches built with bulk_create (seconds, not minutes), for tests that pin query counts
and for the sizes that used to break SQLite. The sizes themselves are measured in benchmarks/scale.py."""

from datetime import date

from zhibu.orgs.models import Category, MembershipPeriod, Organisation, OrgKind, Person, PersonPost, Post
from zhibu.records.models import Activity, ActivityType, Attendance, Status

YEAR = 2025
MEETINGS = (("支部党员大会", 2, 20), ("支部委员会会议", 3, 5), ("主题党日", 4, 15), ("党课", 5, 26))


def add_branches(parent: Organisation, count: int, *, members: int = 4, first: int = 0, prefix: str = "批量") -> list[Organisation]:
    """`count` branches under `parent`, each with `members` full members (the first its secretary), one 党小组
    and four records of YEAR with everyone on the roll (the last member absent)."""
    parent = Organisation.objects.get(pk=parent.pk)
    branches = []
    for index in range(first, first + count):
        branch = Organisation.objects.create_child(parent, name=f"{prefix}第{index}支部", kind=OrgKind.BRANCH)
        Organisation.objects.create_child(branch, name=f"{prefix}第{index}支部小组", kind=OrgKind.GROUP)
        parent = Organisation.objects.get(pk=parent.pk)
        branches.append(branch)
    people = Person.objects.bulk_create([
        Person(branch=branch, name=f"{prefix}{index}号{number}", category=Category.FULL, admitted_on=date(2010, 7, 1),
               full_on=date(2011, 7, 1), is_leading_cadre=number == 1)
        for index, branch in enumerate(branches, start=first) for number in range(members)
    ])
    MembershipPeriod.objects.bulk_create([MembershipPeriod(person=p, branch_id=p.branch_id, start=date(2010, 7, 1)) for p in people])
    PersonPost.objects.bulk_create([PersonPost(person=p, post=Post.SECRETARY) for p in people[::members]])
    types = {t.name: t for t in ActivityType.objects.filter(name__in=[name for name, _m, _d in MEETINGS])}
    records = Activity.objects.bulk_create([
        Activity(org=branch, type=types[name], date=date(YEAR, month, day), subject=f"{name}{month}月")
        for branch in branches for name, month, day in MEETINGS
    ])
    by_branch = {}
    for person in people:
        by_branch.setdefault(person.branch_id, []).append(person)
    Attendance.objects.bulk_create([
        Attendance(activity=record, person=person, status=Status.ABSENT if number == members - 1 else Status.PRESENT)
        for record in records for number, person in enumerate(by_branch[record.org_id])
    ])
    return branches
