"""No English and no dead ends: Chinese choices, only the pages a login's work needs, the menu says where one is."""

from datetime import date

from zhibu.orgs.models import Category, Person


def test_a_secretary_sees_a_branchs_pages_in_chinese_with_the_menu_item_lit(web, live_tree):
    probationer = Person.objects.create(branch=live_tree.orgs.a, name="钱预备", category=Category.PROBATIONARY,
                                        birth_date=date(1996, 5, 4))
    web.login("secretary_a")
    web.goto("/records/")
    nav = web.page.locator("nav.mainnav")
    assert nav.locator("a.current").inner_text() == "工作记录"
    assert "述职评议" not in nav.inner_text()  # a committee's review: a secretary only votes
    icon = web.page.locator("link[rel=icon]").get_attribute("href")
    assert web.page.request.get(web.base_url + icon).headers["content-type"].startswith("image/svg")
    web.goto("/records/ledgers/")
    assert "述职评议结果" not in web.page.locator("main").inner_text()
    web.goto("/review/")
    assert web.page.url.endswith("/review/vote/")
    web.goto(f"/development/person/{probationer.pk}/record/?step=23")
    options = web.page.locator("#id_decision option").all_inner_texts()
    assert options[1:] == ["按期转正", "延长预备期", "取消预备党员资格"]
    web.screenshot("development-decision-choices")


def test_a_committee_admin_finds_the_committees_review_and_ledger(web, live_tree):
    web.login("organiser")
    web.goto("/records/ledgers/")
    assert "述职评议结果" in web.page.locator("main").inner_text()
    web.goto("/review/")
    assert web.page.locator("nav.mainnav a.current").inner_text() == "述职评议"
