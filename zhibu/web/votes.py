"""The votes open now, gathered from the three kinds (述职评议, 民主评议党员, 换届选举) for 我的 and the 工作台."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from zhibu.appraisal.models import Appraisal
from zhibu.appraisal.models import Status as AppraisalStatus
from zhibu.ballots import services as ballots
from zhibu.elections.models import Election
from zhibu.elections.models import Status as ElectionStatus
from zhibu.elections.views import votable as votable_elections
from zhibu.orgs import access
from zhibu.review.models import ReviewSession
from zhibu.review.models import Status as ReviewStatus
from zhibu.review.voters import sessions_for_voter


@dataclass
class OpenVote:
    kind: str
    title: str
    url: str
    voted: bool = False
    turnout: str = ""


def open_votes_for_voter(user) -> list[OpenVote]:
    votes = []
    for session in sessions_for_voter(user).filter(status=ReviewStatus.VOTING).select_related("poll"):
        votes.append(OpenVote("述职评议", session.title, reverse("review_ballot", args=[session.pk]), ballots.has_voted(session.poll, user)))
    for appraisal in Appraisal.objects.filter(status=AppraisalStatus.VOTING, poll__electors__user=user,
                                              poll__electors__active=True).select_related("branch", "poll"):
        votes.append(OpenVote("民主评议党员", str(appraisal), reverse("appraisal_ballot", args=[appraisal.pk]), ballots.has_voted(appraisal.poll, user)))
    for election in votable_elections(user):
        votes.append(OpenVote("换届选举", str(election), reverse("election_ballot", args=[election.pk]),
                              ballots.has_voted(election.current_round().poll, user)))
    return votes


def open_votes_managed(user) -> list[OpenVote]:
    votes = []
    sessions = access.scope_to_orgs(user, ReviewSession.objects.filter(status=ReviewStatus.VOTING), "committee", manage=True)
    for session in sessions.select_related("poll"):
        votes.append(OpenVote("述职评议", session.title, reverse("review_detail", args=[session.pk]), turnout=ballots.turnout_text(session.poll)))
    appraisals = access.scope_to_orgs(user, Appraisal.objects.exclude(status=AppraisalStatus.DONE), "branch", manage=True)
    for appraisal in appraisals.select_related("branch", "poll"):
        votes.append(OpenVote("民主评议党员", f"{appraisal}（{appraisal.get_status_display()}）", reverse("appraisal_detail", args=[appraisal.pk]),
                              turnout=ballots.turnout_text(appraisal.poll) if appraisal.status == AppraisalStatus.VOTING else ""))
    elections = access.scope_to_orgs(user, Election.objects.exclude(status=ElectionStatus.DONE), "branch", manage=True)
    for election in elections.select_related("branch"):
        round_ = election.current_round() if election.status == ElectionStatus.VOTING else None
        votes.append(OpenVote("换届选举", f"{election}（{election.get_status_display()}）", reverse("election_detail", args=[election.pk]),
                              turnout=f"第{round_.number}轮，{ballots.turnout_text(round_.poll)}" if round_ else ""))
    return votes
