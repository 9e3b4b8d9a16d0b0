"""The `zhibu` command line: help, init, import and export exit codes."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.exchange.workbooks import ORG_HEADER, workbook_bytes
from zhibu.orgs.models import Organisation

ZHIBU = Path(sys.executable).parent / "zhibu"


def run_zhibu(*args, data_dir: Path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env["ZHIBU_DATA_DIR"] = str(data_dir)
    return subprocess.run([str(ZHIBU), *args], capture_output=True, text=True, env=env, timeout=120)


def test_help_lists_the_commands(tmp_path):
    result = run_zhibu("--help", data_dir=tmp_path)
    assert result.returncode == 0
    for command in ("init", "demo", "import", "export", "createadmin"):
        assert f"  {command}" in result.stdout


def test_each_command_has_help(tmp_path):
    result = run_zhibu("import", "--help", data_dir=tmp_path)
    assert result.returncode == 0 and "--check" in result.stdout


def test_init_is_safe_to_run_twice(tmp_path):
    assert run_zhibu("init", data_dir=tmp_path).returncode == 0
    second = run_zhibu("init", data_dir=tmp_path)
    assert second.returncode == 0 and "数据库已就绪" in second.stdout
    assert (tmp_path / "zhibu.sqlite3").exists() and (tmp_path / "secret_key").exists()


def test_import_exits_1_and_lists_errors_then_0_on_success(tmp_path):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(workbook_bytes({"党组织": [ORG_HEADER, ["甲", "无此上级", "党支部"]]}).getvalue())
    good = tmp_path / "good.xlsx"
    good.write_bytes(workbook_bytes({"党组织": [ORG_HEADER, ["某党委", None, "党委"]]}).getvalue())
    run_zhibu("init", data_dir=tmp_path)
    failed = run_zhibu("import", str(bad), data_dir=tmp_path)
    assert failed.returncode == 1 and "找不到上级组织“无此上级”" in failed.stderr
    checked = run_zhibu("import", str(good), "--check", data_dir=tmp_path)
    assert checked.returncode == 0 and "新增 1" in checked.stdout
    imported = run_zhibu("import", str(good), data_dir=tmp_path)
    assert imported.returncode == 0
    again = run_zhibu("import", str(good), data_dir=tmp_path)
    assert "新增 0，更新 0，未变 1" in again.stdout


@pytest.mark.django_db
def test_export_of_an_unknown_organisation_fails_clearly(tree, tmp_path):
    with pytest.raises(Exception, match="没有名为“不存在”的组织"):
        call_command("export", str(tmp_path / "x.xlsx"), org="不存在")


@pytest.mark.django_db
def test_export_limits_to_the_named_subtree(tree, tmp_path):
    from openpyxl import load_workbook

    target = tmp_path / "x.xlsx"
    call_command("export", str(target), org="甲支部")
    names = [row[0] for row in load_workbook(target)["党组织"].iter_rows(min_row=2, values_only=True)]
    assert names == ["甲支部", "甲一小组"]
    assert Organisation.objects.count() == 6


def test_createadmin_rejects_a_weak_password(tmp_path):
    run_zhibu("init", data_dir=tmp_path)
    result = run_zhibu("createadmin", "root", "--password", "123", data_dir=tmp_path)
    assert result.returncode == 1 and "密码不符合要求" in result.stderr
    assert run_zhibu("createadmin", "root", "--password", "a-Long-pass-2026", data_dir=tmp_path).returncode == 0


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serve_answers_with_the_login_page_and_its_own_static_files(tmp_path):
    import time
    import urllib.request

    run_zhibu("init", data_dir=tmp_path)
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env["ZHIBU_DATA_DIR"] = str(tmp_path)
    server = subprocess.Popen([str(ZHIBU), "serve", "--addr", f"127.0.0.1:{port}"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        for _ in range(100):
            try:
                page = urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=2).read().decode()
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise AssertionError("zhibu serve did not answer within 10 s")
        assert "登录" in page
        script = urllib.request.urlopen(f"http://127.0.0.1:{port}/static/zhibu/vendor/htmx.min.js", timeout=2)
        assert script.status == 200 and b"htmx" in script.read(200)
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_serve_rejects_a_bad_address(tmp_path):
    result = run_zhibu("serve", "--addr", "8000", data_dir=tmp_path)
    assert result.returncode == 1 and "地址“8000”无效" in result.stderr


def test_check_is_both_the_system_check_and_the_compliance_check(tmp_path):
    assert run_zhibu("init", data_dir=tmp_path).returncode == 0
    system = run_zhibu("check", "--deploy", data_dir=tmp_path)
    assert system.returncode == 0, system.stderr
    assert "System check identified" in system.stdout + system.stderr
    compliance = run_zhibu("check", "--org", "不存在", "--year", "2025", data_dir=tmp_path)
    assert compliance.returncode == 1 and "没有名为“不存在”的组织" in compliance.stderr
    same = run_zhibu("compliance", "--org", "不存在", "--year", "2025", data_dir=tmp_path)
    assert (same.returncode, same.stderr) == (compliance.returncode, compliance.stderr)


def test_importing_the_settings_creates_no_folder(tmp_path):
    data_dir = tmp_path / "nowhere"
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | {"ZHIBU_DATA_DIR": str(data_dir)}
    code = "import zhibu.settings as s; print(s.SECRET_KEY != '')"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert result.stdout.strip() == "True" and not data_dir.exists()


def test_https_settings_come_from_the_environment(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | {
        "ZHIBU_DATA_DIR": str(tmp_path), "ZHIBU_HTTPS": "1", "ZHIBU_PROXY_SSL_HEADER": "X-Forwarded-Proto"}
    code = ("import zhibu.settings as s; print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT,"
            " s.SECURE_PROXY_SSL_HEADER)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert result.stdout.strip() == "True True True ('HTTP_X_FORWARDED_PROTO', 'https')"
