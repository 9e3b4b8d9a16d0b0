"""Serving the app in production: waitress, a WSGI server in pure Python (no compiler, runs anywhere)."""

from django.core.management.base import CommandError


def parse_addr(addr: str) -> tuple[str, int]:
    host, _, port = addr.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise CommandError(f"地址“{addr}”无效，请写成 主机:端口，例如 127.0.0.1:8000 或 0.0.0.0:8000")
    return host.strip("[]"), int(port)


def serve(addr: str, threads: int = 8) -> None:
    """Serve the app with waitress, a production WSGI server in pure Python (no compiler, runs anywhere)."""
    from waitress import serve as waitress_serve

    from zhibu.wsgi import application

    host, port = parse_addr(addr)
    waitress_serve(application, host=host, port=port, threads=threads, ident="zhibu")
