"""The development board in the browser: see who is where and what is overdue, record the next step."""

from datetime import date, timedelta

from tests.clock import TODAY
from tests.development.conftest import record
from zhibu.development.models import DevelopmentRecord
from zhibu.orgs.models import Category, Person


def applicant(branch, name, applied_days_ago):
    person = Person.objects.create(branch=branch, name=name, category=Category.APPLICANT, birth_date=date(1996, 5, 4))
    record(person, 1, TODAY - timedelta(days=applied_days_ago), today=TODAY)
    return person


def test_a_secretary_records_the_talk_from_the_board(web, live_tree):
    branch = live_tree.orgs.a
    fresh = applicant(branch, "钱新", 10)
    applicant(branch, "孙迟", 45)
    applicant(live_tree.orgs.b, "外支部", 45)

    web.login("secretary_a")
    web.page.click("nav.mainnav >> text=发展党员")
    web.page.wait_for_url(f"**/development/branch/{branch.pk}/")
    applicants = web.page.locator(".board-column", has_text="入党申请人")
    assert applicants.locator(".board-card").count() == 2
    assert "外支部" not in web.page.content()
    late = web.page.locator(".board-card", has_text="孙迟")
    assert "is-overdue" in late.get_attribute("class")
    assert "已超过收到入党申请书后一个月的谈话期限" in late.inner_text()
    web.screenshot("development-board")

    with web.page.expect_navigation():
        web.page.locator(".board-card", has_text="钱新").locator("text=第2步 党组织派人谈话").click()
    assert web.page.input_value("#id_step") == "2"
    web.page.fill("#id_date", (TODAY + timedelta(days=3)).isoformat())
    web.page.fill("#id_note", "组织委员谈话")
    web.page.click("button.primary")
    assert "晚于今天" in web.page.locator(".errors").inner_text()
    assert not DevelopmentRecord.objects.filter(person=fresh, step=2).exists()

    web.page.fill("#id_date", TODAY.isoformat())
    web.page.click("button.primary")
    web.page.wait_for_url(f"**/development/person/{fresh.pk}/")
    assert "已登记钱新：第2步“党组织派人谈话”" in web.page.content()
    step_two = web.page.locator("ol.timeline li.done", has_text="党组织派人谈话")
    assert "组织委员谈话" in step_two.inner_text()
    assert "第3步 推荐和确定入党积极分子" in web.page.locator(".pagehead .actions").inner_text()
    web.screenshot("development-timeline")

    web.goto(f"/development/branch/{branch.pk}/")
    assert "第3步 推荐和确定入党积极分子" in web.page.locator(".board-card", has_text="钱新").inner_text()


def test_the_board_stacks_its_columns_on_a_phone(phone, live_tree):
    applicant(live_tree.orgs.a, "钱新", 10)
    phone.login("secretary_a")
    phone.goto(f"/development/branch/{live_tree.orgs.a.pk}/")
    assert phone.page.evaluate("document.documentElement.scrollWidth") <= 390
    boxes = [phone.page.locator(".board-column").nth(index).bounding_box() for index in range(2)]
    assert boxes[1]["y"] > boxes[0]["y"]  # one column under the other
    phone.screenshot("development-board-phone")
