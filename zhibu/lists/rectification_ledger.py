"""问题整改台账: the problem list of one organisation (and below) for one year, as .xlsx and .docx.

One `Ledger` holds the rows and the summary; each format is one small
function over it, so both files always say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet
from docx.shared import Mm

from zhibu.lib.ledgerbook import LedgerColumn, LedgerSheet, ledger_workbook, subheading
from zhibu.lib.officialdoc import add_table, body, build_official_document, document_to_bytes, use_landscape
from zhibu.lists.metrics import RateResult, format_rate, rectification_rate
from zhibu.lists.models import BY_DEADLINE, ListItem, ListKind
from zhibu.orgs.models import Organisation

COLUMNS = ["序号", "组织", "来源", "问题", "整改措施", "责任人", "整改时限", "状态", "完成日期", "整改情况", "佐证材料", "备注"]
# Column widths on the landscape page (text block 243 mm wide): dates and three-character names on
# one line, the long texts get the rest. In Excel units (about one Latin letter; a Chinese character is two).
DOCX_WIDTHS_MM = [8, 20, 16, 34, 30, 16, 23, 15, 23, 26, 18, 14]
XLSX_WIDTHS = [5, 14, 12, 30, 28, 8, 11, 7, 11, 26, 16, 12]


@dataclass
class Ledger:
    org: Organisation
    year: int
    today: date
    items: list[ListItem]
    rate: RateResult

    @property
    def title(self) -> str:
        return f"{self.org.name}{self.year}年度问题整改台账"

    def summary(self) -> str:
        carried = [item for item in self.items if item.year < self.year]
        carried_done = sum(1 for item in carried if item.is_done)
        overdue = sum(1 for item in self.items if item.is_overdue(self.today))
        rate = f"整改完成率{format_rate(self.rate.rate)}" if self.rate.rate is not None else "整改完成率不适用"
        return (
            f"本年度登记问题{self.rate.total}项，已完成{self.rate.done}项，{rate}；"
            f"上年度结转{len(carried)}项，已完成{carried_done}项；逾期未完成{overdue}项。"
            f"统计截至{self.today.year}年{self.today.month}月{self.today.day}日。"
        )

    def remarks(self, item: ListItem) -> str:
        notes = []
        if item.year < self.year:
            notes.append(f"自{item.year}年结转")
        if item.is_overdue(self.today):
            notes.append(f"逾期{(self.today - item.deadline).days}天")
        if item.is_done and not self.evidence(item):
            notes.append("无佐证材料")
        return "；".join(notes)

    @staticmethod
    def evidence(item: ListItem) -> list[str]:
        return [a.name for a in item.attachments.all()] + [f"工作记录：{link.activity}" for link in item.record_links.all()]

    def rows(self) -> list[dict]:
        return [
            {
                "序号": number,
                "组织": item.org.name,
                "来源": item.source,
                "问题": item.content,
                "整改措施": item.measures,
                "责任人": item.owner_name,
                "整改时限": item.deadline,
                "状态": item.status,
                "完成日期": item.completed_on,
                "整改情况": item.completion_note,
                "佐证材料": "、".join(self.evidence(item)),
                "备注": self.remarks(item),
            }
            for number, item in enumerate(self.items, start=1)
        ]


def build_ledger(org: Organisation, year: int, *, items: QuerySet[ListItem], today: date | None = None) -> Ledger:
    """The ledger of `org`'s subtree for `year`; `items` is the caller's access-scoped queryset."""
    today = today or date.today()
    problems = (
        items.filter(kind=ListKind.PROBLEM).in_org(org).of_year(year)
        .select_related("org", "owner").prefetch_related("attachments", "record_links__activity__type")
        .order_by("year", "org__path", BY_DEADLINE, "id")
    )
    return Ledger(org, year, today, list(problems), rectification_rate(org, year, as_of=today))


def _text(value) -> str:
    return f"{value:%Y-%m-%d}" if isinstance(value, date) else str(value or "")


def ledger_xlsx(ledger: Ledger) -> bytes:
    kinds = {"序号": "number", "整改时限": "date", "完成日期": "date"}
    columns = [LedgerColumn(name, width, kinds.get(name, "text")) for name, width in zip(COLUMNS, XLSX_WIDTHS)]
    rate = format_rate(ledger.rate.rate) if ledger.rate.rate is not None else "不适用"
    problems = LedgerSheet("问题整改台账", ledger.title, columns, [[row[name] for name in COLUMNS] for row in ledger.rows()],
                           subheading=subheading(ledger.today), notes=[ledger.summary()])
    summary = LedgerSheet("汇总", f"{ledger.title}（汇总）", [LedgerColumn("项目", 22), LedgerColumn("内容", 90)], [
        ("组织", ledger.org.name), ("年度", ledger.year), ("本年度登记问题（项）", ledger.rate.total),
        ("已完成（项）", ledger.rate.done), ("整改完成率", rate), ("说明", ledger.summary()),
    ], landscape=False)
    return ledger_workbook([problems, summary])


def ledger_docx(ledger: Ledger) -> bytes:
    document = build_official_document(ledger.title, [body(ledger.summary())])
    use_landscape(document)
    rows = [[_text(row[column]) for column in COLUMNS] for row in ledger.rows()]
    add_table(document, COLUMNS, rows, widths=[Mm(width) for width in DOCX_WIDTHS_MM])
    return document_to_bytes(document)
