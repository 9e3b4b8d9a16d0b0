"""Every route, found from the URL resolver, answers 404 to a login outside the scope of what it names.

Nothing here lists routes: a route added tomorrow is probed the day it is added. The demo unit is the
world being protected; the probing logins (one per role) belong to another committee and see none of it.

- A route with ids: each model's rows get ids from a range of their own, so an id names one row of one
  model. The administrator's answer tells which ids a route accepts (anything but 404); for an id of a
  row that belongs to an organisation, every probing login must get 404, for GET and for POST.
- A route that reads `?org=` (the administrator's page changes with it): every probing login must get
  404 for `?org=` naming an organisation of the demo.
- No answer to a probing login names the demo's committee.
"""

from __future__ import annotations

import itertools
import re
from datetime import date

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import connection, models, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver

from zhibu.demo.build import COMMITTEE_NAME, build_demo
from zhibu.orgs.models import Grant, Organisation, OrgKind, Person, Role
from zhibu.records.ledger_registry import LEDGERS
from zhibu.records.models import Activity, Attachment

TODAY = date(2026, 11, 25)
RANGE = 1_000_000  # model number n numbers its rows from n * RANGE
# Route parameters that are not ids, and the values they take.
NOT_IDS = {"year": [TODAY.year], "identifier": list(LEDGERS)}
PARAMETER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")
VOLATILE = re.compile(r"[A-Za-z0-9]{32,}")  # CSRF tokens and the like


def routes() -> list[str]:
    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern)

    return sorted({"/" + route.lstrip("^").rstrip("$") for route in walk(get_resolver().url_patterns)})


def id_parameters(route: str) -> list[str]:
    return [m["name"] for m in PARAMETER.finditer(route) if m["name"] not in NOT_IDS]


def fill(route: str, values: dict[str, object]) -> str:
    return PARAMETER.sub(lambda m: str(values[m["name"]]), route)


def zhibu_models():
    return [model for model in apps.get_models() if model.__module__.startswith("zhibu.")
            and not model.__name__.startswith("Historical")]


def _disjoint_ids():
    """Start every zhibu table's ids in a range of its own."""
    with connection.cursor() as cursor:
        for number, model in enumerate(zhibu_models(), start=1):
            if model._meta.pk.get_internal_type() not in ("AutoField", "BigAutoField"):
                continue  # keyed by another row (a branch's BranchVersion): no sequence of its own
            table = model._meta.db_table
            if connection.vendor == "sqlite":
                cursor.execute("DELETE FROM sqlite_sequence WHERE name = %s", [table])
                cursor.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, number * RANGE])
            elif connection.vendor == "postgresql":
                cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [f'"{table}"', number * RANGE])


def belongs_to_an_organisation(obj, depth: int = 0) -> bool:
    """Whether following its references reaches an organisation (an activity type or a shared rule does not)."""
    if isinstance(obj, (Organisation, Person)):
        return True
    if depth > 3:
        return False
    for field in obj._meta.concrete_fields:
        if isinstance(field, models.ForeignKey) and field.related_model.__module__.startswith("zhibu."):
            target = getattr(obj, field.name)
            if target is not None and belongs_to_an_organisation(target, depth + 1):
                return True
    return False


@pytest.fixture(scope="module")
def _uploads(tmp_path_factory):
    return tmp_path_factory.mktemp("uploads")


@pytest.fixture(autouse=True)
def _data_dir(_uploads, settings):
    settings.MEDIA_ROOT = _uploads  # the demo's attachments, written once for the module


