"""Membership over time: who belonged where on which day, and the one writer of a person's placement.

A person's membership is a sequence of `MembershipPeriod`s (branch, 党小组, start, end — the end day not
included) opened and closed by `MembershipEvent`s: 转入, 转出, 内部转接, 出党, 停止党籍, 恢复党籍, 死亡. The
events 外出流动/流动返回 and 失联/恢复联系 mark a state while the person stays in their branch.

`Person.branch` / `Person.group` are the current placement, kept equal to the open period (or to the last
period for someone who has left the unit) by this module alone: `_place` writes them, and saving a Person with
another branch or group is refused with `MembershipError` — a move always has a date, so it goes through
`record_event` (or `send_internal` / `accept_internal`).

Someone registered without any event (every person before periods existed, and every person added through the
forms or sheet 党员) has one initial period, opened on their 入党日期, or for people in development on the date
they applied (the earliest stage date they carry; the day of registration when they carry none).

Figures at a date read the periods, never Person.branch:

- `members_on(orgs, day)`: the party members in those organisations' subtrees on that day;
- `people_on(orgs, day)`: everyone placed there that day, people in development included;
- `Placements`: the periods of a subtree loaded once, to answer "was this person there on that day" for many
  records without a query each (used by the attendance figures).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Iterable

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from zhibu.lib.dates import add_months
from zhibu.orgs.models import (
    FINAL_KINDS,
    LEAVING_KINDS,
    MEMBER_CATEGORIES,
    STATE_KINDS,
    Category,
    EventKind,
    EventState,
    Exemption,
    MembershipEvent,
    MembershipPeriod,
    Organisation,
    OrgKind,
    Person,
)

# 介绍信 validity when the branch sets none (months).
DEFAULT_LETTER_MONTHS = 3


class MembershipError(ValueError):
    """A membership change that cannot be made; the message says why and how to fix it, in Chinese."""


# ---- the unit's organisations -----------------------------------------------------------------------------

def _orgs(orgs) -> list[Organisation]:
    if isinstance(orgs, Organisation):
        return [orgs]
    return list(orgs)


def _period_condition(orgs: list[Organisation], prefix: str = "") -> Q:
    """Periods in these organisations' subtrees. A period's branch is a 党支部, whose subtree holds only its
    groups, so branches and groups are matched by id (one IN each) and only committees by path: the condition
    stays small for a thousand branches (SQLite refuses an expression of a thousand ORs)."""
    groups = [org.pk for org in orgs if org.kind == OrgKind.GROUP]
    branches = [org.pk for org in orgs if org.kind == OrgKind.BRANCH]
    condition = Q(pk__in=[])
    if groups:
        condition |= Q(**{f"{prefix}group_id__in": groups})
    if branches:
        condition |= Q(**{f"{prefix}branch_id__in": branches})
    for org in orgs:
        if org.kind not in (OrgKind.GROUP, OrgKind.BRANCH):
            condition |= Q(**{f"{prefix}branch__path__startswith": org.path})
    return condition


def unit_of(org: Organisation) -> str:
    """The path of the top organisation of the tree `org` is in: two organisations with the same are one unit."""
    return org.path[: Organisation.steplen]


# ---- reading: who was where on a day ----------------------------------------------------------------------

def periods_on(orgs, day: date) -> QuerySet[MembershipPeriod]:
    """The periods in those organisations' subtrees (a 党小组: its own periods) that cover `day`."""
    return MembershipPeriod.objects.filter(_period_condition(_orgs(orgs)), start__lte=day).filter(
        Q(end__isnull=True) | Q(end__gt=day)
    )


def people_on(orgs, day: date) -> QuerySet[Person]:
    """Everyone placed in those organisations' subtrees on `day` (people in development included)."""
    return Person.objects.filter(pk__in=periods_on(orgs, day).values("person_id"))


