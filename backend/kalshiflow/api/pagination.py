"""Cursor pagination over a sorted list (Relay style: ``first``/``after``, ``pageInfo``).

A cursor is the sort key of the last item seen, not an offset, so a page boundary stays put
when markets are added or removed before it. Keys are tuples of ints and strings ending
with a unique id; the cursor is their JSON, base64url-encoded (opaque to clients).
"""

from __future__ import annotations

import base64
import binascii
import bisect
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")
SortKey = tuple[int | str, ...]

MAX_PAGE_SIZE = 500


class BadCursorError(ValueError):
    """``after`` is not a cursor this API handed out (or belongs to another sort order)."""


def encode_cursor(key: SortKey) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(key)).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> SortKey:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise BadCursorError(f"after: {cursor!r} is not a cursor from this API") from None
    if not isinstance(values, list) or not all(
        isinstance(v, int | str) and not isinstance(v, bool) for v in values
    ):
        raise BadCursorError(f"after: {cursor!r} is not a cursor from this API")
    return tuple(values)


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: list[tuple[SortKey, T]]
    has_next: bool
    total: int


def paginate(
    items: Sequence[T], key: Callable[[T], SortKey], first: int, after: str | None
) -> Page[T]:
    if first < 0 or first > MAX_PAGE_SIZE:
        raise ValueError(f"first must be between 0 and {MAX_PAGE_SIZE}, got {first}")
    keyed = sorted(((key(item), item) for item in items), key=lambda pair: pair[0])
    keys = [k for k, _ in keyed]
    start = 0
    if after is not None:
        after_key = decode_cursor(after)
        if keys and len(after_key) != len(keys[0]):
            raise BadCursorError("after: the cursor belongs to another sort order")
        try:
            start = bisect.bisect_right(keys, after_key)
        except TypeError:
            raise BadCursorError("after: the cursor belongs to another sort order") from None
    chosen = keyed[start : start + first]
    return Page(items=chosen, has_next=start + first < len(keyed), total=len(keyed))
