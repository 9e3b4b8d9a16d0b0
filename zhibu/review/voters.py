"""Who votes in a committee's review: its full members with a login, and its administrators.

党章 art. 7 gives 预备党员 no vote, so only 正式党员 of the committee's subtree count; a 党委管理员 of the
committee (or of one above it) votes whether or not the login belongs to a person. The rule is written
twice, once from the session's side (`eligible_voters`) and once from the login's (`sessions_for_voter`);
tests hold the two to the same answer. Both describe who would vote if voting opened now: once it opens,
the electorate is frozen in the session's poll (zhibu.ballots) and `sessions_for_voter` reads it there.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from zhibu.orgs import access
from zhibu.orgs.models import Category, Grant, Organisation, Role
from zhibu.review.models import ReviewSession, Status


def _path_and_ancestors(org: Organisation) -> list[str]:
    step = Organisation.steplen
    return [org.path[:end] for end in range(step, len(org.path) + 1, step)]


def eligible_voters(committee: Organisation) -> QuerySet:
    members = Q(person__category=Category.FULL, person__branch__path__startswith=committee.path)
    admins = Q(grants__role=Role.COMMITTEE_ADMIN, grants__org__path__in=_path_and_ancestors(committee))
    return get_user_model().objects.filter(is_active=True).filter(members | admins).distinct()


def sessions_for_voter(user) -> QuerySet[ReviewSession]:
    """Every session (any status) whose electorate includes this login: the frozen list once voting has
    opened, the rule before."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False) or user is access.SYSTEM:
        return ReviewSession.objects.none()
    condition = Q(pk__in=[])
    person = access.own_person(user)
    if person and person.category == Category.FULL:
        condition |= Q(committee__path__in=_path_and_ancestors(person.branch))
    for grant in Grant.objects.filter(user=user, role=Role.COMMITTEE_ADMIN).select_related("org"):
        condition |= Q(committee__path__startswith=grant.org.path)
    frozen = Q(poll__electors__user=user, poll__electors__active=True)
    return ReviewSession.objects.filter((Q(status=Status.PREPARING) & condition) | (~Q(status=Status.PREPARING) & frozen)).distinct()
