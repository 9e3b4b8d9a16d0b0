"""The records' own ledgers (台账): 三会一课台账, 组织生活记录 and the sign-in sheet, registered in the one
ledger registry (`zhibu/records/ledger_registry.py`) like every other app's."""

from __future__ import annotations

from datetime import date

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt
from zhibu.lib.ledgerbook import LedgerColumn, LedgerSheet, ledger_workbook, subheading
from zhibu.lib.officialdoc import (
    body,
    body_with_heading,
    build_official_document,
    document_to_bytes,
    heading1,
)
from zhibu.lib.strokes import stroke_key
from zhibu.orgs import access
from zhibu.orgs.models import Organisation
from zhibu.records.attendance import Figures, Rosters, figures, with_attendance
from zhibu.records.catalogue import ORGANISATIONAL_LIFE, THREE_MEETINGS_ONE_LESSON
from zhibu.records.ledger_registry import Ledger, register
from zhibu.records.models import Activity, ActivityType


def held_records(actor, org: Organisation, year: int, groups: tuple[str, ...]):
    """Records of the year held so far in the organisation's subtree, of types in `groups`, oldest first."""
    records = access.scope_to_orgs(actor, Activity.objects.in_subtree(org).in_year(year), manage=True)
    records = records.held().filter(type__group__in=groups, type__takes_attendance=True)
    return with_attendance(records.select_related("chair", "recorder", "lecturer")).order_by("date", "start_time", "pk")


def long_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def when(activity: Activity) -> str:
    return long_date(activity.date) + (f" {activity.start_time:%H:%M}" if activity.start_time else "")


def _name(person) -> str:
    return person.name if person else ""


@register
class ThreeMeetingsLedger(Ledger):
    identifier = "sanhui"
    position = 10
    verbose_name = "三会一课台账"
    extension = ".xlsx"
    description = "每类会议一张工作表，每次会议一行：日期、主题、主持人、应到、实到、出席率、缺席人员及原因等"
    columns = (
        LedgerColumn("序号", 5, "number"), LedgerColumn("日期", 11, "date"), LedgerColumn("时间", 6),
        LedgerColumn("组织", 14), LedgerColumn("主题", 26), LedgerColumn("主持人", 8), LedgerColumn("主讲人", 10),
        LedgerColumn("地点", 12), LedgerColumn("应到", 5, "number"), LedgerColumn("实到", 5, "number"),
        LedgerColumn("请假", 5, "number"), LedgerColumn("缺席", 5, "number"), LedgerColumn("出席率", 7, "percent"),
        LedgerColumn("缺席人员及原因", 30), LedgerColumn("记录人", 8),
    )

    def render(self, actor, org, year, activity=None):
        records = list(held_records(actor, org, year, (THREE_MEETINGS_ONE_LESSON,)))
        rosters = Rosters()
        sheets = []
        for activity_type in ActivityType.objects.filter(group=THREE_MEETINGS_ONE_LESSON, takes_attendance=True):
            of_type = [r for r in records if r.type_id == activity_type.pk]
            sheets.append(self._sheet(f"{org.name}{year}年{activity_type.name}台账", activity_type.name,
                                      [(r, figures(r, rosters)) for r in of_type]))
        return self.filename(org, year), self.mimetype, ledger_workbook(sheets)

    def _sheet(self, title: str, sheet_name: str, rows: list[tuple[Activity, Figures]]) -> LedgerSheet:
        lines = [
            [
                number, activity.date, activity.start_time.strftime("%H:%M") if activity.start_time else "",
                activity.org.name, activity.subject, _name(activity.chair), activity.lecturer_name, activity.place,
                len(result.expected), len(result.present), len(result.on_leave),
                len(result.absent) + len(result.unrecorded),
                float(result.rate) / 100 if result.rate is not None else None, result.missing_text, _name(activity.recorder),
            ]
            for number, (activity, result) in enumerate(rows, start=1)
        ]
        expected = sum(len(result.expected) for _, result in rows)
        present = sum(len(result.present) for _, result in rows)
        totals = [f"合计 {len(rows)} 次", None, None, None, None, None, None, None, expected, present, None, None,
                  present / expected if expected else None, None, None]
        return LedgerSheet(sheet_name, title, self.columns, lines, totals=totals, subheading=subheading(date.today()))


