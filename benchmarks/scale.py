"""How the committee's work scales with the number of branches (a measurement, not a test).

Builds a unit of N branches with a year of records and attendance (about 70 records and 1,100 attendance rows
per branch: monthly 支委会, 主题党日, two 党小组会 and 理论学习, quarterly 党员大会 and 党课, a 组织生活会 and a
民主评议党员), through the product's own import (sheets 党组织 + 党员, then 活动, in workbooks of at most
ZHIBU_IMPORT_MAX_ROWS rows), then times each operation and prints one table:

    operation | median time | SQL queries | peak memory | raw SQL floor | ratio

Each run of an operation is done in a forked child process, so its peak memory (the child's highest resident
size above the one it started with, Linux's VmHWM reset at the start) and its queries are its own. Beside each committee-level figure stands the time of
a raw SQL aggregate answering the same question on the same data, and the ratio of the two.

    .venv/bin/python benchmarks/scale.py --branches 100 [--members 30] [--database-url postgres://…/name]
                                         [--repeat 3] [--keep] [--only TEXT]

Without --database-url a fresh SQLite database is made in a temporary folder. A PostgreSQL database named by
--database-url is emptied (all tables dropped) and migrated first: never point it at data you want to keep.
"""

from __future__ import annotations

import argparse
import gc
import io
import os
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
BRANCHES_PER_GENERAL = 25  # a 党总支 every 25 branches, so the committee page rolls them up
TRUNK = "基准党委"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--branches", type=int, required=True)
    parser.add_argument("--members", type=int, default=30)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--repeat", type=int, default=3, help="runs per operation (median); slow ones run once")
    parser.add_argument("--keep", action="store_true",
                        help="keep the data: do not drop it at the start, and build the unit only if it is not there yet")
    parser.add_argument("--only", default="", help="measure only the operations whose label contains this text")
    return parser.parse_args()


ARGS = parse_args()
os.environ["ZHIBU_DATA_DIR"] = tempfile.mkdtemp(prefix="zhibu-scale-")
if ARGS.database_url:
    os.environ["DATABASE_URL"] = ARGS.database_url
