"""The simulated traders. Each ``act`` is one decision on one market, cheap and synchronous.

* ``MarketMaker`` keeps ``levels`` quotes per side around its view of fair value, amending
  them when the fair price moves (so a jump leaves stale quotes for a moment, which is what
  informed traders live on) and skewing against its inventory.
* ``NoiseTaker`` crosses the spread at random, or now and then rests a small order that
  expires on its own.
* ``InformedTrader`` takes only when the book is off fair value by more than its edge.

Every order a trader sends is an ordinary ``OrderRequest``; rejections (a market that just
closed, a drained account) are part of life and simply skipped.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from kalshiflow.exchange_sim.engine.exchange import Exchange
from kalshiflow.exchange_sim.engine.types import (
    BookSide,
    ExchangeError,
    OrderRequest,
    OrderStatus,
    SelfTradePrevention,
    TimeInForce,
)
from kalshiflow.exchange_sim.participants.grid import snap_down, snap_up, step
from kalshiflow.kalshi.fixedpoint import COUNT_SCALE, Count, Price


@dataclass(slots=True)
class MarketView:
    """What a trader needs about one market: its ticker and valid prices."""

    ticker: str
    grid: tuple[Price, ...]


def _contracts(rng: random.Random, low: int, high: int) -> Count:
    return Count(rng.randint(low, high) * COUNT_SCALE)


def _try(exchange: Exchange, req: OrderRequest) -> str | None:
    try:
        return exchange.place_order(req).order.order_id
    except ExchangeError:
        return None


@dataclass(slots=True)
class MarketMaker:
    account_id: str
    levels: int
    min_size: int  # contracts
    max_size: int
    half_spread_ticks: int
    skew_per_contract: float  # Price units moved against 1 contract of inventory
    quotes: dict[tuple[str, BookSide, int], str] = field(default_factory=dict)
    last_fair: dict[str, Price] = field(default_factory=dict)

    def act(
        self, exchange: Exchange, market: MarketView, fair: Price, position: int, rng: random.Random
    ) -> None:
        grid = market.grid
        skewed = fair - round(self.skew_per_contract * position / COUNT_SCALE)
        # Keep the center inside the grid so a big inventory cannot push both sides onto
        # the same end tick.
        skewed = min(max(skewed, grid[0]), grid[-1] - 1)
        center_bid = snap_down(grid, skewed)
        center_ask = snap_up(grid, skewed + 1)
        bid0 = step(grid, center_bid, -(self.half_spread_ticks - 1))
        ask0 = step(grid, center_ask, self.half_spread_ticks - 1)
        rising = fair >= self.last_fair.get(market.ticker, fair)
        self.last_fair[market.ticker] = fair
        # Move the side that is in the way first, so our own quotes never cross each other.
        sides = (BookSide.ASK, BookSide.BID) if rising else (BookSide.BID, BookSide.ASK)
        for side in sides:
            for level in range(self.levels):
                if side is BookSide.BID:
                    price = step(market.grid, bid0, -level)
                else:
                    price = step(market.grid, ask0, level)
                self._quote(exchange, market.ticker, side, level, price, rng)

    def _quote(
        self,
        exchange: Exchange,
        ticker: str,
        side: BookSide,
        level: int,
        price: Price,
        rng: random.Random,
    ) -> None:
        key = (ticker, side, level)
        size = _contracts(rng, self.min_size, self.max_size)
        order_id = self.quotes.get(key)
        if order_id is not None:
            try:
                order = exchange.order(self.account_id, order_id, with_queue_position=False)
                if order.status is OrderStatus.RESTING:
                    if order.price == price:
                        if order.remaining_count > size * 2:
                            # trim, keeping our place in the queue
                            exchange.decrease_order(self.account_id, order_id, reduce_to=size)
                            return
                        if order.remaining_count * 2 >= size:
                            return  # keep our place in the queue
                    exchange.amend_order(
                        self.account_id, order_id, price, Count(order.fill_count + size)
                    )
                    return
            except ExchangeError:
                pass
        new_id = _try(
            exchange,
            OrderRequest(
                self.account_id,
                ticker,
                side,
                price,
                size,
                TimeInForce.GTC,
                SelfTradePrevention.MAKER,
            ),
        )
        if new_id is None:
            self.quotes.pop(key, None)
        else:
            self.quotes[key] = new_id


@dataclass(slots=True)
class NoiseTaker:
    account_id: str
    min_size: int
    max_size: int
    passive_share: float = 0.2  # of actions that rest a small expiring order instead

    def act(self, exchange: Exchange, market: MarketView, fair: Price, rng: random.Random) -> None:
        side = BookSide.BID if rng.random() < 0.5 else BookSide.ASK
        size = _contracts(rng, self.min_size, self.max_size)
        best_bid, best_ask = exchange.best_prices(market.ticker)
        if rng.random() < self.passive_share:
            anchor = best_bid if side is BookSide.BID else best_ask
            if anchor is None:
                anchor = snap_down(market.grid, fair)
            price = step(
                market.grid,
                anchor,
                -rng.randint(0, 3) if side is BookSide.BID else rng.randint(0, 3),
            )
            expires = exchange.now_ms() // 1000 + rng.randint(30, 600)
            _try(
                exchange,
                OrderRequest(
                    self.account_id,
                    market.ticker,
                    side,
                    price,
                    size,
                    TimeInForce.GTC,
                    expiration_ts=expires,
                    post_only=True,
                ),
            )
            return
        target = best_ask if side is BookSide.BID else best_bid
        if target is None:
            return
        slip = rng.randint(0, 2)
        price = step(market.grid, target, slip if side is BookSide.BID else -slip)
        _try(
            exchange,
            OrderRequest(self.account_id, market.ticker, side, price, size, TimeInForce.IOC),
        )


@dataclass(slots=True)
class InformedTrader:
    account_id: str
    edge: Price  # minimum mispricing worth taking, in Price units
    max_size: int

    def act(self, exchange: Exchange, market: MarketView, fair: Price, rng: random.Random) -> None:
        best_bid, best_ask = exchange.best_prices(market.ticker)
        size = _contracts(rng, 1, self.max_size)
        if best_ask is not None and best_ask <= fair - self.edge:
            price = snap_down(market.grid, fair - self.edge)
            side = BookSide.BID
        elif best_bid is not None and best_bid >= fair + self.edge:
            price = snap_up(market.grid, fair + self.edge)
            side = BookSide.ASK
        else:
            return
        _try(
            exchange,
            OrderRequest(self.account_id, market.ticker, side, price, size, TimeInForce.IOC),
        )
