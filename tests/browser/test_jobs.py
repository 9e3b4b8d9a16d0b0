"""A background export followed in the browser: queued, its bar moving as the worker reports, then its download;
and a failed background import showing its problems in Chinese."""

import io
from pathlib import Path

from openpyxl import load_workbook

from tests.exchange.workbooks import PERSON_HEADER, workbook_bytes
from tests.jobs.conftest import run_jobs
from zhibu.jobs.models import Job, JobStatus


def test_a_background_export_is_followed_to_its_download(web, live_tree, tmp_path):
    web.login("organiser")
    web.goto("/exchange/import/")
    page = web.page
    web.click_and_wait("text=在后台导出工作簿")
    job = Job.objects.get()
    assert page.url.endswith(f"/jobs/{job.pk}/") and "排队中" in page.inner_text("#job-progress")
    web.screenshot("job-queued")
    # What the worker writes as it goes: the polled fragment shows it without reloading the page.
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, done=3, total=8, stage="正在写入工作表“党员”")
    page.wait_for_selector("#job-progress progress[value='37']")
    assert "进行中" in page.inner_text("#job-progress")
    web.screenshot("job-running")
    Job.objects.filter(pk=job.pk).update(status=JobStatus.QUEUED, done=0, total=0)
    assert run_jobs() == 1
    page.wait_for_selector("#job-progress a.download")
    web.screenshot("job-done")
    with page.expect_download() as download:
        page.click("#job-progress a.download")
    assert download.value.suggested_filename.startswith("全部-数据交换-")
    book = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()), read_only=True)
    assert "党员" in book.sheetnames
    web.goto("/jobs/")
    assert "已完成" in page.inner_text("main")
    web.screenshot("job-list")


def test_a_failed_background_import_lists_its_problems(web, live_tree, tmp_path):
    path = tmp_path / "名单.xlsx"
    path.write_bytes(workbook_bytes({"党员": [PERSON_HEADER, ["新党员", "不存在的支部", "", "正式党员", "2020-07-01"]]}).getvalue())
    web.login("admin")
    web.goto("/exchange/import/")
    page = web.page
    page.set_input_files("input[aria-label='后台导入的工作簿']", str(path))
    web.click_and_wait("text=在后台检查并导入")
    run_jobs()
    page.wait_for_selector("#job-progress .errors")
    text = page.inner_text("#job-progress")
    assert "失败" in text and "未写入任何数据" in text and "不存在的支部" in text
    web.screenshot("job-failed")
