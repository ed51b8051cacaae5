"""The 52-feature observation: ONE pure function shared by live trading and training.

`build_observation(book, temporal, portfolio, orders, now_ns)` turns a book snapshot, the
market's temporal features (computed by `actor.history.HistoryTracker` when the update was
accepted), the portfolio numbers of that market and our resting orders in it into a float32
vector. Prices, counts and money arrive as the exact fixed-point ints of
`kalshi.fixedpoint` and are converted to floats here, at the feature boundary, because the
network wants floats; nothing computed here ever flows back into an order.

Every feature lies in [-1, 1] (the observation space is ``Box(-1, 1, (52,), float32)``).
docs/OBSERVATION.md lists each feature with its formula, range and normalisation; the
order of `FEATURE_NAMES` is the contract with trained models (`FEATURE_VERSION` changes
whenever a feature's meaning changes, and a model trained on another version is refused).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

from kalshiflow.kalshi.fixedpoint import COUNT_SCALE, MONEY_SCALE, PRICE_SCALE, Count, Money, Price
from kalshiflow.trading.types import BookSide, BookView

FEATURE_VERSION: Final = 1

BOOK_FEATURES: Final = (
    "yes_bid",
    "yes_ask",
    "no_bid",
    "no_ask",
    "spread",
    "mid",
    "microprice_offset",
    "has_yes_bid",
    "has_no_bid",
    "spread_ticks",
    "yes_depth_1",
    "yes_depth_3",
    "yes_depth_5",
    "yes_depth_10",
    "no_depth_1",
    "no_depth_3",
    "no_depth_5",
    "no_depth_10",
    "imbalance_1",
    "imbalance_3",
    "imbalance_5",
    "imbalance_10",
    "yes_levels",
    "no_levels",
    "total_depth",
    "yes_second_gap",
    "no_second_gap",
    "mid_extremity",
)
TEMPORAL_FEATURES: Final = (
    "time_gap",
    "activity_score",
    "momentum",
    "mid_change",
    "mid_change_window",
    "update_rate",
    "volatility",
    "spread_change",
    "depth_change",
    "active_markets",
)
PORTFOLIO_FEATURES: Final = (
    "position",
    "holds_yes",
    "holds_no",
    "cash_share",
    "unrealized_pnl",
    "realized_pnl",
    "market_exposure",
    "total_exposure",
    "cost_vs_mid",
)
ORDER_FEATURES: Final = (
    "open_orders",
    "bid_distance",
    "ask_distance",
    "oldest_order_age",
    "resting_share",
)
FEATURE_NAMES: Final = BOOK_FEATURES + TEMPORAL_FEATURES + PORTFOLIO_FEATURES + ORDER_FEATURES
OBSERVATION_SIZE: Final = len(FEATURE_NAMES)
TEMPORAL_SIZE: Final = len(TEMPORAL_FEATURES)
assert OBSERVATION_SIZE == 52, OBSERVATION_SIZE

ACTION_COUNT: Final = 5  # trading.types.Action: HOLD, BUY_YES, SELL_YES, BUY_NO, SELL_NO

# Normalisation constants (documented in docs/OBSERVATION.md).
DEPTH_CAP_CONTRACTS: Final = 10_000.0  # log-depth reaches 1 at this many contracts
AGE_CAP_S: Final = 3_600.0  # log-ages reach 1 at an hour
PNL_SCALE_DOLLARS: Final = 10.0  # tanh(pnl / $10)
LEVELS_CAP: Final = 50.0
SPREAD_TICKS_CAP: Final = 20.0
ORDERS_CAP: Final = 10.0
DEPTH_LEVELS: Final = (1, 3, 5, 10)

_P: Final = float(PRICE_SCALE)
_C: Final = float(COUNT_SCALE)
_M: Final = float(MONEY_SCALE)
_LOG_DEPTH_CAP: Final = math.log1p(DEPTH_CAP_CONTRACTS)
_LOG_AGE_CAP: Final = math.log1p(AGE_CAP_S)
_TICK: Final = PRICE_SCALE // 100

Observation = npt.NDArray[np.float32]


@dataclass(frozen=True, slots=True)
class PortfolioState:
    """One market's position and the account's cash, exact units (what the trading core's
    PositionTracker / CashManager report, or the training simulator's equivalent).

    ``position`` is signed (+YES / -NO, Count), ``cost`` the cost basis of the open contracts
    and ``realized`` the market's realized P&L net of fees (Money); ``cash`` the account's
    total cash, ``available`` what new orders may use, ``total_exposure`` the cost of every
    open position plus what resting orders hold (Money); ``max_position`` the risk limit
    per market (Count), used to normalise sizes."""

    position: Count
    cost: Money
    realized: Money
    cash: Money
    available: Money
    total_exposure: Money
    max_position: Count


FLAT: Final = PortfolioState(
    Count(0), Money(0), Money(0), Money(0), Money(0), Money(0), Count(100 * COUNT_SCALE)
)


@dataclass(frozen=True, slots=True)
class RestingOrder:
    """One of our resting orders in a market: V2 YES-book side, YES price, what is left,
    and when it was placed (``time.time_ns()`` live, the recording's clock in training)."""

    side: BookSide
    yes_price: Price
    remaining: Count
    placed_ns: int


def _clip(x: float, lo: float = -1.0, hi: float = 1.0) -> float:
    return lo if x < lo else hi if x > hi else x


def _log_depth(count_units: int) -> float:
    return _clip(math.log1p(count_units / _C) / _LOG_DEPTH_CAP, 0.0, 1.0)


def _log_age(seconds: float) -> float:
    return _clip(math.log1p(max(seconds, 0.0)) / _LOG_AGE_CAP, 0.0, 1.0)


def book_features(book: BookView) -> list[float]:
    """The 28 book features (see BOOK_FEATURES) from best-first bid ladders."""
    yes = book.yes_bids
    no = book.no_bids
    out: list[float] = []
    yb = yes[0][0] if yes else None
    nb = no[0][0] if no else None
    out.append(yb / _P if yb is not None else 0.0)
    out.append((PRICE_SCALE - nb) / _P if nb is not None else 1.0)
    out.append(nb / _P if nb is not None else 0.0)
    out.append((PRICE_SCALE - yb) / _P if yb is not None else 1.0)
    if yb is not None and nb is not None:
        ask = PRICE_SCALE - nb
        spread = ask - yb
        out.append(_clip(spread / _P))
        out.append((yb + ask) / (2 * _P))
        bid_size, ask_size = yes[0][1], no[0][1]
        # microprice leans toward the side with less resting size; as a share of half the
        # spread it is scale free and bounded
        micro2 = 2 * (yb * ask_size + ask * bid_size) / (bid_size + ask_size)
        half = spread / 2
        out.append(_clip((micro2 / 2 - (yb + ask) / 2) / half) if half > 0 else 0.0)
    else:
        spread = None
        out.extend((1.0, 0.5, 0.0))
    out.append(1.0 if yb is not None else 0.0)
    out.append(1.0 if nb is not None else 0.0)
    out.append(_clip(spread / _TICK / SPREAD_TICKS_CAP, -1.0, 1.0) if spread is not None else 1.0)
    yes_depths = _prefix_depths(yes)
    no_depths = _prefix_depths(no)
    out.extend(_log_depth(d) for d in yes_depths)
    out.extend(_log_depth(d) for d in no_depths)
    for y, n in zip(yes_depths, no_depths, strict=True):
        total = y + n
        out.append((y - n) / total if total else 0.0)
    out.append(min(1.0, len(yes) / LEVELS_CAP))
    out.append(min(1.0, len(no) / LEVELS_CAP))
    out.append(_log_depth(sum(s for _, s in yes) + sum(s for _, s in no)))
    out.append((yes[0][0] - yes[1][0]) / _P if len(yes) > 1 else 0.0)
    out.append((no[0][0] - no[1][0]) / _P if len(no) > 1 else 0.0)
    two_sided = yb is not None and nb is not None
    out.append(abs((yb + PRICE_SCALE - nb) / _P - 1.0) if two_sided else 0.0)  # type: ignore[operator]
    return out


def _prefix_depths(ladder: Sequence[tuple[int, int]]) -> tuple[int, ...]:
    """Total size of the best 1, 3, 5 and 10 levels (Count units)."""
    out: list[int] = []
    total = 0
    i = 0
    for levels in DEPTH_LEVELS:
        while i < levels and i < len(ladder):
            total += ladder[i][1]
            i += 1
        out.append(total)
    return tuple(out)


def portfolio_features(book: BookView, p: PortfolioState) -> list[float]:
    """The 9 portfolio features (see PORTFOLIO_FEATURES)."""
    yes, no = book.yes_bids, book.no_bids
    mid2 = yes[0][0] + PRICE_SCALE - no[0][0] if yes and no else None  # 2 × YES mid
    position = p.position
    scale = max(p.max_position, 1)
    value_base = max(p.cash + p.total_exposure, 1)
    unrealized = 0.0
    cost_vs_mid = 0.0
    if position and mid2 is not None:
        held = abs(position)
        unit2 = mid2 if position > 0 else 2 * PRICE_SCALE - mid2  # held outcome's 2 × mid
        value = held * unit2 / 2  # Money (Count × Price), exact up to the half unit
        unrealized = (value - p.cost) / _M
        cost_vs_mid = _clip((unit2 / 2 - p.cost / held) / _P)
    return [
        _clip(position / scale),
        1.0 if position > 0 else 0.0,
        1.0 if position < 0 else 0.0,
        _clip(p.available / value_base, 0.0, 1.0),
        math.tanh(unrealized / PNL_SCALE_DOLLARS),
        math.tanh(p.realized / _M / PNL_SCALE_DOLLARS),
        _clip(p.cost / value_base, 0.0, 1.0),
        _clip(p.total_exposure / value_base, 0.0, 1.0),
        cost_vs_mid,
    ]


def order_features(
    book: BookView, orders: Sequence[RestingOrder], now_ns: int, max_position: Count
) -> list[float]:
    """The 5 order features (see ORDER_FEATURES)."""
    if not orders:
        return [0.0, 1.0, 1.0, 0.0, 0.0]
    yes, no = book.yes_bids, book.no_bids
    bids = [o.yes_price for o in orders if o.side == "bid"]
    asks = [o.yes_price for o in orders if o.side == "ask"]
    bid_distance = 1.0
    if bids:
        bid_distance = _clip((yes[0][0] - max(bids)) / _P) if yes else 0.0
    ask_distance = 1.0
    if asks:
        ask_distance = _clip((min(asks) - (PRICE_SCALE - no[0][0])) / _P) if no else 0.0
    oldest = min(o.placed_ns for o in orders)
    resting = sum(o.remaining for o in orders)
    return [
        min(1.0, len(orders) / ORDERS_CAP),
        bid_distance,
        ask_distance,
        _log_age((now_ns - oldest) / 1e9),
        _clip(resting / max(max_position, 1), 0.0, 1.0),
    ]


def build_observation(
    book: BookView,
    temporal: Sequence[float],
    portfolio: PortfolioState,
    orders: Sequence[RestingOrder],
    now_ns: int,
) -> Observation:
    """The observation of one market at one moment (``now_ns``: the receive time of the
    update being acted on, so the same recorded update gives the same vector in training)."""
    if len(temporal) != TEMPORAL_SIZE:
        raise ValueError(f"temporal features must have {TEMPORAL_SIZE} values, got {len(temporal)}")
    values = book_features(book)
    values.extend(temporal)
    values.extend(portfolio_features(book, portfolio))
    values.extend(order_features(book, orders, now_ns, portfolio.max_position))
    return np.asarray(values, dtype=np.float32)


# --- temporal features (computed per update by actor.history) -----------------------------


def momentum(mids2: Sequence[int]) -> float:
    """tanh((recent − prev) / |prev|) over the last three mids (given as 2 × mid ints, so the
    changes are exact). When prev is 0 the ratio's limit is used: sign(recent). Fewer than
    three mids: 0."""
    if len(mids2) < 3:
        return 0.0
    m1, m2, m3 = mids2[-3], mids2[-2], mids2[-1]
    recent, prev = m3 - m2, m2 - m1
    if prev == 0:
        return float((recent > 0) - (recent < 0))
    return math.tanh((recent - prev) / abs(prev))


def activity_score(num_markets: int, total_volume_contracts: float) -> float:
    """min(1, num_markets × ln(1 + total_volume) / 1000)."""
    return min(1.0, num_markets * math.log1p(max(total_volume_contracts, 0.0)) / 1000.0)


__all__ = [
    "ACTION_COUNT",
    "BOOK_FEATURES",
    "FEATURE_NAMES",
    "FEATURE_VERSION",
    "FLAT",
    "OBSERVATION_SIZE",
    "ORDER_FEATURES",
    "PORTFOLIO_FEATURES",
    "TEMPORAL_FEATURES",
    "TEMPORAL_SIZE",
    "Observation",
    "PortfolioState",
    "RestingOrder",
    "activity_score",
    "book_features",
    "build_observation",
    "momentum",
    "order_features",
    "portfolio_features",
]
