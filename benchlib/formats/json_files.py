"""Decoding a saved file into its typed definition: any problem is a FormatError naming the JSON path."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import msgspec

T = TypeVar("T")


class FormatError(ValueError):
    """The bytes are not the format asked for; the message is one line naming where (`$.benchmarks[3].stats`)."""


class NotJSON(FormatError):
    """The bytes are not JSON text at all: truncated, corrupt, or not UTF-8."""


def decode(data: bytes, kind: type[T], *, upgrade: Callable[[Any], Any] | None = None) -> T:
    """`data` decoded as `kind`; `upgrade`, if given, first turns an older layout's JSON into the current one."""
    try:
        data.decode("utf-8")  # msgspec reads invalid UTF-8 inside strings without a word
        if upgrade is None:
            return msgspec.json.decode(data, type=kind)
        return msgspec.convert(upgrade(msgspec.json.decode(data)), kind)
    except UnicodeDecodeError as error:
        raise NotJSON(f"not UTF-8 text (byte {error.start})") from None
    except msgspec.ValidationError as error:
        raise FormatError(printable(str(error))) from None
    except msgspec.DecodeError as error:
        raise NotJSON(f"not valid JSON, truncated or corrupt? ({printable(str(error))})") from None
    except RecursionError:
        raise NotJSON("nested too deeply") from None


def convert(value: Any, kind: type[T]) -> T:
    """An already-decoded value (a live benchmark's extra_info, say) checked as `kind`."""
    try:
        return msgspec.convert(value, kind)
    except msgspec.ValidationError as error:
        raise FormatError(printable(str(error))) from None


def printable(message: str) -> str:
    """A message naming a file's field, which may be any text, as one printable line: `\\n` for a newline."""
    return "".join(character if character.isprintable() else repr(character)[1:-1] for character in message)


def encode(value: Any) -> bytes:
    """`value` as indented JSON, as the suite writes its files."""
    return msgspec.json.format(msgspec.json.encode(value), indent=2)


def as_builtins(value: Any) -> Any:
    """`value` as the dicts, lists and numbers JSON holds, e.g. to put a record into a benchmark's extra_info."""
    return msgspec.to_builtins(value)
