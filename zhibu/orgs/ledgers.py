"""The 组织关系转接台账 (.xlsx) in the common ledger registry: every membership change of a year, with its letter."""

from __future__ import annotations

from datetime import date

from django.db.models import Q

from zhibu.lib.ledgerbook import LedgerColumn, LedgerSheet, ledger_workbook, subheading
from zhibu.orgs import access
from zhibu.orgs.models import EventKind, EventState, MembershipEvent, Organisation
from zhibu.records.ledger_registry import Ledger, register

COLUMNS = (
    LedgerColumn("序号", 6, "number"), LedgerColumn("姓名", 10), LedgerColumn("性别", 6), LedgerColumn("人员类别", 10),
    LedgerColumn("变动类型", 10), LedgerColumn("日期", 12, "date"), LedgerColumn("组织", 18), LedgerColumn("对方组织", 24),
    LedgerColumn("出党方式", 10), LedgerColumn("介绍信编号", 12), LedgerColumn("有效期至", 12, "date"),
    LedgerColumn("党费交至", 10), LedgerColumn("回执日期", 12, "date"), LedgerColumn("状态", 12), LedgerColumn("原因", 24),
)


def _status(event: MembershipEvent, today: date) -> str:
    if event.state == EventState.PENDING:
        return "待接收"
    if event.kind == EventKind.TRANSFER_OUT:
        if event.receipt_on:
            return "已回执"
        return "逾期未回执" if event.overdue(today) else "待回执"
    if event.kind == EventKind.INTERNAL and event.accepted_on:
        return f"{event.accepted_on:%Y-%m-%d}接收"
    return "已生效"


def transfer_ledger_xlsx(actor, org: Organisation, year: int, today: date) -> bytes:
    orgs = access.managed_orgs(actor).subtree_of(org)
    events = (
        MembershipEvent.objects.filter(Q(org__in=orgs) | Q(target__in=orgs), on__year=year)
        .select_related("person", "org", "target").order_by("on", "pk")
    )
    rows = [
        [number, e.person.name, e.person.gender, e.person.category, e.kind, e.on, e.org.name,
         e.target.name if e.target else e.other_party, e.exit_form, e.letter_number, e.letter_valid_until,
         e.dues_paid_to, e.receipt_on, _status(e, today), e.reason]
        for number, e in enumerate(events, start=1)
    ]
    sheet = LedgerSheet(
        title="组织关系转接台账",
        heading=f"{org.name}{year}年党员组织关系转接台账",
        subheading=subheading(today),
        columns=COLUMNS,
        rows=rows,
        notes=["依据《中国共产党党员教育管理工作条例》第二十五条：转出后至接收前，原党组织仍负有管理责任；"
               "介绍信过有效期未收到回执的，列为“逾期未回执”。"],
    )
    return ledger_workbook([sheet])


@register
class TransferLedger(Ledger):
    identifier = "zhuanjie"
    verbose_name = "组织关系转接台账"
    extension = ".xlsx"
    description = "本年度转入、转出、内部转接、出党、停止党籍、死亡、外出流动等变动，含介绍信编号、有效期、党费交至与回执"

    def render(self, actor, org, year, activity=None):
        return self.filename(org, year), self.mimetype, transfer_ledger_xlsx(actor, org, year, date.today())
