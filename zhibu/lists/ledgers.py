"""The 问题整改台账 in the common ledger registry, as Excel and as Word."""

from zhibu.lists.rectification_ledger import build_ledger, ledger_docx, ledger_xlsx
from zhibu.lists.models import ListItem
from zhibu.records.ledger_registry import Ledger, register


class _RectificationLedger(Ledger):
    verbose_name = "问题整改台账"
    description = "问题清单各项的来源、措施、责任人、时限、整改情况（组织及其下级）"

    def build(self, actor, org, year):
        return build_ledger(org, year, items=ListItem.objects.managed_by(actor))


@register
class RectificationWorkbook(_RectificationLedger):
    identifier = "zhenggai"
    extension = ".xlsx"

    def render(self, actor, org, year, activity=None):
        return self.filename(org, year), self.mimetype, ledger_xlsx(self.build(actor, org, year))


@register
class RectificationDocument(_RectificationLedger):
    identifier = "zhenggai-word"
    extension = ".docx"

    def render(self, actor, org, year, activity=None):
        return self.filename(org, year), self.mimetype, ledger_docx(self.build(actor, org, year))
