"""Exact decimal scalars. Prices, counts and money cross the API as decimal STRINGS with a
fixed number of places ("0.5600", "3.00", "98.018600"), never as floats: a JSON float
cannot hold 0.56 exactly, and a rounded price is a wrong order.

Resolvers build them from the fixed-point units (``dollars(price)``, ``contracts(count)``,
``money(amount)``); inputs are parsed strictly (a value with more places than the scale
is an error, not rounded)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Final, NewType

import strawberry
from strawberry.types.scalar import ScalarDefinition

from kalshiflow.kalshi.fixedpoint import (
    to_decimal_count,
    to_decimal_money,
    to_decimal_price,
)

Dollars = NewType("Dollars", Decimal)
"""A price in dollars, 4 places: ``"0.5600"`` (1/100 of a cent is the finest tick)."""
Contracts = NewType("Contracts", Decimal)
"""A number of contracts, 2 places: ``"3.00"`` (fractional contracts exist)."""
Money = NewType("Money", Decimal)
"""An amount of dollars, 6 places: ``"98.018600"`` (balances, P&L, fees, exposure)."""

_PLACES: Final = {"Dollars": 4, "Contracts": 2, "Money": 6}


def dollars(price: int) -> Dollars:
    return Dollars(to_decimal_price(price))


def contracts(count: int) -> Contracts:
    return Contracts(to_decimal_count(count))


def money(amount: int) -> Money:
    return Money(to_decimal_money(amount))


def _serializer(name: str) -> Callable[[Decimal], str]:
    quantum = Decimal(1).scaleb(-_PLACES[name])

    def serialize(value: Decimal) -> str:
        exact = value.quantize(quantum)
        if exact != value:  # a value finer than the scale is a bug upstream, never rounded
            raise ValueError(f"{name} {value} has more than {_PLACES[name]} decimal places")
        return str(exact)

    return serialize


def _parser(name: str) -> Callable[[object], Decimal]:
    places = _PLACES[name]

    def parse(value: object) -> Decimal:
        if not isinstance(value, str):
            raise ValueError(f'{name} must be a decimal string such as "{_example(name)}"')
        try:
            dec = Decimal(value.strip())
        except InvalidOperation:
            raise ValueError(f"{name} {value!r} is not a decimal number") from None
        if not dec.is_finite():
            raise ValueError(f"{name} {value!r} is not finite")
        exponent = dec.as_tuple().exponent
        if (
            isinstance(exponent, int)
            and exponent < -places
            and dec != dec.quantize(Decimal(1).scaleb(-places))
        ):
            raise ValueError(f"{name} {value!r} has more than {places} decimal places")
        return dec

    return parse


def _example(name: str) -> str:
    return {"Dollars": "0.5600", "Contracts": "3.00", "Money": "98.018600"}[name]


def _definition(name: str, description: str) -> ScalarDefinition:
    return strawberry.scalar(
        name=name,
        description=description,
        serialize=_serializer(name),
        parse_value=_parser(name),
    )


SCALAR_MAP: Final[dict[object, ScalarDefinition]] = {
    Dollars: _definition(
        "Dollars", 'A price in dollars as an exact decimal string with 4 places, e.g. "0.5600".'
    ),
    Contracts: _definition(
        "Contracts", 'A number of contracts as an exact decimal string with 2 places, e.g. "3.00".'
    ),
    Money: _definition(
        "Money", 'An amount in dollars as an exact decimal string with 6 places, e.g. "98.018600".'
    ),
}

__all__ = ["SCALAR_MAP", "Contracts", "Dollars", "Money", "contracts", "dollars", "money"]
