"""A member's points for a year, computed from the records every time (never stored).

`compute` is a pure function: a scheme's terms, the member's attendance events, their adjustments and any
veto in, a Statement out. Each line of the statement is one record or adjustment with its points, so the
total can be checked by hand: base + the lines = subtotal; the subtotal held within the floor and cap; a
veto sets the year to 0.

Attendance events come from zhibu.records.attendance.figures, the same figures as 出勤统计: a member is
counted at every record they were due at (their group's, their branch's, a committee's above them whose
circle includes them) or listed on. Due but not on the list (未登记) counts as absent without leave, as it
does in the attendance figures: an inspector reading the record would conclude the same.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Iterable, Protocol

from django.db.models import Q

from zhibu.lib.strokes import stroke_key
from zhibu.orgs import membership
from zhibu.orgs.models import MEMBER_CATEGORIES, Organisation, Person
from zhibu.points.models import PointAdjustment, PointScheme, PointVeto
from zhibu.records.attendance import Rosters, figures, with_attendance
from zhibu.records.models import Activity, Attendance, Status


@dataclass(frozen=True)
class Terms:
    """What a scheme says, detached from the database: base, limits, type id → (出席, 请假, 缺席)."""

    name: str
    base: Decimal
    floor: Decimal | None
    cap: Decimal | None
    rules: dict[int, tuple[Decimal, Decimal, Decimal]]
    is_example: bool = False
    scheme_id: int | None = None

    def points(self, type_id: int, status: str) -> Decimal:
        present, leave, absent = self.rules[type_id]
        return {Status.PRESENT: present, Status.LEAVE: leave, Status.ABSENT: absent}[status]

    @classmethod
    def of(cls, scheme: PointScheme) -> "Terms":
        return cls(scheme.name, scheme.base, scheme.floor, scheme.cap,
                   {rule.activity_type_id: (rule.present, rule.leave, rule.absent) for rule in scheme.rules.all()},
                   scheme.is_example, scheme.pk)


@dataclass(frozen=True)
class Event:
    """One record a member was due at or listed on, and how they took part."""

    day: date
    activity_id: int
    type_id: int
    type_name: str
    subject: str
    status: str  # Status value
    unrecorded: bool = False  # due but not on the record's list: counts as 缺席


class AdjustmentLike(Protocol):
    pk: int
    date: date
    points: Decimal
    reason: str


class VetoLike(Protocol):
    date: date
    reason: str


@dataclass(frozen=True)
class Line:
    day: date
    description: str
    points: Decimal
    activity_id: int | None = None
    adjustment_id: int | None = None
    status: str = ""  # 出席/请假/缺席 for a record's line

    @property
    def is_adjustment(self) -> bool:
        return self.adjustment_id is not None


@dataclass
class Statement:
    year: int
    terms: Terms | None
    lines: list[Line] = field(default_factory=list)
    veto: VetoLike | None = None

    @property
    def base(self) -> Decimal:
        return self.terms.base if self.terms else Decimal(0)

    @property
    def added(self) -> Decimal:
        return sum((line.points for line in self.lines if line.points > 0), Decimal(0))

    @property
    def deducted(self) -> Decimal:
        return sum((line.points for line in self.lines if line.points < 0), Decimal(0))

    @property
    def subtotal(self) -> Decimal:
        return self.base + self.added + self.deducted

    @property
    def limited(self) -> Decimal:
        """The subtotal held within the scheme's floor and cap."""
        value = self.subtotal
        if self.terms and self.terms.floor is not None and value < self.terms.floor:
            return self.terms.floor
        if self.terms and self.terms.cap is not None and value > self.terms.cap:
            return self.terms.cap
        return value

    @property
    def limit_note(self) -> str:
        if self.limited == self.subtotal:
            return ""
        word = "最低分" if self.limited > self.subtotal else "最高分"
        return f"小计{points_text(self.subtotal)}，按{word}{points_text(self.limited)}计"

    @property
    def total(self) -> Decimal:
        return Decimal(0) if self.veto else self.limited

    def counts(self) -> dict[str, int]:
        """How many attendance lines of each status, for the summary (出席 3 次 …)."""
        result = {status: 0 for status in Status.values}
        for line in self.lines:
            if line.status:
                result[line.status] += 1
        return result


def points_text(value: Decimal) -> str:
    """60, 1.5, -2: without a trailing .0."""
    text = f"{value.normalize():f}" if value == value.to_integral_value() else f"{value:f}"
    return "0" if text in ("-0", "0") else text


def signed_points(value: Decimal) -> str:
    return ("+" if value > 0 else "") + points_text(value)


