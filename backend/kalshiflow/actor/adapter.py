"""`LiveObservationAdapter`: accepted book updates in, 52-feature observations out.

The adapter owns the `HistoryTracker` of the live actor. `observe(event)` must be called for
every `OrderbookUpdated` (it is cheap); `build(ticker, book, now_ns)` then produces the
observation of the market's latest update through the very function training uses
(`features.build_observation`).
"""

from __future__ import annotations

from kalshiflow.actor.features import Observation, build_observation
from kalshiflow.actor.history import HistoryTracker
from kalshiflow.actor.portfolio import PortfolioView
from kalshiflow.events import OrderbookUpdated
from kalshiflow.trading.types import BookView


class LiveObservationAdapter:
    def __init__(self, portfolio: PortfolioView, history: HistoryTracker | None = None) -> None:
        self.portfolio = portfolio
        self.history = history or HistoryTracker()

    def observe(self, event: OrderbookUpdated) -> None:
        self.history.observe(event.ticker, event.book, event.received_ns)

    def build(self, ticker: str, book: BookView, now_ns: int) -> Observation:
        """The observation of ``ticker``'s latest observed update (``now_ns``: its receive
        time, so order ages are measured on the stream's clock, as in training)."""
        return build_observation(
            book,
            self.history.temporal(ticker),
            self.portfolio.portfolio_state(ticker),
            self.portfolio.resting_orders(ticker),
            now_ns,
        )

    def observation_for(self, event: OrderbookUpdated) -> Observation:
        return self.build(event.ticker, event.book, event.received_ns)


__all__ = ["LiveObservationAdapter"]