def members_on(orgs, day: date) -> QuerySet[Person]:
    """The party members (正式党员 and 预备党员, admitted by `day`) in those organisations' subtrees on `day`.

    `orgs` is one Organisation or several; a committee counts everyone below it, a branch its groups too, a
    党小组 its own members. Someone who moved in July is in the old branch's roster up to the day before the
    move and in the new branch's from that day on; someone who left (转出, 出党, 停止党籍, 死亡) is counted up
    to the day before. Returns a QuerySet, so counts and filters stay in the database:
    ``members_on(branch, date(2025, 12, 31)).count()`` is the "截止2025年年底，党员*名" figure.
    """
    return people_on(orgs, day).filter(category__in=MEMBER_CATEGORIES, admitted_on__lte=day)


def probationary_q(day: date) -> Q:
    """A 预备党员 on `day`, among members_on: so categorised, or a 正式党员 whose 转正 came later. The one
    definition the roster figures, the 党内统计 tables and the 7-full-member threshold share."""
    return Q(category=Category.PROBATIONARY) | Q(category=Category.FULL, full_on__gt=day)


def full_members_on(orgs, day: date) -> QuerySet[Person]:
    """The 正式党员 among members_on (转正 by `day`)."""
    return members_on(orgs, day).exclude(probationary_q(day))


def roster_figures(org: Organisation, day: date) -> dict[str, int]:
    """The roster figures a report quotes for `org` at `day` (e.g. 31 December): 党员, 正式党员, 预备党员."""
    counts = members_on(org, day).aggregate(total=Count("pk"), probationary=Count("pk", filter=probationary_q(day)))
    return {"党员": counts["total"], "正式党员": counts["total"] - counts["probationary"],
            "预备党员": counts["probationary"]}


def people_in_period(orgs, start: date, end: date) -> QuerySet[Person]:
    """Everyone with a period in those organisations overlapping [start, end] (both included)."""
    periods = MembershipPeriod.objects.filter(_period_condition(_orgs(orgs)), start__lte=end).filter(
        Q(end__isnull=True) | Q(end__gt=start)
    )
    return Person.objects.filter(pk__in=periods.values("person_id"))


def people_in_year(orgs, year: int) -> QuerySet[Person]:
    return people_in_period(orgs, date(year, 1, 1), date(year, 12, 31))


Span = tuple[date, date | None]  # start, end (not included; None: still open)


def covers(spans: Iterable[Span], day: date) -> bool:
    return any(start <= day and (end is None or day < end) for start, end in spans)


class Placements:
    """The periods (and exemptions) under some organisations, loaded once, for many "on that day" questions."""

    def __init__(self, orgs):
        self.orgs = _orgs(orgs)
        self.spans: dict[int, list[Span]] = defaultdict(list)
        for person_id, start, end in MembershipPeriod.objects.filter(_period_condition(self.orgs)).values_list(
            "person_id", "start", "end"
        ):
            self.spans[person_id].append((start, end))
        self.exempt: dict[int, list[Span]] = defaultdict(list)
        for person_id, start, end in Exemption.objects.filter(person_id__in=list(self.spans)).values_list(
            "person_id", "start", "end"
        ):
            self.exempt[person_id].append((start, end))

    def person_ids(self) -> set[int]:
        return set(self.spans)

    def there_on(self, person_id: int, day: date) -> bool:
        return covers(self.spans.get(person_id, ()), day)

    def exempt_on(self, person_id: int, day: date) -> bool:
        return covers(self.exempt.get(person_id, ()), day)


def is_due(person: Person, day: date, placements: Placements) -> bool:
    """The one rule for "due at a record of these organisations on `day`": a party member admitted by that day,
    placed there that day, and not exempted (第二十三条) on that day."""
    return (
        person.category in MEMBER_CATEGORIES
        and person.admitted_on is not None
        and person.admitted_on <= day
        and placements.there_on(person.pk, day)
        and not placements.exempt_on(person.pk, day)
    )


def spans_by_branch(branch_ids: Iterable[int], start: date, end: date) -> dict[int, dict[int, list[Span]]]:
    """branch id → person id → that person's spans in the branch, for periods overlapping [start, end]."""
    result: dict[int, dict[int, list[Span]]] = defaultdict(lambda: defaultdict(list))
    rows = MembershipPeriod.objects.filter(branch_id__in=list(branch_ids), start__lte=end).filter(
        Q(end__isnull=True) | Q(end__gt=start)
    ).values_list("branch_id", "person_id", "start", "end")
    for branch_id, person_id, span_start, span_end in rows:
        result[branch_id][person_id].append((span_start, span_end))
    return result


