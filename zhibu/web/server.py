"""Serving the app in production: waitress, a WSGI server in pure Python (no compiler, runs anywhere)."""

from django.core.management.base import CommandError


def parse_addr(addr: str) -> tuple[str, int]:
    host, _, port = addr.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise CommandError(f"地址“{addr}”无效，请写成 主机:端口，例如 127.0.0.1:8000 或 0.0.0.0:8000")
    return host.strip("[]"), int(port)


def server_options(threads: int | None = None, trusted_proxy: str = "") -> dict:
    """waitress's settings for a meeting hall of several hundred phones (ZHIBU_SERVE_* settings).

    waitress's own defaults (100 connections, idle ones kept 120 s) let about a hundred idle keep-alive
    connections shut everybody else out; here idle connections are closed after `channel_timeout` seconds,
    checked every few seconds, and poll() is used so more than 1024 sockets can be open.
    """
    from django.conf import settings

    options = {
        "threads": threads or settings.SERVE_THREADS,
        "connection_limit": settings.SERVE_CONNECTION_LIMIT,
        "channel_timeout": settings.SERVE_CHANNEL_TIMEOUT,
        "cleanup_interval": max(1, min(5, settings.SERVE_CHANNEL_TIMEOUT // 2)),
        "backlog": settings.SERVE_BACKLOG,
        "asyncore_use_poll": True,
        "ident": "zhibu",
    }
    if trusted_proxy:
        # Behind nginx & co.: the client's address and https come from the proxy's headers, from that proxy only.
        options.update(trusted_proxy=trusted_proxy, trusted_proxy_headers={"x-forwarded-for", "x-forwarded-proto"},
                       clear_untrusted_proxy_headers=True)
    return options


def _raise_open_file_limit(wanted: int) -> None:
    """Every connection is a file descriptor; lift the soft limit towards the hard one when it is too low."""
    try:
        import resource
    except ImportError:  # not on Windows
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))


def serve(addr: str, threads: int | None = None, trusted_proxy: str = "", *, worker: bool = True) -> None:
    """Serve the app with waitress, a production WSGI server in pure Python (no compiler, runs anywhere).

    With `worker`, a thread beside it runs the background jobs (zhibu/jobs/), so nothing else need be started."""
    from waitress import serve as waitress_serve

    from zhibu.wsgi import application

    if worker:
        from zhibu.jobs.worker import start_thread

        start_thread()
    host, port = parse_addr(addr)
    options = server_options(threads, trusted_proxy)
    _raise_open_file_limit(options["connection_limit"] + 256)
    waitress_serve(application, host=host, port=port, **options)
