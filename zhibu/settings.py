"""Settings for zhibu, read from the environment.

ZHIBU_DATA_DIR   where the SQLite database, uploads and the generated secret key live (default ./var)
DATABASE_URL     postgres://user@host:port/name switches to PostgreSQL
ZHIBU_DEBUG      1 for development error pages (default 0)
ZHIBU_ALLOWED_HOSTS  comma-separated host names (default localhost,127.0.0.1)
ZHIBU_HTTPS      1 when served over HTTPS behind a reverse proxy: HSTS and secure cookies
"""

import os
import secrets
from pathlib import Path

import dj_database_url


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"环境变量 {name}={value!r} 无法识别，请填 1 或 0")


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ValueError(f"环境变量 {name}={value!r} 不是整数") from None


PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("ZHIBU_DATA_DIR", "var")).resolve()
if not DATA_DIR.exists():
    # The database, uploads and secret key are readable by the app's user only.
    DATA_DIR.mkdir(mode=0o700, parents=True)


def _secret_key() -> str:
    """A key generated once per data directory, so several app processes sharing it agree."""
    if os.environ.get("ZHIBU_SECRET_KEY"):
        return os.environ["ZHIBU_SECRET_KEY"]
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        with os.fdopen(os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as handle:
            handle.write(secrets.token_urlsafe(50))
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = envbool("ZHIBU_DEBUG", False)
ALLOWED_HOSTS = [h for h in os.environ.get("ZHIBU_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("ZHIBU_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "treebeard",
    "django_htmx",
    "simple_history",
    "axes",
    "zhibu.orgs",
    "zhibu.exchange",
    "zhibu.compliance",
    "zhibu.reports",
    "zhibu.records",
    "zhibu.lists",
    "zhibu.web",
    "zhibu.demo",
    "zhibu.dues",
    "zhibu.development",
    "zhibu.points",
    "zhibu.review",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy (scripts from this site only) on every response, static files included.
    "zhibu.web.security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it records failed logins and locks out repeated ones.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "zhibu.urls"
WSGI_APPLICATION = "zhibu.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "zhibu.web.context.navigation",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'zhibu.sqlite3'}", conn_max_age=envint("ZHIBU_CONN_MAX_AGE", 60)
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    _database_file = Path(DATABASES["default"]["NAME"])
    if not _database_file.exists() and _database_file.parent.is_dir():
        # Created empty with 0600 before SQLite opens it; SQLite gives its -wal and -shm files the same mode.
        os.close(os.open(_database_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    # Several requests may write at once; WAL plus a busy timeout avoids "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "timeout": envint("ZHIBU_SQLITE_BUSY_TIMEOUT", 20),  # seconds a write waits for another to finish
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Django's validators with Chinese messages (zhibu/lib/passwords.py), on every password set.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "zhibu.lib.passwords.UserAttributeSimilarityValidator"},
    {"NAME": "zhibu.lib.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "zhibu.lib.passwords.CommonPasswordValidator"},
    {"NAME": "zhibu.lib.passwords.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Five failed logins for one user name from one address lock that pair out for 30 minutes; and failures from
# one address across all user names (password spraying) lock that address out once they reach the address limit.
# django-axes compares one limit with all parameter sets, so zhibu.web.loginlimits gives each set its own.
LOGIN_FAILURE_LIMIT = envint("ZHIBU_LOGIN_FAILURE_LIMIT", 5)
LOGIN_ADDRESS_FAILURE_LIMIT = envint("ZHIBU_LOGIN_ADDRESS_FAILURE_LIMIT", 20)
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_HANDLER = "zhibu.web.loginlimits.LoginLimitsHandler"
AXES_COOLOFF_TIME = envint("ZHIBU_LOGIN_COOLOFF_MINUTES", 30) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_LOCKOUT_CALLABLE = "zhibu.web.loginlimits.lockout_response"
# Behind a reverse proxy every visitor arrives from the proxy's address: count the client's address that the proxy
# puts in X-Forwarded-For instead (ZHIBU_PROXY_COUNT=1 for one proxy), or all members would share one limit.
LOGIN_PROXY_COUNT = envint("ZHIBU_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "zhibu.web.loginlimits.client_address"
AXES_RESET_ON_SUCCESS = True

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns about a missing directory even when serving from the apps
# Static files are served by the app itself from the packages (no collectstatic step, no CDN).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = DATA_DIR / "uploads"
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# A form's fields (everything but uploaded files) may be at most 2.5 MB: the longest text field (会议内容, 20,000
# characters) is well below it; a bigger body is refused with a 400 page before any view reads it.
DATA_UPLOAD_MAX_MEMORY_SIZE = envint("ZHIBU_MAX_FORM_BYTES", 2_621_440)
# The widest form is a branch's dues grid (members × 12 months, with a version per cell).
DATA_UPLOAD_MAX_NUMBER_FIELDS = envint("ZHIBU_MAX_FORM_FIELDS", 10000)
DATA_UPLOAD_MAX_NUMBER_FILES = 20
# Rows per imported workbook (all sheets together): several times a large committee's year of records.
IMPORT_MAX_ROWS = envint("ZHIBU_IMPORT_MAX_ROWS", 50000)
# Every uploaded .xlsx/.docx is checked against these before it is parsed (zhibu/lib/uploads.py).
UPLOAD_MAX_UNCOMPRESSED_BYTES = envint("ZHIBU_UPLOAD_MAX_UNCOMPRESSED_MB", 64) * 1024 * 1024
UPLOAD_MAX_PARTS = envint("ZHIBU_UPLOAD_MAX_PARTS", 1000)
UPLOAD_MAX_ROWS = envint("ZHIBU_UPLOAD_MAX_ROWS", 100_000)
UPLOAD_MAX_COLUMNS = envint("ZHIBU_UPLOAD_MAX_COLUMNS", 200)

# `zhibu serve` (waitress), sized for a meeting hall of several hundred phones; see README "Serving a crowded hall".
SERVE_THREADS = envint("ZHIBU_SERVE_THREADS", 16)
SERVE_CONNECTION_LIMIT = envint("ZHIBU_SERVE_CONNECTION_LIMIT", 1000)
SERVE_CHANNEL_TIMEOUT = envint("ZHIBU_SERVE_CHANNEL_TIMEOUT", 10)  # seconds an idle connection is kept open
SERVE_BACKLOG = envint("ZHIBU_SERVE_BACKLOG", 2048)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600
SECURE_CONTENT_TYPE_NOSNIFF = True
# Behind HTTPS (ZHIBU_HTTPS=1): browsers are told to use HTTPS only (HSTS), and cookies travel over HTTPS only.
HTTPS = envbool("ZHIBU_HTTPS", False)
if HTTPS:
    SECURE_HSTS_SECONDS = envint("ZHIBU_HSTS_SECONDS", 365 * 24 * 3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = False
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # The reverse proxy that ends TLS says so in this header (nginx: proxy_set_header X-Forwarded-Proto $scheme).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("ZHIBU_LOG_LEVEL", "WARNING")},
}
