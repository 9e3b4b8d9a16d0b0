"""The one place that answers "what may this user see and change".

Every page, export, API call and command fetches organisations, people and
anything attached to an organisation through these functions. Something not
visible is reported as "not found" (404), never as "forbidden", so an edited
id in a URL does not even confirm that the object exists.

Roles (see models.Role):
- administrator (superuser) and the command-line operator (SYSTEM): everything;
- 党委管理员 (committee_admin): reads and edits the granted organisation's whole subtree;
- 支部书记 / 党务干事 (secretary, clerk): reads and edits their branch and its 党小组;
- member (a login linked to a Person, without grants): their branch's name and their own records only.
"""

from __future__ import annotations

from typing import NoReturn

from django.db.models import Q, QuerySet
from django.http import Http404

from zhibu.orgs.models import Grant, Organisation, OrgKind, Person, Role


class _SystemOperator:
    """Whoever runs `zhibu` on the server: they can read the database file anyway."""

    is_authenticated = True
    is_superuser = True
    is_active = True
    pk = None
    username = "system"

    def __str__(self) -> str:
        return "命令行"


SYSTEM = _SystemOperator()


def sees_everything(user) -> bool:
    return bool(user is SYSTEM or (getattr(user, "is_active", False) and getattr(user, "is_superuser", False)))


def _granted_roots(user) -> list[Organisation]:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return []
    cached = getattr(user, "_zhibu_granted_roots", None)
    if cached is None:
        cached = [grant.org for grant in Grant.objects.filter(user=user).select_related("org")]
        user._zhibu_granted_roots = cached
    return cached


def own_person(user) -> Person | None:
    if not getattr(user, "is_authenticated", False) or user is SYSTEM:
        return None
    try:
        return Person.objects.select_related("branch", "group").get(user=user)
    except Person.DoesNotExist:
        return None


def managed_orgs(user) -> QuerySet[Organisation]:
    """Organisations whose data this user may read in full and change."""
    if sees_everything(user):
        return Organisation.objects.all()
    return Organisation.objects.subtree_of(*_granted_roots(user))


def visible_orgs(user) -> QuerySet[Organisation]:
    """Organisations this user may see at all (a member sees only the name of their own branch and group)."""
    if sees_everything(user):
        return Organisation.objects.all()
    condition = Q(pk__in=managed_orgs(user).values("pk"))
    person = own_person(user)
    if person:
        condition |= Q(pk=person.branch_id)
        if person.group_id:
            condition |= Q(pk=person.group_id)
    return Organisation.objects.filter(condition)


def visible_org_ids(user) -> QuerySet:
    return visible_orgs(user).values("pk")


def can_manage(user, org: Organisation) -> bool:
    return managed_orgs(user).filter(pk=org.pk).exists()


def is_manager(user) -> bool:
    return sees_everything(user) or bool(_granted_roots(user))


# Who may hand out or take back what: a role is granted and withdrawn only by someone above it.
ROLE_RANK = {Role.CLERK: 1, Role.SECRETARY: 2, Role.COMMITTEE_ADMIN: 3}


def _power_over(user, org: Organisation) -> tuple[int, int]:
    """(rank of the user's strongest role over `org`, depth of the organisation it was granted on)."""
    if sees_everything(user):
        return (9, 0)
    best = (0, 0)
    for grant in Grant.objects.filter(user=user).select_related("org"):
        if org.path.startswith(grant.org.path):
            best = max(best, (ROLE_RANK[grant.role], -grant.org.depth))
    return (best[0], -best[1])


def grantable_roles(user, org: Organisation | None = None) -> list[str]:
    """The roles this login may grant (on `org`, or anywhere it manages): a 党委管理员 any, a 支部书记 党务干事 only,
    a 党务干事 none (it opens members' own logins only)."""
    if sees_everything(user):
        return list(Role.values)
    if org is not None:
        rank = _power_over(user, org)[0]
    else:
        rank = max((ROLE_RANK[grant.role] for grant in Grant.objects.filter(user=user)), default=0)
    if rank >= ROLE_RANK[Role.COMMITTEE_ADMIN]:
        return list(Role.values)
    if rank == ROLE_RANK[Role.SECRETARY]:
        return [Role.CLERK.value]
    return []


