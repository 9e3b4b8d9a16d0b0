"""Every page carries a Content-Security-Policy that allows only this site's scripts; HSTS behind HTTPS."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

TEMPLATES = Path(__file__).resolve().parents[1] / "zhibu" / "templates"


@pytest.mark.parametrize("path", ["/login/", "/", "/static/zhibu/app.css", "/no-such-page/"])
def test_every_response_has_the_policy(client, tree, path):
    client.force_login(tree.users.organiser)
    response = client.get(path)
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    assert "object-src 'none'" in policy and "frame-ancestors 'none'" in policy


def test_no_template_holds_inline_script_or_event_handler():
    offenders = []
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text()
        for match in re.finditer(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", text):
            offenders.append(f"{template.name}: {match.group(0)}")
        for match in re.finditer(r"\son[a-z]+\s*=", text):
            offenders.append(f"{template.name}: {match.group(0)}")
        if "javascript:" in text:
            offenders.append(f"{template.name}: javascript: URL")
    assert not offenders, offenders


def _setting(name: str, **env) -> str:
    code = f"import zhibu.settings as s; print(getattr(s, {name!r}, None))"
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "zhibu.settings", **env}
    return subprocess.run([sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True).stdout.strip()


def test_hsts_and_secure_cookies_only_when_served_over_https(tmp_path):
    assert _setting("SECURE_HSTS_SECONDS", ZHIBU_HTTPS="0", ZHIBU_DATA_DIR=str(tmp_path)) in ("None", "0")
    assert _setting("SECURE_HSTS_SECONDS", ZHIBU_HTTPS="1", ZHIBU_DATA_DIR=str(tmp_path)) == str(365 * 24 * 3600)
    assert _setting("SESSION_COOKIE_SECURE", ZHIBU_HTTPS="1", ZHIBU_DATA_DIR=str(tmp_path)) == "True"


def test_hsts_header_is_sent_on_https_requests(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    response = client.get(reverse("login"), secure=True)
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
