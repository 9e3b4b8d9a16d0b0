"""Attendance figures: 应到 (due), 实到 (present) and 出席率, per record and per member per year.

Who is due at a record (应到):

- the circle its type names (ActivityType.expected):
  - 全体党员: the party members (正式党员 and 预备党员) of the record's organisation: for a 党小组 the
    group's members, for a 党支部 the whole branch (its groups included), for a committee everyone below it;
  - 支部委员: the committee of the record's branch (书记, 副书记, 组织、宣传、纪检委员) — a 支委会's
    quorum counts against the committee, not against the branch;
  - 按名单: nobody beyond the record's own list (a talk between two people, the volunteers who went);
  and of that circle only those who, on the record's day, were party members (入党日期 on or before it),
  belonged to the organisation (their membership period there covers the day: someone who moved in July is
  due at the old branch's meetings until July and at the new branch's after) and were not exempted
  (第二十三条, old and frail members); the rule is `zhibu.orgs.membership.is_due`, the one definition used by
  the attendance figures, the points and the participation rules;
- plus every party member on the record's own list (出席/请假/缺席), such as someone listed by name on a
  按名单 record — except an exempted member who did not come.

A member due but missing from the list counts as not present (未登记): a record imported with only its 出席
column therefore shows the rest as absent, which is what an inspector reading the ledger would conclude too.

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
from zhibu.orgs import membership
from zhibu.orgs.models import COMMITTEE_POSTS, MEMBER_CATEGORIES, Organisation, Person
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
    """The people placed under organisations at some time, with their periods, each loaded once however many
    records ask."""

    def __init__(self):
        self._placements: dict[int, membership.Placements] = {}
        self._people: dict[int, list[Person]] = {}

    def placements(self, org: Organisation) -> membership.Placements:
        if org.pk not in self._placements:
            placements = membership.Placements(org)
            self._placements[org.pk] = placements
            self._people[org.pk] = list(
                Person.objects.filter(pk__in=placements.person_ids(), category__in=MEMBER_CATEGORIES).prefetch_related("posts")
            )
        return self._placements[org.pk]

    def members(self, org: Organisation) -> list[Person]:
        """The party members in `org` now (an open period there); who was due on a day is `due_on`."""
        placements = self.placements(org)
        return [p for p in self._people[org.pk] if any(end is None for _start, end in placements.spans[p.pk])]

    def due_on(self, org: Organisation, day: date) -> list[Person]:
        placements = self.placements(org)
        return [p for p in self._people[org.pk] if membership.is_due(p, day, placements)]

    def circle(self, activity: Activity) -> list[Person]:
        """The people due by the type's rule alone, before the record's own list is added."""
        circle = activity.type.expected
        if circle == Expected.LISTED or not activity.type.takes_attendance:
            return []
        if circle == Expected.COMMITTEE:
            branch = activity.org.branch() or activity.org
            return [p for p in self.due_on(branch, activity.date) if any(post.post in COMMITTEE_POSTS for post in p.posts.all())]
        return self.due_on(activity.org, activity.date)

    def exempt_on(self, activity: Activity, person: Person) -> bool:
        return self.placements(activity.org).exempt_on(person.pk, activity.date)


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
            if row.status != Status.PRESENT and rosters.exempt_on(activity, row.person):
                continue  # 第二十三条: an exempted member who did not come is not counted
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
    """Each member who belonged to the branch during the year (up to `until`), in stroke order, with their
    attendance over the year.

    Counts the records of the branch and its groups held up to `until` (default today): a planned meeting
    has no attendance yet. Someone who moved in or out during the year is listed with the records of their
    own time here.
    """
    until = until or date.today()
    totals = tally(Activity.objects.in_subtree(branch).in_year(year).held(until))
    end = min(until, date(year, 12, 31))
    members = membership.people_in_period(branch, date(year, 1, 1), end).filter(
        category__in=MEMBER_CATEGORIES, admitted_on__lte=end
    )
    return [(person, totals.get(person.pk, Tally())) for person in sorted(members, key=lambda p: stroke_key(p.name))]
