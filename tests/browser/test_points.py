"""Points in the browser: a secretary's ranking and an adjustment, and a member's own statement on a phone."""

from datetime import date
from decimal import Decimal

from tests.clock import LAST_YEAR, TODAY
from tests.points.conftest import adjust, make_record
from zhibu.points.example import load_example
from zhibu.points.models import PointAdjustment, PointRule, PointScheme
from zhibu.records.models import ActivityType, Status


def _example():
    # Live-server tests empty every table when they end, the migrations' data too: load the example again.
    load_example(PointScheme, PointRule, ActivityType)


def test_a_secretary_reads_the_ranking_and_adjusts_a_members_points(web, live_tree):
    _example()
    people, a = live_tree.people, live_tree.orgs.a
    make_record(a, "支部党员大会", date(LAST_YEAR, 3, 1), roll={people.a_member: Status.PRESENT, people.a_secretary: Status.ABSENT,
                                                           people.a_other: (Status.LEAVE, "出差")})
    web.login("secretary_a")
    web.page.click("nav.mainnav >> text=积分")
    web.page.wait_for_load_state()
    web.page.select_option("select[name=year]", str(LAST_YEAR))
    web.click_and_wait(".points-filters button")
    assert f"甲支部 · {LAST_YEAR}年党员积分" in web.page.locator("h1").inner_text()
    names = web.page.locator("table.points-ranking tbody td:nth-child(2) a").all_inner_texts()
    totals = web.page.locator("table.points-ranking tbody td.total").all_inner_texts()
    assert list(zip(names, totals)) == [("李党员", "61"), ("赵同志", "60"), ("王书记", "58")]
    web.screenshot("points-ranking")

    web.click_and_wait("table.points-ranking >> text=赵同志")
    web.page.fill("#id_points", "3")
    web.page.fill("#id_reason", "在党刊发表文章")
    web.page.fill("#id_date", f"{LAST_YEAR}-06-01")
    web.click_and_wait("text=记入")
    assert "已为赵同志记入积分调整 +3" in web.page.content()
    assert web.page.locator(".points-line.total .pts").inner_text() == "63"
    assert PointAdjustment.objects.get().points == Decimal(3)
    web.screenshot("points-statement-secretary")


def test_a_member_reads_their_own_statement_on_a_phone_and_it_adds_up(phone, live_tree):
    _example()
    member, a = live_tree.people.a_member, live_tree.orgs.a
    make_record(a, "支部党员大会", date(TODAY.year, 1, 2), subject="传达上级会议精神，研究部署本年度支部工作要点",
                roll={member: Status.PRESENT})
    make_record(a, "主题党日", date(TODAY.year, 1, 3), subject="重温入党誓词", roll={member: Status.ABSENT})
    make_record(a, "党课", date(TODAY.year, 1, 4), roll={member: (Status.LEAVE, "出差")})
    adjust(member, 3, "在市级党建刊物发表文章", date(TODAY.year, 1, 5))
    phone.login("member_a")
    phone.page.click("label.menu-button")
    phone.page.click("text=我的积分")
    phone.page.wait_for_load_state()
    assert "我的积分" in phone.page.locator("h1").inner_text()
    values = phone.page.locator(".points-line:not(.subtotal):not(.total) .pts").all_inner_texts()
    total = phone.page.locator(".points-line.total .pts").inner_text()
    assert values == ["60", "+1", "-2", "0", "+3"]
    assert sum(Decimal(value.replace("+", "")) for value in values) == Decimal(total) == 62
    width = phone.page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width}px)"
    phone.screenshot("points-member-phone")

    phone.click_and_wait("text=主题党日“重温入党誓词”：缺席")
    assert "缺席" in phone.page.locator("dl.facts").inner_text() and "-2" in phone.page.locator("dl.facts").inner_text()
    assert phone.page.evaluate("document.documentElement.scrollWidth") <= 390
    phone.screenshot("points-member-record-phone")
