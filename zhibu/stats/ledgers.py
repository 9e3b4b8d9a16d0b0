"""The 党内统计 workbook in the common ledger registry (`zhibu ledger tongji`, and the ledger downloads)."""

from datetime import date

from zhibu.records.ledger_registry import Ledger, LedgerError, register
from zhibu.orgs.models import OrgKind
from zhibu.stats.tables import Statistics
from zhibu.stats.workbook import statistics_xlsx


@register
class StatisticsLedger(Ledger):
    identifier = "tongji"
    verbose_name = "党内统计表"
    extension = ".xlsx"
    description = "两年党员数综合比较、党员的基本情况、发展党员情况、党组织情况，附表内关系核对和各项所计人员名单"

    def render(self, actor, org, year, activity=None):
        if org.kind == OrgKind.GROUP:
            raise LedgerError(f"党内统计表按党委、党总支或党支部生成（“{org.name}”是党小组）")
        today = date.today()
        return self.filename(org, year), self.mimetype, statistics_xlsx(Statistics(org, year, today=today), today)
