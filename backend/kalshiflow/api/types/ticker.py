"""Kalshi's ticker channel as the API streams it."""

from __future__ import annotations

from datetime import UTC, datetime

import strawberry

from kalshiflow.api.scalars import Contracts, Dollars, contracts, dollars
from kalshiflow.events import TickerUpdated


@strawberry.type(description="Last price, top of book and volume of one market.")
class MarketTicker:
    ticker: str
    last_price: Dollars | None
    yes_bid: Dollars | None
    yes_ask: Dollars | None
    volume: Contracts | None
    open_interest: Contracts | None
    at: datetime

    @classmethod
    def of(cls, e: TickerUpdated) -> MarketTicker:
        def price(p: int | None) -> Dollars | None:
            return None if p is None else dollars(p)

        def count(c: int | None) -> Contracts | None:
            return None if c is None else contracts(c)

        return cls(
            ticker=e.ticker,
            last_price=price(e.last_price),
            yes_bid=price(e.yes_bid),
            yes_ask=price(e.yes_ask),
            volume=count(e.volume),
            open_interest=count(e.open_interest),
            at=datetime.fromtimestamp(e.received_ns / 1e9, UTC),
        )
