"""The demo unit as the organiser sees it: the tree, a branch with groups, the member list."""

import pytest

from tests.clock import LAST_YEAR
from zhibu.demo.build import COMMITTEE_NAME, DEMO_PASSWORD, build_demo


@pytest.fixture
def demo(live_db):
    return build_demo()


def test_the_demo_unit_looks_right(web, demo):
    web.login("jgdw", DEMO_PASSWORD)
    assert "党费欠缴提醒" in web.page.content()  # the workbench, gathered from every part of the demo
    web.screenshot("demo-workbench")
    web.goto("/orgs/")
    tree_text = web.page.locator("table.tree").inner_text()
    assert COMMITTEE_NAME in tree_text and tree_text.count("\t党支部\t") == 5
    web.screenshot("demo-tree")

    web.click_and_wait("text=机关第一党支部")
    body = web.page.locator("main").inner_text()
    assert "第一党小组" in body and "书记" in body
    web.screenshot("demo-branch")

    web.goto("/people/")
    assert "共 88 人" in web.page.locator("#people").inner_text()
    web.screenshot("demo-people")


def test_the_compliance_dashboard_shows_the_demo_gaps(web, demo):
    web.login("jgdw", DEMO_PASSWORD)
    web.goto(f"/compliance/?year={LAST_YEAR}")
    assert web.page.locator("table.grid tbody tr").count() == 5
    bad_rows = web.page.locator("table.grid tbody tr:has(td.cell.bad) td:first-child").all_inner_texts()
    assert sorted(bad_rows) == sorted(["机关第二党支部", "离退休干部党支部", "统计执法监督党支部"])
    web.page.wait_for_selector("#score-chart svg")  # the chart drew from the vendored ECharts
    web.screenshot("compliance-dashboard")
    web.click_and_wait("table.grid >> text=机关第二党支部")
    assert "7月 缺" in web.page.locator("table.calendar-lines").inner_text()
    web.screenshot("compliance-branch")
