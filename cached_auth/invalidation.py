"""Replace a user's stamps whenever the user row is saved or deleted through the ORM.

The receivers are connected for the user model and for every proxy and subclass of it,
including ones defined later: Django sends a save's signals with the instance's own
class as sender. QuerySet.update(), bulk_update(), raw SQL and other programs writing
the table send no signal: the trusting variant serves its entries until their TTL (the
revalidating one, which reads the row on every hit, sees such changes at once).

A save or a delete of an existing user row:
- before the row is written, replaces the stamp of the username the row has in the
  database with a pending one (made for the state being written, or for no user after a
  rename or a delete), and reads it back: if the cache cannot confirm it, the save or
  delete is refused (InvalidationFailed) instead of being committed with its revocation
  lost. A rename leaves the stamp of the username it takes alone: that name's cached
  authentications belong to whoever holds it now, and a rename refused by the database
  (a username another user holds) must not change that user's caching;
- after the write, replaces it again: with a committed stamp when the write is committed
  already (autocommit), otherwise with a pending one, then with a committed one once the
  transaction commits. A write that does not commit leaves its pending stamp: after
  AUTH_CACHE_COMMIT_TIMEOUT seconds requests no longer wait for it (cached_auth.authentication).
Creating a user, or saving only last_login (what every session login does), confirms
nothing: no cached authentication can depend on them.

The user that a trusted hit puts on request.user carries cached field values. Saving it
must not write a cached value its code did not change over a newer one in the database
(a revocation made with QuerySet.update(), say): before such a save, the unchanged cached
fields take the database's values.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Iterable
from typing import TYPE_CHECKING, Any, Protocol

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import router, transaction
from django.db.models import Model
from django.db.models.signals import ModelSignal, class_prepared, post_delete, post_save, pre_delete, pre_save

from cached_auth import stamps
from cached_auth.config import Config, current

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser

logger = logging.getLogger("cached_auth")

# Set on a trusted hit's user: the cached values (in Config.cached_fields order) it was built with.
TRUSTED_VALUES = "_cached_auth_values"
# Set on an instance between its pre_ and post_ signal: the stamps to replace again.
_PENDING = "_cached_auth_pending_stamps"
# Saving only these fields needs no invalidation: no cached authentication depends on them.
UNCACHED_FIELDS = frozenset({"last_login"})


class Replace(Protocol):
    """How stamps are replaced: stamps.replace_stamps, or a function that logs its failure instead of raising it."""

    def __call__(self, config: Config, fingerprints: dict[str, str], *, pending: bool) -> None: ...


def connect() -> None:
    """Connect the receivers for the user model, its proxies and subclasses, now and defined later."""
    user_model = get_user_model()
    for model in apps.get_models():
        if issubclass(model, user_model):
            _connect(model)
    class_prepared.connect(_connect_if_user_model, dispatch_uid="cached_auth.invalidation.new-model")


def _connect_if_user_model(sender: type[Model], **kwargs: Any) -> None:
    if issubclass(sender, get_user_model()):
        _connect(sender)


def _connect(model: type[Model]) -> None:
    receivers: tuple[tuple[ModelSignal, Callable[..., None]], ...] = (
        (pre_save, _saving),
        (post_save, _saved),
        (pre_delete, _deleting),
        (post_delete, _deleted),
    )
    for signal, receiver in receivers:
        signal.connect(receiver, sender=model, dispatch_uid=f"cached_auth.invalidation.{receiver.__name__}")


def _saving(
    sender: type[AbstractBaseUser],
    instance: AbstractBaseUser,
    using: str,
    update_fields: frozenset[str] | None,
    **kwargs: Any,
) -> None:
    instance.__dict__.pop(_PENDING, None)
    config = current()
    if not config.ttl or (update_fields is not None and update_fields <= UNCACHED_FIELDS):
        return
    names = (*config.cached_fields, "password")
    row = _database_row(instance, using, names)
    written = set(update_fields) if update_fields is not None else set(instance.__dict__)
    if row is not None:
        _keep_database_values(config, instance, row, written)
    after = {name: getattr(instance, name) if name in written or row is None else row[name] for name in names}
    username = config.username_attname
    if row is not None and row[username] != after[username]:
        fingerprints = {stamps.stamp_key(config, row[username]): stamps.NO_USER}
    else:
        fingerprints = {stamps.stamp_key(config, after[username]): stamps.state_fingerprint(config, after)}
    instance.__dict__[_PENDING] = fingerprints
    if row is not None:
        stamps.replace_stamps(config, fingerprints, pending=True)


def _saved(sender: type[AbstractBaseUser], instance: AbstractBaseUser, using: str, **kwargs: Any) -> None:
    if fingerprints := instance.__dict__.pop(_PENDING, None):
        _replace_after_write(current(), fingerprints, using, _replace_or_log)


def _deleting(sender: type[AbstractBaseUser], instance: AbstractBaseUser, using: str, **kwargs: Any) -> None:
    instance.__dict__.pop(_PENDING, None)
    config = current()
    if not config.ttl:
        return
    row = _database_row(instance, using, (config.username_attname,))
    usernames = {row[config.username_attname]} if row is not None else set()
    if config.username_attname in instance.__dict__:
        usernames.add(instance.__dict__[config.username_attname])
    fingerprints = {stamps.stamp_key(config, username): stamps.NO_USER for username in usernames}
    instance.__dict__[_PENDING] = fingerprints
    stamps.replace_stamps(config, fingerprints, pending=True)


_deleted = _saved


def _database_row(instance: AbstractBaseUser, using: str, names: Iterable[str]) -> dict[str, Any] | None:
    """The instance's row as the database holds it now (None for a new row): its old username, say."""
    if instance.pk is None:
        return None
    return type(instance)._base_manager.using(using).filter(pk=instance.pk).values(*names).first()


