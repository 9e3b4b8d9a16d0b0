"""The import's bulk writes leave what saving one by one would: a sound tree, history rows, periods, posts."""

from datetime import date

from tests.exchange.workbooks import workbook_bytes
from zhibu.exchange.workbook import import_workbook
from zhibu.orgs import access
from zhibu.orgs.models import MembershipPeriod, Organisation, Person
from zhibu.records.models import Activity, Attendance


def test_an_unsorted_tree_people_and_records_import_in_bulk(tree):
    names = [f"导入第{n}支部" for n in (3, 1, 2)]
    orgs = [["名称", "上级", "类别"], *[[name, tree.orgs.committee.name, "党支部"] for name in names],
            ["导入第1支部小组", "导入第1支部", "党小组"], ["甲支部新小组", "甲支部", "党小组"]]
    people = [["姓名", "所在组织", "人员类别", "入党日期", "党内职务"],
              *[[f"导入{n}号", name, "正式党员", date(2012, 7, 1), "书记" if n == 0 else ""] for n, name in enumerate(names)]]
    records = [["组织", "类型", "日期", "出席", "缺席"],
               *[[name, "支部党员大会", date(2025, 3, 1), f"导入{n}号", ""] for n, name in enumerate(names)]]
    result = import_workbook(workbook_bytes({"党组织": orgs, "党员": people, "活动": records}), access.SYSTEM)
    assert result.ok, result.issues
    assert not any(Organisation.find_problems())
    children = [o.name for o in Organisation.objects.get(pk=tree.orgs.committee.pk).get_children()]
    assert children == sorted(children) and set(names) <= set(children)
    assert Organisation.objects.get(name="甲支部新小组").get_parent().name == "甲支部"
    person = Person.objects.get(name="导入0号")
    assert MembershipPeriod.objects.get(person=person).start == date(2012, 7, 1) and person.post_names == ["书记"]
    assert person.history.count() == 1 and Organisation.objects.get(name="导入第2支部").history.count() == 1
    record = Activity.objects.get(org__name="导入第1支部")
    assert record.history.count() == 1 and Attendance.history.filter(activity_id=record.pk).count() == 1
    again = import_workbook(workbook_bytes({"党组织": orgs, "党员": people, "活动": records}), access.SYSTEM)
    assert again.ok and all(summary.created == 0 for summary in again.summaries.values())
