"""Production settings: everything from the environment, and refuse to start when that would be unsafe."""
from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F401,F403
from .base import DEBUG, INSECURE_DEFAULT_SECRET_KEY, MIDDLEWARE, SECRET_KEY, env

# A forged session or signed token would let anyone act as a bank officer, so a missing or
# guessable key is a reason not to start, not a warning.
if not SECRET_KEY or SECRET_KEY == INSECURE_DEFAULT_SECRET_KEY or SECRET_KEY.startswith("django-insecure"):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY is unset or the insecure development default; set a long random value, e.g. "
        "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )
if len(SECRET_KEY) < 32:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY is shorter than 32 characters; use a long random value.")
# DEBUG pages show settings, SQL and loan data to whoever triggers an error.
if DEBUG:
    raise ImproperlyConfigured("DJANGO_DEBUG is on; production never runs with debug pages.")

# gunicorn serves the static files itself (admin, API docs), compressed and cache-busted.
MIDDLEWARE = [*MIDDLEWARE]
MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
                  "whitenoise.middleware.WhiteNoiseMiddleware")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Cookies only over HTTPS. Turn off (DJANGO_SECURE_COOKIES=false) only to try the stack over
# plain http on localhost; the token API works either way.
SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
# TLS usually ends at a proxy in front of gunicorn. Its X-Forwarded-Proto is trusted only when told
# such a proxy exists and strips the header from clients: otherwise anyone could claim https.
if env.bool("DJANGO_BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The proxy usually redirects http to https; see README "Production" on check --deploy's W008.
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=False)
# Browsers then refuse plain http for this long. Sent only on https responses, so a stack tried
# over http on localhost is not affected.
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
# Preloading is a promise to browser vendors that is slow to take back: the bank opts in.
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
