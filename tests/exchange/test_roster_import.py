"""Sheets 党组织 and 党员: every problem is listed with sheet, row and column, and nothing is written."""

import io
import zipfile

import pytest
from openpyxl import load_workbook

from tests.exchange.workbooks import ORG_HEADER, PERSON_HEADER, workbook_bytes
from zhibu.exchange.workbook import export_workbook, import_workbook
from zhibu.orgs import access
from zhibu.orgs.models import Organisation, Person

VALID_ID = "11010519491231002X"


def _orgs(*rows):
    return [ORG_HEADER, *[list(r) + [None] * (len(ORG_HEADER) - len(r)) for r in rows]]


def _people(*rows):
    return [PERSON_HEADER, *[list(r) + [None] * (len(PERSON_HEADER) - len(r)) for r in rows]]


def _import(sheets, actor=access.SYSTEM, **kwargs):
    return import_workbook(workbook_bytes(sheets), actor, **kwargs)


def _messages(result):
    return [str(issue) for issue in result.issues]


@pytest.mark.django_db
def test_it_imports_a_tree_and_its_people():
    result = _import({
        "党组织": _orgs(["某机关党委", None, "机关党委"], ["第一支部", "某机关党委", "党支部"], ["一组", "第一支部", "党小组"]),
        "党员": _people(["张三", "第一支部", "一组", "正式党员", "2010-07-01", VALID_ID, "13800138000", "书记"]),
    })
    assert result.ok, _messages(result)
    assert Organisation.objects.get(name="一组").parent_name == "第一支部"
    person = Person.objects.get(name="张三")
    assert person.group.name == "一组" and person.post_names == ["书记"]


@pytest.mark.django_db
def test_every_problem_is_listed_and_nothing_written():
    result = _import({
        "党组织": _orgs(["某机关党委", None, "机关党委"], ["第一支部", "某机关党委", "党支部"], ["孤儿支部", "不存在的党委", "党支部"],
                       ["错类", "某机关党委", "党分部"], ["将来支部", "某机关党委", "党支部", None, None, None, "2999-01-01"]),
        "党员": _people(
            ["张三", "第一支部", None, "正式党员", "2010-07-01", "110105194912310021"],
            ["张三", "第一支部", None, "正式党员", "2010-07-01"],
            ["李四", "第一支部", None, "正式党员"],
            ["王五", "第一支部", None, "预备党员", "2025-13-01"],
            ["赵六", "第一支部", None, "正式党员", "2010-07-01", None, "123"],
            ["钱七", "某机关党委", None, "入党积极分子"],
        ),
    })
    messages = _messages(result)
    assert not result.written
    assert Organisation.objects.count() == 0 and Person.objects.count() == 0
    expected = [
        "工作表“党组织”，第4行，列“上级”：找不到上级组织“不存在的党委”",
        "工作表“党组织”，第5行，列“类别”：“党分部”不是有效的类别",
        "工作表“党组织”，第6行，列“成立日期”：2999-01-01 晚于今天",
        "工作表“党员”，第2行，列“身份证号”：身份证号校验位错误",
        "工作表“党员”，第3行，列“姓名”：第一支部已有同名人员（第2行）",
        "工作表“党员”，第4行，列“入党日期”：正式党员必须填写入党日期",
        "工作表“党员”，第5行，列“入党日期”：“2025-13-01”不是有效日期",
        "工作表“党员”，第6行，列“手机号”：手机号应为11位数字",
        "工作表“党员”，第7行，列“所在组织”：“某机关党委”是机关党委，不是党支部",
    ]
    for text in expected:
        assert any(message.startswith(text) for message in messages), (text, messages)


@pytest.mark.django_db
def test_a_misspelt_column_is_an_error_with_a_suggestion():
    result = _import({"党组织": [["名称", "上极", "类别"], ["某党委", None, "党委"]]})
    assert not result.ok
    assert "未知的列名“上极”" in _messages(result)[0] and "上级" in _messages(result)[0]
    assert Organisation.objects.count() == 0


@pytest.mark.django_db
def test_a_missing_required_column_is_named():
    result = _import({"党组织": [["名称"], ["某党委"]]})
    assert any("缺少必填列" in m and "类别" in m for m in _messages(result))


@pytest.mark.django_db
def test_an_unknown_sheet_is_an_error():
    result = _import({"党员名册": [["姓名"], ["张三"]]})
    assert "未知的工作表“党员名册”" in _messages(result)[0]


