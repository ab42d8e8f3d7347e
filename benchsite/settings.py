"""Settings for the project under test: SQLite and the local-memory cache, nothing to start."""

import os

from benchsite.database_settings import DATABASE_URL_VARIABLE, database_from_url

SECRET_KEY = "drf-auth-bench-not-a-secret"  # The suite never serves real traffic.
DEBUG = False
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
USE_TZ = True

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "rest_framework",
    # The authentication schemes compared in benchmarks/test_schemes.py:
    "django.contrib.sessions",  # SessionAuthentication's database session backend
    "rest_framework.authtoken",  # TokenAuthentication
    "rest_framework_api_key",  # djangorestframework-api-key
    "oauth2_provider",  # django-oauth-toolkit
    "knox",  # django-rest-knox
    "axes",  # django-axes: on for its own row only (AXES_ENABLED below)
    "cached_auth",  # replaces a user's cached-authentication stamp when the user is saved
]

MIDDLEWARE: list[str] = []
ROOT_URLCONF = "benchsite.urls"

DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
# PostgreSQL instead of SQLite, only when asked for: e.g.
# DRF_AUTH_BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench (tests run in test_bench);
# `python -m benchtools postgres -- COMMAND` runs COMMAND with a throwaway cluster's.
if os.environ.get(DATABASE_URL_VARIABLE):
    DATABASES = {"default": database_from_url(os.environ[DATABASE_URL_VARIABLE])}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# A real shared cache, only when asked for: e.g. DRF_AUTH_BENCH_REDIS_URL=redis://127.0.0.1:6379/15
# (a database number of its own: the suite writes keys there and deletes the ones it wrote).
REDIS_URL_VARIABLE = "DRF_AUTH_BENCH_REDIS_URL"
if os.environ.get(REDIS_URL_VARIABLE):
    CACHES["redis"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ[REDIS_URL_VARIABLE],
    }

# cached_auth reads AUTH_CACHE_ALIAS and AUTH_CACHE_TTL; its defaults ("default", 300 s) apply here.
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Every hasher Django ships with a work factor, and MD5; the first is the preferred one, as in
# a new project. The benchmarks measure whatever this list holds (benchlib.hashers).
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.BCryptPasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
    "django.contrib.auth.hashers.MD5PasswordHasher",
]

REST_FRAMEWORK = {
    # DRF's default: BasicAuthentication, which runs the password hasher on every request.
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.BasicAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
}

# django-axes records failed logins and logs successful ones through Django's auth signals, which
# every scheme sends: off here, so that no other row pays for it; its row turns it on, with its
# backend first in AUTHENTICATION_BACKENDS and its middleware (benchlib.scheme_requests).
AXES_ENABLED = False

SIMPLE_JWT = {
    # PyJWT warns of an HMAC key shorter than 32 bytes (RFC 7518, section 3.2); SECRET_KEY here is.
    "SIGNING_KEY": "drf-auth-bench-jwt-signing-key-not-a-secret",
}
