"""Sheet 清单 of the exchange workbook: import all or nothing with every error listed, idempotent, round trip."""

import io
from datetime import date

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from tests.exchange.workbooks import assert_each_reported, issue_messages, workbook_bytes as exchange_workbook
from tests.lists.conftest import make_item
from zhibu.exchange.workbook import export_workbook, import_workbook
from zhibu.lists.models import ListItem, Status
from zhibu.orgs import access
from zhibu.orgs.models import Organisation

HEADER = ["编号", "组织", "清单", "年度", "来源", "内容", "措施", "责任人", "时限", "状态", "完成日期"]
GOOD_ROWS = [
    ["WT-2025-01", "甲支部", "问题清单", 2025, "上年度述职评议", "学习方式单一", "每月集中学习", "李党员", "2025-06-30", "已完成", "2025-06-20"],
    [None, "甲支部", "任务清单", 2025, "", "完成支部换届", "", "王书记", date(2025, 12, 31), "进行中", None],
    ["WT-2025-02", "测试机关党委", "责任清单", "2025", "巡察反馈", "落实一岗双责", "", "外单位联络员", "2025年12月31日", "未开始", ""],
]


def workbook_bytes(rows, header=HEADER) -> io.BytesIO:
    return exchange_workbook({"清单": [header, *rows]})


def test_it_imports_items_and_resolves_owners_to_people_where_it_can(tree):
    result = import_workbook(workbook_bytes(GOOD_ROWS), access.SYSTEM)
    assert result.ok, issue_messages(result)
    assert str(result.summaries["清单"]) == "新增 3，更新 0，未变 0"
    problem = ListItem.objects.get(ref="WT-2025-01")
    assert (problem.owner, problem.status, problem.completed_on) == (tree.people.a_member, Status.DONE, date(2025, 6, 20))
    task = ListItem.objects.get(content="完成支部换届")
    assert task.owner == tree.people.a_secretary and task.ref is None and task.deadline == date(2025, 12, 31)
    outside = ListItem.objects.get(ref="WT-2025-02")
    assert outside.owner is None and outside.owner_text == "外单位联络员"
    assert outside.org == tree.orgs.committee
    assert problem.history.first().history_change_reason == "导入工作簿"


def test_reimporting_the_same_workbook_changes_nothing(tree):
    import_workbook(workbook_bytes(GOOD_ROWS), access.SYSTEM)
    result = import_workbook(workbook_bytes(GOOD_ROWS), access.SYSTEM)
    assert str(result.summaries["清单"]) == "新增 0，更新 0，未变 3"
    assert ListItem.objects.count() == 3


def test_a_row_with_a_known_ref_updates_that_item(tree):
    import_workbook(workbook_bytes(GOOD_ROWS), access.SYSTEM)
    changed = [list(GOOD_ROWS[2])]
    changed[0][9], changed[0][5] = "进行中", "落实一岗双责（修订）"
    result = import_workbook(workbook_bytes(changed), access.SYSTEM)
    assert str(result.summaries["清单"]) == "新增 0，更新 1，未变 0"
    item = ListItem.objects.get(ref="WT-2025-02")
    assert (item.status, item.content) == (Status.IN_PROGRESS, "落实一岗双责（修订）")


def test_export_then_import_gives_the_same_data_back(tree):
    import_workbook(workbook_bytes(GOOD_ROWS), access.SYSTEM)
    make_item(tree.orgs.group_a, year=2024, content="小组学习不经常", deadline=date(2024, 9, 30), status=Status.IN_PROGRESS)
    before = list(ListItem.objects.order_by("id").values())
    exported = export_workbook(access.SYSTEM, Organisation.objects.all())
    sheet = load_workbook(io.BytesIO(exported))["清单"]
    assert [cell.value for cell in sheet[1]] == HEADER
    result = import_workbook(io.BytesIO(exported), access.SYSTEM)
    assert result.ok, issue_messages(result)
    assert str(result.summaries["清单"]) == "新增 0，更新 0，未变 4"
    assert list(ListItem.objects.order_by("id").values()) == before


