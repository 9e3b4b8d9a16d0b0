import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from zhibu.lib.commandline import parse_year
from zhibu.orgs import access
from zhibu.records.ledger_registry import LEDGERS, LedgerError, ledger_named
from zhibu.records.models import Activity


class Command(BaseCommand):
    help = "生成台账文件：三会一课台账、组织生活记录、签到表、党费收缴台账、发展党员台账、问题整改台账等"

    def add_arguments(self, parser):
        names = "；".join(f"{ledger.identifier} = {ledger.verbose_name}（{ledger.extension}）" for ledger in LEDGERS.values())
        parser.add_argument("name", help=f"台账标识或中文名：{names}")
        parser.add_argument("--org", help="组织名称（签到表可省略：取活动所属组织）")
        parser.add_argument("--year", help="年度，例如 2025（签到表可省略）")
        parser.add_argument("--activity", help="签到表：活动记录的编号 ID（记录页面地址 /records/ID/ 中的数字）")
        parser.add_argument("--out", required=True, help="输出文件路径")

    def fail(self, message: str):
        self.stderr.write(message)
        sys.exit(1)

    def handle(self, *args, name, org, year, activity, out, **options):
        actor = access.SYSTEM
        try:
            ledger = ledger_named(name)
        except LookupError as error:
            self.fail(str(error))
        record = None
        if ledger.needs_activity:
            if not activity or not activity.isdigit():
                self.fail(f"{ledger.verbose_name}须用 --activity 指定活动记录的 ID（数字）")
            record = Activity.objects.select_related("org").filter(pk=int(activity)).first()
            if record is None:
                self.fail(f"没有 ID 为 {activity} 的活动记录")
            organisation = record.org
            year_value = record.date.year
        else:
            if not org:
                self.fail("请用 --org 指定组织名称")
            try:
                organisation = access.org_by_name_for(actor, org)
            except LookupError as error:
                self.fail(str(error))
            try:
                year_value = parse_year(year)
            except CommandError as error:
                self.fail(str(error))
        if not out.lower().endswith(ledger.extension):
            self.fail(f"{ledger.verbose_name}是 {ledger.extension} 文件，输出文件名应以 {ledger.extension} 结尾")
        try:
            filename, _mimetype, content = ledger.produce(actor, organisation, year_value, activity=record)
        except LedgerError as error:
            self.fail(str(error))
        Path(out).write_bytes(content)
        self.stdout.write(f"已生成 {filename}：{out}（{len(content) // 1024 + 1} KB）")
