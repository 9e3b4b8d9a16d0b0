"""One archive holding the database and the uploads, written while the app runs, and read back into an empty place.

The archive is a .tar.gz with three kinds of member:
  zhibu-backup.json   what it is: format, version, database engine, when, how many uploaded files
  database.sqlite3    SQLite: a copy made with SQLite's online backup API (consistent while others write)
  database.pgdump     PostgreSQL: pg_dump's custom format (one consistent snapshot)
  uploads/…           the uploaded files (attachments, templates), copied after the database snapshot

A restore goes into the database and uploads folder the settings name, only when both are empty, unless forced.
"""

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import connection, connections
from zhibu.lib.textinput import join_clauses

FORMAT = "zhibu-backup"
VERSION = 1
MANIFEST = "zhibu-backup.json"
DATABASE_MEMBERS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
UPLOADS = "uploads"


class BackupError(Exception):
    """Something that stops a backup or restore, said in Chinese with what to do."""


@dataclass(frozen=True)
class Summary:
    engine: str
    created: str
    uploads: int


def engine() -> str:
    name = settings.DATABASES["default"]["ENGINE"]
    if "sqlite" in name:
        return "sqlite"
    if "postgresql" in name:
        return "postgresql"
    raise BackupError(f"不支持备份这种数据库：{name}")


def _pg_environment() -> dict[str, str]:
    database = settings.DATABASES["default"]
    env = dict(os.environ)
    for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD"), ("NAME", "PGDATABASE")):
        if database.get(key):
            env[variable] = str(database[key])
    return env


def _run(command: list[str], what: str) -> None:
    try:
        result = subprocess.run(command, env=_pg_environment(), capture_output=True, text=True)
    except FileNotFoundError:
        raise BackupError(f"找不到 {command[0]}：请安装 PostgreSQL 客户端（Debian：apt-get install postgresql-client）") from None
    if result.returncode != 0:
        raise BackupError(f"{what}失败：{result.stderr.strip()[-800:]}")


def _upload_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return []
    return sorted(path for path in root.rglob("*") if path.is_file())


def _snapshot_database(work: Path, kind: str) -> Path:
    target = work / DATABASE_MEMBERS[kind]
    if kind == "sqlite":
        source_path = settings.DATABASES["default"]["NAME"]
        if not Path(source_path).exists():
            raise BackupError(f"数据库文件 {source_path} 不存在：请先运行 zhibu init")
        source = sqlite3.connect(source_path, timeout=30)
        destination = sqlite3.connect(target)
        try:
            with destination:
                source.backup(destination)  # SQLite's online backup: a consistent copy while others write
        finally:
            destination.close()
            source.close()
    else:
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(target)], "导出 PostgreSQL 数据库")
    return target


def backup(file: Path) -> Summary:
    """Write the archive to ``file`` (replacing it only once it is complete)."""
    kind = engine()
    file = Path(file)
    if file.parent and not file.parent.exists():
        raise BackupError(f"目录 {file.parent} 不存在")
    created = datetime.now(timezone.utc).isoformat(timespec="seconds")
    with tempfile.TemporaryDirectory(prefix="zhibu-backup-", dir=file.parent or None) as work_dir:
        work = Path(work_dir)
        database = _snapshot_database(work, kind)
        uploads = _upload_files()  # after the snapshot: every file the database names was there before it
        manifest = {"format": FORMAT, "version": VERSION, "engine": kind, "created": created, "uploads": len(uploads)}
        partial = work / "archive.tar.gz"
        with tarfile.open(partial, "w:gz") as archive:
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime, info.mode = len(data), int(datetime.now().timestamp()), 0o600
            archive.addfile(info, _bytes(data))
            archive.add(database, arcname=DATABASE_MEMBERS[kind])
            root = Path(settings.MEDIA_ROOT)
            for path in uploads:
                try:
                    archive.add(path, arcname=f"{UPLOADS}/{path.relative_to(root).as_posix()}")
                except FileNotFoundError:
                    continue  # removed while we copied: the database snapshot may still name it, as it did then
        partial.chmod(0o600)
        os.replace(partial, file)
    return Summary(kind, created, len(uploads))


def _bytes(data: bytes):
    import io

    return io.BytesIO(data)


