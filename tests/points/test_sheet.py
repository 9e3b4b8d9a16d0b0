"""Sheet 积分调整: every error listed, all or nothing, idempotent re-import, round trip through `zhibu export`."""

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.core.management import call_command
from openpyxl import load_workbook

from tests.clock import TODAY
from tests.exchange.workbooks import workbook_bytes
from tests.points.conftest import YEAR
from zhibu.exchange.sheets import SHEETS
from zhibu.exchange.sheets.points import PointAdjustmentSheet
from zhibu.exchange.workbook import import_workbook
from zhibu.orgs import access
from zhibu.points.models import PointAdjustment

HEADER = ["姓名", "组织", "日期", "分值", "事由"]


def book(*rows, extra_sheets=None):
    return workbook_bytes({**(extra_sheets or {}), "积分调整": [HEADER, *rows]})


def rows_of(result):
    return {(issue.row, issue.column): issue.message for issue in result.issues}


def test_it_is_registered_after_the_people_sheet_with_the_documented_columns():
    names = [sheet.name for sheet in SHEETS]
    assert names.index("积分调整") > names.index("党员")
    assert PointAdjustmentSheet.column_names() == HEADER
    assert all(column.required for column in PointAdjustmentSheet.columns)


def test_it_imports_adjustments(tree):
    result = import_workbook(book(
        ["李党员", "甲支部", f"{YEAR}-03-18", 3, "在党刊发表文章"],
        ["孙党员", "乙支部", datetime(YEAR, 4, 1), "-1.5", "学习心得未按时完成"],
    ), access.SYSTEM)
    assert result.ok, [str(issue) for issue in result.issues]
    assert str(result.summaries["积分调整"]) == "新增 2，更新 0，未变 0"
    adjustment = PointAdjustment.objects.get(person=tree.people.b_member)
    assert (adjustment.date, adjustment.points, adjustment.reason) == (date(YEAR, 4, 1), Decimal("-1.5"), "学习心得未按时完成")


def test_every_error_is_listed_and_nothing_is_written(tree):
    future = TODAY + timedelta(days=3)
    result = import_workbook(book(
        ["李党员", "甲支部", f"{YEAR}-03-18", 3, "正确的一行"],
        ["不存在", "甲支部", f"{YEAR}-03-18", 3, "发表文章"],
        ["李党员", "甲支部", f"{YEAR}-03-18", 0, "零分"],
        ["李党员", "甲支部", f"{YEAR}-03-18", "三分", "不是数字"],
        ["李党员", "甲支部", f"{YEAR}-03-18", 2, None],
        ["李党员", "甲支部", future.isoformat(), 2, "将来的日期"],
        ["李党员", "甲支部", "某天", 2, "读不懂的日期"],
        ["李党员", "甲支部", f"{YEAR}-03-18", "1.25", "两位小数"],
    ), access.SYSTEM)
    assert not result.written and not PointAdjustment.objects.exists()
    problems = rows_of(result)
    assert "找不到人员“不存在”" in problems[(3, "姓名")]
    assert "不能为0" in problems[(4, "分值")]
    assert "不是数字" in problems[(5, "分值")]
    assert problems[(6, "事由")] == "必填项为空"
    assert "晚于今天" in problems[(7, "日期")]
    assert (8, "日期") in problems
    assert "最多保留1位小数" in problems[(9, "分值")]
    assert not any(row == 2 for row, _column in problems)
    fixes = {issue.row: issue.fix for issue in result.issues}
    assert "或在“党员”表中加上此人" in fixes[3]


def test_a_secretary_cannot_adjust_another_branch_and_is_not_told_it_exists(tree):
    result = import_workbook(book(["孙党员", "乙支部", f"{YEAR}-03-18", 3, "发表文章"]), tree.users.secretary_a)
    assert rows_of(result)[(2, "姓名")] == "在“乙支部”找不到人员“孙党员”，或您无权管理"
    assert not PointAdjustment.objects.exists()


def test_a_person_added_in_the_same_workbook_may_be_adjusted(tree):
    people = [["姓名", "所在组织", "人员类别", "入党日期"], ["钱新人", "甲支部", "预备党员", f"{YEAR}-01-05"]]
    result = import_workbook(book(["钱新人", "甲支部", f"{YEAR}-03-18", 1, "新人报到"], extra_sheets={"党员": people}), access.SYSTEM)
    assert result.ok, [str(issue) for issue in result.issues]
    assert PointAdjustment.objects.get().person.name == "钱新人"


def test_reimporting_changes_nothing_and_twin_rows_stay_two(tree):
    rows = [["李党员", "甲支部", f"{YEAR}-03-18", 2, "知识竞赛获奖"], ["李党员", "甲支部", f"{YEAR}-03-18", 2, "知识竞赛获奖"],
            ["李党员", "甲支部", f"{YEAR}-05-01", -2, "任务未完成"]]
    assert str(import_workbook(book(*rows), access.SYSTEM).summaries["积分调整"]) == "新增 3，更新 0，未变 0"
    again = import_workbook(book(*rows), access.SYSTEM)
    assert str(again.summaries["积分调整"]) == "新增 0，更新 0，未变 3"
    assert PointAdjustment.objects.count() == 3
    # One row more in the sheet than in the database: exactly one is added.
    third = import_workbook(book(*rows, rows[0]), access.SYSTEM)
    assert str(third.summaries["积分调整"]) == "新增 1，更新 0，未变 3"


def test_export_then_import_gives_the_same_adjustments_back(tree, tmp_path):
    import_workbook(book(["李党员", "甲支部", f"{YEAR}-03-18", "1.5", "在党刊发表文章"], ["孙党员", "乙支部", f"{YEAR}-12-01", -2, "任务未完成"]),
                    access.SYSTEM)
    before = sorted(PointAdjustment.objects.values_list("person__name", "date", "points", "reason"))
    path = tmp_path / "all.xlsx"
    call_command("export", str(path))
    sheet = load_workbook(path)["积分调整"]
    assert [cell.value for cell in sheet[1]] == HEADER
    PointAdjustment.objects.all().delete()
    result = import_workbook(path, access.SYSTEM)
    assert result.ok, [str(issue) for issue in result.issues]
    assert sorted(PointAdjustment.objects.values_list("person__name", "date", "points", "reason")) == before
    assert str(import_workbook(path, access.SYSTEM).summaries["积分调整"]) == "新增 0，更新 0，未变 2"


def test_an_export_for_one_organisation_holds_only_its_people(tree, tmp_path):
    import_workbook(book(["李党员", "甲支部", f"{YEAR}-03-18", 1, "甲"], ["孙党员", "乙支部", f"{YEAR}-03-18", 1, "乙"]), access.SYSTEM)
    path = tmp_path / "a.xlsx"
    call_command("export", str(path), "--org", "甲支部")
    names = [row[0] for row in load_workbook(path)["积分调整"].iter_rows(min_row=2, values_only=True)]
    assert names == ["李党员"]
