"""Sheet 党费 of the exchange workbook: import all or nothing, every error listed, idempotent, round trip."""

import io
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.core.management import call_command
from openpyxl import load_workbook

from tests.clock import TODAY
from tests.dues.conftest import give_base
from tests.exchange.workbooks import workbook_bytes
from zhibu.dues.models import DuesBase, DuesPayment, PaymentSource
from zhibu.exchange.workbook import import_workbook
from zhibu.orgs import access
from zhibu.orgs.models import Person

HEADER = ["姓名", "组织", "月份", "实缴", "缴纳日期"]


def dues_book(*rows) -> io.BytesIO:
    return workbook_bytes({"党费": [HEADER, *rows]})


def test_it_imports_payments_and_sets_the_year_base_from_the_roster(tree):
    member = tree.people.a_member
    member.dues_base = Decimal("6000")
    member.save()
    result = import_workbook(dues_book(
        ["李党员", "甲支部", "2025-03", 90, "2025-03-12"],
        ["李党员", "甲支部", datetime(2025, 4, 1), "90.00", date(2025, 4, 8)],  # Excel turned "2025-04" into a date
        ["孙党员", "乙支部", "2025-03", 45.5, None],
    ), access.SYSTEM)
    assert result.ok, [str(issue) for issue in result.issues]
    assert str(result.summaries["党费"]) == "新增 3，更新 0，未变 0"
    payment = DuesPayment.objects.get(person=member, month="2025-04")
    assert (payment.amount, payment.paid_on, payment.source) == (Decimal("90.00"), date(2025, 4, 8), PaymentSource.IMPORT)
    assert DuesBase.objects.get(person=member, year=2025).base == Decimal("6000")


def test_a_base_already_set_for_the_year_is_kept(tree):
    give_base(tree.people.a_member, 2025, "3000")
    tree.people.a_member.dues_base = Decimal("9999")
    tree.people.a_member.save()
    assert import_workbook(dues_book(["李党员", "甲支部", "2025-03", 15]), access.SYSTEM).ok
    assert DuesBase.objects.get(person=tree.people.a_member, year=2025).base == Decimal("3000")


def test_reimporting_the_same_workbook_changes_nothing(tree):
    rows = [["李党员", "甲支部", "2025-03", 45, "2025-03-12"], ["李党员", "甲支部", "2025-04", 45, None]]
    assert import_workbook(dues_book(*rows), access.SYSTEM).ok
    again = import_workbook(dues_book(*rows), access.SYSTEM)
    assert str(again.summaries["党费"]) == "新增 0，更新 0，未变 2"
    assert DuesPayment.objects.count() == 2


def test_a_changed_amount_updates_the_month_instead_of_adding_a_twin(tree):
    assert import_workbook(dues_book(["李党员", "甲支部", "2025-03", 45]), access.SYSTEM).ok
    result = import_workbook(dues_book(["李党员", "甲支部", "2025-03", 50]), access.SYSTEM)
    assert str(result.summaries["党费"]) == "新增 0，更新 1，未变 0"
    assert DuesPayment.objects.get().amount == Decimal("50.00")


