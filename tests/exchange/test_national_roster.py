"""The roster in the national system's columns: read by name (synonyms, spaces), matched by 身份证号码,
checked like every import, and written back in the same columns (round trip)."""

import io
from datetime import date

from django.core.management import call_command
from openpyxl import load_workbook

from tests.clock import TODAY
from tests.exchange.workbooks import workbook_bytes
from zhibu.exchange.national import COLUMNS
from zhibu.exchange.workbook import import_workbook
from zhibu.lib.idcard import id_check_char
from zhibu.orgs import access
from zhibu.orgs.models import Person


def id_number(born: str, serial: str = "123") -> str:
    first = "110101" + born + serial
    return first + id_check_char(first)


LI = id_number("19850315")
NEW = id_number("19920808", "456")


def national_rows(tree, **changes):
    row = dict.fromkeys(COLUMNS, None)
    row.update({"姓名": "李党员", "身份证号码": LI, "性别": "男", "出生日期": "1985-03-15", "民族": "汉", "籍贯": "山东济南",
                "年龄": TODAY.year - 1985 - (TODAY < date(TODAY.year, 3, 15)),
                "学历": "本科", "学位": "学士", "毕业院校": "某大学", "入党时间": "2010-07-01", "转正日期": "2011-07-01",
                "工作岗位": "公务员", "人员类别": "正式党员", "是否农民工": "否", "所在党支部": "甲支部", "户籍所在地": "北京市东城区",
                "现居住地": "北京市西城区", "参加工作日期": "2008-07-01", "联系电话": "010-12345678"})
    new = dict.fromkeys(COLUMNS, None)
    new.update({"姓名": "新同志", "身份证号码": NEW, "性别": "女", "民族": "回族", "学历": "硕士研究生", "入党时间": "2020-06-01",
                "人员类别": "预备党员", "所在党支部": "乙支部", "新的社会阶层": "自由职业人员", "是否农民工": "是"})
    row.update(changes)
    headers = [name + (" " if name == "是否农民工" else "") for name in COLUMNS]  # a trailing space seen in a real export
    return {"中组部党员": [headers, [row[c] for c in COLUMNS], [new[c] for c in COLUMNS]]}


def give_li_an_id(tree):
    Person.objects.filter(pk=tree.people.a_member.pk).update(id_number=LI, birth_date=date(1985, 3, 15))


def test_imports_maps_and_keeps_what_the_roster_has_no_column_for(tree):
    give_li_an_id(tree)
    preview = import_workbook(workbook_bytes(national_rows(tree)), access.SYSTEM, dry_run=True)
    assert preview.ok, [str(i) for i in preview.issues]
    assert any("毕业院校" in note and "联系电话" in note and "未导入" in note for note in preview.notes)
    assert not Person.objects.filter(name="新同志").exists()
    result = import_workbook(workbook_bytes(national_rows(tree)), access.SYSTEM)
    assert str(result.summaries["中组部党员"]) == "新增 1，更新 1，未变 0"
    li = Person.objects.get(pk=tree.people.a_member.pk)
    assert (li.ethnicity, li.education, li.degree, li.job, li.native_place) == ("汉族", "大学本科", "学士", "公务员", "山东济南")
    assert li.group == tree.orgs.group_a and li.work_started_on == date(2008, 7, 1)  # kept: no such column
    new = Person.objects.get(name="新同志")
    assert (new.branch, new.stratum, new.migrant_worker, new.birth_date) == (tree.orgs.b, "自由职业人员", True, None)
    again = import_workbook(workbook_bytes(national_rows(tree)), access.SYSTEM)
    assert str(again.summaries["中组部党员"]) == "新增 0，更新 0，未变 2"


def test_export_reimports_with_the_same_data(tree, tmp_path):
    give_li_an_id(tree)
    import_workbook(workbook_bytes(national_rows(tree)), access.SYSTEM)
    out = tmp_path / "roster.xlsx"
    call_command("export", str(out), "--org", "测试机关党委", "--layout", "全国党员信息")
    book = load_workbook(out)
    assert book.sheetnames == ["中组部党员"]
    header = [c.value for c in book.active[1]]
    assert header == list(COLUMNS)
    exported = {row[0]: dict(zip(COLUMNS, row)) for row in book.active.iter_rows(min_row=2, values_only=True)}
    given = dict(zip([h.strip() for h in national_rows(tree)["中组部党员"][0]], national_rows(tree)["中组部党员"][2]))
    for column in ("身份证号码", "性别", "民族", "学历", "人员类别", "所在党支部", "新的社会阶层", "是否农民工"):
        assert exported["新同志"][column] == given[column], column
    assert exported["新同志"]["入党时间"].date() == date(2020, 6, 1)
    assert (exported["李党员"]["民族"], exported["李党员"]["学历"]) == ("汉族", "大学本科")  # as read: 汉 → 汉族, 本科 → 大学本科
    before = {p.pk: (p.ethnicity, p.education, p.job, p.residence, p.admitted_on, p.category, p.branch_id)
              for p in Person.objects.all()}
    result = import_workbook(str(out), access.SYSTEM)
    assert result.ok and all(s.created == s.updated == 0 for s in result.summaries.values()), result.summaries
    # People without an ID number cannot be matched: they are the errors' subject, not silently doubled.
    after = {p.pk: (p.ethnicity, p.education, p.job, p.residence, p.admitted_on, p.category, p.branch_id)
             for p in Person.objects.all()}
    assert before == after


def test_bad_rows_are_named_with_row_and_column_and_nothing_is_written(tree):
    give_li_an_id(tree)
    rows = national_rows(tree, 姓名="赵同志", 人员类别="正式党园", 学历="本科生", 年龄=12, 所在党支部="外单位支部")
    rows["中组部党员"][2][COLUMNS.index("入党时间")] = "2000-01-01"  # born 1992: 7 years old
    result = import_workbook(workbook_bytes(rows), access.SYSTEM)
    assert not result.ok
    said = {(issue.row, issue.column): str(issue) for issue in result.issues}
    assert "是否应为“正式党员”" in said[(2, "人员类别")]
    assert "是否应为“大学本科”" in said[(2, "学历")]
    assert "年龄 12 与出生日期 1985-03-15" in said[(2, "年龄")]
    assert "找不到组织“外单位支部”" in said[(2, "所在党支部")]
    assert "入党须年满十八岁" in said[(3, "入党时间")]
    assert not Person.objects.filter(name="新同志").exists()
    assert Person.objects.get(pk=tree.people.a_member.pk).education == ""


def test_one_id_number_for_two_people_is_refused(tree):
    give_li_an_id(tree)
    rows = national_rows(tree, 姓名="赵同志")  # 李党员's number, 赵同志's name in the same branch
    result = import_workbook(workbook_bytes(rows), access.SYSTEM)
    assert any(issue.column == "身份证号码" and "只属于一个人" in issue.fix for issue in result.issues), [
        str(i) for i in result.issues]


def test_web_preview_lists_the_columns_not_imported(client, tree):
    give_li_an_id(tree)
    client.force_login(tree.users.admin)
    upload = workbook_bytes(national_rows(tree))
    upload.name = "roster.xlsx"
    page = client.post("/exchange/import/", {"file": upload}).content.decode()
    assert "检查通过" in page and "未导入：毕业院校" in page and "新增 1，更新 1" in page
    assert not Person.objects.filter(name="新同志").exists()
    client.post("/exchange/import/confirm/")
    assert Person.objects.filter(name="新同志").exists()
