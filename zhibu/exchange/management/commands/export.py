from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from zhibu.exchange.workbook import export_workbook
from zhibu.orgs import access


class Command(BaseCommand):
    help = "导出数据交换工作簿（.xlsx），可限定某组织及其下级"

    def add_arguments(self, parser):
        parser.add_argument("file", help="输出文件 FILE.xlsx")
        parser.add_argument("--org", help="组织名称：只导出该组织及其下级（默认全部）")

    def handle(self, *args, file, org=None, **options):
        actor = access.SYSTEM
        if org:
            try:
                root = access.org_by_name_for(actor, org)
            except LookupError as error:
                raise CommandError(str(error)) from None
            orgs = access.visible_orgs(actor).subtree_of(root)
        else:
            orgs = access.visible_orgs(actor)
        if not file.lower().endswith(".xlsx"):
            raise CommandError("输出文件名应以 .xlsx 结尾")
        Path(file).write_bytes(export_workbook(actor, orgs))
        self.stdout.write(f"已导出 {orgs.count()} 个组织到 {file}")