def test_export_then_import_gives_the_same_payments_back(tree, tmp_path):
    import_workbook(dues_book(["李党员", "甲支部", "2025-03", 45.5, "2025-03-12"], ["孙党员", "乙支部", "2025-12", 30, None]),
                    access.SYSTEM)
    before = list(DuesPayment.objects.order_by("pk").values_list("person__name", "month", "amount", "paid_on"))
    path = tmp_path / "all.xlsx"
    call_command("export", str(path))
    sheet = load_workbook(path)["党费"]
    assert [cell.value for cell in sheet[1]] == HEADER
    rows = [list(row) for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert ["李党员", "甲支部", "2025-03", 45.5, datetime(2025, 3, 12)] in rows
    call_command("import", str(path))
    assert list(DuesPayment.objects.order_by("pk").values_list("person__name", "month", "amount", "paid_on")) == before
    result = import_workbook(path.open("rb"), access.SYSTEM)
    assert str(result.summaries["党费"]) == "新增 0，更新 0，未变 2"


def test_every_bad_row_is_listed_and_nothing_is_written(tree):
    tomorrow = TODAY + timedelta(days=1)
    result = import_workbook(dues_book(
        ["李党员", "甲支部", "2025-03", 45],  # fine on its own
        ["李党员", "甲支部", "2025年13月", 45],
        ["李党员", "甲支部", "2025-04", "四十五"],
        ["李党员", "甲支部", "2025-05", -45],
        ["李党员", "甲支部", "2025-06", 0],
        ["无此人", "甲支部", "2025-03", 45],
        ["李党员", "甲支部", "2009-12", 45],  # admitted 2010-07-01
        ["李党员", "甲支部", "2025-03", 45],  # same month again
        ["李党员", "甲支部", "2025-07", 45, tomorrow],
        ["", "甲支部", "2025-08", 45],
    ), access.SYSTEM)
    assert not result.ok
    found = {(issue.row, issue.column): issue.message for issue in result.issues}
    assert "月份“2025年13月”无法识别" in found[(3, "月份")]
    assert "不是数字" in found[(4, "实缴")]
    assert "实缴金额应大于0" in found[(5, "实缴")]
    assert "实缴金额应大于0" in found[(6, "实缴")]
    assert "找不到人员“无此人”" in found[(7, "姓名")]
    assert "早于李党员的入党日期 2010-07-01" in found[(8, "月份")]
    assert "与第2行重复" in found[(9, "月份")]
    assert "晚于今天" in found[(10, "缴纳日期")]
    assert found[(11, "姓名")] == "必填项为空"
    assert len(result.issues) == 9
    assert not DuesPayment.objects.exists()
    assert not DuesBase.objects.exists()


def test_a_missing_or_unknown_column_is_reported_before_any_row(tree):
    result = import_workbook(workbook_bytes({"党费": [["姓名", "组织", "月份", "实交"], ["李党员", "甲支部", "2025-03", 45]]}), access.SYSTEM)
    messages = {(issue.column, issue.message) for issue in result.issues}
    assert ("实交", "未知的列名“实交”") in messages
    assert ("实缴", "缺少必填列") in messages
    assert not DuesPayment.objects.exists()


def test_a_person_new_in_the_same_workbook_can_have_payments(tree):
    people = [["姓名", "所在组织", "人员类别", "入党日期"], ["新党员", "甲支部", "预备党员", "2025-02-10"]]
    result = import_workbook(workbook_bytes({"党员": people, "党费": [HEADER, ["新党员", "甲支部", "2025-02", 12], ["新党员", "甲支部", "2025-01", 12]]}),
                             access.SYSTEM)
    assert [issue.row for issue in result.issues] == [3]  # January is before the admission in the same workbook
    result = import_workbook(workbook_bytes({"党员": people, "党费": [HEADER, ["新党员", "甲支部", "2025-02", 12]]}), access.SYSTEM)
    assert result.ok
    assert DuesPayment.objects.get().person == Person.objects.get(name="新党员")


def test_a_secretary_cannot_import_dues_for_another_branch_and_learns_nothing_about_it(tree):
    result = import_workbook(dues_book(["孙党员", "乙支部", "2025-03", 45]), tree.users.secretary_a)
    [issue] = result.issues
    assert issue.message == "在“乙支部”找不到人员“孙党员”，或您无权管理"
    unknown = import_workbook(dues_book(["无此人", "乙支部", "2025-03", 45]), tree.users.secretary_a)
    assert unknown.issues[0].message == "在“乙支部”找不到人员“无此人”，或您无权管理"
    assert not DuesPayment.objects.exists()


def test_a_branch_export_holds_only_that_branch(tree):
    import_workbook(dues_book(["李党员", "甲支部", "2025-03", 45], ["孙党员", "乙支部", "2025-03", 45]), access.SYSTEM)
    from zhibu.exchange.workbook import export_workbook

    content = export_workbook(tree.users.secretary_a, access.managed_orgs(tree.users.secretary_a), ["党费"])
    rows = list(load_workbook(io.BytesIO(content))["党费"].iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in rows] == ["李党员"]