@pytest.mark.django_db
@pytest.mark.parametrize("damage", ["cut short", "bad row number"])
def test_a_damaged_sheet_is_explained_and_nothing_is_written(damage):
    book = workbook_bytes({"党组织": [ORG_HEADER, ["第一支部", None, "党支部"]]}).getvalue()
    damaged = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(book)) as source, zipfile.ZipFile(damaged, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2] if damage == "cut short" else data.replace(b'<row r="2"', b'<row r="2.5"')
            target.writestr(item, data)
    result = import_workbook(io.BytesIO(damaged.getvalue()), access.SYSTEM)
    assert not result.ok and _messages(result) == [
        "工作表“党组织”：文件已损坏，无法读取此工作表的单元格。请用 Excel 或 WPS 打开后另存为“Excel 工作簿 (*.xlsx)”，再导入"]
    assert Organisation.objects.count() == 0


@pytest.mark.django_db
def test_a_file_that_is_not_a_workbook_is_explained():
    result = import_workbook(io.BytesIO(b"name,parent\n"), access.SYSTEM)
    assert not result.ok and "不是有效的 .xlsx 工作簿" in _messages(result)[0]


@pytest.mark.django_db
def test_a_cycle_in_the_tree_is_found():
    result = _import({"党组织": _orgs(["甲党委", "乙党委", "党委"], ["乙党委", "甲党委", "党委"])})
    assert any("循环：甲党委 → 乙党委 → 甲党委" in m for m in _messages(result)), _messages(result)


@pytest.mark.django_db
def test_moving_an_existing_organisation_under_its_own_child_is_a_cycle(tree):
    result = _import({"党组织": _orgs(["测试机关党委", "甲支部", "机关党委"])})
    assert not result.ok  # a branch cannot be a committee's parent, and the move would make a cycle
    assert Organisation.objects.get(name="测试机关党委").depth == 1


@pytest.mark.django_db
def test_reimporting_the_same_workbook_changes_nothing():
    sheets = {
        "党组织": _orgs(["某机关党委", None, "机关党委"], ["第一支部", "某机关党委", "党支部"]),
        "党员": _people(["张三", "第一支部", None, "正式党员", "2010-07-01", VALID_ID, None, "书记、组织委员"]),
    }
    assert _import(sheets).ok
    again = _import(sheets)
    assert {name: (s.created, s.updated) for name, s in again.summaries.items()} == {"党组织": (0, 0), "党员": (0, 0)}
    assert Person.objects.count() == 1


@pytest.mark.django_db
def test_check_only_writes_nothing():
    result = _import({"党组织": _orgs(["某党委", None, "党委"])}, dry_run=True)
    assert result.ok and result.summaries["党组织"].created == 1
    assert Organisation.objects.count() == 0


def _cells(content: bytes):
    workbook = load_workbook(io.BytesIO(content))
    return {name: [list(row) for row in workbook[name].iter_rows(values_only=True)] for name in workbook.sheetnames}


@pytest.mark.django_db
def test_export_then_import_gives_back_the_same_data(tree):
    tree.people.a_member.id_number = VALID_ID
    tree.people.a_member.dues_base = "6500.50"
    tree.people.a_member.is_leading_cadre = True
    tree.people.a_member.save()
    first = export_workbook(access.SYSTEM, Organisation.objects.all())
    Person.objects.all().delete()
    Organisation.objects.all().delete()
    result = import_workbook(io.BytesIO(first), access.SYSTEM)
    assert result.ok, _messages(result)
    second = export_workbook(access.SYSTEM, Organisation.objects.all())
    assert _cells(first) == _cells(second)
    assert Person.objects.get(name="李党员").dues_base == 6500.50


@pytest.mark.django_db
def test_a_secretary_cannot_import_into_another_branch(tree):
    result = _import({"党员": _people(["新人", "乙支部", None, "入党申请人"])}, actor=tree.users.secretary_a)
    assert not result.ok and "找不到组织“乙支部”" in _messages(result)[0]
    assert not Person.objects.filter(name="新人").exists()


@pytest.mark.django_db
def test_a_secretary_cannot_rename_into_a_foreign_organisation_name(tree):
    result = _import({"党组织": _orgs(["丙支部", "甲支部", "党小组"])}, actor=tree.users.secretary_a)
    assert any("已被占用或您无权修改" in m for m in _messages(result))


def test_a_message_ending_in_a_question_gets_no_second_full_stop():
    from zhibu.exchange.workbook import Issue

    assert str(Issue("活动", 4, "类型", "是否指“支部党员大会”？", "见“活动类型”页面")).endswith("？见“活动类型”页面")
    assert str(Issue("活动", 4, "日期", "无法识别日期", "请写成 2025-03-18")).endswith("无法识别日期。请写成 2025-03-18")
