"""Peak memory of exporting a whole unit of 1,000 branches (a measurement, not a test).

Builds in a fresh SQLite data directory one committee with 1,000 branches of 25 正式党员 each (25,000 people), and
12 meetings per branch with the whole branch on the roll (12,000 records, 300,000 attendance rows). Then measures
the peak resident memory (ru_maxrss of the child process) of
  1. `zhibu export FILE.xlsx` (the command, printing progress),
  2. the same export as a background job run by `zhibu worker --batch`,
  3. with --reports, every branch's 述职报告 as one .zip, a background job run by `zhibu worker --batch`,
  4. a bare `zhibu check` (Django loaded, nothing exported), for comparison,
and prints the figures, the times and the files' sizes.

    .venv/bin/python benchmarks/export_memory.py [--branches 1000] [--members 25] [--meetings 12] [--reports]
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA_DIR = tempfile.mkdtemp(prefix="zhibu-export-memory-")
os.environ["ZHIBU_DATA_DIR"] = DATA_DIR
os.environ.pop("DATABASE_URL", None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhibu.settings")
ZHIBU = Path(sys.executable).parent / "zhibu"
SURNAMES = "王李张刘陈杨黄赵吴周孙朱"


def build(branches: int, members: int, meetings: int) -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from zhibu.orgs.models import Category, Organisation, OrgKind, Person
    from zhibu.records.models import Activity, ActivityType, Attendance

    root = Organisation.objects.create_root(name="基准机关党委", kind=OrgKind.ORGAN_COMMITTEE)
    for number in range(branches):
        Organisation.objects.create_child(root, name=f"基准第{number + 1}党支部", kind=OrgKind.BRANCH)
        root.refresh_from_db()
    all_branches = list(Organisation.objects.filter(kind=OrgKind.BRANCH))
    Person.objects.bulk_create([
        Person(branch=branch, name=f"{SURNAMES[i % len(SURNAMES)]}{branch.pk}号{i}", category=Category.FULL,
               admitted_on=date(2010, 7, 1), full_on=date(2011, 7, 1))
        for branch in all_branches for i in range(members)], batch_size=2000)
    types = list(ActivityType.objects.filter(takes_attendance=True, group="三会一课")[:4])
    Activity.objects.bulk_create([
        Activity(org=branch, type=types[n % len(types)], date=date(2025, 1, 6) + timedelta(days=28 * n),
                 subject=f"第{n + 1}次会议", place="会议室")
        for branch in all_branches for n in range(meetings)], batch_size=2000)
    people = {}
    for pk, branch_id in Person.objects.values_list("pk", "branch_id"):
        people.setdefault(branch_id, []).append(pk)
    rows = []
    for activity_id, org_id in Activity.objects.values_list("pk", "org_id"):
        rows += [Attendance(activity_id=activity_id, person_id=pk) for pk in people[org_id]]
        if len(rows) > 20000:
            Attendance.objects.bulk_create(rows, batch_size=5000)
            rows = []
    Attendance.objects.bulk_create(rows, batch_size=5000)


def peak_of(*args: str) -> tuple[float, float]:
    started = time.perf_counter()
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen([str(ZHIBU), *args], stdout=subprocess.DEVNULL, stderr=errors)
        _, status, usage = os.wait4(process.pid, 0)
        if status:
            errors.seek(0)
            sys.exit(f"zhibu {' '.join(args)} failed: {errors.read().decode()[-2000:]}")
    return usage.ru_maxrss / 1024, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--branches", type=int, default=1000)
    parser.add_argument("--members", type=int, default=25)
    parser.add_argument("--meetings", type=int, default=12)
    parser.add_argument("--reports", action="store_true", help="also every branch's report as one .zip (slow)")
    args = parser.parse_args()
    import django

    django.setup()
    started = time.perf_counter()
    build(args.branches, args.members, args.meetings)
    from zhibu.orgs.models import Person
    from zhibu.records.models import Attendance

    print(f"built {args.branches} branches, {Person.objects.count()} people, {Attendance.objects.count()} attendance "
          f"rows in {time.perf_counter() - started:.0f} s ({DATA_DIR})")
    out = Path(DATA_DIR) / "unit.xlsx"
    rss, seconds = peak_of("export", str(out))
    print(f"zhibu export:            peak RSS {rss:6.0f} MB, {seconds:5.1f} s, workbook {out.stat().st_size / 1e6:.1f} MB")

    from django.contrib.auth import get_user_model

    from zhibu.jobs import service
    from zhibu.jobs.models import Job, JobKind, JobStatus
    from zhibu.orgs.models import Organisation

    admin = get_user_model().objects.create_user("bench", is_superuser=True)
    job = service.start(admin, JobKind.EXPORT, "基准导出", Organisation.objects.get(name="基准机关党委"))
    rss, seconds = peak_of("worker", "--batch", "--interval", "0")
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    size = (service.jobs_dir() / job.stored_name).stat().st_size / 1e6
    print(f"export job (zhibu worker): peak RSS {rss:6.0f} MB, {seconds:5.1f} s, workbook {size:.1f} MB")
    if args.reports:
        job = service.start(admin, JobKind.REPORTS, "基准全部述职报告", Organisation.objects.get(name="基准机关党委"),
                            {"year": 2025})
        rss, seconds = peak_of("worker", "--batch", "--interval", "0")
        job.refresh_from_db()
        assert job.status == JobStatus.DONE, job.error
        size = (service.jobs_dir() / job.stored_name).stat().st_size / 1e6
        print(f"all reports (zhibu worker): peak RSS {rss:6.0f} MB, {seconds:5.1f} s, .zip {size:.1f} MB")
    rss, seconds = peak_of("check")
    print(f"zhibu check (baseline):  peak RSS {rss:6.0f} MB, {seconds:5.1f} s")


if __name__ == "__main__":
    main()
