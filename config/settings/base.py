"""Settings shared by every way of running; values come from the environment (see .env.example)."""
from __future__ import annotations

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
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
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
    # Wait for a competing writer rather than failing at once with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/login/"

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

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
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
}

SPECTACULAR_SETTINGS = {
    "TITLE": "pledgeflow API",
    "DESCRIPTION": "Patent-backed loans from application to release.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "DocumentKindEnum": "documents.models.DOCUMENT_KIND_CHOICES",
        "PatentKindEnum": "patents.models.Patent.Kind",
        "AlertKindEnum": "monitoring.models.Alert.Kind",
    },
}

# Celery: with no broker configured, tasks run in-process (the embedded default).
REDIS_URL = env("REDIS_URL", default="")
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
}

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
