from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from zhibu.demo.build import COMMITTEE_NAME, DEMO_PASSWORD, build_demo, demo_exists
from zhibu.web.server import parse_addr, serve


class Command(BaseCommand):
    help = "生成演示单位（虚构的机关党委、5个党支部和人员）并启动网站"

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true", help="只生成数据，不启动网站")
        parser.add_argument("--addr", default="127.0.0.1:8000", help="网站地址（默认 127.0.0.1:8000）")

    def handle(self, *args, no_serve, addr, **options):
        call_command("init", stdout=self.stdout)
        if demo_exists():
            self.stdout.write(f"演示数据已存在（{COMMITTEE_NAME}），未重复生成")
        else:
            from django.contrib.auth import get_user_model

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