def read_manifest(archive: tarfile.TarFile) -> dict:
    try:
        member = archive.getmember(MANIFEST)
        manifest = json.loads(archive.extractfile(member).read())
    except (KeyError, AttributeError, ValueError):
        raise BackupError("这不是 zhibu 的备份文件（缺少 zhibu-backup.json）") from None
    if manifest.get("format") != FORMAT:
        raise BackupError("这不是 zhibu 的备份文件")
    if manifest.get("version") != VERSION:
        raise BackupError(f"备份文件版本 {manifest.get('version')} 无法识别，请用生成它的 zhibu 版本恢复")
    return manifest


def _safe_members(archive: tarfile.TarFile) -> list[tarfile.TarInfo]:
    members = []
    for member in archive.getmembers():
        path = PurePosixPath(member.name)
        if path.is_absolute() or ".." in path.parts or not (member.isfile() or member.isdir()):
            raise BackupError(f"备份文件中有不安全的条目“{member.name}”，已拒绝恢复")
        members.append(member)
    return members


def _sqlite_has_data(path: Path) -> bool:
    if not path.exists() or path.stat().st_size == 0:
        return False
    db = sqlite3.connect(path)
    try:
        tables = db.execute("SELECT count(*) FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'").fetchone()[0]
    finally:
        db.close()
    return tables > 0


def _postgres_has_data() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()")
        return cursor.fetchone()[0] > 0


def target_problems(kind: str) -> list[str]:
    """What is already in the place a restore would write to."""
    problems = []
    if kind == "sqlite":
        path = Path(settings.DATABASES["default"]["NAME"])
        if _sqlite_has_data(path):
            problems.append(f"数据库 {path} 已有数据")
    elif _postgres_has_data():
        problems.append(f"PostgreSQL 数据库 {settings.DATABASES['default']['NAME']} 已有数据表")
    if _upload_files():
        problems.append(f"上传文件目录 {settings.MEDIA_ROOT} 不是空的")
    return problems


def restore(file: Path, *, force: bool = False) -> Summary:
    """Put the archive's database and uploads in place; refuses a place holding data unless ``force``."""
    file = Path(file)
    if not file.is_file():
        raise BackupError(f"找不到备份文件 {file}")
    kind = engine()
    try:
        archive = tarfile.open(file, "r:gz")
    except (tarfile.TarError, OSError):
        raise BackupError(f"{file} 不是有效的备份文件（应为 zhibu backup 生成的 .tar.gz）") from None
    with archive:
        manifest = read_manifest(archive)
        if manifest["engine"] != kind:
            names = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
            raise BackupError(
                f"这份备份来自 {names.get(manifest['engine'], manifest['engine'])} 数据库，当前配置的是 {names[kind]}："
                "请在相同类型的数据库上恢复（PostgreSQL 用 DATABASE_URL 指定）"
            )
        members = _safe_members(archive)
        database_member = DATABASE_MEMBERS[kind]
        if database_member not in {m.name for m in members}:
            raise BackupError("备份文件中缺少数据库")
        problems = target_problems(kind)
        if problems and not force:
            raise BackupError(join_clauses(problems) + "。恢复只写入空的数据库和空的上传目录；确需用备份替换现有数据，请加 --force")
        media = Path(settings.MEDIA_ROOT)
        media.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="zhibu-restore-", dir=media.parent) as work_dir:
            work = Path(work_dir)
            archive.extractall(work, members=members, filter="data")
            _restore_database(kind, work / database_member)
            _restore_uploads(work / UPLOADS, media)
    return Summary(kind, manifest.get("created", ""), int(manifest.get("uploads", 0)))


def _restore_database(kind: str, dump: Path) -> None:
    connections.close_all()
    if kind == "sqlite":
        target = Path(settings.DATABASES["default"]["NAME"])
        target.parent.mkdir(parents=True, exist_ok=True)
        staged = target.with_name(target.name + ".restoring")
        shutil.copyfile(dump, staged)
        staged.chmod(0o600)
        for leftover in (target.with_name(target.name + "-wal"), target.with_name(target.name + "-shm")):
            leftover.unlink(missing_ok=True)
        os.replace(staged, target)
        return
    with connection.cursor() as cursor:
        # Empty the schema first (it is empty already unless --force was given).
        cursor.execute("SELECT current_schema()")
        schema = cursor.fetchone()[0]
        cursor.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        cursor.execute(f'CREATE SCHEMA "{schema}"')
    connections.close_all()
    _run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--dbname", settings.DATABASES["default"]["NAME"], str(dump)], "恢复 PostgreSQL 数据库")


def _restore_uploads(source: Path, media: Path) -> None:
    if media.exists():
        shutil.rmtree(media)
    if source.is_dir():
        shutil.move(str(source), str(media))
    else:
        media.mkdir(parents=True)
    media.chmod(0o700)