def test_every_error_is_listed_and_nothing_is_written(tree):
    rows = [
        ["X-1", "甲支部", "问题清单", 2025, "", "内容一", "", "", "2025-06-30", "已完成", None],  # no completion date
        ["X-1", "乙支部", "清单A", 2025, "", "内容二", "", "", "", "进行中", "2025-05-01"],  # dup ref, bad kind, date while open
        [None, "不存在支部", "问题清单", 1990, "", "", "", "", "明年", "搁置", ""],  # org, year, content, deadline, status
        [None, "甲支部", "问题清单", 2025, "", "内容三", "", "", "2024-12-01", "已完成", "2099-01-01"],
        GOOD_ROWS[0],
    ]
    result = import_workbook(workbook_bytes(rows), access.SYSTEM)
    assert not result.written
    assert_each_reported(result, [
        "第2行，列“完成日期”：状态为“已完成”时必须填写完成日期",
        "第3行，列“编号”：编号“X-1”与第2行重复",
        "第3行，列“清单”：“清单A”不是有效的清单",
        "第3行，列“完成日期”：状态为“进行中”时不应填写完成日期",
        "第4行，列“组织”：找不到组织“不存在支部”",
        "第4行，列“年度”：年度 1990 不在2000至",
        "第4行，列“内容”：必填项为空",
        "第4行，列“时限”：无法识别日期“明年”",
        "第4行，列“状态”：“搁置”不是有效的状态",
        "第5行，列“时限”：时限 2024-12-01 早于事项所在的2025年度",
        "第5行，列“完成日期”：2099-01-01 晚于今天",
    ], nothing_else=True)
    assert not ListItem.objects.exists()


def test_a_misspelt_column_is_named_with_a_suggestion(tree):
    header = [*HEADER[:-1], "完成时间"]
    result = import_workbook(workbook_bytes([GOOD_ROWS[1]], header=header), access.SYSTEM)
    assert any("未知的列名“完成时间”" in m and "完成日期" in m for m in issue_messages(result))


def test_a_secretary_cannot_import_into_another_branch_and_its_ref_names_only_its_own_items(tree):
    make_item(tree.orgs.b, ref="B-1", content="乙支部的事项")
    rows = [[None, "乙支部", "问题清单", 2025, "", "写到乙支部", "", "", "", "未开始", ""]]
    result = import_workbook(workbook_bytes(rows), tree.users.secretary_a)
    assert any("找不到组织“乙支部”，或您无权管理它" in m for m in issue_messages(result))
    # 编号 are per organisation: 甲支部's own B-1 is a new item of 甲支部, 乙支部's B-1 is untouched.
    rows = [["B-1", "甲支部", "问题清单", 2025, "", "甲支部自己的B-1", "", "", "", "未开始", ""]]
    assert import_workbook(workbook_bytes(rows), tree.users.secretary_a).ok
    assert ListItem.objects.get(org=tree.orgs.b, ref="B-1").content == "乙支部的事项"
    assert ListItem.objects.get(org=tree.orgs.a, ref="B-1").content == "甲支部自己的B-1"


def test_a_secretarys_export_holds_only_their_branchs_items(tree, items):
    exported = export_workbook(tree.users.secretary_a, access.managed_orgs(tree.users.secretary_a))
    contents = [row[5] for row in load_workbook(io.BytesIO(exported))["清单"].iter_rows(min_row=2, values_only=True)]
    assert contents == ["甲支部学习方式单一"]


def test_the_import_command_exits_1_and_lists_the_errors(tree, tmp_path, capsys):
    path = tmp_path / "清单.xlsx"
    path.write_bytes(workbook_bytes([["", "甲支部", "问题清单", "二〇二五", "", "x", "", "", "", "未开始", ""]]).getvalue())
    with pytest.raises(SystemExit) as exit_info:
        call_command("import", str(path))
    assert exit_info.value.code == 1
    assert "“二〇二五”不是整数" in capsys.readouterr().err
    assert not ListItem.objects.exists()


def test_the_export_command_writes_the_sheet(tree, items, tmp_path):
    path = tmp_path / "out.xlsx"
    call_command("export", str(path), "--org", "测试机关党委")
    rows = list(load_workbook(path)["清单"].iter_rows(min_row=2, values_only=True))
    assert {row[5] for row in rows} == {"甲支部学习方式单一", "乙支部党建引领不够", "机关党委统筹不够"}
