"""Make the served site's database before any server starts: the tables, one user, and what a client holds.

Run in a process of its own (`python -m benchtools.e2e.accounts`, benchsite.settings_served,
the environment naming the SQLite file and the hasher): the tool's process never configures
Django. It prints, as one JSON object, the request headers each scheme's client sends, with a
good and a bad credential. The servers then only read this file, every worker the same rows:
a file, because workers are separate processes; SQLite, because nothing has to be started
for it and concurrent reads of a file need no locks.
"""

from __future__ import annotations

import json
import sys
from datetime import timedelta

USERNAME = "e2e-user"
TOKEN_LIFETIME = timedelta(days=1)  # longer than any run; simplejwt's default is 5 minutes


def make_accounts() -> dict[str, dict[str, dict[str, str]]]:
    from django.apps import apps
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from benchlib.credentials import PASSWORD, WRONG_PASSWORD, basic_header
    from benchlib.scheme_requests import forged_jwt, issue_jwt, issue_token, log_in, session_cookies

    # Tables made from the models, as the test settings make them (--no-migrations): a fifth of the time.
    settings.MIGRATION_MODULES = {app.label: None for app in apps.get_app_configs()}
    call_command("migrate", run_syncdb=True, verbosity=0)
    user = get_user_model()._default_manager.create_user(username=USERNAME, password=PASSWORD)
    token = issue_token(user)
    access = issue_jwt(user, lifetime=TOKEN_LIFETIME)
    session_key, csrf_cookie, _ = log_in(user)
    cookies, unknown_session = session_cookies(session_key, csrf_cookie)

    basic = {
        "good": {"Authorization": basic_header(USERNAME, PASSWORD)},
        "bad": {"Authorization": basic_header(USERNAME, WRONG_PASSWORD)},
    }
    return {
        "none": {"good": {}, "bad": {}},
        "basic": basic,
        "cached-basic": basic,
        "revalidating-basic": basic,
        "async-basic": basic,
        "async-basic-thread": basic,
        "token": {"good": {"Authorization": f"Token {token}"}, "bad": {"Authorization": f"Token {'0' * 40}"}},
        "jwt": {
            "good": {"Authorization": f"Bearer {access}"},
            "bad": {"Authorization": f"Bearer {forged_jwt(access)}"},
        },
        "session": {"good": {"Cookie": cookies}, "bad": {"Cookie": unknown_session}},
    }


def main() -> int:
    import django

    django.setup()
    json.dump(make_accounts(), sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
