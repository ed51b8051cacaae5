"""Kalshi's taker fee, computed exactly in integers.

Fee model (Kalshi's general fee schedule): ``0.07 × C × P × (1 − P)`` dollars for ``C``
contracts executed as taker at YES price ``P``; makers pay nothing. Rounding follows
Kalshi's "Fee Rounding" page: the trade fee is rounded UP to the next $0.0001 (centi-cent),
and a per-order *fee accumulator* makes the total over all fills of one order equal to
what a single equivalent fill would cost: each fill is charged
``ceil(total_raw_after) − ceil(total_raw_before)`` centi-cents. This reproduces the observed
``average_fee_paid`` of ``"0.0175"`` for 1 contract at 0.52 (0.017472 rounded up), which a
round-up-to-the-cent rule (0.02) would not.

Not modelled: the extra "rounding fee"/rebate that keeps non-direct members' balances in
whole cents (direct members' balances are kept to $0.0001, which our units already allow).

In units: ``count`` is 1/100 contract and ``price`` 1/10,000 $, so the raw fee in
centi-cents is ``7 × count × price × (10000 − price) / 10**8``; the accumulator keeps the
integer numerator so nothing is ever rounded twice.
"""

from __future__ import annotations

from typing import Final

from kalshiflow.kalshi.fixedpoint import ONE_DOLLAR, Count, Money, Price

_DENOMINATOR: Final = 10**8  # numerator / this = centi-cents
_MONEY_PER_CENTICENT: Final = 100  # Money is 1e-6 $, a centi-cent 1e-4 $
_TAKER_RATE_NUMERATOR: Final = 7  # 0.07 = 7 / 100, the /100 is folded into _DENOMINATOR


def fee_numerator(price: Price, count: Count) -> int:
    """Exact raw taker fee of one execution, in 1/10**8 centi-cents."""
    return _TAKER_RATE_NUMERATOR * count * price * (ONE_DOLLAR - price)


def _ceil_div(a: int, b: int) -> int:
    return -(-a // b)


def accumulated_fee(numerator: int) -> Money:
    """Fee owed for an accumulated numerator: rounded up to the centi-cent."""
    return Money(_ceil_div(numerator, _DENOMINATOR) * _MONEY_PER_CENTICENT)


def taker_fee(price: Price, count: Count) -> Money:
    """Fee of a single taker execution of ``count`` contracts at YES price ``price``."""
    return accumulated_fee(fee_numerator(price, count))


def fee_increment(numerator_before: int, price: Price, count: Count) -> tuple[Money, int]:
    """Fee to charge for one more fill of an order, and the order's new accumulator."""
    after = numerator_before + fee_numerator(price, count)
    return Money(accumulated_fee(after) - accumulated_fee(numerator_before)), after


def max_taker_fee(count: Count) -> Money:
    """Upper bound of the taker fee for ``count`` contracts at any price (P = 0.5)."""
    return taker_fee(Price(ONE_DOLLAR // 2), count)
