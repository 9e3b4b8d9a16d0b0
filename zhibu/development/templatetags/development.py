from datetime import date

from django import template

from zhibu.development.birthdays import branch_members, this_and_next_month
from zhibu.orgs import access

register = template.Library()


@register.inclusion_tag("development/_branch_card.html", takes_context=True)
def branch_extras(context, org):
    """On a branch's page, for those who manage it: this and next month's political birthdays, and links to dues and development."""
    request = context.get("request")
    if request is None or not org.is_branch or not access.can_manage(request.user, org):
        return {"show": False}
    return {"show": True, "org": org, "months": this_and_next_month(branch_members(org), date.today())}