@pytest.fixture(scope="module")
def world(_uploads, django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic(), override_settings(MEDIA_ROOT=_uploads):
        _disjoint_ids()
        build_demo(today=TODAY)
        demo_orgs = list(Organisation.objects.subtree_of(Organisation.objects.get(name=COMMITTEE_NAME))
                         .order_by("path").values_list("pk", flat=True))
        owned, families = {}, []  # model -> whether its rows belong to an organisation; {model: id} that go together
        for model in zhibu_models():
            rows = list(model.objects.order_by("-pk")[:40])  # the newest: made by the demo
            mine = [row for row in rows if belongs_to_an_organisation(row)]
            owned[model] = bool(mine)
            for row in (mine or rows)[:1]:
                family = {model: row.pk}
                for field in model._meta.concrete_fields:
                    if isinstance(field, models.ForeignKey) and getattr(row, field.attname) is not None:
                        family.setdefault(field.related_model, getattr(row, field.attname))
                families.append(family)
        # A record's attachment, which the demo does not upload.
        activity = Activity.objects.filter(org__in=demo_orgs).order_by("-pk").first()
        attachment = Attachment(activity=activity, original_name="会议照片.jpg", content_type="image/jpeg", size=4)
        attachment.file.save("photo.jpg", ContentFile(b"\xff\xd8\xff\xd9"), save=True)
        families.append({Attachment: attachment.pk, Activity: activity.pk})
        families.sort(key=len)
        sample = {model: family[model] for family in families for model in family if family and next(iter(family)) is model}
        # The probing logins: one per role, in a committee of their own.
        User = get_user_model()
        root = Organisation.objects.create_root(name="外单位党委", kind=OrgKind.PARTY_COMMITTEE)
        branch = Organisation.objects.create_child(root, name="外单位第一党支部", kind=OrgKind.BRANCH)
        logins = {}
        for username, role in (("foreign_admin", Role.COMMITTEE_ADMIN), ("foreign_secretary", Role.SECRETARY),
                               ("foreign_clerk", Role.CLERK)):
            logins[username] = User.objects.create_user(username=username, password="pw-Secret-123")
            Grant.objects.create(user=logins[username], org=root if role == Role.COMMITTEE_ADMIN else branch, role=role)
        logins["foreign_member"] = User.objects.create_user(username="foreign_member", password="pw-Secret-123")
        Person.objects.create(branch=branch, name="外单位党员", category="正式党员", admitted_on=date(2010, 7, 1),
                              user=logins["foreign_member"])
        demo_logins = list(User.objects.exclude(pk__in=[u.pk for u in logins.values()]).order_by("-is_superuser", "pk"))
        yield {"owned": owned, "families": families, "sample": sample, "logins": logins, "controls": demo_logins,
               "orgs": demo_orgs}
        transaction.set_rollback(True)


def answer(user, method: str, url: str):
    """One request, its changes undone, so a probe that deletes or saves leaves the world as it was."""
    client = Client(raise_request_exception=True)
    client.force_login(user)
    with transaction.atomic():
        response = client.get(url) if method == "GET" else client.post(url, {})
        transaction.set_rollback(True)
    return response


def body(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return VOLATILE.sub("", content.decode("utf-8", "replace"))


SENTINEL = 987_654_000  # an id no row has; the first query that looks it up names the parameter's model


def model_looked_up(sql: list[str], value: int):
    """The model whose id a query compares with `value` (its own id or a foreign key to it)."""
    tables = {model._meta.db_table: model for model in zhibu_models()}
    for statement in sql:
        for table, column in re.findall(rf'"(\w+)"\."(\w+)" (?:= |IN \()\(?{value}\b', statement):
            model = tables.get(table)
            if model is None:
                continue
            if column == "id":
                return model
            field = next((f for f in model._meta.concrete_fields if f.column == column), None)
            if isinstance(field, models.ForeignKey):
                return field.related_model
    return None


def probe_urls(world, route: str) -> list[tuple[str, str, object]]:
    """(method, url, model) for the route filled with the demo's ids, the model each id parameter names found
    from the administrator's queries (one parameter at a time, the others held at ids that go together)."""
    admin = world["controls"][0]
    names = [m["name"] for m in PARAMETER.finditer(route)]
    fixed = {name: NOT_IDS[name][0] for name in names if name in NOT_IDS}
    method = "GET"
    if answer(admin, "GET", fill(route, {n: fixed.get(n, SENTINEL) for n in names})).status_code == 405:
        method = "POST"
    found: dict[str, object] = {}
    for name in id_parameters(route):
        values = {n: fixed.get(n, world["sample"][found[n]] if n in found else SENTINEL) for n in names}
        values[name] = SENTINEL + 1
        for control in world["controls"]:  # a voter's page asks nothing of the database for the administrator
            with CaptureQueriesContext(connection) as queries:
                answer(control, method, fill(route, values))
            model = model_looked_up([q["sql"] for q in queries.captured_queries], SENTINEL + 1)
            if model is not None:
                break
        assert model is not None, f"{route}: no query looks up {name}; the probe cannot tell what it names"
        found[name] = model
    # Ids that go together: from one row holding all the models named (an attendance row: person, record).
    wanted = list(found.values())
    for family in world["families"]:
        if all(model in family for model in wanted):
            values = {name: family[model] for name, model in found.items()} | fixed
            return [(method, fill(route, values), model) for model in wanted[:1]] + [
                (other, fill(route, values), None) for other in ("GET", "POST") if other != method]
    raise AssertionError(f"{route}: the demo has no rows of {wanted} that go together")


ID_ROUTES = [route for route in routes() if id_parameters(route)]
PLAIN_ROUTES = [route for route in routes() if not PARAMETER.search(route)]


def test_the_resolver_has_the_routes_this_test_probes():
    assert len(ID_ROUTES) > 50 and "/records/<int:pk>/" in ID_ROUTES and "/people/<int:pk>/edit/" in ID_ROUTES


@pytest.mark.parametrize("route", ID_ROUTES)
def test_a_route_with_an_id_answers_404_outside_the_scope(world, db, route):
    (method, url, model), *others = probe_urls(world, route)
    if not world["owned"][model]:
        return  # its rows belong to no organisation (an activity type): shared by every committee
    for username, user in world["logins"].items():
        response = answer(user, method, url)
        assert response.status_code == 404, f"{username} {method} {url} → {response.status_code}"
        for other, other_url, _ in others:
            assert answer(user, other, other_url).status_code in (404, 405), f"{username} {other} {other_url}"


@pytest.mark.parametrize("route", PLAIN_ROUTES)
def test_a_route_reading_org_answers_404_for_an_organisation_outside_the_scope(world, db, route):
    admin = world["controls"][0]
    first, second = world["orgs"][1], world["orgs"][-1]
    plain = answer(admin, "GET", route)
    if plain.status_code == 405:
        return  # POST only: its organisation comes in the form, whose choices are scoped
    year = f"&year={TODAY.year}"
    one, other = answer(admin, "GET", f"{route}?org={first}{year}"), answer(admin, "GET", f"{route}?org={second}{year}")
    plain, again = answer(admin, "GET", f"{route}?year={TODAY.year}"), answer(admin, "GET", f"{route}?year={TODAY.year}")
    if body(plain) == body(again):
        reads_org = (one.status_code, body(one)) != (plain.status_code, body(plain)) or body(one) != body(other)
    else:  # a file made anew each time (a .docx): it reads ?org= if it refuses one that does not exist
        reads_org = answer(admin, "GET", f"{route}?org={SENTINEL}{year}").status_code == 404
    for username, user in world["logins"].items():
        response = answer(user, "GET", f"{route}?org={first}{year}")
        if reads_org:
            assert response.status_code == 404, f"{username} GET {route}?org={first} → {response.status_code}"
        if response.status_code == 200:
            assert COMMITTEE_NAME not in body(response), f"{username} GET {route}?org={first} names the demo"
