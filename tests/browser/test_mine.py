"""A member's 我的 shows what is open for them now: a sign-in running, unpaid dues, an overdue item they own."""

from datetime import timedelta


from tests.clock import START, TODAY
from tests.dues.conftest import give_base
from zhibu.lists.models import ListItem
from zhibu.records import signin
from zhibu.records.models import Activity, ActivityType


def test_a_member_sees_what_is_open_for_them_on_their_phone(phone, live_tree):
    people = live_tree.people
    meeting = Activity.objects.create(org=live_tree.orgs.a, type=ActivityType.objects.get(name="主题党日"),
                                      date=TODAY, subject="重温入党誓词")
    signin.open_window(meeting, opens_at=START - timedelta(minutes=5),
                       closes_at=START + timedelta(hours=1), user=None)
    give_base(people.a_member, TODAY.year)
    ListItem.objects.create(org=live_tree.orgs.a, kind="问题清单", year=TODAY.year, content="学习记录不全",
                            owner=people.a_member, deadline=TODAY - timedelta(days=3))
    phone.login("member_a")
    phone.goto("/me/")
    card = phone.page.locator("#open-now")
    kinds = card.locator("li").evaluate_all("items => items.map(item => item.dataset.kind)")
    assert kinds[0] == "签到" and "清单" in kinds
    assert "主题党日：重温入党誓词正在签到" in card.inner_text() and "已过时限" in card.inner_text()
    assert "党费" in kinds  # owed: the months of this year before TODAY went unpaid
    phone.screenshot("mine-open-now-phone")
    phone.click_and_wait("#open-now li[data-kind=签到] a")
    assert phone.page.url.endswith("/records/signin/")


def test_with_nothing_open_the_member_is_told_so(web, live_tree):
    web.login("member_a")
    web.goto("/me/")
    assert "现在没有需要您办理的事项" in web.page.locator("#open-now").inner_text()
