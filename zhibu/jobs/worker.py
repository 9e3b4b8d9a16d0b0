"""Running the queued tasks: a worker loop of django-tasks-db, in a thread of `zhibu serve` or in `zhibu worker`.

Several workers (threads or processes, on several machines) may run against one PostgreSQL database: each
claims a task under a row lock, so a job runs once.
"""

from __future__ import annotations

import logging
import os
import socket
import threading

from django.db import DatabaseError
from django.utils.crypto import get_random_string

logger = logging.getLogger(__name__)


def make_worker(*, interval: float = 1.0, batch: bool = False, max_tasks: int | None = None):
    from django_tasks_db.management.commands.db_worker import Worker

    worker_id = f"{socket.gethostname()[:30]}-{os.getpid()}-{get_random_string(8)}"
    return Worker(queue_names=["default"], interval=interval, batch=batch, backend_name="default",
                  startup_delay=False, max_tasks=max_tasks, worker_id=worker_id, excluded_queue_names=[])


def queue_daily_refresh() -> None:
    """A worker starting queues the stored judgements' refresh (jobs/tasks.py): now, as the code or the rules may
    have changed since they were judged, and from then on each night. A database not yet migrated is left be."""
    from zhibu.jobs.tasks import schedule_refresh

    try:
        schedule_refresh()
    except DatabaseError:
        logger.exception("the refresh of stored judgements could not be queued")


def start_thread(interval: float = 1.0) -> threading.Thread:
    """A daemon thread running queued jobs beside the web server (so the demo needs nothing else started)."""

    def loop():
        from django.db import connection

        worker = make_worker(interval=interval)
        try:
            queue_daily_refresh()
            worker.run()
        except Exception:  # the web keeps serving; the log says why jobs stopped
            logger.exception("the background worker thread stopped")
        finally:
            connection.close()

    thread = threading.Thread(target=loop, name="zhibu-worker", daemon=True)
    thread.start()
    return thread
