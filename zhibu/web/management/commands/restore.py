from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from zhibu.lib.backup import BackupError, restore


class Command(BaseCommand):
    help = "恢复：把 zhibu backup 生成的备份写入空的数据库和上传目录（请先停止网站）"
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("file", help="zhibu backup 生成的备份文件 FILE.tar.gz")
        parser.add_argument("--force", action="store_true", help="数据库或上传目录已有数据时，用备份替换（现有数据将丢失）")

    def handle(self, *args, file, force, **options):
        try:
            summary = restore(Path(file), force=force)
        except BackupError as error:
            raise CommandError(str(error)) from None
        # A backup from an older version is brought up to this version's tables.
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write(f"已从 {file}（{summary.created} 备份）恢复数据库（{summary.engine}）和 {summary.uploads} 个上传文件")
