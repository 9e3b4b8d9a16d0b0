"""A version number per branch that grows whenever a fact the compliance check reads about the branch changes.

The committee pages keep each branch's judgement between requests (compliance.Judgement) and reuse it only
while the branch's version is the one it was judged at, so a saved record, roll, placement, post or exemption
shows on the next page view, never a stale figure.

Kept true by construction, not by callers remembering: every tracked model sends its saves and deletes through
the signals connected here, and its queryset's `update`, `bulk_create` and `bulk_update` (which send no signal)
touch the branches too (`TouchingQuerySet`). Writes that bypass the ORM (records/bulk.py's COPY) call `touch_orgs`
themselves. A version is bumped inside the writing transaction, and read before the facts are, so a judgement
computed while a change commits is stored with the older version and recomputed at the next view.

The models are imported inside the functions: orgs/models.py builds its querysets on TouchingQuerySet.
"""

from __future__ import annotations

from typing import Iterable

from django.db import models
from django.db.models.signals import post_delete, post_save

CHUNK = 2000  # ids per statement: well below SQLite's parameter limit


def _bump_selected(select: str, params: list) -> None:
    """Add one to the version of each branch `select` names (its first column); a branch without a row gets one.

    One statement (an upsert, on SQLite and PostgreSQL alike), so a roll of thirty saved one row at a time costs
    thirty statements more, not a hundred and fifty; only ids of existing organisations are selected, so a branch
    being deleted gets no new row. `WHERE true` keeps SQLite from reading ON CONFLICT as part of the SELECT."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO orgs_branchversion (branch_id, version) "
            f"SELECT DISTINCT picked.id, 1 FROM ({select}) AS picked WHERE true "
            "ON CONFLICT (branch_id) DO UPDATE SET version = orgs_branchversion.version + 1",
            params,
        )


def _chunks(ids: Iterable[int | None]):
    ordered = sorted({pk for pk in ids if pk is not None})
    for start in range(0, len(ordered), CHUNK):
        yield ordered[start:start + CHUNK]


def bump(branch_ids: Iterable[int]) -> None:
    """Add one to each branch's version (a missing row counts as version 0)."""
    for chunk in _chunks(branch_ids):
        _bump_selected(f"SELECT id FROM orgs_organisation WHERE id IN ({', '.join(['%s'] * len(chunk))})", chunk)


def branches_of(orgs: Iterable[tuple[int, str, str]], *, subtrees: bool = False) -> set[int]:
    """Branch ids whose facts (id, path, kind) organisations carry: a branch itself, a group's branch, and with
    `subtrees` every branch below a committee (a move or deletion of the committee changes their place)."""
    from zhibu.orgs.models import Organisation, OrgKind

    steplen = Organisation.steplen
    branch_ids, parent_paths, above = set(), set(), []
    for pk, path, kind in orgs:
        if kind == OrgKind.BRANCH:
            branch_ids.add(pk)
        elif kind == OrgKind.GROUP:
            parent_paths.add(path[:-steplen])
        elif subtrees:
            above.append(path)
    if parent_paths:
        branch_ids.update(Organisation.objects.filter(path__in=parent_paths).values_list("pk", flat=True))
    for path in above:
        branch_ids.update(Organisation.objects.filter(path__startswith=path, kind=OrgKind.BRANCH).values_list("pk", flat=True))
    return branch_ids


def touch_orgs(org_ids: Iterable[int], *, subtrees: bool = False) -> None:
    """The facts of these organisations (branches or groups; with `subtrees` anything) changed."""
    from zhibu.orgs.models import Organisation, OrgKind

    if subtrees:
        for chunk in _chunks(org_ids):
            bump(branches_of(Organisation.objects.filter(pk__in=chunk).values_list("pk", "path", "kind"), subtrees=True))
        return
    for chunk in _chunks(org_ids):
        # A branch itself, or a group's branch (its path less one step), in the statement that bumps them.
        _bump_selected(
            "SELECT b.id FROM orgs_organisation o JOIN orgs_organisation b ON b.path = "
            "CASE WHEN o.kind = %s THEN substr(o.path, 1, length(o.path) - %s) ELSE o.path END "
            f"WHERE b.kind = %s AND o.id IN ({', '.join(['%s'] * len(chunk))})",
            [OrgKind.GROUP.value, Organisation.steplen, OrgKind.BRANCH.value, *chunk],
        )


def touch_people(person_ids: Iterable[int]) -> None:
    """Facts about these people changed: each branch they belong or belonged to is touched."""
    for chunk in _chunks(person_ids):
        marks = ", ".join(["%s"] * len(chunk))
        _bump_selected(
            f"SELECT branch_id AS id FROM orgs_membershipperiod WHERE person_id IN ({marks}) "
            f"UNION SELECT branch_id AS id FROM orgs_person WHERE id IN ({marks})",
            [*chunk, *chunk],
        )


