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
from django.db.models import F
from django.db.models.signals import post_delete, post_save

CHUNK = 2000  # ids per statement: well below SQLite's parameter limit


def bump(branch_ids: Iterable[int]) -> None:
    """Add one to each branch's version (a missing row counts as version 0)."""
    from zhibu.orgs.models import BranchVersion, Organisation

    ids = sorted({pk for pk in branch_ids if pk is not None})
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        # Insert-or-ignore then increment: two first changes at once both count (an ignored insert still bumps).
        # Not for a branch being deleted (its judgements go with it).
        existing = Organisation.objects.filter(pk__in=chunk).values_list("pk", flat=True)
        BranchVersion.objects.bulk_create([BranchVersion(branch_id=pk, version=0) for pk in existing], ignore_conflicts=True)
        BranchVersion.objects.filter(branch_id__in=chunk).update(version=F("version") + 1)


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
    from zhibu.orgs.models import Organisation

    ids = sorted({pk for pk in org_ids if pk is not None})
    orgs = []
    for start in range(0, len(ids), CHUNK):
        orgs.extend(Organisation.objects.filter(pk__in=ids[start:start + CHUNK]).values_list("pk", "path", "kind"))
    bump(branches_of(orgs, subtrees=subtrees))


def touch_people(person_ids: Iterable[int]) -> None:
    """Facts about these people changed: each branch they belong or belonged to is touched."""
    from zhibu.orgs.models import MembershipPeriod, Person

    ids = sorted({pk for pk in person_ids if pk is not None})
    branches: set[int] = set()
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        branches.update(MembershipPeriod.objects.filter(person_id__in=chunk).values_list("branch_id", flat=True).order_by().distinct())
        branches.update(Person.objects.filter(pk__in=chunk).values_list("branch_id", flat=True).order_by().distinct())
    bump(branches)


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
        _touch_queryset(self, kwargs)  # before: the rows' current branches; and the new ones an update names
        return super().update(**kwargs)

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        _touch_rows(self.model, created)
        return created

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs = list(objs)
        _touch_rows(self.model, objs)
        count = super().bulk_update(objs, fields, *args, **kwargs)
        return count


def _on_change(sender, instance, **kwargs) -> None:
    if kwargs.get("raw"):  # loading fixtures
        return
    if set(kwargs.get("update_fields") or ()) - UNREAD_COLUMNS or not kwargs.get("update_fields"):
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