def _keep_database_values(
    config: Config, instance: AbstractBaseUser, row: dict[str, Any], written: Collection[str]
) -> None:
    """On a trusted hit's user, give each written cached field its code did not change the database's value."""
    trusted = instance.__dict__.get(TRUSTED_VALUES)
    if trusted is None:
        return
    kept = []
    for name, cached in zip(config.cached_fields, trusted, strict=True):
        if name in written and instance.__dict__.get(name) == cached:
            instance.__dict__[name] = row[name]
        kept.append(instance.__dict__.get(name, cached))
    instance.__dict__[TRUSTED_VALUES] = tuple(kept)


def _replace_after_write(config: Config, fingerprints: dict[str, str], using: str, replace: Replace) -> None:
    """Replace the stamps after a write: committed if it is, else pending now and committed after the commit.

    `replace(config, fingerprints, pending=...)` makes the replacement now; the one after the
    commit only logs a failure: the commit cannot be undone. It is arranged first, so that
    it is made even when the replacement now raises.
    """
    if not transaction.get_connection(using).in_atomic_block:
        replace(config, fingerprints, pending=False)
        return
    transaction.on_commit(lambda: _replace_or_log(config, fingerprints, pending=False), using=using)
    replace(config, fingerprints, pending=True)


def _replace_or_log(config: Config, fingerprints: dict[str, str], *, pending: bool) -> None:
    """Replace the stamps of a write already made: a failure cannot refuse it, so it is logged, not raised."""
    try:
        stamps.replace_stamps(config, fingerprints, pending=pending)
    except Exception as error:  # any cache error: the write is made, say so
        logger.error("cached_auth: could not replace %d stamp(s) after a user write: %r", len(fingerprints), error)


def invalidate(user: AbstractBaseUser) -> None:
    """Replace a user's stamps as a save does: after a change made without signals (QuerySet.update()).

    Both the username `user` holds and the one its row holds now, if they differ (a rename
    by QuerySet.update()). Raises InvalidationFailed, or the cache's error, if the stamps
    could not be replaced.
    """
    config = current()
    if not config.ttl:
        return
    using = router.db_for_write(type(user), instance=user)
    row = _database_row(user, using, (*config.cached_fields, "password"))
    fingerprints = {stamps.stamp_key(config, user.get_username()): stamps.NO_USER}
    if row is not None:
        fingerprints[stamps.stamp_key(config, row[config.username_attname])] = stamps.state_fingerprint(config, row)
    _replace_after_write(config, fingerprints, using, stamps.replace_stamps)
