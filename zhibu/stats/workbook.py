"""The 党内统计 tables as one .xlsx: a printable sheet per table, the checks, and a sheet naming who each cell counts."""

from __future__ import annotations

from datetime import date

from zhibu.lib.ledgerbook import LedgerColumn, LedgerSheet, ledger_workbook, subheading
from zhibu.stats.tables import LAYOUT_NOTE, Statistics

INDENT = "　　"
TABLE_COLUMNS = (LedgerColumn("序号", 6), LedgerColumn("项目", 44), LedgerColumn("人数（个数）", 14, "number"))
CHECK_COLUMNS = (LedgerColumn("表", 24), LedgerColumn("核对关系", 60), LedgerColumn("结果", 10), LedgerColumn("说明", 60))
PEOPLE_COLUMNS = (
    LedgerColumn("序号", 6, "number"), LedgerColumn("姓名（名称）", 14), LedgerColumn("所在党支部（类别）", 20),
    LedgerColumn("计入的项目", 70), LedgerColumn("日期", 12, "date"), LedgerColumn("说明", 30),
)
SHORT = {"t1": "第一表", "t2": "基本情况", "t3": "发展党员", "t4": "党组织"}


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


def names_rows(stats: Statistics) -> list[list]:
    """Who (and which organisation) each cell counts: one line per person, event or organisation, naming the cells
    it is counted in — a committee of 1,000 branches would otherwise list each member a dozen times."""
    from django.db.models import Q

    from zhibu.orgs.models import Person

    by_base: dict[str, dict[int, list[str]]] = {"person": {}, "events": {}, "orgs": {}}
    # Each kind's rows are read through subqueries of the bases (no list of ids: a big committee has tens of thousands).
    person_bases: set[str] = set()
    for table in stats.tables:
        for cell in table.cells():
            found = stats.definition(cell.key)
            if not cell.linked or not cell.value or found is None:
                continue
            base, condition = found
            kind = base if base in ("events", "orgs") else "person"
            if kind == "person":
                person_bases.add(base)
            for pk in stats.base(base).filter(condition).values_list("pk", flat=True):
                by_base[kind].setdefault(pk, []).append(f"{SHORT[table.key]}·{cell.title}")
    rows = []
    for event in stats.base("events").select_related("person", "org").order_by("on", "pk"):
        if event.pk in by_base["events"]:
            rows.append([event.person.name, event.org.name, "、".join(by_base["events"][event.pk]), event.on, event.kind])
    people = Q(pk__in=[])
    for base in person_bases:
        people |= Q(pk__in=stats.base(base).values("pk"))
    for person in Person.objects.filter(people).select_related("branch").order_by("branch__path", "name"):
        if person.pk in by_base["person"]:
            rows.append([person.name, person.branch.name, "、".join(by_base["person"][person.pk]), person.admitted_on,
                         f"{person.category}，入党日期"])
    for org in stats.base("orgs").order_by("path"):
        if org.pk not in by_base["orgs"]:
            continue
        ends = org.term_ends_on()
        rows.append([org.name, org.kind, "、".join(by_base["orgs"][org.pk]), org.elected_on,
                     f"换届日期；任期届满 {ends:%Y-%m-%d}" if ends else "未登记换届日期"])
    return [[number, *row] for number, row in enumerate(rows, start=1)]


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
    sheets.append(LedgerSheet(title="名单", heading=f"{heading}　各项所计人员和组织", subheading=subheading(today),
                              columns=PEOPLE_COLUMNS, rows=names_rows(stats)))
    return ledger_workbook(sheets)
