"""Writing the personal-data access log: every full view of an ID-card number and every export of personal data.

Reading it is scoped in access.access_log (a 党委管理员 reads its subtree's entries).
"""

from django.contrib.auth import get_user_model

from zhibu.orgs.models import Organisation, Person, PersonalDataAccess


def _who(user) -> tuple:
    if isinstance(user, get_user_model()):
        return user, user.username
    return None, str(user)  # the command-line operator


def log_full_view(user, person: Person, where: str) -> None:
    """``user`` was shown ``person``'s ID-card number in full (on ``where``: 人员页面, 编辑表单…)."""
    if not person.id_number:
        return
    account, username = _who(user)
    PersonalDataAccess.objects.create(
        user=account, username=username, action=PersonalDataAccess.VIEW, what=f"{where}：{person.name}的身份证号",
        org=person.branch, org_name=person.branch.name, person=person, people=1,
    )


def log_export(user, org: Organisation | None, what: str, people: int, *, masked: bool) -> None:
    """``user`` exported ``people`` people's personal data of ``org``'s subtree (None: several or all)."""
    account, username = _who(user)
    PersonalDataAccess.objects.create(
        user=account, username=username, action=PersonalDataAccess.EXPORT,
        what=what + ("（身份证号、手机号已隐去中间位）" if masked else "（含完整身份证号、手机号）"),
        org=org, org_name=org.name if org else "全部组织", people=people, masked=masked,
    )


def log_workbook_export(user, orgs, *, masked: bool, what: str = "数据交换工作簿") -> None:
    """Log an export of the people of ``orgs``: one entry per topmost organisation, so each committee reads its own."""
    from zhibu.orgs import access

    chosen = list(orgs.order_by("path"))
    roots = []
    for org in chosen:
        if not any(org.path.startswith(root.path) for root in roots):
            roots.append(org)
    for root in roots:
        within = [org.pk for org in chosen if org.path.startswith(root.path)]
        people = access.visible_people(user).filter(branch__in=within).count() if user is not None else 0
        if people:
            log_export(user, root, what, people, masked=masked)
