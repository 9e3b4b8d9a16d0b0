"""The 发展党员台账 in the common ledger registry."""

from datetime import date

from zhibu.development.exports import development_ledger_xlsx
from zhibu.records.ledger_registry import Ledger, register


@register
class DevelopmentLedger(Ledger):
    identifier = "fazhan"
    verbose_name = "发展党员台账"
    extension = ".xlsx"
    branch_only = True
    description = "入党申请人、积极分子、发展对象、预备党员各阶段日期与下一步（按党支部，年度不限）"

    def render(self, actor, org, year, activity=None):
        return self.filename(org, year), self.mimetype, development_ledger_xlsx(org, date.today())
