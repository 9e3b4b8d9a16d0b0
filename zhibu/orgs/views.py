"""Pages for the organisation tree and the people in it. Every lookup goes through zhibu.orgs.access."""

from datetime import date

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from zhibu.lib.params import id_param, year_param
from zhibu.orgs import access, membership
from zhibu.orgs.accesslog import log_full_view
from zhibu.orgs.accounts import (
    AccountRefused,
    create_account,
    is_locked_out,
    reset_password,
    revoke_grant,
    set_active,
    unlock,
    visible_accounts,
)
from zhibu.orgs.forms import AccountForm, OrganisationForm, PersonForm
from django.views.decorators.http import require_POST

from zhibu.lib.history import ChangeLine, change_lines
from zhibu.orgs.models import AccountEvent, OrgOptions, option_on, Category, Grant, Organisation, OrgKind, Person, PersonPost, Post
from zhibu.orgs.people import by_post, ordered_ids


def org_tree(request: HttpRequest) -> HttpResponse:
    orgs = (
        access.visible_orgs(request.user)
        .annotate(
            member_count=Count("people", filter=Q(people__category__in=[Category.FULL, Category.PROBATIONARY])),
            full_count=Count("people", filter=Q(people__category=Category.FULL)),
        )
        .order_by("path")
    )
    top_depth = min((org.depth for org in orgs), default=1)
    return render(request, "orgs/tree.html", {"orgs": orgs, "top_depth": top_depth,
                                              "can_add": access.is_manager(request.user)})


def org_detail(request: HttpRequest, pk: int) -> HttpResponse:
    org = access.get_or_404(access.visible_orgs(request.user), pk=pk)
    people = access.visible_people(request.user).filter(Q(branch=org) | Q(group=org)).on_roll().select_related("group").prefetch_related("posts")
    children = access.visible_orgs(request.user).filter(path__startswith=org.path, depth=org.depth + 1)
    counts = {category: sum(1 for p in people if p.category == category) for category in Category.values}
    year = year_param(request.GET.get("year"), date.today().year)
    can_manage = access.can_manage(request.user, org)
    arrivals, departures = membership.moves_in_year(org, year) if can_manage and org.is_branch else ([], [])
    return render(request, "orgs/detail.html", {
        "org": org,
        "moves_year": year,
        "arrivals": arrivals,
        "departures": departures,
        "people": by_post(people),
        "children": children.order_by("name"),
        "counts": counts,
        "can_manage": access.can_manage(request.user, org),
        "ancestors": Organisation.objects.get_ancestors(org).filter(pk__in=access.visible_org_ids(request.user)),
    })


