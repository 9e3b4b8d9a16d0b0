"""{% load choices %}{% org_options org_choices selected %}: the <option>s of an organisation picker.

A committee's picker lists a thousand branches (and their groups on the member list); the template engine
rendered them one node at a time (about a second a page), so they are joined here in one pass. Groups are
indented under their branch.
"""

from django import template
from django.utils.html import format_html, format_html_join

from zhibu.orgs.models import OrgKind

register = template.Library()


@register.simple_tag
def org_options(orgs, selected=None) -> str:
    chosen = str(getattr(selected, "pk", selected) or "")
    loaded = not hasattr(orgs, "values_list") or getattr(orgs, "_result_cache", None) is not None  # `{% if %}` loads it
    rows = [(o.pk, o.name, o.kind) for o in orgs] if loaded else orgs.values_list("pk", "name", "kind")
    return format_html_join(
        "", "{}", ((format_html('<option value="{}"{}>{}{}</option>', pk, " selected" if str(pk) == chosen else "",
                                "　" if kind == OrgKind.GROUP else "", name),) for pk, name, kind in rows),
    )
