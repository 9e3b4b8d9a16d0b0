"""A secretary takes their own export out, changes a cell, brings it back and sees what will change; a broken
workbook's errors download as a workbook."""

import io
from datetime import date

from openpyxl import load_workbook

from zhibu.records.models import Activity, ActivityType, Attendance


def test_a_secretary_round_trips_the_export_and_sees_the_change_before_confirming(web, live_tree, tmp_path):
    meeting = Activity.objects.create(org=live_tree.orgs.a, type=ActivityType.objects.get(name="主题党日"),
                                      date=date(2025, 3, 1), subject="重温入党誓词")
    Attendance.objects.create(activity=meeting, person=live_tree.people.a_member, status="出席")
    web.login("secretary_a")
    web.goto("/exchange/import/")
    with web.page.expect_download() as download:
        web.page.click("a[href$='/exchange/export/']")
    assert download.value.suggested_filename.startswith("甲支部-数据交换-")
    book = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    sheet = book["活动"]
    subject = [cell.value for cell in sheet[1]].index("主题") + 1
    place = [cell.value for cell in sheet[1]].index("地点") + 1
    sheet.cell(row=2, column=place, value="三楼会议室")
    changed = tmp_path / "甲支部.xlsx"
    book.save(changed)
    web.page.set_input_files("input[name=file]", str(changed))
    web.click_and_wait("button.primary")
    card = web.page.locator(".preview-sheet[data-sheet='活动']")
    assert "新增 0，修改 1，不变 0" in card.inner_text()
    assert "地点\t（空）\t三楼会议室" in card.locator("table.preview-changed").inner_text()
    assert "按缺席统计" in card.inner_text() and "王书记、赵同志" in card.inner_text()
    assert "新增 0，修改 0，不变 2" in web.page.locator(".preview-sheet[data-sheet='党组织']").inner_text()
    web.screenshot("exchange-preview")
    web.click_and_wait("form[action$='/confirm/'] button.primary")
    assert Activity.objects.get().place == "三楼会议室"

    sheet.cell(row=1, column=subject, value="主提")  # a misspelt column
    sheet.cell(row=2, column=1 + [cell.value for cell in sheet[1]].index("日期"), value="不是日期")
    book.save(changed)
    web.goto("/exchange/import/")
    web.page.set_input_files("input[name=file]", str(changed))
    web.click_and_wait("button.primary")
    issues = web.page.locator("table.issues").inner_text()
    assert "未知的列名“主提”" in issues and "无法识别日期“不是日期”" in issues  # the row's error is listed too
    web.screenshot("exchange-errors")
    with web.page.expect_download() as download:
        web.page.click("#issues-download")
    assert download.value.suggested_filename == "甲支部-错误清单.xlsx"
    with web.page.expect_download() as download:
        web.page.click("#blank-template")
    assert load_workbook(io.BytesIO(download.value.path().read_bytes()))["党员"]["A1"].comment is not None
