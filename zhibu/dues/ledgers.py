"""The dues ledgers in the common ledger registry (page 台账 and `zhibu ledger`)."""

from datetime import date

from zhibu.dues import exports
from zhibu.dues.accounts import branch_ledger
from zhibu.records.ledger_registry import Ledger, register


@register
class DuesLedger(Ledger):
    identifier = "dangfei"
    verbose_name = "党费收缴台账"
    extension = ".xlsx"
    branch_only = True
    description = "每名党员每月应缴、实缴、欠缴（按党支部）"

    def render(self, actor, org, year, activity=None):
        return self.filename(org, year), self.mimetype, exports.dues_ledger_xlsx(branch_ledger(org, year, date.today()))


@register
class DuesNotice(Ledger):
    identifier = "gongshi"
    verbose_name = "党费收缴公示"
    extension = ".docx"
    branch_only = True
    description = "向党员公示的年度党费收缴情况，只列金额（按党支部）"

    def render(self, actor, org, year, activity=None):
        return self.filename(org, year), self.mimetype, exports.notice_docx(branch_ledger(org, year, date.today()))
