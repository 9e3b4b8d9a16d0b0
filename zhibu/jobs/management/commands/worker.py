from django.core.management.base import BaseCommand

from zhibu.jobs.worker import make_worker, queue_daily_refresh


class Command(BaseCommand):
    help = "运行后台任务（大的导出、导入、全部述职报告、台账）；可在多台机器上各启动几个，共用 PostgreSQL"

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1.0, help="无任务时隔几秒再查（默认 1）")
        parser.add_argument("--batch", action="store_true", help="做完排队中的任务就退出")

    def handle(self, *args, interval, batch, **options):
        worker = make_worker(interval=interval, batch=batch)
        if not batch:  # a worker left running keeps the stored judgements current; a batch run only drains the queue
            queue_daily_refresh()
        self.stdout.write(f"后台任务处理已启动（{worker.worker_id}），按 Ctrl+C 停止")
        self.stdout.flush()
        worker.configure_signals()
        worker.run()
