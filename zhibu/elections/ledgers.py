"""换届选举台账 (.xlsx): a branch's elections up to a year, with each round's candidates, votes and result."""

from __future__ import annotations

from datetime import date

from zhibu.ballots import services as ballots
from zhibu.elections.models import Election
from zhibu.lib.ledgerbook import LedgerColumn, LedgerSheet, ledger_workbook, subheading
from zhibu.orgs import access
from zhibu.records.ledger_registry import Ledger, LedgerError, register

COLUMNS = (
    LedgerColumn("党员大会日期", 12, "date"), LedgerColumn("应选", 6, "number"), LedgerColumn("应到", 6, "number"),
    LedgerColumn("实到", 6, "number"), LedgerColumn("轮次", 6, "number"), LedgerColumn("候选人", 10),
    LedgerColumn("得票", 6, "number"), LedgerColumn("结果", 8), LedgerColumn("分工", 10), LedgerColumn("上级批复", 20),
)


def election_rows(election: Election) -> list[list]:
    rows = []
    approval = f"{election.result_approved_on:%Y-%m-%d} {election.result_approval_ref}".strip() if election.result_approved_on else ""
    for round_ in election.rounds.select_related("poll"):
        shown = round_.poll.is_closed and ballots.results_visible(round_.poll)
        for entry in round_.entries.select_related("candidate"):
            won = entry.candidate.elected_in == round_.number
            rows.append([election.meeting_on, election.seats, election.expected, election.attended, round_.number,
                         entry.candidate.name, entry.votes if shown else None, "当选" if won else "",
                         entry.candidate.post if won else "", approval])
    return rows


@register
class ElectionsLedger(Ledger):
    identifier = "huanjie"
    verbose_name = "换届选举台账"
    extension = ".xlsx"
    branch_only = True
    description = "党支部历次换届选举：应到、实到、各轮候选人得票、当选和分工、上级批复"

    def render(self, actor, org, year, activity=None):
        elections = access.scope_to_orgs(actor, Election.objects.filter(branch=org, meeting_on__year__lte=year), "branch", manage=True)
        rows = [row for election in elections.order_by("meeting_on") for row in election_rows(election)]
        if not rows:
            raise LedgerError(f"{org.name}在{year}年及以前没有在本系统中进行的换届选举")
        content = ledger_workbook([LedgerSheet("换届选举", f"{org.name}换届选举台账", COLUMNS, rows,
                                               subheading=subheading(date.today(), org.name),
                                               notes=["当选：赞成票超过应到会有选举权党员人数的一半。票数少于公布所需最少票数的轮次不列得票。"])])
        return f"{org.name}-换届选举台账.xlsx", self.mimetype, content
