"""Settings for zhibu, read from the environment (the README's table lists the same variables).

ZHIBU_DATA_DIR               where the SQLite database, uploads and the generated secret key live (default ./var)
DATABASE_URL                 postgres://user@host:port/name switches to PostgreSQL
ZHIBU_SECRET_KEY             the signing key; by default one generated once per data directory (file secret_key)
ZHIBU_DEBUG                  1 for development error pages (default 0)
ZHIBU_ALLOWED_HOSTS          comma-separated host names (default localhost,127.0.0.1,[::1])
ZHIBU_CSRF_TRUSTED_ORIGINS   comma-separated origins such as https://zhibu.example.cn (behind a proxy)
ZHIBU_HTTPS                  1 when served over HTTPS only: secure cookies, redirect to https, HSTS (default 0)
ZHIBU_PROXY_SSL_HEADER       the header a reverse proxy sets for HTTPS requests (default X-Forwarded-Proto when ZHIBU_HTTPS=1)
ZHIBU_HSTS_SECONDS           HSTS max-age when ZHIBU_HTTPS=1 (default 31536000)
ZHIBU_CONN_MAX_AGE           seconds a database connection is kept (default 60)
ZHIBU_LOGIN_FAILURE_LIMIT    failed logins before a lock-out (default 5)
ZHIBU_LOGIN_COOLOFF_MINUTES  minutes a lock-out lasts (default 30)
ZHIBU_LOGIN_ADDRESS_FAILURE_LIMIT  failed logins from one address, across user names, before a lock-out (default 20)
ZHIBU_PROXY_COUNT            reverse proxies in front, whose X-Forwarded-For the login limits read (default 0)
ZHIBU_MAX_FORM_BYTES         largest form body without its files (default 2621440)
ZHIBU_MAX_FORM_FIELDS        most fields in one form (default 10000)
ZHIBU_BALLOT_MINIMUM         fewest ballots before a vote's results are shown (default 5; each vote may set its own)
ZHIBU_IMPORT_MAX_ROWS        most rows in one imported workbook (default 50000)
ZHIBU_LOG_LEVEL              logging level (default WARNING)

Importing the settings writes nothing: `zhibu` and the WSGI application create the data directory and the
key file (zhibu/datadir.py) before Django starts.
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


def _secret_key() -> str:
    """The data directory's key (so several app processes sharing it agree); a key of this process only when
    nothing prepared the directory (a test run, `python -m django makemigrations`)."""
    if os.environ.get("ZHIBU_SECRET_KEY"):
        return os.environ["ZHIBU_SECRET_KEY"]
    key_file = DATA_DIR / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    return secrets.token_urlsafe(50)


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
    "django_tasks",
    "django_tasks_db",
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
    "zhibu.ballots",
    "zhibu.review",
    "zhibu.appraisal",
    "zhibu.elections",
    "zhibu.stats",
    "zhibu.jobs",
]

# Background jobs (zhibu/jobs/): Django's tasks framework with its database backend, so a plain SQLite install
# needs no extra server; `zhibu serve` runs a worker thread, `zhibu worker` runs more on PostgreSQL.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# Every message shown on a page has its doubled punctuation ("。；") made one.
MESSAGE_STORAGE = "zhibu.web.messagestorage.TidyStorage"

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
    # Every page needs a login unless its view is marked login_not_required (the login page, the API,
    # which answers 401 itself): a new view cannot forget it.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
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

# Results of a secret vote are shown only from this many ballots on (see zhibu.ballots).
ZHIBU_BALLOT_MINIMUM = envint("ZHIBU_BALLOT_MINIMUM", 5)

# Five failed logins for one user name from one address lock that pair out for 30 minutes; and failures from
# one address across all user names (password spraying) lock that address out once they reach the address limit.
# django-axes compares one limit with all parameter sets, so zhibu.web.loginlimits gives each set its own.
LOGIN_FAILURE_LIMIT = envint("ZHIBU_LOGIN_FAILURE_LIMIT", 5)
LOGIN_ADDRESS_FAILURE_LIMIT = envint("ZHIBU_LOGIN_ADDRESS_FAILURE_LIMIT", 20)
# A record's 金额 above this many yuan is asked about before it is saved (a slip of a digit or two).
AMOUNT_CONFIRM_ABOVE = envint("ZHIBU_AMOUNT_CONFIRM_ABOVE", 100000)

AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_HANDLER = "zhibu.web.loginlimits.LoginLimitsHandler"
AXES_COOLOFF_TIME = envint("ZHIBU_LOGIN_COOLOFF_MINUTES", 30) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_LOCKOUT_CALLABLE = "zhibu.web.loginlimits.lockout_response"
AXES_USERNAME_CALLABLE = "zhibu.web.loginlimits.attempted_username"
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
STATIC_ROOT = DATA_DIR / "static"  # created by zhibu/datadir.py: whitenoise warns about a missing one
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

# Behind HTTPS (ZHIBU_HTTPS=1): cookies only over HTTPS, plain HTTP redirected, browsers told to remember it.
# A reverse proxy that ends TLS says so in a header (ZHIBU_PROXY_SSL_HEADER=X-Forwarded-Proto); trust it only
# when the proxy always sets it.
HTTPS = envbool("ZHIBU_HTTPS", False)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = envint("ZHIBU_HSTS_SECONDS", 31536000) if HTTPS else 0
# HSTS for this host only and no preload list: a unit's other intranet hosts need not all speak HTTPS.
SILENCED_SYSTEM_CHECKS = ["security.W005", "security.W021"]
_PROXY_SSL_HEADER = os.environ.get("ZHIBU_PROXY_SSL_HEADER", "X-Forwarded-Proto" if HTTPS else "").strip()
if _PROXY_SSL_HEADER:
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _PROXY_SSL_HEADER.upper().replace("-", "_"), "https")
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("ZHIBU_LOG_LEVEL", "WARNING")},
}