def history(person: Person) -> tuple[list[MembershipPeriod], list[MembershipEvent]]:
    periods = list(person.periods.select_related("branch", "group").order_by("start", "pk"))
    events = list(person.membership_events.select_related("org", "target").order_by("on", "pk"))
    return periods, events


def open_period(person: Person) -> MembershipPeriod | None:
    return MembershipPeriod.objects.filter(person=person, end__isnull=True).select_related("branch", "group").first()


def on_roll(person: Person) -> bool:
    """Whether the person is in the unit now (has an open period)."""
    return MembershipPeriod.objects.filter(person=person, end__isnull=True).exists()


def state_on(person: Person, day: date) -> dict[str, MembershipEvent | None]:
    """The 外出流动 and 失联 events in force on `day` (None when not away / not lost)."""
    result: dict[str, MembershipEvent | None] = {EventKind.AWAY: None, EventKind.LOST: None}
    for event in person.membership_events.filter(on__lte=day, state=EventState.DONE).order_by("on", "pk"):
        for start_kind, end_kind in STATE_KINDS.items():
            if event.kind == start_kind:
                result[start_kind] = event
            elif event.kind == end_kind:
                result[start_kind] = None
    return result


# ---- writing: the one writer of a person's placement ------------------------------------------------------

def registration_start(person: Person) -> date:
    """Where an initial period begins: the 入党日期, or the earliest development date, or today."""
    if person.category in MEMBER_CATEGORIES and person.admitted_on:
        return person.admitted_on
    dates = [d for d in (person.applied_on, person.activist_on, person.candidate_on, person.admitted_on) if d]
    return min(dates) if dates else date.today()


def _placement_period(person_id: int) -> MembershipPeriod | None:
    periods = MembershipPeriod.objects.filter(person_id=person_id)
    return periods.filter(end__isnull=True).first() or periods.order_by("-start", "-pk").first()


def _place(person: Person) -> None:
    """Write Person.branch / Person.group from the open (else the last) period — the only place that does."""
    period = _placement_period(person.pk)
    if period is None:
        return
    Person.objects.filter(pk=person.pk).update(branch_id=period.branch_id, group_id=period.group_id)
    person.branch_id, person.group_id = period.branch_id, period.group_id
    for cached in ("branch", "group"):
        person._state.fields_cache.pop(cached, None)


@receiver(pre_save, sender=Person, dispatch_uid="membership_guard_placement")
def _guard_placement(sender, instance: Person, raw=False, **kwargs):
    if raw or instance.pk is None:
        return
    period = _placement_period(instance.pk)
    if period is None:
        return
    if (instance.branch_id, instance.group_id) != (period.branch_id, period.group_id):
        raise MembershipError(
            f"{instance.name}的所在组织和党小组由组织关系记录决定，不能直接修改：请办理组织关系转接（内部转接）"
        )


@receiver(post_save, sender=Person, dispatch_uid="membership_register")
def _register(sender, instance: Person, created: bool, raw=False, **kwargs):
    """A person added without an event gets the initial period; its start follows their dates when corrected."""
    if raw:
        return
    periods = MembershipPeriod.objects.filter(person=instance)
    if created and not periods.exists():
        MembershipPeriod.objects.create(
            person=instance, branch_id=instance.branch_id, group_id=instance.group_id, start=registration_start(instance)
        )
        return
    first = periods.order_by("start", "pk").first()
    if first and first.opened_by_id is None and _carries_dates(instance):
        start = registration_start(instance)
        if start != first.start and (first.end is None or start < first.end):
            periods.filter(pk=first.pk).update(start=start)


def _carries_dates(person: Person) -> bool:
    return any((person.applied_on, person.activist_on, person.candidate_on, person.admitted_on))


@dataclass
class Change:
    """What a caller asks for; `record_event` checks it against the person's history and applies it."""

    kind: str
    on: date
    target: Organisation | None = None  # 内部转接, 转入, 恢复党籍: the branch or group joined
    other_party: str = ""
    exit_form: str = ""
    letter_number: str = ""
    letter_valid_until: date | None = None
    dues_paid_to: str = ""
    receipt_on: date | None = None
    reason: str = ""
    ref: str | None = None


