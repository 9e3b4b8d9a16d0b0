"""Attendance figures: 应到 (due), 实到 (present) and 出席率, per record and per member per year.

Who is due at a record (应到):

- the circle its type names (ActivityType.expected):
  - 全体党员: the party members (正式党员 and 预备党员) of the record's organisation: for a 党小组 the
    group's members, for a 党支部 the whole branch (its groups included), for a committee everyone below it;
  - 支部委员: the committee of the record's branch (书记, 副书记, 组织、宣传、纪检委员) — a 支委会's
    quorum counts against the committee, not against the branch;
  - 按名单: nobody beyond the record's own list (a talk between two people, the volunteers who went);
  and of that circle only those admitted to the Party (入党日期) on or before the meeting day;
- plus every party member on the record's own list (出席/请假/缺席), such as someone who has since moved
  to another branch.

Why today's roster with the 入党日期 rather than the roster "as it was": people carry the date they joined
the Party but no date of joining or leaving a branch, so the roster on the day can only be approximated.
The list the form takes on the day (every member of the circle, 出席 preselected) is kept with the record,
so those who left later still count where they were due. A member due but missing from the list counts as
not present (未登记): a record imported with only its 出席 column therefore shows the rest as absent, which is
what an inspector reading the ledger would conclude too.

People on the list who are not party members (an activist at a 党课) are shown on the record but counted in
neither 应到 nor 实到.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Iterable

from zhibu.lib.strokes import stroke_key
from zhibu.orgs.models import COMMITTEE_POSTS, MEMBER_CATEGORIES, Organisation, OrgKind, Person
from zhibu.records.expected import Expected
from zhibu.records.models import Activity, Status


def attendance_rate(present: int, expected: int) -> Decimal | None:
    """Percentage with one decimal (95.5), or None when nobody was due."""
    if not expected:
        return None
    return (Decimal(present * 100) / Decimal(expected)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class Figures:
    expected: list[Person] = field(default_factory=list)
    present: list[Person] = field(default_factory=list)
    on_leave: list[tuple[Person, str]] = field(default_factory=list)
    absent: list[Person] = field(default_factory=list)
    unrecorded: list[Person] = field(default_factory=list)  # due, but not on the list at all
    others_present: list[Person] = field(default_factory=list)  # non-members who attended (列席)

    @property
    def rate(self) -> Decimal | None:
        return attendance_rate(len(self.present), len(self.expected))

    @property
    def missing_text(self) -> str:
        """缺席人员及原因, e.g. "李明（请假：公差）、王芳（缺席）"."""
        parts = [f"{person.name}（请假{'：' + reason if reason else ''}）" for person, reason in self.on_leave]
        parts += [f"{person.name}（缺席）" for person in self.absent]
        parts += [f"{person.name}（未登记）" for person in self.unrecorded]
        return "、".join(parts)


class Rosters:
    """The members of organisations, each loaded once however many records ask."""

    def __init__(self):
        self._members: dict[int, list[Person]] = {}

    def members(self, org: Organisation) -> list[Person]:
        if org.pk not in self._members:
            people = Person.objects.filter(category__in=MEMBER_CATEGORIES).prefetch_related("posts")
            if org.kind == OrgKind.GROUP:
                people = people.filter(group=org)
            elif org.kind == OrgKind.BRANCH:
                people = people.filter(branch=org)
            else:
                people = people.filter(branch__path__startswith=org.path)
            self._members[org.pk] = list(people)
        return self._members[org.pk]

    def circle(self, activity: Activity) -> list[Person]:
        """The people due by the type's rule alone, before the record's own list is added."""
        circle = activity.type.expected
        if circle == Expected.LISTED or not activity.type.takes_attendance:
            return []
        if circle == Expected.COMMITTEE:
            branch = activity.org.branch() or activity.org
            people = [p for p in self.members(branch) if any(post.post in COMMITTEE_POSTS for post in p.posts.all())]
        else:
            people = self.members(activity.org)
        return [p for p in people if p.admitted_on and p.admitted_on <= activity.date]


def figures(activity: Activity, rosters: Rosters | None = None) -> Figures:
    """The figures of one record; pass one Rosters to many calls to load each roster once."""
    rosters = rosters or Rosters()
    result = Figures()
    if not activity.type.takes_attendance:
        return result
    rows = {row.person_id: row for row in activity.attendance.all()}
    due = {person.pk: person for person in rosters.circle(activity)}
    for row in rows.values():
        if row.person.category in MEMBER_CATEGORIES:
            due.setdefault(row.person_id, row.person)
        elif row.status == Status.PRESENT:
            result.others_present.append(row.person)
    for person in sorted(due.values(), key=lambda p: stroke_key(p.name)):
        result.expected.append(person)
        row = rows.get(person.pk)
        if row is None:
            result.unrecorded.append(person)
        elif row.status == Status.PRESENT:
            result.present.append(person)
        elif row.status == Status.LEAVE:
            result.on_leave.append((person, row.reason))
        else:
            result.absent.append(person)
    return result


def with_attendance(activities) -> Iterable[Activity]:
    """The queryset with what `figures` reads, fetched in a few queries."""
    return activities.select_related("type", "org").prefetch_related("attendance__person")


def figures_for(activities: Iterable[Activity]) -> dict[int, Figures]:
    rosters = Rosters()
    return {activity.pk: figures(activity, rosters) for activity in activities}


@dataclass
class Tally:
    """One person's attendance over a set of records."""

    expected: int = 0
    present: int = 0
    on_leave: int = 0
    absent: int = 0  # absent or not on the list

    @property
    def rate(self) -> Decimal | None:
        return attendance_rate(self.present, self.expected)


def tally(activities) -> dict[int, Tally]:
    """Person id → their Tally over the given records (the queryset is fetched with what figures reads)."""
    totals: dict[int, Tally] = defaultdict(Tally)
    rosters = Rosters()
    for activity in with_attendance(activities.filter(type__takes_attendance=True)):
        result = figures(activity, rosters)
        for person in result.expected:
            totals[person.pk].expected += 1
        for person in result.present:
            totals[person.pk].present += 1
        for person, _reason in result.on_leave:
            totals[person.pk].on_leave += 1
        for person in [*result.absent, *result.unrecorded]:
            totals[person.pk].absent += 1
    return totals


def member_year(branch: Organisation, year: int, *, until: date | None = None) -> list[tuple[Person, Tally]]:
    """Each current member of the branch, in stroke order, with their attendance over the year.

    Counts the records of the branch and its groups held up to `until` (default today): a planned meeting
    has no attendance yet.
    """
    until = until or date.today()
    totals = tally(Activity.objects.in_subtree(branch).in_year(year).held(until))
    members = Person.objects.filter(branch=branch, category__in=MEMBER_CATEGORIES)
    return [(person, totals.get(person.pk, Tally())) for person in sorted(members, key=lambda p: stroke_key(p.name))]
