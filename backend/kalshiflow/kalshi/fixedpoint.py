"""Exact fixed-point units for prices, counts and money.

Kalshi sends prices as dollar strings (``"0.5600"``, sub-cent ticks on some markets), counts
as two-decimal strings (``"3.00"``, fractional contracts allowed) and money with up to six
decimals. Floats cannot hold these exactly, so every layer of kalshiflow keeps them as scaled
integers:

* ``Price``: 1/10,000 of a dollar (``"0.5600"`` -> ``5600``; one cent is ``100``).
* ``Count``: 1/100 of a contract (``"3.00"`` -> ``300``).
* ``Money``: 1/1,000,000 of a dollar (``"98.018600"`` -> ``98_018_600``).

The scales are chosen so that ``price * count`` is exactly ``Money`` with no rounding.
Parsing is strict: a value that does not fit its scale raises ``FixedPointError`` rather
than being rounded, because a silently rounded price is a wrong order.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Final, NewType

Price = NewType("Price", int)
Count = NewType("Count", int)
Money = NewType("Money", int)

PRICE_SCALE: Final = 10_000
COUNT_SCALE: Final = 100
MONEY_SCALE: Final = 1_000_000
ONE_DOLLAR: Final = Price(PRICE_SCALE)
CENT: Final = Price(PRICE_SCALE // 100)

_PRICE_DP: Final = 4
_COUNT_DP: Final = 2
_MONEY_DP: Final = 6


class FixedPointError(ValueError):
    """A wire value that is not an exact fixed-point number of the expected scale."""


def _parse(value: object, scale: int, what: str) -> int:
    if isinstance(value, bool):
        raise FixedPointError(f"{what}: expected a decimal string, got a boolean")
    if isinstance(value, int):
        return value * scale
    if isinstance(value, float):
        # Some feeds send JSON numbers; go through repr so 0.1 stays 0.1, then check exactness.
        value = repr(value)
    if not isinstance(value, (str, Decimal)):
        raise FixedPointError(f"{what}: expected a decimal string, got {type(value).__name__}")
    try:
        dec = Decimal(value)
    except InvalidOperation:
        raise FixedPointError(f"{what}: {value!r} is not a decimal number") from None
    if not dec.is_finite():
        raise FixedPointError(f"{what}: {value!r} is not finite")
    scaled = dec * scale
    if scaled != scaled.to_integral_value():
        raise FixedPointError(f"{what}: {value!r} has more precision than 1/{scale}")
    return int(scaled)


def parse_price(value: object) -> Price:
    """Parse a dollar price string (``"0.5600"``) into ``Price`` units."""
    return Price(_parse(value, PRICE_SCALE, "price"))


def parse_count(value: object) -> Count:
    """Parse a contract count string (``"3.00"``) into ``Count`` units."""
    return Count(_parse(value, COUNT_SCALE, "count"))


def parse_money(value: object) -> Money:
    """Parse a dollar amount string (``"98.018600"``) into ``Money`` units."""
    return Money(_parse(value, MONEY_SCALE, "money"))


def price_from_cents(cents: int) -> Price:
    """Read a legacy integer-cent price field."""
    return Price(cents * (PRICE_SCALE // 100))


def count_from_contracts(contracts: int) -> Count:
    """Read a legacy integer contract count field."""
    return Count(contracts * COUNT_SCALE)


def money_from_cents(cents: int) -> Money:
    """Read a legacy integer-cent money field."""
    return Money(cents * (MONEY_SCALE // 100))


def _format(units: int, scale: int, dp: int) -> str:
    sign = "-" if units < 0 else ""
    whole, frac = divmod(abs(units), scale)
    return f"{sign}{whole}.{frac:0{dp}d}"


def format_price(price: int) -> str:
    """``5600`` -> ``"0.5600"``, the request and response format for prices."""
    return _format(price, PRICE_SCALE, _PRICE_DP)


def format_count(count: int) -> str:
    """``300`` -> ``"3.00"``."""
    return _format(count, COUNT_SCALE, _COUNT_DP)


def format_money(money: int) -> str:
    """``98_018_600`` -> ``"98.018600"``."""
    return _format(money, MONEY_SCALE, _MONEY_DP)


def notional(price: int, count: int) -> Money:
    """Exact cost of ``count`` contracts at ``price``: the scales multiply to ``Money``."""
    return Money(price * count)


def to_decimal_price(price: int) -> Decimal:
    return Decimal(price) / PRICE_SCALE


def to_decimal_count(count: int) -> Decimal:
    return Decimal(count) / COUNT_SCALE


def to_decimal_money(money: int) -> Decimal:
    return Decimal(money) / MONEY_SCALE
