"""Creating logins and granting roles, within what the granting user manages."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from zhibu.lib.passwords import check_password_for
from zhibu.orgs import access
from zhibu.orgs.models import Grant, Organisation, OrgKind, Person, Role
from zhibu.lib.textinput import join_clauses


@dataclass(frozen=True)
class AccountRequest:
    username: str
    password: str
    person: Person | None = None
    role: str | None = None
    org: Organisation | None = None


def account_problems(actor, request: AccountRequest) -> list[str]:
    """Everything wrong with the request, in Chinese; empty when it may be carried out."""
    problems = []
    User = get_user_model()
    if not request.username.strip():
        problems.append("请填写登录名")
    elif User.objects.filter(username=request.username).exists():
        problems.append(f"登录名“{request.username}”已被使用，请换一个")
    try:
        check_password_for(request.password, request.username)
    except ValidationError as error:
        problems.append("密码不符合要求：" + join_clauses(error.messages))
    if request.person is None and request.role is None:
        problems.append("请选择对应的人员（党员登录）或授予一个角色（管理登录）")
    if request.person is not None:
        if not access.managed_people(actor).filter(pk=request.person.pk).exists():
            problems.append("找不到该人员，或您无权为其开通登录")
        elif request.person.user_id:
            problems.append(f"{request.person.name}已有登录账号")
    if request.role is not None:
        if request.role not in Role.values:
            problems.append(f"未知的角色“{request.role}”，可选：" + "、".join(Role.values))
        elif request.org is None or not access.can_manage(actor, request.org):
            problems.append("找不到授权的组织，或您无权在该组织授权")
        elif request.role not in access.grantable_roles(actor, request.org):
            allowed = "、".join(Role(role).label for role in access.grantable_roles(actor, request.org))
            problems.append(f"您不能授予“{Role(request.role).label}”" + (f"，可授予：{allowed}" if allowed else "；请联系上级党委管理员开通"))
        elif request.role != Role.COMMITTEE_ADMIN and request.org.kind != OrgKind.BRANCH:
            problems.append("支部书记和党务干事的授权组织必须是党支部")
        elif request.role == Role.COMMITTEE_ADMIN and request.org.kind in (OrgKind.BRANCH, OrgKind.GROUP):
            problems.append("党委管理员的授权组织应为党委、党工委、机关党委或党总支")
    return problems


@transaction.atomic
def create_account(actor, request: AccountRequest):
    problems = account_problems(actor, request)
    if problems:
        raise ValidationError(problems)
    user = get_user_model().objects.create_user(username=request.username, password=request.password)
    if request.person is not None:
        request.person.user = user
        request.person.save(update_fields=["user"])
    if request.role is not None:
        grant = Grant(user=user, org=request.org, role=request.role)
        if isinstance(actor, get_user_model()):
            grant._history_user = actor  # who granted, also when the web request is not there (commands, tests)
        grant.save()
    return user


def visible_accounts(actor):
    """Logins linked to people or grants within what the actor manages."""
    managed = access.managed_orgs(actor)
    return (
        get_user_model().objects.filter(is_superuser=False)
        .filter(Q(person__branch__in=managed) | Q(grants__org__in=managed))
        .distinct()
        .prefetch_related("grants__org")
        .select_related("person__branch")
        .order_by("username")
    )



# --- an account's life after it is opened: each step within the actor's power, and recorded -------------------------

class AccountRefused(Exception):
    """Why an account step was not taken, in words for the page."""


def _record(actor, account, what: str) -> None:
    from zhibu.orgs.models import AccountEvent

    AccountEvent.objects.create(account=account, actor=actor if isinstance(actor, get_user_model()) else None, what=what)


def _check(actor, account) -> None:
    if not access.may_manage_login(actor, account):
        raise AccountRefused("您无权管理这个账号；请联系上级党委管理员")


@transaction.atomic
def revoke_grant(actor, grant: Grant) -> None:
    if not access.may_change_grant(actor, grant):
        raise AccountRefused("您无权撤销这项授权；请联系上级党委管理员")
    grant._history_user = actor if isinstance(actor, get_user_model()) else None
    grant.delete()


@transaction.atomic
def set_active(actor, account, active: bool) -> None:
    _check(actor, account)
    account.is_active = active
    account.save(update_fields=["is_active"])
    _record(actor, account, "启用登录" if active else "停用登录")


def temporary_password() -> str:
    """A password to pass on by word of mouth, which the member changes at first login: 10 characters, no look-alikes."""
    import secrets

    letters = "abcdefghjkmnpqrstuvwxyz"
    digits = "23456789"
    while True:
        text = "".join(secrets.choice(letters + digits) for _ in range(10))
        if any(c in digits for c in text) and any(c in letters for c in text):
            return text


@transaction.atomic
def reset_password(actor, account) -> str:
    _check(actor, account)
    password = temporary_password()
    account.set_password(password)
    account.save(update_fields=["password"])
    _record(actor, account, "重设密码")
    return password


def is_locked_out(account) -> bool:
    from axes.models import AccessAttempt

    return AccessAttempt.objects.filter(username=account.username).exists()


@transaction.atomic
def unlock(actor, account) -> int:
    """Forget the failed logins of the account's name (from every address), so it may log in at once."""
    from axes.models import AccessAttempt

    _check(actor, account)
    removed, _ = AccessAttempt.objects.filter(username=account.username).delete()
    _record(actor, account, "解除登录锁定")
    return removed
