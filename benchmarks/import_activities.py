"""How long importing 1,000 activity records takes (a measurement, not a test).

Builds a workbook with sheets 党组织 and 党员 (one committee, 5 branches of 30 members) and 1,000 rows of
活动 whose attendance lists name the whole branch, imports it into a fresh SQLite database, then imports it
again (nothing changes) and prints both times.

    .venv/bin/python benchmarks/import_activities.py
"""

import io
import os
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ["ZHIBU_DATA_DIR"] = tempfile.mkdtemp(prefix="zhibu-bench-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhibu.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from openpyxl import Workbook  # noqa: E402

RECORDS = 1000
BRANCHES = 5
MEMBERS = 30
TYPES = ("支部党员大会", "支部委员会会议", "主题党日", "党课", "理论学习")
SURNAMES = "王李张刘陈杨黄赵吴周"


def build_workbook() -> bytes:
    book = Workbook()
    orgs = book.active
    orgs.title = "党组织"
    orgs.append(["名称", "上级", "类别"])
    orgs.append(["基准机关党委", "", "机关党委"])
    people = book.create_sheet("党员")
    people.append(["姓名", "所在组织", "人员类别", "入党日期"])
    names = {}
    for b in range(BRANCHES):
        branch = f"基准第{b + 1}支部"
        orgs.append([branch, "基准机关党委", "党支部"])
        names[branch] = [f"{SURNAMES[i % 10]}{b}号{i}" for i in range(MEMBERS)]
        for name in names[branch]:
            people.append([name, branch, "正式党员", date(2010, 7, 1)])
    activities = book.create_sheet("活动")
    activities.append(["编号", "组织", "类型", "日期", "主题", "出席", "请假", "缺席", "标签"])
    for n in range(RECORDS):
        branch = f"基准第{n % BRANCHES + 1}支部"
        roll = names[branch]
        activities.append([
            f"B-{n}", branch, TYPES[n % len(TYPES)], date(2025, 1, 1) + timedelta(days=n % 330), f"第{n}次活动",
            "、".join(roll[2:]), f"{roll[0]}（公差）", roll[1], "专题" if n % 7 == 0 else "",
        ])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def main() -> None:
    call_command("migrate", verbosity=0)
    from zhibu.exchange.workbook import import_workbook
    from zhibu.orgs.access import SYSTEM
    from zhibu.records.models import Activity, Attendance

    content = build_workbook()
    for label in ("first import", "re-import (unchanged)"):
        started = time.perf_counter()
        result = import_workbook(io.BytesIO(content), SYSTEM)
        elapsed = time.perf_counter() - started
        assert result.ok, result.issues[:5]
        print(f"{label}: {elapsed:.2f} s — 活动 {result.summaries['活动']}")
    print(f"{Activity.objects.count()} records, {Attendance.objects.count()} attendance rows; "
          f"database {os.environ['ZHIBU_DATA_DIR']}")


if __name__ == "__main__":
    main()
