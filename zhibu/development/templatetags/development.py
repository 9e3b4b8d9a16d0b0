from datetime import date

from django import template

from zhibu.development.birthdays import birthday_type_id, branch_members, last_birthday_record, this_and_next_month
from zhibu.orgs import access

register = template.Library()


@register.inclusion_tag("development/_branch_card.html", takes_context=True)
def branch_extras(context, org):
    """On a branch's page, for those who manage it: this and next month's political birthdays, and links to dues and development."""
    request = context.get("request")
    if request is None or not org.is_branch or not access.can_manage(request.user, org):
        return {"show": False}
    return {"show": True, "org": org, "branch": org, "months": this_and_next_month(branch_members(org), date.today()),
            "birthday_type": birthday_type_id()}


@register.inclusion_tag("development/_last_birthday.html", takes_context=True)
def last_political_birthday(context, person):
    """On a person's page: the last 政治生日 record that honoured them; a link for those who manage that record."""
    request = context.get("request")
    record = last_birthday_record(person, date.today()) if person.admitted_on else None
    can_open = bool(record and request and access.can_manage(request.user, record.org))
    return {"person": person, "record": record, "can_open": can_open}
