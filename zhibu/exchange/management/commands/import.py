from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from zhibu.exchange.workbook import import_workbook
from zhibu.lib.commandline import TerminalProgress
from zhibu.orgs.access import SYSTEM


class Command(BaseCommand):
    help = "导入数据交换工作簿（.xlsx）：全部正确才写入，列出所有错误"

    def add_arguments(self, parser):
        parser.add_argument("file", help="工作簿文件 FILE.xlsx")
        parser.add_argument("--check", action="store_true", help="只检查，不写入")

    def handle(self, *args, file, check, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"找不到文件：{file}")
        progress = TerminalProgress(self.stderr._out)
        with path.open("rb") as handle:
            result = import_workbook(handle, SYSTEM, dry_run=check, filename=Path(path).name, progress=progress)
        progress.finish()
        if result.issues:
            self.stderr.write(f"发现 {len(result.issues)} 处错误，未写入任何数据：")
            for issue in result.issues:
                self.stderr.write(f"  {issue}")
            raise SystemExit(1)
        verb = "检查通过，导入将会" if check else "导入完成"
        for sheet, summary in result.summaries.items():
            self.stdout.write(f"{verb}：{sheet} {summary}")
        if not result.summaries:
            self.stdout.write("工作簿中没有可导入的工作表")
