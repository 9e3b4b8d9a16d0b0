"""Helpers for dues tests: bases and payments for the people of the shared `tree` fixture."""

from datetime import date
from decimal import Decimal

from zhibu.dues.models import DuesBase, DuesPayment


def give_base(person, year: int, base="4500", category="在职", reduced=None) -> DuesBase:
    return DuesBase.objects.create(
        person=person, year=year, category=category, base=None if base is None else Decimal(base),
        reduced_amount=None if reduced is None else Decimal(reduced),
    )


def pay(person, *months: str, amount="45.00", paid_on: date | None = None) -> None:
    for month in months:
        DuesPayment.objects.create(person=person, month=month, amount=Decimal(amount),
                                   paid_on=paid_on or date(int(month[:4]), int(month[5:]), 10))


def months(year: int, first: int, last: int) -> list[str]:
    return [f"{year}-{month:02d}" for month in range(first, last + 1)]
