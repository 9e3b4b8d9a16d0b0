"""The roster in the columns of the national system (全国党员管理信息系统), in and out.

Reading: a workbook whose first sheet's header names 姓名, a 身份证号码 column and a 所在党支部 column (under
any of the names in docs/statistics.md, spaces trimmed) is read as the national roster, whatever the sheet is
called. Each row is matched to a person by 身份证号码, mapped onto sheet 党员's columns (a matched person keeps
what the roster has no column for) and checked and written by sheet 党员 itself: the same all-or-nothing,
messages and idempotence. Columns zhibu does not keep are listed in the preview as not imported; 年龄 is
checked against the dates, not kept.

Writing: `roster_xlsx` writes the people of some organisations in these columns (`zhibu export FILE.xlsx
--layout 全国党员信息`).

The national system's own import template is not confirmed (docs/statistics.md): the layout is that of the
exports of the national record seen in public code.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction

from zhibu.exchange.sheets.people import PersonSheet
from zhibu.exchange.sheets.person_profile import profile_cells
from zhibu.exchange.workbook import ImportContext, ImportResult, Issue, Row, SheetSummary, _Rollback
from zhibu.lib.cells import CellError, cell_text, parse_date, parse_int
from zhibu.lib.idcard import birth_date_from_id, id_number_problem
from zhibu.lib.ledgerbook import table_workbook
from zhibu.orgs import access
from zhibu.orgs.models import Category, Organisation, Person
from zhibu.orgs.profile import read_choice

LAYOUT = "全国党员信息"
SHEET_TITLE = "中组部党员"

# The export's columns, in order (the "中组部党员" export, plus 参加工作日期 of the other exports).
COLUMNS = (
    "姓名", "身份证号码", "性别", "出生日期", "民族", "籍贯", "年龄", "学历", "学位", "毕业院校", "专业", "入党时间", "转正日期",
    "工作岗位", "从事专业技术服务", "新的社会阶层", "人员类别", "是否农民工", "手机号码", "联系电话", "所在党支部",
    "联合支部单位名称", "档案所在单位", "户籍所在地", "现居住地", "失去联系情形", "失去联系日期", "信息完整度", "参加工作日期",
)
# National column (and its synonyms) → sheet 党员's column.
KEPT = {
    "姓名": "姓名", "身份证号码": "身份证号", "公民身份号码": "身份证号", "公民身份证号码": "身份证号", "性别": "性别",
    "出生日期": "出生日期", "民族": "民族", "籍贯": "籍贯", "学历": "学历", "学位": "学位", "入党时间": "入党日期",
    "转正日期": "转正日期", "转正时间": "转正日期", "工作岗位": "工作岗位", "新的社会阶层": "新社会阶层类型",
    "新社会阶层类型": "新社会阶层类型", "人员类别": "人员类别", "是否农民工": "是否农民工", "手机号码": "手机号",
    "移动电话": "手机号", "所在党支部": "所在组织", "所在党组织": "所在组织", "户籍所在地": "户籍所在地",
    "现居住地": "现居住地", "参加工作日期": "参加工作日期",
}
CHECKED = ("年龄",)  # read to check the dates, not kept
ID_COLUMNS = ("身份证号码", "公民身份号码", "公民身份证号码")
BRANCH_COLUMNS = ("所在党支部", "所在党组织")
# A probationary member's age may be 18 at admission at the earliest (党章 第一条).
ADMISSION_AGE = 18


def _header(worksheet) -> list[str]:
    first = next(worksheet.iter_rows(max_row=1, values_only=True), None) or ()
    return [cell_text(cell).strip() for cell in first]


def is_national(workbook) -> bool:
    """Whether the workbook's first sheet is a roster in the national columns (not one of zhibu's own sheets)."""
    from zhibu.exchange.sheets import SHEETS

    if not workbook.sheetnames or workbook.sheetnames[0] in {sheet.name for sheet in SHEETS}:
        return False
    names = set(_header(workbook[workbook.sheetnames[0]]))
    return "姓名" in names and bool(names & set(ID_COLUMNS)) and bool(names & set(BRANCH_COLUMNS))


def import_roster(workbook, context: ImportContext, *, dry_run: bool, limit: int) -> ImportResult:
    title = workbook.sheetnames[0]
    worksheet = workbook[title]
    rows = worksheet.iter_rows(values_only=True)
    names = [cell_text(cell).strip() for cell in (next(rows, None) or ())]
    notes = [f"按全国党员管理信息系统的列读取工作表“{title}”（按身份证号码对应人员）"]
    skipped = [name for name in names if name and name not in KEPT and name not in CHECKED]
    if skipped:
        notes.append("以下列本系统不保存，未导入：" + "、".join(dict.fromkeys(skipped)))
    notes += [f"工作表“{other}”不是全国党员信息的格式，未导入" for other in workbook.sheetnames[1:]]
    targets: dict[str, str] = {}  # sheet 党员 column → national column, for messages
    for name in names:
        if name in KEPT:
            if KEPT[name] in targets:
                context.add(title, 1, name, f"与列“{targets[KEPT[name]]}”重复", "两列含义相同，请只保留一列")
            targets.setdefault(KEPT[name], name)
    data = []
    for number, values in enumerate(rows, start=2):
        cells = {name: value for name, value in zip(names, values) if name}
        if all(value is None or (isinstance(value, str) and not value.strip()) for value in cells.values()):
            continue
        if len(data) >= limit:
            from zhibu.exchange.workbook import ROW_LIMIT_FIX, _too_many_rows

            return ImportResult([Issue("", None, None, _too_many_rows(None, limit), ROW_LIMIT_FIX)], {}, False)
        data.append(Row(number, cells))
    workbook.close()
    if context.issues:
        return ImportResult(context.issues, {}, False)
    person_rows, own_issues = _as_person_rows(data, targets, title, context)
    sheet = PersonSheet()
    context.declared["rows_by_sheet"] = {sheet.name: person_rows}
    plan = sheet.parse(person_rows, context)
    issues = own_issues + [_renamed(issue, title, targets, own_issues) for issue in context.issues]
    issues = [issue for issue in issues if issue is not None]
    if issues:
        return ImportResult(sorted(issues, key=lambda i: (i.row or 0)), {}, False, notes)
    summary = SheetSummary()
    try:
        with transaction.atomic():
            summary = sheet.apply(plan, context)
            if dry_run:
                raise _Rollback
    except _Rollback:
        pass
    return ImportResult([], {title: summary}, not dry_run, notes)


def _renamed(issue: Issue, title: str, targets: dict[str, str], own: list[Issue]) -> Issue | None:
    """A message of sheet 党员 in the national sheet's words (its column names), or None when already said."""
    column = targets.get(issue.column or "", issue.column)
    if any(mine.row == issue.row and mine.column == column for mine in own):
        return None
    fix = issue.fix
    if issue.column == "所在组织" and issue.message.startswith("找不到组织"):
        fix = "所在党支部须是本单位已有、您管理的党支部：请核对名称，或先在系统中建立该党支部"
    return Issue(title, issue.row, column, issue.message, fix)


