"""The rows a scheme reads, made at a size with bulk inserts: what the growth benchmarks measure each scheme against.

Each maker (named by a Data of benchlib.auth_schemes) makes the measured user and the rows
that are not its credential: 9,999 other users beside it, or 999 other tokens of its own for
knox. Its credential is issued later, by the scheme's preparer, so that a size counts every
row the request can meet (django-axes' failed attempts are all other clients': the measured
client has none on record). benchlib.growth_store keeps what was made, so it is made once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import timedelta
from itertools import islice
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone

from benchlib.users import create_user, value_for

if TYPE_CHECKING:
    from benchlib.users import User

# The measured user: made first in every data set, its password set by the benchmark.
MEASURED_USER = "scheme-user"
# Rows per INSERT statement (Django splits further where the database limits parameters).
BATCH = 5_000
# A password nobody can log in with, as long as Django's (`!` and 40 random characters).
UNUSABLE_PASSWORD = "!" + "x" * 40
# The other tokens' expiry: in the future whenever the data is used, so no request deletes them.
FAR_FUTURE = timedelta(days=365 * 100)

Maker = Callable[["User", int], None]


def make(maker: str, size: int) -> None:
    """Empty every table of the database, then make the measured user and the other rows of a data set of
    `size` (benchlib.auth_schemes.Data.maker): the database then holds them and nothing else."""
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    connection.ops.execute_sql_flush(connection.ops.sql_flush(no_style(), tables, reset_sequences=True))
    with transaction.atomic():
        user = create_user(MEASURED_USER)
        MAKERS[maker](user, size)


def measured_user() -> User:
    """The measured user of the data set in the database."""
    user_model = get_user_model()
    field = user_model._meta.get_field(user_model.USERNAME_FIELD)
    return user_model._default_manager.get_by_natural_key(str(value_for(field, MEASURED_USER)))


def rows(maker: str, user: User) -> int:
    """The rows a request of the user can meet, of the data a maker makes: its size once the credential is issued."""
    from django.apps import apps

    if maker == "knox_tokens":
        return apps.get_model("knox.AuthToken")._default_manager.filter(user=user).count()
    return apps.get_model(COUNTED[maker])._default_manager.count()


# The model whose rows a data set's size counts, by maker (knox's: the measured user's tokens).
COUNTED = {
    "users": settings.AUTH_USER_MODEL,
    "sessions": "sessions.Session",
    "drf_tokens": "authtoken.Token",
    "api_keys": "rest_framework_api_key.APIKey",
    "oauth2_tokens": "oauth2_provider.AccessToken",
    "failed_attempts": "axes.AccessAttempt",
}


def bulk_insert(model: type[models.Model], rows: Iterable[models.Model]) -> None:
    """Insert `rows` BATCH at a time, so that a million rows never sit in memory at once."""
    iterator = iter(rows)
    while batch := list(islice(iterator, BATCH)):
        model._default_manager.bulk_create(batch)


def other_users(count: int) -> Iterator[models.Model]:
    """`count` users of the project's user model besides the measured one, as its manager would fill them."""
    user_model = get_user_model()
    fields = [user_model._meta.get_field(name) for name in (user_model.USERNAME_FIELD, *user_model.REQUIRED_FIELDS)]
    for number in range(count):
        name = f"other-{number:07d}"
        yield user_model(password=UNUSABLE_PASSWORD, **{field.name: value_for(field, name) for field in fields})


def made_other_users(count: int) -> list[Any]:
    """Insert `count` other users; their primary keys, read back (not every database returns them on insert)."""
    user_model = get_user_model()
    bulk_insert(user_model, other_users(count))
    others = user_model._default_manager.exclude(**{user_model.USERNAME_FIELD: MEASURED_USER})
    return list(others.values_list("pk", flat=True))


def users(user: User, size: int) -> None:
    bulk_insert(get_user_model(), other_users(size - 1))


def sessions(user: User, size: int) -> None:
    """Other users' database sessions, one each (what is stored in them is never read)."""
    from django.contrib.sessions.models import Session

    bulk_insert(get_user_model(), other_users(size - 1))
    expires = timezone.now() + FAR_FUTURE
    bulk_insert(
        Session, (Session(session_key=f"{n:032d}", session_data="e30", expire_date=expires) for n in range(size - 1))
    )


def drf_tokens(user: User, size: int) -> None:
    """Other users' DRF tokens, one each, as authtoken issues them."""
    from rest_framework.authtoken.models import Token

    bulk_insert(Token, (Token(key=f"{pk:040x}", user_id=pk) for pk in made_other_users(size - 1)))


def api_keys(user: User, size: int) -> None:
    """Other API keys, stored as djangorestframework-api-key stores them: `prefix.hash` and a SHA-512 hash."""
    from rest_framework_api_key.models import APIKey

    hashed = "sha512$$" + "0" * 128
    bulk_insert(
        APIKey,
        (APIKey(id=f"{n:08x}.{hashed}", prefix=f"{n:08x}", hashed_key=hashed, name="other") for n in range(size - 1)),
    )


def oauth2_tokens(user: User, size: int) -> None:
    """Other users' access tokens, one each, from one application (django-oauth-toolkit stores their SHA-256)."""
    from oauth2_provider.models import AccessToken, Application

    application = Application.objects.create(
        name="others",
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris="https://client.example/callback",
        hash_client_secret=False,
    )
    expires = timezone.now() + FAR_FUTURE
    bulk_insert(
        AccessToken,
        (
            AccessToken(user_id=pk, application=application, token=f"other-{pk:024d}", expires=expires, scope="read")
            for pk in made_other_users(size - 1)
        ),
    )


def knox_tokens(user: User, size: int) -> None:
    """The user's other knox tokens, one per login elsewhere, none expired (knox deletes those on the next request)."""
    from knox.models import AuthToken

    expiry = timezone.now() + FAR_FUTURE
    bulk_insert(
        AuthToken,
        (AuthToken(digest=f"{n:0128x}", token_key=f"{n:015x}", user=user, expiry=expiry) for n in range(size - 1)),
    )


def failed_attempts(user: User, size: int) -> None:
    """django-axes' records of other clients' failed logins, one client (IP address) each: `size` of them."""
    from axes.models import AccessAttempt

    bulk_insert(
        AccessAttempt,
        (
            AccessAttempt(
                username=f"other-{n:07d}",
                ip_address=f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}",
                user_agent="",
                http_accept="*/*",
                path_info="/login/",
                get_data="",
                post_data="",
                failures_since_start=1,
            )
            for n in range(size)
        ),
    )


MAKERS: dict[str, Maker] = {
    maker.__name__: maker
    for maker in (users, sessions, drf_tokens, api_keys, oauth2_tokens, knox_tokens, failed_attempts)
}
