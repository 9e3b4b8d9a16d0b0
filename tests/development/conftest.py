"""Helpers: people at a given stage in the `tree` fixture's 甲支部, and recording steps for them."""

from datetime import date

from zhibu.development.pipeline import StepEntry, record_step
from zhibu.orgs.models import Category, Person

TODAY = date(2026, 6, 15)


def newcomer(tree, name="新同志", birth=date(1995, 3, 1), **dates) -> Person:
    """Someone who has only just applied (no stage date unless given)."""
    values = {"category": Category.APPLICANT, "birth_date": birth, **dates}
    return Person.objects.create(branch=tree.orgs.a, name=name, **values)


def record(person: Person, step: int, on: date, today: date = TODAY, **extra):
    result = record_step(person, StepEntry(step=step, date=on, **extra), today=today)
    person.refresh_from_db()
    return result