@register
class OrganisationLifeLedger(Ledger):
    identifier = "zuzhishenghuo"
    position = 20
    verbose_name = "组织生活记录"
    extension = ".docx"
    description = "全年三会一课和组织生活，每次会议按会议记录格式另起一页"

    def render(self, actor, org, year, activity=None):
        rosters = Rosters()
        blocks = []
        records = list(held_records(actor, org, year, (THREE_MEETINGS_ONE_LESSON, ORGANISATIONAL_LIFE)))
        for record in records:
            result = figures(record, rosters)
            blocks += [
                heading1(f"{long_date(record.date)}　{record.org.name}{record.type.name}"),
                body_with_heading("时间：", when(record)),
                body_with_heading("地点：", record.place or "—"),
                body_with_heading("主持人：", _name(record.chair) or "—"),
                body_with_heading("记录人：", _name(record.recorder) or "—"),
            ]
            if record.lecturer_name:
                blocks.append(body_with_heading("主讲人：", record.lecturer_name))
            blocks += [
                body_with_heading("应到人数：", f"{len(result.expected)}人；实到人数：{len(result.present)}人"),
                body_with_heading("缺席人员及原因：", result.missing_text or "无"),
                body_with_heading("主题：", record.subject or record.type.name),
                body_with_heading("内容：", ""),
                *[body(line) for line in (record.minutes or "（未填写会议内容）").splitlines() if line.strip()],
            ]
        if not records:
            blocks.append(body(f"{year}年尚无已举行的三会一课和组织生活记录。"))
        document = build_official_document(f"{org.name}\n{year}年组织生活记录", blocks)
        # Each meeting starts a page, as in a bound minutes book.
        headings = [p for p in document.paragraphs if p.style.name == "一级标题"]
        for paragraph in headings[1:]:
            paragraph.paragraph_format.page_break_before = True
        return self.filename(org, year), self.mimetype, document_to_bytes(document)


@register
class SignInSheet(Ledger):
    identifier = "qiandao"
    position = 30
    verbose_name = "签到表"
    extension = ".docx"
    needs_activity = True
    description = "一次会议（通常是计划中的会议）的签到表，应到人员按姓氏笔画排序"
    PER_ROW = 2  # two people side by side keep a branch of 30 on one page

    def render(self, actor, org, year, activity=None):
        if activity is None:
            raise LookupError("签到表需要指定一次活动")
        activity = (
            access.scope_to_orgs(actor, Activity.objects.select_related("org", "type", "chair"), manage=True)
            .filter(pk=activity.pk).first()
        )
        if activity is None:
            raise LookupError("没有找到这次活动，或您无权查看")
        people = self.people_due(activity)
        blocks = [
            body_with_heading("时间：", when(activity)),
            body_with_heading("地点：", activity.place or "　"),
            body_with_heading("主题：", activity.subject or activity.type.name),
            body_with_heading("主持人：", _name(activity.chair) or "　"),
            body_with_heading("应到人数：", f"{len(people)}人　　实到人数：　　人"),
        ]
        document = build_official_document(f"{activity.org.name}\n{activity.type.name}签到表", blocks)
        self._add_table(document, people)
        filename = f"{activity.org.name}-{activity.date:%Y%m%d}{activity.type.name}签到表{self.extension}"
        return filename, self.mimetype, document_to_bytes(document)

    @staticmethod
    def people_due(activity: Activity):
        """The circle due at the meeting, or for a meeting "按名单" those listed (else the whole organisation)."""
        rosters = Rosters()
        people = {p.pk: p for p in rosters.circle(activity)}
        for row in activity.attendance.select_related("person"):
            people.setdefault(row.person_id, row.person)
        if not people:
            people = {p.pk: p for p in rosters.members(activity.org)}
        return sorted(people.values(), key=lambda p: stroke_key(p.name))

    def _add_table(self, document, people) -> None:
        """序号 | 姓名 | 签名, PER_ROW times side by side, numbered down each column as a printed list reads."""
        header = ("序号", "姓名", "签名")
        widths = (Mm(14), Mm(30), Mm(34))
        rows = -(-len(people) // self.PER_ROW)
        table = document.add_table(rows=rows + 1, cols=len(header) * self.PER_ROW)
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        for index, column in enumerate(table.columns):
            column.width = widths[index % len(header)]
        for row_index, row in enumerate(table.rows):
            row.height = Mm(11)
            for column, cell in enumerate(row.cells):
                cell.width = widths[column % len(header)]
                if row_index == 0:
                    text = header[column % len(header)]
                else:
                    index = (column // len(header)) * rows + row_index - 1
                    person = people[index] if index < len(people) else None
                    text = "" if person is None else (str(index + 1), person.name, "")[column % len(header)]
                paragraph = cell.paragraphs[0]
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
                run = paragraph.add_run(text)
                run.font.size = Pt(14)
                run.bold = row_index == 0
