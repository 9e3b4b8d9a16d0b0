import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from zhibu.lib.commandline import parse_year
from zhibu.orgs import access
from zhibu.reports.documents import (
    fill_template,
    TemplateError,
    default_template,
    read_template,
    report_docx,
    report_json,
    report_text,
    with_claim,
)
from zhibu.reports.rectification import previous_year_claim

FORMATS = ("docx", "txt", "json")


class Command(BaseCommand):
    help = "生成述职报告：按模板（默认或自带的打码报告）从工作记录中统计并填入每个数字"

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True, help="组织名称")
        parser.add_argument("--year", required=True, help="年度，例如 2025")
        parser.add_argument("--template", help="模板文件（.docx 或 .txt，数字处用 * 或 X 遮盖）；不填则用默认模板")
        parser.add_argument("--format", required=True, choices=FORMATS, help="输出格式：docx、txt 或 json")
        parser.add_argument("--out", required=True, help="输出文件；- 表示标准输出")

    def handle(self, *args, org, year, template, format, out, **options):
        year = parse_year(year)
        try:
            organisation = access.org_by_name_for(access.SYSTEM, org)
        except LookupError as error:
            raise CommandError(str(error)) from None
        if template:
            path = Path(template)
            if not path.is_file():
                raise CommandError(f"找不到模板文件：{template}")
            try:
                chosen = read_template(path.name, path.read_bytes())
            except TemplateError as error:
                raise CommandError(str(error)) from None
        else:
            chosen = default_template()
        claim = previous_year_claim(access.SYSTEM, organisation, year)
        chosen = with_claim(chosen, claim)
        filled = fill_template(access.SYSTEM, organisation, year, chosen)
        if format == "docx":
            if out == "-":
                sys.stdout.buffer.write(report_docx(access.SYSTEM, chosen, filled, claim, organisation))
                return
            Path(out).write_bytes(report_docx(access.SYSTEM, chosen, filled, claim, organisation))
        else:
            content = report_json(filled) if format == "json" else report_text(access.SYSTEM, chosen, filled, organisation)
            if out == "-":
                self.stdout.write(content)
                return
            Path(out).write_text(content + ("\n" if not content.endswith("\n") else ""), encoding="utf-8")
        waiting = sum(1 for item in filled if item.status != "filled")
        self.stderr.write(f"已生成 {out}：{len(filled)} 处数字，{len(filled) - waiting} 处已填，{waiting} 处待填")
