"""Field readers shared by the wire models.

Every reader names the model and field in its ``WireFormatError``, so a malformed payload
says exactly what the server sent wrong. Numeric readers prefer the current fixed-point
field (``*_dollars`` / ``*_fp``) and fall back to the legacy integer field (cents or whole
contracts) that older servers and the pre-2026 protocol still send.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from kalshiflow.kalshi.errors import WireFormatError
from kalshiflow.kalshi.fixedpoint import (
    Count,
    FixedPointError,
    Money,
    Price,
    count_from_contracts,
    money_from_cents,
    parse_count,
    parse_money,
    parse_price,
    price_from_cents,
)

_T = TypeVar("_T")

# Go emits RFC3339 with up to nanosecond precision; datetime holds microseconds.
_FRACTION = re.compile(r"(\.\d{6})\d+")


def require_mapping(model: str, field: str, value: Any) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise WireFormatError(model, field, f"expected a JSON object, got {type(value).__name__}")
    return value


class Fields:
    """Typed access to one JSON object of a given model."""

    __slots__ = ("data", "model")

    def __init__(self, model: str, data: Any) -> None:
        self.model = model
        self.data = require_mapping(model, "<root>", data)

    def error(self, field: str, problem: str) -> WireFormatError:
        return WireFormatError(self.model, field, problem)

    def _present(self, field: str) -> bool:
        return self.data.get(field) is not None

    # --- strings and flags ------------------------------------------------------------
    def str_(self, field: str) -> str:
        value = self.data.get(field)
        if value is None:
            raise self.error(field, "missing")
        if not isinstance(value, str):
            raise self.error(field, f"expected a string, got {type(value).__name__}")
        return value

    def opt_str(self, field: str, default: str = "") -> str:
        return self.str_(field) if self._present(field) else default

    def bool_(self, field: str, default: bool = False) -> bool:
        value = self.data.get(field)
        if value is None:
            return default
        if not isinstance(value, bool):
            raise self.error(field, f"expected true/false, got {value!r}")
        return value

    def int_(self, field: str) -> int:
        value = self.data.get(field)
        if value is None:
            raise self.error(field, "missing")
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error(field, f"expected an integer, got {value!r}")
        return value

    def opt_int(self, field: str) -> int | None:
        return self.int_(field) if self._present(field) else None

    def decimal(self, field: str) -> Decimal | None:
        value = self.data.get(field)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            raise self.error(field, f"expected a number, got {value!r}")
        try:
            return Decimal(repr(value) if isinstance(value, float) else value)
        except InvalidOperation:
            raise self.error(field, f"{value!r} is not a number") from None

    def str_tuple(self, field: str) -> tuple[str, ...]:
        value = self.data.get(field)
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.error(field, "expected a list of strings")
        return tuple(value)

    def objects(self, field: str) -> Sequence[Any]:
        value = self.data.get(field)
        if value is None:
            return ()
        if not isinstance(value, list):
            raise self.error(field, f"expected a list, got {type(value).__name__}")
        return value

    # --- time ---------------------------------------------------------------------------
    def time(self, field: str) -> datetime | None:
        """RFC3339 string (``"2026-06-11T12:00:00Z"``) or Unix seconds; ``""`` means absent."""
        value = self.data.get(field)
        if value is None or value == "":
            return None
        if isinstance(value, bool):
            raise self.error(field, f"expected a timestamp, got {value!r}")
        if isinstance(value, int):
            return datetime.fromtimestamp(value, tz=UTC)
        if not isinstance(value, str):
            raise self.error(field, f"expected an RFC3339 timestamp, got {value!r}")
        try:
            parsed = datetime.fromisoformat(_FRACTION.sub(r"\1", value).replace("Z", "+00:00"))
        except ValueError:
            raise self.error(field, f"{value!r} is not an RFC3339 timestamp") from None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)

    # --- fixed point --------------------------------------------------------------------
    def _fixed(self, field: str, parse: Any) -> Any:
        try:
            return parse(self.data[field])
        except FixedPointError as exc:
            raise self.error(field, str(exc)) from None

    def _legacy_int(self, field: str) -> int:
        value = self.data[field]
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error(field, f"expected an integer (legacy field), got {value!r}")
        return value

    def opt_price(self, current: str, legacy_cents: str | None = None) -> Price | None:
        if self._present(current):
            return self._fixed(current, parse_price)  # type: ignore[no-any-return]
        if legacy_cents is not None and self._present(legacy_cents):
            return price_from_cents(self._legacy_int(legacy_cents))
        return None

    def price(self, current: str, legacy_cents: str | None = None) -> Price:
        value = self.opt_price(current, legacy_cents)
        if value is None:
            raise self.error(current, "missing" + _alt(legacy_cents))
        return value

    def opt_count(self, current: str, legacy_contracts: str | None = None) -> Count | None:
        if self._present(current):
            return self._fixed(current, parse_count)  # type: ignore[no-any-return]
        if legacy_contracts is not None and self._present(legacy_contracts):
            return count_from_contracts(self._legacy_int(legacy_contracts))
        return None

    def count(self, current: str, legacy_contracts: str | None = None) -> Count:
        value = self.opt_count(current, legacy_contracts)
        if value is None:
            raise self.error(current, "missing" + _alt(legacy_contracts))
        return value

    def count_or_zero(self, current: str, legacy_contracts: str | None = None) -> Count:
        value = self.opt_count(current, legacy_contracts)
        return Count(0) if value is None else value

    def opt_money(self, current: str, legacy_cents: str | None = None) -> Money | None:
        if self._present(current):
            return self._fixed(current, parse_money)  # type: ignore[no-any-return]
        if legacy_cents is not None and self._present(legacy_cents):
            return money_from_cents(self._legacy_int(legacy_cents))
        return None

    def money(self, current: str, legacy_cents: str | None = None) -> Money:
        value = self.opt_money(current, legacy_cents)
        if value is None:
            raise self.error(current, "missing" + _alt(legacy_cents))
        return value

    def money_or_zero(self, current: str, legacy_cents: str | None = None) -> Money:
        value = self.opt_money(current, legacy_cents)
        return Money(0) if value is None else value


def _alt(legacy: str | None) -> str:
    return f" (and no legacy {legacy!r})" if legacy else ""


def parse_list(
    model: str, field: str, payload: Any, item: Any, *, required: bool = True
) -> tuple[Any, ...]:
    """``payload[field]`` as a tuple of ``item.from_wire`` results; ``null`` counts as empty."""
    data = require_mapping(model, "<root>", payload)
    value = data.get(field)
    if value is None:
        if required and field not in data:
            raise WireFormatError(model, field, "missing")
        return ()
    if not isinstance(value, list):
        raise WireFormatError(model, field, f"expected a list, got {type(value).__name__}")
    return tuple(item.from_wire(v) for v in value)


def cursor_of(model: str, payload: Any) -> str | None:
    """The next-page cursor; Kalshi signals the last page with ``""``, ``null`` or no key."""
    data = require_mapping(model, "<root>", payload)
    value = data.get("cursor")
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise WireFormatError(model, "cursor", f"expected a string, got {type(value).__name__}")
    return value
