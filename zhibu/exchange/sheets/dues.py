"""Sheet 党费: what each member paid for each month (姓名, 组织, 月份, 实缴, 缴纳日期)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from zhibu.dues.calculator import DuesError
from zhibu.dues.models import DuesBase, DuesPayment, PaymentSource
from zhibu.dues.months import parse_month
from zhibu.dues.services import admission_problem, base_from_roster, payment_amount_problem
from zhibu.exchange.sheets.people import people_to_refer_to, report_unknown_person
from zhibu.exchange.framework import Column, ImportContext, Row, RowReader, Sheet, SheetSummary
from zhibu.lib.cells import CellError, cell_text, parse_date
from zhibu.orgs import access
from zhibu.orgs.models import Person


@dataclass
class PaymentRow:
    row: int
    name: str
    branch_name: str
    month: str
    amount: Decimal
    paid_on: date | None


def _month_cell(value) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return parse_month(value)
    except DuesError as error:
        raise CellError(str(error)) from None


class DuesSheet(Sheet):
    name = "党费"
    columns = (
        Column("姓名", required=True),
        Column("组织", required=True),
        Column("月份", required=True),
        Column("实缴", required=True),
        Column("缴纳日期"),
    )

    def parse(self, rows: list[Row], context: ImportContext) -> list[PaymentRow]:
        admitted_on = people_to_refer_to(rows, context)
        plan: list[PaymentRow] = []
        first_row: dict[tuple[str, str, str], int] = {}
        for row in rows:
            read = RowReader(self, row, context)
            name, branch_name = read.text("姓名"), read.text("组织")
            month = read.parsed("月份", _month_cell)
            amount = self._amount(read)
            paid_on = read.past_date("缴纳日期", parse_date)
            if name and branch_name:
                if (branch_name, name) not in admitted_on:
                    report_unknown_person(read, branch_name, name)
                elif month:
                    problem = admission_problem(name, admitted_on[(branch_name, name)], month)
                    if problem:
                        read.problem("月份", problem)
            key = (branch_name, name, month or "")
            if month and key in first_row:
                read.problem("月份", f"{name} {month} 的党费与第{first_row[key]}行重复",
                             "每人每月只填一行；同月分几次交的请合计后填写")
            first_row.setdefault(key, row.number)
            if read.ok:
                plan.append(PaymentRow(row.number, name, branch_name, month, amount, paid_on))
        return plan

    def _amount(self, read: RowReader) -> Decimal | None:
        text = cell_text(read.row.raw("实缴"))
        if not text:
            read.text("实缴")  # records the missing required value
            return None
        amount, problem = payment_amount_problem(text)
        if problem:
            read.problem("实缴", problem)
        return amount

    def apply(self, plan: list[PaymentRow], context: ImportContext) -> SheetSummary:
        summary = SheetSummary()
        people = {
            (person.branch.name, person.name): person
            for person in Person.objects.filter(name__in={entry.name for entry in plan}).select_related("branch")
        }
        years_with_base = set(
            DuesBase.objects.filter(person__in=people.values()).values_list("person_id", "year")
        )
        for entry in plan:
            person = people[(entry.branch_name, entry.name)]
            year = int(entry.month[:4])
            if (person.pk, year) not in years_with_base:
                # What is due comes from the roster's 党费类别 and 月缴费基数 (exchange format); a base
                # already set for the year stays, because a base is fixed at the start of the year.
                base_from_roster(person, year).save()
                years_with_base.add((person.pk, year))
            payment = DuesPayment.objects.filter(person=person, month=entry.month).first()
            if payment is None:
                DuesPayment.objects.create(
                    person=person, month=entry.month, amount=entry.amount, paid_on=entry.paid_on, source=PaymentSource.IMPORT
                )
                summary.created += 1
            elif (payment.amount, payment.paid_on) != (entry.amount, entry.paid_on):
                payment.amount, payment.paid_on, payment.source = entry.amount, entry.paid_on, PaymentSource.IMPORT
                payment.save()
                summary.updated += 1
            else:
                summary.unchanged += 1
        return summary

    def export_rows(self, actor, orgs):
        payments = (
            DuesPayment.objects.filter(person__in=access.visible_people(actor).filter(branch__in=orgs))
            .select_related("person__branch")
            .order_by("person__branch__path", "person__name", "month")
        )
        for payment in payments:
            yield {
                "姓名": payment.person.name,
                "组织": payment.person.branch.name,
                "月份": payment.month,
                "实缴": payment.amount,
                "缴纳日期": payment.paid_on,
            }
