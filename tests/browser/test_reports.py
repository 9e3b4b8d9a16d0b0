"""Building a report in the browser: a masked report as template, a typed figure, the Word download."""

import io
from datetime import date
from pathlib import Path

from docx import Document

from tests.clock import LAST_YEAR
from tests.records.conftest import make_record

SEED = Path(__file__).resolve().parents[1] / "fixtures" / "masked_report_seed.txt"


def test_a_secretary_fills_a_masked_report_and_downloads_it(web, live_tree):
    year = LAST_YEAR
    for month in (2, 5, 8, 11):
        make_record(live_tree.orgs.a, "支部党员大会", date(year, month, 10))
    web.login("secretary_a")
    web.goto(f"/reports/?org={live_tree.orgs.a.pk}&year={year}")
    page = web.page
    page.set_input_files("input[name=template]", str(SEED))
    web.click_and_wait("text=上传打码报告作模板")
    assert "已使用模板" in page.content()
    congress = page.locator("a.fig", has_text="4").first
    assert "党员大会" in congress.get_attribute("title")
    waiting = page.locator("input.fill").count()
    assert waiting > 10  # the seed's names and masked years cannot come from records
    page.locator("input.fill").first.fill("普法")
    web.click_and_wait("text=保存草稿")
    assert page.locator("input.fill.typed").first.input_value() == "普法"
    web.screenshot("report-builder")
    with page.expect_download() as download:
        page.click("text=下载 Word")
    text = "\n".join(p.text for p in Document(io.BytesIO(Path(download.value.path()).read_bytes())).paragraphs)
    assert "共召开党员大会4次" in text and "普法" in text and "【待填】" in text
