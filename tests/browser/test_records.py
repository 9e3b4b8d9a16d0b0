"""Recording a meeting with its roll, finding it again, and downloading each ledger, as a secretary does."""

import io
from datetime import date, timedelta

from docx import Document
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.clock import TODAY
from zhibu.records.models import Activity, ActivityType, Attendance


def _record(org, type_name, day, **values):
    return Activity.objects.create(org=org, type=ActivityType.objects.get(name=type_name), date=day, **values)


def test_a_secretary_records_a_meeting_with_attendance(web, live_tree):
    web.login("secretary_a")
    web.goto("/records/new/")
    page = web.page
    page.select_option("#id_org", label="甲支部")
    page.select_option("#id_type", label="支部党员大会")
    page.fill("#id_date", "2025-05-20")
    page.locator("#id_date").dispatch_event("change")
    # The organisation, the type and the date each reload the roll: edit it only once the last reload has arrived.
    web.wait_for_fragments()
    expect(page.locator("#roll .roll-line")).to_have_count(3)  # (no string-eval under the CSP)
    expect(page.locator("#roll input[value='出席']:checked")).to_have_count(3)  # a past day: everyone preselected present
    page.fill("#id_subject", "讨论接收预备党员")
    page.fill("#id_place", "三楼会议室")
    line = page.locator(".roll-line", has_text="赵同志")
    line.locator("input[value='请假']").check()
    line.locator(".roll-reason").fill("公差")
    web.screenshot("records-new-form")
    web.click_and_wait("button.primary")
    assert "已保存" in page.content()
    assert "赵同志（请假：公差）" in page.locator("main").inner_text() and "66.7%" in page.content()
    web.screenshot("records-detail")
    activity = Activity.objects.get()
    assert {row.person.name: row.status for row in Attendance.objects.filter(activity=activity)} == {
        "王书记": "出席", "李党员": "出席", "赵同志": "请假"}


def test_the_roll_form_works_on_a_phone(phone, live_tree):
    meeting = _record(live_tree.orgs.a, "主题党日", date(2025, 4, 8), subject="重温入党誓词")
    phone.login("secretary_a")
    phone.goto(f"/records/{meeting.pk}/edit/")
    line = phone.page.locator(".roll-line", has_text="李党员")
    line.locator("input[value='缺席']").check()
    phone.screenshot("records-edit-phone")
    phone.click_and_wait("button.primary")
    assert Attendance.objects.get(activity=meeting, person=live_tree.people.a_member).status == "缺席"
    phone.goto("/records/calendar/?year=2025&month=4")
    assert phone.page.locator(".cal-item", has_text="主题党日").is_visible()
    phone.screenshot("records-calendar-phone")


def test_the_list_filters_by_tag_without_reloading(web, live_tree):
    lesson = _record(live_tree.orgs.a, "党课", date(2025, 6, 1), subject="廉政党课")
    lesson.tags.create(name="廉政")
    _record(live_tree.orgs.a, "主题党日", date(2025, 6, 5), subject="参观纪念馆")
    web.login("organiser")
    web.goto("/records/")
    web.page.select_option("select[name=tag]", label="廉政")
    expect(web.page.locator("#records")).not_to_contain_text("参观纪念馆")
    assert "廉政党课" in web.page.locator("#records").inner_text()
    web.screenshot("records-list")
    web.goto("/records/calendar/?year=2025&month=6")
    web.screenshot("records-calendar")


