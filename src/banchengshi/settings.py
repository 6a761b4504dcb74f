"""Settings, read from environment variables so one build serves a laptop and production.

DATABASE_URL   sqlite:///path or postgres://user@host:port/name (default: var/banchengshi.sqlite3)
SECRET_KEY     required when DEBUG is off; generated and kept in var/ for development
BANCHENGSHI_FIELD_KEYS, BANCHENGSHI_SEARCH_KEYS  encryption at rest of personal data; as SECRET_KEY
DEBUG          "1" (default, development) or "0"
ALLOWED_HOSTS  comma-separated, used when DEBUG is off
BANCHENGSHI_POLICY  the deployment's time-limit policy (putuo, chongming, liuzhou)
BANCHENGSHI_VAR_DIR where the SQLite file, secret key and uploads live (default: var/)
BANCHENGSHI_TASKS   the task backend: database (default), rq (with REDIS_URL), immediate
BANCHENGSHI_TABLET_MINUTES  how long a window tablet's rating screen stays open (default: 5)
Behind an HTTPS reverse proxy (docs/operations.md, deploy/nginx): BANCHENGSHI_TRUST_PROXY_PROTO,
SECURE_HSTS_SECONDS, SECURE_HSTS_INCLUDE_SUBDOMAINS, SECURE_HSTS_PRELOAD, SECURE_SSL_REDIRECT,
SECURE_COOKIES
BANCHENGSHI_AUDIT_ANCHOR_FILE / _KEY  the audit chain's anchor file and its signing key
"""

import os
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any

import dj_database_url
from cryptography.fernet import Fernet
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("BANCHENGSHI_VAR_DIR", PACKAGE_DIR.parents[1] / "var"))


def _flag(name: str, default: str) -> bool:
    return os.environ.get(name, default).strip().lower() in {"1", "true", "yes", "on"}


DEBUG = _flag("DEBUG", "1")

# Background work goes through Django's task API (the django-tasks backport): jobs are run by
# `banchengshi db_worker` (database, the default: no broker needed), by
# `banchengshi rqworker --job-class django_tasks_rq.Job default` (rq: Redis, production), or at
# once in the process that enqueues them (immediate: tests, or a site that only runs
# `banchengshi scheduler --once` from cron).
TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "rq": "django_tasks_rq.RQBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
_task_backend = os.environ.get("BANCHENGSHI_TASKS", "database").strip().lower()
if _task_backend not in TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"BANCHENGSHI_TASKS={_task_backend!r}; use one of {', '.join(TASK_BACKENDS)}."
    )
_use_rq = _task_backend == "rq"


def _secret(name: str, make: Callable[[], str]) -> str:
    """A secret from the environment; under DEBUG, one made once and kept in var/ (so sessions
    and the demo's encrypted data survive a restart of `make run`)."""
    value = os.environ.get(name, "")
    if value:
        return value
    if not DEBUG:
        raise ImproperlyConfigured(f"{name} must be set when DEBUG is off.")
    key_file = VAR_DIR / name.lower()
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    try:
        # Exclusive creation: two processes starting at once keep the same secret.
        with key_file.open("x") as created:
            created.write(make())
    except FileExistsError:
        pass
    return key_file.read_text().strip()


