"""Which markets the actor trades (RL_ACTOR_TARGET_MARKET_MODE).

* ``all``: every watched market.
* ``config``: the configured tickers only.
* ``hot``: the ``max_markets`` most active markets, by accepted book updates over a sliding
  window (``window_s``), re-ranked at most every ``reselect_s``. Only liquid markets qualify:
  both sides quoted and at least ``liquidity_floor`` contracts in the best five levels.
  Hysteresis keeps a selected market while it still ranks within ``exit_rank`` (default
  twice ``max_markets``), so two markets of similar activity do not swap places on every
  re-ranking (each swap would strand the orders of the market that left).

Time is the updates' receive time, so a replay selects as the live run did.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from typing import Literal

from kalshiflow.kalshi.fixedpoint import COUNT_SCALE
from kalshiflow.trading.types import BookView

Mode = Literal["hot", "config", "all"]


class MarketSelection:
    def __init__(
        self,
        mode: Mode,
        tickers: Iterable[str] = (),
        *,
        max_markets: int = 10,
        window_s: float = 60.0,
        reselect_s: float = 5.0,
        liquidity_floor: int = 10,
        exit_rank: int | None = None,
    ) -> None:
        if mode not in ("hot", "config", "all"):
            raise ValueError(
                f"RL_ACTOR_TARGET_MARKET_MODE must be hot, config or all, got {mode!r}"
            )
        if max_markets < 1:
            raise ValueError(f"max_markets must be >= 1, got {max_markets}")
        self.mode: Mode = mode
        self.configured = frozenset(tickers)
        if mode == "config" and not self.configured:
            raise ValueError("RL_ACTOR_TARGET_MARKET_MODE=config needs tickers (RL_MARKET_TICKERS)")
        self.max_markets = max_markets
        self.exit_rank = exit_rank if exit_rank is not None else 2 * max_markets
        self._window_ns = int(window_s * 1e9)
        self._reselect_ns = int(reselect_s * 1e9)
        self._floor = liquidity_floor * COUNT_SCALE
        self._updates: dict[str, deque[int]] = {}
        self._liquid: dict[str, bool] = {}
        self._selected: frozenset[str] = frozenset()
        self._seen: set[str] = set()
        self._last_rank_ns: int | None = None
        self.reselections = 0

    def note_update(self, ticker: str, book: BookView, received_ns: int) -> None:
        """Count one accepted update (call for every update, selected or not)."""
        self._seen.add(ticker)
        if self.mode != "hot":
            return
        times = self._updates.get(ticker)
        if times is None:
            times = self._updates[ticker] = deque()
        times.append(received_ns)
        yes, no = book.yes_bids, book.no_bids
        depth = sum(s for _, s in yes[:5]) + sum(s for _, s in no[:5])
        self._liquid[ticker] = bool(yes) and bool(no) and depth >= self._floor
        last = self._last_rank_ns
        if last is None or received_ns - last >= self._reselect_ns:
            self._rank(received_ns)

    def _rank(self, now_ns: int) -> None:
        self._last_rank_ns = now_ns
        horizon = now_ns - self._window_ns
        scores: dict[str, int] = {}
        for ticker, times in list(self._updates.items()):
            while times and times[0] <= horizon:
                times.popleft()
            if not times:
                del self._updates[ticker]
                continue
            if self._liquid.get(ticker, False):
                scores[ticker] = len(times)
        ranked = sorted(scores, key=lambda t: (-scores[t], t))
        rank = {t: i for i, t in enumerate(ranked)}
        kept = [t for t in self._selected if rank.get(t, self.exit_rank) < self.exit_rank]
        kept.sort(key=rank.__getitem__)
        chosen = kept[: self.max_markets]
        for t in ranked:
            if len(chosen) >= self.max_markets:
                break
            if t not in chosen:
                chosen.append(t)
        new = frozenset(chosen)
        if new != self._selected:
            self.reselections += 1
            self._selected = new

    def is_selected(self, ticker: str) -> bool:
        if self.mode == "all":
            return True
        if self.mode == "config":
            return ticker in self.configured
        return ticker in self._selected

    def selected(self) -> tuple[str, ...]:
        if self.mode == "config":
            return tuple(sorted(self.configured))
        if self.mode == "all":
            return tuple(sorted(self._seen))
        return tuple(sorted(self._selected))


__all__ = ["MarketSelection", "Mode"]
