"""Demo step: last year's and this year's dues bases, and payments, with one member 3 and one 5 months behind."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from zhibu.dues.calculator import DuesError, months_due
from zhibu.dues.models import BranchDuesSettings, DuesBase, DuesPayment, PaymentSource
from zhibu.dues.months import first_day, previous_month
from zhibu.dues.services import seed_bases
from zhibu.orgs.models import MEMBER_CATEGORIES, Category, Organisation, OrgKind, Person

# Months left unpaid, up to last month, by (branch position in the demo, what the ledger should then show).
BEHIND = {0: 3, 1: 5}  # 机关第一党支部: 提醒 at 3 months; 机关第二党支部: 警告 at 5 months


def _last_year_bases(branch: Organisation, year: int, rng: random.Random) -> None:
    """Last year's bases a little lower than this year's roster, as pay rises from year to year."""
    people = Person.objects.filter(branch=branch, category__in=MEMBER_CATEGORIES, admitted_on__year__lte=year)
    DuesBase.objects.bulk_create(
        DuesBase(person=person, year=year, category=person.dues_category,
                 base=(person.dues_base * Decimal(rng.randrange(93, 100)) / 100).quantize(Decimal("1")) if person.dues_base else None)
        for person in people
    )


def _behind(branch: Organisation, position: int) -> Person | None:
    """A member without a post, never the one the demo later gives the member login (the first by id)."""
    if position not in BEHIND:
        return None
    return Person.objects.filter(branch=branch, category=Category.FULL, posts__isnull=True).order_by("-id").first()


def _pay(person: Person, bases: dict[int, DuesBase], settings: BranchDuesSettings, today: date, rng: random.Random,
         unpaid_months: int) -> list[DuesPayment]:
    last_paid = previous_month(today)
    due = [month for year in sorted(bases) for month in months_due(person.admitted_on, year, first_day(last_paid))]
    skipped = set(due[len(due) - unpaid_months:]) if unpaid_months else set()
    # This month's dues may be paid until its end: about half the members have paid already.
    if not unpaid_months and rng.random() < 0.5 and today.year in bases:
        due.append(f"{today:%Y-%m}")
    payments = []
    for month in due:
        if month in skipped:
            continue
        try:
            amount = bases[int(month[:4])].monthly_due(settings)
        except DuesError:
            continue
        if amount <= 0:
            continue
        start = first_day(month)
        day = min(start.replace(day=rng.randrange(3, 26)), today)
        payments.append(DuesPayment(person=person, month=month, amount=amount, paid_on=day, source=PaymentSource.WEB))
    return payments


def build_dues(rng: random.Random, today: date, orgs: dict[str, Organisation]) -> None:
    branches = [org for org in orgs.values() if org.kind == OrgKind.BRANCH]
    payments: list[DuesPayment] = []
    for position, branch in enumerate(branches):
        _last_year_bases(branch, today.year - 1, rng)
        seed_bases(branch, today.year)
        settings = BranchDuesSettings.for_branch(branch)
        behind = _behind(branch, position)
        for person in Person.objects.filter(branch=branch, category__in=MEMBER_CATEGORIES).order_by("id"):
            bases = {base.year: base for base in DuesBase.objects.filter(person=person)}
            unpaid = BEHIND[position] if behind and person.pk == behind.pk else 0
            payments += _pay(person, bases, settings, today, rng, unpaid)
    DuesPayment.objects.bulk_create(payments)
