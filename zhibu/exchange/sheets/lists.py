"""Sheet 清单: the items of the problem, task and responsibility lists.

A row with a 编号 updates the item with that 编号; a row without one updates the
item of the same organisation, list, year and content, so re-importing an
exported workbook never adds twins. The 责任人 column is a name: it becomes a
link to the one person of that name in the organisation's branch or subtree,
and stays text when there is none (someone outside the roster) or more than one.

An import may set any status, including 已完成 without evidence: it is how a
clerk moves last year's Excel ledger in. Such items show "无佐证材料" on their
page and in the 问题整改台账, and the change is in the item's history as "导入工作簿".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from zhibu.exchange.sheets.organisations import known_org_kind
from zhibu.exchange.framework import Column, ImportContext, Row, RowReader, Sheet, SheetSummary
from zhibu.lib.cells import parse_date, parse_int
from zhibu.lists.models import EARLIEST_YEAR, ListItem, ListKind, Status, latest_allowed_year, resolve_owner
from zhibu.orgs.models import Organisation

IMPORT_REASON = "导入工作簿"
# Field → the longest text it holds, as the columns are declared on the model.
TEXT_LIMITS = {"编号": 50, "责任人": 50}


@dataclass
class ListItemRow:
    row: int
    ref: str | None
    org_name: str
    kind: str
    year: int | None
    source: str
    content: str
    measures: str
    owner_name: str
    deadline: date | None
    status: str
    completed_on: date | None

    @property
    def natural_key(self) -> tuple:
        return (self.org_name, self.kind, self.year, self.content)


class ListItemSheet(Sheet):
    name = "清单"
    columns = (
        Column("编号"),
        Column("组织", required=True),
        Column("清单", required=True),
        Column("年度", required=True),
        Column("来源", field="lists.ListItem.source"),
        Column("内容", required=True),
        Column("措施"),
        Column("责任人"),
        Column("时限"),
        Column("状态", required=True),
        Column("完成日期"),
    )

    def parse(self, rows: list[Row], context: ImportContext) -> list[ListItemRow]:
        plan: list[ListItemRow] = []
        ref_rows: dict[str, int] = {}
        key_rows: dict[tuple, int] = {}
        for row in rows:
            read = RowReader(self, row, context)
            entry = self._read_row(read, context)
            if entry.ref:
                if entry.ref in ref_rows:
                    read.problem("编号", f"编号“{entry.ref}”与第{ref_rows[entry.ref]}行重复", "每个事项的编号必须唯一")
                ref_rows.setdefault(entry.ref, row.number)
            elif entry.content:
                if entry.natural_key in key_rows:
                    read.problem("内容", f"与第{key_rows[entry.natural_key]}行是同一组织、同一清单、同一年度的相同内容",
                                 "请删除重复的行，或用“编号”列区分")
                key_rows.setdefault(entry.natural_key, row.number)
            if read.ok:
                plan.append(entry)
        self._check_refs_against_database(plan, context)
        return plan

    def _read_row(self, read: RowReader, context: ImportContext) -> ListItemRow:
        for column, limit in TEXT_LIMITS.items():
            if len(read.row.text(column)) > limit:
                read.problem(column, f"内容超过{limit}个字", "请缩短")
        org_name = read.text("组织")
        if org_name and known_org_kind(org_name, context) is None:
            read.problem("组织", f"找不到组织“{org_name}”，或您无权管理它", "请在“党组织”表中加上它，或核对名称")
        year = read.parsed("年度", parse_int, "填写四位年份，例如 2025")
        if year is not None and not EARLIEST_YEAR <= year <= latest_allowed_year():
            read.problem("年度", f"年度 {year} 不在{EARLIEST_YEAR}至{latest_allowed_year()}之间", "填写提出该事项的年份，例如 2025")
            year = None
        deadline = read.parsed("时限", parse_date)
        if deadline and year and deadline.year < year:
            read.problem("时限", f"时限 {deadline:%Y-%m-%d} 早于事项所在的{year}年度", "请核对时限或年度")
        status = read.choice("状态", Status.values) or ""
        completed_on = read.past_date("完成日期", parse_date)
        if status == Status.DONE and completed_on is None and not read.row.text("完成日期"):
            read.problem("完成日期", "状态为“已完成”时必须填写完成日期", "填写实际完成的日期")
        if status and status != Status.DONE and completed_on:
            read.problem("完成日期", f"状态为“{status}”时不应填写完成日期",
                         "已经完成的请把状态改为“已完成”；尚未完成的请清空完成日期")
        if completed_on and year and completed_on.year < year:
            read.problem("完成日期", f"完成日期 {completed_on:%Y-%m-%d} 早于事项所在的{year}年度", "请核对完成日期或年度")
        return ListItemRow(
            row=read.row.number,
            ref=read.text("编号") or None,
            org_name=org_name,
            kind=read.choice("清单", ListKind.values) or "",
            year=year,
            source=read.text("来源"),
            content=read.text("内容"),
            measures=read.text("措施"),
            owner_name=read.text("责任人"),
            deadline=deadline,
            status=status,
            completed_on=completed_on,
        )

    def _check_refs_against_database(self, plan: list[ListItemRow], context: ImportContext) -> None:
        """A 编号 names an item of the row's own organisation; that organisation must be one the actor manages."""
        from zhibu.orgs import access

        names = {entry.org_name for entry in plan if entry.ref}
        managed = set(access.managed_orgs(context.actor).filter(name__in=names).values_list("name", flat=True))
        for entry in plan:
            if entry.ref and entry.org_name not in managed and Organisation.objects.filter(name=entry.org_name).exists():
                # Same wording whether the item exists or not: an import must not reveal other organisations' items.
                context.add(self.name, entry.row, "编号", f"编号“{entry.ref}”已被占用或您无权修改", "请换一个编号")

    def apply(self, plan: list[ListItemRow], context: ImportContext) -> SheetSummary:
        summary = SheetSummary()
        orgs = {org.name: org for org in Organisation.objects.filter(name__in={e.org_name for e in plan})}
        for entry in plan:
            org = orgs[entry.org_name]
            item = self._existing_item(entry, org)
            owner = resolve_owner(org, entry.owner_name)
            values = {
                "org": org, "kind": entry.kind, "year": entry.year, "source": entry.source,
                "content": entry.content, "measures": entry.measures, "owner": owner,
                "owner_text": "" if owner else entry.owner_name, "deadline": entry.deadline,
                "status": entry.status, "completed_on": entry.completed_on,
            }
            if entry.ref:
                values["ref"] = entry.ref
            if item is None:
                item = ListItem(**values)
                item._change_reason = IMPORT_REASON
                item.save()
                summary.created += 1
                continue
            changed = [name for name, value in values.items() if getattr(item, name) != value]
            if not changed:
                summary.unchanged += 1
                continue
            for name in changed:
                setattr(item, name, values[name])
            item._change_reason = IMPORT_REASON
            item.save()
            summary.updated += 1
        return summary

    @staticmethod
    def _existing_item(entry: ListItemRow, org: Organisation) -> ListItem | None:
        if entry.ref:
            return ListItem.objects.filter(org=org, ref=entry.ref).first()
        return ListItem.objects.filter(org=org, kind=entry.kind, year=entry.year, content=entry.content).order_by("id").first()

    def export_rows(self, actor, orgs):
        items = (
            ListItem.objects.visible_to(actor)
            .filter(org__in=orgs)
            .select_related("org", "owner")
            .order_by("org__path", "year", "kind", "id")
        )
        for item in items:
            yield {
                "编号": item.ref or "",
                "组织": item.org.name,
                "清单": item.kind,
                "年度": item.year,
                "来源": item.source,
                "内容": item.content,
                "措施": item.measures,
                "责任人": item.owner_name,
                "时限": item.deadline,
                "状态": item.status,
                "完成日期": item.completed_on,
            }