def may_change_grant(user, grant: Grant) -> bool:
    """Whether the login may take back this grant: it outranks it there, or holds the same 党委管理员 role higher up."""
    if sees_everything(user):
        return True
    if grant.user_id == getattr(user, "pk", None):
        return False  # nobody withdraws their own power by mistake; another manager above does it
    rank, depth = _power_over(user, grant.org)
    target = ROLE_RANK[grant.role]
    return rank > target or (rank == target == ROLE_RANK[Role.COMMITTEE_ADMIN] and depth < grant.org.depth)


def may_manage_login(user, account) -> bool:
    """Whether the login may disable, re-enable, reset or unlock `account`: a manager of the person's branch who
    also outranks each of the account's grants; never the login itself nor a system administrator."""
    if account.is_superuser and not sees_everything(user):
        return False
    if account.pk == getattr(user, "pk", None) or not is_manager(user):
        return False
    grants = list(Grant.objects.filter(user=account).select_related("org"))
    person = Person.objects.filter(user=account).select_related("branch").first()
    if not grants and person is None:
        return sees_everything(user)
    if person is not None and not can_manage(user, person.branch):
        return False
    return all(may_change_grant(user, grant) for grant in grants)


def manages_committee(user) -> bool:
    """Whether the login manages a 党委, 党工委, 机关党委 or 党总支: only then are committee pages and ledgers offered."""
    if sees_everything(user):
        return True
    return managed_orgs(user).exclude(kind__in=(OrgKind.BRANCH, OrgKind.GROUP)).exists()


def is_committee_admin(user) -> bool:
    """Administrators and 党委管理员: they may also change what all organisations share (e.g. activity types)."""
    if sees_everything(user):
        return True
    return bool(_granted_roots(user)) and Grant.objects.filter(user=user, role=Role.COMMITTEE_ADMIN).exists()


def visible_people(user, queryset: QuerySet[Person] | None = None) -> QuerySet[Person]:
    queryset = Person.objects.all() if queryset is None else queryset
    if sees_everything(user):
        return queryset
    condition = Q(branch__in=managed_orgs(user))
    person = own_person(user)
    if person:
        condition |= Q(pk=person.pk)
    return queryset.filter(condition)


def managed_people(user, queryset: QuerySet[Person] | None = None) -> QuerySet[Person]:
    queryset = Person.objects.all() if queryset is None else queryset
    if sees_everything(user):
        return queryset
    return queryset.filter(branch__in=managed_orgs(user))


def scope_to_orgs(user, queryset: QuerySet, org_field: str = "org", *, manage: bool = False) -> QuerySet:
    """Restrict any queryset with a foreign key to Organisation to what the user may see (or manage)."""
    orgs = managed_orgs(user) if manage else visible_orgs(user)
    if sees_everything(user):
        return queryset
    return queryset.filter(**{f"{org_field}__in": orgs})


def get_or_404(queryset: QuerySet, **lookup):
    """Fetch one object from an already-scoped queryset, or answer 404."""
    try:
        return queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404("没有找到，或您无权查看") from None


def not_found() -> NoReturn:
    raise Http404("没有找到，或您无权查看")


def org_by_name_for(user, name: str) -> Organisation:
    """For commands: the organisation called `name`, if this actor may see it; LookupError otherwise."""
    try:
        return visible_orgs(user).get(name=name)
    except Organisation.DoesNotExist:
        raise LookupError(f"没有名为“{name}”的组织，或无权访问") from None


def chosen_org(request, among: QuerySet[Organisation] | None = None, *, params=None) -> Organisation | None:
    """The one reader of `?org=` on every page: None when the address names no organisation; the organisation
    when it is among `among` (default: those the user manages); 404 otherwise, never silently another one.
    `params`: where to read it when not the address (a form's POST)."""
    value = str((request.GET if params is None else params).get("org") or "").strip()
    if not value:
        return None
    queryset = managed_orgs(request.user) if among is None else among
    return get_or_404(queryset, pk=value)


