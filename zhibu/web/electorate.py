"""Striking an elector off a vote's frozen list, or putting one back, from the vote's page.

The poll belongs to a 述职评议, a 民主评议党员 or a round of a 换届选举; the login must manage that vote's
organisation (decided by access.py, 404 otherwise). The change and its reason go to the electorate's history.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from zhibu.ballots import services as ballots
from zhibu.ballots.models import Elector, Poll
from zhibu.orgs import access


def _owner_page(request: HttpRequest, poll: Poll) -> str:
    """The vote's page, if this login manages the vote; 404 otherwise."""
    from zhibu.appraisal.models import Appraisal
    from zhibu.elections.models import Round
    from zhibu.review.models import ReviewSession

    session = ReviewSession.objects.filter(poll=poll).select_related("committee").first()
    if session and access.can_manage(request.user, session.committee):
        return f"/review/{session.pk}/"
    appraisal = Appraisal.objects.filter(poll=poll).select_related("branch").first()
    if appraisal and access.can_manage(request.user, appraisal.branch):
        return f"/appraisal/{appraisal.pk}/"
    round_ = Round.objects.filter(poll=poll).select_related("election__branch").first()
    if round_ and access.can_manage(request.user, round_.election.branch):
        return f"/elections/{round_.election_id}/"
    access.not_found()


@require_POST
def change_elector(request: HttpRequest, poll: int) -> HttpResponse:
    poll = access.get_or_404(Poll.objects.all(), pk=poll)
    page = _owner_page(request, poll)
    elector = access.get_or_404(Elector.objects.filter(poll=poll), pk=request.POST.get("elector") if str(request.POST.get("elector", "")).isdigit() else None)
    active = request.POST.get("active") == "1"
    try:
        ballots.change_elector(request.user, poll, elector.user, active=active, reason=request.POST.get("reason", ""))
    except ballots.BallotError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"已{'恢复' if active else '删除'}投票人{elector.name}，变更记入投票人名单的历史")
    return redirect(page)
