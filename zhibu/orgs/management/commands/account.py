import getpass

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from zhibu.orgs import access
from zhibu.orgs.accounts import AccountRequest, create_account
from zhibu.orgs.models import Person, Role
from zhibu.lib.textinput import join_clauses


class Command(BaseCommand):
    help = "开通登录账号：党员本人登录，或授予党委管理员、支部书记、党务干事角色"

    def add_arguments(self, parser):
        parser.add_argument("username", help="登录名")
        parser.add_argument("--password", help="密码（不填则交互输入）")
        parser.add_argument("--person", help="对应的人员姓名（党员登录），需同时给出 --branch")
        parser.add_argument("--branch", help="该人员所在党支部名称")
        parser.add_argument("--role", choices=Role.values, help="授予的角色：committee_admin 党委管理员，secretary 支部书记，clerk 党务干事")
        parser.add_argument("--org", help="授权的组织名称（与 --role 一起使用）")

    def handle(self, *args, username, password, person, branch, role, org, **options):
        actor = access.SYSTEM
        target_person = None
        if person:
            if not branch:
                raise CommandError("使用 --person 时请用 --branch 指明其所在党支部")
            target_person = Person.objects.filter(name=person, branch__name=branch).first()
            if target_person is None:
                raise CommandError(f"{branch}中没有名为“{person}”的人员")
        target_org = None
        if role:
            if not org:
                raise CommandError("使用 --role 时请用 --org 指明授权的组织")
            try:
                target_org = access.org_by_name_for(actor, org)
            except LookupError as error:
                raise CommandError(str(error)) from None
        if password is None:
            password = getpass.getpass("密码: ")
        try:
            create_account(actor, AccountRequest(username, password, target_person, role, target_org))
        except ValidationError as error:
            raise CommandError(join_clauses(error.messages)) from None
        self.stdout.write(f"已开通登录“{username}”")
