"""How long the 党内统计 tables take for a committee of 1,000 branches (a measurement, not a test).

Builds one committee with 1,000 branches of 10 members each (10,000 people, their membership periods written
directly), 300 membership events in the year, then computes the tables and writes the workbook, printing the
times and the number of queries.

    .venv/bin/python benchmarks/stats_1000.py
"""

import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ["ZHIBU_DATA_DIR"] = tempfile.mkdtemp(prefix="zhibu-bench-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhibu.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

BRANCHES, MEMBERS, YEAR = 1000, 10, 2025


def build():
    from zhibu.orgs.models import EventKind, MembershipEvent, MembershipPeriod, Organisation, OrgKind, Person

    committee = Organisation.objects.create_root(name="基准党委", kind=OrgKind.PARTY_COMMITTEE)
    branches = [Organisation.objects.create_child(committee, name=f"基准支部{n:04d}", kind=OrgKind.BRANCH,
                                                  elected_on=date(2020 + n % 6, 3, 1)) for n in range(BRANCHES)]
    people = Person.objects.bulk_create([
        Person(branch=b, name=f"党员{b.pk}-{m}", category="正式党员", admitted_on=date(1990 + m * 3, 7, 1),
               full_on=date(1991 + m * 3, 7, 1), gender="女" if m % 3 == 0 else "男", birth_date=date(1960 + m * 4, 5, 1),
               education=("大学本科", "硕士研究生", "大学专科")[m % 3], ethnicity="回族" if m == 1 else "汉族")
        for b in branches for m in range(MEMBERS)
    ], batch_size=2000)
    periods = []
    events = []
    for index, person in enumerate(people):
        end = None
        if index % 33 == 0:  # about 300 leave in the year
            end = date(YEAR, 1 + index % 12, 10)
            events.append(MembershipEvent(person=person, kind=EventKind.TRANSFER_OUT, on=end, org_id=person.branch_id,
                                          other_party="外单位"))
        periods.append(MembershipPeriod(person=person, branch_id=person.branch_id, start=person.admitted_on, end=end))
    MembershipPeriod.objects.bulk_create(periods, batch_size=2000)
    MembershipEvent.objects.bulk_create(events, batch_size=2000)
    return Organisation.objects.get(pk=committee.pk)


def main():
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    committee = build()
    print(f"built {BRANCHES} branches, {BRANCHES * MEMBERS} people in {time.perf_counter() - started:.1f} s")
    from zhibu.stats.tables import Statistics
    from zhibu.stats.workbook import statistics_xlsx

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        stats = Statistics(committee, YEAR, today=date(YEAR + 1, 1, 15))
        elapsed = time.perf_counter() - started
    cells = {cell.key: cell.value for table in stats.tables for cell in table.cells()}
    print(f"tables: {elapsed:.2f} s, {len(queries)} queries; 上年底 {cells['t1.start']}, 转出 {cells['t1.transfer_out']}, "
          f"实有 {cells['t1.actual']}, 差 {cells['t1.difference']}")
    started = time.perf_counter()
    content = statistics_xlsx(stats)
    print(f"workbook with the names of every cell: {time.perf_counter() - started:.1f} s, {len(content) // 1024} KB")


if __name__ == "__main__":
    main()
