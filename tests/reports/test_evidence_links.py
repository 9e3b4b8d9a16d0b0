"""A figure's link to its records: ids in the address for a few, the metric for many (no address holds 10,000 ids)."""

from datetime import date
from types import SimpleNamespace
from urllib.parse import parse_qs, urlparse

from django.urls import reverse

from tests.records.conftest import make_record
from zhibu.reports.templatetags.evidence import IDS_IN_ADDRESS, evidence_url


def _piece(evidence, metric="count:党课"):
    return SimpleNamespace(evidence=evidence, metric=metric, placeholder=SimpleNamespace(context="开展党课*次"))


def test_a_few_records_are_named_by_id(tree):
    query = parse_qs(urlparse(evidence_url(_piece([3, 5]), tree.orgs.a, 2025)).query)
    assert query["ids"] == ["3,5"] and "metric" not in query


def test_many_records_are_counted_again_by_the_evidence_page(client, tree):
    records = [make_record(tree.orgs.a, "党课", date(2025, 1 + n % 12, 1 + n % 28)) for n in range(IDS_IN_ADDRESS + 5)]
    make_record(tree.orgs.c, "党课", date(2025, 3, 3))  # another committee's: never shown
    url = evidence_url(_piece([r.pk for r in records]), tree.orgs.committee, 2025)
    query = parse_qs(urlparse(url).query)
    assert "ids" not in query and query["metric"] == ["count:党课"] and len(url) < 300
    client.force_login(tree.users.organiser)
    page = client.get(url)
    assert page.status_code == 200
    assert page.content.decode().count('href="/records/') >= len(records)
    assert page.context["records"].count() == len(records)


def test_a_metric_link_for_an_organisation_outside_the_login_reveals_nothing(client, tree):
    make_record(tree.orgs.c, "党课", date(2025, 3, 3))
    client.force_login(tree.users.organiser)
    url = reverse("report_evidence") + f"?org={tree.orgs.other_root.pk}&year=2025&metric=count:党课"
    assert client.get(url).status_code == 404
    client.force_login(tree.users.secretary_a)
    url = reverse("report_evidence") + f"?org={tree.orgs.committee.pk}&year=2025&metric=count:党课"
    assert client.get(url).status_code == 404
