from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from zhibu.demo.build import COMMITTEE_NAME, DEMO_PASSWORD, build_demo, demo_exists
from zhibu.web.server import parse_addr, serve


class Command(BaseCommand):
    help = "生成演示单位（虚构的机关党委、5个党支部和人员）并启动网站"

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true", help="只生成数据，不启动网站")
        parser.add_argument("--addr", default="127.0.0.1:8000", help="网站地址（默认 127.0.0.1:8000）")
        parser.add_argument("--force", action="store_true",
                            help="数据库中已有其他数据时仍生成演示单位（会加入密码公开的演示账号，切勿用于正式数据库）")

    def handle(self, *args, no_serve, addr, force, **options):
        call_command("init", stdout=self.stdout)
        if demo_exists():
            self.stdout.write(f"演示数据已存在（{COMMITTEE_NAME}），未重复生成")
        else:
            from django.contrib.auth import get_user_model

            from zhibu.orgs.models import Organisation, Person

            held = [f"{count} {what}" for what, count in (
                ("个组织", Organisation.objects.count()), ("名人员", Person.objects.count()),  # access: the operator, before filling
                ("个登录账号", get_user_model().objects.count())) if count]
            if held and not force:
                raise CommandError(
                    f"数据库中已有不是演示生成的数据（{'、'.join(held)}），演示单位会加入密码公开的账号，因此未生成。"
                    "请设置 ZHIBU_DATA_DIR 指向新目录后再运行；确需加入此数据库请加 --force")
            if get_user_model().objects.filter(username__in=["admin", "jgdw", "dy1"]).exists():
                raise CommandError("数据库中已有同名登录账号，演示数据须使用空数据库（可设置 ZHIBU_DATA_DIR 指向新目录）")
            logins = build_demo()
            self.stdout.write(f"已生成演示单位：{COMMITTEE_NAME}")
            self.stdout.write("演示账号（密码均为 %s）：" % DEMO_PASSWORD)
            for login in logins:
                self.stdout.write(f"  {login.username:<6} {login.role:<6} {login.scope}")
        parse_addr(addr)
        self.stdout.write(f"\n请在浏览器打开 http://{addr}/ ，用上面的账号登录，例如 admin / {DEMO_PASSWORD}（按 Ctrl+C 停止）")
        if not no_serve:
            serve(addr)
