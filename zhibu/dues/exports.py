"""The 党费收缴台账 (.xlsx) and the yearly 公示 (notice list, .docx) of one branch."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from zhibu.dues.calculator import month_key
from zhibu.dues.accounts import BranchLedger, PersonYear
from zhibu.dues.months import month_label
from zhibu.lib.ledgerbook import LedgerColumn, LedgerSheet, ledger_workbook, subheading
from zhibu.lib.officialdoc import FONT_FANGSONG, FONT_HEITI, FONT_LATIN, body, build_official_document, document_to_bytes

RULES_CITATION = "中共中央组织部《关于中国共产党党费收缴、使用和管理的规定》（2008年）"


def remark(row: PersonYear) -> str:
    """What a ledger's 备注 column says about a member: arrears first, then anything preventing a figure."""
    parts = []
    if row.level:
        parts.append(f"连续{row.unpaid_run}个月未缴（{row.level}）")
    if row.problem:
        parts.append(row.problem)
    return "；".join(parts)


def _counted_until(ledger: BranchLedger) -> str:
    current = month_key(ledger.today)
    last = min(current, f"{ledger.year}-12")
    return f"{last[:4]}年{month_label(last)}"


def dues_ledger_xlsx(ledger: BranchLedger) -> bytes:
    columns = [
        LedgerColumn("序号", 6, "number"),
        LedgerColumn("姓名", 12),
        LedgerColumn("人员类别", 10),
        LedgerColumn("党费类别", 10),
        LedgerColumn("月缴费基数", 11, "money"),
        LedgerColumn("月应缴", 9, "money"),
        *(LedgerColumn(f"{month_label(month)}实缴", 8, "money") for month in ledger.months),
        LedgerColumn("应缴合计", 10, "money"),
        LedgerColumn("实缴合计", 10, "money"),
        LedgerColumn("欠缴", 9, "money"),
        LedgerColumn("本月待缴", 9, "money"),
        LedgerColumn("备注", 30),
    ]
    rows = [
        [
            number, row.person.name, row.person.category,
            row.base.category if row.base else "", row.base.base if row.base else None, row.monthly_due,
            *(cell.paid for cell in row.cells),
            row.due_total, row.paid_total, row.owed_total, row.pending_total, remark(row),
        ]
        for number, row in enumerate(ledger.rows, start=1)
    ]
    totals = ["", "合计", "", "", None, None, *ledger.month_paid_totals,
              ledger.due_total, ledger.paid_total, ledger.owed_total, ledger.pending_total, ""]
    sheet = LedgerSheet(
        title=f"{ledger.year}年党费收缴台账",
        heading=f"{ledger.branch.name}{ledger.year}年党费收缴台账",
        subheading=subheading(ledger.today, "元"),
        columns=columns,
        rows=rows,
        totals=totals,
        notes=[
            f"应缴按{RULES_CITATION}计算，取整方式：{ledger.settings.rounding}。",
            f"应缴统计至{_counted_until(ledger)}（含当月）；当月党费在当月内缴纳即可，欠缴只计已过去的月份；连续未缴{ledger.settings.reminder_after}个月提醒、"
            f"{ledger.settings.warning_after}个月警告（党章规定连续六个月不交纳党费视为自行脱党）。",
        ],
    )
    return ledger_workbook([sheet])


# --- the 公示 -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NoticeLine:
    number: int
    name: str
    monthly_due: Decimal | None
    due_total: Decimal
    paid_total: Decimal
    remark: str


NOTICE_HEADER = ("序号", "姓名", "月交纳标准（元）", "应交（元）", "实交（元）", "备注")


def notice_title(ledger: BranchLedger) -> str:
    return f"{ledger.branch.name}\n{ledger.year}年度党费收缴情况公示"


def notice_intro(ledger: BranchLedger) -> str:
    return (f"根据《中国共产党章程》和{RULES_CITATION}，现将本支部党员{ledger.year}年度交纳党费情况"
            f"（统计至{_counted_until(ledger)}）公示如下：")


def notice_closing(ledger: BranchLedger) -> list[str]:
    return [
        f"本支部{ledger.year}年度应交党费{ledger.due_total}元，实交{ledger.paid_total}元。",
        "公示期为5个工作日。如有疑问或异议，请向党支部委员会反映。",
    ]


def notice_lines(ledger: BranchLedger) -> list[NoticeLine]:
    """One line per member; the 公示 shows amounts only, never the income base behind them."""
    lines = []
    for number, row in enumerate(ledger.rows, start=1):
        if row.problem:
            text = "缴费基数待核定"
        elif row.owed_total:
            text = f"欠交{row.owed_total}元"
        elif row.pending_total:
            text = f"本月待交{row.pending_total}元"
        else:
            text = "已足额交纳"
        lines.append(NoticeLine(number, row.person.name, row.monthly_due, row.due_total, row.paid_total, text))
    return lines


def _money(amount: Decimal | None) -> str:
    return "" if amount is None else f"{amount:.2f}"


# Column widths of the 公示 table; together the 156 mm text block of a GB/T 9704 page.
NOTICE_COLUMN_WIDTHS = (Mm(14), Mm(24), Mm(28), Mm(26), Mm(26), Mm(38))


def _set_cell_text(cell, text: str, *, bold: bool = False) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    # Off the page's 28.95 pt line grid, so that a table row is one line high rather than a body line.
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    paragraph._element.get_or_add_pPr().append(snap)
    paragraph.paragraph_format.line_spacing = Pt(18)
    run = paragraph.add_run(text)
    run.bold = bold
    run.font.size = Pt(12)
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:ascii"), FONT_LATIN)
    fonts.set(qn("w:hAnsi"), FONT_LATIN)
    fonts.set(qn("w:eastAsia"), FONT_HEITI if bold else FONT_FANGSONG)


def notice_docx(ledger: BranchLedger) -> bytes:
    """The 公示 as a GB/T 9704 Word document: title, introduction, the table, closing and signature."""
    document = build_official_document(notice_title(ledger), [body(notice_intro(ledger))])
    lines = notice_lines(ledger)
    table = document.add_table(rows=1 + len(lines), cols=len(NOTICE_HEADER))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, NOTICE_HEADER):
        _set_cell_text(cell, text, bold=True)
    for table_row, line in zip(table.rows[1:], lines):
        values = (str(line.number), line.name, _money(line.monthly_due), _money(line.due_total), _money(line.paid_total), line.remark)
        for cell, text in zip(table_row.cells, values):
            _set_cell_text(cell, text)
    # Word reads the cell widths, LibreOffice the table grid: set both.
    table.autofit = False
    for grid_column, width in zip(table._tbl.tblGrid.gridCol_lst, NOTICE_COLUMN_WIDTHS):
        grid_column.w = width
    for column, width in zip(table.columns, NOTICE_COLUMN_WIDTHS):
        for cell in column.cells:
            cell.width = width
    body_style = document.styles["公文正文"]
    for text in notice_closing(ledger):
        document.add_paragraph(text, style=body_style)
    for text in (f"中共{ledger.branch.name}", f"{ledger.today:%Y年%-m月%-d日}"):
        document.add_paragraph(text, style=body_style).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return document_to_bytes(document)
