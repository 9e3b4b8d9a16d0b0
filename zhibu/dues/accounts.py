"""The monthly dues ledger (due, paid, owed) of one member or one branch for one year, and arrears warnings.

Dues for a month may be paid until the month ends. So the current month
counts in what is due so far (应缴), but while unpaid it is pending (待缴),
not owed: only months that are over count as owed (欠缴) and towards the
run of consecutive unpaid months that triggers 提醒 and 警告.

A year without a base is a year the system does not track for that person
(for instance before the branch started using it), so its months neither
count as due nor lengthen an arrears run.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from django.db.models import Q

from zhibu.dues.calculator import ArrearsLevel, DuesError, arrears_warning_level, consecutive_unpaid_months, month_key, months_due
from zhibu.dues.models import BranchDuesSettings, DuesBase, DuesPayment
from zhibu.dues.months import first_day, month_label, months_of_year, previous_month
from zhibu.orgs import membership
from zhibu.orgs.models import MEMBER_CATEGORIES, Organisation, Person
from zhibu.orgs.people import by_strokes

ZERO = Decimal("0.00")


class Period(StrEnum):
    PAST = "past"  # over: anything unpaid is owed (欠缴)
    CURRENT = "current"  # this month: may still be paid until it ends (待缴)
    FUTURE = "future"


@dataclass
class MonthCell:
    month: str
    due: Decimal | None  # None: nothing is due for this month (before admission, no base, exempt)
    payment: DuesPayment | None
    period: Period

    @property
    def label(self) -> str:
        return month_label(self.month)

    @property
    def paid(self) -> Decimal | None:
        return self.payment.amount if self.payment else None

    @property
    def shortfall(self) -> Decimal:
        return max(self.due - (self.paid or ZERO), ZERO) if self.due is not None else ZERO

    @property
    def counted(self) -> bool:
        """Whether what is due this month counts in the year's 应缴 so far (this month included)."""
        return self.due is not None and self.period is not Period.FUTURE

    @property
    def owed(self) -> Decimal:
        return self.shortfall if self.period is Period.PAST else ZERO

    @property
    def pending(self) -> Decimal:
        return self.shortfall if self.period is Period.CURRENT else ZERO

    @property
    def state(self) -> str:
        """For styling: paid, short (paid less than due), unpaid (owed), pending (this month), upcoming, none."""
        if self.payment:
            return "short" if self.shortfall and self.period is Period.PAST else "paid"
        if self.due is None:
            return "none"
        return {Period.PAST: "unpaid", Period.CURRENT: "pending", Period.FUTURE: "upcoming"}[self.period]


@dataclass
class PersonYear:
    """One member's dues for one year: the ledger row a clerk sees and the page a member sees."""

    person: Person
    year: int
    base: DuesBase | None
    monthly_due: Decimal | None
    problem: str  # why nothing can be computed (no base for the year, a base the rules reject); "" when fine
    cells: list[MonthCell]
    unpaid_run: int
    level: ArrearsLevel | None

    @property
    def due_total(self) -> Decimal:
        return sum((cell.due for cell in self.cells if cell.counted), ZERO)

    @property
    def paid_total(self) -> Decimal:
        return sum((cell.paid for cell in self.cells if cell.paid is not None), ZERO)

    @property
    def owed_total(self) -> Decimal:
        return sum((cell.owed for cell in self.cells), ZERO)

    @property
    def pending_total(self) -> Decimal:
        return sum((cell.pending for cell in self.cells), ZERO)

    @property
    def fully_paid(self) -> bool:
        return not self.problem and self.owed_total == 0

    def cell(self, month: str) -> MonthCell:
        return next(cell for cell in self.cells if cell.month == month)


@dataclass
class BranchLedger:
    branch: Organisation
    year: int
    today: date
    settings: BranchDuesSettings
    rows: list[PersonYear]
    months: list[str] = field(init=False)

    def __post_init__(self):
        self.months = months_of_year(self.year)

    def _total(self, figure: str) -> Decimal:
        return sum((getattr(row, figure) for row in self.rows), ZERO)

    @property
    def due_total(self) -> Decimal:
        return self._total("due_total")

    @property
    def paid_total(self) -> Decimal:
        return self._total("paid_total")

    @property
    def owed_total(self) -> Decimal:
        return self._total("owed_total")

    @property
    def pending_total(self) -> Decimal:
        return self._total("pending_total")

    @property
    def month_paid_totals(self) -> list[Decimal]:
        return [sum((row.cells[index].paid or ZERO for row in self.rows), ZERO) for index in range(12)]

    @property
    def warnings(self) -> list[PersonYear]:
        """Members at 提醒 or 警告, longest run first."""
        return sorted((row for row in self.rows if row.level), key=lambda row: -row.unpaid_run)

    @property
    def without_base(self) -> list[PersonYear]:
        return [row for row in self.rows if row.base is None]

    @property
    def with_problem(self) -> list[PersonYear]:
        return [row for row in self.rows if row.problem]


