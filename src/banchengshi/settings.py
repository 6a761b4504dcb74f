"""Settings, read from environment variables so one build serves a laptop and production.

DATABASE_URL   sqlite:///path or postgres://user@host:port/name (default: var/banchengshi.sqlite3)
SECRET_KEY     required when DEBUG is off; generated and kept in var/ for development
DEBUG          "1" (default, development) or "0"
ALLOWED_HOSTS  comma-separated, used when DEBUG is off
BANCHENGSHI_POLICY  the deployment's time-limit policy (putuo, chongming, liuzhou)
BANCHENGSHI_VAR_DIR where the SQLite file, secret key and uploads live (default: var/)
BANCHENGSHI_TABLET_MINUTES  how long a window tablet's rating screen stays open (default: 5)
"""

import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("BANCHENGSHI_VAR_DIR", PACKAGE_DIR.parents[1] / "var"))


def _flag(name: str, default: str) -> bool:
    return os.environ.get(name, default).strip().lower() in {"1", "true", "yes", "on"}


DEBUG = _flag("DEBUG", "1")


def _secret_key() -> str:
    key = os.environ.get("SECRET_KEY", "")
    if key:
        return key
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    # A development key kept on disk, so sessions survive a restart of `make run`.
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50))
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
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
    "banchengshi.workdays",
    "banchengshi.policy",
    "banchengshi.org",
    "banchengshi.catalog",
    "banchengshi.cases",
    "banchengshi.audit",
    "banchengshi.notify",
    "banchengshi.scheduler",
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
    # Before any view or query: a control character in a path or query is refused here.
    "banchengshi.web.edge.ControlCharacterMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
    config: dict[str, Any] = dj_database_url.parse(  # type: ignore[assignment]
        url, conn_max_age=0 if url.startswith("sqlite") else 60
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
    else:
        # The text index (textsearch) and the row locks are written for these two engines.
        raise ImproperlyConfigured(
            f"DATABASE_URL names {config['ENGINE']}; use sqlite:/// or postgres:// instead."
        )
    return config


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
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
# Minutes a window tablet's rating screen stays open after the clerk hands it over.
BANCHENGSHI_TABLET_MINUTES = int(os.environ.get("BANCHENGSHI_TABLET_MINUTES", "5"))
# The address the public knows the portal by: links in SMS point there.
BANCHENGSHI_PUBLIC_URL = os.environ.get("BANCHENGSHI_PUBLIC_URL", "http://127.0.0.1:8000")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

if not DEBUG:
    SESSION_COOKIE_SECURE = _flag("SECURE_COOKIES", "1")
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
