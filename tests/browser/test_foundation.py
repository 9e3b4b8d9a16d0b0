"""Login, the organisation tree and editing a member, as a user does it."""
from playwright.sync_api import expect

from zhibu.orgs.models import Person


def test_a_secretary_logs_in_browses_the_tree_and_edits_a_member(web, live_tree):
    web.login("secretary_a")
    assert web.page.locator("h1").inner_text().startswith("工作台")
    web.screenshot("foundation-workbench")
    web.goto("/orgs/")
    assert web.page.locator("table.tree").inner_text().count("甲支部") == 1
    assert "乙支部" not in web.page.content()
    web.screenshot("foundation-tree")

    web.click_and_wait("table.tree >> text=甲支部")
    assert web.page.locator("h1").inner_text().startswith("甲支部")
    web.click_and_wait("text=李党员")
    web.click_and_wait("a.button:has-text('编辑')")
    web.page.fill("#id_phone", "1380013800")  # one digit short
    web.click_and_wait("button.primary")
    assert "手机号应为11位数字" in web.page.content()
    web.screenshot("foundation-person-edit-error")

    web.page.fill("#id_phone", "13800138000")
    web.click_and_wait("button.primary")
    assert "已保存" in web.page.content()
    assert Person.objects.get(name="李党员").phone == "13800138000"
    web.screenshot("foundation-person")


def test_the_people_list_filters_without_reloading(web, live_tree):
    web.login("organiser")
    web.goto("/people/")
    assert "孙党员" in web.page.content()
    web.page.select_option("select[name=org]", label="甲支部")
    expect(web.page.locator("#people")).not_to_contain_text("孙党员")  # (no string-eval under the CSP)
    assert "李党员" in web.page.locator("#people").inner_text()
    web.screenshot("foundation-people")


def test_repeated_failed_logins_lock_the_account(web, live_tree):
    for _ in range(5):
        web.login("secretary_a", "wrong-password")
    web.login("secretary_a")
    assert "暂时锁定" in web.page.content()


def test_a_member_sees_their_own_page_on_a_phone(phone, live_tree):
    phone.login("member_a")
    assert "李党员" in phone.page.locator("h1").inner_text()
    assert phone.page.locator(".mainnav").is_hidden()
    phone.page.click("label.menu-button")
    assert phone.page.locator(".mainnav").is_visible()
    phone.screenshot("foundation-member-phone")
