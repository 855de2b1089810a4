"""Settings for giamngheo, in one module, driven by the environment.

Every variable read here is listed, with a safe development value, in `.env.example`.
Production is not a separate file: it is the same module with `DEBUG=False` and real
secrets (see README, "Triển khai").
"""

from datetime import datetime, timedelta
from pathlib import Path

import django_stubs_ext
import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env(
    DEBUG=(bool, False),
    ALLOWED_HOSTS=(list, ["127.0.0.1", "localhost"]),
    CSRF_TRUSTED_ORIGINS=(list, []),
    DATABASE_URL=(str, f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
    DEMO_MODE=(bool, False),
    DEMO_WORKING_DATE=(str, ""),
    SECURE_SSL=(bool, True),
    SMTP_HOST=(str, ""),
    SMTP_PORT=(int, 587),
    SMTP_USER=(str, ""),
    SMTP_PASSWORD=(str, ""),
    DEFAULT_FROM_EMAIL=(str, "giamngheo@localhost"),
    RECENTLY_ESCAPED_MONTHS=(int, 36),
    SITE_URL=(str, "http://127.0.0.1:8000"),
    LOG_LEVEL=(str, "INFO"),
    TASKS_BACKEND=(str, "database"),
)
# The process environment wins over `.env` (django-environ does not overwrite).
environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env("DEBUG")
# A development key is only acceptable while DEBUG is on; production must set one.
_DEV_SECRET_KEY = "dev-only-insecure-key-change-me"  # noqa: S105 - never used in production
SECRET_KEY = env("SECRET_KEY", default=_DEV_SECRET_KEY if DEBUG else environ.Env.NOTSET)
if not DEBUG and SECRET_KEY == _DEV_SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY: đặt một khóa ngẫu nhiên dài khi DEBUG=False (xem .env.example)."
    )
ALLOWED_HOSTS = env("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env("CSRF_TRUSTED_ORIGINS")

# Demo accounts (created by `seed_demo`) share one published password. They can only
# log in while DEMO_MODE is on, and `manage.py check` fails when it is off and such
# accounts still exist (giamngheo/checks.py).
DEMO_MODE = env("DEMO_MODE")
DEMO_PASSWORD = "caongoc2024"  # noqa: S105 - published on purpose, demo only
# The demo plays the 2024 plan on a fixed working date (households/clock.py), so that it
# makes sense whatever the real date; empty on a real install (the real date).
DEMO_WORKING_DATE = (
    datetime.strptime(env("DEMO_WORKING_DATE"), "%d/%m/%Y").date()  # noqa: DTZ007
    if env("DEMO_WORKING_DATE")
    else None
)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "django_htmx",
    "simple_history",
    "axes",
    "django_tasks_db",
    "giamngheo",
    "households",
    "targets",
    "tasks",
    "reports",
    "demo",
    "jobs",
]

# https://docs.djangoproject.com/en/6.1/topics/http/middleware/
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before CsrfViewMiddleware reads the body: a body too large is never read.
    "giamngheo.request_limits.RequestSizeMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "giamngheo.sessions.SessionMaxAgeMiddleware",
    "giamngheo.passwords.PasswordChangeRequiredMiddleware",
    "giamngheo.throttles.ExportThrottleMiddleware",
    "giamngheo.error_pages.ErrorPagesMiddleware",
    "giamngheo.middleware.ProvinceCommuneMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "giamngheo.middleware.NoStoreMiddleware",
    "reports.middleware.BusyRendererMiddleware",
    "axes.middleware.AxesMiddleware",
]

# Permissions-Policy on every response (django-permissions-policy): the app uses no
# camera, microphone, location, payment or device API, so a page, or anything injected
# into one, may use none either (issue 13).
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "bluetooth",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}

ROOT_URLCONF = "giamngheo.urls"
WSGI_APPLICATION = "giamngheo.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "giamngheo.context_processors.working_date",
                "giamngheo.context_processors.province_communes",
            ],
            "builtins": [
                "giamngheo.templatetags.vietnamese",
                "households.templatetags.submit_once",
            ],
        },
    },
]


