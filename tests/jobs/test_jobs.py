"""Background jobs: queued by a page, run by a worker, followed on a progress fragment, downloaded by their owner only."""

import io
import zipfile
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from openpyxl import load_workbook

from tests.exchange.workbooks import ORG_HEADER, PERSON_HEADER, workbook_bytes
from zhibu.jobs import service
from zhibu.jobs.models import Job, JobStatus


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def started(response) -> Job:
    assert response.status_code == 302, response.content[:500]
    return Job.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))


def test_an_export_is_queued_followed_and_downloaded(tree, jobs):
    client = client_for(tree.users.organiser)
    job = started(client.post("/jobs/export/", {"org": tree.orgs.committee.pk}))
    fragment = client.get(f"/jobs/{job.pk}/progress/").content.decode()
    assert "排队中" in fragment and 'hx-trigger="every 1s"' in fragment
    assert jobs() == 1
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.filename.startswith("测试机关党委-数据交换-")
    fragment = client.get(f"/jobs/{job.pk}/progress/").content.decode()
    assert "hx-trigger" not in fragment and f"/jobs/{job.pk}/download/" in fragment  # polling stops when done
    response = client.get(f"/jobs/{job.pk}/download/")
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    names = {row[0] for row in book["党组织"].iter_rows(min_row=2, values_only=True)}
    assert {"测试机关党委", "甲支部", "乙支部"} <= names and "丙支部" not in names
    assert (service.jobs_dir() / job.stored_name).stat().st_mode & 0o077 == 0  # the app's user only
    assert "数据交换工作簿（测试机关党委）" in client.get("/jobs/").content.decode()


def test_all_reports_of_a_committee_come_as_one_zip_with_a_report_per_branch(tree, jobs):
    client = client_for(tree.users.organiser)
    job = started(client.post("/jobs/reports/", {"org": tree.orgs.committee.pk, "year": "2025"}))
    jobs()
    response = client.get(f"/jobs/{job.pk}/download/")
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert sorted(archive.namelist()) == ["乙支部2025年度述职报告.docx", "甲支部2025年度述职报告.docx"]
    assert all(archive.read(name)[:2] == b"PK" for name in archive.namelist())  # each a Word file


def test_a_job_of_another_login_answers_404(tree, jobs):
    from django.contrib.auth import get_user_model

    from zhibu.orgs.models import Grant, Role

    job = started(client_for(tree.users.organiser).post("/jobs/export/", {"org": tree.orgs.committee.pk}))
    jobs()
    colleague = get_user_model().objects.create_user("colleague", password="pw-Secret-123")
    Grant.objects.create(user=colleague, org=tree.orgs.committee, role=Role.COMMITTEE_ADMIN)  # same scope, not the owner
    for user in (colleague, tree.users.secretary_a, tree.users.member_a, tree.users.admin):
        client = client_for(user)
        for url in (f"/jobs/{job.pk}/", f"/jobs/{job.pk}/progress/", f"/jobs/{job.pk}/download/"):
            assert client.get(url).status_code == 404, (user.username, url)
    assert "数据交换工作簿（测试机关党委）" not in client_for(colleague).get("/jobs/").content.decode()


def test_a_job_outside_the_scope_cannot_be_started(tree):
    client = client_for(tree.users.organiser)
    assert client.post("/jobs/export/", {"org": tree.orgs.c.pk}).status_code == 404
    assert client.post("/jobs/reports/", {"org": tree.orgs.other_root.pk, "year": "2025"}).status_code == 404
    assert client_for(tree.users.member_a).post("/jobs/export/", {}).status_code == 404
    assert not Job.objects.exists()


def test_a_bad_workbook_fails_with_every_problem_listed_in_chinese(tree, jobs):
    client = client_for(tree.users.admin)
    book = workbook_bytes({"党员": [PERSON_HEADER, ["新党员", "不存在的支部", "", "正式党员", "2020-07-01"]]})
    book.name = "名单.xlsx"
    job = started(client.post("/jobs/import/", {"file": book}))
    jobs()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "未写入任何数据" in job.error
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "发现 1 处错误" in page and "不存在的支部" in page
    assert not list(service.jobs_dir().glob("*-upload.xlsx"))  # the upload is not kept


def test_a_good_workbook_is_imported_in_the_background(tree, jobs):
    from zhibu.orgs.models import Organisation

    client = client_for(tree.users.admin)
    book = workbook_bytes({"党组织": [ORG_HEADER, ["丁支部", "测试机关党委", "党支部"]]})
    book.name = "组织.xlsx"
    job = started(client.post("/jobs/import/", {"file": book}))
    assert jobs() == 1
    assert Organisation.objects.filter(name="丁支部").exists()
    assert "党组织：新增 1" in client.get(f"/jobs/{job.pk}/").content.decode()
    # The import queued the stored judgements' refresh: the new branch is judged in the background.
    from zhibu.compliance.models import Judgement

    assert jobs() == 1 and Judgement.objects.filter(branch__name="丁支部").exists()


