"""No page, form, API route, ledger, command or step of the report pipeline reads organisation-owned rows except
through the one gate.

A read is accepted when the statement goes through `zhibu/orgs/access.py` (`access.…`), when the query is
narrowed by an object the code already holds (`filter(person=person)`, `in_subtree(branch)`,
`managed_by(user)`: that object was fetched through the gate), or when its line says why it needs neither
(`# access: …`, e.g. a command acting for the operator). `objects.none()` and `objects.create()` read nothing.
A form's `offer_choices` sets choices that `access.ScopedChoicesMixin` then restricts to the scope.
A new unscoped query in any of these files fails here, so the rule is kept by construction, not by care. The
report pipeline (`zhibu/reports/`) is scanned too, and each of its public functions that is handed an
organisation is handed the actor first, so it fetches that organisation again through access.
"""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

import pytest
from django.apps import apps

from zhibu.orgs.models import Organisation, Person

ROOT = Path(__file__).resolve().parent.parent
# The methods that narrow a query to what an object (fetched through access) owns.
NARROWING = {"filter", "exclude", "get", "get_or_create", "update_or_create", "in_subtree", "in_org", "managed_by",
             "visible_to", "for_org", "get_parent", "get_ancestors", "get_children", "get_descendants"}
NOT_READS = {"none", "create", "bulk_create", "create_root", "create_child", "place"}  # writes (tree ones too)
# Methods whose querysets the one gate restricts afterwards (access.ScopedChoicesMixin, then restrict_choices).
RESTRICTED_AFTERWARDS = {"offer_choices"}
CONSTANT_NAMES = {"int", "str", "True", "False", "None", "date", "timedelta"}


def organisation_owned_models() -> set[str]:
    """Every model of zhibu that points (directly or through another such model) to an organisation or person."""
    owned = {Organisation, Person}
    models = [m for m in apps.get_models() if m.__module__.startswith("zhibu")]
    grew = True
    while grew:
        grew = False
        for model in models:
            if model not in owned and any(
                f.many_to_one and f.concrete and f.related_model in owned for f in model._meta.get_fields()
            ):
                owned.add(model)
                grew = True
    return {m.__name__ for m in owned}


def interface_files() -> list[Path]:
    """Views, forms, API routes, ledgers, commands and the report pipeline: the code that answers a login or an
    operator."""
    found = []
    for path in sorted((ROOT / "zhibu").rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if ("views" in path.name or "ledger" in path.name or path.name == "forms.py" or relative.startswith(("zhibu/api/", "zhibu/reports/"))
                or "/management/commands/" in relative) and "/migrations/" not in relative:
            found.append(path)
    return found


def _query_chain(node: ast.AST) -> list[ast.Call]:
    """The calls chained on `Model.objects` (innermost first), climbing from the `objects` attribute."""
    calls = []
    current = node
    while isinstance(getattr(current, "parent", None), (ast.Attribute, ast.Call)):
        parent = current.parent
        if isinstance(parent, ast.Call) and parent.func is current:
            calls.append(parent)
        elif isinstance(parent, ast.Call):
            break
        current = parent
    return calls


def _narrowed(calls: list[ast.Call]) -> bool:
    for call in calls:
        name = call.func.attr if isinstance(call.func, ast.Attribute) else ""
        if name in NOT_READS and call is calls[0]:
            return True
        if name in NARROWING:
            values = [*call.args, *(k.value for k in call.keywords)]
            if any(_names_a_variable(v) for v in values):
                return True
    return False


def _names_a_variable(value: ast.AST) -> bool:
    """The value mentions something the code holds (not only constants and builtins)."""
    return any(isinstance(n, ast.Name) and n.id not in CONSTANT_NAMES for n in ast.walk(value))


def _enclosing_function(node: ast.AST) -> str | None:
    current = getattr(node, "parent", None)
    while current is not None and not isinstance(current, (ast.FunctionDef, ast.AsyncFunctionDef)):
        current = getattr(current, "parent", None)
    return current.name if current is not None else None


def unscoped_reads() -> list[str]:
    owned = organisation_owned_models()
    problems = []
    for path in interface_files():
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        tree = ast.parse(source)
        for node in ast.walk(tree):
            for child in ast.iter_child_nodes(node):
                child.parent = node  # type: ignore[attr-defined]
        statements = [n for n in ast.walk(tree) if isinstance(n, ast.stmt)]
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Attribute) and node.attr == "objects"
                    and isinstance(node.value, ast.Name) and node.value.id in owned):
                continue
            statement = min((s for s in statements if s.lineno <= node.lineno <= (s.end_lineno or s.lineno)
                             and not isinstance(s, (ast.FunctionDef, ast.ClassDef, ast.If, ast.For, ast.With,
                                                    ast.Try, ast.While))),
                            key=lambda s: (s.end_lineno or s.lineno) - s.lineno, default=None)
            text = ast.unparse(statement) if statement else ""
            span = lines[(statement.lineno if statement else node.lineno) - 1:
                         (statement.end_lineno if statement else node.lineno)]
            if ("access." in text or any("# access:" in line for line in span) or _narrowed(_query_chain(node))
                    or _enclosing_function(node) in RESTRICTED_AFTERWARDS):
                continue
            problem = f"{path.relative_to(ROOT)}:{node.lineno}: {lines[node.lineno - 1].strip()}"
            if problem not in problems:
                problems.append(problem)
    return problems


