"""What a request hashes, found by watching it (sys.setprofile) during one untimed dispatch.

Counted, outermost call only (the SHA-256 inside an HMAC, the PBKDF2 inside a password hasher
are part of what they serve): a Django password hasher's verify, encode and harden_runtime (any
hasher class, a project's own included), Django's salted_hmac, HMACs made with Python's hmac
module, message digests taken from hashlib's objects (`.digest()`, `.hexdigest()`), and hashlib's
PBKDF2 and scrypt. Not counted: public-key signature checks (an RS256 JWT) and hashing done by C
code that Python code did not call through these functions. Watching slows the request a lot;
never time a watched one.
"""

from __future__ import annotations

import contextlib
import hmac
import sys
from collections import Counter
from collections.abc import Iterator
from types import BuiltinFunctionType, CodeType, FrameType

from django.contrib.auth.hashers import BasePasswordHasher
from django.utils import crypto

_PASSWORD_HASHER_METHODS = ("verify", "encode", "harden_runtime")
# Python functions whose call is one hashing operation, named from their arguments when they start.
_SALTED_HMAC = crypto.salted_hmac.__code__
_HMAC_DIGEST = hmac.digest.__code__
# An HMAC object is named by its digest once built: counted when its __init__ returns.
_HMAC_INIT = hmac.HMAC.__init__.__code__
# What an HMAC object does after it is built is part of that HMAC: not counted again.
_HMAC_PARTS: set[CodeType] = {
    code
    for code in (
        getattr(getattr(hmac.HMAC, name, None), "__code__", None)
        for name in ("update", "copy", "digest", "hexdigest", "_current")
    )
    if code is not None
}
# Modules of hashlib's C functions and hash objects (OpenSSL's, and CPython's own builtins).
_HASHLIB_C_MODULES = {"_hashlib", "_md5", "_sha1", "_sha2", "_sha256", "_sha512", "_sha3", "_blake2"}
# Not counted: a region whose hashing belongs to an operation counted elsewhere.
_UNCOUNTED = None


class HashCalls:
    """The hashing operations seen, as `{"argon2 verify": 1, "HMAC-SHA256": 2}`."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self._inside: FrameType | None = None  # the frame of the counted operation running now
        self._label: str | None = ""

    def summary(self) -> str:
        """`argon2 verify, HMAC-SHA256 x2`, password hashers first; `no` when nothing was hashed."""
        order = sorted(self.counts, key=lambda label: (" " not in label, label))
        counted = [label + (f" x{self.counts[label]}" if self.counts[label] > 1 else "") for label in order]
        return ", ".join(counted) or "no"

    def profile(self, frame: FrameType, event: str, arg: object) -> None:
        if self._inside is not None:
            if event == "return" and frame is self._inside:
                if self._label is not _UNCOUNTED:
                    label = self._label or getattr(frame.f_locals.get("self"), "name", "hmac-?").upper()
                    self.counts[label] += 1
                self._inside = None
            return
        if event == "call":
            code = frame.f_code
            if code in _HMAC_PARTS:
                self._inside, self._label = frame, _UNCOUNTED
            else:
                label = _python_operation(frame)
                if label is not None:
                    self._inside, self._label = frame, label
        elif event == "c_call" and isinstance(arg, BuiltinFunctionType):  # a C function, bound if a method
            label = _c_operation(arg)
            if label is not None:
                self.counts[label] += 1


@contextlib.contextmanager
def counting_hash_calls() -> Iterator[HashCalls]:
    """Count the hashing operations of this thread in the block; yields a HashCalls."""
    calls = HashCalls()
    previous = sys.getprofile()
    sys.setprofile(calls.profile)
    try:
        yield calls
    finally:
        sys.setprofile(previous)


def _python_operation(frame: FrameType) -> str | None:
    """The label of the operation `frame` starts, '' if only known when it returns, None if it is none."""
    code = frame.f_code
    if code.co_name in _PASSWORD_HASHER_METHODS:
        hasher = frame.f_locals.get("self")
        if isinstance(hasher, BasePasswordHasher):
            return f"{hasher.algorithm} {code.co_name}"
        return None
    if code is _SALTED_HMAC:
        return _hmac_name(frame.f_locals.get("algorithm", "sha1"))
    if code is _HMAC_DIGEST:
        return _hmac_name(frame.f_locals.get("digest"))
    if code is _HMAC_INIT:
        return ""
    return None


def _c_operation(function: BuiltinFunctionType) -> str | None:
    """The label of a hashing C call made from Python: `SHA-256` (a digest taken), `PBKDF2`, `scrypt`; else None."""
    owner = getattr(function, "__self__", None)
    if (
        function.__name__ in ("digest", "hexdigest")
        and owner is not None
        and type(owner).__module__ in _HASHLIB_C_MODULES
    ):
        return None if type(owner).__name__ == "HMAC" else _digest_name(owner.name)
    if getattr(function, "__module__", None) in _HASHLIB_C_MODULES and function.__name__ in ("pbkdf2_hmac", "scrypt"):
        return "PBKDF2" if function.__name__ == "pbkdf2_hmac" else "scrypt"
    return None


def _raw_name(digest: object) -> str:
    """`sha256` from `sha256`, `openssl_sha256` or hashlib.sha256 (a C function of that name)."""
    name = digest if isinstance(digest, str) else getattr(digest, "__name__", "?")
    return name.rsplit(".", 1)[-1].removeprefix("openssl_").lower()


def _digest_name(digest: object) -> str:
    """`sha256` -> `SHA-256`, `sha3_256` -> `SHA3-256`, `md5` -> `MD5`."""
    name = _raw_name(digest)
    if name.startswith("sha3_"):
        return "SHA3-" + name.removeprefix("sha3_")
    if name.startswith("sha"):
        return "SHA-" + name.removeprefix("sha")
    return name.upper()


def _hmac_name(digest: object) -> str:
    """`sha256` or hashlib.sha256 -> `HMAC-SHA256`, as an HMAC object names itself."""
    return "HMAC-" + _raw_name(digest).upper()
