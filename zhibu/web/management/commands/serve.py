from django.conf import settings
from django.core.management.base import BaseCommand

from zhibu.web.server import parse_addr, serve


class Command(BaseCommand):
    help = "启动网站（生产用服务器 waitress；多台机器时每台各启动一个，共用 PostgreSQL）"

    def add_arguments(self, parser):
        parser.add_argument("--addr", default="127.0.0.1:8000", help="监听地址（默认 127.0.0.1:8000；对内网开放用 0.0.0.0:8000）")
        parser.add_argument("--threads", type=int, default=None,
                            help=f"处理请求的线程数（默认 {settings.SERVE_THREADS}，环境变量 ZHIBU_SERVE_THREADS）")
        parser.add_argument("--trusted-proxy", default="",
                            help="前面的反向代理的地址（例如 127.0.0.1），其 X-Forwarded-For/-Proto 才被采信")
        parser.add_argument("--no-worker", action="store_true",
                            help="不在本进程中运行后台任务（另用 zhibu worker 运行时）")

    def handle(self, *args, addr, threads, trusted_proxy, no_worker=False, **options):
        host, _ = parse_addr(addr)
        if host not in ("127.0.0.1", "localhost", "::1") and host not in settings.ALLOWED_HOSTS and "*" not in settings.ALLOWED_HOSTS:
            self.stderr.write(f"提示：请把本机的访问地址加入 ZHIBU_ALLOWED_HOSTS（例如 ZHIBU_ALLOWED_HOSTS=zhibu.example,{host}），否则浏览器会得到 400 错误")
        self.stdout.write(f"支部党建工作系统已启动：http://{addr}/ （按 Ctrl+C 停止）")
        if not no_worker:
            self.stdout.write("后台任务在本进程中运行（另用 zhibu worker 时请加 --no-worker）")
        self.stdout.flush()
        serve(addr, threads, trusted_proxy, worker=not no_worker)
