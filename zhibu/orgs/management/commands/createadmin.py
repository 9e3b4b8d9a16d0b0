import getpass

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from zhibu.lib.passwords import check_password_for
from zhibu.lib.textinput import join_clauses


class Command(BaseCommand):
    help = "创建系统管理员登录（可查看和管理全部组织）"

    def add_arguments(self, parser):
        parser.add_argument("username", help="登录名")
        parser.add_argument("--password", help="密码（不填则交互输入）")

    def handle(self, *args, username, password=None, **options):
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            raise CommandError(f"登录名“{username}”已存在，请换一个")
        if password is None:
            password = getpass.getpass("密码: ")
            if getpass.getpass("再输入一次: ") != password:
                raise CommandError("两次输入的密码不一致")
        try:
            check_password_for(password, username)
        except ValidationError as error:
            raise CommandError("密码不符合要求：" + join_clauses(error.messages)) from None
        User.objects.create_superuser(username=username, password=password)
        self.stdout.write(f"已创建管理员“{username}”")