def _branch_and_group(org: Organisation) -> tuple[Organisation, Organisation | None]:
    if org.kind == OrgKind.GROUP:
        return Organisation.objects.get_parent(org), org
    if org.kind == OrgKind.BRANCH:
        return org, None
    raise MembershipError(f"“{org.name}”是{org.kind}，组织关系只能落在党支部或党小组")


def target_problem(person_branch: Organisation | None, branch: Organisation | None, group: Organisation | None) -> str | None:
    """Why a 内部转接 to (branch, group) cannot be made, or None."""
    if branch is None:
        return "请选择转入的党支部"
    if branch.kind != OrgKind.BRANCH:
        return f"“{branch.name}”是{branch.kind}，不是党支部"
    if person_branch is not None and unit_of(branch) != unit_of(person_branch):
        return f"“{branch.name}”不在本单位；转到本单位以外请办理转出"
    if group is not None:
        if group.kind != OrgKind.GROUP:
            return f"“{group.name}”是{group.kind}，不是党小组"
        if Organisation.objects.get_parent(group).pk != branch.pk:
            return f"党小组“{group.name}”不属于{branch.name}，请核对党支部和党小组"
    return None


def check_change(person: Person, change: Change, *, today: date | None = None) -> str | None:
    """The Chinese reason the change cannot be made against the person's history, or None."""
    today = today or date.today()
    if change.kind not in EventKind.values:
        return f"变动类型“{change.kind}”无效，应为{'、'.join(EventKind.values)}"
    if change.on > today:
        return "日期不能晚于今天：只登记已经发生的变动"
    events = list(person.membership_events.filter(state=EventState.DONE).order_by("on", "pk"))
    final = next((e for e in events if e.kind in FINAL_KINDS), None)
    if final:
        return f"{person.name}已于{final.on:%Y-%m-%d}{final.kind}，之后不能再登记组织关系变动"
    if events and change.on < events[-1].on:
        last = events[-1]
        return (f"日期早于{person.name}最近一次变动（{last.on:%Y-%m-%d}{last.kind}），组织关系期间不能重叠："
                "请按时间顺序登记，或先更正那一次变动")
    if person.admitted_on and change.on < person.admitted_on and person.category in MEMBER_CATEGORIES:
        return f"日期早于{person.name}的入党日期（{person.admitted_on:%Y-%m-%d}），请核对日期"
    current = open_period(person)
    if change.kind in (EventKind.TRANSFER_IN, EventKind.RESTORED):
        if change.target is None:
            return "请填写转入的党支部或党小组"
        if current and not (change.kind == EventKind.TRANSFER_IN and _only_initial(person, current)):
            return f"{person.name}已在{current.branch.name}（{current.start:%Y-%m-%d}起），本单位内调动请登记内部转接"
        if change.kind == EventKind.RESTORED and not (events and events[-1].kind == EventKind.SUSPENDED):
            return f"{person.name}没有停止党籍的记录，不能恢复党籍"
        if change.kind == EventKind.TRANSFER_IN and not change.other_party:
            return "转入请填写对方组织（介绍信上的原组织）"
        return None
    if current is None:
        return f"{person.name}目前不在本单位任何党组织，不能登记{change.kind}"
    if change.kind in LEAVING_KINDS or change.kind == EventKind.INTERNAL:
        if change.on <= current.start:
            return f"日期应晚于{person.name}进入{current.branch.name}的日期（{current.start:%Y-%m-%d}）"
    if change.kind == EventKind.INTERNAL:
        branch, group = (_branch_and_group(change.target) if change.target else (None, None))
        problem = target_problem(current.branch, branch, group)
        if problem:
            return problem
        if (branch.pk, group.pk if group else None) == (current.branch_id, current.group_id):
            return f"{person.name}已在{(group or branch).name}，无需转接"
    if change.kind == EventKind.TRANSFER_OUT and not change.other_party:
        return "转出请填写对方组织（接收组织关系的党组织）"
    if change.kind == EventKind.EXPELLED and not change.exit_form:
        return "出党请填写出党方式：自行脱党、除名、开除党籍或退党"
    if change.receipt_on and change.receipt_on < change.on:
        return f"回执日期（{change.receipt_on:%Y-%m-%d}）不能早于介绍信开具日期（{change.on:%Y-%m-%d}）"
    if change.receipt_on and change.receipt_on > today:
        return "回执日期不能晚于今天"
    if change.kind in STATE_KINDS.values():
        start_kind = next(k for k, v in STATE_KINDS.items() if v == change.kind)
        if state_on(person, change.on)[start_kind] is None:
            return f"{person.name}没有{start_kind}的记录，不能登记{change.kind}"
    if change.kind in STATE_KINDS and state_on(person, change.on)[change.kind] is not None:
        return f"{person.name}已是{change.kind}状态"
    if change.kind == EventKind.AWAY and not change.other_party:
        return "外出流动请填写流入地党组织"
    return None


