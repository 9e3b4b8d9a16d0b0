"""Dues pages per role, the bases and settings forms, and the 台账 and 公示 files."""

import io
from decimal import Decimal

import docx
import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.clock import TODAY
from tests.dues.conftest import give_base, months, pay
from zhibu.dues.models import BranchDuesSettings, DuesBase

YEAR = TODAY.year
LAST_YEAR = YEAR - 1

BRANCH_PAGES = ["dues_branch", "dues_entry", "dues_bases", "dues_ledger_xlsx", "dues_notice", "dues_notice_docx"]


def get(client, user, url):
    client.force_login(user)
    return client.get(url)


@pytest.mark.parametrize(("role", "foreign"), [("secretary_a", "b"), ("clerk_b", "a"), ("organiser", "c"), ("member_a", "a"), ("nobody", "a")])
def test_an_edited_branch_id_answers_404(client, tree, role, foreign):
    user, branch = getattr(tree.users, role), getattr(tree.orgs, foreign)
    for name in BRANCH_PAGES:
        response = get(client, user, reverse(name, args=[branch.pk, YEAR]))
        assert response.status_code == 404, name
        assert branch.name not in response.content.decode()
    for name in ("dues_settings", "dues_branch_current"):
        assert get(client, user, reverse(name, args=[branch.pk])).status_code == 404, name
    assert client.post(reverse("dues_seed_bases", args=[branch.pk, YEAR])).status_code == 404
    assert not DuesBase.objects.exists()


@pytest.mark.parametrize(("role", "foreign"), [("secretary_a", "b_member"), ("clerk_b", "a_member"), ("organiser", "c_member"), ("member_a", "a_other")])
def test_an_edited_person_id_answers_404(client, tree, role, foreign):
    user, person = getattr(tree.users, role), getattr(tree.people, foreign)
    give_base(person, YEAR)
    for url in (reverse("dues_person", args=[person.pk, YEAR]), reverse("dues_person_current", args=[person.pk]),
                reverse("dues_base_edit", args=[person.pk, YEAR])):
        response = get(client, user, url)
        assert response.status_code == 404, url
        assert person.name not in response.content.decode()


def test_a_member_cannot_edit_even_their_own_base(client, tree):
    response = get(client, tree.users.member_a, reverse("dues_base_edit", args=[tree.people.a_member.pk, YEAR]))
    assert response.status_code == 404


