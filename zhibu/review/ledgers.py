"""The review's results as a printable .xlsx (述职评议结果), also offered in the common ledger registry."""

from __future__ import annotations

from datetime import date

from zhibu.ballots import services as ballots
from zhibu.lib.ledgerbook import LedgerColumn, LedgerSheet, ledger_workbook, subheading
from zhibu.orgs import access
from zhibu.records.ledger_registry import Ledger, LedgerError, register
from zhibu.review.models import ReviewSession
from zhibu.review.results import ReporteeResult, session_results
from zhibu.review.scoring import GRADES

RESULT_COLUMNS = (
    LedgerColumn("排名", 6, "number"), LedgerColumn("党支部", 22), LedgerColumn("书记", 9),
    *(LedgerColumn(f"“{grade}”票", 8, "number") for grade in GRADES),
    LedgerColumn("有效票", 7, "number"), LedgerColumn("投票得分", 9, "money"),
    LedgerColumn("规范化建设得分", 10, "number"), LedgerColumn("综合得分", 9, "money"), LedgerColumn("评定等次", 8),
)
COMMENT_COLUMNS = (LedgerColumn("党支部", 22), LedgerColumn("书记", 9), LedgerColumn("意见建议", 70), LedgerColumn("转为问题清单", 12))


def scheme_notes(session: ReviewSession) -> list[str]:
    return [
        f"投票得分 =（好×{session.points_good} + 较好×{session.points_fairly_good} + 一般×{session.points_average}"
        f" + 差×{session.points_poor}）÷ 有效票数",
        f"综合得分 = 投票得分×{session.vote_weight}% + {session.year}年度支部规范化建设得分×{session.compliance_weight}%",
        f"等次：综合得分 ≥{session.band_good} 为好，≥{session.band_fairly_good} 为较好，≥{session.band_average} 为一般，其余为差",
        "本表只统计票数，不记录投票人与所投等次的对应关系。",
    ]


def _result_row(result: ReporteeResult) -> list:
    reportee = result.reportee
    return [result.rank, reportee.branch.name, reportee.secretary_name, *result.count_list(), result.valid_votes,
            result.vote_score, result.compliance, result.total, result.band]


def results_xlsx(session: ReviewSession, today: date | None = None) -> bytes:
    results = session_results(session, with_comments=True)
    comments = [
        (r.reportee.branch.name, r.reportee.secretary_name, grade.comment, "是" if grade.list_item_id else "")
        for r in results for grade in r.comments
    ]
    return ledger_workbook([
        LedgerSheet("评议结果", f"{session.title}结果", RESULT_COLUMNS, [_result_row(r) for r in results],
                    subheading=subheading(today or date.today(), session.committee.name),
                    notes=[f"投票人数：{session.ballots.count()}人"] + scheme_notes(session)),
        LedgerSheet("意见建议", f"{session.title}意见建议", COMMENT_COLUMNS, comments,
                    subheading=subheading(today or date.today(), session.committee.name)),
    ])


def results_filename(session: ReviewSession) -> str:
    return f"{session.committee.name}-{session.year}年度述职评议结果.xlsx"


@register
class ReviewResultsLedger(Ledger):
    identifier = "shuzhi"
    verbose_name = "述职评议结果"
    for_committees = True
    extension = ".xlsx"
    description = "党委（党总支）对所属支部书记的年度述职评议：各等次票数、投票得分、规范化建设得分、综合得分、等次与排名"

    def render(self, actor, org, year, activity=None):
        sessions = access.scope_to_orgs(actor, ReviewSession.objects.filter(committee=org, year=year), "committee", manage=True)
        session = sessions.select_related("committee").first()
        if session is None:
            raise LedgerError(f"{org.name}没有{year}年度的述职评议；述职评议由党委或党总支在“述职评议”页面组织")
        if not session.is_ended:
            raise LedgerError(f"{org.name}{year}年度的述职评议还在“{session.status}”，投票结束后才有结果")
        if not ballots.results_visible(session.poll):
            raise LedgerError(ballots.hidden_results_message(session.poll))
        return results_filename(session), self.mimetype, results_xlsx(session)