else:
    os.environ.pop("DATABASE_URL", None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhibu.settings")
os.environ.setdefault("ZHIBU_ALLOWED_HOSTS", "testserver")

import warnings  # noqa: E402

import django  # noqa: E402

warnings.filterwarnings("ignore", message="No directory at")

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from openpyxl import Workbook  # noqa: E402

settings.ALLOWED_HOSTS = ["*"]


# ---- the unit ---------------------------------------------------------------------------------------------------

def the_year() -> tuple[int, date]:
    today = date.today()
    year = today.year if today.month >= 7 else today.year - 1
    return year, today


def branch_name(b: int) -> str:
    return f"基准第{b + 1}支部"


def general_name(g: int) -> str:
    return f"基准第{g + 1}党总支"


def people_of(b: int, members: int) -> list[str]:
    return [f"{SURNAMES[i % len(SURNAMES)]}{b}号{i}" for i in range(members)]


def structure_workbook(branches: int, members: int) -> list[bytes]:
    """Sheets 党组织 and 党员 (in workbooks of at most the row limit)."""
    rows_orgs = [["名称", "上级", "类别", "换届日期"], [TRUNK, "", "党委", None]]
    generals = (branches + BRANCHES_PER_GENERAL - 1) // BRANCHES_PER_GENERAL if branches > BRANCHES_PER_GENERAL else 0
    for g in range(generals):
        rows_orgs.append([general_name(g), TRUNK, "党总支", date(2024, 6, 1)])
    rows_people = [["姓名", "所在组织", "党小组", "人员类别", "入党日期", "转正日期", "党内职务", "领导干部", "月缴费基数"]]
    for b in range(branches):
        parent = general_name(b // BRANCHES_PER_GENERAL) if generals else TRUNK
        name = branch_name(b)
        rows_orgs.append([name, parent, "党支部", date(2024, 3, 1)])
        for g in (1, 2):
            rows_orgs.append([f"{name}第{g}党小组", name, "党小组", None])
        for i, person in enumerate(people_of(b, members)):
            category = "预备党员" if i >= members - 2 else "正式党员"
            post = {0: "书记", 1: "组织委员", 2: "宣传委员"}.get(i, "")
            rows_people.append([
                person, name, f"{name}第{1 + i % 2}党小组", category, date(2005 + i % 15, 7, 1),
                None if category == "预备党员" else date(2006 + i % 15, 7, 1), post, "是" if i in (3, 4) else "否",
                4000 + 100 * (i % 20),
            ])
    return _books([("党组织", rows_orgs), ("党员", rows_people)])


def activity_rows(branches: int, members: int, year: int, today: date):
    """Sheet 活动: about 70 records a branch, with rolls."""
    header = ["编号", "组织", "类型", "日期", "主题", "主讲人", "出席", "请假", "缺席"]
    yield header
    last = today - timedelta(days=1)
    for b in range(branches):
        name = branch_name(b)
        roll = people_of(b, members)
        committee = roll[:3] + roll[3:5]
        groups = {1: roll[0::2], 2: roll[1::2]}
        n = 0

        def row(kind, day, subject, people, org=name, lecturer=""):
            nonlocal n
            if day > last:
                return None
            n += 1
            present, leave, absent = [], [], []
            for person in people:
                index = roll.index(person)
                quarter = (day.month - 1) // 3 + 1
                if index == members - 1 and quarter == 3:
                    absent.append(person)  # absent from every meeting of a quarter: a finding
                elif index == 4 and day.month % 3:
                    absent.append(person)  # a leading cadre below 60%: a finding
                elif (index + day.month + n) % 17 == 0:
                    leave.append(f"{person}（公差）")
                else:
                    present.append(person)
            return [f"S{b}-{n}", org, kind, day, subject, lecturer, "、".join(present), "、".join(leave), "、".join(absent)]

        plan = []
        for month in range(1, 13):
            plan.append(row("支部委员会会议", date(year, month, 5), f"{month}月支委会", committee))
            plan.append(row("主题党日", date(year, month, 15), f"{month}月主题党日", roll))
            plan.append(row("理论学习", date(year, month, 20), f"{month}月理论学习", roll))
            for g, people in groups.items():
                plan.append(row("党小组会", date(year, month, 10 + g), f"{month}月党小组会", people, org=f"{name}第{g}党小组"))
        for quarter in range(1, 5):
            month = 3 * quarter - 1
            plan.append(row("支部党员大会", date(year, month, 25), f"第{quarter}季度党员大会", roll))
            plan.append(row("党课", date(year, month, 26), f"第{quarter}季度党课", roll, lecturer=roll[0] if quarter == 2 else "外请专家"))
        plan.append(row("组织生活会", date(year, 11, 20), "年度组织生活会", roll))
        plan.append(row("民主评议党员", date(year, 11, 21), "民主评议党员", roll))
        # b % 10 == 0: one branch in ten has not held its 支委会 this quarter (findings to show).
        for entry in plan:
            if entry and not (b % 10 == 0 and entry[2] == "支部委员会会议" and entry[3].month in (7, 8)):
                yield entry


def _books(sheets: list[tuple[str, list]]) -> list[bytes]:
    """The sheets in workbooks of at most IMPORT_MAX_ROWS data rows each (a sheet's header on every part)."""
    limit = settings.IMPORT_MAX_ROWS
    books, book, room = [], None, 0
    for title, rows in sheets:
        header, data = rows[0], rows[1:]
        start = 0
        while start < len(data):
            if book is None or room == 0:
                if book is not None:
                    books.append(_save(book))
                book, room = Workbook(write_only=True), limit
            part = data[start:start + room]
            sheet = book.create_sheet(title)
            sheet.append(header)
            for values in part:
                sheet.append(values)
            start += len(part)
            room -= len(part)
    if book is not None:
        books.append(_save(book))
    return books


def _save(book) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def reset_database():
    if connection.vendor == "postgresql" and not ARGS.keep:
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    call_command("migrate", verbosity=0)


def import_all(books: list[bytes]) -> float:
    """Seconds to import the workbooks one after the other; stops the run on the first that is refused."""
    from zhibu.exchange.workbook import import_workbook
    from zhibu.orgs.access import SYSTEM

    started = time.perf_counter()
    for content in books:
        result = import_workbook(io.BytesIO(content), SYSTEM)
        if not result.ok:
            sys.exit("导入失败：" + "；".join(str(issue) for issue in result.issues[:10]))
    return time.perf_counter() - started


def build(branches: int, members: int) -> list[tuple[str, float, str]]:
    from zhibu.records.models import Activity, Attendance

    year, today = the_year()
    lines = []
    started = time.perf_counter()
    books = structure_workbook(branches, members)
    built = time.perf_counter() - started
    rows = branches * (members + 3)
    elapsed = import_all(books)
    lines.append(("import 党组织+党员", elapsed, f"{rows / elapsed:,.0f} rows/s ({rows:,} rows, workbook written in {built:.1f} s)"))

    started = time.perf_counter()
    rows = list(activity_rows(branches, members, year, today))
    books = _books([("活动", rows)])
    built = time.perf_counter() - started
    records = len(rows) - 1
    elapsed = import_all(books)
    attendance = Attendance.objects.count()
    lines.append(("import 活动", elapsed, f"{records / elapsed:,.0f} records/s, {attendance / elapsed:,.0f} attendance rows/s "
                  f"({Activity.objects.count():,} records, {attendance:,} attendance rows; workbooks written in {built:.1f} s)"))
    return lines


# ---- measuring --------------------------------------------------------------------------------------------------

def _status_kb(field: str) -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def _reset_peak() -> None:
    """Linux: make the peak resident size (VmHWM) start again from the current one."""
    try:
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")
    except OSError:
        pass


def run_forked(operation):
    """(seconds, queries, peak MB above the start) of one run of `operation` in a child process: the peak is the
    child's highest resident size (VmHWM, reset at its start) above its resident size then."""
    connections.close_all()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        status = 0
        try:
            _reset_peak()
            base = _status_kb("VmRSS")
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                operation()
                elapsed = time.perf_counter() - started
            peak = _status_kb("VmHWM")
            message = f"{elapsed} {len(captured.captured_queries)} {max(peak - base, 0) / 1024}"
        except BaseException as error:  # noqa: BLE001 - reported in the table
            message = f"error {type(error).__name__}: {str(error)[:200]}"
            status = 1
        os.write(write, message.encode())
        os.close(write)
        os._exit(status)
    os.close(write)
    chunks = []
    while chunk := os.read(read, 65536):
        chunks.append(chunk)
    os.close(read)
    os.waitpid(pid, 0)
    text = b"".join(chunks).decode()
    if text.startswith("error"):
        return text
    seconds, queries, memory = text.split()
    return float(seconds), int(queries), float(memory)


def measure(operation, repeat: int):
    runs = []
    for _ in range(repeat):
        result = run_forked(operation)
        if isinstance(result, str):
            return result
        runs.append(result)
        if result[0] > 5:  # slow: once is enough
            break
    return statistics.median(r[0] for r in runs), max(r[1] for r in runs), max(r[2] for r in runs)


def floor(sql: str, params) -> float:
    """The best of three runs of a raw SQL statement, fetching every row."""
    best = None
    for _ in range(3):
        with connection.cursor() as cursor:
            started = time.perf_counter()
            cursor.execute(sql, params)
            cursor.fetchall()
            elapsed = time.perf_counter() - started
        best = elapsed if best is None else min(best, elapsed)
    return best


def floors(root, branch, year: int, today: date) -> dict[str, float]:
    """Raw SQL answering each committee-level question on the same data (the floor to compare with)."""
    start, end = date(year, 1, 1), min(date(year, 12, 31), today)
    like = root.path + "%"
    compliance = floor(
        # the facts of the check: records per organisation, type and month, and attendance per member and quarter
        """SELECT a.org_id, t.key, EXTRACT(MONTH FROM a.date), COUNT(*), MIN(a.id)
             FROM records_activity a JOIN records_activitytype t ON t.id = a.type_id
             JOIN orgs_organisation o ON o.id = a.org_id
            WHERE o.path LIKE %s AND a.date BETWEEN %s AND %s GROUP BY 1, 2, 3""".replace(
            "EXTRACT(MONTH FROM a.date)", _month_sql()),
        [like, start, end],
    ) + floor(
        f"""SELECT a.org_id, r.person_id, {_quarter_sql()},
                   COUNT(*), SUM(CASE WHEN r.status = '出席' THEN 1 ELSE 0 END), SUM(CASE WHEN r.status = '缺席' THEN 1 ELSE 0 END)
              FROM records_attendance r JOIN records_activity a ON a.id = r.activity_id
              JOIN orgs_organisation o ON o.id = a.org_id
             WHERE o.path LIKE %s AND a.date BETWEEN %s AND %s GROUP BY 1, 2, 3""",
        [like, start, end],
    )
    report = floor(
        """SELECT t.key, COUNT(DISTINCT a.id), COUNT(r.id), COUNT(DISTINCT r.person_id)
             FROM records_activity a JOIN records_activitytype t ON t.id = a.type_id
             JOIN orgs_organisation o ON o.id = a.org_id
             LEFT JOIN records_attendance r ON r.activity_id = a.id AND r.status = '出席'
            WHERE o.path LIKE %s AND a.date BETWEEN %s AND %s GROUP BY 1""",
        [like, start, end],
    )
    members = floor(
        """SELECT p.id, p.name, p.category, o.name FROM orgs_person p JOIN orgs_organisation o ON o.id = p.branch_id
            WHERE o.path LIKE %s ORDER BY o.path, p.name LIMIT 50""", [like],
    ) + floor("SELECT COUNT(*) FROM orgs_person p JOIN orgs_organisation o ON o.id = p.branch_id WHERE o.path LIKE %s", [like])
    records = floor(
        """SELECT a.id, a.date, a.subject, o.name FROM records_activity a JOIN orgs_organisation o ON o.id = a.org_id
            WHERE o.path LIKE %s ORDER BY a.date DESC, a.id DESC LIMIT 50""", [like],
    ) + floor("SELECT COUNT(*) FROM records_activity a JOIN orgs_organisation o ON o.id = a.org_id WHERE o.path LIKE %s", [like])
    dues = floor(
        """SELECT p.branch_id, COUNT(*), SUM(d.amount) FROM dues_duespayment d JOIN orgs_person p ON p.id = d.person_id
             JOIN orgs_organisation o ON o.id = p.branch_id WHERE o.path LIKE %s AND d.month LIKE %s GROUP BY 1""",
        [like, f"{year}-%"],
    ) + floor(
        """SELECT p.branch_id, COUNT(*), SUM(p.dues_base) FROM orgs_person p
             JOIN orgs_organisation o ON o.id = p.branch_id WHERE o.path LIKE %s GROUP BY 1""", [like],
    )
    ranking = floor(
        """SELECT r.person_id, COUNT(*) FROM records_attendance r JOIN records_activity a ON a.id = r.activity_id
             JOIN orgs_organisation o ON o.id = a.org_id
            WHERE o.path LIKE %s AND a.date BETWEEN %s AND %s AND r.status = '出席' GROUP BY 1""",
        [branch.path + "%", start, end],
    )
    export = floor(
        """SELECT a.id, a.date, a.subject, o.name, r.person_id, r.status, r.reason, p.name
             FROM records_activity a JOIN orgs_organisation o ON o.id = a.org_id
             LEFT JOIN records_attendance r ON r.activity_id = a.id LEFT JOIN orgs_person p ON p.id = r.person_id
            WHERE o.path LIKE %s""", [like],
    ) + floor("SELECT p.* FROM orgs_person p JOIN orgs_organisation o ON o.id = p.branch_id WHERE o.path LIKE %s", [like])
    return {"compliance": compliance, "report": report, "members": members, "records": records, "dues": dues,
            "ranking": ranking, "export": export}


def _month_sql() -> str:
    return "CAST(strftime('%%m', a.date) AS INTEGER)" if connection.vendor == "sqlite" else "EXTRACT(MONTH FROM a.date)"


def _quarter_sql() -> str:
    return "((CAST(strftime('%%m', a.date) AS INTEGER) + 2) / 3)" if connection.vendor == "sqlite" else "EXTRACT(QUARTER FROM a.date)"



def operations(root, branch, committee_user, secretary_user, year: int):
    from django.test import Client

    from zhibu.compliance.facts import check
    from zhibu.orgs.access import SYSTEM

    def page(user, url, *, first_of_day: bool = False):
        def run():
            if first_of_day:  # no branch judged yet today: every stored judgement is out of date
                from zhibu.compliance.models import Judgement

                Judgement.objects.all().delete()
            client = Client()
            client.force_login(user)
            response = client.get(url, follow=True)
            if response.status_code != 200:
                raise RuntimeError(f"{url} answered {response.status_code}")
            if getattr(response, "streaming", False):
                b"".join(response.streaming_content)
        run.page = True
        return run

    def command(*args):
        def run():
            out = io.StringIO()
            call_command(*args, stdout=out)
        return run

    def nightly_refresh():
        from zhibu.compliance.facts import refresh_judgements
        from zhibu.compliance.models import Judgement

        Judgement.objects.all().delete()  # a new day: every stored judgement is out of date
        refresh_judgements(year)

    tmp = tempfile.mkdtemp(prefix="zhibu-scale-out-")
    r, b = root.pk, branch.pk
    return [
        # (label, operation, floor key or None)
        ("check (root): engine only", lambda: check(SYSTEM, root, year, fresh=True), "compliance"),
        ("zhibu check (root)", command("compliance", "--org", root.name, "--year", str(year)), "compliance"),
        ("zhibu check (one branch)", command("compliance", "--org", branch.name, "--year", str(year)), None),
        ("zhibu report (root)", command("report", "--org", root.name, "--year", str(year), "--format", "json",
                                        "--out", os.path.join(tmp, "root.json")), "report"),
        ("zhibu report (one branch)", command("report", "--org", branch.name, "--year", str(year), "--format", "json",
                                              "--out", os.path.join(tmp, "branch.json")), None),
        ("zhibu export (unit)", command("export", os.path.join(tmp, "unit.xlsx"), "--org", root.name), "export"),
        ("nightly refresh of stored judgements (worker)", nightly_refresh, "compliance"),
        ("committee 工作台, first view of a day without the refresh", page(committee_user, "/", first_of_day=True), "compliance"),
        ("committee 工作台", page(committee_user, "/"), "compliance"),
        ("committee compliance dashboard", page(committee_user, f"/compliance/?org={r}&year={year}"), "compliance"),
        ("committee report builder", page(committee_user, f"/reports/?org={r}&year={year}"), "report"),
        ("committee dues overview", page(committee_user, f"/dues/?org={r}&year={year}"), "dues"),
        ("committee member list", page(committee_user, "/people/"), "members"),
        ("committee records list", page(committee_user, "/records/"), "records"),
        ("committee points", page(committee_user, f"/points/?year={year}"), "ranking"),
        ("secretary 工作台", page(secretary_user, "/"), None),
        ("secretary compliance dashboard", page(secretary_user, f"/compliance/?year={year}"), None),
        ("secretary report builder", page(secretary_user, f"/reports/?org={b}&year={year}"), None),
        ("secretary dues overview", page(secretary_user, f"/dues/?year={year}"), None),
        ("secretary member list", page(secretary_user, "/people/"), None),
        ("secretary records list", page(secretary_user, "/records/"), None),
        ("secretary points ranking", page(secretary_user, f"/points/branch/{b}/{year}/"), "ranking"),
    ]


def logins(root, branch):
    from django.contrib.auth import get_user_model

    from zhibu.orgs.models import Grant, Role

    User = get_user_model()
    committee, _ = User.objects.get_or_create(username="bench-committee")
    secretary, _ = User.objects.get_or_create(username="bench-secretary")
    Grant.objects.get_or_create(user=committee, org=root, role=Role.COMMITTEE_ADMIN)
    Grant.objects.get_or_create(user=secretary, org=branch, role=Role.SECRETARY)
    return committee, secretary


def main():
    from zhibu.orgs.models import Organisation

    reset_database()
    if ARGS.keep and Organisation.objects.filter(name=TRUNK).exists():
        build_lines = []  # the unit of an earlier run, measured again (--keep)
    else:
        build_lines = build(ARGS.branches, ARGS.members)
    with connection.cursor() as cursor:
        # Planner statistics and the visibility map, as a database in service has them from autovacuum: without
        # the VACUUM the first reader of a million freshly imported rows also writes their hint bits.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    year, today = the_year()
    root = Organisation.objects.get(name=TRUNK)
    branch = Organisation.objects.get(name=branch_name(ARGS.branches // 2))
    committee, secretary = logins(root, branch)
    found = floors(root, branch, year, today)
    gc.collect()
    gc.freeze()  # the forked children do not copy the parent's objects by collecting them
    load = os.getloadavg()
    print(f"\n{ARGS.branches} branches × {ARGS.members} members, year {year}, {connection.vendor} "
          f"({connection.settings_dict['NAME']}), {date.today():%Y-%m-%d}, load average at start {load[0]:.1f}")
    for label, seconds, detail in build_lines:
        print(f"- {label}: {seconds:.1f} s — {detail}")
    print()
    print("| operation | median | SQL queries | peak memory | raw SQL floor | ratio |")
    print("|---|---:|---:|---:|---:|---:|")
    for label, operation, floor_key in operations(root, branch, committee, secretary, year):
        if ARGS.only not in label:
            continue
        if getattr(operation, "page", False):
            try:
                operation()  # warm up (templates compiled, URLs resolved) in the parent, not measured
            except Exception:  # noqa: BLE001 - measured and reported below
                pass
        result = measure(operation, ARGS.repeat)
        if isinstance(result, str):
            print(f"| {label} | {result} | | | | |", flush=True)
            continue
        seconds, queries, memory = result
        base = found.get(floor_key) if floor_key else None
        floor_text = f"{base * 1000:,.0f} ms" if base else ""
        ratio = f"{seconds / base:,.1f}×" if base else ""
        print(f"| {label} | {seconds * 1000:,.0f} ms | {queries:,} | {memory:,.0f} MB | {floor_text} | {ratio} |", flush=True)
    print(f"\nload average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
