"""`Reconciler`: local trading state against the exchange's, the exchange winning.

Run at start (startup is recovery), after every reconnect of the private feed and
periodically. One pass, in this order:

1. **fills**: backfill from REST (`FillProcessor.backfill`); on the very first start of an
   empty database the account's history is only marked as seen, its positions are adopted
   in step 4;
2. **orders**: every order resting on the exchange that we do not track is adopted (source
   ``reconciliation``); every order we think is open but the exchange does not list as
   resting is read one by one and closed as the exchange says (executed or canceled); a
   ``pending`` order (sent, never acknowledged: a crash or a lost answer) is looked up by
   client order id and adopted, or marked rejected when the exchange never saw it. Nothing
   is ever re-sent;
3. **settlements** not booked yet are booked (payout into cash, P&L realized);
4. **positions** and 5. **balance** are compared and the exchange's numbers adopted.

Each difference becomes a `ReconciliationDiscrepancy` (handed to ``on_discrepancy``).

Steps 4 and 5 read numbers that move with every fill; if a fill lands between the first
backfill and those reads, adopting them would count that fill twice (once in the adopted
balance, once when its message arrives). So after reading them the fills are backfilled
again, and the numbers are adopted only when nothing new arrived and no order write of ours
was in flight; otherwise the pass is repeated (a few times) and reported unsettled.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Callable
from dataclasses import dataclass

from kalshiflow.kalshi.errors import NotFoundError
from kalshiflow.kalshi.fixedpoint import ONE_DOLLAR, Count, Money, format_count, format_money
from kalshiflow.kalshi.models import Balance, MarketPosition, Order
from kalshiflow.kalshi.trading_client import KalshiTradingClient
from kalshiflow.trading.cash import CashManager
from kalshiflow.trading.events import ReconciliationDiscrepancy
from kalshiflow.trading.fill_processor import FillProcessor
from kalshiflow.trading.order_tracker import OrderTracker, TrackedOrder, sync_cash_hold
from kalshiflow.trading.positions import PositionTracker, SettlementEffect, position_value
from kalshiflow.trading.types import Clock

log = logging.getLogger(__name__)

NOT_ON_EXCHANGE = "not_on_exchange"
# A pending order younger than this may simply be on its way (another task is placing it).
PENDING_GRACE_MS = 30_000
MAX_ATTEMPTS = 3


@dataclass(frozen=True, slots=True)
class ReconciliationReport:
    reason: str
    discrepancies: tuple[ReconciliationDiscrepancy, ...]
    fills_backfilled: int
    orders_adopted: int
    orders_closed: int
    settled: bool  # positions and balance were compared and adopted (fills were quiet)
    balance: Money | None
    at_ms: int

    @property
    def clean(self) -> bool:
        return not self.discrepancies


@dataclass(slots=True)
class _Pass:
    discrepancies: list[ReconciliationDiscrepancy] = dataclasses.field(default_factory=list)
    backfilled: int = 0
    adopted: int = 0
    closed: int = 0


class Reconciler:
    def __init__(
        self,
        client: KalshiTradingClient,
        tracker: OrderTracker,
        positions: PositionTracker,
        cash: CashManager,
        fills: FillProcessor,
        clock: Clock,
        *,
        on_order: Callable[[TrackedOrder], None] | None = None,
        on_discrepancy: Callable[[ReconciliationDiscrepancy], None] | None = None,
        on_settlement: Callable[[SettlementEffect, Money, int], None] | None = None,
        busy: Callable[[], bool] | None = None,
    ) -> None:
        self._client = client
        self._tracker = tracker
        self._positions = positions
        self._cash = cash
        self._fills = fills
        self._clock = clock
        self._on_order = on_order
        self._on_discrepancy = on_discrepancy
        self._on_settlement = on_settlement
        self._busy = busy or (lambda: False)
        self._settled_tickers: set[str] = set()
        self._lock = asyncio.Lock()
        self.runs = 0
        self.last_report: ReconciliationReport | None = None

    def _version(self) -> int:
        return self._fills.booked + self._tracker.version

    def mark_settled(self, tickers: set[str] | frozenset[str] | list[str]) -> None:
        """Settlements already booked (restored from the database)."""
        self._settled_tickers.update(tickers)

    async def reconcile(self, reason: str, *, history: bool = False) -> ReconciliationReport:
        """One full pass (serialised: a second caller waits for the first).

        ``history=True`` (first start on an empty database): fills and settlements already
        on the account are taken as history and only the resulting positions adopted."""
        async with self._lock:
            p = _Pass()
            settled = False
            balance: Balance | None = None
            for _attempt in range(MAX_ATTEMPTS):
                p.backfilled += len(await self._backfill(p, book=not history))
                await self._orders(p, first=history or self.runs == 0)
                await self._settlements(p, book=not history)
                before = self._version()
                exchange_positions = (await self._client.get_all_positions()).market_positions
                balance = await self._client.get_balance()
                # Quiet window: no fill (live or backfilled), no order change and no order
                # write of ours around the reads, or they may already include what our books
                # are about to receive (or miss what they just received).
                late = await self._backfill(p, book=True)
                p.backfilled += len(late)
                history = False
                if late or self._busy() or self._version() != before:
                    continue
                self._adopt_positions(p, exchange_positions)
                self._adopt_balance(p, balance)
                settled = True
                break
            self.runs += 1
            report = ReconciliationReport(
                reason=reason,
                discrepancies=tuple(p.discrepancies),
                fills_backfilled=p.backfilled,
                orders_adopted=p.adopted,
                orders_closed=p.closed,
                settled=settled,
                balance=None if balance is None else balance.balance,
                at_ms=self._clock(),
            )
            self.last_report = report
            if report.discrepancies:
                log.info(
                    "reconciliation (%s): %d discrepancies adopted from the exchange",
                    reason,
                    len(report.discrepancies),
                )
            return report

    # --- steps ------------------------------------------------------------------------

    def _record(self, p: _Pass, d: ReconciliationDiscrepancy) -> None:
        p.discrepancies.append(d)
        if self._on_discrepancy is not None:
            self._on_discrepancy(d)

    def _changed(self, order: TrackedOrder | None) -> None:
        if order is None:
            return
        sync_cash_hold(self._cash, order)
        if self._on_order is not None:
            self._on_order(order)

    async def _backfill(self, p: _Pass, *, book: bool) -> list[object]:
        booked = await self._fills.backfill(self._client, book=book)
        for b in booked:
            e = b.event
            self._record(
                p,
                ReconciliationDiscrepancy(
                    "fill_backfilled", e.ticker, e.trade_id, "missing",
                    f"{e.side} {format_count(e.count)} @ {e.yes_price}",
                    "fill missed by the live feed, booked from REST", self._clock(),
                ),
            )  # fmt: skip
        return list(booked)

    async def _orders(self, p: _Pass, *, first: bool) -> None:
        now = self._clock()
        resting: dict[str, Order] = {}
        async for order in self._client.iter_orders(status="resting"):
            resting[order.order_id] = order
        for order in resting.values():
            known = self._tracker.get(order.client_order_id) if order.client_order_id else None
            known = known or self._tracker.get(order.order_id)
            before = known
            updated = self._tracker.apply_exchange_order(order, now)
            if known is None:
                p.adopted += 1
                self._record(
                    p,
                    ReconciliationDiscrepancy(
                        "order_adopted", order.ticker, order.order_id, "unknown",
                        f"resting {order.book_side} {format_count(order.remaining_count)} "
                        f"@ {order.yes_price}",
                        "resting order placed outside this trader (or before its records)",
                        now,
                    ),
                )  # fmt: skip
            elif (
                updated is not None
                and before is not None
                and (before.remaining != updated.remaining or before.status != updated.status)
            ):
                self._record(
                    p,
                    ReconciliationDiscrepancy(
                        "order_changed", order.ticker, order.order_id,
                        f"{before.status} remaining {format_count(before.remaining)}",
                        f"{updated.status} remaining {format_count(updated.remaining)}",
                        "order state caught up from the exchange", now,
                    ),
                )  # fmt: skip
            self._changed(updated)
        for tracked in self._tracker.open_orders():
            if tracked.order_id is not None and tracked.order_id in resting:
                continue
            if tracked.order_id is None:
                if not first and now - tracked.updated_ms < PENDING_GRACE_MS:
                    continue  # probably being placed right now
                await self._resolve_pending(p, tracked)
                continue
            try:
                exchange = await self._client.get_order(tracked.order_id)
            except NotFoundError:
                exchange = None
            if exchange is None:
                self._close(p, tracked, "order unknown to the exchange")
                continue
            updated = self._tracker.apply_exchange_order(exchange, self._clock())
            if updated is not None and not updated.is_open:
                p.closed += 1
                self._record(
                    p,
                    ReconciliationDiscrepancy(
                        "order_closed", tracked.ticker, tracked.order_id, str(tracked.status),
                        str(updated.status), "the exchange finished the order", self._clock(),
                    ),
                )  # fmt: skip
            self._changed(updated)

    async def _resolve_pending(self, p: _Pass, tracked: TrackedOrder) -> None:
        found = await self._client.find_order_by_client_order_id(
            tracked.client_order_id, ticker=tracked.ticker
        )
        now = self._clock()
        if found is None:
            rejected = self._tracker.reject(
                tracked.client_order_id,
                NOT_ON_EXCHANGE,
                "never reached the exchange (crash or lost request); not resent",
                now,
            )
            p.closed += 1
            self._record(
                p,
                ReconciliationDiscrepancy(
                    "order_missing", tracked.ticker, tracked.client_order_id, "pending",
                    "absent", "pending order not found on the exchange; marked rejected", now,
                ),
            )  # fmt: skip
            self._changed(rejected)
            return
        updated = self._tracker.apply_exchange_order(found, now, source=tracked.source)
        p.adopted += 1
        self._record(
            p,
            ReconciliationDiscrepancy(
                "order_adopted", tracked.ticker, found.order_id, "pending", found.status,
                "pending order found on the exchange by client order id", now,
            ),
        )  # fmt: skip
        self._changed(updated)

    def _close(self, p: _Pass, tracked: TrackedOrder, why: str) -> None:
        closed = self._tracker.canceled(tracked.client_order_id, self._clock())
        if closed is None:
            return
        p.closed += 1
        self._record(
            p,
            ReconciliationDiscrepancy(
                "order_closed", tracked.ticker, tracked.order_id, str(tracked.status),
                str(closed.status), why, self._clock(),
            ),
        )  # fmt: skip
        self._changed(closed)

    async def _settlements(self, p: _Pass, *, book: bool) -> None:
        async for s in self._client.iter_settlements():
            if s.ticker in self._settled_tickers:
                continue
            self._settled_tickers.add(s.ticker)
            if not book:
                continue
            if s.market_result in ("yes", "no"):
                result: str | int = s.market_result
            elif s.value is not None:
                result = s.value
            else:  # void or unknown: the exchange's positions and balance will say
                continue
            # What the position is worth at the result, less what the exchange paid, is the
            # settlement fee. (``fee_cost`` of a settlement is the fees the market cost over
            # its life on some venues, already booked with the fills: not charged again.)
            value = (ONE_DOLLAR if result == "yes" else 0) if isinstance(result, str) else result
            gross = position_value(self._positions.position(s.ticker), value)
            fee = Money(max(0, gross - s.revenue))
            effect = self._positions.settle(s.ticker, result, fee)  # type: ignore[arg-type]
            self._cash.apply_settlement(effect)
            at_ms = int(s.settled_time.timestamp() * 1000) if s.settled_time else self._clock()
            if self._on_settlement is not None:
                self._on_settlement(effect, fee, at_ms)
            self._record(
                p,
                ReconciliationDiscrepancy(
                    "settlement", s.ticker, None, f"position {format_count(effect.position)}",
                    f"paid {format_money(effect.payout)}", "market settled", self._clock(),
                ),
            )  # fmt: skip

    def _adopt_positions(self, p: _Pass, exchange: tuple[MarketPosition, ...]) -> None:
        seen: set[str] = set()
        for mp in exchange:
            seen.add(mp.ticker)
            local = self._positions.snapshot(mp.ticker)
            if local.position == mp.position and local.cost == mp.market_exposure:
                continue
            if mp.position == 0 and local.position == 0:
                continue
            self._positions.adopt(
                mp.ticker, mp.position, Money(0) if mp.position == 0 else mp.market_exposure
            )
            self._record(
                p,
                ReconciliationDiscrepancy(
                    "position", mp.ticker, None,
                    f"{format_count(local.position)} cost {format_money(local.cost)}",
                    f"{format_count(mp.position)} cost {format_money(mp.market_exposure)}",
                    "position adopted from the exchange", self._clock(),
                ),
            )  # fmt: skip
        for ticker in self._positions.open_tickers():
            if ticker in seen:
                continue
            local = self._positions.snapshot(ticker)
            self._positions.adopt(ticker, Count(0), Money(0))
            self._record(
                p,
                ReconciliationDiscrepancy(
                    "position", ticker, None, format_count(local.position), "0.00",
                    "the exchange holds no position here", self._clock(),
                ),
            )  # fmt: skip

    def _adopt_balance(self, p: _Pass, balance: Balance) -> None:
        first = not self._cash.synced  # nothing to compare with before the first sync
        drift = self._cash.observe_exchange_balance(balance.balance, self._clock())
        if drift.drift and not first:
            self._record(
                p,
                ReconciliationDiscrepancy(
                    "balance", None, None, format_money(drift.expected),
                    format_money(drift.reported),
                    f"balance drift {format_money(drift.drift)} adopted", self._clock(),
                ),
            )  # fmt: skip


__all__ = ["NOT_ON_EXCHANGE", "Reconciler", "ReconciliationReport"]