# https://docs.djangoproject.com/en/6.1/ref/settings/#databases
# CONN_HEALTH_CHECKS: a persistent connection (`?conn_max_age=60`) is tested before a
# request reuses it, so that after PostgreSQL restarts each gunicorn worker reconnects
# instead of answering one 500 with the dead connection (issue 13).
DATABASES = {"default": {**env.db("DATABASE_URL"), "CONN_HEALTH_CHECKS": True}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Each server process keeps its own: the commune figures (households/figures.py) are
# keyed by the register's version, so no process ever reads another's stale entry.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "figures": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "figures",
        # A province's communes, a few dozen figures each.
        "OPTIONS": {"MAX_ENTRIES": 20000},
    },
    # Except the throttles' counters (giamngheo/throttles.py), which every worker must
    # share: files on disk (no cache server to run; one host). The test suite swaps
    # in a fresh in-memory cache for each test (tests/conftest.py).
    "throttles": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": env.path(
            "THROTTLE_CACHE_DIR", default=BASE_DIR / "var" / "throttles"
        ),
        "OPTIONS": {"MAX_ENTRIES": 10000},
    },
}

# Throttles (giamngheo/throttles.py): their counters are in the "throttles" cache.
# django-ratelimit is not in INSTALLED_APPS: its system check accepts only memcached
# or redis, and a count off by a few is no matter here (giamngheo.W001 checks that
# the cache is shared by the workers instead).
RATELIMIT_USE_CACHE = "throttles"
# Logins (and password-reset requests) per client address and minute, whatever the
# username; a commune office behind one NAT address logs in far less often.
LOGIN_RATE = env("LOGIN_RATE", default="20/m")
# Files (PDF, Excel, the jobs that make them) per user and minute.
EXPORT_RATE = env("EXPORT_RATE", default="30/m")

# Request sizes (giamngheo/request_limits.py), checked from Content-Length before the
# body is read. The largest legitimate body is a task's submission: 10 files of 10 MB
# (households/uploads.py), plus the form; nginx's client_max_body_size (README) must
# say the same number.
REQUEST_BODY_MAX_MB = env.int("REQUEST_BODY_MAX_MB", default=110)
# A visitor not logged in sends a login or a password-reset form, nothing more.
ANONYMOUS_REQUEST_BODY_MAX_KB = env.int("ANONYMOUS_REQUEST_BODY_MAX_KB", default=64)
# Django's own limits, written out: the fields of a form (not its files) in memory,
# their number, and the size above which an uploaded file goes to a temporary file.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