def _as_person_rows(data: list[Row], targets: dict[str, str], title: str, context: ImportContext):
    """Sheet 党员's rows: a matched person's present values, overlaid with what the roster says.

    A row is matched by 身份证号码; a row without one (zhibu may hold people whose number is not known yet) by
    所在党支部 and 姓名, as sheet 党员 matches."""
    issues: list[Issue] = []
    id_column = targets.get("身份证号", "身份证号码")
    branch_column, name_column = targets.get("所在组织", "所在党支部"), targets.get("姓名", "姓名")
    numbers = [cell_text(row.raw(id_column)).upper() for row in data]
    unnumbered = {(cell_text(row.raw(branch_column)), cell_text(row.raw(name_column))) for row, n in zip(data, numbers) if not n}
    managed = access.managed_people(context.actor)
    by_number = {p.id_number: p for p in managed.filter(id_number__in=[n for n in numbers if n]).only("id_number", "branch_id")}
    by_name = {}
    if unnumbered:
        for person in managed.filter(name__in={name for _, name in unnumbered}).select_related("branch"):
            by_name[(person.branch.name, person.name)] = person
    matched = list(by_number.values()) + list(by_name.values())
    present = _present(PersonSheet(), {person.branch_id for person in matched}, {person.pk for person in matched})
    result = []
    today = date.today()
    for row, number in zip(data, numbers):
        person = by_number.get(number) if number else by_name.get(
            (cell_text(row.raw(branch_column)), cell_text(row.raw(name_column))))
        cells = dict(present.get(person.pk, {})) if person else {}
        for national, value in row.cells.items():
            if national in KEPT:
                cells[KEPT[national]] = value
        category = cell_text(cells.get("人员类别"))
        if category and category not in Category.values:
            _, problem = read_choice(category, Category.values)
            issues.append(Issue(title, row.number, targets.get("人员类别", "人员类别"), problem.replace("代码表", "人员类别"),
                                "请按全国党员信息系统的人员类别填写"))
        issues += _age_problems(row, cells, number, title, targets, today)
        result.append(Row(row.number, cells))
    return result, issues