def _only_initial(person: Person, period: MembershipPeriod) -> bool:
    """The person carries only the initial registration (no event yet): a 转入 then says when they really came."""
    return period.opened_by_id is None and not person.membership_events.exists() and person.periods.count() == 1


@transaction.atomic
def record_event(person: Person, change: Change, *, today: date | None = None) -> MembershipEvent:
    """Check and apply one change; raises MembershipError (nothing written) when it cannot be made."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    problem = check_change(person, change, today=today)
    if problem:
        raise MembershipError(problem)
    current = open_period(person)
    org = current.group or current.branch if current else None
    if change.kind in (EventKind.TRANSFER_IN, EventKind.RESTORED):
        org = change.target
    if change.kind == EventKind.TRANSFER_OUT and not change.letter_valid_until:
        change.letter_valid_until = add_months(change.on, DEFAULT_LETTER_MONTHS)
    event = MembershipEvent.objects.create(
        person=person, kind=change.kind, on=change.on, org=org,
        target=change.target if change.kind == EventKind.INTERNAL else None,
        other_party=change.other_party, exit_form=change.exit_form, letter_number=change.letter_number,
        letter_valid_until=change.letter_valid_until, dues_paid_to=change.dues_paid_to, receipt_on=change.receipt_on,
        reason=change.reason, ref=change.ref or None,
    )
    if change.kind == EventKind.TRANSFER_OUT and not event.letter_number:
        event.letter_number = letter_number_for(event)
        event.save(update_fields=["letter_number"])
    _apply(person, event, current)
    return event


def _apply(person: Person, event: MembershipEvent, current: MembershipPeriod | None) -> None:
    if event.kind in (EventKind.TRANSFER_IN, EventKind.RESTORED):
        if current is not None:  # only the initial registration: the 转入 says when the person came
            current.delete()
        branch, group = _branch_and_group(event.org)
        MembershipPeriod.objects.create(person=person, branch=branch, group=group, start=event.on, opened_by=event)
    elif event.kind in LEAVING_KINDS:
        _close(current, event)
    elif event.kind == EventKind.INTERNAL:
        _close(current, event)
        branch, group = _branch_and_group(event.target)
        MembershipPeriod.objects.create(person=person, branch=branch, group=group, start=event.on, opened_by=event)
    _place(person)


def _close(period: MembershipPeriod, event: MembershipEvent) -> None:
    period.end = event.on
    period.closed_by = event
    period.save(update_fields=["end", "closed_by"])


def letter_number_for(event: MembershipEvent) -> str:
    """组织关系介绍信 number: year and a sequence within the sending unit, e.g. 2026-003."""
    same_year = MembershipEvent.objects.filter(kind=EventKind.TRANSFER_OUT, on__year=event.on.year, pk__lte=event.pk)
    return f"{event.on.year}-{same_year.count():03d}"


@transaction.atomic
def record_receipt(event: MembershipEvent, on: date, *, today: date | None = None) -> None:
    today = today or date.today()
    if event.kind != EventKind.TRANSFER_OUT:
        raise MembershipError("只有转出的介绍信有回执")
    if on < event.on:
        raise MembershipError(f"回执日期（{on:%Y-%m-%d}）不能早于介绍信开具日期（{event.on:%Y-%m-%d}）")
    if on > today:
        raise MembershipError("回执日期不能晚于今天")
    event.receipt_on = on
    event.save(update_fields=["receipt_on"])


# ---- 内部转接: sent by one branch, accepted by the other ---------------------------------------------------

@transaction.atomic
def send_internal(person: Person, target: Organisation, on: date, *, reason: str = "", today: date | None = None) -> MembershipEvent:
    """A 内部转接 sent by the person's branch: pending (待接收) until the receiving branch accepts it."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    change = Change(EventKind.INTERNAL, on, target=target, reason=reason)
    problem = check_change(person, change, today=today)
    if problem:
        raise MembershipError(problem)
    if pending_internal(person):
        raise MembershipError(f"{person.name}已有一份待接收的内部转接，请等对方接收或先撤回")
    current = open_period(person)
    return MembershipEvent.objects.create(
        person=person, kind=EventKind.INTERNAL, on=on, org=current.group or current.branch, target=target,
        reason=reason, state=EventState.PENDING,
    )


