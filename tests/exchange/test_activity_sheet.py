"""Sheet 活动: every bad cell listed with its message, nothing half-written, re-import changes nothing, round trip."""

import io
from datetime import date, datetime, time
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from tests.exchange.workbooks import issue_messages
from zhibu.exchange.workbook import export_workbook, import_workbook
from zhibu.orgs import access
from zhibu.records.models import Activity, Attendance, Status

COLUMNS = ["编号", "组织", "类型", "日期", "主题", "主持人", "主讲人", "地点", "数量", "金额", "标签", "出席", "请假", "缺席", "记录"]


def workbook(*rows, sheets=None):
    book = Workbook()
    book.remove(book.active)
    for title, columns, data in sheets or [("活动", COLUMNS, rows)]:
        sheet = book.create_sheet(title)
        sheet.append(columns)
        for row in data:
            sheet.append([row.get(column) for column in columns])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def good_row(**changes):
    row = {"编号": "A-1", "组织": "甲支部", "类型": "支委会", "日期": "2025-03-18 14:30", "主题": "研究发展党员",
           "主持人": "王书记", "地点": "三楼会议室", "出席": "王书记、李党员", "请假": "赵同志（公差，外地）", "标签": "专题"}
    row.update(changes)
    return row


def test_it_imports_a_record_with_its_roll(tree):
    result = import_workbook(workbook(good_row()), access.SYSTEM)
    assert result.ok, issue_messages(result)
    activity = Activity.objects.get()
    assert (activity.type.name, activity.date, activity.start_time) == ("支部委员会会议", date(2025, 3, 18), time(14, 30))
    assert activity.chair == tree.people.a_secretary
    assert [t.name for t in activity.tags.all()] == ["专题"]
    roll = {row.person.name: (row.status, row.reason) for row in activity.attendance.all()}
    assert roll == {"王书记": ("出席", ""), "李党员": ("出席", ""), "赵同志": ("请假", "公差，外地")}
    assert activity.history.count() == 1 and Attendance.history.count() == 3


@pytest.mark.parametrize(("changes", "column", "expected"), [
    ({"类型": "主题党日会"}, "类型", "未知的活动类型“主题党日会”，是否指“主题党日”？"),
    ({"出席": "王书记、孙党员"}, "出席", "“孙党员”不在甲支部的名册中"),
    ({"类型": "捐款", "金额": -20, "出席": "", "请假": ""}, "金额", "金额 -20.00 为负数"),
    ({"数量": 0}, "数量", "数量 0 无效"),
    ({"日期": "2025-13-40"}, "日期", "“2025-13-40”不是有效日期"),
    ({"日期": "去年三月"}, "日期", "无法识别日期“去年三月”"),
    ({"组织": "丙支部"}, "组织", "找不到组织“丙支部”，或您无权修改"),
    ({"类型": "捐款", "出席": "", "请假": ""}, "金额", "“捐款”按金额统计，金额不能为空"),
    ({"请假": "王书记（病假）"}, "请假", "“王书记”同时出现在“出席”和“请假”中"),
    ({"日期": "2099-01-01"}, "出席", "尚未举行，不能登记出席情况"),
])
def test_it_names_each_bad_cell(tree, changes, column, expected):
    result = import_workbook(workbook(good_row(**changes)), tree.users.organiser)
    assert not result.ok
    assert any(issue.column == column and expected in issue.message for issue in result.issues), issue_messages(result)
    assert not Activity.objects.exists()


def test_it_lists_every_error_and_writes_nothing(tree):
    rows = [good_row(), good_row(编号="A-2", 类型="支部会"), good_row(编号="A-3", 数量=0, 出席="无名氏")]
    result = import_workbook(workbook(*rows), access.SYSTEM)
    assert [(issue.row, issue.column) for issue in result.issues] == [(3, "类型"), (4, "数量"), (4, "出席")]
    assert not Activity.objects.exists() and not Attendance.objects.exists()


