"""No 500 for bad input: every URL pattern, with hostile path values, query parameters and form fields, as several
roles. Generated from the URL resolver, so a new page is fuzzed without anyone remembering to add it."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.conftest import make_tree

HUGE = "9" * 30
PATH_VALUES = ["0", "1", "2147483648", "9223372036854775808", HUGE]
HOSTILE = ["abc", "0", "-1", HUGE, "x\x00y", "长" * 300, "1,2,abc", "2025-13-45", " ", "１２３"]
PARAMS = ["org", "year", "type", "q", "parent", "page", "month", "kind", "code", "branch", "tag", "status", "person",
          "people", "order", "months", "ids", "grade", "format", "category", "label", "activity", "step", "threshold",
          "lecturer", "post", "overdue", "minimum", "min_rate", "cadre", "per_group", "needs_committee"]
FORM_FIELDS = PARAMS + ["name", "username", "password", "date", "subject", "id_number", "phone", "amount", "paid_on",
                        "start_time", "place", "title", "text", "reason", "note", "base", "points", "score", "comment",
                        "birth_date", "admitted_on", "full_on", "applied_on", "gender", "email", "role", "file", "values"]
HOSTILE_SHORT = ["abc", "0", HUGE, "x\x00y", "长" * 300]


def _patterns(resolvers=None, prefix=""):
    """Every URL pattern as a (regex-ish route, converter names) pair."""
    for entry in (resolvers or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, route)
        elif isinstance(entry, URLPattern):
            yield route


def _fill(route: str, value: str) -> str | None:
    """The route with every converter replaced by `value` (as far as the converter accepts it)."""
    route = route.lstrip("^").rstrip("$").replace("\\Z", "")
    if "(?P<" in route or "(" in route:  # django-ninja's regex routes: the API has its own validation test
        return None
    filled = re.sub(r"<(?:(\w+):)?\w+>", lambda m: value if (m.group(1) in (None, "int") and value.isdigit()) or
                    m.group(1) in (None, "str", "slug", "path") else "1", route)
    return "/" + filled


def _urls(values=PATH_VALUES):
    urls = set()
    for route in _patterns():
        for value in values:
            url = _fill(route, value)
            if url:
                urls.add(url)
    return sorted(urls)


def _collect(client, requests, user):
    client.raise_request_exception = False
    failures = []
    for method, url, data in requests:
        if url == "/logout/":
            continue  # would end the login the rest is fuzzed with
        client.force_login(user)
        response = getattr(client, method)(url, data) if data is not None else getattr(client, method)(url)
        if response.status_code >= 500:
            failures.append(f"{method.upper()} {url} {data if data else ''}"[:200])
    return failures


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["organiser", "secretary_a", "member_a"])
def test_no_500_for_hostile_path_values(client, role):
    tree = make_tree()
    client.force_login(getattr(tree.users, role))
    failures = _collect(client, [("get", url, None) for url in _urls()], getattr(tree.users, role))
    assert not failures, f"{len(failures)} answers of 500:\n" + "\n".join(failures[:60])


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["admin", "organiser", "secretary_a", "member_a"])
def test_no_500_for_hostile_parameters_and_fields(client, role):
    tree = make_tree()
    client.force_login(getattr(tree.users, role))
    # Real ids, so the pages get past their 404 and read their parameters.
    urls = sorted(set(_urls([str(tree.orgs.a.pk)]) + _urls([str(tree.people.a_member.pk)])))
    requests = []
    for url in urls:
        for value in HOSTILE_SHORT:
            requests.append(("get", url, {name: value for name in PARAMS}))
            requests.append(("post", url, {name: value for name in FORM_FIELDS}))
    failures = _collect(client, requests, getattr(tree.users, role))
    assert not failures, f"{len(failures)} answers of 500:\n" + "\n".join(failures[:80])
