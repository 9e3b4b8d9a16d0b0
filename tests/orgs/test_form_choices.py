"""Every form's choices of organisations, people and their rows are restricted by one helper in access.

A form sets its own choices (kinds, order) in `offer_choices`; `access.ScopedChoicesMixin` then restricts them
with `access.restrict_choices`, so an id outside the login's scope, POSTed anyway, is refused with a Chinese
error on that field — the same for every form, and for a form added tomorrow (the first two tests fail on one
that narrows by hand or not at all).
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest
from django import forms

import zhibu
from zhibu.orgs import access

ROOT = Path(__file__).resolve().parents[2]


def zhibu_forms() -> list[type[forms.BaseForm]]:
    found = []
    for module_info in pkgutil.walk_packages(zhibu.__path__, "zhibu."):
        if ".migrations" in module_info.name or ".management" in module_info.name:
            continue
        module = importlib.import_module(module_info.name)
        found += [value for value in vars(module).values() if inspect.isclass(value)
                  and issubclass(value, forms.BaseForm) and value.__module__ == module_info.name]
    return found


def scoped_choice_fields(form_class) -> list[str]:
    """The form's choice fields whose rows belong to an organisation (organisations, people, records …)."""
    return [name for name, field in form_class.base_fields.items() if isinstance(field, forms.ModelChoiceField)
            and access.managed_rows(access.SYSTEM, field.queryset.model) is not None]


@pytest.mark.django_db
def test_every_form_offering_scoped_choices_restricts_them_through_access():
    offering = {form: scoped_choice_fields(form) for form in zhibu_forms()}
    offering = {form: names for form, names in offering.items() if names}
    assert len(offering) >= 8  # the scan sees the forms: records, people, organisations, accounts, lists …
    unrestricted = [f"{form.__module__}.{form.__name__} ({', '.join(names)})" for form, names in offering.items()
                    if not issubclass(form, access.ScopedChoicesMixin)]
    assert unrestricted == [], "derive from access.ScopedChoicesMixin and set the choices in offer_choices"


def test_no_choice_queryset_is_set_outside_offer_choices():
    """A queryset set in __init__ after the mixin restricted the choices would undo the restriction."""
    found = []
    for path in sorted((ROOT / "zhibu").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in (n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)):
            if function.name in ("offer_choices", "restrict_choices"):
                continue
            for node in ast.walk(function):
                if isinstance(node, ast.Assign) and any(
                        isinstance(t, ast.Attribute) and t.attr == "queryset" for t in node.targets):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert found == []


def _refused(form, field: str) -> bool:
    form.is_valid()
    label = form.fields[field].label
    expected = access.CHOICE_OUTSIDE_SCOPE.format(label=label)
    return form.errors.get(field) == [expected] and "不在您可选的范围内" in expected


def _accepted(form, field: str) -> bool:
    form.is_valid()
    return field not in form.errors


def _forms(tree):
    """(form made with POSTed data, field) for each form with scoped choices: what is refused, what is accepted."""
    from zhibu.lists.forms import ListItemForm
    from zhibu.orgs.forms import AccountForm, OrganisationForm, PersonForm
    from zhibu.orgs.membership_views import ChangeForm
    from zhibu.points.forms import SchemeForm
    from zhibu.records.forms import ActivityForm
    from zhibu.review.forms import SessionForm

    from zhibu.orgs.models import Person

    orgs, people, users = tree.orgs, tree.people, tree.users
    moving = Person.objects.select_related("branch").get(pk=people.a_member.pk)  # as the page fetches it
    person_fields = {"name": "新同志", "gender": "男", "category": "正式党员"}
    refused = [
        (ListItemForm({"org": orgs.c.pk}, user=users.secretary_a), "org"),
        (ListItemForm({"owner": people.c_member.pk}, user=users.secretary_a), "owner"),
        (ActivityForm({"org": orgs.b.pk}, user=users.secretary_a), "org"),
        (ActivityForm({"chair": people.b_member.pk}, user=users.secretary_a), "chair"),
        (ActivityForm({"lecturer": people.c_member.pk}, user=users.organiser), "lecturer"),
        (PersonForm({**person_fields, "branch": orgs.b.pk}, user=users.secretary_a), "branch"),
        (OrganisationForm({"name": "新支部", "kind": "党支部", "parent": orgs.other_root.pk}, user=users.organiser),
         "parent"),
        (AccountForm({"person": people.c_member.pk}, user=users.organiser), "person"),
        (AccountForm({"role": "clerk", "org": orgs.other_root.pk}, user=users.organiser), "org"),
        (SchemeForm({"org": orgs.other_root.pk}, user=users.organiser), "org"),
        (SessionForm({"committee": orgs.other_root.pk}, user=users.organiser), "committee"),
        # 内部转接 reaches any branch of the person's unit, not one of another unit.
        (ChangeForm({"target": orgs.c.pk}, person=moving, user=users.secretary_a), "target"),
    ]
    accepted = [
        (ListItemForm({"org": orgs.a.pk, "owner": people.a_member.pk}, user=users.secretary_a), "org"),
        (ActivityForm({"org": orgs.group_a.pk, "chair": people.a_member.pk}, user=users.secretary_a), "chair"),
        (PersonForm({**person_fields, "branch": orgs.a.pk}, user=users.secretary_a), "branch"),
        (OrganisationForm({"name": "新支部", "kind": "党支部", "parent": orgs.committee.pk}, user=users.organiser),
         "parent"),
        (AccountForm({"person": people.b_member.pk}, user=users.organiser), "person"),
        (SessionForm({"committee": orgs.committee.pk}, user=users.organiser), "committee"),
        (ChangeForm({"target": orgs.b.pk}, person=moving, user=users.secretary_a), "target"),
    ]
    return refused, accepted


def test_a_foreign_id_posted_in_any_choice_field_is_refused_with_a_chinese_error(tree):
    refused, _ = _forms(tree)
    wrongly_accepted = [f"{type(form).__name__}.{field}" for form, field in refused if not _refused(form, field)]
    assert wrongly_accepted == []


def test_an_id_within_the_scope_is_accepted(tree):
    _, accepted = _forms(tree)
    wrongly_refused = [f"{type(form).__name__}.{field}: {form.errors.get(field)}" for form, field in accepted
                       if not _accepted(form, field)]
    assert wrongly_refused == []


def test_a_foreign_choice_is_not_offered_on_the_page(client, tree):
    """(A foreign id POSTed to the page anyway: tests/lists/test_access.py, tests/records/test_roles.py.)"""
    from django.urls import reverse

    client.force_login(tree.users.secretary_a)
    page = client.get(reverse("list_item_new")).content.decode()
    assert tree.orgs.a.name in page and tree.orgs.c.name not in page and tree.people.c_member.name not in page


def test_an_administrator_is_offered_every_organisation(tree):
    from zhibu.lists.forms import ListItemForm

    offered = set(ListItemForm(user=tree.users.admin).fields["org"].queryset)
    assert {tree.orgs.a, tree.orgs.c, tree.orgs.other_root} <= offered