AUTH_USER_MODEL = "giamngheo.User"
# https://docs.djangoproject.com/en/6.1/topics/auth/passwords/
_VALIDATION = "django.contrib.auth.password_validation"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"{_VALIDATION}.UserAttributeSimilarityValidator"},
    {"NAME": f"{_VALIDATION}.MinimumLengthValidator"},
    {"NAME": f"{_VALIDATION}.CommonPasswordValidator"},
    # Django's list is English; these are the passwords Vietnamese users pick first.
    {
        "NAME": "giamngheo.passwords.VietnameseCommonPasswordValidator",
        "OPTIONS": {
            "password_list_path": BASE_DIR / "giamngheo" / "common-passwords-vi.txt"
        },
    },
    {"NAME": f"{_VALIDATION}.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # axes first, so a locked-out username+IP never reaches the password check.
    "axes.backends.AxesStandaloneBackend",
    "giamngheo.backends.DemoAwareModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling (ECOSYSTEM.md N3): lock a username+IP pair, not the whole office
# behind one NAT address, and let the lock expire by itself.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_RESET_ON_SUCCESS = True
# The proxies in front of gunicorn (nginx: 1); the client's address is then read from
# X-Forwarded-For by giamngheo.throttles.client_ip, for axes and the login rate alike.
AXES_IPWARE_PROXY_COUNT = env.int("AXES_IPWARE_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "giamngheo.throttles.client_ip"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

# Sessions: 30 idle minutes (ASVS 7.3.1), renewed on every request.
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# And whatever the activity, a working day after the login (giamngheo/sessions.py).
SESSION_MAX_HOURS = env.int("SESSION_MAX_HOURS", default=10)

# A forgotten password (giamngheo/passwords.py): by e-mail only where mail is set up
# (SMTP_HOST), else the commune's officer gives a temporary one. A reset link
# lasts two hours.
PASSWORD_RESET_BY_EMAIL = env.bool(
    "PASSWORD_RESET_BY_EMAIL", default=bool(env("SMTP_HOST"))
)
PASSWORD_RESET_TIMEOUT = 2 * 60 * 60

# Security headers. https://docs.djangoproject.com/en/6.1/howto/deployment/checklist/
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG and env("SECURE_SSL"):
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Vietnamese: Django's `vi` locale has no input formats and no digit grouping
# (STACK.md, measured), so both are set here and tested.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["giamngheo.formats"]
# Django 6.1's `vi` catalogue leaves some texts a user meets in English ("- Select an
# option -" in every choice list): ours fills them in (locale/vi/LC_MESSAGES).
LOCALE_PATHS = [BASE_DIR / "locale"]
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"]
USE_THOUSAND_SEPARATOR = True
NUMBER_GROUPING = 3

# Static files. https://whitenoise.readthedocs.io/
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Production serves hashed, compressed files from `collectstatic` (whitenoise); the test
# suite and development read the source files directly (STATIC_MANIFEST=False).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or not env.bool("STATIC_MANIFEST", default=True)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
FIXTURE_DIRS = [BASE_DIR / "fixtures"]
# Where `manage.py backup` (`make backup`) writes its archives (README "Sao lưu và
# khôi phục"): the database and MEDIA_ROOT in one .tar, with its .sha256.
BACKUP_DIR = env.path("BACKUP_DIR", default=BASE_DIR / "var" / "backups")

# Mail (Django 6.1 MAILERS): the console only while DEBUG is on; otherwise SMTP, to
# SMTP_HOST with TLS or, when it is empty, to the host's own mail server on port 25.
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL")
if env("SMTP_HOST") or not DEBUG:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": env("SMTP_HOST") or "localhost",
                "port": env("SMTP_PORT") if env("SMTP_HOST") else 25,
                "username": env("SMTP_USER"),
                "password": env("SMTP_PASSWORD"),
                "use_tls": bool(env("SMTP_HOST")),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}

# The address people open, for links in reminder mails (no request to build them from).
SITE_URL = env("SITE_URL").rstrip("/")

# How long a household that escaped poverty counts as "hộ mới thoát nghèo".
# 36 months is RECALLED from QĐ 90/QĐ-TTg, not verified (DOMAIN.md §4.1): a setting.
RECENTLY_ESCAPED_MONTHS = env("RECENTLY_ESCAPED_MONTHS")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # No query string in our logs: a search (`?q=`) is a person's name (issue 13).
    "filters": {"no_query_strings": {"()": "giamngheo.log_filters.DropQueryStrings"}},
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["no_query_strings"],
        },
        # Django's own handler of runserver's request lines, with the filter.
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["no_query_strings"],
        },
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL")},
    "loggers": {
        "django.server": {
            "handlers": ["django.server"],
            "level": "INFO",
            "propagate": False,
        },
        # WeasyPrint narrates every rendering step at INFO; keep its warnings only.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# PDF rendering (reports/pdf.py). A rendered document is kept by the hash of its HTML
# (same content, same bytes, no second rendering) in files that every gunicorn worker
# shares, up to PDF_CACHE_MAX_MB. At most PDF_RENDER_SLOTS renderings run at once (file
# locks in PDF_CACHE_DIR/slots, across workers): a request that gets no slot within
# PDF_RENDER_WAIT seconds is told to retry (503) instead of holding a worker, so keep
# the slots below the number of workers × threads that serve pages.
PDF_CACHE_DIR = env.path("PDF_CACHE_DIR", default=BASE_DIR / "var" / "pdf-cache")
PDF_CACHE_MAX_MB = env.int("PDF_CACHE_MAX_MB", default=200)
PDF_RENDER_SLOTS = env.int("PDF_RENDER_SLOTS", default=1)
PDF_RENDER_WAIT = env.float("PDF_RENDER_WAIT", default=0.5)
# A PDF made while saving a form (issuing a September report, a submission attaching
# it) waits this long for a slot instead: a 503 there would send the unit back to an
# empty form, losing what it typed.
PDF_FORM_WAIT = env.float("PDF_FORM_WAIT", default=20)
# A list (reports 14 and 15) of more than this many table lines, asked for as PDF or
# Excel, is made by a background job (README "Việc chạy nền"): WeasyPrint costs about
# 1,3 ms a table cell, so 100 lines are about 2 s and a commune's list can pass
# gunicorn's 30 s timeout. A village's list of the demo stays inline; its commune's
# lists (160 and 357 lines) go through a job. The round's decision too (its lists
# have a line a household: about 12 ms each; the demo's 202 lines, 2,5 s).
BACKGROUND_DOCUMENT_LINES = env.int("BACKGROUND_DOCUMENT_LINES", default=100)
# The same for a PDF of a page or more a household (the round's certificates): more
# than this many households go through a job. A certificate costs about 0,12 s: the
# demo's commune (152) takes some 18 s, a village's stays inline.
BACKGROUND_DOCUMENT_HOUSEHOLDS = env.int("BACKGROUND_DOCUMENT_HOUSEHOLDS", default=50)
# The register's Excel (`/ho/xuat-excel/`) of more than this many households goes
# through a job: a household brings its members and its review, about 3 ms each
# here (the demo's 1,231: 3,5 s, inline; 2,000: some 6 s), so a merged commune's
# 20,000 take a minute.
BACKGROUND_EXPORT_HOUSEHOLDS = env.int("BACKGROUND_EXPORT_HOUSEHOLDS", default=2000)
# A finished job and its result file are kept this many days, then removed by
# `manage.py clear_old_jobs` (README "Việc chạy nền"): a commune's lists and
# register exports are megabytes each, and the person downloads them the same day.
JOBS_KEPT_DAYS = env.int("JOBS_KEPT_DAYS", default=14)
# The folders of MEDIA_ROOT where an upload waits between its check and its
# confirmation (households/register_jobs.py, phone_import_jobs.py): a file left there
# (nobody confirmed; the session lasts 30 idle minutes) goes with the old jobs.
STAGED_UPLOAD_FOLDERS = ("register-imports", "phone-imports")

# The register's Excel import (households/register_file.py): the largest file taken,
# what its zip may unpack to (a zip bomb declares far more), and the most lines a
# sheet may hold. A commune of 1.229 households makes a file of well under 1 MB.
REGISTER_IMPORT_MAX_MB = env.int("REGISTER_IMPORT_MAX_MB", default=10)
REGISTER_IMPORT_MAX_UNZIPPED_MB = env.int(
    "REGISTER_IMPORT_MAX_UNZIPPED_MB", default=100
)
REGISTER_IMPORT_MAX_ROWS = env.int("REGISTER_IMPORT_MAX_ROWS", default=20000)

# Background jobs (jobs/, README "Việc chạy nền"): long work runs through Django's
# tasks framework. "database" queues it in the database, for the worker that `make
# run` starts next to the server (`manage.py db_worker`); "immediate" runs it inside
# the request that asks for it (no worker needed; the test suite runs so).
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django.tasks.backends.immediate.ImmediateBackend",
}
if env("TASKS_BACKEND") not in _TASK_BACKENDS:
    raise ImproperlyConfigured(
        "TASKS_BACKEND: “database” hoặc “immediate” (xem .env.example)."
    )
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[env("TASKS_BACKEND")]}}