def org_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    org = access.get_or_404(access.managed_orgs(request.user), pk=pk) if pk else Organisation()
    if pk is None and not access.is_manager(request.user):
        return access.not_found()
    initial = {}
    if pk is None and request.GET.get("parent"):
        initial["parent"] = access.managed_orgs(request.user).filter(pk=id_param(request.GET["parent"])).first()
    form = OrganisationForm(request.POST or None, instance=org, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        org = form.save()
        messages.success(request, f"已保存组织“{org.name}”")
        return redirect("org_detail", pk=org.pk)
    return render(request, "orgs/edit.html", {"form": form, "org": org if pk else None})


PEOPLE_PER_PAGE = 50


def person_list(request: HttpRequest) -> HttpResponse:
    people = access.visible_people(request.user).select_related("branch", "group").prefetch_related("posts")
    query = request.GET.get("q", "").strip()
    if query:
        people = people.filter(Q(name__contains=query) | Q(phone__contains=query) | Q(id_number__contains=query))
    branch_choices = access.visible_orgs(request.user).filter(kind__in=[OrgKind.BRANCH, OrgKind.GROUP]).order_by("path")
    selected = access.chosen_org(request, branch_choices)
    if selected:
        people = people.filter(Q(branch=selected) | Q(group=selected))
    category = request.GET.get("category", "")
    if category in Category.values:
        people = people.filter(category=category)
    post = request.GET.get("post", "")
    if post in Post.values:
        people = people.filter(posts__post=post)
    if request.GET.get("cadre") == "1":
        people = people.filter(is_leading_cadre=True)
    order = request.GET.get("order", "strokes")
    ordered = ordered_ids(people.distinct(), order)
    page = Paginator(ordered, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    shown = people.order_by().distinct().in_bulk(list(page.object_list))
    page.object_list = [shown[pk] for pk in page.object_list]
    template = "orgs/_people_rows.html" if request.htmx else "orgs/people.html"
    return render(request, template, {
        "page": page,
        "total": len(ordered),
        "query": query,
        "branch_choices": branch_choices,
        "categories": Category.values,
        "posts": Post.values,
        "filters": request.GET,
        "can_add": access.is_manager(request.user),
    })


def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.get_or_404(access.visible_people(request.user).select_related("branch", "group"), pk=pk)
    can_manage = access.managed_people(request.user).filter(pk=pk).exists()
    full_personal = access.sees_personal_data(request.user, person)
    if full_personal:
        log_full_view(request.user, person, "人员页面")
    periods, events = membership.history(person)
    return render(request, "orgs/person.html", {
        "person": person,
        "can_manage": can_manage,
        "full_personal": full_personal,
        "periods": periods,
        "events": events,
        "pending": membership.pending_internal(person),
        "state": membership.state_on(person, date.today()),
        "on_roll": membership.on_roll(person),
        "exemption": next((e for e in person.exemptions.all() if e.covers(date.today())), None),
        "changes": person_changes(person) if can_manage else [],
    })


def person_changes(person: Person):
    return change_lines(
        person.history.all(), PersonPost.history.filter(person_id=person.pk),
        subject=lambda entry: "党内职务" if entry.instance_type is PersonPost else "人员信息",
    )


def person_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    if pk:
        person = access.get_or_404(access.managed_people(request.user), pk=pk)
    elif access.is_manager(request.user):
        person = Person()
    else:
        return access.not_found()
    initial = {}
    if pk is None and request.GET.get("branch"):
        initial["branch"] = access.managed_orgs(request.user).filter(pk=id_param(request.GET["branch"]), kind=OrgKind.BRANCH).first()
    form = PersonForm(request.POST or None, instance=person, user=request.user, initial=initial)
    if request.method == "GET" and pk and "id_number" not in form.masked_fields:
        log_full_view(request.user, person, "编辑表单")
    if request.method == "POST" and form.is_valid():
        person = form.save()
        messages.success(request, f"已保存“{person.name}”")
        return redirect("person_detail", pk=person.pk)
    return render(request, "orgs/person_edit.html", {"form": form, "person": person if pk else None})


class OptionsForm(forms.ModelForm):
    class Meta:
        model = OrgOptions
        fields = ["sign_in", "points_ranking"]


def org_options(request: HttpRequest, pk: int) -> HttpResponse:
    """The tools a committee or branch uses (签到, 积分排名): its 书记 or 党委管理员 switches them for its subtree."""
    org = access.get_or_404(access.managed_orgs(request.user).exclude(kind=OrgKind.GROUP), pk=pk)
    if not access.grantable_roles(request.user, org):  # a 党务干事 uses the tools; the secretary chooses them
        access.not_found()
    options = OrgOptions.objects.filter(org=org).first() or OrgOptions(org=org)
    form = OptionsForm(request.POST if request.method == "POST" else None, instance=options)  # all unticked: an empty POST
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"已保存{org.name}的可选功能，适用于{org.name}及下级组织")
        return redirect("org_detail", pk=org.pk)
    above_off = {name: not option_on(Organisation.objects.get_parent(org), name) for name in ("sign_in", "points_ranking")}
    return render(request, "orgs/options.html", {
        "org": org, "form": form, "above_off": above_off,
        "changes": change_lines(options.history.all(), subject=lambda entry: "可选功能") if options.pk else [],
    })


def account_list(request: HttpRequest) -> HttpResponse:
    if not access.is_manager(request.user):
        access.not_found()
    form = AccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        create_account(request.user, form.request)
        messages.success(request, f"已开通登录“{form.request.username}”")
        return redirect("account_list")
    managed = access.managed_orgs(request.user)
    grants = Grant.history.filter(org_id__in=managed.values("pk")).select_related("org", "user")
    changes = change_lines(grants, subject=lambda entry: f"{entry.user} · {entry.org.name if entry.org else ''} · {entry.get_role_display()}")
    accounts = list(visible_accounts(request.user))
    events = AccountEvent.objects.filter(account__in=accounts).select_related("account", "actor")[:200]
    changes = sorted([*changes, *(ChangeLine(event.at, _login_name(event.actor), "账号", event.account.username, event.what)
                                  for event in events)], key=lambda line: line.when, reverse=True)
    rows = [{"account": account, "manageable": access.may_manage_login(request.user, account),
             "locked": is_locked_out(account),
             "grants": [(grant, access.may_change_grant(request.user, grant)) for grant in account.grants.all()]}
            for account in accounts]
    overview = Grant.objects.filter(org__in=managed).select_related("org", "user__person").order_by("org__path", "role", "user__username")
    return render(request, "orgs/accounts.html", {
        "rows": rows, "form": form, "changes": changes, "history_title": "授权和账号变更记录",
        "can_read_access_log": access.may_read_access_log(request.user), "overview": overview,
        "temporary_password": request.session.pop("temporary_password", None),
    })


def _login_name(user) -> str:
    if user is None:
        return "系统（导入或命令行）"
    person = getattr(user, "person", None)
    return person.name if person else user.username


def _managed_account(request, pk: int):
    account = access.get_or_404(visible_accounts(request.user), pk=pk)
    if not access.may_manage_login(request.user, account):
        access.not_found()
    return account


@require_POST
def account_action(request: HttpRequest, action: str) -> HttpResponse:
    """停用 / 启用 / 重设密码 / 解除锁定 of the posted login, by those above it (404 for any other)."""
    pk = id_param(request.POST.get("account"))
    if pk is None:
        access.not_found()
    account = _managed_account(request, pk)
    label = account.person.name if getattr(account, "person", None) else account.username
    if action == "disable":
        set_active(request.user, account, False)
        messages.success(request, f"已停用“{label}”的登录；启用前无法登录")
    elif action == "enable":
        set_active(request.user, account, True)
        messages.success(request, f"已启用“{label}”的登录")
    elif action == "reset":
        password = reset_password(request.user, account)
        request.session["temporary_password"] = {"who": label, "username": account.username, "password": password}
        messages.success(request, f"已重设“{label}”的密码，请把临时密码当面告知本人，并提醒登录后修改")
    elif action == "unlock":
        unlock(request.user, account)
        messages.success(request, f"已解除“{label}”的登录锁定，现在可以登录")
    else:
        access.not_found()
    return redirect("account_list")


@require_POST
def grant_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    grant = access.get_or_404(Grant.objects.filter(org__in=access.managed_orgs(request.user)).select_related("org", "user"), pk=pk)
    try:
        revoke_grant(request.user, grant)
    except AccountRefused:
        access.not_found()
    messages.success(request, f"已撤销“{grant.user.username}”在{grant.org.name}的{grant.get_role_display()}授权")
    return redirect("account_list")


ACCESS_LOG_PER_PAGE = 100


def access_log(request: HttpRequest) -> HttpResponse:
    """Who looked at ID-card numbers in full or exported personal data, within what a 党委管理员 answers for."""
    if not access.may_read_access_log(request.user):
        access.not_found()
    page = Paginator(access.access_log(request.user), ACCESS_LOG_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "orgs/access_log.html", {"page": page})
