"""The annual review as people run it: the organiser opens voting, a member votes on a phone, the results."""

from tests.clock import LAST_YEAR
from zhibu.review.models import Grade, ReviewSession, Status
from zhibu.ballots.models import Receipt


def test_organiser_opens_voting_a_member_votes_on_a_phone_and_the_results_count(web, phone, live_tree):
    web.login("organiser")
    web.click_and_wait("nav.mainnav >> text=述职评议")
    web.click_and_wait("text=新建评议")
    web.page.fill("#id_year", str(LAST_YEAR))
    web.page.fill("#id_min_ballots", "1")  # one voter in this test; the minimum's default of 5 has its own tests
    web.click_and_wait("button.primary")
    assert "甲支部" in web.page.locator("table.reportees").inner_text()
    assert "王书记" in web.page.locator("table.reportees").inner_text()
    web.screenshot("review-prepared")
    web.click_and_wait("#open-voting")
    assert web.dialogs[-1].startswith("开始投票？")  # asked first
    assert "已开始投票" in web.page.content()
    assert ReviewSession.objects.get().status == Status.VOTING

    phone.login("member_a")
    phone.page.click("label.menu-button")
    phone.screenshot("review-member-menu-phone")
    phone.click_and_wait("nav.mainnav >> text=投票")
    phone.click_and_wait(f"text={LAST_YEAR}年度党支部书记抓基层党建工作述职评议")
    # Submitting with a grade missing is answered on the page, and what was chosen stays chosen.
    phone.page.click("fieldset:has-text('甲支部') input[value='较好']")  # the whole button is the radio
    phone.page.fill("textarea[aria-label='对甲支部的意见建议']", "理论学习形式比较单一")
    phone.page.evaluate("document.querySelector('form.ballot').noValidate = true")
    phone.click_and_wait("#submit-ballot")
    assert "还没有选择的：乙支部" in phone.page.locator(".errors").inner_text()
    assert phone.page.locator("fieldset:has-text('甲支部') input[value='较好']").is_checked()
    phone.page.click("fieldset:has-text('乙支部') input[value='好']")
    width = phone.page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the ballot is {width}px wide on a 390px phone"
    phone.screenshot("review-ballot-phone")
    phone.click_and_wait("#submit-ballot")
    assert "已提交您对" in phone.page.content() and "已投票" in phone.page.locator(".item-cards").first.inner_text()
    phone.screenshot("review-mine-phone")
    assert Receipt.objects.count() == 1
    assert sorted(Grade.objects.values_list("grade", flat=True)) == ["好", "较好"]

    web.page.reload()
    assert "应投 3 人，已投1人" in web.page.locator("#turnout").inner_text()
    web.click_and_wait("#close-voting")
    web.click_and_wait("text=查看结果")
    rows = {row.locator("td").nth(1).inner_text(): row.locator("td").all_inner_texts()
            for row in web.page.locator("table.review-results tbody tr").all()}
    ranks = [int(cells[0]) for cells in rows.values()]
    assert ranks == sorted(ranks)  # in rank order
    # 甲支部: one 较好 → 80.00; 乙支部: one 好 → 100.00. Totals need the standardisation score fixed at closing.
    a_row, b_row = rows["甲支部"], rows["乙支部"]
    assert a_row[3:8] == ["0", "1", "0", "0", "1"] and a_row[8] == "80.00"
    assert b_row[3:8] == ["1", "0", "0", "0", "1"] and b_row[8] == "100.00"
    compliance = int(a_row[9])
    assert a_row[10] == f"{80 * 0.4 + compliance * 0.6:.2f}"
    assert "李党员" not in web.page.locator("main").inner_text()
    web.screenshot("review-results")

    web.page.check("text=理论学习形式比较单一")
    web.click_and_wait("#to-problems")
    assert "已把1条意见转为" in web.page.content()
    assert "已转" in web.page.locator(".review-comments").inner_text()


def test_the_demo_review_results_on_a_desktop_and_a_phone(web, phone, live_db):
    from zhibu.demo.build import DEMO_PASSWORD, build_demo

    build_demo()
    session = ReviewSession.objects.get()
    web.login("jgdw", DEMO_PASSWORD)
    web.goto(f"/review/{session.pk}/results/")
    assert web.page.locator("table.review-results tbody tr").count() == 5
    assert "共 20 张有效选票" in web.page.content()
    web.screenshot("review-demo-results")
    phone.login("jgdw", DEMO_PASSWORD)
    phone.goto(f"/review/{session.pk}/results/")
    # The wide table scrolls inside its card; the page itself does not.
    width = phone.page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the results page is {width}px wide on a 390px phone"
    phone.screenshot("review-demo-results-phone")
    phone.goto("/review/vote/")
    phone.page.click("label.menu-button")
    phone.screenshot("review-menu-phone")
