"""The optional columns of sheet 党员 that the 党内统计 tables and the national roster need (民族 … 新社会阶层类型).

Kept apart from people.py: the columns are declared there with `PROFILE_COLUMNS`, read with `read_profile_columns`
and written with `profile_cells`. A column the workbook does not have leaves what the database holds as it is,
so a workbook made before these columns existed imports as it always did.
"""

from __future__ import annotations

from zhibu.exchange.framework import Column, RowReader
from zhibu.lib.cells import parse_date
from zhibu.orgs.profile import JOB, STRATUM, codes, read_profile

PROFILE_COLUMNS = (
    Column("民族"),
    Column("籍贯", field="orgs.Person.native_place"),
    Column("学历"),
    Column("学位"),
    Column("工作岗位"),
    Column("参加工作日期"),
    Column("户籍所在地", field="orgs.Person.household_place"),
    Column("现居住地", field="orgs.Person.residence"),
    Column("是否农民工"),
    Column("新社会阶层类型"),
)
# Column → Person field.
PROFILE_FIELDS = {
    "民族": "ethnicity", "籍贯": "native_place", "学历": "education", "学位": "degree", "工作岗位": "job",
    "参加工作日期": "work_started_on", "户籍所在地": "household_place", "现居住地": "residence",
    "是否农民工": "migrant_worker", "新社会阶层类型": "stratum",
}
_CODES = "profile_codes"


def _code_lists(context) -> tuple[list[str], list[str]]:
    if _CODES not in context.declared:
        context.declared[_CODES] = (codes(JOB), codes(STRATUM))
    return context.declared[_CODES]


def read_profile_columns(read: RowReader, context) -> dict:
    """Person field → value for the profile columns this workbook has; problems go to `read`."""
    present = [label for label in PROFILE_FIELDS if label in read.row.cells]
    if not present:
        return {}
    job_codes, stratum_codes = _code_lists(context)
    values, problems = read_profile(read.row.raw, job_codes=job_codes, stratum_codes=stratum_codes)
    for label in ("籍贯", "户籍所在地", "现居住地"):
        values[PROFILE_FIELDS[label]] = read.text(label)  # normalised and checked against the field's limits
    values["work_started_on"] = read.past_date("参加工作日期", parse_date)
    for label, problem in problems.items():
        if label in present:
            read.problem(label, problem)
    return {PROFILE_FIELDS[label]: values[PROFILE_FIELDS[label]] for label in present}


def profile_cells(person) -> dict:
    """The profile columns of one person, as sheet 党员 writes them."""
    cells = {label: getattr(person, field) for label, field in PROFILE_FIELDS.items()}
    cells["是否农民工"] = "是" if person.migrant_worker else "否"
    return cells
