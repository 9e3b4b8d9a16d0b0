"""200 members voting at once in one 民主测评, each sending their ballot twice: exactly one ballot per login?

A measurement on PostgreSQL (a test of the real locking, not a unit test). Builds a branch of 201 full members
with logins in a fresh database (default postgres://postgres@127.0.0.1:5432/zhibu_bench_votes, or
DATABASE_URL), opens its appraisal, then sends 400 submissions (every login twice, shuffled) from a pool of
threads, each with its own connection. Prints the time, the latencies and the counts.

    .venv/bin/python benchmarks/concurrent_votes.py [--voters 200] [--workers 80]
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ["ZHIBU_DATA_DIR"] = tempfile.mkdtemp(prefix="zhibu-bench-")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/zhibu_bench_votes")
os.environ["ZHIBU_CONN_MAX_AGE"] = "0"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhibu.settings")


def _fresh_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voters", type=int, default=200)
    parser.add_argument("--workers", type=int, default=80, help="threads (each a database connection; PostgreSQL allows 100 by default)")
    args = parser.parse_args()
    if not os.environ["DATABASE_URL"].startswith("postgres"):
        sys.exit("这个测量需要 PostgreSQL：请设置 DATABASE_URL=postgres://…")
    _fresh_database(os.environ["DATABASE_URL"])

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import connection

    from zhibu.appraisal import services
    from zhibu.appraisal.models import AppraisalBallot, Mark
    from zhibu.ballots.models import Receipt
    from zhibu.orgs import access
    from zhibu.orgs.models import Category, Organisation, OrgKind, Person

    call_command("migrate", verbosity=0)
    User = get_user_model()
    committee = Organisation.objects.create_root(name="测量党委", kind=OrgKind.PARTY_COMMITTEE)
    branch = Organisation.objects.create_child(committee, name="测量支部", kind=OrgKind.BRANCH)
    password = make_password(None)
    users = User.objects.bulk_create(User(username=f"voter{n:03d}", password=password) for n in range(args.voters + 1))
    Person.objects.bulk_create(
        Person(branch=branch, name=f"党员{n:03d}", category=Category.FULL, admitted_on=date(2010, 7, 1), user=user)
        for n, user in enumerate(users))
    appraisal = services.create(access.SYSTEM, branch, 2026)
    services.open_voting(appraisal)
    voters = list(User.objects.filter(username__in=[u.username for u in users[: args.voters]]))
    submissions = voters * 2
    random.Random(2026).shuffle(submissions)
    latencies, outcomes, lock = [], {"stored": 0, "refused": 0, "errors": 0}, threading.Lock()
    barrier = threading.Barrier(min(args.workers, len(submissions)))

    def submit(user) -> None:
        from django.db import connection as own

        try:
            barrier.wait(timeout=1)
        except threading.BrokenBarrierError:
            pass
        started = time.perf_counter()
        try:
            choices = {p.pk: "合格" for p in services.ballot_items(appraisal, user)}
            services.cast(user, appraisal, choices)
            result = "stored"
        except services.AppraisalError:
            result = "refused"
        except Exception as error:  # anything else is a failure of the measurement
            print("错误:", type(error).__name__, error)
            result = "errors"
        finally:
            own.close()
        with lock:
            latencies.append(time.perf_counter() - started)
            outcomes[result] += 1

    connection.close()
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=args.workers) as pool:
        list(pool.map(submit, submissions))
    elapsed = time.perf_counter() - started
    receipts = Receipt.objects.filter(poll=appraisal.poll)
    per_login = receipts.values("user").distinct().count()
    latencies.sort()
    print(f"{args.voters} 名党员各提交2次（共{len(submissions)}次，{args.workers}个并发连接），PostgreSQL {connection.pg_version}")
    print(f"用时 {elapsed:.1f} 秒；单次提交 p50 {statistics.median(latencies) * 1000:.0f} ms，"
          f"p99 {latencies[int(len(latencies) * 0.99) - 1] * 1000:.0f} ms")
    print(f"保存 {outcomes['stored']}，拒绝（已投过票）{outcomes['refused']}，错误 {outcomes['errors']}")
    print(f"回执 {receipts.count()}（{per_login} 个不同账号），选票 {AppraisalBallot.objects.filter(appraisal=appraisal).count()}，"
          f"等次 {Mark.objects.filter(ballot__appraisal=appraisal).count()}（应为 {args.voters}×{args.voters}）")
    ok = receipts.count() == per_login == args.voters == AppraisalBallot.objects.filter(appraisal=appraisal).count()
    print("每个账号恰好一张选票：" + ("是" if ok else "否"))
    sys.exit(0 if ok and not outcomes["errors"] else 1)


if __name__ == "__main__":
    main()
