"""Writing dues records: the yearly bases from the roster, and a month grid of payments, each all or nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from simple_history.utils import bulk_create_with_history

from zhibu.dues.accounts import BranchLedger
from zhibu.dues.models import DuesBase, DuesPayment, PaymentSource
from zhibu.dues.months import month_label
from zhibu.lib.cells import CellError, parse_decimal
from zhibu.orgs.models import MEMBER_CATEGORIES, Organisation, Person


def base_from_roster(person: Person, year: int) -> DuesBase:
    return DuesBase(person=person, year=year, category=person.dues_category, base=person.dues_base)


def seed_bases(branch: Organisation, year: int) -> int:
    """Set ``year``'s base from the roster (党费类别, 月缴费基数) for every member of ``branch`` who has none yet.

    Existing bases are left alone: a base is fixed at the start of the year,
    so later roster edits do not change what was set.
    """
    missing = (
        Person.objects.filter(branch=branch, category__in=MEMBER_CATEGORIES, admitted_on__lte=date(year, 12, 31))
        .exclude(dues_bases__year=year)
    )
    return len(bulk_create_with_history([base_from_roster(person, year) for person in missing], DuesBase))


def admission_problem(name: str, admitted_on: date | None, month: str) -> str:
    """Why the person cannot have paid for ``month`` (2008 规定: dues start with admission), or ""."""
    if admitted_on is None:
        return f"{name}没有入党日期，不能登记党费。请先在人员信息中填写入党日期"
    if month < f"{admitted_on:%Y-%m}":
        return (f"{month} 早于{name}的入党日期 {admitted_on:%Y-%m-%d}，"
                "党费从支部大会接收为预备党员的当月起交纳，请核对月份")
    return ""


def payment_amount_problem(text: str) -> tuple[Decimal | None, str]:
    """A paid amount typed by a clerk or read from a cell, or the reason it is not one."""
    try:
        amount = parse_decimal(text)
    except CellError as error:
        return None, f"{error}，请填写以元为单位的金额，例如 45 或 45.50"
    if amount is not None and amount <= 0:
        return None, f"实缴金额应大于0（收到 {text}），未缴请留空"
    return amount, ""


@dataclass
class GridResult:
    errors: dict[tuple[int, str], str] = field(default_factory=dict)  # (person id, month) → message
    created: int = 0
    updated: int = 0
    deleted: int = 0
    general: list[str] = field(default_factory=list)
    # Amounts far from what is due (a slip of the decimal point, 100× the amount): saved only once confirmed.
    unusual: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and not self.general and not self.unusual

    @property
    def changed(self) -> int:
        return self.created + self.updated + self.deleted

    def messages(self, ledger: BranchLedger) -> list[str]:
        names = {row.person.pk: row.person.name for row in ledger.rows}
        return self.general + [f"{names[pk]} {month_label(month)}：{text}" for (pk, month), text in self.errors.items()]


def grid_key(person_id: int, month: str) -> str:
    """The form field name of one cell of the month grid."""
    return f"m-{person_id}-{month}"


def version_key(person_id: int, month: str) -> str:
    """The hidden field carrying the version a cell was shown with."""
    return f"v-{person_id}-{month}"


def cell_version(payment: DuesPayment | None) -> str:
    """What a clerk saw in a cell: no payment (""), or which payment with which amount."""
    return f"{payment.pk}:{payment.amount}" if payment is not None else ""


def _version_amount(version: str) -> Decimal | None | bool:
    """The amount a version stands for (None: an empty cell), or False for a version that is not one."""
    if version == "":
        return None
    pk, _, amount = version.partition(":")
    try:
        return Decimal(amount) if pk.isdigit() else False
    except ArithmeticError:
        return False


def _shown(amount) -> str:
    return "空" if amount is None else f"{amount} 元"


def conflict_message(shown, now, typed) -> str:
    return (f"在您录入期间，其他人已把此格由 {_shown(shown)} 改为 {_shown(now)}（您填的是 {_shown(typed)}），"
            "本次未保存任何内容；请核对，再次保存即以您填的为准")


class _Conflict(Exception):
    pass


UNUSUAL_FACTOR = 10  # a payment this many times what is due, or this fraction of it, is asked about


def unusual_payment(name: str, month: str, amount: Decimal | None, due: Decimal | None) -> str:
    """A question when `amount` is far from what is due, else ""."""
    if amount is None or not due or amount <= 0:
        return ""
    if amount >= due * UNUSUAL_FACTOR or amount * UNUSUAL_FACTOR <= due:
        return f"{name} {month_label(month)}：实缴 {amount} 元，应缴 {due} 元，相差很大，请核对是否多输或少输了位数"
    return ""


def save_month_grid(ledger: BranchLedger, data, paid_on: date | None, today: date, *, confirmed: bool = False) -> GridResult:
    """Apply a submitted month grid (one amount per member and month) to the ledger's branch and year.

    Only cells of the ledger's own rows are read, so a forged field for
    someone outside the branch changes nothing. Each cell carries the version
    it was shown with (version_key): a cell the clerk left as shown is not
    touched, whatever happened to it meanwhile; a changed cell whose payment
    someone else changed since is refused with both values. An emptied cell
    removes that month's payment. Every cell is checked first; any problem
    writes nothing.
    """
    result = GridResult()
    plan: list[tuple[Person, str, Decimal | None, str]] = []
    for row in ledger.rows:
        for cell in row.cells:
            key = grid_key(row.person.pk, cell.month)
            if key not in data:
                continue
            text = data[key].strip()
            amount, problem = payment_amount_problem(text)
            if not problem and amount is not None:
                problem = admission_problem(row.person.name, row.person.admitted_on, cell.month)
            if problem:
                result.errors[(row.person.pk, cell.month)] = problem
                continue
            current = cell_version(cell.payment)
            # A form without versions is compared with what is stored now.
            shown = data.get(version_key(row.person.pk, cell.month), current)
            shown_amount = _version_amount(shown)
            if amount == cell.paid or (shown_amount is not False and amount == shown_amount):
                continue  # as stored, or as shown: the clerk did not change this cell
            if shown != current:
                result.errors[(row.person.pk, cell.month)] = conflict_message(
                    shown_amount if shown_amount is not False else None, cell.paid, amount)
                continue
            plan.append((row.person, cell.month, amount, shown))
            question = "" if confirmed else unusual_payment(row.person.name, cell.month, amount, cell.due)
            if question:
                result.unusual.append(question)
    if any(amount is not None for _, _, amount, _ in plan):
        if paid_on is None:
            result.general.append("请填写缴纳日期（本次录入的党费在哪一天收缴）")
        elif paid_on > today:
            result.general.append(f"缴纳日期 {paid_on:%Y-%m-%d} 晚于今天，请核对")
    if not result.ok:
        return result
    try:
        _apply_plan(plan, paid_on, result)
    except (_Conflict, IntegrityError):
        # Someone else saved one of these months between reading the grid and saving it: name each such cell.
        result.created = result.updated = result.deleted = 0
        for person, month, amount, shown in plan:
            now = DuesPayment.objects.filter(person=person, month=month).first()
            if cell_version(now) != shown:
                result.errors[(person.pk, month)] = conflict_message(_version_amount(shown), now.amount if now else None, amount)
        if not result.errors:
            result.general.append("在您录入期间，其他人刚刚登记了其中某月的党费，本次未保存任何内容；请刷新页面核对后重新录入")
    return result


def _apply_plan(plan, paid_on: date | None, result: GridResult) -> None:
    """Write the plan in one transaction, each row locked and compared with the version shown first."""
    with transaction.atomic():
        for person, month, amount, shown in plan:
            current = DuesPayment.objects.select_for_update().filter(person=person, month=month).first()
            if cell_version(current) != shown:
                raise _Conflict
            if amount is None:
                current.delete()
                result.deleted += 1
            elif current is None:
                # The unique constraint (one payment a month) refuses a second clerk creating the same month.
                DuesPayment.objects.create(person=person, month=month, amount=amount, paid_on=paid_on, source=PaymentSource.WEB)
                result.created += 1
            else:
                current.amount, current.paid_on, current.source = amount, paid_on, PaymentSource.WEB
                current.save()
                result.updated += 1
