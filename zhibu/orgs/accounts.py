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

