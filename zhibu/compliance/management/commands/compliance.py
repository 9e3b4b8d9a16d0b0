import json

from django.core.management.base import BaseCommand, CommandError

from zhibu.compliance.facts import check
from zhibu.lib.commandline import parse_year
from zhibu.orgs import access


class Command(BaseCommand):
    help = "按《支部工作条例》等规则检查组织及其下级党支部某年度的工作"

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True, help="组织名称（检查它及其下级党支部）")
        parser.add_argument("--year", required=True, help="年度，例如 2025")
        parser.add_argument("--json", action="store_true", help="输出 JSON 数组（每条发现一个对象）")

    def handle(self, *args, org, year, json: bool, **options):
        year = parse_year(year)
        try:
            root = access.org_by_name_for(access.SYSTEM, org)
        except LookupError as error:
            raise CommandError(str(error)) from None
        result = check(access.SYSTEM, root, year, fresh=True)  # judged now from the records, never a stored judgement
        if json:
            self.stdout.write(_dumps([finding.as_json() for finding in result.findings]))
            return
        if not result.branches:
            self.stdout.write(f"{root.name}下没有党支部")
            return
        for branch, score in zip(result.branches, result.scores()):
            findings = result.for_branch(branch.id)
            self.stdout.write(f"\n{branch.name}  标准化得分 {score.points}/{score.possible}（{score.percent}%）")
            if not findings:
                self.stdout.write("  未发现问题")
            for finding in findings:
                self.stdout.write(f"  [{finding.severity}] {finding.period} {finding.message}（依据：{finding.citation}）")


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)
