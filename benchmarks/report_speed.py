"""How long generating one organisation's 述职报告 takes on the demo (a measurement, not a test).

Builds the demo in a fresh SQLite database, then for every branch and the committee fills the default
template and the masked seed report and renders the Word file, five times each, and prints the median.

    .venv/bin/python benchmarks/report_speed.py
"""

import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ["ZHIBU_DATA_DIR"] = tempfile.mkdtemp(prefix="zhibu-bench-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhibu.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from zhibu.demo.build import build_demo  # noqa: E402
from zhibu.orgs.models import Organisation, OrgKind  # noqa: E402
from zhibu.reports.documents import default_template, read_template, report_docx  # noqa: E402
from zhibu.reports.fill import fill_placeholders  # noqa: E402

RUNS = 5


def generate(org, year, template) -> float:
    started = time.perf_counter()
    filled = fill_placeholders(org, year, template.text)
    report_docx(template, filled)
    return time.perf_counter() - started


def main() -> None:
    call_command("init", verbosity=0)
    build_demo()
    year = date.today().year - 1
    seed = ROOT / "tests" / "fixtures" / "masked_report_seed.txt"
    templates = {"默认模板": default_template(), "打码样例": read_template(seed.name, seed.read_bytes())}
    orgs = Organisation.objects.exclude(kind=OrgKind.GROUP).order_by("path")
    print(f"{year}年度报告，每项 {RUNS} 次取中位数（填数 + 生成 Word）")
    worst = 0.0
    for org in orgs:
        for name, template in templates.items():
            median = statistics.median(generate(org, year, template) for _ in range(RUNS))
            worst = max(worst, median)
            print(f"  {org.name:<14} {name}：{median * 1000:6.1f} ms")
    print(f"最慢：{worst * 1000:.1f} ms")


if __name__ == "__main__":
    main()
