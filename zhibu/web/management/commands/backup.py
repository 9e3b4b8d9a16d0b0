from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from zhibu.lib.backup import BackupError, backup


class Command(BaseCommand):
    help = "备份：把数据库和上传文件写入一个文件（网站运行时也可备份）"
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("file", help="备份文件 FILE.tar.gz（已有同名文件时，写完后替换）")

    def handle(self, *args, file, **options):
        if not file.endswith(".tar.gz"):
            raise CommandError("备份文件名应以 .tar.gz 结尾，例如 zhibu-2026-12-01.tar.gz")
        try:
            summary = backup(Path(file))
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"已备份数据库（{summary.engine}）和 {summary.uploads} 个上传文件到 {file}")
