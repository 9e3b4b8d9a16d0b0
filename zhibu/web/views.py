from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect

from zhibu.orgs import access


@login_required
def home(request):
    """Managers start at the organisation tree; members at their own page."""
    if access.is_manager(request.user):
        return redirect("org_tree")
    person = access.own_person(request.user)
    if person:
        return redirect("person_detail", pk=person.pk)
    return redirect("org_tree")