def pending_internal(person: Person) -> MembershipEvent | None:
    return person.membership_events.filter(kind=EventKind.INTERNAL, state=EventState.PENDING).first()


def pending_for(orgs) -> QuerySet[MembershipEvent]:
    """内部转接 waiting for these organisations (their subtrees) to accept."""
    condition = Q(pk__in=[])
    for org in _orgs(orgs):
        condition |= Q(target__path__startswith=org.path)
    return MembershipEvent.objects.filter(condition, kind=EventKind.INTERNAL, state=EventState.PENDING).select_related(
        "person", "org", "target"
    )


@transaction.atomic
def accept_internal(event: MembershipEvent, *, today: date | None = None) -> None:
    """The receiving branch accepts: the move takes effect on the date it was sent with."""
    event = MembershipEvent.objects.select_for_update().get(pk=event.pk)
    if event.state != EventState.PENDING:
        raise MembershipError("这份内部转接已经办结")
    person = event.person
    event.state = EventState.DONE  # checked as done, after the others
    problem = check_change(person, Change(EventKind.INTERNAL, event.on, target=event.target), today=today)
    if problem:
        raise MembershipError(problem)
    event.accepted_on = today or date.today()
    event.save(update_fields=["state", "accepted_on"])
    _apply(person, event, open_period(person))


@transaction.atomic
def withdraw_internal(event: MembershipEvent) -> None:
    if event.state != EventState.PENDING:
        raise MembershipError("这份内部转接已经办结，不能撤回")
    event.delete()


def letters_overdue(orgs, today: date) -> QuerySet[MembershipEvent]:
    """转出 letters of these organisations past their validity with no 回执."""
    condition = Q(pk__in=[])
    for org in _orgs(orgs):
        condition |= Q(org__path__startswith=org.path)
    return MembershipEvent.objects.filter(
        condition, kind=EventKind.TRANSFER_OUT, receipt_on__isnull=True, letter_valid_until__lt=today
    ).select_related("person", "org")


def letters_awaiting(orgs) -> QuerySet[MembershipEvent]:
    condition = Q(pk__in=[])
    for org in _orgs(orgs):
        condition |= Q(org__path__startswith=org.path)
    return MembershipEvent.objects.filter(condition, kind=EventKind.TRANSFER_OUT, receipt_on__isnull=True).select_related(
        "person", "org"
    )


def moves_in_year(branch: Organisation, year: int) -> tuple[list[MembershipPeriod], list[MembershipPeriod]]:
    """(arrivals, departures) of a branch in a year: periods opened by an event, and periods closed, that year."""
    periods = MembershipPeriod.objects.filter(branch=branch).select_related(
        "person", "opened_by__org", "closed_by__target", "group")
    arrivals = list(periods.filter(start__year=year, opened_by__isnull=False).order_by("start"))
    departures = list(periods.filter(end__year=year).order_by("end"))
    return arrivals, departures


# ---- dues months ---------------------------------------------------------------------------------------------

