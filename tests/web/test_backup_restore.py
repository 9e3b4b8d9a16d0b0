"""`zhibu backup` and `zhibu restore` round-trip a unit's data, on the database engine this suite runs on.

The commands run as the administrator would run them (a separate process on a real data directory / database), so
SQLite's online backup and PostgreSQL's pg_dump are exercised for real. On a PostgreSQL run two scratch databases
beside the test database are used.
"""

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings

FIXTURE = """
import django, datetime
from zhibu.datadir import prepare_data_dir
prepare_data_dir()  # importing the settings creates no folder; the commands do this first
django.setup()
from django.core.management import call_command
call_command("init", verbosity=0)
from django.core.files.base import ContentFile
from tests.conftest import make_tree
from zhibu.records.models import Activity, ActivityType, Attachment, Attendance, Status
tree = make_tree()
people = tree.people
people.a_member.id_number = "110101199003079023"; people.a_member.phone = "13800138000"; people.a_member.save()
kind = ActivityType.objects.get(name="支部党员大会")
meeting = Activity.objects.create(org=tree.orgs.a, type=kind, date=datetime.date(2026, 3, 5), subject="学习党章", place="三楼会议室", minutes="会议记录全文")
Attendance.objects.create(activity=meeting, person=people.a_member, status=Status.PRESENT)
Attendance.objects.create(activity=meeting, person=people.a_other, status=Status.LEAVE, reason="出差")
attachment = Attachment(activity=meeting, original_name="签到表.pdf", content_type="application/pdf", size=9)
attachment.file.save("签到表.pdf", ContentFile(b"%PDF-1.4\\n"), save=True)
"""


def _database_url(suffix: str) -> str | None:
    """None on SQLite; on PostgreSQL a fresh scratch database next to the test database."""
    if "postgresql" not in settings.DATABASES["default"]["ENGINE"]:
        return None
    import psycopg

    db = settings.DATABASES["default"]
    name = f"{db['NAME']}_{suffix}"
    params = {"host": db.get("HOST") or "127.0.0.1", "port": db.get("PORT") or 5432, "user": db.get("USER") or "postgres"}
    if db.get("PASSWORD"):
        params["password"] = db["PASSWORD"]
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{params['user']}{password}@{params['host']}:{params['port']}/{name}"


def _place(tmp_path: Path, name: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update({"ZHIBU_DATA_DIR": str(tmp_path / name), "DJANGO_SETTINGS_MODULE": "zhibu.settings", "PYTHONPATH": str(Path(__file__).resolve().parents[2])})
    url = _database_url(name)
    if url:
        env["DATABASE_URL"] = url
    return env


def zhibu(env, *args, check=True):
    result = subprocess.run([sys.executable, "-m", "zhibu.cli", *args], env=env, capture_output=True, text=True, cwd=env["PYTHONPATH"])
    if check and result.returncode != 0:
        raise AssertionError(f"zhibu {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def _workbook_values(path: Path) -> dict[str, list[tuple]]:
    book = openpyxl.load_workbook(path, read_only=True)
    return {sheet.title: [tuple(row) for row in sheet.iter_rows(values_only=True)] for sheet in book.worksheets}


def _uploads(env) -> dict[str, str]:
    root = Path(env["ZHIBU_DATA_DIR"]) / "uploads"
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in root.rglob("*") if p.is_file()}


@pytest.mark.django_db
def test_backup_then_restore_gives_back_the_same_unit(tmp_path):
    source = _place(tmp_path, "bk_src")
    subprocess.run([sys.executable, "-c", FIXTURE], env=source, check=True, cwd=source["PYTHONPATH"])
    zhibu(source, "export", str(tmp_path / "before.xlsx"))
    archive = tmp_path / "unit.tar.gz"
    assert "1 个上传文件" in zhibu(source, "backup", str(archive)).stdout
    assert oct(archive.stat().st_mode & 0o777) == "0o600"

    target = _place(tmp_path, "bk_dst")
    restored = zhibu(target, "restore", str(archive))
    assert "已从" in restored.stdout
    zhibu(target, "export", str(tmp_path / "after.xlsx"))

    before, after = _workbook_values(tmp_path / "before.xlsx"), _workbook_values(tmp_path / "after.xlsx")
    assert before == after
    assert any("学习党章" in str(row) for rows in after.values() for row in rows)
    assert _uploads(source) == _uploads(target) and len(_uploads(target)) == 1

    # a second restore onto what now holds data is refused, and says how to overwrite
    refused = zhibu(target, "restore", str(archive), check=False)
    assert refused.returncode != 0 and "已有数据" in refused.stderr and "--force" in refused.stderr
    assert "已从" in zhibu(target, "restore", str(archive), "--force").stdout
    zhibu(target, "export", str(tmp_path / "again.xlsx"))
    assert _workbook_values(tmp_path / "again.xlsx") == before


@pytest.mark.django_db
def test_restore_refuses_what_is_not_a_backup(tmp_path):
    target = _place(tmp_path, "bk_bad")
    bogus = tmp_path / "notes.tar.gz"
    bogus.write_bytes(b"not an archive")
    result = zhibu(target, "restore", str(bogus), check=False)
    assert result.returncode != 0 and "不是有效的备份文件" in result.stderr
    result = zhibu(target, "backup", str(tmp_path / "unit.zip"), check=False)
    assert result.returncode != 0 and ".tar.gz" in result.stderr