def _present(sheet: PersonSheet, branch_ids: set[int], person_ids: set[int]) -> dict[int, dict]:
    """Person id → the matched person's row as sheet 党员 would export it (one pass over their branches)."""
    found = {}
    people = Person.objects.filter(pk__in=person_ids)
    keys = {(p.branch_id, p.name): p.pk for p in people.only("branch_id", "name")}
    names = dict(Organisation.objects.filter(pk__in=branch_ids).values_list("name", "pk"))
    for values in sheet.export_rows(access.SYSTEM, list(branch_ids)):
        pk = keys.get((names.get(values["所在组织"]), values["姓名"]))
        if pk:
            values["党内职务"] = "、".join(values["党内职务"])
            found[pk] = values
    return found


def _age_problems(row: Row, cells: dict, number: str, title: str, targets: dict, today: date) -> list[Issue]:
    if "年龄" not in row.cells:
        age_text = None
    else:
        age_text = row.raw("年龄")
    try:
        born = parse_date(cells.get("出生日期"))
    except CellError:
        return []  # sheet 党员 names the bad date
    if born is None and number and not id_number_problem(number):
        born = birth_date_from_id(number)
    if born is None:
        return []
    found = []
    if age_text not in (None, ""):
        try:
            age = parse_int(age_text)
        except CellError:
            return [Issue(title, row.number, "年龄", f"“{age_text}”不是整数", "填写周岁，或留空")]
        actual = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
        # An export made last year says one year less.
        if age is not None and not actual - 1 <= age <= actual:
            found.append(Issue(title, row.number, "年龄", f"年龄 {age} 与出生日期 {born:%Y-%m-%d}（今年 {actual} 周岁）不符",
                               "请核对出生日期、身份证号码或年龄"))
    try:
        admitted = parse_date(cells.get("入党日期"))
    except CellError:
        admitted = None
    if admitted and born:
        at = admitted.year - born.year - ((admitted.month, admitted.day) < (born.month, born.day))
        if at < ADMISSION_AGE:
            found.append(Issue(title, row.number, targets.get("入党日期", "入党时间"),
                               f"入党时间 {admitted:%Y-%m-%d} 时只有 {at} 岁，入党须年满十八岁",
                               "请核对入党时间和出生日期（或身份证号码）"))
    return found


def roster_rows(actor, orgs, today: date | None = None):
    today = today or date.today()
    people = (access.visible_people(actor).filter(branch__in=orgs).select_related("branch").order_by("branch__path", "name"))
    for person in people:
        profile = profile_cells(person)
        yield {
            "姓名": person.name, "身份证号码": person.id_number or "", "性别": person.gender, "出生日期": person.birth_date,
            "民族": profile["民族"], "籍贯": profile["籍贯"], "年龄": person.age(today), "学历": profile["学历"],
            "学位": profile["学位"], "入党时间": person.admitted_on, "转正日期": person.full_on, "工作岗位": profile["工作岗位"],
            "新的社会阶层": profile["新社会阶层类型"], "人员类别": person.category, "是否农民工": profile["是否农民工"],
            "手机号码": person.phone, "所在党支部": person.branch.name, "户籍所在地": profile["户籍所在地"],
            "现居住地": profile["现居住地"], "参加工作日期": person.work_started_on,
        }


def roster_xlsx(actor, orgs, *, masked: bool = False) -> bytes:
    from zhibu.lib.personal import mask_address, mask_id_number, mask_phone

    def rows():
        for row in roster_rows(actor, orgs):
            if masked:
                row["身份证号码"] = mask_id_number(row["身份证号码"])
                row["手机号码"] = mask_phone(row["手机号码"])
                row["户籍所在地"], row["现居住地"] = mask_address(row["户籍所在地"]), mask_address(row["现居住地"])
            yield row

    return table_workbook([(SHEET_TITLE, COLUMNS, rows())])