def periods_of(person_ids: Iterable[int]) -> dict[int, list[tuple[int, date, date | None]]]:
    """Person id → their periods as (branch id, start, end), in one query."""
    result: dict[int, list[tuple[int, date, date | None]]] = defaultdict(list)
    chosen = person_ids if isinstance(person_ids, QuerySet) else list(person_ids)
    for person_id, branch_id, start, end in MembershipPeriod.objects.filter(person_id__in=chosen).order_by(
        "start"
    ).values_list("person_id", "branch_id", "start", "end"):
        result[person_id].append((branch_id, start, end))
    return result


def month_is_due(month: str, admitted_on: date, periods: list[tuple[int, date, date | None]], branch_id: int | None = None) -> bool:
    """Whether dues for `month` ("2025-07") are owed (at `branch_id`, when given).

    A month is owed where the person was on its first day — so after a move on 15 July the old branch collects
    July and the new one from August, and a member who died in March owes March — and the month of admission
    is owed where they were admitted (2008 规定: probationary members pay from the meeting that admitted them).
    """
    year, number = int(month[:4]), int(month[5:7])
    first = date(year, number, 1)
    for period_branch, start, end in periods:
        if branch_id is not None and period_branch != branch_id:
            continue
        if start <= first and (end is None or first < end):
            return True
        if (admitted_on.year, admitted_on.month) == (year, number) and start <= admitted_on and (end is None or admitted_on < end):
            return True
    return False


# ---- reminders at the edges (党员教育管理工作条例 第二十四条) ---------------------------------------------------

LOST_MONTHS = 6  # 失去联系满6个月: 停止党籍
SUSPENDED_YEARS = 2  # 停止党籍满2年仍无法取得联系: 除名


@dataclass
class Reminder:
    person: Person
    branch: Organisation
    tag: str
    message: str
    since: date


def reminders(branches: Iterable[Organisation], today: date) -> list[Reminder]:
    """Members lost for 6 months (停止党籍 due) and suspended for 2 years (除名 due), in these branches."""
    branches = list(branches)
    by_pk = {b.pk: b for b in branches}
    found: list[Reminder] = []
    events = MembershipEvent.objects.filter(state=EventState.DONE).filter(
        Q(person__periods__branch__in=branches)
    ).distinct().select_related("person", "org").order_by("person_id", "on", "pk")
    last: dict[int, MembershipEvent] = {}
    lost: dict[int, MembershipEvent | None] = {}
    for event in events:
        last[event.person_id] = event
        if event.kind == EventKind.LOST:
            lost[event.person_id] = event
        elif event.kind == EventKind.FOUND:
            lost[event.person_id] = None
    for person_id, event in last.items():
        branch = by_pk.get((event.org.branch() or event.org).pk)
        if branch is None:
            continue
        if event.kind == EventKind.SUSPENDED and add_months(event.on, 12 * SUSPENDED_YEARS) <= today:
            found.append(Reminder(event.person, branch, "除名", (
                f"{event.on:%Y-%m-%d}停止党籍已满{SUSPENDED_YEARS}年，仍无法取得联系的应予除名（党员教育管理工作条例第二十四条）"),
                event.on))
            continue
        lost_event = lost.get(person_id)
        if lost_event and event.kind not in LEAVING_KINDS and add_months(lost_event.on, LOST_MONTHS) <= today:
            found.append(Reminder(lost_event.person, branch, "停止党籍", (
                f"自{lost_event.on:%Y-%m-%d}失去联系已满{LOST_MONTHS}个月，应停止党籍（党员教育管理工作条例第二十四条）"),
                lost_event.on))
    return sorted(found, key=lambda r: r.since)


def letters_overdue_for(orgs: QuerySet[Organisation], today: date) -> QuerySet[MembershipEvent]:
    """letters_overdue for a queryset of organisations (e.g. a login's managed ones)."""
    return MembershipEvent.objects.filter(
        org__in=orgs, kind=EventKind.TRANSFER_OUT, receipt_on__isnull=True, letter_valid_until__lt=today
    ).select_related("person", "org").order_by("letter_valid_until")


def pending_to(orgs: QuerySet[Organisation]) -> QuerySet[MembershipEvent]:
    """内部转接 waiting for one of these organisations to accept."""
    return MembershipEvent.objects.filter(target__in=orgs, kind=EventKind.INTERNAL, state=EventState.PENDING).select_related(
        "person", "org", "target"
    ).order_by("on")