def test_a_planned_meeting_without_roll_is_accepted(tree):
    result = import_workbook(workbook(good_row(日期="2099-01-01", 出席="", 请假="")), access.SYSTEM)
    assert result.ok, issue_messages(result)
    assert Activity.objects.get().is_planned


def test_a_name_with_brackets_on_leave_keeps_both(tree):
    from zhibu.orgs.models import Person

    Person.objects.create(branch=tree.orgs.a, name="张伟（大）", category="正式党员", admitted_on=date(2010, 1, 1))
    result = import_workbook(workbook(good_row(请假="张伟（大）（病假）、赵同志")), access.SYSTEM)
    assert result.ok, issue_messages(result)
    roll = {row.person.name: row.reason for row in Attendance.objects.filter(status=Status.LEAVE)}
    assert roll == {"张伟（大）": "病假", "赵同志": ""}


def test_re_importing_changes_nothing_and_a_changed_row_updates_its_record(tree):
    rows = [good_row(), good_row(编号=None, 类型="志愿服务", 主题="", 出席="李党员"),
            good_row(编号=None, 类型="志愿服务", 主题="", 出席="赵同志", 请假="")]
    assert import_workbook(workbook(*rows), access.SYSTEM).summaries["活动"].created == 3
    again = import_workbook(workbook(*rows), access.SYSTEM)
    assert str(again.summaries["活动"]) == "新增 0，更新 0，未变 3"
    rows[0]["主题"] = "改过的主题"
    rows[0]["缺席"] = "李党员"
    rows[0]["出席"] = "王书记"
    changed = import_workbook(workbook(*rows), access.SYSTEM)
    assert str(changed.summaries["活动"]) == "新增 0，更新 1，未变 2"
    record = Activity.objects.get(ref="A-1")
    assert record.subject == "改过的主题"
    assert record.attendance.get(person__name="李党员").status == Status.ABSENT
    assert Activity.objects.count() == 3


def test_a_name_found_for_one_branch_is_looked_up_anew_for_another(tree):
    rows = [good_row(), good_row(编号="B-1", 组织="乙支部", 主持人="孙党员", 出席="孙党员、王书记", 请假="")]
    result = import_workbook(workbook(*rows), tree.users.organiser)
    assert [(issue.row, issue.column, issue.message) for issue in result.issues] == [(3, "出席", "“王书记”不在乙支部的名册中")]


def test_a_bad_name_gives_its_message_on_every_row_that_has_it(tree):
    rows = [good_row(出席="王书记、无名氏"), good_row(编号="A-2", 出席="无名氏", 请假="无名氏（病假）")]
    result = import_workbook(workbook(*rows), access.SYSTEM)
    assert [(issue.row, issue.column, issue.message) for issue in result.issues] == [
        (2, "出席", "“无名氏”不在甲支部的名册中"), (3, "出席", "“无名氏”不在甲支部的名册中"),
        (3, "请假", "“无名氏”不在甲支部的名册中"),
    ]
    assert not Activity.objects.exists()


def test_a_name_plain_in_a_branch_must_be_qualified_on_the_committee_record_of_the_same_workbook(tree):
    from zhibu.orgs.models import Person

    Person.objects.create(branch=tree.orgs.b, name="王书记", category="正式党员", admitted_on=date(2010, 1, 1))
    rows = [good_row(), good_row(编号="C-1", 组织="测试机关党委", 类型="局务会", 主持人="", 出席="王书记", 请假="")]
    result = import_workbook(workbook(*rows), tree.users.organiser)
    assert [(issue.row, issue.column) for issue in result.issues] == [(3, "出席")]
    assert "请写成“支部名称/姓名”" in result.issues[0].message


def test_the_same_number_in_two_branches_is_two_records(tree):
    rows = [good_row(), good_row(组织="乙支部", 主持人="孙党员", 出席="孙党员", 请假="")]
    result = import_workbook(workbook(*rows), tree.users.organiser)
    assert result.ok, issue_messages(result)
    assert Activity.objects.filter(ref="A-1").count() == 2


