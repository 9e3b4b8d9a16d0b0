"""Sheet 民主评议: the results of a branch's yearly 民主评议党员 (姓名, 组织, 年度, 评定结果, 处置, 评定日期).

Rows of one branch and year make (or update) that year's appraisal as finished; each row sets one member's
result. A row matches the member's result of that appraisal, so re-importing an exported workbook changes
nothing. An appraisal still under way on the site is not overwritten: its rows are refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from zhibu.appraisal.models import Appraisal, Participant, Status
from zhibu.appraisal.rules import DISPOSALS, GRADES, NOT_GRADED
from zhibu.exchange.sheets.people import people_to_refer_to, report_unknown_person
from zhibu.exchange.framework import Column, ImportContext, Row, RowReader, Sheet, SheetSummary
from zhibu.lib.cells import parse_date, parse_int
from zhibu.orgs import access
from zhibu.orgs.models import Organisation, Person

EARLIEST_YEAR = 2000
IMPORT_REASON = "导入工作簿"


@dataclass(frozen=True)
class AppraisalRow:
    row: int
    name: str
    branch_name: str
    year: int
    result: str
    disposal: str
    evaluated_on: date | None


class AppraisalSheet(Sheet):
    name = "民主评议"
    columns = (
        Column("姓名", required=True),
        Column("组织", required=True),
        Column("年度", required=True),
        Column("评定结果", required=True),
        Column("处置"),
        Column("评定日期"),
    )

    def parse(self, rows: list[Row], context: ImportContext) -> list[AppraisalRow]:
        known = people_to_refer_to(rows, context)
        plan: list[AppraisalRow] = []
        seen: dict[tuple, int] = {}
        dates: dict[tuple, tuple[date, int]] = {}
        for row in rows:
            read = RowReader(self, row, context)
            name, branch_name = read.text("姓名"), read.text("组织")
            year = read.parsed("年度", parse_int, "填写四位年份，例如 2025")
            if year is not None and not EARLIEST_YEAR <= year <= date.today().year:
                read.problem("年度", f"年度 {year} 不在{EARLIEST_YEAR}至{date.today().year}之间", "填写评议的年度，例如 2025")
                year = None
            result = read.choice("评定结果", (*GRADES, NOT_GRADED)) or ""
            disposal = read.choice("处置", DISPOSALS) or ""
            evaluated_on = read.past_date("评定日期", parse_date)
            if result == "不合格" and not disposal and not read.row.text("处置"):
                read.problem("处置", "评定为不合格时必须填写处置", "可填：" + "、".join(DISPOSALS))
            if result and result != "不合格" and disposal:
                read.problem("处置", f"评定结果为“{result}”时不应填写处置", "处置只用于不合格，请清空")
            if evaluated_on and year and evaluated_on.year < year:
                read.problem("评定日期", f"评定日期 {evaluated_on:%Y-%m-%d} 早于评议的{year}年度", "组织评定在评议年度内或之后")
            if name and branch_name and (branch_name, name) not in known:
                report_unknown_person(read, branch_name, name)
            key = (branch_name, year, name)
            if read.ok and key in seen:
                read.problem("姓名", f"与第{seen[key]}行是同一人、同一年度", "每人每年度只有一个评定结果，请删除重复的行")
            seen.setdefault(key, row.number)
            group = (branch_name, year)
            if read.ok and evaluated_on:
                earlier = dates.setdefault(group, (evaluated_on, row.number))
                if earlier[0] != evaluated_on:
                    read.problem("评定日期", f"与第{earlier[1]}行的评定日期{earlier[0]:%Y-%m-%d}不同",
                                 "同一支部同一年度只有一次组织评定，请填同一日期")
            if read.ok:
                plan.append(AppraisalRow(row.number, name, branch_name, year, result, disposal, evaluated_on))
        self._check_under_way(plan, context)
        return plan

    def _check_under_way(self, plan: list[AppraisalRow], context: ImportContext) -> None:
        groups = {(e.branch_name, e.year) for e in plan}
        under_way = {
            (a.branch.name, a.year)
            for a in access.scope_to_orgs(context.actor, Appraisal.objects.exclude(status=Status.DONE), "branch", manage=True)
            .filter(branch__name__in={g[0] for g in groups}).select_related("branch")
        }
        for entry in plan:
            if (entry.branch_name, entry.year) in under_way:
                context.add(self.name, entry.row, "年度", f"{entry.branch_name}{entry.year}年度的民主评议正在系统中进行",
                            "请在“民主评议”页面完成组织评定，不要用工作簿覆盖")

    def apply(self, plan: list[AppraisalRow], context: ImportContext) -> SheetSummary:
        summary = SheetSummary()
        branches = {org.name: org for org in Organisation.objects.filter(name__in={e.branch_name for e in plan})}
        people = {(p.branch.name, p.name): p for p in Person.objects.filter(name__in={e.name for e in plan}).select_related("branch")}
        actor = context.actor if getattr(context.actor, "pk", None) else None
        appraisals: dict[tuple, Appraisal] = {}
        for entry in plan:
            group = (entry.branch_name, entry.year)
            appraisal = appraisals.get(group)
            if appraisal is None:
                appraisal, _ = Appraisal.objects.get_or_create(
                    branch=branches[entry.branch_name], year=entry.year,
                    defaults={"status": Status.DONE, "imported": True, "created_by": actor, "evaluated_on": entry.evaluated_on})
                if entry.evaluated_on and appraisal.evaluated_on != entry.evaluated_on:
                    appraisal.evaluated_on = entry.evaluated_on
                    appraisal.save(update_fields=["evaluated_on"])
                appraisals[group] = appraisal
            person = people[(entry.branch_name, entry.name)]
            values = {"grade": entry.result, "disposal": entry.disposal, "graded": entry.result != NOT_GRADED}
            participant = Participant.objects.filter(appraisal=appraisal, person=person).first()
            if participant is None:
                participant = Participant(appraisal=appraisal, person=person, name=person.name, category=person.category, **values)
                summary.created += 1
            elif all(getattr(participant, field) == value for field, value in values.items()):
                summary.unchanged += 1
                continue
            else:
                for field, value in values.items():
                    setattr(participant, field, value)
                summary.updated += 1
            participant._history_user = actor
            participant._change_reason = IMPORT_REASON
            participant.save()
        return summary

    def export_rows(self, actor, orgs):
        appraisals = access.scope_to_orgs(actor, Appraisal.objects.filter(branch__in=orgs, status=Status.DONE), "branch")
        participants = (
            Participant.objects.filter(appraisal__in=appraisals, person__isnull=False)
            .select_related("appraisal__branch", "person__branch")
            .order_by("appraisal__branch__path", "appraisal__year", "name", "pk")
        )
        for p in participants:
            yield {
                "姓名": p.person.name,
                "组织": p.appraisal.branch.name,
                "年度": p.appraisal.year,
                "评定结果": p.grade or NOT_GRADED,
                "处置": p.disposal,
                "评定日期": p.appraisal.evaluated_on,
            }
