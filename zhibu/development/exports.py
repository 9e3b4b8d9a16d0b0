"""The 发展党员台账 of one branch (.xlsx): one line per person, and every dated record on a second sheet."""

from __future__ import annotations

from datetime import date

from zhibu.development.models import DevelopmentRecord
from zhibu.development.pipeline import (
    TRAINING_STEP,
    development_people,
    facts_for,
    next_step,
    person_reminders,
    probation_ends,
)
from zhibu.lib.ledgerbook import LedgerColumn, LedgerSheet, ledger_workbook, subheading
from zhibu.orgs.models import Category, Organisation, Person
from zhibu.orgs.people import by_strokes


def _first(records: list[DevelopmentRecord], number: int) -> DevelopmentRecord | None:
    return next((r for r in records if r.step == number), None)


def _date_of(records, number: int) -> date | None:
    record = _first(records, number)
    return record.date if record else None


def _note_of(records, number: int) -> str:
    record = _first(records, number)
    return record.note if record else ""


def _training(records) -> str:
    return "；".join(f"{r.date:%Y-%m-%d} {r.details}" for r in records if r.step == TRAINING_STEP)


# Narrow enough that the 20 columns print on one landscape A4 page in a readable size (dates take 10 characters).
PERSON_COLUMNS = [
    LedgerColumn("序号", 6, "number"),
    LedgerColumn("姓名", 10),
    LedgerColumn("性别", 6),
    LedgerColumn("出生日期", 10.5, "date"),
    LedgerColumn("人员类别", 12),
    LedgerColumn("申请入党日期", 10.5, "date"),
    LedgerColumn("谈话日期", 10.5, "date"),
    LedgerColumn("确定积极分子日期", 10.5, "date"),
    LedgerColumn("培养联系人", 10),
    LedgerColumn("确定发展对象日期", 10.5, "date"),
    LedgerColumn("入党介绍人", 10),
    LedgerColumn("政治审查日期", 10.5, "date"),
    LedgerColumn("集中培训", 14),
    LedgerColumn("入党日期（支部大会）", 10.5, "date"),
    LedgerColumn("上级党委审批日期", 10.5, "date"),
    LedgerColumn("入党宣誓日期", 10.5, "date"),
    LedgerColumn("预备期满", 10.5, "date"),
    LedgerColumn("转正日期", 10.5, "date"),
    LedgerColumn("下一步", 14),
    LedgerColumn("提醒", 32),
]

RECORD_COLUMNS = [
    LedgerColumn("姓名", 10),
    LedgerColumn("步骤", 6, "number"),
    LedgerColumn("名称", 20),
    LedgerColumn("日期", 12, "date"),
    LedgerColumn("说明", 40),
    LedgerColumn("培训或决议", 16),
]


def _person_line(number: int, person: Person, records: list[DevelopmentRecord], today: date) -> list:
    upcoming = next_step(person, records)
    end = probation_ends(person, records)
    reminders = person_reminders(person, records, today)
    return [
        number, person.name, person.gender, person.birth_date, person.category,
        person.applied_on, facts_for(person, records).application_talk_date, person.activist_on, _note_of(records, 5),
        person.candidate_on, _note_of(records, 9), _date_of(records, 10), _training(records),
        person.admitted_on, _date_of(records, 17), _date_of(records, 20),
        end if person.category in (Category.PROBATIONARY, Category.FULL) else None, person.full_on,
        f"第{upcoming.number}步 {upcoming.name}" if upcoming else "",
        "\n".join(f"【{r.severity}】{r.message}" for r in reminders),
    ]


def development_ledger_xlsx(branch: Organisation, today: date) -> bytes:
    people = by_strokes(development_people(branch, with_history=True))
    records: dict[int, list[DevelopmentRecord]] = {person.pk: [] for person in people}
    for record in DevelopmentRecord.objects.filter(person__in=people).order_by("date", "step", "pk"):
        records[record.person_id].append(record)
    overview = LedgerSheet(
        title="发展党员台账",
        heading=f"{branch.name}发展党员工作台账",
        subheading=subheading(today),
        columns=PERSON_COLUMNS,
        rows=[_person_line(number, person, records[person.pk], today) for number, person in enumerate(people, start=1)],
        notes=["依据《中国共产党发展党员工作细则》（2014年）。“提醒”列列出到期或未按规定办理的事项及依据。"],
    )
    timeline = LedgerSheet(
        title="发展纪实",
        heading=f"{branch.name}发展党员纪实（按人员、日期）",
        subheading=subheading(today),
        columns=RECORD_COLUMNS,
        rows=[[person.name, r.step, r.step_info.name, r.date, r.note, r.details] for person in people for r in records[person.pk]],
    )
    return ledger_workbook([overview, timeline])
