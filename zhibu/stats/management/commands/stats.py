import sys
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from zhibu.lib.commandline import parse_year
from zhibu.orgs import access
from zhibu.orgs.models import OrgKind
from zhibu.stats.tables import Statistics
from zhibu.stats.workbook import statistics_xlsx


class Command(BaseCommand):
    help = "生成党内统计表（.xlsx）：两年党员数综合比较、党员的基本情况、发展党员情况、党组织情况，附核对和名单"

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True, help="党委、党总支或党支部的名称（统计其下全部组织）")
        parser.add_argument("--year", required=True, help="统计年度，例如 2025")
        parser.add_argument("--out", required=True, help="输出文件 FILE.xlsx")

    def fail(self, message: str):
        self.stderr.write(message)
        sys.exit(1)

    def handle(self, *args, org, year, out, **options):
        try:
            organisation = access.org_by_name_for(access.SYSTEM, org)
            year_value = parse_year(year)
        except (LookupError, CommandError) as error:
            self.fail(str(error))
        if organisation.kind == OrgKind.GROUP:
            self.fail(f"党内统计按党委、党总支或党支部进行，“{organisation.name}”是党小组")
        if not out.lower().endswith(".xlsx"):
            self.fail("输出文件名应以 .xlsx 结尾")
        today = date.today()
        stats = Statistics(organisation, year_value, today=today)
        try:
            Path(out).write_bytes(statistics_xlsx(stats, today))
        except OSError as error:
            self.fail(f"无法写入“{out}”：{error.strerror}（请核对文件夹是否存在、是否有写入权限）")
        broken = [check for table in stats.tables for check in table.checks if not check.ok]
        self.stdout.write(f"已生成 {organisation.name}{year_value}年党内统计表：{out}")
        for check in broken:
            self.stdout.write(f"核对不符：{check.text}" + "".join(f"\n  {line}" for line in check.details))
