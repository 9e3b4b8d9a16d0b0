"""Beyond one machine: two stateless app processes and one task worker against one PostgreSQL database.

A workbook is imported through one `zhibu serve` as a background job, which the separate `zhibu worker` runs;
the other `zhibu serve` then shows the job finished and the imported branch. What they share is what the README
lists: the database, the data directory (uploads) and the secret key.
"""

import json
import os
import re
import subprocess
import time
import urllib.parse
import urllib.request
import uuid

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from tests.cli.test_commands import ZHIBU, _free_port
from tests.exchange.workbooks import ORG_HEADER, workbook_bytes
from zhibu.jobs.models import Job, JobStatus


def _url(path: str, port: int) -> str:
    return f"http://127.0.0.1:{port}{path}"


def _wait_until_up(port: int, process, deadline: float) -> None:
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"zhibu serve on {port} stopped: {process.stdout.read()}")
        try:
            urllib.request.urlopen(_url("/login/", port), timeout=1).read()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"zhibu serve on {port} did not answer")


@pytest.mark.real_clock  # the processes read the real clock: a session the test writes must not look expired to them
def test_two_app_processes_and_one_worker_share_one_postgresql_database(transactional_db, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("needs a database server both app processes and the worker reach (run with DATABASE_URL=postgres://…)")
    from django.contrib.auth import get_user_model

    db = connection.settings_dict
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(DATABASE_URL=f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
               ZHIBU_DATA_DIR=str(tmp_path), ZHIBU_SECRET_KEY=settings.SECRET_KEY, ZHIBU_CONN_MAX_AGE="0")
    admin = get_user_model().objects.create_user("bureau", is_superuser=True, is_staff=True)
    client = Client()
    client.force_login(admin)  # a session in the shared database, signed with the shared key
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    ports = [_free_port(), _free_port()]
    processes = [subprocess.Popen([str(ZHIBU), "serve", "--no-worker", "--threads", "2", "--addr", f"127.0.0.1:{port}"],
                                  env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) for port in ports]
    worker = subprocess.Popen([str(ZHIBU), "worker", "--interval", "0.2"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    processes.append(worker)
    try:
        deadline = time.monotonic() + 60
        for port, process in zip(ports, processes):
            _wait_until_up(port, process, deadline)
        first, second = ports

        def get(path: str, port: int, extra_cookie: str = "") -> str:
            request = urllib.request.Request(_url(path, port), headers={"Cookie": cookie + extra_cookie})
            return urllib.request.urlopen(request, timeout=10).read().decode()

        # Import through the first process: the page's CSRF token, then the upload as multipart.
        page = urllib.request.urlopen(urllib.request.Request(_url("/exchange/import/", first), headers={"Cookie": cookie}),
                                      timeout=10)
        csrf_cookie = re.search(r"csrftoken=([^;]+)", page.headers["Set-Cookie"]).group(1)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.read().decode()).group(1)
        book = workbook_bytes({"党组织": [ORG_HEADER, ["省直机关工委", None, "党工委"],
                                          ["省统计局机关第一党支部", "省直机关工委", "党支部"]]}).getvalue()
        boundary = uuid.uuid4().hex
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrfmiddlewaretoken\"\r\n\r\n{token}\r\n"
                f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"book.xlsx\"\r\n"
                f"Content-Type: application/octet-stream\r\n\r\n").encode() + book + f"\r\n--{boundary}--\r\n".encode()
        request = urllib.request.Request(_url("/jobs/import/", first), data=body, method="POST", headers={
            "Cookie": f"{cookie}; csrftoken={csrf_cookie}", "Content-Type": f"multipart/form-data; boundary={boundary}"})
        answer = urllib.request.urlopen(request, timeout=30)
        job_id = int(re.search(r"/jobs/(\d+)/$", answer.url).group(1))

        # Followed through the second process until the worker has run it.
        while time.monotonic() < deadline:
            fragment = get(f"/jobs/{job_id}/progress/", second)
            if "hx-trigger" not in fragment:
                break
            time.sleep(0.2)
        assert "已完成" in fragment and "党组织：新增 2" in fragment, fragment
        assert "省统计局机关第一党支部" in {org["name"] for org in json.loads(get("/api/orgs", second))}
        job = Job.objects.get(pk=job_id)
        assert job.status == JobStatus.DONE
        from django_tasks_db.models import DBTaskResult

        assert any(f"-{worker.pid}-" in worker_id for worker_id in DBTaskResult.objects.get(id=job.task_id).worker_ids)
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
