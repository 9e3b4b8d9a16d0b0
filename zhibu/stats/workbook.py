"""The 党内统计 tables as one .xlsx: a printable sheet per table, the checks, and a sheet naming who each cell counts."""

from __future__ import annotations

from datetime import date

from zhibu.lib.ledgerbook import LedgerColumn, LedgerSheet, ledger_workbook, subheading
from zhibu.stats.tables import LAYOUT_NOTE, Statistics

INDENT = "　　"
TABLE_COLUMNS = (LedgerColumn("序号", 6), LedgerColumn("项目", 44), LedgerColumn("人数（个数）", 14, "number"))
CHECK_COLUMNS = (LedgerColumn("表", 24), LedgerColumn("核对关系", 60), LedgerColumn("结果", 10), LedgerColumn("说明", 60))
PEOPLE_COLUMNS = (
    LedgerColumn("表", 22), LedgerColumn("项目", 30), LedgerColumn("姓名（名称）", 14), LedgerColumn("所在党支部（类别）", 20),
    LedgerColumn("日期", 12, "date"), LedgerColumn("说明", 44),
)


def _table_rows(table):
    """Rows numbered as the official layout numbers them (第一表), else in order; sections as their own line."""
    numbered = any(cell.number for cell in table.cells())
    rows, position = [], 0
    for section, cells in table.sections:
        if section:
            rows.append(["", f"【{section}】", None])
        for cell in cells:
            position += 1
            rows.append([cell.number if numbered else str(position), INDENT * cell.level + cell.label, cell.value])
    return rows


def statistics_xlsx(stats: Statistics, today: date | None = None) -> bytes:
    today = today or date.today()
    heading = f"{stats.org.name}{stats.year}年党内统计"
    unit = f"{stats.org.name}　统计年度：{stats.year}年"
    sheets = [
        LedgerSheet(title=table.title.replace("　", " ")[:31], heading=table.title,
                    subheading=subheading(today, unit), columns=TABLE_COLUMNS, rows=_table_rows(table),
                    notes=[table.note, LAYOUT_NOTE], landscape=False)
        for table in stats.tables
    ]
    checks = []
    for table in stats.tables:
        for check in table.checks:
            checks.append([table.title, check.text, "符合" if check.ok else "不符", "；".join(check.details)])
    sheets.append(LedgerSheet(title="核对", heading=f"{heading}　表内关系核对", subheading=subheading(today),
                              columns=CHECK_COLUMNS, rows=checks))
    people = []
    for table in stats.tables:
        for cell in table.cells():
            if not cell.linked or not cell.value:
                continue
            for row in stats.members(cell.key):
                people.append([
                    table.title, cell.label, row.get("姓名") or row.get("名称"),
                    row.get("所在党支部") or row.get("类别") or "", row.get("日期") or row.get("换届日期"),
                    row.get("说明") or (f"任期届满 {row['任期届满']:%Y-%m-%d}" if row.get("任期届满") else ""),
                ])
    sheets.append(LedgerSheet(title="名单", heading=f"{heading}　各项所计人员和组织", subheading=subheading(today),
                              columns=PEOPLE_COLUMNS, rows=people))
    return ledger_workbook(sheets)