def top_org(among: QuerySet[Organisation]) -> Organisation | None:
    """The highest of these organisations (the shallowest, then in tree order): what a page shows by default."""
    return among.order_by("depth", "path").first()


def chosen_or_top_org(request, among: QuerySet[Organisation] | None = None, *, params=None) -> Organisation:
    """The organisation `?org=` names (as chosen_org), else the highest among `among` (default: those the user
    manages); 404 when there is none. The one default of every page that always shows an organisation."""
    queryset = managed_orgs(request.user) if among is None else among
    return chosen_org(request, queryset, params=params) or top_org(queryset) or not_found()


# One lookup per kind of object: each fetches one row the user may manage, or answers 404.


def org_for(user, pk) -> Organisation:
    """An organisation of any kind the user manages: what ledgers and the report pipeline read within."""
    return get_or_404(managed_orgs(user), pk=pk)


def branch_for(user, pk) -> Organisation:
    """A 党支部 the user manages."""
    return get_or_404(managed_orgs(user).filter(kind=OrgKind.BRANCH), pk=pk)


def person_for(user, pk) -> Person:
    """A person of a branch the user manages."""
    return get_or_404(managed_people(user).select_related("branch", "group"), pk=pk)


def record_for(user, pk):
    """A work record (活动) of an organisation the user manages."""
    from zhibu.records.models import Activity

    return get_or_404(scope_to_orgs(user, Activity.objects.select_related("org", "type"), manage=True), pk=pk)


def jobs_of(user):
    """The background jobs (后台任务) this login started, of organisations it still manages."""
    from django.db.models import Q

    from zhibu.jobs.models import Job

    jobs = Job.objects.filter(owner_id=getattr(user, "pk", None)).select_related("org")
    if sees_everything(user):
        return jobs
    return jobs.filter(Q(org__in=managed_orgs(user)) | Q(org__isnull=True))


def job_for(user, pk):
    """A background job of this login; another login's job answers 404, like anything outside the scope."""
    return get_or_404(jobs_of(user), pk=pk)


def development_record_for(user, pk):
    """A development record (发展党员) of a person in a branch the user manages."""
    from zhibu.development.models import DevelopmentRecord

    records = scope_to_orgs(user, DevelopmentRecord.objects.select_related("person"), "person__branch", manage=True)
    return get_or_404(records, pk=pk)


def review_for(user, pk):
    """A review session (述职评议) organised by a committee the user manages."""
    from zhibu.review.models import ReviewSession

    sessions = scope_to_orgs(user, ReviewSession.objects.select_related("committee"), "committee", manage=True)
    return get_or_404(sessions, pk=pk)


def transfer_targets(person: Person) -> QuerySet[Organisation]:
    """Where a person of a managed branch may be moved within the unit (内部转接, 恢复党籍): any 党支部 or 党小组 of
    the person's unit, also one the login does not manage (the transfer then waits for that branch to accept it)."""
    from zhibu.orgs.membership import unit_of

    return Organisation.objects.filter(path__startswith=unit_of(person.branch), kind__in=[OrgKind.BRANCH, OrgKind.GROUP])


# Form choices: one helper restricts every choice of organisations, people or their rows to the login's scope.

CHOICE_OUTSIDE_SCOPE = "所选的{label}不存在，或不在您可选的范围内，请从列表中选择"


def _owner_path(model, depth: int = 2) -> str | None:
    """The lookup from `model` to the organisation that owns its rows ("org", "branch", "person__branch" …), or
    None for a model no organisation owns (e.g. activity types, shared by all)."""
    fields = [f for f in model._meta.get_fields() if f.many_to_one and f.concrete]
    for field in fields:
        if field.related_model is Organisation:
            return field.name
    for field in fields:
        if field.related_model is Person:
            return f"{field.name}__branch"
    if depth > 1:
        for field in fields:
            below = _owner_path(field.related_model, depth - 1) if field.related_model.__module__.startswith("zhibu") else None
            if below:
                return f"{field.name}__{below}"
    return None


