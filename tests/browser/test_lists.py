"""The lists as people use them: a secretary raises a problem, uploads evidence and closes it; a member on a phone."""

from datetime import timedelta

from playwright.sync_api import expect

from tests.clock import TODAY
from tests.lists.conftest import PNG
from zhibu.lists.models import ListItem, ListKind, Status


def test_a_secretary_creates_an_item_uploads_evidence_and_closes_it(web, live_tree, tmp_path):
    web.login("secretary_a")
    web.goto("/lists/")
    web.page.click("text=新增事项")
    web.page.select_option("#id_kind", "问题清单")
    web.page.fill("#id_source", "组织生活会")
    web.page.fill("#id_content", "党员学习教育方式单一，学习成效不明显")
    web.page.fill("#id_measures", "每月集中学习一次")
    web.page.select_option("#id_owner", label="李党员（甲支部）")
    web.page.fill("#id_deadline", f"{TODAY.year}-12-31")
    web.click_and_wait("button.primary")
    assert "已保存清单事项" in web.page.content()
    item = ListItem.objects.get()
    assert (item.org, item.owner.name, item.status) == (live_tree.orgs.a, "李党员", Status.NOT_STARTED)

    web.page.click("button:has-text('开始整改')")
    web.page.wait_for_selector(".item-state .tag:has-text('进行中')")

    # Closing without evidence is refused in place, with the reason.
    web.page.fill("#id_completion_note", "已制定学习计划，按月开展集中学习")
    web.page.click("button:has-text('确认完成')")
    web.page.wait_for_selector("text=关闭事项须至少有一份佐证材料")
    web.screenshot("lists-close-refused")
    assert ListItem.objects.get().status == Status.IN_PROGRESS

    photo = tmp_path / "学习现场.png"
    photo.write_bytes(PNG)
    web.page.set_input_files("input[name=files]", str(photo))
    web.page.click("button:has-text('上传')")
    web.page.wait_for_selector(".evidence-list a:has-text('学习现场.png')")

    web.page.fill("#id_completion_note", "已制定学习计划，按月开展集中学习")
    web.page.click("button:has-text('确认完成')")
    web.page.wait_for_selector(".item-state .tag:has-text('已完成')")
    assert "状态已改为“已完成”" in web.page.content()
    assert "进行中 → 已完成" in web.page.locator("#item-work").inner_text()
    web.screenshot("lists-item-closed")
    item.refresh_from_db()
    assert (item.status, item.completed_on) == (Status.DONE, TODAY)
    assert item.completion_note == "已制定学习计划，按月开展集中学习"

    with web.page.expect_download() as download:
        web.page.click(".evidence-list a:has-text('学习现场.png')")
    assert download.value.suggested_filename == "学习现场.png"


def test_the_list_filters_overdue_items_in_place(web, live_tree):
    ListItem.objects.create(org=live_tree.orgs.a, kind=ListKind.PROBLEM, year=TODAY.year, content="过期未改的问题",
                            deadline=TODAY - timedelta(days=3), status=Status.IN_PROGRESS)
    ListItem.objects.create(org=live_tree.orgs.a, kind=ListKind.TASK, year=TODAY.year, content="按期推进的任务",
                            deadline=TODAY + timedelta(days=30))
    web.login("secretary_a")
    web.goto("/lists/")
    assert "按期推进的任务" in web.page.locator("#items").inner_text()
    web.page.check("input[name=overdue]")
    expect(web.page.locator("#items")).not_to_contain_text("按期推进的任务")  # (no string-eval under the CSP)
    assert "过期未改的问题" in web.page.locator("#items").inner_text()
    assert "overdue=1" in web.page.url
    web.screenshot("lists-overdue-filter")
    web.goto("/lists/dashboard/")
    assert "过期未改的问题" in web.page.locator("table.overdue-by-owner").inner_text()
    web.screenshot("lists-dashboard")


def test_a_member_finds_their_items_on_a_phone(phone, live_tree):
    ListItem.objects.create(org=live_tree.orgs.a, kind=ListKind.TASK, year=TODAY.year, content="报送学习心得",
                            owner=live_tree.people.a_member, deadline=TODAY - timedelta(days=1))
    ListItem.objects.create(org=live_tree.orgs.a, kind=ListKind.TASK, year=TODAY.year, content="别人的任务",
                            owner=live_tree.people.a_other)
    phone.login("member_a")
    phone.page.click("label.menu-button")
    phone.click_and_wait("text=我的清单")
    cards = phone.page.locator(".item-cards").first.inner_text()
    assert "报送学习心得" in cards and "逾期" in cards and "别人的任务" not in phone.page.content()
    width = phone.page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"page is {width}px wide on a 390px phone"
    phone.screenshot("lists-mine-phone")
    phone.click_and_wait("text=报送学习心得")
    assert "确认完成" not in phone.page.content() and phone.page.locator("input[name=files]").is_visible()
    phone.screenshot("lists-item-phone")
