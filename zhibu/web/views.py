from dataclasses import dataclass
from datetime import date

from django.shortcuts import redirect, render
from django.urls import reverse

from zhibu.orgs import access
from zhibu.orgs.models import MEMBER_CATEGORIES, Organisation
from zhibu.web.votes import open_votes_for_voter
from zhibu.records.hours import REQUIRED_HOURS, member_hours
from zhibu.web.workbench import workbench


def home(request):
    """Managers start at their workbench (what needs doing now); members at their own corner."""
    if access.is_manager(request.user):
        bench = workbench(request.user)
        if bench is not None:
            return render(request, "web/home.html", {"bench": bench})
        return redirect("org_tree")
    person = access.own_person(request.user)
    if person:
        return redirect("mine")
    return redirect("org_tree")


def mine(request):
    """A member's own corner: what is open for them now (a sign-in, a vote, unpaid dues, an overdue item they own),
    then their record, sign-in, attendance, dues, points, list items and votes."""
    person = access.own_person(request.user)
    if person is None:
        access.not_found()
    today = date.today()
    hours = member_hours([person.pk], today.year)[person.pk]
    votes = open_votes_for_voter(request.user)
    return render(request, "web/mine.html", {
        "person": person, "votes": votes,
        "study_hours": hours, "required_hours": REQUIRED_HOURS,
        "open_now": open_for_member(person, today, votes),
    })


@dataclass
class OpenNow:
    kind: str
    text: str
    url: str
    action: str


def open_for_member(person, today: date, votes) -> list[OpenNow]:
    """What asks for the member now, most urgent first: a sign-in running, a vote not cast, dues owed, items overdue."""
    from django.utils import timezone

    from zhibu.dues.accounts import person_years
    from zhibu.lists.models import ListItem
    from zhibu.records import signin
    from zhibu.records.models import SignInWindow

    now = timezone.now()
    found: list[OpenNow] = []
    windows = SignInWindow.objects.filter(ended_at__isnull=True, opens_at__lte=now, closes_at__gte=now).select_related(
        "activity__type", "activity__org")
    for window in windows.filter(activity__org__path__in=_ancestor_paths(person)):
        activity = window.activity
        row = activity.attendance.filter(person=person).first()
        if row and row.signed_in_at:
            continue
        if person.pk in {due.pk for due in signin.due_people(activity)}:
            found.append(OpenNow("签到", f"{activity.type.name}{'：' + activity.subject if activity.subject else ''}正在签到",
                                 reverse("sign_in"), "去签到"))
    for vote in votes:
        if not vote.voted:
            found.append(OpenNow("投票", f"{vote.kind}：{vote.title}", vote.url, "去投票"))
    if person.category in MEMBER_CATEGORIES:
        years = person_years([person], today.year, today)
        dues = years[0] if years else None
        if dues is not None and not dues.problem and dues.owed_total > 0:
            found.append(OpenNow("党费", f"本年还有 {dues.owed_total} 元党费未缴", reverse("dues_mine"), "查看"))
    overdue = ListItem.objects.filter(owner=person).overdue(today).select_related("org")
    for item in overdue[:5]:
        found.append(OpenNow("清单", f"{item.kind}“{item.content[:30]}”已过时限（{item.deadline:%Y-%m-%d}）",
                             reverse("my_items"), "查看"))
    return found


def _ancestor_paths(person) -> list[str]:
    """The paths of the person's branch, its group and everything above: where a meeting they are due at may be."""
    steplen = Organisation.steplen
    paths = set()
    for org in filter(None, (person.branch, person.group)):
        paths.update(org.path[:end] for end in range(steplen, len(org.path) + 1, steplen))
    return sorted(paths)


def not_found(request, exception=None):
    """Our 404 page: for a manager of a fresh installation, the next step instead of a dead end."""
    user = getattr(request, "user", None)
    fresh_install = bool(user and user.is_authenticated and access.is_manager(user) and not access.managed_orgs(user).exists())
    return render(request, "404.html", {"fresh_install": fresh_install, "no_orgs_at_all": fresh_install and not Organisation.objects.exists()},  # access: only whether any exists
                  status=404)


def bad_request(request, exception=None):
    """Our 400 page (e.g. a form body over DATA_UPLOAD_MAX_MEMORY_SIZE): what was wrong, in Chinese."""
    return render(request, "400.html", status=400)
