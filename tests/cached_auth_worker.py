"""A process of its own for the cross-process tests: benchsite's settings, but a database file and
a cache that other processes share, and the trusting cached authentication as the DRF default.

Run as `python tests/cached_auth_worker.py DB_PATH CACHE_JSON`; reads one JSON command per line on
stdin ([name, *arguments]) and answers each with one JSON line on stdout. Requests go to one
of VIEWS: "default" uses DRF's default authentication classes (the drop-in test),
"revalidating" names RevalidatingCachedBasicAuthentication in its authentication_classes.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


DEFAULT_AUTHENTICATION_CLASS = "cached_auth.authentication.CachedBasicAuthentication"


class NoMigrations(dict):
    """MIGRATION_MODULES naming no migrations for any app: `migrate --run-syncdb` creates every table."""

    def __contains__(self, app_label) -> bool:
        return True

    def __getitem__(self, app_label) -> None:
        return None


def configure(db_path: str, cache: dict) -> None:
    import django
    from django.conf import settings

    from benchlib.hashers import MEASURED_HASHERS
    from benchsite import settings as benchsite_settings

    values = {name: getattr(benchsite_settings, name) for name in dir(benchsite_settings) if name.isupper()}
    values["DATABASES"] = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": db_path}}
    values["CACHES"] = {"default": cache}
    values["AUTH_CACHE_ALIAS"] = "default"
    # MD5 preferred, as for fast_user (not benchlib.hashers.preferring: it reads the settings this configures).
    md5 = MEASURED_HASHERS["md5"]
    values["PASSWORD_HASHERS"] = [md5, *(path for path in values["PASSWORD_HASHERS"] if path != md5)]
    values["REST_FRAMEWORK"] = {
        **values["REST_FRAMEWORK"],
        "DEFAULT_AUTHENTICATION_CLASSES": [DEFAULT_AUTHENTICATION_CLASS],
    }
    # Tables made from the models, as the test run makes them (--no-migrations): seconds faster.
    values["MIGRATION_MODULES"] = NoMigrations()
    settings.configure(**values)
    django.setup()


def make_commands():
    from django.contrib.auth import base_user, get_user_model
    from django.core.management import call_command
    from rest_framework.test import APIRequestFactory

    from benchlib.credentials import basic_header
    from benchsite.views import drf_view_with, hello_drf
    from cached_auth.authentication import RevalidatingCachedBasicAuthentication

    views = {"default": hello_drf, "revalidating": drf_view_with([RevalidatingCachedBasicAuthentication])}

    users = get_user_model()._default_manager
    checks = {"count": 0}
    verify = base_user.check_password

    def counting_check_password(*args, **kwargs):
        checks["count"] += 1
        return verify(*args, **kwargs)

    base_user.check_password = counting_check_password

    def create_database():
        call_command("migrate", verbosity=0, run_syncdb=True)
        return "ok"

    def create_user(username, password):
        get_user_model()._default_manager.create_user(username=username, password=password)
        return "ok"

    def authenticate(view_name, username, password):
        view = views[view_name]
        before = checks["count"]
        request = APIRequestFactory().get("/hello-drf/", HTTP_AUTHORIZATION=basic_header(username, password))
        response = view(request)
        return {
            "status": response.status_code,
            "password_checks": checks["count"] - before,
            "classes": [cls.__name__ for cls in view.cls.authentication_classes],
        }

    def set_password(username, password):
        user = users.get(username=username)
        user.set_password(password)
        user.save()
        return "ok"

    def deactivate(username):
        user = users.get(username=username)
        user.is_active = False
        user.save()
        return "ok"

    return {f.__name__: f for f in (create_database, create_user, authenticate, set_password, deactivate)}


def main(argv: list[str]) -> int:
    db_path, cache_json = argv
    configure(db_path, json.loads(cache_json))
    commands = make_commands()
    for line in sys.stdin:
        name, *arguments = json.loads(line)
        print(json.dumps(commands[name](*arguments)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