def managed_rows(user, model) -> QuerySet | None:
    """The rows of `model` this user manages: organisations, people, or rows owned by an organisation; None for a
    model no organisation owns."""
    if model is Organisation:
        return managed_orgs(user)
    if model is Person:
        return managed_people(user)
    path = _owner_path(model)
    return scope_to_orgs(user, model.objects.all(), path, manage=True) if path else None


def restrict_choices(form, user, among: dict[str, QuerySet] | None = None) -> None:
    """Restrict every choice field of `form` (ModelChoiceField, ModelMultipleChoiceField) offering organisations,
    people or their rows to what `user` manages — or, for a field named in `among`, to the scope given there by
    this module (e.g. `transfer_targets`) — keeping the form's own narrowing (kinds, order, labels). A value
    outside is not offered, and one POSTed anyway is refused with a Chinese error, like a choice that does not
    exist."""
    from django.forms import ModelChoiceField

    among = among or {}
    for name, field in form.fields.items():
        if not isinstance(field, ModelChoiceField):
            continue
        scope = among.get(name)
        if scope is None:
            if sees_everything(user):
                continue
            scope = managed_rows(user, field.queryset.model)
            if scope is None:
                continue
        field.queryset = field.queryset.filter(pk__in=scope.values("pk"))
        field.error_messages["invalid_choice"] = CHOICE_OUTSIDE_SCOPE.format(label=field.label or name)


class ScopedChoicesMixin:
    """For every form offering organisations, people or their rows as choices: made with the login (`user=`), it
    lets the form set its own choices (kinds, order, labels) in `offer_choices`, then restricts them all with
    `restrict_choices`, so no form narrows its choices to the scope by hand (tests/orgs/test_form_choices.py
    fails on a form with such a choice that does not use it)."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.offer_choices()
        restrict_choices(self, user, self.choice_scopes())

    def offer_choices(self) -> None:
        """The form's own narrowing of its choice querysets (kinds, order, labels); the scope is applied after."""

    def choice_scopes(self) -> dict[str, QuerySet]:
        """Fields whose choices have a deliberate scope other than what the login manages, made by this module."""
        return {}


# Personal data (ID-card numbers, mobile numbers). Lists always mask them. In full they are shown, on the person's
# page and edit form and in exports, to the person themselves and to those who answer for the people: 支部书记 of
# the branch, 党委管理员 above it, administrators. A 党务干事 works with masked numbers (and may type a new one).
FULL_DATA_ROLES = (Role.SECRETARY, Role.COMMITTEE_ADMIN)


def _full_data_orgs(user) -> QuerySet[Organisation]:
    if sees_everything(user):
        return Organisation.objects.all()
    roots = [grant.org for grant in Grant.objects.filter(user=user, role__in=FULL_DATA_ROLES).select_related("org")] if getattr(user, "is_authenticated", False) and getattr(user, "is_active", False) else []
    return Organisation.objects.subtree_of(*roots)


def sees_personal_data(user, person: Person) -> bool:
    """May this login see this person's ID-card and mobile numbers in full?"""
    if sees_everything(user):
        return True
    if person.user_id is not None and person.user_id == getattr(user, "pk", None):
        return True
    return _full_data_orgs(user).filter(pk=person.branch_id).exists()


def may_export_personal_data(user, orgs: QuerySet[Organisation]) -> bool:
    """May this login export the people of these organisations with full numbers (else: masked only)?"""
    if sees_everything(user):
        return True
    return not orgs.exclude(pk__in=_full_data_orgs(user).values("pk")).exists()


def may_read_access_log(user) -> bool:
    return sees_everything(user) or (getattr(user, "is_authenticated", False) and Grant.objects.filter(user=user, role=Role.COMMITTEE_ADMIN).exists())


def access_log(user):
    """The personal-data access log entries this login may read: a 党委管理员's subtree, everything for administrators."""
    from zhibu.orgs.models import PersonalDataAccess

    entries = PersonalDataAccess.objects.select_related("user", "org")
    if sees_everything(user):
        return entries
    if not may_read_access_log(user):
        return entries.none()
    roots = [grant.org for grant in Grant.objects.filter(user=user, role=Role.COMMITTEE_ADMIN).select_related("org")]
    return entries.filter(org__in=Organisation.objects.subtree_of(*roots))
