"""{% load evidence %}{% evidence_url piece org year %}: the address of the records behind a filled figure.

A figure of a few records carries their ids; a committee's figure may rest on ten thousand, which no address can
carry (proxies refuse URLs of more than a few kilobytes), so it names its metric and the page counts it again.
"""

from urllib.parse import urlencode

from django import template
from django.urls import reverse

register = template.Library()

IDS_IN_ADDRESS = 200


@register.simple_tag
def evidence_url(piece, org, year) -> str:
    if len(piece.evidence) <= IDS_IN_ADDRESS or not piece.metric:
        query = {"ids": ",".join(map(str, piece.evidence))}
    else:
        query = {"org": org.pk, "year": year, "metric": piece.metric}
    query["label"] = piece.placeholder.context
    return f"{reverse('report_evidence')}?{urlencode(query, safe=',')}"
