"""Query parsing, JSON bodies and cursor pagination shared by the REST handler modules."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from typing import Final, TypeVar

from aiohttp import web

from kalshiflow.exchange_sim.server import errors

T = TypeVar("T")

DEFAULT_LIMIT: Final = 100
_TRUE: Final = frozenset({"true", "1"})
_FALSE: Final = frozenset({"false", "0", ""})


def query_int(request: web.Request, name: str, operation: str) -> int | None:
    raw = request.query.get(name)
    if raw is None or raw == "":
        return None
    try:
        return int(raw)
    except ValueError:
        raise errors.bare_validation(operation, f"{name} must be an integer, got {raw!r}") from None


def query_limit(
    request: web.Request, operation: str, maximum: int, default: int = DEFAULT_LIMIT
) -> int:
    """``limit`` in 1..maximum; Kalshi rejects (does not clamp) values over the maximum."""
    limit = query_int(request, "limit", operation)
    if limit is None:
        return default
    if not 1 <= limit <= maximum:
        raise errors.bare_validation(
            operation, f"limit must be between 1 and {maximum}, got {limit}"
        )
    return limit


def query_bool(request: web.Request, name: str, operation: str) -> bool:
    raw = request.query.get(name, "").lower()
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise errors.bare_validation(operation, f"{name} must be true or false, got {raw!r}")


def query_list(request: web.Request, name: str) -> list[str]:
    """A list parameter given comma-separated and/or repeated (``?t=A,B&t=C``)."""
    values: list[str] = []
    for raw in request.query.getall(name, []):
        values.extend(part for part in raw.split(",") if part)
    return values


def seconds_to_ms(value: int | None) -> int | None:
    return None if value is None else value * 1000


async def json_body(request: web.Request, struct: str) -> dict[str, object]:
    """The request body as a JSON object, or Kalshi's flat ``bad_request``."""
    raw = await request.read()
    try:
        body = json.loads(raw) if raw else None
    except (ValueError, UnicodeDecodeError) as exc:
        raise errors.flat_bad_request(f"invalid character in request body: {exc}") from None
    if not isinstance(body, dict):
        kind = _json_kind(body)
        raise errors.flat_bad_request(
            f"json: cannot unmarshal {kind} into Go value of type {struct}"
        )
    return body


def _json_kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


_GO_TYPES: Final = {str: "string", bool: "bool", int: "int64", list: "array"}


def field(body: dict[str, object], name: str, kind: type[T], struct: str) -> T | None:
    """An optional typed body field. A wrong JSON type is Kalshi's flat decode error (it fails
    in the JSON decoder, before any validation)."""
    value = body.get(name)
    if value is None:
        return None
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise errors.flat_bad_request(
            f"json: cannot unmarshal {_json_kind(value)} into Go struct field "
            f"{struct}.{name} of type {_GO_TYPES.get(kind, kind.__name__)}"
        )
    return value


def required(body: dict[str, object], name: str, kind: type[T], struct: str) -> T:
    """A required typed body field; missing is Kalshi's validation error."""
    value = field(body, name, kind, struct)
    if value is None:
        raise errors.nested(
            400,
            "invalid_parameters",
            "invalid parameters",
            f"Key: '{struct}.{name}' Error:Field validation for '{name}' failed on the "
            "'required' tag",
        )
    return value


def invalid_parameter(name: str, problem: str) -> errors.ApiError:
    return errors.nested(400, "invalid_parameters", "invalid parameters", f"{name}: {problem}")


# --- cursor pagination --------------------------------------------------------------------


def _encode_cursor(item_id: str) -> str:
    return base64.urlsafe_b64encode(item_id.encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> str | None:
    try:
        return base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None


def paginate(
    items: Sequence[T], ident: Callable[[T], str], limit: int, cursor: str | None
) -> tuple[list[T], str]:
    """One page of ``items`` (already in delivery order) after ``cursor``.

    The cursor names the last item delivered, so items added at the head of a newest-first
    list between two calls do not shift later pages. An unknown or garbage cursor restarts
    from the beginning (Kalshi answers 200 to a garbage cursor). The last page's cursor is
    ``""`` as observed on Kalshi.
    """
    start = 0
    if cursor:
        last_id = _decode_cursor(cursor)
        if last_id is not None:
            for index, item in enumerate(items):
                if ident(item) == last_id:
                    start = index + 1
                    break
    page = list(items[start : start + limit])
    more = start + limit < len(items)
    return page, (_encode_cursor(ident(page[-1])) if more and page else "")
