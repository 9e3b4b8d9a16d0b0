from datetime import date

from django.shortcuts import redirect, render

from zhibu.orgs import access
from zhibu.orgs.models import Organisation
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
    """A member's own corner: their record, sign-in, attendance, dues, points, list items and votes."""
    person = access.own_person(request.user)
    if person is None:
        access.not_found()
    year = date.today().year
    hours = member_hours([person.pk], year)[person.pk]
    return render(request, "web/mine.html", {
        "person": person, "votes": open_votes_for_voter(request.user),
        "study_hours": hours, "required_hours": REQUIRED_HOURS,
    })


def not_found(request, exception=None):
    """Our 404 page: for a manager of a fresh installation, the next step instead of a dead end."""
    user = getattr(request, "user", None)
    fresh_install = bool(user and user.is_authenticated and access.is_manager(user) and not access.managed_orgs(user).exists())
    return render(request, "404.html", {"fresh_install": fresh_install, "no_orgs_at_all": fresh_install and not Organisation.objects.exists()},  # access: only whether any exists
                  status=404)


def bad_request(request, exception=None):
    """Our 400 page (e.g. a form body over DATA_UPLOAD_MAX_MEMORY_SIZE): what was wrong, in Chinese."""
    return render(request, "400.html", status=400)
