"""A crowded meeting hall against a running `zhibu serve` (a measurement, not a test).

Builds, in a fresh SQLite data directory, one committee with one branch of 300 正式党员, each with a login already
signed in on their phone (a session, as after logging in before the meeting), today's 党员大会 with its sign-in
window open, and an open 述职评议. Then starts `zhibu serve` and lets the 300 phones sign in to the meeting with
the code (open the page, send the code) and 200 of them vote (open the ballot, send it), all within two minutes,
and prints the latency of every request (p50, p99, max), the errors and the wall time.

    .venv/bin/python benchmarks/hall.py [--port 8104] [--members 300] [--voters 200] [--phones 60]
"""

import argparse
import http.cookiejar
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, time as clock, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA_DIR = tempfile.mkdtemp(prefix="zhibu-hall-")
os.environ["ZHIBU_DATA_DIR"] = DATA_DIR
# Prepared before the settings load, so this process and the server read the same secret key from it (the
# phones' sessions, made here, are signed with it).
from zhibu.datadir import prepare_data_dir  # noqa: E402

prepare_data_dir()
os.environ.pop("DATABASE_URL", None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhibu.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

LOCK = threading.Lock()


def build(members: int):
    from zhibu.orgs.models import Category, MembershipPeriod, Organisation, OrgKind, Person, PersonPost, Post
    from zhibu.records import signin
    from zhibu.records.models import Activity, ActivityType
    from zhibu.review import services
    from zhibu.review.models import ReviewSession

    call_command("init", verbosity=0)
    committee = Organisation.objects.create_root(name="会场机关党委", kind=OrgKind.ORGAN_COMMITTEE)
    branch = Organisation.objects.create_child(committee, name="会场支部", kind=OrgKind.BRANCH)
    password = make_password("Hall-Bench-2026")  # hashed once: the phones are already logged in
    User = get_user_model()
    users = User.objects.bulk_create([User(username=f"hall{n:03d}", password=password) for n in range(members)])
    people = Person.objects.bulk_create([
        Person(branch=branch, name=f"会场党员{n:03d}", category=Category.FULL, admitted_on=date(2010, 7, 1),
               full_on=date(2011, 7, 1), user=user) for n, user in enumerate(users)])
    PersonPost.objects.create(person=people[0], post=Post.SECRETARY)
    # bulk_create skips the signal that opens each person's membership period: open them here, from the 入党日期.
    MembershipPeriod.objects.bulk_create([MembershipPeriod(person=p, branch=branch, start=p.admitted_on) for p in people])
    now = timezone.localtime()
    meeting = Activity.objects.create(org=branch, type=ActivityType.objects.get(name="支部党员大会"), date=now.date(),
                                      start_time=clock(now.hour, 0), subject="年度述职评议大会")
    window = signin.open_window(meeting, opens_at=now - timedelta(minutes=5), closes_at=now + timedelta(hours=1),
                                user=users[0])
    session = ReviewSession.objects.create(committee=committee, year=now.year - 1, title="年度支部书记述职评议")
    services.open_voting(session)
    cookies = []
    for user in users:
        store = SessionStore()
        store[SESSION_KEY], store[BACKEND_SESSION_KEY] = str(user.pk), "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        cookies.append(store.session_key)
    return window.code, session.pk, cookies


class Phone:
    def __init__(self, base: str, session_key: str, timings: list, errors: list):
        self.base, self.timings, self.errors = base, timings, errors
        jar = http.cookiejar.CookieJar()
        host = urllib.parse.urlparse(base).hostname
        jar.set_cookie(http.cookiejar.Cookie(0, settings.SESSION_COOKIE_NAME, session_key, None, False, host, False,
                                             False, "/", True, False, None, False, None, None, {}))
        self.jar = jar
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def _csrf(self) -> str:
        return next((c.value for c in self.jar if c.name == settings.CSRF_COOKIE_NAME), "")

    def request(self, path: str, form: dict | None = None) -> str:
        data = None
        if form is not None:
            data = urllib.parse.urlencode({**form, "csrfmiddlewaretoken": self._csrf()}).encode()
        started = time.perf_counter()
        try:
            request = urllib.request.Request(self.base + path, data=data, headers={"Referer": self.base + path})
            with self.opener.open(request, timeout=120) as response:
                body = response.read().decode()
                status = response.status
        except Exception as error:  # noqa: BLE001 — every failure is one error of the benchmark
            with LOCK:
                self.timings.append(time.perf_counter() - started)
                self.errors.append(f"{path}: {error}")
            return ""
        with LOCK:
            self.timings.append(time.perf_counter() - started)
            if status >= 400:
                self.errors.append(f"{path}: {status}")
        return body


def member(base, key, code, session_pk, vote, timings, errors, grades):
    phone = Phone(base, key, timings, errors)
    time.sleep(random.uniform(0, 20))  # people arrive over the first twenty seconds
    phone.request(f"/records/signin/?code={code}")
    page = phone.request("/records/signin/", {"code": code})
    if "签到成功" not in page and "已签到" not in page and "已于" not in page:
        with LOCK:
            found = re.search(r'class="errors"[^>]*>\s*<p>([^<]*)', page) or re.search(r"<title>([^<]*)", page)
            errors.append("signin: " + (found[1] if found else page[:80]))
    if not vote:
        return
    ballot = phone.request(f"/review/vote/{session_pk}/")
    reportees = re.findall(r'name="grade_(\d+)"', ballot)
    phone.request(f"/review/vote/{session_pk}/", {
        **{f"grade_{pk}": random.choice(grades) for pk in set(reportees)},
        **{f"comment_{pk}": "" for pk in set(reportees)},
    })


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8104)
    parser.add_argument("--members", type=int, default=300)
    parser.add_argument("--voters", type=int, default=200)
    parser.add_argument("--phones", type=int, default=60, help="phones talking to the server at the same moment")
    options = parser.parse_args()
    from zhibu.ballots.models import Receipt
    from zhibu.review.models import Ballot, Level, ReviewSession
    from zhibu.records.models import Attendance

    started = time.perf_counter()
    code, session_pk, keys = build(options.members)
    print(f"built {options.members} members with logins in {time.perf_counter() - started:.1f} s ({DATA_DIR})")
    env = {**os.environ, "ZHIBU_DATA_DIR": DATA_DIR}
    server = subprocess.Popen([str(Path(sys.executable).parent / "zhibu"), "serve", "--addr", f"127.0.0.1:{options.port}"],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT)
    base = f"http://127.0.0.1:{options.port}"
    try:
        deadline = time.monotonic() + 180
        while True:  # the phones start only once the server answers
            try:
                urllib.request.urlopen(base + "/login/", timeout=5).read()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("zhibu serve did not start: " + server.stderr.read().decode()[-500:]) from None
                time.sleep(0.2)
        timings, errors = [], []
        voters = set(random.sample(range(options.members), options.voters))
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=options.phones) as pool:
            for n, key in enumerate(keys):
                pool.submit(member, base, key, code, session_pk, n in voters, timings, errors, list(Level.values))
        wall = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=20)
    signed = Attendance.objects.filter(signed_in_at__isnull=False).count()
    receipts = Receipt.objects.filter(poll=ReviewSession.objects.get(pk=session_pk).poll).count()
    print(f"{len(timings)} requests in {wall:.1f} s wall time ({options.phones} phones at once)")
    print(f"latency p50 {statistics.median(timings) * 1000:.0f} ms, p99 {percentile(timings, 0.99) * 1000:.0f} ms, "
          f"max {max(timings) * 1000:.0f} ms")
    print(f"signed in {signed}/{options.members}, ballots {receipts}/{options.voters} "
          f"({Ballot.objects.filter(session_id=session_pk).count()} ballot rows), errors {len(errors)}")
    for error in errors[:10]:
        print("  ", error)


if __name__ == "__main__":
    main()
