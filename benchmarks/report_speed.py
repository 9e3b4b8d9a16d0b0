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
from zhibu.orgs import access  # noqa: E402
from zhibu.orgs.models import Organisation, OrgKind  # noqa: E402
from zhibu.reports.documents import Template, default_template, fill_template, read_template, report_docx  # noqa: E402

RUNS = 5
ROSTER_AND_RATES = (
    "截至年底，支部共有党员*名，其中正式党员*名、预备党员*名，女党员*名，离退休党员*名；入党积极分子*名，发展对象*名。"
    "全年发展党员*名，按期转正*名。收缴党费**元，党费收缴率**%。支部党员大会出席率**%，"
    "参加主题党日*人次，为*名党员过政治生日。上年度召开支委会*次，2023年以来，共召开党员大会*次。"
)


def generate(org, year, template) -> tuple[float, float]:
    """(wall-clock, CPU) seconds; on a shared machine the CPU time is the figure that does not depend on load."""
    started, cpu = time.perf_counter(), time.process_time()
    filled = fill_template(access.SYSTEM, org, year, template)
    report_docx(access.SYSTEM, template, filled)
    return time.perf_counter() - started, time.process_time() - cpu


def main() -> None:
    call_command("init", verbosity=0)
    build_demo()
    year = date.today().year - 1
    seed = ROOT / "tests" / "fixtures" / "masked_report_seed.txt"
    templates = {
        "默认模板": default_template(), "打码样例": read_template(seed.name, seed.read_bytes()),
        # Figures beyond record counts: roster, development, dues, attendance and rates.
        "名册与比率": Template("名册与比率", ROSTER_AND_RATES),
    }
    orgs = Organisation.objects.exclude(kind=OrgKind.GROUP).order_by("path")
    print(f"{year}年度报告，每项 {RUNS} 次取中位数（填数 + 生成 Word）")
    worst = worst_cpu = 0.0
    for org in orgs:
        for name, template in templates.items():
            runs = [generate(org, year, template) for _ in range(RUNS)]
            wall, cpu = statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)
            worst = max(worst, wall)
            worst_cpu = max(worst_cpu, cpu)
            print(f"  {org.name:<14} {name}：{wall * 1000:6.1f} ms（CPU {cpu * 1000:6.1f} ms）")
    print(f"最慢：{worst * 1000:.1f} ms（CPU {worst_cpu * 1000:.1f} ms）")


if __name__ == "__main__":
    main()
