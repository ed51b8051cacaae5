"""Short per-market history and the temporal features computed from it.

`HistoryTracker.observe(ticker, book, received_ns)` must see EVERY accepted update of every
market, in receive order (the live actor feeds it from the event bus before coalescing, the
training loader from the recorded session). It computes that market's temporal features at
that moment and keeps them, so the actor can step later (coalesced, throttled) and still
build the observation of exactly that update, as training does.

Everything is keyed on the update's receive time, never the wall clock, so replaying a
recording gives the same numbers as the live run did.
"""

from __future__ import annotations

import itertools
import math
from collections import deque
from dataclasses import dataclass, field
from typing import Final

from kalshiflow.actor.features import TEMPORAL_SIZE, activity_score, momentum
from kalshiflow.kalshi.fixedpoint import COUNT_SCALE, PRICE_SCALE
from kalshiflow.trading.types import BookView

WINDOW_NS: Final = 60_000_000_000  # activity, update rate: the trailing 60 s
HISTORY: Final = 16  # updates kept per market for momentum, changes and volatility
UPDATE_RATE_CAP: Final = 120.0  # updates per window giving update_rate 1
ACTIVE_MARKETS_CAP: Final = 100.0
_LOG_GAP_CAP: Final = math.log1p(3_600.0)
_P2: Final = 2.0 * PRICE_SCALE

Temporal = tuple[float, ...]
ZERO_TEMPORAL: Final[Temporal] = (0.0,) * TEMPORAL_SIZE


@dataclass(slots=True)
class _Market:
    last_ns: int | None = None
    mids2: deque[int] = field(default_factory=lambda: deque(maxlen=HISTORY))  # 2 × mid
    updates: deque[int] = field(default_factory=deque)  # receive times in the window
    spread: int | None = None
    log_depth: float = 0.0
    temporal: Temporal = ZERO_TEMPORAL


class HistoryTracker:
    """Temporal features of every market, updated per accepted book update."""

    def __init__(self) -> None:
        self._markets: dict[str, _Market] = {}
        # Cross-market activity: (receive time, ticker) in the window and per-ticker counts.
        self._window: deque[tuple[int, str]] = deque()
        self._counts: dict[str, int] = {}

    def temporal(self, ticker: str) -> Temporal:
        """The temporal features computed at ``ticker``'s latest update (zeros if none)."""
        m = self._markets.get(ticker)
        return m.temporal if m is not None else ZERO_TEMPORAL

    def active_markets(self) -> int:
        return len(self._counts)

    def forget(self, ticker: str) -> None:
        """Drop a market's history (its book was invalidated; stale mids would lie)."""
        self._markets.pop(ticker, None)

    def observe(self, ticker: str, book: BookView, received_ns: int) -> Temporal:
        """Account for one update and return its temporal features."""
        window, counts = self._window, self._counts
        window.append((received_ns, ticker))
        counts[ticker] = counts.get(ticker, 0) + 1
        horizon = received_ns - WINDOW_NS
        while window[0][0] <= horizon:
            _, old = window.popleft()
            left = counts[old] - 1
            if left:
                counts[old] = left
            else:
                del counts[old]
        m = self._markets.get(ticker)
        if m is None:
            m = self._markets[ticker] = _Market()
        yes, no = book.yes_bids, book.no_bids
        first = m.last_ns is None
        gap_s = 0.0 if m.last_ns is None else max(received_ns - m.last_ns, 0) / 1e9
        m.last_ns = received_ns
        updates = m.updates
        updates.append(received_ns)
        while updates[0] <= horizon:
            updates.popleft()
        mids2 = m.mids2
        prev_mid2 = mids2[-1] if mids2 else None
        spread: int | None = None
        if yes and no:
            ask = PRICE_SCALE - no[0][0]
            spread = ask - yes[0][0]
            mids2.append(yes[0][0] + ask)
        total = sum(s for _, s in yes) + sum(s for _, s in no)
        log_depth = math.log1p(total / COUNT_SCALE)
        num_markets = len(counts)

        mid_change = 0.0
        if prev_mid2 is not None and spread is not None:
            mid_change = math.tanh((mids2[-1] - prev_mid2) / _P2 * 20.0)
        window_change = 0.0
        volatility = 0.0
        if len(mids2) > 1:
            window_change = math.tanh((mids2[-1] - mids2[0]) / _P2 * 10.0)
            mids = list(mids2)
            changes = [(b - a) / _P2 for a, b in itertools.pairwise(mids)]
            mean = sum(changes) / len(changes)
            var = sum((c - mean) ** 2 for c in changes) / len(changes)
            volatility = math.tanh(math.sqrt(var) * 50.0)
        spread_change = 0.0
        if spread is not None and m.spread is not None:
            spread_change = math.tanh((spread - m.spread) / PRICE_SCALE * 20.0)
        depth_change = 0.0 if first else math.tanh(log_depth - m.log_depth)
        m.spread = spread
        m.log_depth = log_depth
        m.temporal = temporal = (
            min(1.0, math.log1p(gap_s) / _LOG_GAP_CAP),
            activity_score(num_markets, total / COUNT_SCALE),
            momentum(mids2),
            mid_change,
            window_change,
            min(1.0, len(updates) / UPDATE_RATE_CAP),
            volatility,
            spread_change,
            depth_change,
            min(1.0, num_markets / ACTIVE_MARKETS_CAP),
        )
        return temporal


__all__ = ["HISTORY", "WINDOW_NS", "ZERO_TEMPORAL", "HistoryTracker", "Temporal"]
