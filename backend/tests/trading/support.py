"""Helpers for the trading-core tests: readable literals in exact units."""

from __future__ import annotations

from kalshiflow.kalshi.fixedpoint import Count, Money, Price, parse_count, parse_money, parse_price


def p(dollars: str) -> Price:
    """A price from its dollar string: p("0.52") == 5200."""
    return parse_price(dollars)


def c(contracts: str) -> Count:
    """A count from contracts: c("10") == 1000."""
    return parse_count(contracts)


def m(dollars: str) -> Money:
    """Money from dollars: m("0.0175") == 17_500."""
    return parse_money(dollars)


class FakeClock:
    """A clock the test moves by hand (epoch milliseconds)."""

    def __init__(self, now_ms: int = 1_795_000_000_000) -> None:
        self.now_ms = now_ms

    def __call__(self) -> int:
        return self.now_ms

    def advance(self, ms: int) -> None:
        self.now_ms += ms
