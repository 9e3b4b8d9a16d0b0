"""The demo unit as the organiser sees it: the tree, a branch with groups, the member list."""

import pytest

from zhibu.demo.build import COMMITTEE_NAME, DEMO_PASSWORD, build_demo


@pytest.fixture
def demo(live_db):
    return build_demo()


def test_the_demo_unit_looks_right(web, demo):
    web.login("jgdw", DEMO_PASSWORD)
    tree_text = web.page.locator("table.tree").inner_text()
    assert COMMITTEE_NAME in tree_text and tree_text.count("\t党支部\t") == 5
    web.screenshot("demo-tree")

    web.page.click("text=机关第一党支部")
    web.page.wait_for_load_state()
    body = web.page.locator("main").inner_text()
    assert "第一党小组" in body and "书记" in body
    web.screenshot("demo-branch")

    web.goto("/people/")
    assert "共 88 人" in web.page.locator("#people").inner_text()
    web.screenshot("demo-people")