SECRET_KEY = _secret("SECRET_KEY", lambda: secrets.token_urlsafe(50))
# Encryption at rest of personal data (banchengshi.encryption): comma-separated, newest first.
BANCHENGSHI_FIELD_KEYS = _secret("BANCHENGSHI_FIELD_KEYS", lambda: Fernet.generate_key().decode())
BANCHENGSHI_SEARCH_KEYS = _secret("BANCHENGSHI_SEARCH_KEYS", lambda: Fernet.generate_key().decode())
ALLOWED_HOSTS = (
    ["*"]
    if DEBUG
    else [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h.strip()]
)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "banchengshi.encryption",
    "banchengshi.workdays",
    "banchengshi.policy",
    "banchengshi.org",
    "banchengshi.catalog",
    "banchengshi.cases",
    "banchengshi.audit",
    "banchengshi.backup",
    "banchengshi.notify",
    "banchengshi.webhooks",
    "banchengshi.scheduler",
    "banchengshi.knowledge",
    "banchengshi.neighborhood",
    "banchengshi.evaluation",
    "banchengshi.reports",
    "banchengshi.tokens",
    "django_tasks",
    "django_tasks_db",
    *(["django_rq", "django_tasks_rq"] if _use_rq else []),
    "banchengshi.api",
    "banchengshi.intake",
    "banchengshi.web",
    # Development tools, kept out of the product (as Zulip keeps populate_db in zilencer):
    # installed under DEBUG, or with BANCHENGSHI_DEMO=1, which the `banchengshi` command sets
    # for `banchengshi demo` alone, so that it can say why it refuses without DEBUG.
    *(["banchengshi.demo"] if DEBUG or _flag("BANCHENGSHI_DEMO", "0") else []),
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Idle timeout, absolute lifetime, the administrators' second step, password expiry.
    "banchengshi.web.session_guard.SessionGuardMiddleware",
    # Before any view or query: a control character in a path or query is refused here.
    "banchengshi.web.edge.ControlCharacterMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "banchengshi.urls"
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:worklist"
WSGI_APPLICATION = "banchengshi.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "banchengshi.web.navigation.workbench",
                "banchengshi.web.public.public_frame",
            ],
        },
    },
]


def _database() -> dict[str, Any]:
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'banchengshi.sqlite3'}"
    # A kept connection is checked before a request reuses it, so that after a database
    # restart the same web processes serve again at once instead of failing once each.
    config: dict[str, Any] = dj_database_url.parse(  # type: ignore[assignment]
        url, conn_max_age=0 if url.startswith("sqlite") else 60, conn_health_checks=True
    )
    if config["ENGINE"] == "django.db.backends.sqlite3":
        if config["NAME"] != ":memory:":
            Path(config["NAME"]).parent.mkdir(parents=True, exist_ok=True)
        # WAL lets readers go on while one writer commits; IMMEDIATE takes the write lock at
        # BEGIN, so two writers queue instead of failing midway with "database is locked".
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    elif config["ENGINE"] == "django.db.backends.postgresql":
        # Chinese text search needs a UTF-8 database, never the C locale.
        config["TEST"] = {"TEMPLATE": "template0", "CHARSET": "UTF8"}
        # JIT compiles a query whose estimated cost passes jit_above_cost; the reports'
        # conditional counts pass it at any size, and the annual report of 10,000 cases spent
        # 11.7 s compiling for 0.5 s of work (docs/performance.md, issue 14). No query here
        # runs long enough to win the compilation back.
        options = config.setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c jit=off".strip()
    else:
        # The text index (textsearch) and the row locks are written for these two engines.
        raise ImproperlyConfigured(
            f"DATABASE_URL names {config['ENGINE']}; use sqlite:/// or postgres:// instead."
        )
    return config


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Every password check goes through the lockout (org.login_guard): workbench, admin, API.
AUTHENTICATION_BACKENDS = ["banchengshi.org.login_guard.GuardedBackend"]

