"""Sheet 党员's optional columns 民族 … 新社会阶层类型: read, checked, exported, and left alone when absent."""

from datetime import date

from tests.exchange.workbooks import PERSON_HEADER, workbook_bytes
from zhibu.exchange.workbook import export_workbook, import_workbook
from zhibu.orgs import access
from zhibu.orgs.models import Organisation, Person

PROFILE = ["民族", "籍贯", "学历", "学位", "工作岗位", "参加工作日期", "户籍所在地", "现居住地", "是否农民工", "新社会阶层类型"]


def li_row(**profile):
    base = ["李党员", "甲支部", "甲一小组", "正式党员", "2010-07-01", None, None, None]
    values = {"民族": "汉", "籍贯": " 山东　济南 ", "学历": "博士", "学位": "博士", "工作岗位": "公务员",
              "参加工作日期": "2008/7/1", "户籍所在地": "北京市东城区", "现居住地": "北京市西城区", "是否农民工": "否",
              "新社会阶层类型": None}
    values.update(profile)
    return base + [values[c] for c in PROFILE]


def test_read_normalised_and_round_trip(tree):
    result = import_workbook(workbook_bytes({"党员": [PERSON_HEADER + PROFILE, li_row()]}), access.SYSTEM)
    assert result.ok, [str(i) for i in result.issues]
    li = Person.objects.get(pk=tree.people.a_member.pk)
    assert (li.ethnicity, li.native_place, li.education, li.work_started_on) == ("汉族", "山东 济南", "博士研究生", date(2008, 7, 1))
    content = export_workbook(access.SYSTEM, Organisation.objects.all())
    again = import_workbook(__import__("io").BytesIO(content), access.SYSTEM)
    assert again.ok and again.summaries["党员"].updated == again.summaries["党员"].created == 0


def test_a_workbook_without_the_columns_leaves_them_alone(tree):
    import_workbook(workbook_bytes({"党员": [PERSON_HEADER + PROFILE, li_row()]}), access.SYSTEM)
    old = ["李党员", "甲支部", "甲一小组", "正式党员", "2010-07-01", None, None, None]
    result = import_workbook(workbook_bytes({"党员": [PERSON_HEADER, old]}), access.SYSTEM)
    assert result.ok
    assert Person.objects.get(pk=tree.people.a_member.pk).education == "博士研究生"


def test_unknown_entries_name_the_nearest(tree):
    result = import_workbook(workbook_bytes({"党员": [PERSON_HEADER + PROFILE, li_row(
        学历="大学本课", 工作岗位="公务人员", 民族="火星族", 是否农民工="也许", 参加工作日期="1900-13-01")]}), access.SYSTEM)
    said = {issue.column: str(issue) for issue in result.issues}
    assert "是否应为“大学本科”" in said["学历"] and "是否应为“公务员”" in said["工作岗位"]
    assert set(said) == {"学历", "工作岗位", "民族", "是否农民工", "参加工作日期"}
    assert all(issue.row == 2 for issue in result.issues)
    assert Person.objects.get(pk=tree.people.a_member.pk).education == ""
