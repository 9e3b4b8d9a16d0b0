"""Demo step: a few manual point adjustments per branch (articles, tasks) and one 一票否决 last year."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from zhibu.orgs.models import MEMBER_CATEGORIES, Organisation, OrgKind, Person
from zhibu.points.models import PointAdjustment, PointVeto

ADJUSTMENTS = (
    (Decimal("3"), "在市级党建刊物发表文章"),
    (Decimal("2"), "参加“七一”知识竞赛获奖"),
    (Decimal("1"), "主动认领社区志愿服务岗位"),
    (Decimal("-3"), "支部交办的学习心得未按时完成"),
    (Decimal("-2"), "党费经两次提醒后才交纳"),
)


def _day(rng: random.Random, year: int, today: date) -> date:
    last_month = today.month if year == today.year else 12
    month = rng.randrange(1, last_month + 1)
    day = rng.randrange(1, 29)
    return min(date(year, month, day), today)


def build_points(rng: random.Random, today: date, orgs: dict[str, Organisation]) -> None:
    from zhibu.demo.build import demo_member  # the demo's builder imports this step

    member = demo_member(orgs)
    branches = sorted((org for org in orgs.values() if org.kind == OrgKind.BRANCH), key=lambda org: org.path)
    for year in (today.year - 1, today.year):
        for branch in branches:
            people = list(Person.objects.filter(branch=branch, category__in=MEMBER_CATEGORIES).order_by("pk"))
            for person in rng.sample(people, k=min(len(people), 4)):
                points, reason = rng.choice(ADJUSTMENTS)
                PointAdjustment.objects.create(person=person, date=_day(rng, year, today), points=points, reason=reason)
        # The member login always has one line of each kind to look at on the phone.
        PointAdjustment.objects.create(person=member, date=_day(rng, year, today), points=ADJUSTMENTS[0][0], reason=ADJUSTMENTS[0][1])
    vetoed = Person.objects.filter(branch=branches[-1], category__in=MEMBER_CATEGORIES).order_by("-pk").first()
    PointVeto.objects.create(person=vetoed, year=today.year - 1, date=date(today.year - 1, 11, 20),
                             reason="受到党内警告处分（示例）")
