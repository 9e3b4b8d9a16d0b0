"""Demo step: last year's 民主评议党员 of the first branch, finished. The 民主测评 took the votes of the members
with a (demo, password-less) login on the site and the rest on paper, entered as tallies; the 组织评定 was
held on the day of the branch's 民主评议党员 record of that December, which it links to."""

from __future__ import annotations

import random
from datetime import date

from zhibu.appraisal import services
from zhibu.appraisal.rules import GRADES
from zhibu.orgs import access
from zhibu.orgs.models import Organisation
from zhibu.records.models import Activity

WEIGHTS = (3, 10, 1, 0)  # 优秀 / 合格 / 基本合格 / 不合格 on a ballot


def build_appraisal(rng: random.Random, today: date, orgs: dict[str, Organisation]) -> None:
    from zhibu.demo.build import BRANCHES

    branch = orgs[BRANCHES[0].name]
    year = today.year - 1
    appraisal = services.create(access.SYSTEM, branch, year)
    participants = list(appraisal.participants.all())
    for participant in participants:
        participant.statement = f"{year}年，我认真学习党的创新理论，按时参加组织生活、交纳党费，完成本职工作；不足是理论联系实际还不够。"
        participant.save(update_fields=["statement"])
    services.open_voting(appraisal)
    from zhibu.ballots.models import Elector

    voters = [e.user for e in Elector.objects.filter(poll=appraisal.poll).select_related("user__person")]
    for user in voters:
        choices = {p.pk: rng.choices(GRADES, weights=WEIGHTS)[0] for p in services.ballot_items(appraisal, user)}
        services.cast(user, appraisal, choices, confirm_over=True)
    graded = [p for p in participants if p.graded]
    paper = len(graded) - len(voters) - 1  # one member away on the day
    tallies = {}
    for participant in graded:
        counts = dict.fromkeys(GRADES, 0)
        for _ in range(paper):
            counts[rng.choices(GRADES, weights=WEIGHTS)[0]] += 1
        tallies[participant.pk] = counts
    services.enter_paper_ballots(access.SYSTEM, appraisal, paper, tallies)
    services.close_voting(appraisal)
    ranked = sorted(services.tallies(appraisal) or [], key=lambda t: (-t.counts["优秀"], t.participant.name))
    limit = services.limit_for(appraisal)
    record = Activity.objects.filter(org=branch, type=services.appraisal_activity_type(), date__year=year).order_by("date").first()
    held_on = record.date if record else date(year, 12, 20)
    decisions = {}
    for position, tally in enumerate(ranked):
        grade = "优秀" if position < limit - 2 else "基本合格" if position == len(ranked) - 1 else "合格"
        decisions[tally.participant.pk] = (grade, "", None)
    services.evaluate(access.SYSTEM, appraisal, decisions, held_on, today=today)
