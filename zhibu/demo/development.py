"""Demo step: dated records for everyone in development, with one overdue talk and one probation about to end."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal


from zhibu.development.pipeline import StepEntry, record_step
from zhibu.lib.dates import add_months
from zhibu.orgs.models import Category, Organisation, OrgKind, Person

HALF_YEAR = 6


def _record(person: Person, today: date, number: int, day: date, **extra) -> None:
    if day <= today:
        record_step(person, StepEntry(step=number, date=day, **extra), today=today)


def _application(person: Person, today: date, rng: random.Random) -> None:
    _record(person, today, 1, person.applied_on)
    _record(person, today, 2, person.applied_on + timedelta(days=rng.randrange(5, 26)), note="支部组织委员谈话")


def _activist(person: Person, today: date, rng: random.Random, until: date, contact: str) -> None:
    start = person.activist_on
    _record(person, today, 3, start, note="支部委员会研究确定")
    _record(person, today, 4, start + timedelta(days=rng.randrange(5, 15)))
    _record(person, today, 5, start + timedelta(days=rng.randrange(15, 25)), note=contact)
    assessment = add_months(start, HALF_YEAR)
    while assessment <= min(until, today):
        _record(person, today, 6, assessment, note="半年考察合格")
        assessment = add_months(assessment, HALF_YEAR)


def _candidate(person: Person, today: date, rng: random.Random, sponsors: str, trained: bool) -> None:
    start = person.candidate_on
    _record(person, today, 7, start, note="支部委员会讨论确定")
    _record(person, today, 8, start + timedelta(days=rng.randrange(5, 15)))
    _record(person, today, 9, start + timedelta(days=rng.randrange(15, 25)), note=sponsors)
    _record(person, today, 10, start + timedelta(days=rng.randrange(30, 50)), note="政治审查合格")
    if trained:
        _record(person, today, 11, start + timedelta(days=rng.randrange(55, 70)), training_days=Decimal(3), note="机关党委发展对象培训班")


def _admission(person: Person, today: date, rng: random.Random, admitted: date) -> None:
    for number, days_before in ((12, 30), (13, 20), (14, 10)):
        _record(person, today, number, admitted - timedelta(days=days_before))
    _record(person, today, 15, admitted, note="应到有表决权正式党员全部到会，全票通过")
    _record(person, today, 16, admitted + timedelta(days=20), note="机关党委组织员谈话")
    _record(person, today, 17, admitted + timedelta(days=40))
    _record(person, today, 18, admitted + timedelta(days=50))
    _record(person, today, 19, admitted + timedelta(days=45))
    _record(person, today, 20, admitted + timedelta(days=60), note="七一集中宣誓")
    assessment = add_months(admitted, HALF_YEAR)
    while assessment <= today:
        _record(person, today, 21, assessment, note="半年考察")
        assessment = add_months(assessment, HALF_YEAR)


def _conversion_due_soon(person: Person, today: date) -> None:
    """Move one probationary member's dates so that probation ends in ten days: 转正 is due."""
    admitted = add_months(today + timedelta(days=10), -12)
    person.admitted_on = admitted
    person.applied_on = admitted - timedelta(days=900)
    person.activist_on = person.applied_on + timedelta(days=120)
    person.candidate_on = person.activist_on + timedelta(days=400)
    person.save()


def build_development(rng: random.Random, today: date, orgs: dict[str, Organisation]) -> None:
    overdue_talk_done = conversion_due_done = False
    for branch in (org for org in orgs.values() if org.kind == OrgKind.BRANCH):
        full_names = list(Person.objects.filter(branch=branch, category=Category.FULL).order_by("id").values_list("name", flat=True))
        sponsors = "、".join(full_names[-2:])  # the last two full members introduce, the last one also guides
        pipeline = Person.objects.filter(
            branch=branch, category__in=[Category.APPLICANT, Category.ACTIVIST, Category.CANDIDATE, Category.PROBATIONARY]
        ).order_by("id")
        for index, person in enumerate(pipeline):
            category = person.category
            if category == Category.APPLICANT and not overdue_talk_done:
                # Applied 40 days ago and nobody has talked with them yet: the one-month rule is broken.
                person.applied_on = today - timedelta(days=40)
                person.save(update_fields=["applied_on"])
                _record(person, today, 1, person.applied_on)
                overdue_talk_done = True
                continue
            if category == Category.PROBATIONARY and not conversion_due_done:
                _conversion_due_soon(person, today)
                conversion_due_done = True
            admitted = person.admitted_on
            _application(person, today, rng)
            if category == Category.APPLICANT:
                continue
            _activist(person, today, rng, until=person.candidate_on or today, contact=full_names[-1])
            if category == Category.ACTIVIST:
                continue
            _candidate(person, today, rng, sponsors, trained=category == Category.PROBATIONARY or index % 2 == 0)
            if category == Category.PROBATIONARY:
                _admission(person, today, rng, admitted)



