"""Pre-trade risk: every order, from the actor or a person, passes here before it is sent.

`RiskManager.check` answers None (accepted, and counted against the order rate) or the
first `RiskRejection`, which names the rule and says in words why, with the numbers.
`evaluate` lists every failing rule without counting anything (for a UI preview).

Rules, in the order they are checked:

==========================  ======================================================  =======
rule                        refuses when                                            reduce
==========================  ======================================================  =======
kill_switch                 the kill switch is engaged                              refused
order_shape                 count <= 0, price outside (0, 1) or ``reduce_only`` set
                            on an order that would not only reduce
market_open                 the market is not open on the trading environment       refused
data_freshness              the production book is missing, older than
                            ``max_book_age_ms`` or being resynced after a seq gap  refused
close_window                the market closes within N minutes                      passes
max_open_orders             resting orders would exceed the limit                   refused
max_contracts_per_market    |position + resting same-side + order| > limit          passes
max_total_exposure          cost of positions + resting principal + order > limit   passes
min_cash_reserve            available cash after the order's reservation < reserve  passes
max_daily_loss              P&L since the (UTC) day started <= −limit               passes
max_orders_per_second       the limit of accepted orders in the last 1000 ms        refused
==========================  ======================================================  =======

An order *reduces* when it is opposite to the position and, together with the resting
orders on its side, does not exceed it: such an order cannot add exposure, so the
position, exposure, cash, loss and close-window rules let it through (a trader must be able
to get out of a losing position). This is computed, not taken from the ``reduce_only`` flag.

Limits come from `config.RiskSettings` (dollar Decimals converted exactly to Money) and can
be changed while running with `update_limits`, validated by the same settings model.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Final

from pydantic import ValidationError

from kalshiflow.config import RiskSettings
from kalshiflow.kalshi.fixedpoint import (
    ONE_DOLLAR,
    Count,
    FixedPointError,
    Money,
    count_from_contracts,
    format_count,
    format_money,
    parse_money,
)
from kalshiflow.trading.cash import CashManager
from kalshiflow.trading.fees import worst_case_fee
from kalshiflow.trading.positions import PositionTracker
from kalshiflow.trading.types import MS_PER_DAY, Clock, Mark, OrderIntent

RATE_WINDOW_MS: Final = 1000
DEFAULT_MAX_BOOK_AGE_MS: Final = 5_000

KILL_SWITCH: Final = "kill_switch"
ORDER_SHAPE: Final = "order_shape"
MARKET_OPEN: Final = "market_open"
DATA_FRESHNESS: Final = "data_freshness"
CLOSE_WINDOW: Final = "close_window"
MAX_OPEN_ORDERS: Final = "max_open_orders"
MAX_CONTRACTS_PER_MARKET: Final = "max_contracts_per_market"
MAX_TOTAL_EXPOSURE: Final = "max_total_exposure"
MIN_CASH_RESERVE: Final = "min_cash_reserve"
MAX_DAILY_LOSS: Final = "max_daily_loss"
MAX_ORDERS_PER_SECOND: Final = "max_orders_per_second"


def _dollars(money: int) -> str:
    return "$" + format_money(money).rstrip("0").rstrip(".")


def _contracts(count: int) -> str:
    return format_count(count).removesuffix(".00")


@dataclass(frozen=True, slots=True)
class RiskRejection:
    """Why an order was refused: ``rule`` is one of the rule names above (stable, for code
    and metrics), ``reason`` a sentence with the numbers (for people)."""

    rule: str
    reason: str


@dataclass(frozen=True, slots=True)
class KillSwitchChanged:
    """The kill switch was engaged or released (publish it; on engage the OrderManager
    cancels every resting order)."""

    engaged: bool
    reason: str
    at_ms: int


@dataclass(frozen=True, slots=True)
class MarketConditions:
    """What risk needs to know about the order's market at the moment of the check.

    ``is_open``: the market is open for trading on the *trading* environment (demo).
    ``close_ts_ms``: its scheduled close. ``book_as_of_ms``: when the *production* book used
    to price the order was last known to be current (None: no book yet): its last snapshot
    or delta, or, for a quiet market whose book simply has not changed, the last message
    received on its live subscription; a book that merely did not move is not stale, a feed
    that went silent is. ``book_resyncing``: that book is being rebuilt after a sequence gap.
    """

    is_open: bool
    close_ts_ms: int | None
    book_as_of_ms: int | None
    book_resyncing: bool = False


@dataclass(frozen=True, slots=True)
class RiskLimits:
    """Limits in exact units (Count, Money, ms)."""

    max_contracts_per_market: Count
    max_total_exposure: Money
    max_open_orders: int
    max_orders_per_second: int
    max_daily_loss: Money
    min_cash_reserve: Money
    close_window_ms: int
    max_book_age_ms: int

    @classmethod
    def from_settings(
        cls, settings: RiskSettings, max_book_age_ms: int = DEFAULT_MAX_BOOK_AGE_MS
    ) -> RiskLimits:
        if max_book_age_ms < 0:
            raise ValueError(f"max_book_age_ms must be >= 0, got {max_book_age_ms}")
        return cls(
            max_contracts_per_market=count_from_contracts(settings.max_contracts_per_market),
            max_total_exposure=_money(settings.max_total_exposure_dollars, "max_total_exposure"),
            max_open_orders=settings.max_open_orders,
            max_orders_per_second=settings.max_orders_per_second,
            max_daily_loss=_money(settings.max_daily_loss_dollars, "max_daily_loss"),
            min_cash_reserve=_money(settings.min_cash_reserve_dollars, "min_cash_reserve"),
            close_window_ms=settings.no_new_positions_before_close_minutes * 60_000,
            max_book_age_ms=max_book_age_ms,
        )


def _money(dollars: Decimal, name: str) -> Money:
    try:
        return parse_money(dollars)
    except FixedPointError:
        raise ValueError(f"{name}: {dollars} dollars has more than 6 decimals") from None


@dataclass(slots=True)
class _Order:
    """An intent plus what the rules derive from it, computed at most once per check."""

    intent: OrderIntent
    position: int
    reducing: bool
    cash: CashManager

    _principal: int | None = None

    @property
    def principal(self) -> int:
        """Exposure the order would add if it rested (computed on first use: the rules
        before the exposure rules, e.g. the kill switch, should stay cheap)."""
        if self._principal is None:
            i = self.intent
            self._principal = self.cash.principal_for(i.ticker, i.side, i.yes_price, i.count)
        return self._principal


class RiskManager:
    """Pre-trade checks, the kill switch and the day's loss baseline."""

    def __init__(
        self,
        settings: RiskSettings,
        positions: PositionTracker,
        cash: CashManager,
        clock: Clock,
        mark_of: Callable[[str], Mark | None],
        *,
        max_book_age_ms: int = DEFAULT_MAX_BOOK_AGE_MS,
    ) -> None:
        """``mark_of(ticker)`` is the YES price open positions are valued at for the daily
        loss (the production mid); ``clock`` is epoch milliseconds."""
        self._settings = settings
        self.limits = RiskLimits.from_settings(settings, max_book_age_ms)
        self._positions = positions
        self._cash = cash
        self._clock = clock
        self._mark_of = mark_of
        self._accepted_ms: deque[int] = deque()
        self._engaged = False
        self._kill_reason = ""
        self._day: int | None = None
        self._day_start_pnl = 0

    # --- limits -----------------------------------------------------------------------

    @property
    def settings(self) -> RiskSettings:
        return self._settings

    def update_limits(
        self,
        *,
        max_contracts_per_market: int | None = None,
        max_total_exposure_dollars: Decimal | None = None,
        max_open_orders: int | None = None,
        max_orders_per_second: int | None = None,
        max_daily_loss_dollars: Decimal | None = None,
        min_cash_reserve_dollars: Decimal | None = None,
        no_new_positions_before_close_minutes: int | None = None,
        max_book_age_ms: int | None = None,
    ) -> RiskLimits:
        """Change some limits (settings units: contracts, dollars, minutes). All changes are
        validated together; on any error nothing changes and ValueError names each field."""
        given = {
            "max_contracts_per_market": max_contracts_per_market,
            "max_total_exposure_dollars": max_total_exposure_dollars,
            "max_open_orders": max_open_orders,
            "max_orders_per_second": max_orders_per_second,
            "max_daily_loss_dollars": max_daily_loss_dollars,
            "min_cash_reserve_dollars": min_cash_reserve_dollars,
            "no_new_positions_before_close_minutes": no_new_positions_before_close_minutes,
        }
        changes = {k: v for k, v in given.items() if v is not None}
        try:
            settings = RiskSettings.model_validate({**self._settings.model_dump(), **changes})
        except ValidationError as err:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in err.errors()
            )
            raise ValueError(f"risk limits not changed: {problems}") from None
        age = self.limits.max_book_age_ms if max_book_age_ms is None else max_book_age_ms
        limits = RiskLimits.from_settings(settings, age)
        self._settings, self.limits = settings, limits
        return limits

    # --- kill switch ------------------------------------------------------------------

    @property
    def engaged(self) -> bool:
        return self._engaged

    @property
    def kill_switch_reason(self) -> str:
        return self._kill_reason

    def engage(self, reason: str) -> KillSwitchChanged | None:
        """Refuse every new order from now on. None if it was already engaged."""
        if self._engaged:
            return None
        self._engaged, self._kill_reason = True, reason
        return KillSwitchChanged(True, reason, self._clock())

    def release(self, reason: str) -> KillSwitchChanged | None:
        """Allow orders again. None if it was not engaged."""
        if not self._engaged:
            return None
        self._engaged, self._kill_reason = False, ""
        return KillSwitchChanged(False, reason, self._clock())

    # --- daily loss -------------------------------------------------------------------

    def day_pnl(self) -> Money:
        """Realized + unrealized P&L since the current UTC day started (or since
        `start_day`). The first call of a new day takes the baseline."""
        now_pnl = self._positions.total_pnl(self._mark_of)
        day = self._clock() // MS_PER_DAY
        if day != self._day:
            self._day, self._day_start_pnl = day, now_pnl
        return Money(now_pnl - self._day_start_pnl)

    def start_day(self) -> None:
        """Take today's baseline now (e.g. after reconciliation adopted the exchange's
        positions, so that adoption is not counted as a trading loss)."""
        self._day = self._clock() // MS_PER_DAY
        self._day_start_pnl = self._positions.total_pnl(self._mark_of)

    # --- checks -----------------------------------------------------------------------

    def check(self, intent: OrderIntent, market: MarketConditions) -> RiskRejection | None:
        """The first rule that refuses ``intent``, or None; an accepted order counts against
        ``max_orders_per_second`` (checking and counting are one step so two orders cannot
        both take the last slot)."""
        now = self._clock()
        order = self._derive(intent)
        for rule in self._rules:
            rejection = rule(self, order, market, now)
            if rejection is not None:
                return rejection
        self._accepted_ms.append(now)
        return None

    def evaluate(self, intent: OrderIntent, market: MarketConditions) -> tuple[RiskRejection, ...]:
        """Every rule that would refuse ``intent`` now; counts nothing."""
        now = self._clock()
        order = self._derive(intent)
        found = (rule(self, order, market, now) for rule in self._rules)
        return tuple(r for r in found if r is not None)

    def orders_in_window(self) -> int:
        self._prune(self._clock())
        return len(self._accepted_ms)

    def is_reducing(self, intent: OrderIntent) -> bool:
        return self._derive(intent).reducing

    def _derive(self, intent: OrderIntent) -> _Order:
        position = self._positions.position(intent.ticker)
        if intent.side == "ask" and position > 0:
            pending = self._cash.resting_count(intent.ticker, "ask")
            reducing = intent.count + pending <= position
        elif intent.side == "bid" and position < 0:
            pending = self._cash.resting_count(intent.ticker, "bid")
            reducing = intent.count + pending <= -position
        else:
            reducing = False
        return _Order(intent, position, reducing, self._cash)

    def _prune(self, now: int) -> None:
        window = self._accepted_ms
        while window and window[0] <= now - RATE_WINDOW_MS:
            window.popleft()

    # Each rule: (self, order, market, now) -> rejection or None.

    def _kill_switch(self, o: _Order, m: MarketConditions, now: int) -> RiskRejection | None:
        if self._engaged:
            why = f" ({self._kill_reason})" if self._kill_reason else ""
            return RiskRejection(KILL_SWITCH, f"kill switch is engaged{why}; release it to trade")
        return None

    def _order_shape(self, o: _Order, m: MarketConditions, now: int) -> RiskRejection | None:
        i = o.intent
        if i.count <= 0:
            return RiskRejection(ORDER_SHAPE, f"count must be positive, got {_contracts(i.count)}")
        if not 0 < i.yes_price < ONE_DOLLAR:
            return RiskRejection(
                ORDER_SHAPE, f"yes_price {i.yes_price} is outside (0, {ONE_DOLLAR}) Price units"
            )
        if i.reduce_only and not o.reducing:
            return RiskRejection(
                ORDER_SHAPE,
                f"reduce-only {i.side} of {_contracts(i.count)} would not only reduce position "
                f"{_contracts(o.position)} (with resting orders on that side counted)",
            )
        return None

    def _market_open(self, o: _Order, m: MarketConditions, now: int) -> RiskRejection | None:
        if not m.is_open:
            return RiskRejection(
                MARKET_OPEN, f"{o.intent.ticker} is not open on the trading environment"
            )
        if m.close_ts_ms is not None and now >= m.close_ts_ms:
            return RiskRejection(MARKET_OPEN, f"{o.intent.ticker} closed at {m.close_ts_ms} ms")
        return None

    def _data_freshness(self, o: _Order, m: MarketConditions, now: int) -> RiskRejection | None:
        ticker = o.intent.ticker
        if m.book_resyncing:
            return RiskRejection(
                DATA_FRESHNESS, f"production book of {ticker} is being resynced after a gap"
            )
        if m.book_as_of_ms is None:
            return RiskRejection(DATA_FRESHNESS, f"no production book for {ticker} yet")
        age = now - m.book_as_of_ms
        if age > self.limits.max_book_age_ms:
            return RiskRejection(
                DATA_FRESHNESS,
                f"production book of {ticker} is {age} ms old, limit "
                f"{self.limits.max_book_age_ms} ms",
            )
        return None

    def _close_window(self, o: _Order, m: MarketConditions, now: int) -> RiskRejection | None:
        if o.reducing or m.close_ts_ms is None:
            return None
        left = m.close_ts_ms - now
        if left < self.limits.close_window_ms:
            return RiskRejection(
                CLOSE_WINDOW,
                f"{o.intent.ticker} closes in {left // 1000} s; no new positions within "
                f"{self.limits.close_window_ms // 60_000} min of close",
            )
        return None

    def _max_open_orders(self, o: _Order, m: MarketConditions, now: int) -> RiskRejection | None:
        after = self._cash.open_order_count + 1
        if after > self.limits.max_open_orders:
            return RiskRejection(
                MAX_OPEN_ORDERS,
                f"would be {after} resting orders, limit {self.limits.max_open_orders}",
            )
        return None

    def _max_contracts(self, o: _Order, m: MarketConditions, now: int) -> RiskRejection | None:
        if o.reducing:
            return None
        i = o.intent
        resting = self._cash.resting_count(i.ticker, i.side)
        # Worst case: this order and every resting order on its side fill.
        if i.side == "bid":
            worst = o.position + resting + i.count
        else:
            worst = -(o.position - resting - i.count)
        limit = self.limits.max_contracts_per_market
        if worst > limit:
            held = "YES" if i.side == "bid" else "NO"
            return RiskRejection(
                MAX_CONTRACTS_PER_MARKET,
                f"{i.ticker} position could reach {_contracts(worst)} {held} contracts "
                f"(held {_contracts(abs(o.position))} {'YES' if o.position >= 0 else 'NO'}, "
                f"resting {_contracts(resting)}, order {_contracts(i.count)}), "
                f"limit {_contracts(limit)}",
            )
        return None

    def _max_exposure(self, o: _Order, m: MarketConditions, now: int) -> RiskRejection | None:
        if o.reducing:
            return None
        added = o.principal
        total = self._positions.total_cost + self._cash.reserved_principal + added
        if total > self.limits.max_total_exposure:
            return RiskRejection(
                MAX_TOTAL_EXPOSURE,
                f"total exposure would be {_dollars(total)} (positions "
                f"{_dollars(self._positions.total_cost)}, resting "
                f"{_dollars(self._cash.reserved_principal)}, order {_dollars(added)}), "
                f"limit {_dollars(self.limits.max_total_exposure)}",
            )
        return None

    def _min_cash(self, o: _Order, m: MarketConditions, now: int) -> RiskRejection | None:
        if o.reducing:
            return None
        i = o.intent
        need = o.principal + worst_case_fee(i.yes_price, i.count)
        left = self._cash.available - need
        if left < self.limits.min_cash_reserve:
            return RiskRejection(
                MIN_CASH_RESERVE,
                f"available cash would fall to {_dollars(left)} (order holds {_dollars(need)} "
                f"with fees), reserve {_dollars(self.limits.min_cash_reserve)}",
            )
        return None

    def _max_daily_loss(self, o: _Order, m: MarketConditions, now: int) -> RiskRejection | None:
        if o.reducing:
            return None
        pnl = self.day_pnl()
        if pnl < 0 and -pnl >= self.limits.max_daily_loss:
            return RiskRejection(
                MAX_DAILY_LOSS,
                f"today's loss is {_dollars(-pnl)} (realized + unrealized), limit "
                f"{_dollars(self.limits.max_daily_loss)}; only reducing orders until tomorrow",
            )
        return None

    def _max_rate(self, o: _Order, m: MarketConditions, now: int) -> RiskRejection | None:
        self._prune(now)
        limit = self.limits.max_orders_per_second
        if len(self._accepted_ms) >= limit:
            return RiskRejection(
                MAX_ORDERS_PER_SECOND,
                f"{len(self._accepted_ms)} orders in the last {RATE_WINDOW_MS} ms, "
                f"limit {limit} per second",
            )
        return None

    _rules: Final = (
        _kill_switch,
        _order_shape,
        _market_open,
        _data_freshness,
        _close_window,
        _max_open_orders,
        _max_contracts,
        _max_exposure,
        _min_cash,
        _max_daily_loss,
        _max_rate,
    )