def compute(terms: Terms | None, year: int, events: Iterable[Event], adjustments: Iterable[AdjustmentLike],
            veto: VetoLike | None = None) -> Statement:
    """The statement for one member and year; events of types the scheme has no rule for are left out."""
    statement = Statement(year, terms, veto=veto)
    if terms is None:
        return statement
    lines = []
    for event in events:
        if event.type_id not in terms.rules:
            continue
        status = f"{event.status}（未登记）" if event.unrecorded else event.status
        description = f"{event.type_name}{'“' + event.subject + '”' if event.subject else ''}：{status}"
        lines.append(Line(event.day, description, terms.points(event.type_id, event.status),
                          activity_id=event.activity_id, status=event.status))
    for adjustment in adjustments:
        lines.append(Line(adjustment.date, f"积分调整：{adjustment.reason}", adjustment.points, adjustment_id=adjustment.pk))
    statement.lines = sorted(lines, key=lambda line: (line.day, line.is_adjustment, line.adjustment_id or 0, line.activity_id or 0))
    return statement


# Loading from the database -------------------------------------------------------------------------------

def _records_concerning(branch: Organisation, people_ids: list[int], year: int, until: date, type_ids) -> Iterable[Activity]:
    """Records of the year up to `until` of the given types where these people may be due or listed.

    The branch's own records and its groups', those of the committees above it (a 党课 for a whole 机关党委),
    and any record listing one of them (someone who moved branch during the year).
    """
    ancestors = [branch.path[:end] for end in range(Organisation.steplen, len(branch.path), Organisation.steplen)]
    # Two indexed subqueries rather than one OR across the attendance join, which made the database read every
    # record of the unit with its roll (a branch's ranking grew with the number of branches).
    by_org = Activity.objects.filter(Q(org__path__startswith=branch.path) | Q(org__path__in=ancestors)).values("pk")
    by_roll = Attendance.objects.filter(person_id__in=people_ids).values("activity_id")
    records = Activity.objects.filter(Q(pk__in=by_org) | Q(pk__in=by_roll)).in_year(year).held(until).filter(type_id__in=type_ids)
    return with_attendance(records.filter(type__takes_attendance=True).order_by("date", "pk"))


def attendance_events(branch: Organisation, people_ids: list[int], year: int, until: date, type_ids) -> dict[int, list[Event]]:
    """Person id → their Events at the records concerning them (see _records_concerning)."""
    wanted = set(people_ids)
    events: dict[int, list[Event]] = defaultdict(list)
    rosters = Rosters()
    for activity in _records_concerning(branch, people_ids, year, until, list(type_ids)):
        result = figures(activity, rosters)

        def add(person, status, unrecorded=False):
            if person.pk in wanted:
                events[person.pk].append(Event(activity.date, activity.pk, activity.type_id, activity.type.name,
                                               activity.subject, status, unrecorded))

        for person in result.present:
            add(person, Status.PRESENT)
        for person, _reason in result.on_leave:
            add(person, Status.LEAVE)
        for person in result.absent:
            add(person, Status.ABSENT)
        for person in result.unrecorded:
            add(person, Status.ABSENT, unrecorded=True)
    return events


def statements_for(branch: Organisation, people: list[Person], year: int, today: date) -> dict[int, Statement]:
    """Person id → Statement for these people of one branch, in a fixed number of queries."""
    scheme = PointScheme.for_org(branch, year)
    terms = Terms.of(scheme) if scheme else None
    ids = [person.pk for person in people]
    until = min(today, date(year, 12, 31))
    events = attendance_events(branch, ids, year, until, terms.rules) if terms and terms.rules else {}
    adjustments = defaultdict(list)
    for adjustment in PointAdjustment.objects.filter(person_id__in=ids, date__year=year):
        adjustments[adjustment.person_id].append(adjustment)
    vetoes = {veto.person_id: veto for veto in PointVeto.objects.filter(person_id__in=ids, year=year)}
    return {
        person.pk: compute(terms, year, events.get(person.pk, []), adjustments[person.pk], vetoes.get(person.pk))
        for person in people
    }


def member_statement(person: Person, year: int, today: date) -> Statement:
    # The branch read afresh: its tree path (which the record queries match on) changes when a sibling
    # that sorts first is added, and a Person loaded earlier would still carry the old one.
    return statements_for(Organisation.objects.get(pk=person.branch_id), [person], year, today)[person.pk]


@dataclass(frozen=True)
class RankRow:
    rank: int
    person: Person
    statement: Statement


def branch_ranking(branch: Organisation, year: int, today: date) -> list[RankRow]:
    """The branch's members during the year by total points, highest first; equal totals share a rank (1, 1, 3)."""
    members = list(membership.people_in_year(branch, year).filter(
        category__in=MEMBER_CATEGORIES, admitted_on__lte=date(year, 12, 31)).select_related("group"))
    statements = statements_for(branch, members, year, today)
    ordered = sorted(members, key=lambda p: (-statements[p.pk].total, stroke_key(p.name)))
    rows, previous_total, rank = [], None, 0
    for position, person in enumerate(ordered, start=1):
        total = statements[person.pk].total
        if total != previous_total:
            rank, previous_total = position, total
        rows.append(RankRow(rank, person, statements[person.pk]))
    return rows