# 等保2.0 level 3 (docs/security.md): 8 characters or more of three classes, not like the
# person's names, not a common password nor a project word (org/passwords.toml).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "banchengshi.org.passwords.MinimumLengthValidator"},
    {"NAME": "banchengshi.org.passwords.CharacterClassesValidator"},
    {"NAME": "banchengshi.org.passwords.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "banchengshi.org.passwords.ProjectWordValidator"},
    {"NAME": "banchengshi.org.passwords.PasswordAgeValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = VAR_DIR / "media"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns on every start without it
WHITENOISE_USE_FINDERS = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

BANCHENGSHI_POLICY = os.environ.get("BANCHENGSHI_POLICY", "putuo")
# The district's prefix of tracking numbers (PT-2026-000123).
BANCHENGSHI_DISTRICT_CODE = os.environ.get("BANCHENGSHI_DISTRICT_CODE", "PT")
# Addresses (or networks) of the self-service terminals; empty: the kiosk pages answer anyone.
BANCHENGSHI_KIOSK_ADDRESSES = [
    a.strip() for a in os.environ.get("BANCHENGSHI_KIOSK_ADDRESSES", "").split(",") if a.strip()
]
# Seconds without a touch after which a kiosk starts again, forgetting the last person.
BANCHENGSHI_KIOSK_IDLE_SECONDS = int(os.environ.get("BANCHENGSHI_KIOSK_IDLE_SECONDS", "120"))
# From this day of the year (MM-DD) administrators are reminded while next year's statutory
# holiday schedule is not loaded (a banner, a daily notice): the State Council publishes it
# in November or December.
BANCHENGSHI_CALENDAR_WARN_FROM = os.environ.get("BANCHENGSHI_CALENDAR_WARN_FROM", "11-01")
# How often (seconds) the workbench's bell asks for the unread count.
BANCHENGSHI_INBOX_POLL_SECONDS = int(os.environ.get("BANCHENGSHI_INBOX_POLL_SECONDS", "30"))
# Minutes a window tablet's rating screen stays open after the clerk hands it over.
BANCHENGSHI_TABLET_MINUTES = int(os.environ.get("BANCHENGSHI_TABLET_MINUTES", "5"))
# The address the public knows the portal by: links in SMS point there.
BANCHENGSHI_PUBLIC_URL = os.environ.get("BANCHENGSHI_PUBLIC_URL", "http://127.0.0.1:8000")
# The public map of service points (/points/): a tile URL template for Leaflet ({z}/{x}/{y},
# {s} for a subdomain), e.g. Tianditu with the district's key or the district's own tiles.
# Tiles go from the tile server to the browser (Tianditu forbids caching them); empty: the
# page shows the list and a schematic by street, no map.
BANCHENGSHI_MAP_TILE_URL = os.environ.get("BANCHENGSHI_MAP_TILE_URL", "")
BANCHENGSHI_MAP_ATTRIBUTION = os.environ.get("BANCHENGSHI_MAP_ATTRIBUTION", "")
BANCHENGSHI_MAP_SUBDOMAINS = os.environ.get("BANCHENGSHI_MAP_SUBDOMAINS", "")
# Outbound webhooks: seconds to wait for a receiver's answer, and how many failures in a row
# disable an endpoint (the system administrators are told).
BANCHENGSHI_WEBHOOK_TIMEOUT = float(os.environ.get("BANCHENGSHI_WEBHOOK_TIMEOUT", "10"))
BANCHENGSHI_WEBHOOK_DISABLE_AFTER = int(os.environ.get("BANCHENGSHI_WEBHOOK_DISABLE_AFTER", "20"))

# --- messages leaving through the outbox (notify; docs/operations.md) -----------------------
# Attempts at one message, the first retry's wait (doubling each time up to the longest), and
# how long a sender's claim on a batch lasts (a sender that dies lets go after it).
BANCHENGSHI_OUTBOX_MAX_ATTEMPTS = int(os.environ.get("BANCHENGSHI_OUTBOX_MAX_ATTEMPTS", "8"))
BANCHENGSHI_OUTBOX_RETRY_SECONDS = int(os.environ.get("BANCHENGSHI_OUTBOX_RETRY_SECONDS", "60"))
BANCHENGSHI_OUTBOX_RETRY_MAX_SECONDS = int(
    os.environ.get("BANCHENGSHI_OUTBOX_RETRY_MAX_SECONDS", str(6 * 3600))
)
BANCHENGSHI_OUTBOX_CLAIM_SECONDS = int(os.environ.get("BANCHENGSHI_OUTBOX_CLAIM_SECONDS", "600"))
# SMS: "log" (development: the words in the log), "aliyun" (dysmsapi SendSms) or "http" (a
# generic JSON gateway); the provider's template codes in BANCHENGSHI_SMS_TEMPLATES (a TOML
# file; empty: notify/sms/templates.toml, placeholders).
BANCHENGSHI_SMS_BACKEND = os.environ.get("BANCHENGSHI_SMS_BACKEND", "log")
BANCHENGSHI_SMS_TEMPLATES = os.environ.get("BANCHENGSHI_SMS_TEMPLATES", "")
BANCHENGSHI_SMS_TIMEOUT = float(os.environ.get("BANCHENGSHI_SMS_TIMEOUT", "10"))
BANCHENGSHI_SMS_ALIYUN_ENDPOINT = os.environ.get(
    "BANCHENGSHI_SMS_ALIYUN_ENDPOINT", "https://dysmsapi.aliyuncs.com/"
)
BANCHENGSHI_SMS_ALIYUN_ACCESS_KEY_ID = os.environ.get("BANCHENGSHI_SMS_ALIYUN_ACCESS_KEY_ID", "")
BANCHENGSHI_SMS_ALIYUN_ACCESS_KEY_SECRET = os.environ.get(
    "BANCHENGSHI_SMS_ALIYUN_ACCESS_KEY_SECRET", ""
)
BANCHENGSHI_SMS_HTTP_URL = os.environ.get("BANCHENGSHI_SMS_HTTP_URL", "")
BANCHENGSHI_SMS_HTTP_SECRET = os.environ.get("BANCHENGSHI_SMS_HTTP_SECRET", "")
# How long the short link in an SMS (/s/<code>/) keeps working.
BANCHENGSHI_SHORT_LINK_DAYS = int(os.environ.get("BANCHENGSHI_SHORT_LINK_DAYS", "60"))
# E-mail: Django's SMTP backend with EMAIL_BACKEND=smtp, else the console (development).
_EMAIL_BACKENDS = {
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
}
EMAIL_BACKEND = _EMAIL_BACKENDS.get(
    os.environ.get("EMAIL_BACKEND", "console"), os.environ.get("EMAIL_BACKEND", "")
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _flag("EMAIL_USE_TLS", "0")
EMAIL_USE_SSL = _flag("EMAIL_USE_SSL", "0")
# Seconds before an SMTP server that does not answer counts as a failed attempt.
EMAIL_TIMEOUT = float(os.environ.get("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "banchengshi@localhost")

TASKS = {"default": {"BACKEND": TASK_BACKENDS[_task_backend], "QUEUES": ["default"]}}
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
if _use_rq:
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 600}}


def _positive_int(name: str, default: int) -> int:
    raw = os.environ.get(name, str(default))
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r}: a whole number is needed.") from None
    if value <= 0:
        raise ImproperlyConfigured(f"{name}={raw!r}: it must be more than 0.")
    return value


# The scheduler's leader lease (scheduler/lease.py): held for LEASE seconds, renewed every RENEW
# seconds, so a leader that dies is replaced within LEASE seconds.
BANCHENGSHI_SCHEDULER_LEASE_SECONDS = _positive_int("BANCHENGSHI_SCHEDULER_LEASE_SECONDS", 30)
BANCHENGSHI_SCHEDULER_RENEW_SECONDS = _positive_int("BANCHENGSHI_SCHEDULER_RENEW_SECONDS", 10)
if BANCHENGSHI_SCHEDULER_RENEW_SECONDS >= BANCHENGSHI_SCHEDULER_LEASE_SECONDS:
    raise ImproperlyConfigured(
        "BANCHENGSHI_SCHEDULER_RENEW_SECONDS must be less than "
        "BANCHENGSHI_SCHEDULER_LEASE_SECONDS, or the lease runs out between renewals."
    )
# A run claimed or started this long ago without finishing is taken to be lost with its
# process and is run again in its slot (jobs are idempotent per slot).
BANCHENGSHI_SCHEDULER_STALE_SECONDS = _positive_int("BANCHENGSHI_SCHEDULER_STALE_SECONDS", 600)
# A failed run is tried again in its slot after this long, doubling each time (3 tries in all).
BANCHENGSHI_SCHEDULER_RETRY_SECONDS = _positive_int("BANCHENGSHI_SCHEDULER_RETRY_SECONDS", 60)
# Finished runs are kept this many days (the scheduler.prune job deletes older ones).
BANCHENGSHI_SCHEDULER_KEEP_DAYS = _positive_int("BANCHENGSHI_SCHEDULER_KEEP_DAYS", 30)

# The audit chain's anchors (audit.anchors): a file the application only appends to, outside
# the database's reach; give it a place the database role cannot write (docs/operations.md).
BANCHENGSHI_AUDIT_ANCHOR_FILE = Path(
    os.environ.get("BANCHENGSHI_AUDIT_ANCHOR_FILE", VAR_DIR / "audit-anchors.jsonl")
)
# With a key, every anchor line is HMAC-signed, so whoever lacks the key cannot forge one.
BANCHENGSHI_AUDIT_ANCHOR_KEY = os.environ.get("BANCHENGSHI_AUDIT_ANCHOR_KEY", "")
# Comma-separated addresses (the inspectorate) that get each daily anchor by e-mail.
BANCHENGSHI_AUDIT_ANCHOR_EMAIL = [
    a.strip() for a in os.environ.get("BANCHENGSHI_AUDIT_ANCHOR_EMAIL", "").split(",") if a.strip()
]


def _whole_number(name: str, default: int) -> int:
    """Like _positive_int, with 0 allowed (it switches the rule off)."""
    raw = os.environ.get(name, str(default))
    if not raw.strip().isdigit():
        raise ImproperlyConfigured(f"{name}={raw!r}: a whole number (0 or more) is needed.")
    return int(raw)


# --- sign-in and sessions (docs/security.md) --------------------------------------------------
# A password older than this many days must be changed at the next sign-in (0: never expires).
BANCHENGSHI_PASSWORD_MAX_AGE_DAYS = _whole_number("BANCHENGSHI_PASSWORD_MAX_AGE_DAYS", 90)
# Minutes without a request after which a session is signed out (0: no idle timeout).
BANCHENGSHI_SESSION_IDLE_MINUTES = _whole_number("BANCHENGSHI_SESSION_IDLE_MINUTES", 30)
# Hours a session lasts at most after its sign-in, however active.
BANCHENGSHI_SESSION_MAX_HOURS = _positive_int("BANCHENGSHI_SESSION_MAX_HOURS", 12)
SESSION_COOKIE_AGE = BANCHENGSHI_SESSION_MAX_HOURS * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# System and office administrators must sign in with a TOTP code (org.two_factor). On by
# default in production; under DEBUG the demo's administrators sign in without one unless they
# set up an authenticator (a person who has one is always asked for the code).
BANCHENGSHI_TWO_FACTOR_REQUIRED = _flag("BANCHENGSHI_TWO_FACTOR_REQUIRED", "0" if DEBUG else "1")


# Security headers on every response: no inline script anywhere (web/static/web/*.js), no
# framing (frame-ancestors and X-Frame-Options), no MIME sniffing, referrer only to this site.
# Inline styles stay allowed: styles run no code, and htmx and the admin set some. The map
# page adds its tile server to img-src itself (web.views.points), read at request time.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Operators read these in journald or a cron mail: say when, how bad and from where.
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # The report files' typesetters narrate every step and every font at INFO.
    "loggers": {name: {"level": "ERROR"} for name in ("weasyprint", "fontTools", "matplotlib")},
}

# --- behind an HTTPS reverse proxy (deploy/nginx/banchengshi.conf) ---------------------------
# The proxy ends TLS and says so in X-Forwarded-Proto; trust that header only when every request
# comes through a proxy that sets it (a client could send it itself to a server it reaches
# directly). With it, request.is_secure() is true behind the proxy: HSTS is sent and the
# cookies marked Secure are set.
if _flag("BANCHENGSHI_TRUST_PROXY_PROTO", "0"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The request header the proxy puts the client's address in (nginx: X-Real-IP →
# "HTTP_X_REAL_IP"), for the rate limits and the kiosk addresses; empty: REMOTE_ADDR, which
# behind a proxy is the proxy's own address.
BANCHENGSHI_CLIENT_ADDRESS_HEADER = os.environ.get("BANCHENGSHI_CLIENT_ADDRESS_HEADER", "")
# Strict-Transport-Security on HTTPS responses; 0 (the default) sends none. Start low (300),
# then a year (31536000) once every name of the site is served over HTTPS.
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = _flag("SECURE_HSTS_INCLUDE_SUBDOMAINS", "0")
SECURE_HSTS_PRELOAD = _flag("SECURE_HSTS_PRELOAD", "0")
# The proxy redirects plain HTTP itself; this is for a server reached without one.
SECURE_SSL_REDIRECT = _flag("SECURE_SSL_REDIRECT", "0")
if not DEBUG:
    # Session and CSRF cookies only over HTTPS; SECURE_COOKIES=0 for a site served over plain
    # HTTP inside the government network.
    SESSION_COOKIE_SECURE = _flag("SECURE_COOKIES", "1")
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