# How each tracked model leads to the branches it changes: an organisation id, a person id, or an organisation
# id one relation away (an attendance row's record's organisation). Apps above orgs register theirs with `track`.
ORG_FIELD: dict[type[models.Model], str] = {}
PERSON_FIELD: dict[type[models.Model], str] = {}
VIA: dict[type[models.Model], tuple[str, type[models.Model], str]] = {}


def _touch_rows(model: type[models.Model], rows: Iterable) -> None:
    from zhibu.orgs.models import Organisation

    rows = list(rows)
    if model is Organisation:  # from the rows themselves: a deleted group's branch is found by its path
        bump(branches_of(((row.pk, row.path, row.kind) for row in rows), subtrees=True))
    elif model in ORG_FIELD:
        touch_orgs(getattr(row, ORG_FIELD[model]) for row in rows)
    elif model in PERSON_FIELD:
        touch_people(getattr(row, PERSON_FIELD[model]) for row in rows)
    elif model in VIA:
        field, related, org_field = VIA[model]
        relation = model._meta.get_field(field.removesuffix("_id"))
        if all(relation.is_cached(row) for row in rows):  # the record is at hand (a roll saved with it): no query
            touch_orgs(getattr(getattr(row, relation.name), org_field) for row in rows)
            return
        ids = sorted({getattr(row, field) for row in rows})
        orgs: set[int] = set()
        for start in range(0, len(ids), CHUNK):
            found = related._default_manager.filter(pk__in=ids[start:start + CHUNK]).values_list(org_field, flat=True)
            orgs.update(found.distinct())
        touch_orgs(orgs)


# Columns whose change tells the check nothing (treebeard counting an organisation's children).
UNREAD_COLUMNS = {"numchild"}


def _touch_queryset(queryset: models.QuerySet, changes: dict | None = None) -> None:
    """Touch the branches of the rows a queryset selects; `changes` (an update's values) may name their new place."""
    from zhibu.orgs.models import Organisation

    model = queryset.model
    if model is Organisation:
        bump(branches_of(queryset.values_list("pk", "path", "kind"), subtrees=True))
    elif model in ORG_FIELD:
        column = ORG_FIELD[model]
        touch_orgs(queryset.values_list(column, flat=True).order_by().distinct())
        for name in (column, column.removesuffix("_id")):
            if changes and name in changes:
                touch_orgs([getattr(changes[name], "pk", changes[name])])
    elif model in PERSON_FIELD:
        touch_people(queryset.values_list(PERSON_FIELD[model], flat=True).order_by().distinct())
    elif model in VIA:
        field, _related, org_field = VIA[model]
        touch_orgs(queryset.values_list(f"{field.removesuffix('_id')}__{org_field}", flat=True).order_by().distinct())


class TouchingQuerySet(models.QuerySet):
    """A queryset whose bulk writes touch the branches they change, as saves and deletes do through signals."""

    def update(self, **kwargs):
        if set(kwargs) <= UNREAD_COLUMNS:
            return super().update(**kwargs)
        _touch_queryset(self, kwargs)  # the rows' branches before the update, and any new place the update names
        return super().update(**kwargs)

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        _touch_rows(self.model, created)
        return created

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs = list(objs)
        _touch_rows(self.model, objs)
        return super().bulk_update(objs, fields, *args, **kwargs)


def _on_change(sender, instance, **kwargs) -> None:
    if kwargs.get("raw"):  # loading fixtures
        return
    fields = kwargs.get("update_fields")
    if fields and set(fields) <= UNREAD_COLUMNS:
        return
    _touch_rows(sender, [instance])


def _on_path_updated(sender, new_path: str, **kwargs) -> None:
    """treebeard moved a subtree: the branches at its new place (and above a moved group) are touched too."""
    from zhibu.orgs.models import Organisation

    bump(branches_of(Organisation.objects.filter(path__startswith=new_path).values_list("pk", "path", "kind"), subtrees=True))


def track(model: type[models.Model], *, org: str | None = None, person: str | None = None,
          via: tuple[str, type[models.Model], str] | None = None) -> None:
    """Keep `model`'s changes in the branches' versions (its manager's queryset must be a TouchingQuerySet)."""
    if not issubclass(model._default_manager._queryset_class, TouchingQuerySet):
        raise TypeError(f"{model.__name__} must use a TouchingQuerySet so its bulk writes touch the branches")
    if org:
        ORG_FIELD[model] = org
    elif person:
        PERSON_FIELD[model] = person
    elif via:
        VIA[model] = via
    post_save.connect(_on_change, sender=model, dispatch_uid=f"versions-save-{model._meta.label}")
    post_delete.connect(_on_change, sender=model, dispatch_uid=f"versions-delete-{model._meta.label}")


def track_orgs_models() -> None:
    from treebeard.mp_tree import path_updated

    from zhibu.orgs.models import Exemption, MembershipPeriod, Organisation, Person, PersonPost

    track(Organisation, org="pk")
    path_updated.connect(_on_path_updated, sender=Organisation, dispatch_uid="versions-path-updated")
    track(MembershipPeriod, org="branch_id")
    track(Person, person="pk")
    track(PersonPost, person="person_id")
    track(Exemption, person="person_id")
