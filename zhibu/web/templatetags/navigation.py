"""{% load navigation %}{% navlink "activity_list" "工作记录" %}: a menu link, marked as the current page's section.

A link is current when the page's path starts with its address or with one of the extra `prefixes` (comma
separated), so every page of a section (an edit form, a detail page) keeps its menu item lit.
"""

from django import template
from django.urls import reverse
from django.utils.html import format_html

register = template.Library()


@register.simple_tag(takes_context=True)
def navlink(context, name: str, label: str, prefixes: str = "") -> str:
    url = reverse(name)
    path = getattr(context.get("request"), "path", "")
    starts = [url] + [prefix for prefix in prefixes.split(",") if prefix]
    if url == "/" or not any(path.startswith(start) for start in starts):
        return format_html('<a href="{}">{}</a>', url, label)
    return format_html('<a href="{}" class="current" aria-current="page">{}</a>', url, label)
