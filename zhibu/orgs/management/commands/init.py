from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "创建或升级数据库（可重复运行）"

    def handle(self, *args, **options):
        call_command("migrate", interactive=False, verbosity=0)
        from django.conf import settings

        database = settings.DATABASES["default"]
        where = database["NAME"] if "sqlite" in database["ENGINE"] else f"PostgreSQL {database.get('HOST')}/{database['NAME']}"
        self.stdout.write(f"数据库已就绪：{where}")
