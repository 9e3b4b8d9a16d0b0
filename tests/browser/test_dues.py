"""Dues in the browser: a clerk's month grid, the branch ledger, and a member's own dues on a phone."""

from decimal import Decimal

from tests.clock import LAST_YEAR, TODAY
from tests.dues.conftest import give_base, months, pay
from zhibu.dues.models import DuesPayment
from zhibu.dues.services import grid_key


def test_a_secretary_fills_the_month_grid_corrects_a_typo_and_sees_the_ledger(web, live_tree):
    people = live_tree.people
    give_base(people.a_member, LAST_YEAR)  # 45.00 a month
    give_base(people.a_other, LAST_YEAR, "3000")  # 15.00 a month
    january = lambda person: f"input[name='{grid_key(person.pk, f'{LAST_YEAR}-01')}']"  # noqa: E731
    february = f"input[name='{grid_key(people.a_member.pk, f'{LAST_YEAR}-02')}']"

    web.login("secretary_a")
    web.goto(f"/dues/branch/{live_tree.orgs.a.pk}/{LAST_YEAR}/entry/")
    web.page.click(f"button.fill-due[data-month='{LAST_YEAR}-01']")
    assert web.page.input_value(january(people.a_member)) == "45.00"
    assert web.page.input_value(january(people.a_other)) == "15.00"
    assert web.page.input_value(january(people.a_secretary)) == ""  # no base yet: nothing to fill in
    web.page.fill(february, "45元")
    web.click_and_wait("form.dues-entry .filters button.primary")
    assert "有 1 处问题，未保存任何数据" in web.page.content()
    assert "李党员 2月：“45元”不是数字" in web.page.content()
    assert web.page.input_value(january(people.a_member)) == "45.00"  # what was typed is kept
    assert not DuesPayment.objects.exists()
    web.screenshot("dues-grid-error")

    web.page.fill(february, "45")
    web.page.click("form.dues-entry .filters button.primary")
    web.page.wait_for_url(f"**/dues/branch/{live_tree.orgs.a.pk}/{LAST_YEAR}/")
    assert "已保存：新增 3 笔" in web.page.content()
    assert sorted(DuesPayment.objects.values_list("person__name", "month", "amount")) == [
        ("李党员", f"{LAST_YEAR}-01", Decimal("45.00")),
        ("李党员", f"{LAST_YEAR}-02", Decimal("45.00")),
        ("赵同志", f"{LAST_YEAR}-01", Decimal("15.00")),
    ]
    row = web.page.locator("table.dues-ledger tbody tr", has_text="李党员")
    assert row.locator("td.cell-paid").count() == 2
    assert row.locator("td.cell-unpaid").count() == 10
    assert "警告" in row.inner_text()  # ten months unpaid by the end of the year
    web.screenshot("dues-ledger")


def test_a_member_checks_their_own_dues_on_a_phone(phone, live_tree):
    member = live_tree.people.a_member
    give_base(member, LAST_YEAR)
    pay(member, *months(LAST_YEAR, 1, 7))
    give_base(live_tree.people.a_other, LAST_YEAR)
    pay(live_tree.people.a_other, f"{LAST_YEAR}-01", amount="99.99")

    phone.login("member_a")
    phone.page.click("label.menu-button")
    phone.click_and_wait("text=我的党费")
    assert f"我的党费 · {TODAY.year}年" in phone.page.locator("h1").inner_text()
    phone.click_and_wait(f"nav.years >> text={LAST_YEAR}年")
    page = phone.page.content()
    assert "已连续 5 个月未交纳党费" in page
    assert "315.00 元" in page and "99.99" not in page and "赵同志" not in page
    rows = phone.page.locator("table.my-dues tbody tr")
    assert rows.count() == 12
    assert "已缴" in rows.nth(0).inner_text() and "未缴" in rows.nth(11).inner_text()
    width = phone.page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width}px)"
    phone.screenshot("dues-member-phone")
