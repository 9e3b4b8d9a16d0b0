"""党员教育培训学时台账 (.xlsx) in the ledger registry: each member's 学时 of the year, record by record, against
the 32 of 第二十条; members exempted (第二十三条) are marked, not judged."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from zhibu.lib.ledgerbook import LedgerColumn, LedgerSheet, ledger_workbook, subheading
from zhibu.orgs import access, membership
from zhibu.orgs.models import MEMBER_CATEGORIES, Exemption
from zhibu.records.hours import REQUIRED_HOURS, ZERO, earning_attendance, hours_of
from zhibu.records.ledger_registry import Ledger, register

COLUMNS = (
    LedgerColumn("序号", 6, "number"), LedgerColumn("姓名", 10), LedgerColumn("所在党支部", 18),
    LedgerColumn("参加的集中学习培训", 60), LedgerColumn("学时合计", 10, "number"), LedgerColumn("要求", 8),
    LedgerColumn("情况", 22),
)


def _h(hours) -> str:
    """4.0 → "4", 4.5 → "4.5"."""
    return format(hours.normalize(), "f")


def hours_rows(actor, org, year: int, today: date) -> list[list]:
    last = min(date(year, 12, 31), today)
    people = list(access.managed_people(actor, membership.people_in_year(org, year))
                  .filter(category__in=MEMBER_CATEGORIES, admitted_on__lte=last).select_related("branch")
                  .order_by("branch__path", "name"))
    ids = [p.pk for p in people]
    attended = defaultdict(list)
    for row in (earning_attendance(ids, year, last)
                .select_related("activity__type").order_by("activity__date", "activity_id")):
        hours = hours_of(row.activity)
        if hours:
            attended[row.person_id].append((row.activity, hours))
    exempt = defaultdict(list)
    for person_id, start, end in Exemption.objects.filter(person_id__in=ids).values_list("person_id", "start", "end"):
        exempt[person_id].append((start, end))
    rows = []
    for number, person in enumerate(people, start=1):
        lines = attended[person.pk]
        total = sum((hours for _, hours in lines), ZERO)
        if membership.covers(exempt[person.pk], last):
            state = "免于参加组织生活（第二十三条），不作要求"
        elif total >= REQUIRED_HOURS:
            state = "达到"
        else:
            state = f"差{_h(REQUIRED_HOURS - total)}学时" + ("" if last.year < today.year or last == date(year, 12, 31) else "（年度未完）")
        detail = "；".join(f"{a.date:%m-%d} {a.type.name}{('《' + a.subject + '》') if a.subject else ''} {_h(h)}" for a, h in lines)
        rows.append([number, person.name, person.branch.name, detail or "—", float(total), f"{REQUIRED_HOURS:g}", state])
    return rows


@register
class StudyHoursLedger(Ledger):
    identifier = "xueshi"
    verbose_name = "党员教育培训学时台账"
    extension = ".xlsx"
    description = "每名党员本年度参加集中学习培训的记录和学时合计，对照每年一般不少于32学时（党员教育管理工作条例第二十条）"

    def render(self, actor, org, year, activity=None):
        today = date.today()
        sheet = LedgerSheet(
            title="学时台账", heading=f"{org.name}{year}年党员教育培训学时台账", subheading=subheading(today),
            columns=COLUMNS, rows=hours_rows(actor, org, year, today),
            notes=["依据《中国共产党党员教育管理工作条例》第二十条：党员每年集中学习培训时间一般不少于32学时。"
                   "学时按出席的记录计：记录填了学时的按记录，否则按活动类型的默认学时。"
                   "第二十三条：年老体弱等免于参加组织生活的党员不作要求。"],
        )
        return self.filename(org, year), self.mimetype, ledger_workbook([sheet])
