"""An exported workbook comes back unchanged for the login that exported it, and the check before an import
says what will change: rows added, cells changed, people a record will count absent, every error with its fix."""

import io
from datetime import date
from urllib.parse import unquote

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from zhibu.exchange.preview import preview_workbook
from zhibu.exchange.workbook import export_workbook, import_workbook
from zhibu.orgs import access
from zhibu.records.models import Activity, ActivityType, Attendance

from .workbooks import workbook_bytes


@pytest.fixture
def meeting(tree):
    activity = Activity.objects.create(org=tree.orgs.a, type=ActivityType.objects.get(name="主题党日"),
                                       date=date(2025, 3, 1), subject="重温入党誓词")
    for person in (tree.people.a_secretary, tree.people.a_member, tree.people.a_other):
        Attendance.objects.create(activity=activity, person=person, status="出席")
    return activity


@pytest.mark.parametrize("login", ["secretary_a", "organiser"])
def test_an_exported_workbook_imports_back_unchanged_for_the_same_login(tree, meeting, login):
    user = getattr(tree.users, login)
    content = export_workbook(user, access.managed_orgs(user))
    result, preview = preview_workbook(io.BytesIO(content), user)
    assert result.ok, [str(issue) for issue in result.issues]
    assert not preview.changes_anything
    assert {sheet.name: sheet.unchanged_count for sheet in preview.sheets}["活动"] == 1
    assert import_workbook(io.BytesIO(content), user).ok


def test_the_preview_lists_cells_changed_rows_added_and_who_will_count_absent(tree, meeting):
    user = tree.users.secretary_a
    header = ["组织", "类型", "日期", "主题", "出席"]
    content = workbook_bytes({"活动": [
        header,
        ["甲支部", "主题党日", "2025-03-01", "重温入党誓词", "王书记、李党员"],  # 赵同志 no longer listed
        ["甲支部", "党课", "2025-04-01", "学习党章", "王书记"],
    ]})
    result, preview = preview_workbook(content, user)
    assert result.ok
    sheet = next(sheet for sheet in preview.sheets if sheet.name == "活动")
    assert (sheet.added_count, sheet.changed_count) == (1, 1)
    assert sheet.added == ["甲支部 党课 2025-04-01 学习党章"]
    [change] = sheet.changed[0].changes
    assert (change.column, change.before, change.after) == ("出席", "王书记、李党员、赵同志", "王书记、李党员")
    assert ("2025-04-01 甲支部 党课", ["李党员", "赵同志"]) in sheet.absentees
    assert Activity.objects.count() == 1  # nothing written


def test_a_broken_column_does_not_hide_the_other_errors_and_every_error_has_its_fix(tree):
    content = workbook_bytes({"活动": [
        ["组织", "类形", "日期", "主题"],  # 类型 misspelt: one error for the header, not one per row
        ["甲支部", "主题党日", "2025-13-01", "a"],
        ["外星支部", "主题党日", "2025-03-01", "b"],
    ]})
    result = import_workbook(content, tree.users.secretary_a, dry_run=True)
    messages = [str(issue) for issue in result.issues]
    assert any("未知的列名“类形”" in m for m in messages) and any("缺少必填列" in m for m in messages)
    assert any("第2行" in m and "日期" in m for m in messages) and any("第3行" in m for m in messages)
    assert not any("第2行" in m and "列“类型”" in m for m in messages)
    assert all(issue.fix for issue in result.issues), [m for m, i in zip(messages, result.issues) if not i.fix]


def test_the_errors_download_as_a_workbook_and_the_blank_template_carries_the_column_help(client, tree):
    client.force_login(tree.users.secretary_a)
    bad = workbook_bytes({"活动": [["组织", "类型", "日期"], ["甲支部", "主题党日", "不是日期"]]})
    bad.name = "活动.xlsx"
    client.post(reverse("import_upload"), {"file": bad})
    errors = load_workbook(io.BytesIO(client.get(reverse("import_issues_download")).getvalue()))["错误清单"]
    rows = list(errors.iter_rows(values_only=True))
    assert rows[0] == ("工作表", "行", "列", "问题", "如何修改") and rows[1][:3] == ("活动", 2, "日期") and rows[1][4]
    template = client.get(reverse("import_template"))
    assert "空白模板" in unquote(template["Content-Disposition"])
    book = load_workbook(io.BytesIO(template.getvalue()))
    assert book["活动"]["C1"].value == "类型" and book["活动"]["C1"].comment.text.startswith("必填。")
    assert import_workbook(io.BytesIO(template.getvalue()), tree.users.secretary_a, dry_run=True).ok


def test_the_export_file_is_named_for_whose_data_it_is(client, tree):
    client.force_login(tree.users.secretary_a)
    disposition = client.get(reverse("export_download"))["Content-Disposition"]
    assert "甲支部-数据交换-" in unquote(disposition)
