from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from zhibu.exchange.national import LAYOUT, roster_xlsx
from zhibu.exchange.workbook import export_workbook
from zhibu.lib.commandline import TerminalProgress
from zhibu.orgs import access
from zhibu.orgs.accesslog import log_workbook_export


class Command(BaseCommand):
    help = "导出数据交换工作簿（.xlsx），可限定某组织及其下级"

    def add_arguments(self, parser):
        parser.add_argument("file", help="输出文件 FILE.xlsx")
        parser.add_argument("--org", help="组织名称：只导出该组织及其下级（默认全部）")
        parser.add_argument("--masked", action="store_true", help="身份证号、手机号只写首尾几位，中间用 * 隐去")
        parser.add_argument("--layout", choices=[LAYOUT], help=f"{LAYOUT}：按全国党员管理信息系统的列写党员名册（一张工作表）")

    def handle(self, *args, file, org=None, masked=False, layout=None, **options):
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
        if layout == LAYOUT:
            Path(file).write_bytes(roster_xlsx(actor, orgs, masked=masked))
            log_workbook_export(actor, orgs, masked=masked, what=f"{LAYOUT}名册")
            self.stdout.write(f"已按{LAYOUT}的列导出 {orgs.count()} 个组织的党员名册到 {file}")
            return
        progress = TerminalProgress(self.stderr._out)
        Path(file).write_bytes(export_workbook(actor, orgs, masked=masked, progress=progress))
        progress.finish()
        log_workbook_export(actor, orgs, masked=masked)
        self.stdout.write(f"已导出 {orgs.count()} 个组织到 {file}")
