"""Kalshi's trading fee as the trader estimates it, in exact integers.

Taker fee: ``0.07 × C × P × (1 − P)`` dollars for ``C`` contracts at YES price ``P``, rounded
**up to the next $0.0001** (centi-cent, Kalshi's "Fee Rounding" rule; the observed
``average_fee_paid`` of ``"0.0175"`` for 1 contract at 0.52 is 0.017472 rounded up, which a
round-to-the-cent rule would make 0.02). Makers pay nothing.

This is the same rule as the local exchange's `kalshiflow.exchange_sim.engine.fees`
(a test keeps the two in agreement); it is restated here rather than imported because the
trader must not depend on the simulator. The trader only *estimates* fees with it (cash
reservations, expected costs): booked fees always come from the exchange's fills.

In units: ``count`` is 1/100 contract and ``price`` 1/10,000 $, so the raw fee is
``7 × count × price × (10_000 − price)`` in 1/10**8 centi-cents.
"""

from __future__ import annotations

from typing import Final

from kalshiflow.kalshi.fixedpoint import ONE_DOLLAR, Count, Money, Price

_RAW_PER_CENTICENT: Final = 10**8
_MONEY_PER_CENTICENT: Final = 100  # Money is 1e-6 $, a centi-cent is 1e-4 $
_TAKER_RATE: Final = 7  # 0.07; the /100 is folded into _RAW_PER_CENTICENT


def taker_fee(yes_price: Price, count: Count) -> Money:
    """Fee of ``count`` contracts taken at ``yes_price`` (the same for YES and NO buyers,
    since P × (1 − P) is symmetric)."""
    if not 0 <= yes_price <= ONE_DOLLAR:
        raise ValueError(f"yes_price {yes_price} is outside [0, {ONE_DOLLAR}] Price units")
    if count < 0:
        raise ValueError(f"count {count} is negative")
    raw = _TAKER_RATE * count * yes_price * (ONE_DOLLAR - yes_price)
    centicents = -(-raw // _RAW_PER_CENTICENT)  # ceil
    return Money(centicents * _MONEY_PER_CENTICENT)


def maker_fee(yes_price: Price, count: Count) -> Money:
    """Makers pay nothing on Kalshi's general schedule (validated like the taker fee)."""
    taker_fee(yes_price, count)
    return Money(0)


def fee(yes_price: Price, count: Count, *, is_taker: bool) -> Money:
    return taker_fee(yes_price, count) if is_taker else maker_fee(yes_price, count)


def worst_case_fee(yes_price: Price, count: Count) -> Money:
    """The most an order limited at ``yes_price`` can pay in fees *together with* its cost.

    A bid's cost plus fee, ``P + 0.07 P (1 − P)``, grows with ``P`` (its slope is
    ``1 + 0.07 (1 − 2P) > 0``), and likewise for an ask in NO terms, so the dearest outcome
    of a limit order is filling everything as taker at its limit: that fee is what a cash
    reservation adds to the principal.
    """
    return taker_fee(yes_price, count)
