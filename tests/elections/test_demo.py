"""The demo holds one appraisal finished last year and one election under way that dy1 can vote in."""

from datetime import date

from django.contrib.auth import get_user_model

from zhibu.appraisal.models import Appraisal
from zhibu.appraisal.models import Status as AppraisalStatus
from zhibu.ballots import services as ballots
from zhibu.demo.build import build_demo
from zhibu.elections.models import Election
from zhibu.elections.models import Status as ElectionStatus
from zhibu.web.votes import open_votes_for_voter, open_votes_managed

TODAY = date(2026, 11, 25)


def test_the_demo_votes(db):
    build_demo(today=TODAY)
    appraisal = Appraisal.objects.get()
    assert (appraisal.year, appraisal.status) == (2025, AppraisalStatus.DONE)
    assert appraisal.activity is not None and appraisal.activity.date == appraisal.evaluated_on
    graded = appraisal.participants.filter(graded=True)
    assert graded.filter(grade="优秀").count() <= graded.count() // 3
    assert not appraisal.participants.filter(graded=False).exclude(grade="不评定").exists()
    election = Election.objects.get()
    assert election.status == ElectionStatus.VOTING and election.candidates.count() >= 6
    User = get_user_model()
    member = User.objects.get(username="dy1")
    assert ballots.is_elector(election.current_round().poll, member)
    assert [vote.kind for vote in open_votes_for_voter(member)] == ["换届选举"]
    secretary = User.objects.get(username="zb1")
    assert {vote.kind for vote in open_votes_managed(secretary)} == {"换届选举"}
