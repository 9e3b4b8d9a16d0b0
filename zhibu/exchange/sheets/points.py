"""Sheet 积分调整: manual points adjustments (姓名, 组织, 日期, 分值, 事由).

An adjustment has no number of its own, so a row matches an adjustment of the same person, day, points
and reason: re-importing changes nothing. Two identical rows are two adjustments (the same prize twice
in a day is possible), matched in number against those already there.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from zhibu.exchange.sheets.people import people_to_refer_to, report_unknown_person
from zhibu.exchange.framework import Column, ImportContext, Row, RowReader, Sheet, SheetSummary
from zhibu.lib.cells import parse_date, parse_decimal
from zhibu.orgs import access
from zhibu.orgs.models import Person
from zhibu.points.models import POINTS, PointAdjustment, adjustment_problems

COLUMN_BY_FIELD = {"points": "分值", "reason": "事由", "date": "日期"}
REASON_LENGTH = PointAdjustment._meta.get_field("reason").max_length


@dataclass(frozen=True)
class AdjustmentRow:
    branch_name: str
    name: str
    day: date
    points: Decimal
    reason: str


def _points(value) -> Decimal | None:
    return parse_decimal(value, places=POINTS["decimal_places"])


class PointAdjustmentSheet(Sheet):
    name = "积分调整"
    columns = (
        Column("姓名", required=True),
        Column("组织", required=True),
        Column("日期", required=True),
        Column("分值", required=True),
        Column("事由", required=True, field="points.PointAdjustment.reason"),
    )

    def parse(self, rows: list[Row], context: ImportContext) -> list[AdjustmentRow]:
        known = people_to_refer_to(rows, context)
        plan = []
        for row in rows:
            read = RowReader(self, row, context)
            name, branch_name = read.text("姓名"), read.text("组织")
            day = read.parsed("日期", parse_date)
            points = read.parsed("分值", _points, "请填写带正负号的数字，例如 3 或 -2")
            reason = read.text("事由")
            if name and branch_name and (branch_name, name) not in known:
                report_unknown_person(read, branch_name, name)
            problems = adjustment_problems(points, reason, day, date.today())
            if not reason:
                problems.pop("reason", None)  # already listed as an empty required cell
            for field, message in problems.items():
                read.problem(COLUMN_BY_FIELD[field], message)
            if len(reason) > REASON_LENGTH:
                read.problem("事由", f"事由太长（{len(reason)}字）", f"请写在{REASON_LENGTH}字以内")
            if read.ok:
                plan.append(AdjustmentRow(branch_name, name, day, points, reason))
        return plan

    def apply(self, plan: list[AdjustmentRow], context: ImportContext) -> SheetSummary:
        summary = SheetSummary()
        people = {(p.branch.name, p.name): p for p in Person.objects.filter(name__in={e.name for e in plan}).select_related("branch")}
        wanted = Counter(plan)
        existing = Counter(
            AdjustmentRow(a.person.branch.name, a.person.name, a.date, a.points, a.reason)
            for a in PointAdjustment.objects.filter(person__in=people.values()).select_related("person__branch")
        )
        actor = context.actor if getattr(context.actor, "pk", None) else None
        for entry, count in wanted.items():
            already = min(count, existing[entry])
            summary.unchanged += already
            for _ in range(count - already):
                PointAdjustment.objects.create(person=people[(entry.branch_name, entry.name)], date=entry.day,
                                               points=entry.points, reason=entry.reason, created_by=actor)
                summary.created += 1
        return summary

    def export_rows(self, actor, orgs):
        adjustments = (
            PointAdjustment.objects.filter(person__in=access.visible_people(actor).filter(branch__in=orgs))
            .select_related("person__branch")
            .order_by("person__branch__path", "person__name", "date", "pk")
        )
        for adjustment in adjustments:
            yield {
                "姓名": adjustment.person.name,
                "组织": adjustment.person.branch.name,
                "日期": adjustment.date,
                "分值": adjustment.points,
                "事由": adjustment.reason,
            }
