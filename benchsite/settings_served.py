"""benchsite as real servers run it: one database and one Redis that every worker process shares.

`python -m benchtools e2e` starts gunicorn and uvicorn with these settings. The environment
names what the tool made for the run: DRF_AUTH_BENCH_DATABASE, the SQLite file holding the
users, tokens and sessions, or DRF_AUTH_BENCH_DATABASE_URL, a PostgreSQL database made for
the run (made before the servers start); DRF_AUTH_BENCH_CONNECTIONS, how the workers handle
their connections to it (benchsite.database_settings.CONNECTIONS; default: one per request);
DRF_AUTH_BENCH_REDIS_URL, the cache the cached BasicAuthentication shares between workers;
DRF_AUTH_BENCH_PREFERRED_HASHER, the hasher class the users' passwords were made with (first
in PASSWORD_HASHERS, so that no login re-hashes and saves a password); and, for the fault
drills, DRF_AUTH_BENCH_RESPONSE_LOG, the file every response is recorded in
(benchsite.response_log), and DRF_AUTH_BENCH_AUTH_CACHE=locmem, which gives cached_auth each
process's own local-memory cache instead of the shared Redis: the mistake the revocation
drill shows.
"""

import os

from benchsite.database_settings import CONNECTIONS_VARIABLE, PER_REQUEST, with_connections
from benchsite.settings import *  # noqa: F403
from benchsite.settings import CACHES, DATABASES, PASSWORD_HASHERS

if os.environ.get("DRF_AUTH_BENCH_DATABASE"):
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ["DRF_AUTH_BENCH_DATABASE"]}}
DATABASES = {"default": with_connections(DATABASES["default"], os.environ.get(CONNECTIONS_VARIABLE, PER_REQUEST))}
ROOT_URLCONF = "benchsite.urls_served"

if os.environ.get("DRF_AUTH_BENCH_RESPONSE_LOG"):
    MIDDLEWARE = ["benchsite.response_log.ResponseLog"]

if "redis" in CACHES and os.environ.get("DRF_AUTH_BENCH_AUTH_CACHE") != "locmem":
    AUTH_CACHE_ALIAS = "redis"
    # A prefix of the run's own, so that a Redis configured for other uses is left alone.
    CACHES = {**CACHES, "redis": {**CACHES["redis"], "KEY_PREFIX": os.environ.get("DRF_AUTH_BENCH_CACHE_PREFIX", "")}}

_preferred = os.environ.get("DRF_AUTH_BENCH_PREFERRED_HASHER")
if _preferred:
    if _preferred not in PASSWORD_HASHERS:
        raise ValueError(f"DRF_AUTH_BENCH_PREFERRED_HASHER={_preferred!r} is not in PASSWORD_HASHERS")
    PASSWORD_HASHERS = [_preferred, *(path for path in PASSWORD_HASHERS if path != _preferred)]
