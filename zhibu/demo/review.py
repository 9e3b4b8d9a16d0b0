"""Demo step: last year's review of the five branch secretaries, finished, with twenty members' ballots.

Held in January for the year before, as is usual. The voters are members without a demo login: each gets a
login that cannot sign in (no password), because a ballot is only taken from a login — the same path as a
real vote (`services.cast_ballot`). The branches with deliberate gaps in their records get weaker grades,
so the ranking and the standardisation score point the same way, and comments are left for the organiser
to turn into this year's 问题清单.
"""

from __future__ import annotations

import random
from datetime import date

from django.contrib.auth import get_user_model

from zhibu.orgs import access
from zhibu.orgs.models import Category, Organisation, Person
from zhibu.review import services
from zhibu.review.models import ReviewSession
from zhibu.review.scoring import GRADES

VOTERS = 20
# Chance of 好 / 较好 / 一般 / 差 per branch, by how the branch did in the demo records.
PROFILES = {
    "机关第一党支部": (6, 3, 1, 0),
    "机关第二党支部": (3, 4, 2, 1),
    "统计执法监督党支部": (2, 4, 3, 1),
    "数据管理中心党支部": (5, 4, 1, 0),
    "离退休干部党支部": (3, 5, 2, 0),
}
COMMENTS = {
    "机关第一党支部": ("党建与统计业务结合还不够紧密，特色品牌不突出", "青年党员教育培养的办法不多"),
    "机关第二党支部": ("支委会召开不够经常，有的月份没有开", "“三会一课”记录要素不全"),
    "统计执法监督党支部": ("书记讲党课次数偏少，内容联系执法实际不够", "党小组作用发挥不明显"),
    "数据管理中心党支部": ("党员人数少，组织生活形式比较单一",),
    "离退休干部党支部": ("组织生活会没有按时召开", "对行动不便的老党员上门服务还可以更多"),
}


def demo_voters(committee: Organisation, exclude: Person | None) -> list:
    """Full members without a post (secretaries and the member login get demo logins of their own later)."""
    User = get_user_model()
    people = (
        Person.objects.filter(branch__path__startswith=committee.path, category=Category.FULL,
                              posts__isnull=True, user__isnull=True)
        .exclude(pk=exclude.pk if exclude else None).order_by("branch__path", "id")
    )
    voters = []
    for number, person in enumerate(people[:VOTERS], start=1):
        user = User(username=f"pingyi{number:02d}")
        user.set_unusable_password()
        user.save()
        person.user = user
        person.save(update_fields=["user"])
        voters.append(user)
    return voters


def build_review(rng: random.Random, today: date, orgs: dict[str, Organisation]) -> None:
    from zhibu.demo.build import COMMITTEE_NAME, demo_member

    year = today.year - 1
    held_on = min(date(today.year, 1, 20), today)
    committee = orgs[COMMITTEE_NAME]
    session = ReviewSession.objects.create(committee=committee, year=year, title=f"{year}年度党支部书记抓基层党建工作述职评议")
    voters = demo_voters(committee, demo_member(orgs))  # before opening: the electorate is fixed then
    services.open_voting(session, today=held_on)
    reportees = list(session.reportees.select_related("branch"))
    # Each comment is written once, by a voter drawn for it.
    writers = {r.pk: dict(zip(rng.sample(range(len(voters)), k=len(COMMENTS[r.branch.name])), COMMENTS[r.branch.name]))
               for r in reportees}
    for number, user in enumerate(voters):
        choices = {
            r.pk: (rng.choices(GRADES, weights=PROFILES[r.branch.name])[0], writers[r.pk].get(number, "")) for r in reportees
        }
        services.cast_ballot(user, session, choices)
    services.close_voting(access.SYSTEM, session, today=held_on)
