"""Settings shared by every way of running; values come from the environment (see .env.example)."""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import environ
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
# A developer may keep local overrides in .env; the environment wins.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

INSECURE_DEFAULT_SECRET_KEY = "django-insecure-pledgeflow-embedded-default-only"
SECRET_KEY = env("DJANGO_SECRET_KEY", default=INSECURE_DEFAULT_SECRET_KEY)
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",
    "axes",
    "django_filters",
    "drf_spectacular",
    # Swagger UI's scripts and styles served by the app itself: bank networks are often offline.
    "drf_spectacular_sidecar",
    "django_fsm",
    # Triggers from migrations, on PostgreSQL only: the audit table refuses UPDATE and DELETE.
    "pgtrigger",
    "core",
    "accounts",
    "patents",
    "financing",
    "valuation",
    "documents",
    "registration",
    "monitoring",
    "programmes",
    "events",
    "django_htmx",
    "portal",
]

MIDDLEWARE = [
    # Outermost, so that it sees every error page made under /api/.
    "core.middleware.ApiErrorShapeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The pages speak Chinese or English (cookie, then Accept-Language); the API stays in English.
    "portal.middleware.PageLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: turns a locked-out admin login into its 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "portal.context_processors.organisation",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several processes write the embedded database at once (gunicorn's workers, a worker, the
    # fuzzing run). WAL lets readers go on while one writes; IMMEDIATE takes the write lock when a
    # transaction begins, so a competing writer waits (up to the timeout) instead of failing with
    # "database is locked" when a reading transaction tries to start writing.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
else:
    # Each process keeps its PostgreSQL connection between requests instead of opening one per
    # request (a TCP handshake, authentication and a new backend process each time), checked before
    # it is reused, so a connection lost to a database restart is replaced, not used. Production
    # and every other PostgreSQL run alike (the benchmarks opened one per request and had half the throughput).
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Server-side binding: the values travel apart from the SQL, and psycopg prepares a statement a
    # connection has run `prepare_threshold` times, so PostgreSQL parses and plans it once per
    # connection instead of on every request (README "Benchmarks": prepared statements).
    if env.bool("DJANGO_DB_SERVER_SIDE_BINDING", default=True):
        DATABASES["default"].setdefault("OPTIONS", {}).update(
            {"server_side_binding": True, "prepare_threshold": env.int("DJANGO_DB_PREPARE_THRESHOLD", default=5)}
        )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/login/"
# django-axes first: it refuses a locked-out user name or client before a password is hashed.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

LANGUAGE_CODE = "en"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("PLEDGEFLOW_TIME_ZONE", default="Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("PLEDGEFLOW_STATIC_ROOT", default=BASE_DIR / "var" / "static")
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("PLEDGEFLOW_STORAGE_DIR", default=BASE_DIR / "var" / "media")

PLEDGEFLOW_PUBLIC_BASE_URL = env("PLEDGEFLOW_PUBLIC_BASE_URL", default="http://localhost:8000")

# How many proxies in front of the service append to X-Forwarded-For. 0: none, the client is
# REMOTE_ADDR and the header is ignored (a client can write anything there).
PLEDGEFLOW_TRUSTED_PROXY_COUNT = env.int("PLEDGEFLOW_TRUSTED_PROXY_COUNT", default=0)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": [
        "core.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "core.api.PagePagination",
    "PAGE_SIZE": 25,
    "DEFAULT_FILTER_BACKENDS": [
        "core.filters.FilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.exception_handler",
    "COERCE_DECIMAL_TO_STRING": True,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    # The client address behind this many proxies (core.clients.client_address). Left None, DRF would
    # take the whole X-Forwarded-For as the client, which any caller can change per request.
    "NUM_PROXIES": PLEDGEFLOW_TRUSTED_PROXY_COUNT,
}

# API tokens (django-rest-knox): stored as SHA-512 digests, valid for this long from login, revoked
# by POST auth/logout/, auth/logout-all/ and a password change (accounts.signals).
PLEDGEFLOW_TOKEN_TTL_HOURS = env.int("PLEDGEFLOW_TOKEN_TTL_HOURS", default=10)
REST_KNOX = {
    "TOKEN_TTL": timedelta(hours=PLEDGEFLOW_TOKEN_TTL_HOURS),
    "AUTH_HEADER_PREFIX": "Token",  # the header clients already send (WORKFLOW.md)
    "AUTO_REFRESH": False,  # a token ends when it says, however busy its holder
}

# Login lockout (django-axes), for the admin login and POST auth/token/ alike: after this many
# failures for one user name, or from one client address, further attempts answer 429 until the
# cool-off has passed with no new failure. Attempts are kept in the database, so every process
# counts the same ones.
AXES_FAILURE_LIMIT = env.int("PLEDGEFLOW_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("PLEDGEFLOW_LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # either one locks
AXES_CLIENT_IP_CALLABLE = "core.clients.client_address"
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_RESET_ON_SUCCESS = False  # one good login of their own must not clear an attacker's failures

SPECTACULAR_SETTINGS = {
    # Every operation documents the error shape it may answer with (core.openapi), in the served
    # schema and in `manage.py spectacular` alike; the enum hook is drf-spectacular's default, kept.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.openapi.document_error_responses",
    ],
    "TITLE": "pledgeflow API",
    "DESCRIPTION": "Patent-backed loans from application to release.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # /api/v1/docs/ loads Swagger UI from the app's own static files, never from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "DocumentKindEnum": "documents.models.DOCUMENT_KIND_CHOICES",
        "PatentKindEnum": "patents.models.Patent.Kind",
        "AlertKindEnum": "monitoring.models.Alert.Kind",
        "ProgrammeKindEnum": "programmes.models.Kind",
    },
}

# Celery: with no broker configured, tasks run in-process (the embedded default).
REDIS_URL = env("REDIS_URL", default="")

# The cache holds the API throttles' counts, so with Redis every process counts the same requests.
# A Redis that is away must not stall or fail a request: a short timeout, and the cache fails open.
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "core.cache.FailOpenRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "pledgeflow",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=None)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=CELERY_BROKER_URL == "memory://")
CELERY_TASK_EAGER_PROPAGATES = False
# JSON only: a worker that accepted pickle would run code sent by anyone who can write to Redis.
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
# A task is acknowledged only once done, and put back if its worker dies mid-way; every task takes
# ids and is safe to run twice, so a redelivery does no harm.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# Such a task cannot be acknowledged once the broker connection is gone and will be redelivered
# anyway: stop it rather than let it finish twice (Celery 6's default).
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
# One message at a time per process: PDF tasks are slow, so prefetching starves others.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A task that runs longer than this is killed (and, acknowledged late, given to another worker once
# the visibility timeout below has passed). A document takes well under a second; the daily sweep
# sets its own limits and is acknowledged on receipt (monitoring.tasks).
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=120)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=100)
# PDF building holds on to font and image caches; recycle processes now and then.
CELERY_WORKER_MAX_TASKS_PER_CHILD = 200
# Redis gives an unacknowledged message to another worker after this long: a task lost with its
# worker (kill -9) comes back within minutes. It must exceed the longest late-acknowledged task
# (CELERY_TASK_TIME_LIMIT) plus its longest retry countdown (documents.tasks), or a task still
# running or waiting for its retry is delivered twice (harmless, as tasks are idempotent, but wasted).
CELERY_BROKER_VISIBILITY_TIMEOUT = 300
# A web request publishing a task never waits on Redis for more than about a second: connecting and
# each socket operation time out after 1 s, a publish is not retried (documents.services._enqueue;
# the requeue below hands over what could not be published), and no result is awaited.
CELERY_BROKER_CONNECTION_TIMEOUT = 1.0
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_BROKER_VISIBILITY_TIMEOUT,
    "socket_connect_timeout": 1.0,
    "socket_timeout": 1.0,
}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 1.0
CELERY_REDIS_SOCKET_TIMEOUT = 1.0
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"retry_policy": {"max_retries": 0}}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_RESULT_EXPIRES = 24 * 3600
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    # The post-loan sweep (DOMAIN.md §2 step 8), early each morning, bank time (CELERY_TIMEZONE).
    "monitor-pledges-daily": {
        "task": "monitoring.tasks.monitor_pledges_run",
        "schedule": crontab(hour=6, minute=0),
    },
    # Documents whose task was lost (the broker was down at the publish, a worker died with it) are
    # still pending: hand them to the queue again, every 2 minutes for those pending more than 2
    # (documents.tasks.REQUEUE_AFTER_MINUTES); generating twice is a no-op.
    "documents-requeue-pending": {
        "task": "documents.tasks.documents_requeue_pending",
        "schedule": crontab(minute="*/2"),
    },
    # API tokens past their expiry (accounts.auth refuses them on use; this deletes the unused ones).
    "tokens-clear-expired": {
        "task": "accounts.tasks.tokens_clear_expired",
        "schedule": crontab(hour=3, minute=30),
    },
    # The outbox's safety net: events whose dispatch was lost (the broker was down at the commit),
    # webhook deliveries and e-mails whose retry is due (events.services.retry_delay). Running it
    # twice, or alongside the tasks it queues, sends nothing twice.
    "events-redeliver-due": {
        "task": "events.tasks.events_redeliver_due",
        "schedule": crontab(minute="*"),
    },
}

