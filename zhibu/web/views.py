from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from zhibu.orgs import access
from zhibu.web.workbench import workbench


@login_required
def home(request):
    """Managers start at their workbench (what needs doing now); members at their own page."""
    if access.is_manager(request.user):
        bench = workbench(request.user)
        if bench is not None:
            return render(request, "web/home.html", {"bench": bench})
        return redirect("org_tree")
    person = access.own_person(request.user)
    if person:
        return redirect("person_detail", pk=person.pk)
    return redirect("org_tree")
