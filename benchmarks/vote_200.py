"""200 members vote within one minute on PostgreSQL, through `zhibu serve` (a measurement, not a test).

Builds a committee of 5 branches and 200 full members with logins in a fresh PostgreSQL database, opens a
述职评议 for voting, starts `zhibu serve`; every member is already signed in (a session made beforehand, as members
sign in as they arrive in the hall: password hashing is not part of the vote), then all 200 open the voting page
and submit at once — each submitting TWICE at the same moment, as a
double tap on a phone would. It prints the vote phase's wall time, p50/p99/max per voter, errors and timeouts, and
checks that the database holds exactly one ballot per member.

It uses only the site's URLs (/login/, /review/vote/<pk>/), so it measures what a phone sees.

    .venv/bin/python benchmarks/vote_200.py [--voters 200] [--threads 8] [--port 8105]
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/zhibu_bench_votes (the default; it is dropped and created)
"""

import argparse
import http.cookiejar
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--voters", type=int, default=200)
parser.add_argument("--threads", type=int, default=8, help="zhibu serve --threads")
parser.add_argument("--port", type=int, default=8105)
args = parser.parse_args()

DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/zhibu_bench_votes")
os.environ["DATABASE_URL"] = DATABASE_URL
os.environ["ZHIBU_DATA_DIR"] = tempfile.mkdtemp(prefix="zhibu-bench-votes-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhibu.settings")
PASSWORD = "Bench-vote-2026"
BASE = f"http://127.0.0.1:{args.port}"
TIMEOUT = 60


def fresh_database() -> None:
    import psycopg

    url = urllib.parse.urlparse(DATABASE_URL)
    name = url.path.lstrip("/")
    with psycopg.connect(host=url.hostname, port=url.port or 5432, user=url.username or "postgres",
                         password=url.password, dbname="postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')


def build() -> int:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command

    from zhibu.orgs.models import Category, Organisation, OrgKind, Person
    from zhibu.review import services
    from zhibu.review.models import ReviewSession

    call_command("init", verbosity=0)
    committee = Organisation.objects.create_root(name="压测机关党委", kind=OrgKind.ORGAN_COMMITTEE)
    branches = [Organisation.objects.create_child(committee, name=f"压测第{n + 1}支部", kind=OrgKind.BRANCH) for n in range(5)]
    hashed = make_password(PASSWORD)  # one hash for all: building 200 logins need not take minutes
    User = get_user_model()
    users = User.objects.bulk_create([User(username=f"voter{n:03d}", password=hashed) for n in range(args.voters)])
    Person.objects.bulk_create([
        Person(branch=branches[n % 5], name=f"党员{n:03d}", category=Category.FULL, admitted_on=date(2010, 7, 1),
               full_on=date(2011, 7, 1), user=user)
        for n, user in enumerate(users)
    ])
    session = ReviewSession.objects.create(committee=committee, year=date.today().year - 1, title="压测述职评议")
    services.sync_reportees(session)
    services.open_voting(session)
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import connections

    signed_in = {}
    for user in User.objects.filter(username__startswith="voter"):
        store = SessionStore()
        store[SESSION_KEY], store[BACKEND_SESSION_KEY] = str(user.pk), "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        signed_in[user.username] = store.session_key
    connections.close_all()
    return session.pk, signed_in


class Phone:
    """One member's browser: its own cookies, following the site's forms."""

    def __init__(self, username: str):
        self.username = username
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect())

    def csrf(self) -> str:
        return next(c.value for c in self.jar if c.name == "csrftoken")

    def get(self, path: str) -> tuple[int, str]:
        return self._open(urllib.request.Request(BASE + path))

    def post(self, path: str, fields: dict) -> tuple[int, str]:
        data = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": self.csrf()}).encode()
        request = urllib.request.Request(BASE + path, data=data, headers={"Referer": BASE + path})
        return self._open(request)

    def _open(self, request) -> tuple[int, str]:
        try:
            with self.opener.open(request, timeout=TIMEOUT) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")

    def resume(self, session_key: str) -> None:
        """Carry the session cookie of a member signed in earlier."""
        cookie = http.cookiejar.Cookie(0, "sessionid", session_key, None, False, "127.0.0.1", False, False, "/", True,
                                       False, None, False, None, None, {})
        self.jar.set_cookie(cookie)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def vote(phone: Phone, session_pk: int) -> tuple[float, list[int], str]:
    """Open the ballot and submit it twice at once; (seconds, statuses of the two submissions, problem)."""
    started = time.perf_counter()
    status, page = phone.get(f"/review/vote/{session_pk}/")
    if status != 200:
        return time.perf_counter() - started, [status], f"ballot page {status}"
    fields = {f"grade_{pk}": "好" for pk in re.findall(r'name="grade_(\d+)"', page)}
    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(lambda _: phone.post(f"/review/vote/{session_pk}/", fields), range(2)))
    return time.perf_counter() - started, [status for status, _ in results], ""


def main() -> None:
    fresh_database()
    session_pk, signed_in = build()
    server = subprocess.Popen(
        [sys.executable, "-m", "zhibu.cli", "serve", "--addr", f"127.0.0.1:{args.port}", "--threads", str(args.threads)],
        env=os.environ.copy(), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(BASE + "/login/", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        phones = [Phone(f"voter{n:03d}") for n in range(args.voters)]
        for phone in phones:
            phone.resume(signed_in[phone.username])

        started = time.perf_counter()
        with ThreadPoolExecutor(args.voters) as pool:
            outcomes = list(pool.map(lambda phone: vote(phone, session_pk), phones))
        wall = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=30)

    import django
    from django.db.models import Count

    django.setup()
    from zhibu.review.models import Ballot, VoterReceipt

    times = sorted(seconds for seconds, _, _ in outcomes)
    accepted = sum(statuses.count(302) for _, statuses, _ in outcomes)
    exactly_one = sum(1 for _, statuses, _ in outcomes if statuses.count(302) == 1)
    problems = [problem for _, _, problem in outcomes if problem]
    errors = sum(1 for _, statuses, _ in outcomes for s in statuses if s >= 500)
    receipts = VoterReceipt.objects.filter(session_id=session_pk)
    per_voter = set(receipts.values("user").annotate(n=Count("pk")).values_list("n", flat=True))
    p99 = times[max(0, int(len(times) * 0.99) - 1)]
    print(f"voters: {args.voters}, zhibu serve --threads {args.threads}, PostgreSQL")
    print(f"vote phase (all at once, each submitting twice): wall {wall:.1f} s; per voter p50 {statistics.median(times):.2f} s, "
          f"p99 {p99:.2f} s, max {times[-1]:.2f} s")
    print(f"submissions accepted: {accepted} (voters with exactly one accepted: {exactly_one}), 5xx: {errors}, "
          f"other problems: {len(problems)} {problems[:3]}")
    print(f"ballots stored: {Ballot.objects.filter(session_id=session_pk).count()}, receipts: {receipts.count()}, "
          f"ballots per voter: {sorted(per_voter)}")
    ok = wall <= 60 and errors == 0 and not problems and receipts.count() == args.voters and per_voter == {1}
    print("OK: every member voted once within one minute" if ok else "NOT OK")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