def test_the_scan_sees_the_models_and_files_it_guards():
    owned = organisation_owned_models()
    assert {"Activity", "Attendance", "Person", "DuesPayment", "ListItem", "MembershipEvent"} <= owned
    assert {"views.py", "forms.py"} <= {p.name for p in interface_files()}


@pytest.mark.django_db
def test_every_read_of_organisation_owned_rows_goes_through_access():
    problems = unscoped_reads()
    assert problems == [], (
        "These reads bypass zhibu/orgs/access.py: fetch through access (get_or_404, scope_to_orgs, "
        "managed_orgs …) or narrow by an object fetched through it; a deliberate exception says why with "
        "`# access: …` on its line.\n" + "\n".join(problems))


def test_the_scan_catches_an_unscoped_read(tmp_path):
    leaking = tmp_path / "zhibu" / "leaky" / "views.py"
    leaking.parent.mkdir(parents=True)
    leaking.write_text("def page(request):\n    return list(Activity.objects.filter(date__year=2025))\n"
                       "def fine(request, branch):\n    return Activity.objects.filter(org=branch)\n",
                       encoding="utf-8")
    globals()["ROOT"], saved = tmp_path, ROOT
    try:
        problems = unscoped_reads()
    finally:
        globals()["ROOT"] = saved
    assert problems == ["zhibu/leaky/views.py:2: return list(Activity.objects.filter(date__year=2025))"]


def pipeline_functions_without_an_actor() -> list[str]:
    """Public functions (and classes) of the report pipeline that are handed an organisation (`org`) without
    being handed the actor as their first argument."""
    found = []
    for path in sorted((ROOT / "zhibu" / "reports").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
                init = next((item for item in node.body if isinstance(item, ast.FunctionDef)
                             and item.name == "__init__"), None)
                name, arguments = node.name, [a.arg for a in init.args.args[1:]] if init else []
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and not node.name.startswith("_"):
                name, arguments = node.name, [a.arg for a in node.args.args]
                if arguments[:1] == ["self"]:
                    continue  # a method: its object was made for an actor
            else:
                continue
            if "org" in arguments and arguments[0] != "actor":
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {name}({', '.join(arguments)})")
    return found


def test_the_report_pipeline_is_handed_the_actor_with_every_organisation():
    assert pipeline_functions_without_an_actor() == [], (
        "take the actor first and fetch the organisation again through access (access.org_for), as "
        "FigureEvaluator and Ledger.produce do")


def test_the_pipeline_scan_catches_a_function_without_an_actor(tmp_path):
    leaking = tmp_path / "zhibu" / "reports" / "figures.py"
    leaking.parent.mkdir(parents=True)
    leaking.write_text("def count(org, year):\n    pass\n\ndef fine(actor, org, year):\n    pass\n\n"
                       "class Counter:\n    def __init__(self, org):\n        pass\n", encoding="utf-8")
    globals()["ROOT"], saved = tmp_path, ROOT
    try:
        found = pipeline_functions_without_an_actor()
    finally:
        globals()["ROOT"] = saved
    assert found == ["zhibu/reports/figures.py:1: count(org, year)", "zhibu/reports/figures.py:7: Counter(org)"]


def ledger_renders_outside_produce() -> list[str]:
    """Calls of a ledger's `render` anywhere but `Ledger.produce` (which fetches the organisation through access)."""
    found = []
    for path in sorted((ROOT / "zhibu").rglob("*.py")):
        if path.relative_to(ROOT).as_posix() == "zhibu/records/ledger_registry.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "render"
                    and "ledger" in ast.unparse(node.func.value).lower()):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {ast.unparse(node)[:100]}")
    return found


def test_ledgers_are_made_only_through_produce():
    assert ledger_renders_outside_produce() == [], "call ledger.produce(actor, org, year), never ledger.render"


@pytest.mark.django_db
def test_no_ledger_can_be_made_for_an_organisation_outside_the_actors_scope(tree):
    from django.http import Http404

    from zhibu.records.ledger_registry import LEDGERS
    from zhibu.records.models import Activity, ActivityType

    record = Activity.objects.create(org=tree.orgs.c, type=ActivityType.objects.get_or_create(name="支部党员大会")[0],
                                     date=date(2025, 3, 1))
    assert LEDGERS
    for identifier, ledger in LEDGERS.items():
        for actor in (tree.users.organiser, tree.users.secretary_a, tree.users.clerk_b, tree.users.member_a):
            with pytest.raises(Http404):
                ledger.produce(actor, tree.orgs.c, 2025, activity=record if ledger.needs_activity else None)