def _period(month: str, current_month: str) -> Period:
    if month < current_month:
        return Period.PAST
    return Period.CURRENT if month == current_month else Period.FUTURE


def _settings_lookup():
    cache: dict[int, BranchDuesSettings] = {}

    def settings_for(branch: Organisation) -> BranchDuesSettings:
        if branch.pk not in cache:
            cache[branch.pk] = BranchDuesSettings.for_branch(branch)
        return cache[branch.pk]

    return settings_for


def _monthly_due(base: DuesBase | None, settings: BranchDuesSettings) -> tuple[Decimal | None, str]:
    if base is None:
        return None, "未确定本年度缴费基数"
    try:
        return base.monthly_due(settings), ""
    except DuesError as error:
        return None, str(error)


def _due_months(person: Person, bases: dict[int, DuesBase], settings: BranchDuesSettings, year: int, until: date,
                periods=None) -> list[str]:
    """Months with something due, in every tracked year up to ``year``, through the month of ``until``; with
    ``periods`` (membership.periods_of) only the months the person was in the unit."""
    if person.admitted_on is None:
        return []
    months = []
    for base_year, base in sorted(bases.items()):
        if base_year > year:
            continue
        amount, _ = _monthly_due(base, settings)
        if amount:  # an exempt member (0.00) owes nothing, so has no arrears
            months.extend(months_due(person.admitted_on, base_year, until))
    if periods is not None:
        months = [m for m in months if membership.month_is_due(m, person.admitted_on, periods)]
    return months


def person_years(people: Iterable[Person], year: int, today: date, branch: Organisation | None = None) -> list[PersonYear]:
    """The ledger rows of ``people`` for ``year``, as of ``today`` (in the order given); a month is due at
    ``branch`` (default: each person's branch now) only while the person belonged to it (membership.month_is_due)."""
    people = list(people)
    periods = membership.periods_of(p.pk for p in people)
    bases: dict[int, dict[int, DuesBase]] = defaultdict(dict)
    for base in DuesBase.objects.filter(person__in=people, year__lte=year):
        bases[base.person_id][base.year] = base
    payments: dict[int, dict[str, DuesPayment]] = defaultdict(dict)
    for payment in DuesPayment.objects.filter(person__in=people, month__lte=f"{year}-12"):
        payments[payment.person_id][payment.month] = payment

    settings_for = _settings_lookup()
    current_month = month_key(today)
    # The run of unpaid months is judged at the end of a past year, or at last month for this year.
    run_up_to = min(previous_month(today), f"{year}-12")
    rows = []
    for person in people:
        settings = settings_for(person.branch)
        base = bases[person.pk].get(year)
        amount, problem = _monthly_due(base, settings)
        if person.admitted_on is None:
            problem = "没有入党日期，不交纳党费"
        due_this_year = set(months_due(person.admitted_on, year, date(year, 12, 1))) if person.admitted_on and amount else set()
        here = branch.pk if branch else person.branch_id
        due_this_year = {m for m in due_this_year if membership.month_is_due(m, person.admitted_on, periods[person.pk], here)}
        cells = [
            MonthCell(month, amount if month in due_this_year else None, payments[person.pk].get(month), _period(month, current_month))
            for month in months_of_year(year)
        ]
        run = consecutive_unpaid_months(
            payments[person.pk].keys(), _due_months(person, bases[person.pk], settings, year, first_day(run_up_to), periods[person.pk]), run_up_to
        )
        level = arrears_warning_level(run, reminder_after=settings.reminder_after, warning_after=settings.warning_after)
        rows.append(PersonYear(person, year, base, amount, problem, cells, run, level))
    return rows


def branch_people(branch: Organisation, year: int):
    """Who belongs in a branch's ledger for ``year``: its members by then, and anyone with a base or payment that year."""
    return (
        Person.objects.filter(pk__in=membership.people_in_year(branch, year).values("pk"))
        .filter(
            Q(category__in=MEMBER_CATEGORIES, admitted_on__lte=date(year, 12, 31))
            | Q(dues_bases__year=year)
            | Q(dues_payments__month__startswith=f"{year}-")
        )
        .distinct()
        .select_related("branch")
    )


def branch_ledger(branch: Organisation, year: int, today: date) -> BranchLedger:
    people = by_strokes(branch_people(branch, year))
    return BranchLedger(branch, year, today, BranchDuesSettings.for_branch(branch), person_years(people, year, today, branch))