def test_each_ledger_downloads(web, live_tree):
    people = live_tree.people
    congress = _record(live_tree.orgs.a, "支部党员大会", date(2025, 3, 18), subject="传达全会精神", chair=people.a_secretary)
    Attendance.objects.create(activity=congress, person=people.a_member, status="出席")
    planned = _record(live_tree.orgs.a, "支部党员大会", TODAY + timedelta(days=10), subject="年终大会")
    web.login("secretary_a")
    web.goto("/records/ledgers/")
    web.screenshot("records-ledgers")
    files = {}
    for section in ("三会一课台账", "组织生活记录"):
        card = web.page.locator("section.ledger", has_text=section)
        card.locator("select[name=year]").select_option("2025")
        with web.page.expect_download() as download:
            card.locator("button.primary").click()
        files[section] = (download.value.suggested_filename, download.value.path().read_bytes())
    with web.page.expect_download() as download:
        web.page.click(f"a[href$='activity={planned.pk}']")
    files["签到表"] = (download.value.suggested_filename, download.value.path().read_bytes())
    assert files["三会一课台账"][0] == "甲支部-2025年三会一课台账.xlsx"
    sheet = load_workbook(io.BytesIO(files["三会一课台账"][1]))["支部党员大会"]
    assert "传达全会精神" in [cell.value for row in sheet.iter_rows() for cell in row]
    assert "主题：传达全会精神" in "\n".join(p.text for p in Document(io.BytesIO(files["组织生活记录"][1])).paragraphs)
    assert files["签到表"][0].endswith("支部党员大会签到表.docx")
    assert Document(io.BytesIO(files["签到表"][1])).tables[0].rows[1].cells[1].text == "王书记"


RED_SQUARE_PNG = __import__("base64").b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAIAAABLbSncAAAAEUlEQVR4nGPYLiODFTEMLQkAf+E7wY8UwjkAAAAASUVORK5CYII=")


def test_the_record_form_fits_its_type_and_takes_several_attachments(web, live_tree):
    web.login("secretary_a")
    web.goto("/records/new/")
    page = web.page
    assert page.locator("#id_org option:checked").inner_text().strip() == "甲支部"  # the only branch: chosen
    page.select_option("#id_type", label="党课")
    assert page.locator(".field[data-field=lecturer]").is_visible()
    assert not page.locator(".field[data-field=quantity]").is_visible()
    assert not page.locator(".field[data-field=amount]").is_visible()
    page.select_option("#id_type", label="捐款")
    assert page.locator(".field[data-field=amount]").is_visible() and not page.locator(".field[data-field=lecturer]").is_visible()
    page.select_option("#id_type", label="签订家风承诺书")
    assert page.locator(".field[data-field=quantity]").is_visible()
    page.select_option("#id_type", label="党课")
    page.fill("#id_date", "2025-05-20")
    page.locator("#id_date").dispatch_event("change")
    web.wait_for_fragments()  # as above: the last reload of the roll has arrived
    expect(page.locator("#roll input[value='出席']:checked")).to_have_count(3)
    page.click("[data-roll-clear]")
    page.click("[data-roll-all]")
    page.locator(".roll-line", has_text="赵同志").locator("input[value='请假']").check()
    page.fill("#id_subject", "学习党章")
    page.select_option("#id_lecturer", label="王书记（甲支部）")
    web.screenshot("records-new-lesson")
    web.click_and_wait("button.primary")
    assert "赵同志请假，请填写请假原因" in page.locator("main").inner_text()
    page.locator(".roll-line", has_text="赵同志").locator(".roll-reason").fill("病假")
    web.click_and_wait("button.primary")
    activity = Activity.objects.get()
    assert activity.lecturer == live_tree.people.a_secretary
    page.set_input_files("form.upload input[type=file]", [
        {"name": "会场.png", "mimeType": "image/png", "buffer": RED_SQUARE_PNG},
        {"name": "材料.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.7\n..."},
    ])
    web.click_and_wait("form.upload button")
    assert "已上传 2 个附件" in page.locator("main").inner_text()
    # Polled from here: wait_for_function evaluates its text inside the page, which the CSP (no eval) forbids.
    thumb = page.locator(".attachments .thumb img").first
    for _ in range(100):
        if thumb.evaluate("img => img.complete && img.naturalWidth") == 8:
            break
        page.wait_for_timeout(50)
    assert thumb.evaluate("img => img.naturalWidth") == 8
    history = page.locator("section", has_text="修改记录").inner_text()
    assert "上传“会场.png”" in history and "王书记" in history and "secretary_a" not in history
    web.screenshot("records-detail-attachments")