# E-mail (events: the people who act next, the applicant). EMAIL_URL as django-environ reads it:
# consolemail:// (the default: printed by the process that sends), filemail:///var/mail/pledgeflow,
# smtp://user:password@host:25, smtp+tls://user:password@host:587, smtps://... (SSL).
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="pledgeflow <noreply@localhost>")
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
# Webhooks may not point at this service; loopback receivers are refused unless this is on (tests,
# a developer's local receiver). Never on in production.
PLEDGEFLOW_WEBHOOKS_ALLOW_LOOPBACK = env.bool("PLEDGEFLOW_WEBHOOKS_ALLOW_LOOPBACK", default=False)

# Lending policy (DOMAIN.md §5): bank settings, defaults shown there.
PLEDGEFLOW_LTV_BY_KIND = {
    "invention": Decimal(env("PLEDGEFLOW_LTV_INVENTION", default="0.40")),
    "utility_model": Decimal(env("PLEDGEFLOW_LTV_UTILITY_MODEL", default="0.25")),
    "design": Decimal(env("PLEDGEFLOW_LTV_DESIGN", default="0.15")),
}
PLEDGEFLOW_MIN_PROTECTION_MARGIN_MONTHS = env.int("PLEDGEFLOW_MIN_PROTECTION_MARGIN_MONTHS", default=12)
PLEDGEFLOW_VALUATION_VALIDITY_MONTHS = env.int("PLEDGEFLOW_VALUATION_VALIDITY_MONTHS", default=12)
PLEDGEFLOW_LTV_HIGH_SCORE = Decimal(env("PLEDGEFLOW_LTV_HIGH_SCORE", default="80"))
PLEDGEFLOW_LTV_HIGH_SCORE_BONUS = Decimal(env("PLEDGEFLOW_LTV_HIGH_SCORE_BONUS", default="0.10"))
PLEDGEFLOW_LTV_LOW_SCORE = Decimal(env("PLEDGEFLOW_LTV_LOW_SCORE", default="50"))
PLEDGEFLOW_LTV_LOW_SCORE_PENALTY = Decimal(env("PLEDGEFLOW_LTV_LOW_SCORE_PENALTY", default="0.10"))
PLEDGEFLOW_LTV_HIGH_VALUE_BONUS = Decimal(env("PLEDGEFLOW_LTV_HIGH_VALUE_BONUS", default="0.05"))
PLEDGEFLOW_LTV_FLOOR = Decimal(env("PLEDGEFLOW_LTV_FLOOR", default="0"))
PLEDGEFLOW_LTV_CEILING = Decimal(env("PLEDGEFLOW_LTV_CEILING", default="0.60"))
# What a valuation's `value` is (DOMAIN.md §4): "market" (what the approaches reconcile to) or
# "liquidation" (that less the kind's discount: what a forced sale of the pledge would fetch). LTV and
# the loan cap apply to the value of this type.
PLEDGEFLOW_VALUE_TYPE = env("PLEDGEFLOW_VALUE_TYPE", default="market")
# Forced-sale discounts by kind: an examined invention patent has the deepest buyer market; a utility
# model (not substantively examined, easier to invalidate) and a design (narrow, easy to design around)
# sell at steeper discounts.
PLEDGEFLOW_LIQUIDATION_DISCOUNT_BY_KIND = {
    "invention": Decimal(env("PLEDGEFLOW_LIQUIDATION_DISCOUNT_INVENTION", default="0.30")),
    "utility_model": Decimal(env("PLEDGEFLOW_LIQUIDATION_DISCOUNT_UTILITY_MODEL", default="0.40")),
    "design": Decimal(env("PLEDGEFLOW_LIQUIDATION_DISCOUNT_DESIGN", default="0.50")),
}
PLEDGEFLOW_QUALITY_WEIGHTS = {
    "legal": Decimal(env("PLEDGEFLOW_QUALITY_WEIGHT_LEGAL", default="0.4")),
    "technical": Decimal(env("PLEDGEFLOW_QUALITY_WEIGHT_TECHNICAL", default="0.3")),
    "economic": Decimal(env("PLEDGEFLOW_QUALITY_WEIGHT_ECONOMIC", default="0.3")),
}
PLEDGEFLOW_HIGH_VALUE_CATEGORIES = env.list(
    "PLEDGEFLOW_HIGH_VALUE_CATEGORIES",
    default=["strategic_emerging_industry", "foreign_family", "maintained_long", "pledge_secured", "national_award"],
)
PLEDGEFLOW_HIGH_VALUE_MAINTAINED_YEARS = env.int("PLEDGEFLOW_HIGH_VALUE_MAINTAINED_YEARS", default=10)
PLEDGEFLOW_HIGH_VALUE_PLEDGE_THRESHOLD = Decimal(env("PLEDGEFLOW_HIGH_VALUE_PLEDGE_THRESHOLD", default="10000000"))
PLEDGEFLOW_HIGH_VALUE_PLEDGE_CURRENCY = env("PLEDGEFLOW_HIGH_VALUE_PLEDGE_CURRENCY", default="CNY")
PLEDGEFLOW_HIGH_VALUE_AWARDS = env.list(
    "PLEDGEFLOW_HIGH_VALUE_AWARDS", default=["national_science_technology_award", "national_patent_award"]
)
PLEDGEFLOW_REGISTRATION_WORKING_DAYS = env.int("PLEDGEFLOW_REGISTRATION_WORKING_DAYS", default=5)
# ISO dates, comma separated: public holidays the registrar does not work.
PLEDGEFLOW_HOLIDAYS = env.list("PLEDGEFLOW_HOLIDAYS", default=[])
# ISO dates, comma separated: weekend days worked in exchange for holidays (调休).
PLEDGEFLOW_MAKEUP_WORKDAYS = env.list("PLEDGEFLOW_MAKEUP_WORKDAYS", default=[])
# How many days before an annual fee falls due the post-loan sweep warns the bank.
PLEDGEFLOW_MONITOR_FEE_NOTICE_DAYS = env.int("PLEDGEFLOW_MONITOR_FEE_NOTICE_DAYS", default=90)
# Throttle for the anonymous public register lookup.
PLEDGEFLOW_PUBLIC_REGISTER_RATE = env("PLEDGEFLOW_PUBLIC_REGISTER_RATE", default="120/min")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("PLEDGEFLOW_LOG_LEVEL", default="INFO")},
}

# Public programmes and statistics (DOMAIN.md §7, §8).
# A loan with principal unpaid more than this many days past its last day counts as non-performing.
PLEDGEFLOW_NPL_OVERDUE_DAYS = env.int("PLEDGEFLOW_NPL_OVERDUE_DAYS", default=90)
# Inclusive (普惠) loans are those under this amount, in CNY.
PLEDGEFLOW_INCLUSIVE_LOAN_LIMIT = Decimal(env("PLEDGEFLOW_INCLUSIVE_LOAN_LIMIT", default="10000000"))
# Working days the enterprise has to publish a registered pledge on the credit publicity system.
PLEDGEFLOW_PUBLICITY_WORKING_DAYS = env.int("PLEDGEFLOW_PUBLICITY_WORKING_DAYS", default=20)
