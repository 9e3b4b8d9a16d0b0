"""Figures that look wrong are asked about before they are saved: dues 100× what is due, a list longer than
those due, a 金额 over the threshold."""

from decimal import Decimal

from playwright.sync_api import expect

from tests.clock import LAST_YEAR
from tests.dues.conftest import give_base
from zhibu.dues.models import DuesPayment
from zhibu.dues.services import grid_key
from zhibu.records.models import Activity


def test_dues_far_from_what_is_due_are_saved_only_once_confirmed(web, live_tree):
    member = live_tree.people.a_member
    give_base(member, LAST_YEAR)  # 45.00 a month
    web.login("secretary_a")
    web.goto(f"/dues/branch/{live_tree.orgs.a.pk}/{LAST_YEAR}/entry/")
    web.page.fill(f"input[name='{grid_key(member.pk, f'{LAST_YEAR}-01')}']", "4500")
    web.click_and_wait("form.dues-entry .filters button.primary")
    question = web.page.locator(".confirm-unusual").inner_text()
    assert "实缴 4500.00 元，应缴 45.00 元" in question and not DuesPayment.objects.exists()
    web.screenshot("dues-unusual")
    web.page.check("input[name=confirm_unusual]")
    web.click_and_wait("form.dues-entry .filters button.primary")
    assert DuesPayment.objects.get().amount == Decimal("4500")


def test_a_large_amount_and_a_list_longer_than_those_due_are_asked_about(web, live_tree):
    web.login("secretary_a")
    web.goto(f"/records/new/?org={live_tree.orgs.group_a.pk}")
    web.page.select_option("#id_type", label="捐款")
    web.page.fill("#id_date", "2025-05-20")
    web.page.fill("#id_amount", "500000")
    web.click_and_wait("button.primary")
    assert "金额 500000 元超过 100000 元" in web.page.locator(".confirm-unusual").inner_text()
    assert not Activity.objects.exists()
    web.page.check("input[name=confirm_unusual]")
    web.click_and_wait("button.primary")
    assert Activity.objects.get().amount == Decimal("500000")

    web.goto(f"/records/new/?org={live_tree.orgs.group_a.pk}")
    web.page.select_option("#id_type", label="党小组会")
    web.page.fill("#id_date", "2025-05-21")
    web.page.locator("#id_date").dispatch_event("change")
    web.page.wait_for_selector(".roll-line.optional")
    # The type and the date each reload the roll: tick only once the last reload has arrived (3 lines).
    web.wait_for_fragments()
    expect(web.page.locator(".roll-line")).to_have_count(3)
    for line in web.page.locator(".roll-line").all():
        line.locator("input[value='出席']").check()  # the group's one member, and two from the branch
    web.click_and_wait("button.primary")
    assert "名单登记了 3 人，比应到的 1 人还多" in web.page.locator(".confirm-unusual").inner_text()
    web.screenshot("records-unusual")
