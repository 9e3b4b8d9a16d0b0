"""Printing a record page gives the content only, tables with borders and a header row on every page; the
committee's report builder shows a committee's title and the signature block."""

from datetime import date

from zhibu.records.models import Activity, ActivityType, Attendance


def test_a_record_page_prints_cleanly(web, live_tree):
    meeting = Activity.objects.create(org=live_tree.orgs.a, type=ActivityType.objects.get(name="支部党员大会"),
                                      date=date(2025, 3, 18), subject="传达全会精神")
    Attendance.objects.create(activity=meeting, person=live_tree.people.a_member, status="出席")
    web.login("secretary_a")
    web.goto(f"/records/{meeting.pk}/")
    web.page.emulate_media(media="print")
    hidden = web.page.evaluate("""() => ['.topbar', '.pagehead .actions', 'form.upload', 'nav.subnav']
        .map(s => document.querySelector(s)).filter(Boolean).map(e => getComputedStyle(e).display)""")
    assert set(hidden) == {"none"}
    cell = web.page.locator("table.roll-view td").first
    assert cell.evaluate("e => getComputedStyle(e).borderTopStyle") == "solid"
    assert web.page.locator("table.roll-view thead").evaluate("e => getComputedStyle(e).display") == "table-header-group"
    web.screenshot("records-print")


def test_the_committees_report_is_titled_as_a_committees_and_signed(web, live_tree):
    web.login("organiser")
    web.goto(f"/reports/?org={live_tree.orgs.committee.pk}&year=2025")
    paper = web.page.locator(".paper, article").first
    assert paper.locator("p.title").inner_text().startswith("机关党委书记抓基层党建工作述职报告")
    assert "职务：测试机关党委书记" in paper.locator(".signature").inner_text()
