"""Committee pages and commands make the same number of queries for 3 branches as for 30."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.scale.conftest import YEAR, add_branches
from zhibu.compliance.facts import check
from zhibu.exchange.workbook import export_workbook
from zhibu.orgs import access

PAGES = [
    ("home", ""),
    ("compliance_dashboard", f"?year={YEAR}"),
    ("report_builder", f"?year={YEAR}"),
    ("dues_home", f"?year={YEAR}"),
    ("person_list", ""),
    ("activity_list", ""),
]


def _queries(action) -> int:
    with CaptureQueriesContext(connection) as captured:
        action()
    return len(captured.captured_queries)


@pytest.fixture
def grown(tree):
    """(counts with 3 branches, counts with 30) for every page and command."""
    committee = tree.orgs.committee

    def measure(client) -> dict[str, int]:
        counts = {}
        # The first view after branches changed judges them (compliance/judgements.py); a fixed number of queries too.
        counts["dashboard, first view after a change"] = _queries(lambda: client.get(reverse("compliance_dashboard") + f"?year={YEAR}"))
        for name, query in PAGES:
            url = reverse(name) + query + (f"&org={committee.pk}" if name == "report_builder" else "")
            # The page's first view fills what later views reuse (stored judgements of other years and roots).
            assert client.get(url).status_code == 200, url
            counts[name] = _queries(lambda: client.get(url))
        counts["check"] = _queries(lambda: check(access.SYSTEM, committee, YEAR))
        orgs = access.visible_orgs(access.SYSTEM).subtree_of(committee)
        counts["export"] = _queries(lambda: export_workbook(access.SYSTEM, orgs))
        counts["zhibu check"] = _queries(lambda: call_command("compliance", "--org", committee.name, "--year", str(YEAR),
                                                              stdout=io.StringIO()))
        return counts

    from django.test import Client

    client = Client()
    client.force_login(tree.users.organiser)
    add_branches(committee, 1)
    client.get(reverse("activity_list"))  # the session and content types, loaded on a login's first request
    few = measure(client)
    add_branches(committee, 27, first=1)
    many = measure(client)
    return few, many


def test_committee_pages_and_commands_do_not_grow_with_the_branches(grown):
    few, many = grown
    assert many == few
