"""Sheet 组织关系: all or nothing, every error listed, idempotent by 编号, and a round trip."""

import io
from datetime import date

from openpyxl import load_workbook

from tests.exchange.workbooks import assert_each_reported, issue_messages, workbook_bytes
from zhibu.exchange.sheets.membership import MembershipSheet
from zhibu.exchange.workbook import export_workbook, import_workbook
from zhibu.orgs import access, membership
from zhibu.orgs.models import MembershipEvent, MembershipPeriod, Organisation, Person

HEADER = MembershipSheet.column_names()


def rows(*changes):
    return [HEADER, *[[change.get(column) for column in HEADER] for change in changes]]


def run(sheets, actor=access.SYSTEM, **kwargs):
    return import_workbook(workbook_bytes(sheets), actor, **kwargs)


def test_changes_are_applied_and_reimporting_changes_nothing(tree):
    sheet = rows(
        {"编号": "ZJ-1", "姓名": "赵同志", "组织": "甲支部", "变动类型": "内部转接", "日期": "2025-07-15", "对方组织": "乙支部"},
        {"编号": "ZC-1", "姓名": "孙党员", "组织": "乙支部", "变动类型": "转出", "日期": "2025-09-01",
         "对方组织": "某县委组织部", "介绍信编号": "2025-009", "党费交至": "2025-08"},
        {"姓名": "李党员", "组织": "甲一小组", "变动类型": "外出流动", "日期": "2026-02-01", "对方组织": "深圳某街道党工委"},
    )
    result = run({"组织关系": sheet})
    assert result.ok, issue_messages(result)
    assert str(result.summaries["组织关系"]) == "新增 3，更新 0，未变 0"
    assert Person.objects.get(name="赵同志").branch == tree.orgs.b
    assert not membership.on_roll(Person.objects.get(name="孙党员"))
    again = run({"组织关系": sheet})
    assert str(again.summaries["组织关系"]) == "新增 0，更新 0，未变 3"
    sheet[2][HEADER.index("回执日期")] = "2025-09-20"  # the receipt came back
    updated = run({"组织关系": sheet})
    assert str(updated.summaries["组织关系"]) == "新增 0，更新 1，未变 2"
    assert MembershipEvent.objects.get(ref="ZC-1").receipt_on == date(2025, 9, 20)


def test_every_bad_row_is_listed_and_nothing_written(tree):
    result = run({"组织关系": rows(
        {"姓名": "赵同志", "组织": "甲支部", "变动类型": "内部转接", "日期": "2025-07-15", "对方组织": "丙支部"},
        {"姓名": "赵同志", "组织": "甲支部", "变动类型": "内部转接", "日期": "2025-07-15", "对方组织": "测试机关党委"},
        {"姓名": "王书记", "组织": "甲支部", "变动类型": "转出", "日期": "2009-01-01", "对方组织": "外单位"},
        {"姓名": "李党员", "组织": "甲支部", "变动类型": "转出", "日期": "2025-03-01", "对方组织": "外单位", "回执日期": "2025-02-01"},
        {"姓名": "孙党员", "组织": "乙支部", "变动类型": "死亡", "日期": "2025-03-01"},
        {"姓名": "孙党员", "组织": "乙支部", "变动类型": "外出流动", "日期": "2025-04-01", "对方组织": "某地"},
        {"姓名": "孙党员", "组织": "乙支部", "变动类型": "出党", "日期": "2025-05-01"},
        {"姓名": "无此人", "组织": "乙支部", "变动类型": "失联", "日期": "2025-05-01"},
        {"姓名": "赵同志", "组织": "甲支部", "变动类型": "调走", "日期": "2025-05-01"},
        {"姓名": "赵同志", "组织": "甲支部", "变动类型": "转出", "日期": "2025-05-01", "对方组织": "外单位", "党费交至": "五月"},
    )})
    assert not result.written and MembershipEvent.objects.count() == 0
    assert_each_reported(result, [
        "第2行，列“对方组织”：“丙支部”不在本单位",
        "第3行，列“对方组织”：“测试机关党委”是机关党委，不是党支部或党小组",
        "第5行，列“回执日期”：回执日期 2025-02-01 早于介绍信开具日期",
        "第8行，列“出党方式”：出党须填写出党方式",
        "第9行，列“姓名”：在“乙支部”找不到人员“无此人”",
        "第10行，列“变动类型”：“调走”不是有效的变动类型",
        "第11行，列“党费交至”：“五月”不是年月",
    ])