def test_a_member_sees_their_own_months_and_is_warned_when_behind(client, tree):
    member = tree.people.a_member
    give_base(member, LAST_YEAR)
    pay(member, *months(LAST_YEAR, 1, 7))
    client.force_login(tree.users.member_a)
    response = client.get(reverse("dues_mine"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("dues_person", args=[member.pk, YEAR])
    page = client.get(reverse("dues_person", args=[member.pk, LAST_YEAR])).content.decode()
    assert "我的党费" in page
    assert "已连续 5 个月未交纳党费" in page  # August to December of last year
    assert "315.00 元" in page  # paid
    assert "赵同志" not in page


def test_a_member_home_is_their_own_dues_and_a_manager_with_one_branch_goes_to_its_ledger(client, tree):
    assert get(client, tree.users.member_a, reverse("dues_home"))["Location"] == reverse("dues_person", args=[tree.people.a_member.pk, YEAR])
    assert get(client, tree.users.secretary_a, reverse("dues_home"))["Location"] == reverse("dues_branch", args=[tree.orgs.a.pk, YEAR])
    assert get(client, tree.users.nobody, reverse("dues_home")).status_code == 404


def test_a_committee_admin_sees_each_branch_of_their_subtree(client, tree):
    give_base(tree.people.a_member, LAST_YEAR)
    page = get(client, tree.users.organiser, reverse("dues_home") + f"?year={LAST_YEAR}").content.decode()
    assert "甲支部" in page and "乙支部" in page
    assert "丙支部" not in page
    assert "李党员 12个月" in page  # a whole year unpaid


def test_the_ledger_page_lists_warnings_and_offers_to_set_missing_bases(client, tree):
    member = tree.people.a_member
    give_base(member, LAST_YEAR)
    pay(member, *months(LAST_YEAR, 1, 9))
    page = get(client, tree.users.secretary_a, reverse("dues_branch", args=[tree.orgs.a.pk, LAST_YEAR])).content.decode()
    assert "李党员</a> 连续 3 个月未缴，欠缴 135.00 元" in page
    assert f"2 人尚未确定{LAST_YEAR}年缴费基数" in page
    response = client.post(reverse("dues_seed_bases", args=[tree.orgs.a.pk, LAST_YEAR]), follow=True)
    assert "已按花名册为 2 名党员确定" in response.content.decode()
    assert DuesBase.objects.filter(year=LAST_YEAR).count() == 3


def test_a_base_is_checked_by_the_2008_rules_before_it_is_saved(client, tree):
    client.force_login(tree.users.secretary_a)
    url = reverse("dues_base_edit", args=[tree.people.a_member.pk, YEAR])
    response = client.post(url, {"category": "在职", "base": "", "reduced_amount": ""})
    assert "须填写月缴费基数" in response.content.decode()
    response = client.post(url, {"category": "困难减免", "base": "", "reduced_amount": ""})
    assert "须填写经支部研究、上级党委批准的减免后月党费金额" in response.content.decode()
    assert not DuesBase.objects.exists()
    response = client.post(url, {"category": "在职", "base": "5000.01", "reduced_amount": ""}, follow=True)
    assert "月应缴 75.00 元" in response.content.decode()
    assert DuesBase.objects.get().base == Decimal("5000.01")


def test_branch_settings_keep_the_farmer_range_and_warn_before_six_months(client, tree):
    client.force_login(tree.users.secretary_a)
    url = reverse("dues_settings", args=[tree.orgs.a.pk])
    response = client.post(url, {"farmer_amount": "1.50", "rounding": "四舍五入到分", "reminder_after": "3", "warning_after": "6"})
    page = response.content.decode()
    assert "0.20 元至 1.00 元之间" in page
    assert "应满足 0 &lt; 提醒 &lt; 警告 &lt; 6" in page
    assert not BranchDuesSettings.objects.exists()
    client.post(url, {"farmer_amount": "0.50", "rounding": "进位到角", "reminder_after": "2", "warning_after": "4"})
    assert BranchDuesSettings.objects.get(branch=tree.orgs.a).farmer_amount == Decimal("0.50")


def test_the_collection_ledger_xlsx_has_a_row_per_member_and_totals(client, tree):
    member = tree.people.a_member
    give_base(member, LAST_YEAR, "6000")
    pay(member, *months(LAST_YEAR, 1, 12), amount="90.00")
    response = get(client, tree.users.secretary_a, reverse("dues_ledger_xlsx", args=[tree.orgs.a.pk, LAST_YEAR]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == f"甲支部{LAST_YEAR}年党费收缴台账"
    header = [cell.value for cell in sheet[3]]
    assert header[:6] == ["序号", "姓名", "人员类别", "党费类别", "月缴费基数", "月应缴"]
    rows = {row[1]: row for row in sheet.iter_rows(min_row=4, values_only=True) if row[1]}
    line = rows["李党员"]
    assert line[4:7] == (6000, 90, 90)
    assert line[header.index("应缴合计")] == 1080
    assert line[header.index("欠缴")] == 0
    assert "未确定本年度缴费基数" in rows["王书记"][header.index("备注")]
    assert rows["合计"][header.index("实缴合计")] == 1080


def test_the_notice_lists_amounts_but_never_the_income_base(client, tree):
    member = tree.people.a_member
    give_base(member, LAST_YEAR, "6000")
    pay(member, *months(LAST_YEAR, 1, 10), amount="90.00")
    client.force_login(tree.users.secretary_a)
    page = client.get(reverse("dues_notice", args=[tree.orgs.a.pk, LAST_YEAR])).content.decode()
    assert f"{LAST_YEAR}年度党费收缴情况公示" in page
    assert "欠交180.00元" in page
    assert "6000" not in page
    document = docx.Document(io.BytesIO(client.get(reverse("dues_notice_docx", args=[tree.orgs.a.pk, LAST_YEAR])).content))
    assert document.paragraphs[0].text == f"甲支部\n{LAST_YEAR}年度党费收缴情况公示"
    [table] = document.tables
    assert [cell.text for cell in table.rows[0].cells] == ["序号", "姓名", "月交纳标准（元）", "应交（元）", "实交（元）", "备注"]
    lines = {row.cells[1].text: [cell.text for cell in row.cells] for row in table.rows[1:]}
    assert lines["李党员"][2:] == ["90.00", "1080.00", "900.00", "欠交180.00元"]
    assert "6000" not in "\n".join(p.text for p in document.paragraphs)
