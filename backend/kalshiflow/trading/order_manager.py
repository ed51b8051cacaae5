"""`OrderManager`: the one path every order takes, from the actor or from a person.

A thin coordinator. Each step is another part's job:

1. the trader-state gate (`TraderStateMachine`: the actor trades only in ``trading``, a
   person also while the actor is ``paused``; nobody before reconciliation passed);
2. the pre-trade check (`RiskManager`: every rule, the kill switch, and the data-freshness
   guard fed with the shared *production* book's last update time and resync state; the
   market's status on the *trading* environment comes from `KalshiTradingClient`);
3. the two ledgers (`TwoLedgers`: production top of book and the shadow fill at decision);
4. a durable ``pending`` row (`TradingStore.insert_pending`) *before* sending, so a crash
   can never lead to sending it twice: the reconciler resolves it by client order id;
5. `KalshiTradingClient.place_order` (idempotent by client order id);
6. tracking (`OrderTracker`), the cash hold (`CashManager`) and events.

Cancel, cancel-all, amend and decrease go to the exchange and update the same records.
Engaging the kill switch refuses new orders and cancels every order resting on the
exchange (listed from the exchange, not only from our records) until none is left.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass

from kalshiflow.kalshi.errors import (
    KalshiApiError,
    KalshiClientError,
    KalshiTransportError,
    MarketUnavailableError,
    NotFoundError,
    ServerError,
)
from kalshiflow.kalshi.fixedpoint import Count, Price
from kalshiflow.kalshi.models import OrderRequest, new_client_order_id
from kalshiflow.kalshi.trading_client import KalshiTradingClient
from kalshiflow.marketdata.shared_state import SharedOrderbookState
from kalshiflow.trading.cash import CashManager
from kalshiflow.trading.events import OrderSource, RiskRejected
from kalshiflow.trading.ledger import OrderRecord, TwoLedgers
from kalshiflow.trading.order_tracker import OrderTracker, TrackedOrder, sync_cash_hold
from kalshiflow.trading.risk import KillSwitchChanged, MarketConditions, RiskManager, RiskRejection
from kalshiflow.trading.state_machine import TraderState, TraderStateMachine
from kalshiflow.trading.store import TradingStore
from kalshiflow.trading.types import Clock, OrderIntent

log = logging.getLogger(__name__)

TRADER_STATE = "trader_state"
EXCHANGE_REJECTED = "exchange_rejected"
EXCHANGE_UNAVAILABLE = "exchange_unavailable"
NOT_RECORDED = "not_recorded"
KILL_SWITCH_ROUNDS = 5

Publish = Callable[[object], object]


class RiskRefusedError(ValueError):
    """A change to an order was refused by a pre-trade rule; `rejection` names it."""

    def __init__(self, rejection: RiskRejection) -> None:
        super().__init__(f"{rejection.rule}: {rejection.reason}")
        self.rejection = rejection


@dataclass(frozen=True, slots=True)
class PlaceResult:
    """What `OrderManager.place` did. ``order`` is always the tracked record (rejected ones
    too). ``rejection`` is set when risk or the gate refused; ``error`` when the exchange
    refused or could not be reached (then the order may still be ``pending``: the
    reconciler finds out whether it reached the exchange; it is never re-sent)."""

    order: TrackedOrder
    rejection: RiskRejection | None = None
    error: str | None = None

    @property
    def accepted(self) -> bool:
        return self.rejection is None and self.error is None


def _noop(_event: object) -> None:
    return None


class OrderManager:
    def __init__(
        self,
        client: KalshiTradingClient,
        tracker: OrderTracker,
        risk: RiskManager,
        cash: CashManager,
        ledgers: TwoLedgers,
        state: TraderStateMachine,
        clock: Clock,
        *,
        books: SharedOrderbookState | None = None,
        store: TradingStore | None = None,
        publish: Publish = _noop,
    ) -> None:
        self._client = client
        self._tracker = tracker
        self._risk = risk
        self._cash = cash
        self._ledgers = ledgers
        self._state = state
        self._clock = clock
        self.books = books
        self._store = store
        self._publish = publish
        self._in_flight = 0

    @property
    def busy(self) -> bool:
        """An order write of ours is on its way (the reconciler must not adopt balances)."""
        return self._in_flight > 0

    # --- records and events -----------------------------------------------------------

    def emit(self, order: TrackedOrder | None) -> None:
        """Persist and publish an order change (also used by the fill and reconcile paths)."""
        if order is None:
            return
        if self._store is not None:
            self._store.submit_order(order, self._ledgers.get(order.client_order_id))
        self._publish(order.event())

    def _changed(self, order: TrackedOrder | None) -> None:
        if order is not None:
            sync_cash_hold(self._cash, order)
            self.emit(order)

    # --- placing ----------------------------------------------------------------------

    def _gate(self, source: OrderSource) -> RiskRejection | None:
        state = self._state.state
        if state is TraderState.TRADING:
            return None
        if source is OrderSource.MANUAL and state is TraderState.PAUSED:
            return None
        return RiskRejection(
            TRADER_STATE,
            f"trader is {state}: orders are accepted only in 'trading' (manual ones also in "
            "'paused'), which begins once reconciliation with the exchange passed",
        )

    async def market_conditions(self, ticker: str) -> MarketConditions:
        """Is the market open on the trading environment (cached by the client), when does
        it close, and how fresh is the production book the order is priced from."""
        try:
            market = await self._client.require_tradable_market(ticker)
            is_open = True
            close_ms = int(market.close_time.timestamp() * 1000) if market.close_time else None
        except MarketUnavailableError:
            is_open, close_ms = False, None
        updated_ms: int | None = None
        resyncing = False
        if self.books is not None:
            book = self.books.book(ticker)
            if book is not None and book.ready and book.last_update_ns is not None:
                updated_ms = book.last_update_ns // 1_000_000
            resyncing = book is not None and book.needs_resync
        return MarketConditions(is_open, close_ms, updated_ms, resyncing)

    async def place(
        self, intent: OrderIntent, source: OrderSource, *, client_order_id: str | None = None
    ) -> PlaceResult:
        """Check, record and send one limit order. Never raises for a refused order."""
        cid = client_order_id or new_client_order_id()
        rejection = self._gate(source)
        if rejection is None:
            try:
                market = await self.market_conditions(intent.ticker)
            except (KalshiClientError, OSError, TimeoutError) as err:
                rejection = RiskRejection(
                    EXCHANGE_UNAVAILABLE,
                    f"cannot read {intent.ticker} on the trading environment "
                    f"({type(err).__name__}: {err}); order not sent",
                )
            else:
                rejection = self._risk.check(intent, market)
        now = self._clock()
        order = self._tracker.add_pending(
            cid, intent.ticker, intent.side, intent.yes_price, intent.count, source, now
        )
        if rejection is not None:
            rejected = self._tracker.reject(cid, rejection.rule, rejection.reason, now)
            self._publish(
                RiskRejected(
                    cid, intent.ticker, intent.side, intent.yes_price, intent.count, source,
                    rejection.rule, rejection.reason, now,
                )
            )  # fmt: skip
            self.emit(rejected)
            return PlaceResult(rejected, rejection=rejection)
        record = self._record_decision(cid, intent, now)
        if self._store is not None:
            try:
                await self._store.insert_pending(order, record)
            except Exception as err:  # no durable record, no order: a crash could resend it
                reason = f"could not record the order before sending ({type(err).__name__})"
                rejected = self._tracker.reject(cid, NOT_RECORDED, reason, self._clock())
                self._publish(rejected.event())
                return PlaceResult(rejected, error=reason)
        self._publish(order.event())
        request = OrderRequest(
            ticker=intent.ticker,
            side=intent.side,
            count=intent.count,
            price=intent.yes_price,
            client_order_id=cid,
            reduce_only=intent.reduce_only,
        )
        self._in_flight += 1
        try:
            response = await self._client.place_order(request)
        except (KalshiTransportError, ServerError) as err:
            # Ambiguous: it may have reached the exchange. Leave it pending for the
            # reconciler, which looks it up by client order id; never send it again.
            log.warning("order %s on %s: no answer (%s); left to reconciliation", cid,
                        intent.ticker, err)  # fmt: skip
            return PlaceResult(order, error=f"no answer from the exchange: {err}")
        except (KalshiApiError, MarketUnavailableError, KalshiClientError) as err:
            rule = "market_open" if isinstance(err, MarketUnavailableError) else EXCHANGE_REJECTED
            rejected = self._tracker.reject(cid, rule, str(err), self._clock())
            self.emit(rejected)
            return PlaceResult(rejected, error=str(err))
        finally:
            self._in_flight -= 1
        acked = self._tracker.acknowledge(
            cid, response.order_id, response.fill_count, response.remaining_count, self._clock()
        )
        self._changed(acked)
        current = self._tracker.require(cid)
        if self._risk.engaged and current.is_resting:
            # The kill switch was engaged while this order was on its way.
            await self.cancel(cid)
            current = self._tracker.require(cid)
        return PlaceResult(current)

    def _record_decision(self, cid: str, intent: OrderIntent, now: int) -> OrderRecord | None:
        book = self.books.get(intent.ticker) if self.books is not None else None
        if book is None:
            return None
        return self._ledgers.record_decision(cid, intent, book, now)

    # --- changing and canceling -------------------------------------------------------

    async def cancel(self, key: str) -> TrackedOrder:
        """Cancel the rest of an order (client order id or order id). An order the exchange
        already finished is closed as the exchange reports it."""
        order = self._tracker.require(key)
        if order.order_id is None or not order.is_open:
            return order
        self._in_flight += 1
        try:
            try:
                await self._client.cancel_order(order.order_id)
            except NotFoundError:
                exchange = await self._client.get_order(order.order_id)
                self._changed(self._tracker.apply_exchange_order(exchange, self._clock()))
                return self._tracker.require(key)
        finally:
            self._in_flight -= 1
        self._changed(self._tracker.canceled(key, self._clock()))
        return self._tracker.require(key)

    async def cancel_all(self, ticker: str | None = None) -> int:
        """Cancel every order resting on the exchange (ours by record *and* any the exchange
        lists), repeating until the exchange lists none. Returns how many were canceled."""
        canceled = 0
        for _round in range(KILL_SWITCH_ROUNDS):
            ids: dict[str, str] = {}
            for o in self._tracker.resting_orders():
                if o.order_id is not None and (ticker is None or o.ticker == ticker):
                    ids[o.order_id] = o.client_order_id
            if ticker is None:
                listing = self._client.iter_orders(status="resting")
            else:
                listing = self._client.iter_orders(status="resting", ticker=ticker)
            async for exchange in listing:
                if exchange.order_id not in ids:
                    adopted = self._tracker.apply_exchange_order(exchange, self._clock())
                    self._changed(adopted)
                    ids[exchange.order_id] = exchange.order_id
            if not ids:
                return canceled
            results = await asyncio.gather(
                *(self.cancel(order_id) for order_id in ids), return_exceptions=True
            )
            for result in results:
                if isinstance(result, BaseException):
                    log.warning("cancel failed: %s", result)
                else:
                    canceled += 1
        return canceled

    async def amend(self, key: str, *, yes_price: Price, count: Count) -> TrackedOrder:
        """Change price and/or total count (filled + resting) of a resting order. Refused
        while the kill switch is engaged or the trader may not trade."""
        order = self._tracker.require(key)
        self._require_changeable(order)
        assert order.order_id is not None
        # Growing the resting part is a new commitment: the extra contracts pass the same
        # pre-trade rules a new order would (size, exposure, cash, rate, freshness...).
        extra = Count(count - order.filled - order.remaining)
        if extra > 0:
            intent = OrderIntent(order.ticker, order.side, yes_price, extra, reason="amend")
            rejection = self._risk.check(intent, await self.market_conditions(order.ticker))
            if rejection is not None:
                self._publish(
                    RiskRejected(
                        order.client_order_id, order.ticker, order.side, yes_price, extra,
                        order.source, rejection.rule, rejection.reason, self._clock(),
                    )
                )  # fmt: skip
                raise RiskRefusedError(rejection)
        self._in_flight += 1
        try:
            response = await self._client.amend_order(
                order.order_id,
                ticker=order.ticker,
                side=order.side,
                price=yes_price,
                count=count,
            )
        finally:
            self._in_flight -= 1
        filled = response.fill_count if response.fill_count is not None else order.filled
        remaining = (
            response.remaining_count
            if response.remaining_count is not None
            else Count(max(0, count - filled))
        )
        amended = self._tracker.amended(
            key, yes_price, count, filled, remaining, self._clock(), order_id=response.order_id
        )
        self._changed(amended)
        return amended

    async def decrease(
        self, key: str, *, reduce_by: Count | None = None, reduce_to: Count | None = None
    ) -> TrackedOrder:
        """Shrink the resting part (by or to a count); allowed even with the kill switch on."""
        order = self._tracker.require(key)
        if order.order_id is None or not order.is_resting:
            raise ValueError(f"order {key} is not resting (status {order.status})")
        self._in_flight += 1
        try:
            response = await self._client.decrease_order(
                order.order_id, reduce_by=reduce_by, reduce_to=reduce_to
            )
        finally:
            self._in_flight -= 1
        current = self._tracker.require(key)
        remaining = response.remaining_count
        updated = self._tracker.amended(
            key, current.yes_price, Count(current.filled + remaining), current.filled,
            remaining, self._clock(),
        )  # fmt: skip
        if remaining == 0:
            updated = self._tracker.canceled(key, self._clock()) or updated
        self._changed(updated)
        return updated

    def _require_changeable(self, order: TrackedOrder) -> None:
        if order.order_id is None or not order.is_resting:
            raise ValueError(f"order {order.client_order_id} is not resting ({order.status})")
        if self._risk.engaged:
            raise ValueError("kill switch is engaged: orders can be canceled, not amended")
        gate = self._gate(order.source)
        if gate is not None:
            raise ValueError(gate.reason)

    # --- kill switch ------------------------------------------------------------------

    async def engage_kill_switch(self, reason: str) -> int:
        """Refuse every new order and cancel every resting one; returns how many."""
        event: KillSwitchChanged | None = self._risk.engage(reason)
        if event is not None:
            self._publish(event)
        return await self.cancel_all()

    def release_kill_switch(self, reason: str) -> bool:
        event = self._risk.release(reason)
        if event is not None:
            self._publish(event)
        return event is not None
