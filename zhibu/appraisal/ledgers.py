"""民主评议结果台账 (.xlsx and .docx), from the finished appraisal of a branch and year, in the ledger registry."""

from __future__ import annotations

from datetime import date

from docx.shared import Mm

from zhibu.appraisal.models import Appraisal, Status
from zhibu.appraisal.rules import GRADES, NOT_GRADED
from zhibu.appraisal.services import participation, tallies
from zhibu.lib.strokes import sort_by_strokes
from zhibu.lib.ledgerbook import LedgerColumn, LedgerSheet, ledger_workbook, subheading
from zhibu.lib.officialdoc import add_table, body, build_official_document, document_to_bytes, use_landscape
from zhibu.orgs import access
from zhibu.records.ledger_registry import Ledger, LedgerError, register

COLUMNS = (
    LedgerColumn("序号", 6, "number"), LedgerColumn("姓名", 10), LedgerColumn("人员类别", 10),
    *(LedgerColumn(f"测评“{g}”", 9, "number") for g in GRADES),
    LedgerColumn("评定结果", 10), LedgerColumn("处置", 10), LedgerColumn("跟踪回访日期", 12),
)


def finished_appraisal(actor, org, year) -> Appraisal:
    appraisal = (access.scope_to_orgs(actor, Appraisal.objects.filter(branch=org, year=year), "branch", manage=True)
                 .select_related("branch", "poll").first())
    if appraisal is None:
        raise LedgerError(f"{org.name}没有{year}年度的民主评议党员；在“民主评议”页面开展，或用工作表“民主评议”导入")
    if appraisal.status != Status.DONE:
        raise LedgerError(f"{org.name}{year}年度的民主评议还在“{appraisal.get_status_display()}”阶段，组织评定后才有结果")
    return appraisal


def result_rows(appraisal: Appraisal) -> list[list]:
    """One row per participant, by surname strokes; the 测评 counts only where they may be shown (see zhibu.ballots)."""
    counts = {t.participant.pk: t.count_list() for t in tallies(appraisal) or []} if appraisal.poll else {}
    rows = []
    for number, p in enumerate(sort_by_strokes(appraisal.participants.all(), name=lambda p: p.name), start=1):
        votes: list[int | str] = counts.get(p.pk) or [""] * len(GRADES)
        rows.append([number, p.name, p.category, *votes, p.grade or NOT_GRADED, p.disposal,
                     p.follow_up_on.strftime("%Y-%m-%d") if p.follow_up_on else ""])
    return rows


def notes(appraisal: Appraisal) -> list[str]:
    lines = [f"组织评定日期：{appraisal.evaluated_on:%Y年%m月%d日}" if appraisal.evaluated_on else "组织评定日期：【待填】"]
    if appraisal.poll and appraisal.poll.opened_at:
        rate = participation(appraisal)
        lines.append(f"民主测评：应参评正式党员{rate.due}名，收回选票{rate.took_part}张"
                     + (f"，参评率{rate.percent}%（目标{rate.target}%）" if rate.percent is not None else ""))
        if tallies(appraisal) is None:
            lines.append(f"选票少于{appraisal.poll.min_ballots}张，为保护投票秘密不列测评票数。")
    elif appraisal.imported:
        lines.append("结果由工作簿导入，无网上测评票数。")
    lines.append(f"优秀比例不超过{appraisal.excellent_share}；预备党员参加评议，不确定等次。")
    return lines


def title(appraisal: Appraisal, *, lines: bool = False) -> str:
    return f"{appraisal.branch.name}{appraisal.year}年度{chr(10) if lines else ''}民主评议党员结果台账"


@register
class AppraisalLedger(Ledger):
    identifier = "minzhu_pingyi"
    verbose_name = "民主评议结果台账"
    extension = ".xlsx"
    branch_only = True
    description = "党支部年度民主评议党员：每名党员的测评票数、评定结果、处置和跟踪回访日期"

    def render(self, actor, org, year, activity=None):
        appraisal = finished_appraisal(actor, org, year)
        content = ledger_workbook([LedgerSheet("民主评议结果", title(appraisal), COLUMNS, result_rows(appraisal),
                                               subheading=subheading(date.today(), org.name), notes=notes(appraisal))])
        return f"{org.name}-{year}年度民主评议结果台账.xlsx", self.mimetype, content


@register
class AppraisalDocument(Ledger):
    identifier = "minzhu_pingyi_docx"
    verbose_name = "民主评议结果台账（Word）"
    extension = ".docx"
    branch_only = True
    description = "同上，供打印归档的 Word 文档"

    def render(self, actor, org, year, activity=None):
        appraisal = finished_appraisal(actor, org, year)
        document = build_official_document(title(appraisal, lines=True), [body(line) for line in notes(appraisal)])
        use_landscape(document)
        widths = [Mm(w) for w in (12, 24, 22, 18, 18, 20, 20, 22, 22, 28)]
        add_table(document, [c.name for c in COLUMNS], [[str(v) for v in row] for row in result_rows(appraisal)], widths=widths)
        return f"{org.name}-{year}年度民主评议结果台账.docx", self.mimetype, document_to_bytes(document)