def test_history_problems_are_found_by_trying_the_rows_in_date_order(tree):
    result = run({"组织关系": rows(
        {"姓名": "王书记", "组织": "甲支部", "变动类型": "转出", "日期": "2009-01-01", "对方组织": "外单位"},
        {"姓名": "孙党员", "组织": "乙支部", "变动类型": "死亡", "日期": "2025-03-01"},
        {"姓名": "孙党员", "组织": "乙支部", "变动类型": "外出流动", "日期": "2025-04-01", "对方组织": "某地"},
    )})
    found = issue_messages(result)
    assert any("第2行" in m and "早于王书记的入党日期" in m for m in found), found
    assert any("第4行" in m and "已于2025-03-01死亡，之后不能" in m for m in found), found
    assert MembershipEvent.objects.count() == 0 and Person.objects.get(name="孙党员").periods.get().end is None


def test_same_name_in_two_branches_needs_the_id_number(tree):
    Person.objects.create(branch=tree.orgs.b, name="赵同志", category="正式党员", admitted_on=date(2012, 1, 1))
    Organisation.objects.create_child(tree.orgs.committee, name="丁支部", kind="党支部")
    result = run({"组织关系": rows(
        {"姓名": "赵同志", "组织": "丁支部", "变动类型": "转入", "日期": "2025-05-01", "对方组织": "外单位"},
    )})
    assert any("2位名叫“赵同志”" in m and "身份证号" in m for m in issue_messages(result)), issue_messages(result)


def test_a_person_whose_branch_differs_from_the_changes_is_asked_for_the_change(tree):
    people = [["姓名", "所在组织", "人员类别", "入党日期"], ["赵同志", "甲支部", "正式党员", "2010-07-01"]]
    result = run({"党员": people, "组织关系": rows(
        {"姓名": "赵同志", "组织": "甲支部", "变动类型": "内部转接", "日期": "2025-07-15", "对方组织": "乙支部"})})
    assert any("组织关系变动使其在乙支部" in m for m in issue_messages(result)), issue_messages(result)
    moved = run({"党员": [people[0], ["赵同志", "乙支部", "正式党员", "2010-07-01"]], "组织关系": rows(
        {"姓名": "赵同志", "组织": "甲支部", "变动类型": "内部转接", "日期": "2025-07-15", "对方组织": "乙支部"})})
    assert moved.ok, issue_messages(moved)
    assert Person.objects.filter(name="赵同志").count() == 1 and Person.objects.get(name="赵同志").branch == tree.orgs.b
    group = run({"党员": [["姓名", "所在组织", "党小组", "人员类别", "入党日期"], ["王书记", "甲支部", "甲一小组", "正式党员", "2010-07-01"]]})
    assert any("调整党小组须有日期" in m for m in issue_messages(group)), issue_messages(group)


def test_export_then_import_into_an_empty_database_gives_the_same_history(tree):
    membership.record_event(tree.people.a_other, membership.Change("内部转接", date(2025, 7, 15), target=tree.orgs.group_a))
    membership.record_event(tree.people.a_other, membership.Change("内部转接", date(2026, 1, 10), target=tree.orgs.b))
    membership.record_event(tree.people.b_member, membership.Change("转出", date(2026, 3, 1), other_party="外单位",
                                                                    dues_paid_to="2026-02"))
    content = export_workbook(access.SYSTEM, Organisation.objects.subtree_of(tree.orgs.committee))
    sheet = load_workbook(io.BytesIO(content))["组织关系"]
    assert [c.value for c in sheet[1]] == HEADER and sheet.max_row == 4
    def history():
        return sorted((p.person.name, p.branch.name, p.group.name if p.group else "", p.start, p.end)
                      for p in MembershipPeriod.objects.exclude(person__name="周党员").select_related("person", "branch", "group"))
    before = history()
    assert str(import_workbook(io.BytesIO(content), access.SYSTEM).summaries["组织关系"]) == "新增 0，更新 0，未变 3"
    MembershipEvent.objects.all().delete()
    MembershipPeriod.objects.all().delete()
    Person.objects.all().delete()
    result = import_workbook(io.BytesIO(content), access.SYSTEM)
    assert result.ok, issue_messages(result)
    assert history() == before, (history(), before)


def test_the_import_page_takes_the_sheet_and_a_secretary_only_reaches_their_branch(client, tree):
    from django.urls import reverse

    client.force_login(tree.users.secretary_a)
    data = workbook_bytes({"组织关系": rows(
        {"姓名": "赵同志", "组织": "甲支部", "变动类型": "外出流动", "日期": "2026-02-01", "对方组织": "深圳某街道党工委"})})
    data.name = "组织关系.xlsx"
    content = client.post(reverse("import_upload"), {"file": data}).content.decode()
    assert "检查通过" in content and "新增 1" in content and not MembershipEvent.objects.exists()
    client.post(reverse("import_confirm"))
    assert MembershipEvent.objects.get().kind == "外出流动"
    other = workbook_bytes({"组织关系": rows(
        {"姓名": "孙党员", "组织": "乙支部", "变动类型": "失联", "日期": "2026-02-01"})})
    other.name = "组织关系.xlsx"
    content = client.post(reverse("import_upload"), {"file": other}).content.decode()
    assert "找不到组织“乙支部”，或您无权管理" in content
