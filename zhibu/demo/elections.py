"""Demo step: the first branch's committee term ends within months, so its 换届选举 is under way: the 请示 sent,
the candidates approved, the 党员大会 held today with the first round of voting open — the member login dy1
can vote on a phone, and the secretary enters the paper ballots and closes the round."""

from __future__ import annotations

import random
from datetime import date, timedelta

from zhibu.elections import services
from zhibu.orgs import access
from zhibu.orgs.models import Category, Organisation, Person, Post


def build_election(rng: random.Random, today: date, orgs: dict[str, Organisation]) -> None:
    """Runs after the demo logins exist: the electorate is frozen when voting opens."""
    from zhibu.demo.build import BRANCHES

    branch = orgs[BRANCHES[0].name]
    election = services.create(access.SYSTEM, branch, 5)
    committee = list(Person.objects.filter(branch=branch, posts__post__in=[Post.SECRETARY, Post.DEPUTY_SECRETARY, Post.ORGANISATION,
                                                                           Post.PUBLICITY, Post.DISCIPLINE]).distinct().order_by("id"))
    others = list(Person.objects.filter(branch=branch, category=Category.FULL, posts__isnull=True).order_by("id")[:3])
    for person in [*committee[:5], *others][:7]:
        services.add_candidate(election, person)
    services.record_request(election, today - timedelta(days=30), today=today)
    services.approve_candidates(election, today - timedelta(days=16), "青统机党〔%d〕%d号" % (today.year, rng.randrange(10, 40)), today=today)
    full = services.voters_now(branch).count()
    services.open_meeting(election, today, full - 2, today=today)
