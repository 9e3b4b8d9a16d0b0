"""A committee sets its own rule values (labelled fields with units) and switches sign-in off; another committee's
units keep theirs."""

from tests.clock import TODAY
from zhibu.compliance.models import Rule
from zhibu.records.models import Activity, ActivityType


def test_a_committee_admin_sets_its_own_rules_and_tools(web, live_tree):
    rule = Rule.objects.get(key="cadre_attendance")
    web.login("organiser")
    web.goto(f"/compliance/rules/{rule.pk}/edit/")
    field = web.page.locator(".field[data-field=param_min_rate]")
    assert "出席率下限" in field.inner_text() and "%" in field.inner_text()
    assert web.page.input_value("#id_param_min_rate") == "60"
    web.page.fill("#id_param_min_rate", "75")
    web.screenshot("compliance-rule-edit")
    web.click_and_wait("button.primary")
    row = web.page.locator("table.rules tr", has_text=rule.title)
    assert "测试机关党委" in row.inner_text()
    assert {s.key: s for s in Rule.objects.specs(live_tree.orgs.a)}["cadre_attendance"].params["min_rate"] == 0.75
    assert {s.key: s for s in Rule.objects.specs(live_tree.orgs.c)}["cadre_attendance"].params["min_rate"] == 0.6

    web.goto(f"/orgs/{live_tree.orgs.committee.pk}/")
    web.click_and_wait("text=可选功能")
    assert "不得强制打卡签到" in web.page.locator("main").inner_text()
    web.page.uncheck("#id_sign_in")
    web.click_and_wait("button.primary")
    meeting = Activity.objects.create(org=live_tree.orgs.a, type=ActivityType.objects.get(name="主题党日"), date=TODAY)
    web.goto(f"/records/{meeting.pk}/")
    assert web.page.locator("#signin").count() == 0 and web.page.locator(".signin-open").count() == 0