def test_a_committee_record_names_people_from_its_branches_and_qualifies_shared_names(tree):
    from zhibu.orgs.models import Person

    Person.objects.create(branch=tree.orgs.b, name="王书记", category="正式党员", admitted_on=date(2010, 1, 1))
    row = good_row(组织="测试机关党委", 类型="局务会", 主持人="", 出席="王书记、孙党员", 请假="")
    result = import_workbook(workbook(row), tree.users.organiser)
    assert any("请写成“支部名称/姓名”" in issue.message for issue in result.issues), issue_messages(result)
    row["出席"] = "甲支部/王书记、孙党员"
    assert import_workbook(workbook(row), tree.users.organiser).ok
    exported = load_workbook(io.BytesIO(export_workbook(access.SYSTEM, access.visible_orgs(access.SYSTEM))))
    cells = dict(zip(COLUMNS, next(exported["活动"].iter_rows(min_row=2, values_only=True))))
    assert cells["出席"] == "甲支部/王书记、孙党员"  # 王 has fewer strokes than 孙


def _sheet_cells(content: bytes) -> dict[str, list[tuple]]:
    book = load_workbook(io.BytesIO(content))
    return {title: list(book[title].iter_rows(values_only=True)) for title in book.sheetnames}


def test_export_then_import_into_an_empty_database_gives_the_same_cells(tree, django_db_blocker):
    rows = [good_row(), good_row(编号=None, 类型="捐款", 金额="1250.50", 出席="", 请假="", 标签="廉政、专题"),
            good_row(编号="P-1", 类型="党课", 日期=date(2025, 6, 1), 主讲人="市委党校 刘教授", 出席="李党员", 请假="",
                     缺席="王书记", 记录="第一行\n第二行"),
            good_row(编号=None, 组织="甲一小组", 类型="党小组会", 主持人="李党员", 出席="李党员、赵同志", 请假="")]
    assert import_workbook(workbook(*rows), access.SYSTEM).ok
    first = export_workbook(access.SYSTEM, access.visible_orgs(access.SYSTEM))
    assert _sheet_cells(first)["活动"][1:] and len(_sheet_cells(first)["活动"]) == 5
    from zhibu.orgs.models import Organisation, Person

    Activity.objects.all().delete()
    Person.objects.all().delete()
    for org in Organisation.objects.order_by("-depth"):
        org.delete()
    result = import_workbook(io.BytesIO(first), access.SYSTEM)
    assert result.ok, issue_messages(result)
    second = export_workbook(access.SYSTEM, access.visible_orgs(access.SYSTEM))
    assert _sheet_cells(second) == _sheet_cells(first)
    donation = Activity.objects.get(type__name="捐款")
    assert donation.amount == Decimal("1250.50") and {t.name for t in donation.tags.all()} == {"廉政", "专题"}
    lesson = Activity.objects.get(ref="P-1")
    assert lesson.lecturer is None and lesson.lecturer_text == "市委党校 刘教授" and lesson.minutes == "第一行\n第二行"


def test_the_export_writes_a_time_only_when_one_was_given(tree):
    import_workbook(workbook(good_row(), good_row(编号="A-2", 日期="2025-03-19")), access.SYSTEM)
    cells = _sheet_cells(export_workbook(access.SYSTEM, access.visible_orgs(access.SYSTEM)))["活动"]
    assert [row[COLUMNS.index("日期")] for row in cells[1:]] == [datetime(2025, 3, 18, 14, 30), datetime(2025, 3, 19)]


def test_a_secretary_cannot_import_into_another_branch(tree):
    result = import_workbook(workbook(good_row(组织="乙支部", 出席="", 请假="", 主持人="")), tree.users.secretary_a)
    assert [issue.message for issue in result.issues] == ["找不到组织“乙支部”，或您无权修改"]
