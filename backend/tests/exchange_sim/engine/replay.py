"""Rebuild exchange state from the emitted events alone, to check the engine against it."""

from __future__ import annotations

from collections import defaultdict

from kalshiflow.exchange_sim.engine import BookChange, EngineEvent, Exchange, Fill, Trade
from kalshiflow.exchange_sim.engine.types import BookSide, MarketStatus, PositionUpdate
from kalshiflow.kalshi.fixedpoint import ONE_DOLLAR


class Replay:
    """Subscribes to an exchange and keeps a book and positions built only from events."""

    def __init__(self, exchange: Exchange) -> None:
        self.exchange = exchange
        self.levels: dict[str, dict[tuple[str, int], int]] = defaultdict(dict)
        self.fill_positions: dict[tuple[str, str], int] = defaultdict(int)
        self.reported_positions: dict[tuple[str, str], int] = {}
        self.trade_counts: dict[str, int] = defaultdict(int)
        self.fill_counts: dict[str, int] = defaultdict(int)  # per trade_id, both sides
        self.book_changes = 0
        exchange.subscribe(self.on_event)

    def on_event(self, event: EngineEvent) -> None:
        if isinstance(event, BookChange):
            assert event.delta != 0, "a BookChange must change something"
            levels = self.levels[event.ticker]
            key = (event.side, event.price)
            total = levels.get(key, 0) + event.delta
            assert total >= 0, f"level {key} went negative"
            if total:
                levels[key] = total
            else:
                del levels[key]
            self.book_changes += 1
        elif isinstance(event, Fill):
            signed = event.count if event.side is BookSide.BID else -event.count
            holder = (event.account_id, event.ticker)
            self.fill_positions[holder] += signed
            assert self.fill_positions[holder] == event.post_position
            self.fill_counts[event.trade_id] += event.count
        elif isinstance(event, Trade):
            self.trade_counts[event.trade_id] += event.count
        elif isinstance(event, PositionUpdate):
            self.reported_positions[(event.account_id, event.ticker)] = event.position

    def book(self, ticker: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
        levels = self.levels[ticker]
        yes = sorted((p, c) for (s, p), c in levels.items() if s == "yes")
        no = sorted((p, c) for (s, p), c in levels.items() if s == "no")
        return yes, no

    def check(self, tickers: list[str] | None = None) -> None:
        """Assert replayed state == engine state and the books are sane."""
        ex = self.exchange
        for ticker in tickers if tickers is not None else [m.ticker for m in ex.markets()]:
            yes, no = ex.orderbook(ticker)
            assert self.book(ticker) == (yes, no), f"replayed book differs for {ticker}"
            if yes and no:
                # best YES bid + best NO bid < $1, else the book is crossed
                assert yes[-1][0] + no[-1][0] < ONE_DOLLAR, f"crossed book in {ticker}"
        for trade_id, count in self.trade_counts.items():
            assert self.fill_counts[trade_id] == 2 * count, "each trade has a fill per side"

    def check_positions(self) -> None:
        ex = self.exchange
        for account_id in ex.accounts():
            for view in ex.positions(account_id):
                key = (account_id, view.ticker)
                market = ex.market(view.ticker)
                if market.status is MarketStatus.FINALIZED:
                    assert view.position == 0
                    continue
                assert view.position == self.fill_positions.get(key, 0)
                assert self.reported_positions.get(key, 0) == view.position