def test_an_unexpected_failure_shows_a_chinese_message_not_a_traceback(tree, jobs, monkeypatch):
    from zhibu.jobs import work

    def broken(job, progress):
        raise RuntimeError("disk on fire")

    monkeypatch.setitem(work.WORK, "export", broken)
    client = client_for(tree.users.organiser)
    job = started(client.post("/jobs/export/", {"org": tree.orgs.committee.pk}))
    jobs()
    fragment = client.get(f"/jobs/{job.pk}/progress/").content.decode()
    assert "系统内部错误" in fragment and "disk on fire" not in fragment and "hx-trigger" not in fragment
    response = client.get(f"/jobs/{job.pk}/download/", follow=True)
    assert "文件已不存在" in response.content.decode()


def test_finished_jobs_and_their_files_are_deleted_after_a_day(tree, jobs, clock):
    old = started(client_for(tree.users.organiser).post("/jobs/export/", {"org": tree.orgs.a.pk}))
    jobs()
    old.refresh_from_db()
    path = service.jobs_dir() / old.stored_name
    assert path.exists()
    # Starting a job cleans up; a minute short of a day the finished job stays. Each day's visit logs in again
    # (a session lasts 8 hours).
    clock.shift(service.KEEP_FINISHED - timedelta(minutes=1))
    started(client_for(tree.users.organiser).post("/jobs/export/", {"org": tree.orgs.b.pk}))
    assert Job.objects.filter(pk=old.pk).exists() and path.exists()
    clock.shift(timedelta(minutes=2))
    started(client_for(tree.users.organiser).post("/jobs/export/", {"org": tree.orgs.b.pk}))
    assert not Job.objects.filter(pk=old.pk).exists() and not path.exists()
    from django_tasks_db.models import DBTaskResult

    assert not DBTaskResult.objects.filter(id=old.task_id).exists()


def test_the_commands_print_progress(tree, tmp_path):
    errors = StringIO()
    call_command("export", str(tmp_path / "all.xlsx"), stdout=StringIO(), stderr=errors)
    assert "正在写入工作表“党组织”" in errors.getvalue() and "100% 已写完" in errors.getvalue()
    errors = StringIO()
    call_command("import", str(tmp_path / "all.xlsx"), "--check", stdout=StringIO(), stderr=errors)
    assert "正在检查工作表“党员”" in errors.getvalue()


def test_serve_runs_a_worker_thread_unless_told_not_to(monkeypatch):
    import waitress

    from zhibu.jobs import worker
    from zhibu.web import server

    started = []
    monkeypatch.setattr(worker, "start_thread", lambda: started.append(True))
    monkeypatch.setattr(waitress, "serve", lambda *args, **kwargs: None)
    call_command("serve", "--addr", "127.0.0.1:8999", stdout=StringIO())
    assert started == [True]
    call_command("serve", "--addr", "127.0.0.1:8999", "--no-worker", stdout=StringIO())
    server.serve("127.0.0.1:8999", worker=False)
    assert started == [True]


def test_a_job_interrupted_by_a_stopping_worker_says_so(tree, jobs, monkeypatch):
    from zhibu.jobs import work

    def stopped(job, progress):
        raise KeyboardInterrupt

    monkeypatch.setitem(work.WORK, "export", stopped)
    job = started(client_for(tree.users.organiser).post("/jobs/export/", {"org": tree.orgs.committee.pk}))
    with pytest.raises(KeyboardInterrupt):
        service.run(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "任务被中断" in job.error


def test_a_committee_ledger_is_made_in_the_background(tree, jobs):
    client = client_for(tree.users.organiser)
    job = started(client.post("/jobs/ledger/", {"identifier": "sanhui", "org": tree.orgs.committee.pk, "year": "2025"}))
    jobs()
    response = client.get(f"/jobs/{job.pk}/download/")
    assert response["Content-Disposition"].endswith(".xlsx") or ".xlsx" in response["Content-Disposition"]
    assert load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).sheetnames
    assert client.post("/jobs/ledger/", {"identifier": "sanhui", "org": tree.orgs.c.pk, "year": "2025"}).status_code == 404
    assert client.post("/jobs/ledger/", {"identifier": "qiandao", "org": tree.orgs.a.pk}).status_code == 404
