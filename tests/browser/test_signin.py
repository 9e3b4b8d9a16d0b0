"""Sign-in at the door: the secretary opens it and projects the code, a member signs in on a phone, and the
secretary's record page shows them without reloading."""

from tests.clock import START, TODAY
from zhibu.records.models import Activity, ActivityType, Attendance, SignInWindow


def test_a_member_signs_in_on_a_phone_and_the_secretary_sees_it_live(web, phone, live_tree):
    meeting = Activity.objects.create(org=live_tree.orgs.a, type=ActivityType.objects.get(name="主题党日"),
                                      date=TODAY, subject="重温入党誓词", place="三楼会议室")
    web.login("secretary_a")
    web.goto(f"/records/{meeting.pk}/")
    assert web.page.locator("#id_opens_at").input_value().endswith("T00:00")  # no start time: the whole day
    web.screenshot("signin-record-open")
    web.click_and_wait(".signin-open button.primary")
    code = SignInWindow.objects.get(activity=meeting).code
    assert web.page.locator(".signin-digits").inner_text().replace("\n", "") == code
    assert web.page.locator(".signin-qr svg").is_visible()
    web.screenshot("signin-screen")

    web.goto(f"/records/{meeting.pk}/")
    assert "已签到 0 / 应到 3 人" in web.page.locator(".signin-count").inner_text()

    phone.login("member_a")
    phone.page.click("label.menu-button")
    phone.click_and_wait("nav.mainnav >> text=签到")
    phone.page.fill("#signin-code", code)
    phone.screenshot("signin-phone-code")
    phone.click_and_wait(".signin-button")
    assert "签到成功" in phone.page.locator("main").inner_text()
    assert phone.page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    phone.screenshot("signin-phone-done")
    assert Attendance.objects.get(activity=meeting).signed_in_at is not None

    # The secretary's page was not reloaded: htmx polls the live part.
    web.page.wait_for_selector(".signin-names >> text=李党员", timeout=10000)
    assert "已签到 1 / 应到 3 人" in web.page.locator(".signin-count").inner_text()
    web.screenshot("signin-record-live")


def test_a_member_of_another_branch_is_told_on_the_phone_why_not(phone, live_tree):
    from django.contrib.auth import get_user_model
    from datetime import timedelta

    from zhibu.records import signin

    meeting = Activity.objects.create(org=live_tree.orgs.a, type=ActivityType.objects.get(name="主题党日"), date=TODAY)
    window = signin.open_window(meeting, opens_at=START - timedelta(minutes=1),
                                closes_at=START + timedelta(hours=1), user=None)
    outsider = get_user_model().objects.create_user(username="member_b", password="pw-Secret-123")
    live_tree.people.b_member.user = outsider
    live_tree.people.b_member.save()
    phone.login("member_b")
    phone.goto(f"/records/signin/?code={window.code}")
    phone.click_and_wait(".signin-button")
    assert "不在这次会议的应到人员中" in phone.page.locator(".errors").inner_text()
    assert phone.page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    phone.screenshot("signin-phone-refused")
    assert not Attendance.objects.exists()


def test_sign_in_never_loses_presence_and_marking_absent_asks_and_can_be_undone(web, live_tree):
    from datetime import timedelta

    from zhibu.records import signin

    people = live_tree.people
    web.login("secretary_a")
    web.goto(f"/records/new/?org={live_tree.orgs.a.pk}")
    web.page.select_option("#id_type", label="主题党日")
    web.page.locator("#id_type").dispatch_event("change")
    web.page.wait_for_selector("#roll .roll-line")
    # Choosing the type and the change event each reload the roll: tick only once the last reload has arrived.
    web.wait_for_fragments()
    assert web.page.locator("#roll input[value='出席']:checked").count() == 0  # today: nobody present by the system
    web.page.click("[data-roll-all]")
    assert web.page.locator("#roll input[value='出席']:checked").count() == 3
    web.page.click("[data-roll-clear]")
    assert web.page.locator("#roll input:checked").count() == 0
    web.page.locator(".roll-line", has_text="赵同志").locator("input[value='出席']").check()  # came, no phone
    web.page.fill("#id_subject", "重温入党誓词")
    web.click_and_wait("button.primary")
    meeting = Activity.objects.get()
    window = signin.open_window(meeting, opens_at=START - timedelta(minutes=5),
                                closes_at=START + timedelta(hours=1), user=None)
    signin.sign_in(live_tree.users.member_a, people.a_member, window.code)
    web.goto(f"/records/{meeting.pk}/")
    live = web.page.locator(".signin-live").inner_text()
    assert "已签到 1 / 应到 3 人，手工登记 1 人，未到 1 人" in live
    assert "赵同志（出席）" in live and "王书记" in live.split("未签到也未登记")[1]
    web.click_and_wait("form[action$='/signin/end/'] button")
    web.click_and_wait("text=标为缺席…")
    boxes = web.page.locator(".signin-absent input[type=checkbox]")
    assert boxes.count() == 1 and not boxes.first.is_checked()  # only 王书记, not ticked
    boxes.first.check()
    web.screenshot("signin-mark-absent")
    web.click_and_wait(".signin-absent ~ .actions button.primary")
    assert "把勾选的人员登记为缺席" in web.dialogs[-1]
    assert Attendance.objects.get(activity=meeting, person=people.a_secretary).status == "缺席"
    assert "刚才标为缺席：王书记" in web.page.locator(".signin-undo").inner_text()
    web.click_and_wait(".signin-undo button")
    assert not Attendance.objects.filter(activity=meeting, person=people.a_secretary).exists()
    assert Attendance.objects.filter(activity=meeting, status="出席").count() == 2
