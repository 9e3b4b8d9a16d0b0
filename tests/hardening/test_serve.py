"""`zhibu serve` in a crowded hall: idle keep-alive connections neither shut new visitors out nor stay open."""

import os
import socket
import subprocess
import time
import urllib.request

from tests.cli.test_commands import ZHIBU, _free_port, run_zhibu
from zhibu.web.server import server_options


def test_the_limits_are_sized_for_a_hall_and_come_from_settings(settings):
    settings.SERVE_CHANNEL_TIMEOUT = 7
    options = server_options()
    assert options["connection_limit"] >= 500 and options["threads"] >= 8 and options["asyncore_use_poll"]
    assert options["channel_timeout"] == 7 and options["cleanup_interval"] <= 5
    assert server_options(4, "127.0.0.1")["trusted_proxy"] == "127.0.0.1"


def test_idle_connections_do_not_shut_new_visitors_out_and_are_closed(tmp_path):
    run_zhibu("init", data_dir=tmp_path)
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(ZHIBU_DATA_DIR=str(tmp_path), ZHIBU_SERVE_CHANNEL_TIMEOUT="2")
    server = subprocess.Popen([str(ZHIBU), "serve", "--addr", f"127.0.0.1:{port}"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    idle = []
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=2).read()
                break
            except OSError:
                time.sleep(0.1)
        # 150 phones that connected and said nothing (waitress's own limit is 100 connections).
        idle = [socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(150)]
        time.sleep(0.5)
        started = time.monotonic()
        page = urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=10).read().decode()
        assert "登录" in page and time.monotonic() - started < 5
        time.sleep(6)  # channel_timeout 2 s, checked every second
        closed = 0
        for sock in idle:
            sock.settimeout(1)
            try:
                closed += sock.recv(1) == b""
            except (ConnectionResetError, TimeoutError, socket.timeout):
                pass
        assert closed == len(idle)
    finally:
        for sock in idle:
            sock.close()
        server.terminate()
        server.wait(timeout=10)
