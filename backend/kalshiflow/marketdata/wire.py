"""Reading Kalshi's market-data messages into exact integers, fast.

The stream hands over parsed JSON (orjson). What is left on the hot path is turning
``"0.4700"`` and ``"-3.00"`` into ``Price``/``Count`` units. ``fixedpoint.parse_*`` goes
through ``Decimal`` (about 1 µs); a book only ever sees a few hundred distinct price and size
strings, so the parsed value is memoised per string and the common case is one dict lookup.
The memo is bounded so a hostile or buggy feed cannot grow it without limit.

Both the current wire shapes (``*_dollars_fp`` / ``price_dollars`` / ``delta_fp``) and the
legacy ones (integer cents and contracts) are read.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from kalshiflow.kalshi.fixedpoint import (
    FixedPointError,
    count_from_contracts,
    parse_count,
    parse_price,
    price_from_cents,
)

Level = tuple[int, int]

_MEMO_LIMIT: Final = 65_536
PRICES: dict[str, int] = {}
COUNTS: dict[str, int] = {}


class MessageError(ValueError):
    """A market-data message missing a field or carrying a value that is not exact."""


def price_units(value: object) -> int:
    """A dollar price (``"0.4700"``) in Price units; memoised for strings."""
    if type(value) is str:
        found = PRICES.get(value)
        if found is not None:
            return found
        parsed = int(parse_price(value))
        if len(PRICES) < _MEMO_LIMIT:
            PRICES[value] = parsed
        return parsed
    return int(parse_price(value))


def count_units(value: object) -> int:
    """A (signed) contract count (``"-3.00"``) in Count units; memoised for strings."""
    if type(value) is str:
        found = COUNTS.get(value)
        if found is not None:
            return found
        parsed = int(parse_count(value))
        if len(COUNTS) < _MEMO_LIMIT:
            COUNTS[value] = parsed
        return parsed
    return int(parse_count(value))


def _int_field(body: Mapping[str, Any], name: str) -> int:
    value = body.get(name)
    if isinstance(value, bool) or not isinstance(value, int):
        raise MessageError(f"{name} must be an integer, got {value!r}")
    return value


def optional_int(body: Mapping[str, Any], name: str) -> int | None:
    value = body.get(name)
    if value is None or isinstance(value, bool) or not isinstance(value, int):
        return None
    return value


def delta_fields(body: Mapping[str, Any]) -> tuple[bool, int, int]:
    """(is_yes, price, delta) of an ``orderbook_delta`` body."""
    side = body.get("side")
    if side != "yes" and side != "no":
        raise MessageError(f"orderbook_delta side must be 'yes' or 'no', got {side!r}")
    # The memo lookups are inlined: this runs once per delta on the feed's hot path.
    text = body.get("price_dollars")
    price = PRICES.get(text) if type(text) is str else None
    delta_text = body.get("delta_fp")
    delta = COUNTS.get(delta_text) if type(delta_text) is str else None
    if price is not None and delta is not None:
        return side == "yes", price, delta
    try:
        if text is not None:
            price = price_units(text)
        else:
            price = int(price_from_cents(_int_field(body, "price")))
        if delta_text is not None:
            delta = count_units(delta_text)
        else:
            delta = int(count_from_contracts(_int_field(body, "delta")))
    except FixedPointError as exc:
        raise MessageError(f"orderbook_delta: {exc}") from None
    return side == "yes", price, delta


def _levels(raw: object, field: str, *, cents: bool, contracts: bool) -> list[Level]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise MessageError(f"{field} must be a list of [price, size], got {type(raw).__name__}")
    levels: list[Level] = []
    try:
        for entry in raw:
            if not isinstance(entry, list | tuple) or len(entry) < 2:
                raise MessageError(f"{field}: expected [price, size], got {entry!r}")
            price_raw, size_raw = entry[0], entry[1]
            if cents:
                if isinstance(price_raw, bool) or not isinstance(price_raw, int):
                    raise MessageError(f"{field}: expected integer cents, got {price_raw!r}")
                price = int(price_from_cents(price_raw))
            else:
                price = price_units(price_raw)
            if contracts and isinstance(size_raw, int) and not isinstance(size_raw, bool):
                size = int(count_from_contracts(size_raw))
            else:
                size = count_units(size_raw)
            levels.append((price, size))
    except FixedPointError as exc:
        raise MessageError(f"{field}: {exc}") from None
    levels.sort()
    return levels


def snapshot_levels(body: Mapping[str, Any]) -> tuple[list[Level], list[Level]]:
    """(yes, no) bid ladders of an ``orderbook_snapshot`` body, ascending by price.

    Kalshi leaves a side's key out when that side is empty.
    """
    if "yes_dollars_fp" in body or "no_dollars_fp" in body:
        return (
            _levels(body.get("yes_dollars_fp"), "yes_dollars_fp", cents=False, contracts=False),
            _levels(body.get("no_dollars_fp"), "no_dollars_fp", cents=False, contracts=False),
        )
    if "yes_dollars" in body or "no_dollars" in body:  # legacy: dollar prices, int contracts
        return (
            _levels(body.get("yes_dollars"), "yes_dollars", cents=False, contracts=True),
            _levels(body.get("no_dollars"), "no_dollars", cents=False, contracts=True),
        )
    return (
        _levels(body.get("yes"), "yes", cents=True, contracts=True),
        _levels(body.get("no"), "no", cents=True, contracts=True),
    )


def optional_price(body: Mapping[str, Any], *names: str) -> int | None:
    """The first present price field; ``*_dollars`` strings, or legacy integer cents."""
    for name in names:
        value = body.get(name)
        if value is None:
            continue
        try:
            if name.endswith("_dollars"):
                return price_units(value)
            if isinstance(value, int) and not isinstance(value, bool):
                return int(price_from_cents(value))
        except FixedPointError as exc:
            raise MessageError(f"{name}: {exc}") from None
    return None


def optional_count(body: Mapping[str, Any], fp_name: str, legacy_name: str) -> int | None:
    try:
        value = body.get(fp_name)
        if value is not None:
            return count_units(value)
        legacy = body.get(legacy_name)
        if isinstance(legacy, int) and not isinstance(legacy, bool):
            return int(count_from_contracts(legacy))
    except FixedPointError as exc:
        raise MessageError(f"{fp_name}: {exc}") from None
    return None


def required_str(body: Mapping[str, Any], name: str) -> str:
    value = body.get(name)
    if not isinstance(value, str) or not value:
        raise MessageError(f"{name} must be a non-empty string, got {value!r}")
    return value


__all__ = [
    "COUNTS",
    "PRICES",
    "MessageError",
    "count_units",
    "delta_fields",
    "optional_count",
    "optional_int",
    "optional_price",
    "price_units",
    "required_str",
    "snapshot_levels",
]
