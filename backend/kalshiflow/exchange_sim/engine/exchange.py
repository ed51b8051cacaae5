"""``Exchange``: the facade the REST and WebSocket servers call.

It coordinates small parts (``MarketRegistry`` for the listing, one ``OrderBook`` per market,
``Account`` for cash and positions, ``fees`` for the taker fee) and is the only place that
emits ``EngineEvent``s. Every mutating call collects its events while it works and hands
them to the subscribers, in order, just before it returns; a rejected call (``ExchangeError``)
changes nothing and emits nothing, because every check runs before the first mutation.
"""

from __future__ import annotations

import heapq
import logging
import random
import uuid
from collections.abc import Callable

from kalshiflow.exchange_sim.engine.accounts import Account, PositionState
from kalshiflow.exchange_sim.engine.book import OrderBook, side_level
from kalshiflow.exchange_sim.engine.fees import fee_increment, max_taker_fee
from kalshiflow.exchange_sim.engine.markets import MarketRegistry, on_grid
from kalshiflow.exchange_sim.engine.types import (
    ZERO_MONEY,
    BalanceView,
    BookChange,
    BookSide,
    EngineEvent,
    Event,
    ExchangeError,
    Fill,
    LifecycleReason,
    LifecycleType,
    Market,
    MarketLifecycle,
    MarketPositionView,
    MarketResult,
    MarketSpec,
    MarketStatus,
    Order,
    OrderRequest,
    OrderStatus,
    OrderUpdate,
    PlaceResult,
    SelfTradePrevention,
    Series,
    Settlement,
    TimeInForce,
    Trade,
)
from kalshiflow.kalshi.fixedpoint import ONE_DOLLAR, Count, Money, Price, format_money

Listener = Callable[[EngineEvent], None]
log = logging.getLogger(__name__)


class Exchange:
    """One simulated Kalshi exchange: markets, books, accounts. Pure and synchronous.

    ``clock_ms`` returns epoch milliseconds; pass a fake clock to fast-forward time.
    ``id_seed`` makes order/trade ids reproducible (uuid4-shaped, from a seeded RNG).
    """

    def __init__(self, clock_ms: Callable[[], int], *, id_seed: int | None = None) -> None:
        self._clock = clock_ms
        self._listeners: list[Listener] = []
        self._pending: list[EngineEvent] = []
        self._flushing = False
        self._registry = MarketRegistry()
        self._books: dict[str, OrderBook] = {}
        self._accounts: dict[str, Account] = {}
        self._orders: dict[str, Order] = {}
        self._trades: list[Trade] = []
        self._trades_by_ticker: dict[str, list[Trade]] = {}
        self._expiries: list[tuple[int, str]] = []  # (expiration epoch s, order_id)
        self._fees_collected = 0
        self._rng = random.Random(id_seed) if id_seed is not None else None

    # --- plumbing --------------------------------------------------------------------

    def subscribe(self, listener: Listener) -> None:
        """Call ``listener`` with every event, synchronously and in order, after each change.

        Listeners should be quick and not raise (an exception is logged and swallowed).
        """
        self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        self._listeners.remove(listener)

    def now_ms(self) -> int:
        return self._clock()

    def _new_id(self) -> str:
        if self._rng is None:
            return str(uuid.uuid4())
        return str(uuid.UUID(int=self._rng.getrandbits(128), version=4))

    def _flush(self) -> None:
        # A listener that calls back into the exchange queues its events behind the ones
        # being delivered (the outer loop delivers them), so every subscriber still sees
        # one global order.
        if self._flushing:
            return
        self._flushing = True
        try:
            while self._pending:
                events, self._pending = self._pending, []
                for event in events:
                    for listener in self._listeners:
                        try:
                            listener(event)
                        except Exception:
                            # One broken subscriber must not starve the others of later
                            # events (their books would diverge); engine state is final.
                            log.exception("engine listener failed on %s", type(event).__name__)
        finally:
            self._flushing = False

    def _emit_book(self, order: Order, delta: int, ts: int) -> None:
        side, price = side_level(order.side, order.price)
        self._pending.append(
            BookChange(
                order.ticker, side, price, Count(delta), ts, order.client_order_id, order.account_id
            )
        )

    def _emit_order(self, order: Order, ts: int) -> None:
        order.last_update_ts_ms = ts
        self._pending.append(OrderUpdate(order.copy(), ts))

    def _emit_lifecycle(
        self,
        market: Market,
        kind: LifecycleType,
        ts: int,
        reason: LifecycleReason | None = None,
    ) -> None:
        market.updated_ts_ms = ts
        self._pending.append(
            MarketLifecycle(
                ticker=market.ticker,
                event_type=kind,
                ts_ms=ts,
                open_ts=market.open_time,
                close_ts=market.close_time,
                result=market.result,
                settlement_value=market.settlement_value,
                determination_ts=(
                    market.determination_ts_ms // 1000 if market.determination_ts_ms else None
                ),
                settled_ts=market.settled_ts_ms // 1000 if market.settled_ts_ms else None,
                is_deactivated=True if kind == "deactivated" else None,
                market=market.copy() if kind == "created" else None,
                reason=reason,
            )
        )

    def _account(self, account_id: str) -> Account:
        account = self._accounts.get(account_id)
        if account is None:
            raise ExchangeError(404, "not_found", f"account {account_id!r} not found")
        return account

    def _book(self, ticker: str) -> OrderBook:
        book = self._books.get(ticker)
        if book is None:
            raise ExchangeError(404, "not_found", f"market {ticker!r} not found")
        return book

    # --- markets ---------------------------------------------------------------------

    def add_series(self, series: Series) -> Series:
        self._registry.add_series(series)
        return series

    def add_event(self, event: Event) -> Event:
        self._registry.add_event(event)
        return event

    def add_market(self, spec: MarketSpec) -> Market:
        """List a market; it opens at once if ``open_time`` has passed ("created", "activated")."""
        now = self._clock()
        market = self._registry.add_market(spec, now)
        self._books[market.ticker] = OrderBook(market.ticker)
        self._emit_lifecycle(market, "created", now)
        if market.open_time <= now // 1000 < market.close_time:
            self._activate(market, now)
        self._flush()
        return market.copy()

    def series(self, ticker: str) -> Series:
        found = self._registry.series.get(ticker)
        if found is None:
            raise ExchangeError(404, "not_found", f"series {ticker!r} not found")
        return found

    def series_list(self) -> list[Series]:
        return list(self._registry.series.values())

    def event(self, event_ticker: str) -> Event:
        found = self._registry.events.get(event_ticker)
        if found is None:
            raise ExchangeError(404, "not_found", f"event {event_ticker!r} not found")
        return found

    def events(self, series_ticker: str | None = None) -> list[Event]:
        return [
            e
            for e in self._registry.events.values()
            if series_ticker is None or e.series_ticker == series_ticker
        ]

    def market(self, ticker: str) -> Market:
        """A copy of the market; 404 not_found if unknown."""
        return self._registry.get(ticker).copy()

    def markets(
        self,
        *,
        event_ticker: str | None = None,
        series_ticker: str | None = None,
        status: MarketStatus | None = None,
    ) -> list[Market]:
        """Copies of the listed markets, in listing order."""
        return [
            m.copy()
            for m in self._registry.markets.values()
            if (event_ticker is None or m.event_ticker == event_ticker)
            and (series_ticker is None or m.series_ticker == series_ticker)
            and (status is None or m.status is status)
        ]

    def tick(self, now_ms: int | None = None) -> None:
        """Open markets whose open_time has come, close those whose close_time has, and
        cancel GTC orders whose expiration_time has passed. Call it as the clock advances."""
        now = self._clock() if now_ms is None else now_ms
        now_s = now // 1000
        for market in self._registry.due(now_s):
            if market.status is MarketStatus.INITIALIZED and market.open_time <= now_s:
                if market.close_time <= now_s:
                    market.status = MarketStatus.ACTIVE  # opened and closed between two ticks
                    self._close(market, now)
                else:
                    self._activate(market, now)
            elif market.status is MarketStatus.ACTIVE and market.close_time <= now_s:
                self._close(market, now)
        while self._expiries and self._expiries[0][0] <= now_s:
            _, order_id = heapq.heappop(self._expiries)
            order = self._orders.get(order_id)  # None: finished and pruned since
            if order is not None and order.status is OrderStatus.RESTING:
                self._cancel_resting(order, now)
        self._flush()

    def _activate(self, market: Market, now: int) -> None:
        market.status = MarketStatus.ACTIVE
        self._registry.schedule(market)
        self._emit_lifecycle(market, "activated", now, "opened")

    def _close(self, market: Market, now: int) -> None:
        for order in self._books[market.ticker].resting_orders():
            self._cancel_resting(order, now)
        market.status = MarketStatus.CLOSED
        self._emit_lifecycle(market, "deactivated", now, "closed")

    def open_market(self, ticker: str) -> Market:
        """Open a not-yet-open (or closed, undetermined) market now."""
        market = self._registry.get(ticker)
        now = self._clock()
        if market.status not in (MarketStatus.INITIALIZED, MarketStatus.CLOSED):
            raise ExchangeError(400, "invalid_parameters", f"market is {market.status}")
        if market.close_time <= now // 1000:
            raise ExchangeError(
                400, "invalid_parameters", "close_time has passed; update_close_time first"
            )
        self._activate(market, now)
        self._flush()
        return market.copy()

    def close_market(self, ticker: str) -> Market:
        """Stop trading now; resting orders are canceled."""
        market = self._registry.get(ticker)
        now = self._clock()
        if market.status not in (MarketStatus.INITIALIZED, MarketStatus.ACTIVE):
            raise ExchangeError(400, "invalid_parameters", f"market is {market.status}")
        if market.close_time > now // 1000:
            market.close_time = now // 1000
            self._emit_lifecycle(market, "close_date_updated", now)
        self._close(market, now)
        self._flush()
        return market.copy()

    def update_close_time(self, ticker: str, close_time: int) -> Market:
        market = self._registry.get(ticker)
        now = self._clock()
        if market.status not in (MarketStatus.INITIALIZED, MarketStatus.ACTIVE):
            raise ExchangeError(400, "invalid_parameters", f"market is {market.status}")
        if close_time <= market.open_time:
            raise ExchangeError(400, "invalid_parameters", "close_time must be after open_time")
        market.close_time = close_time
        self._registry.schedule(market)
        self._emit_lifecycle(market, "close_date_updated", now)
        self._flush()
        return market.copy()

    def determine_market(self, ticker: str, result: MarketResult) -> Market:
        """Record the outcome (closing the market first if it still trades)."""
        market = self._registry.get(ticker)
        now = self._clock()
        if result not in ("yes", "no"):
            raise ExchangeError(400, "invalid_parameters", "result must be 'yes' or 'no'")
        if market.status in (MarketStatus.DETERMINED, MarketStatus.FINALIZED):
            raise ExchangeError(400, "invalid_parameters", f"market is already {market.status}")
        if market.status is not MarketStatus.CLOSED:
            self._close(market, now)
        market.status = MarketStatus.DETERMINED
        market.result = result
        market.settlement_value = ONE_DOLLAR if result == "yes" else Price(0)
        market.determination_ts_ms = now
        self._emit_lifecycle(market, "determined", now)
        self._flush()
        return market.copy()

    def settle_market(self, ticker: str) -> Market:
        """Pay $1 per winning contract, record settlements, flatten positions."""
        market = self._registry.get(ticker)
        now = self._clock()
        if market.status is not MarketStatus.DETERMINED or market.result is None:
            raise ExchangeError(
                400, "invalid_parameters", f"market is {market.status}, not determined"
            )
        value = market.settlement_value if market.settlement_value is not None else Price(0)
        for account in self._accounts.values():
            state = account.positions.get(ticker)
            if state is None or state.position == 0:
                continue
            yes = max(state.position, 0)
            no = max(-state.position, 0)
            revenue = yes * value + no * (ONE_DOLLAR - value)
            account.cash += revenue
            account.settlements.append(
                Settlement(
                    ticker=ticker,
                    event_ticker=market.event_ticker,
                    market_result=market.result,
                    yes_count=Count(yes),
                    no_count=Count(no),
                    yes_total_cost=Money(state.position_cost if yes else 0),
                    no_total_cost=Money(state.position_cost if no else 0),
                    revenue=Money(revenue),
                    value=value,
                    settled_time_ms=now,
                    fee_cost=Money(state.fees_paid),
                )
            )
            state.realized_pnl += revenue - state.position_cost
            state.position = 0
            state.position_cost = 0
            state.last_updated_ts_ms = now
            self._pending.append(state.update_event(account.account_id, now))
        market.open_interest = Count(0)
        market.status = MarketStatus.FINALIZED
        market.settled_ts_ms = now
        self._emit_lifecycle(market, "settled", now)
        self._flush()
        return market.copy()

    # --- orders ----------------------------------------------------------------------

    def place_order(self, req: OrderRequest) -> PlaceResult:
        now = self._clock()
        account = self._account(req.account_id)
        market = self._registry.get(req.ticker)
        book = self._books[req.ticker]
        if market.status is not MarketStatus.ACTIVE:
            raise ExchangeError(400, "market_closed", f"market {req.ticker} is {market.status}")
        if req.count <= 0:
            raise ExchangeError(400, "invalid_order_size", "count must be positive")
        if not on_grid(market, req.price):
            raise ExchangeError(
                400, "invalid_price", f"price {req.price} is not on the market's tick grid"
            )
        if req.client_order_id is not None and req.client_order_id in account.client_order_ids:
            raise ExchangeError(
                409, "order_already_exists", "client_order_id was already used by this account"
            )
        if req.expiration_ts is not None:
            if req.time_in_force is not TimeInForce.GTC:
                raise ExchangeError(400, "invalid_order", "expiration_time is for GTC orders only")
            if req.expiration_ts * 1000 <= now:
                raise ExchangeError(400, "invalid_order", "expiration_time is in the past")
        # A rejected order must leave no trace, not even an empty position row.
        state = account.positions.get(req.ticker) or PositionState(req.ticker, market.event_ticker)
        count = req.count
        if req.reduce_only:
            closable = (
                max(-state.position, 0) if req.side is BookSide.BID else max(state.position, 0)
            )
            if closable <= 0:
                raise ExchangeError(
                    400,
                    "invalid_order",
                    "reduce-only order would increase the position",
                    "reduce only",
                )
            count = Count(min(count, closable))
        if req.post_only and book.crosses(req.side, req.price):
            raise ExchangeError(
                400, "invalid_order", "post-only order would cross the book", "post only cross"
            )
        order = Order(
            order_id=self._new_id(),
            client_order_id=req.client_order_id,
            account_id=req.account_id,
            ticker=req.ticker,
            side=req.side,
            price=req.price,
            initial_count=count,
            fill_count=Count(0),
            remaining_count=count,
            status=OrderStatus.RESTING,
            time_in_force=req.time_in_force,
            self_trade_prevention=req.self_trade_prevention,
            post_only=req.post_only,
            reduce_only=req.reduce_only,
            created_ts_ms=now,
            last_update_ts_ms=now,
            expiration_ts=req.expiration_ts,
        )
        need = state.reservation(order) - state.reserved
        if book.crosses(req.side, req.price):
            # It will take liquidity; the exact fee depends on where it executes, so hold
            # the fee's upper bound. Orders that only rest never pay a fee (makers are free).
            need += max_taker_fee(count)
        if need > account.available:
            raise ExchangeError(
                400,
                "insufficient_balance",
                f"order needs ${format_money(need)} available, the account has "
                f"${format_money(account.available)}",
            )
        account.positions[req.ticker] = state
        self._orders[order.order_id] = order
        account.order_ids.append(order.order_id)
        if req.client_order_id is not None:
            account.client_order_ids[req.client_order_id] = order.order_id

        fills: list[Fill] = []
        fok_short = (
            req.time_in_force is TimeInForce.FOK
            and book.fillable(
                req.side,
                req.price,
                req.account_id,
                req.self_trade_prevention is SelfTradePrevention.TAKER_AT_CROSS,
            )
            < count
        )
        if not fok_short:
            fills = self._match(order, account, state, market, book, now)
        self._finish(order, account, state, book, now)
        self._flush()
        return _place_result(order, fills)

    def _match(
        self,
        order: Order,
        account: Account,
        state: PositionState,
        market: Market,
        book: OrderBook,
        now: int,
    ) -> list[Fill]:
        fills: list[Fill] = []
        for maker in book.makers(order.side, order.price):
            if order.remaining_count == 0:
                break
            if maker.account_id == order.account_id:
                if order.self_trade_prevention is SelfTradePrevention.TAKER_AT_CROSS:
                    order.status = OrderStatus.CANCELED
                    break
                self._cancel_resting(maker, now)
                continue
            fills.append(self._execute(order, account, state, maker, market, book, now))
        return fills

    def _execute(
        self,
        taker: Order,
        taker_account: Account,
        taker_state: PositionState,
        maker: Order,
        market: Market,
        book: OrderBook,
        now: int,
    ) -> Fill:
        count: int = min(taker.remaining_count, maker.remaining_count)
        price = maker.price
        trade_id = self._new_id()
        maker_account = self._accounts[maker.account_id]
        maker_state = maker_account.positions[maker.ticker]

        book.reduce(maker, count)
        maker.remaining_count = Count(maker.remaining_count - count)
        if maker.remaining_count == 0:
            book.discard(maker)
            maker.status = OrderStatus.EXECUTED
            del maker_state.resting[maker.order_id]
        taker.remaining_count = Count(taker.remaining_count - count)

        trade = Trade(trade_id, market.ticker, price, Count(count), taker.side, now)
        self._trades.append(trade)
        self._trades_by_ticker.setdefault(market.ticker, []).append(trade)
        self._pending.append(trade)
        self._emit_book(maker, -count, now)

        open_interest: int = market.open_interest
        taker_fill = maker_fill = None
        for order, account, state, is_taker in (
            (taker, taker_account, taker_state, True),
            (maker, maker_account, maker_state, False),
        ):
            before_long = max(state.position, 0)
            cash_delta, _ = state.apply_fill(order.side, price, count)
            open_interest += max(state.position, 0) - before_long
            cost = (price if order.side is BookSide.BID else ONE_DOLLAR - price) * count
            order.fill_count = Count(order.fill_count + count)
            fee = 0
            if is_taker:
                fee, order.taker_fee_accumulator = fee_increment(
                    order.taker_fee_accumulator, price, Count(count)
                )
                order.taker_fees = Money(order.taker_fees + fee)
                order.taker_fill_cost = Money(order.taker_fill_cost + cost)
                state.fees_paid += fee
                self._fees_collected += fee
            else:
                order.maker_fill_cost = Money(order.maker_fill_cost + cost)
            account.cash += cash_delta - fee
            state.last_updated_ts_ms = now
            fill = Fill(
                fill_id=self._new_id(),
                trade_id=trade_id,
                order_id=order.order_id,
                client_order_id=order.client_order_id,
                account_id=account.account_id,
                ticker=market.ticker,
                side=order.side,
                price=price,
                count=Count(count),
                is_taker=is_taker,
                fee=Money(fee),
                ts_ms=now,
                post_position=Count(state.position),
            )
            account.fills.append(fill)
            if is_taker:
                taker_fill = fill
            else:
                maker_fill = fill
        assert taker_fill is not None
        assert maker_fill is not None
        maker_account.rereserve(maker_state)
        taker_account.rereserve(taker_state)
        market.open_interest = Count(open_interest)
        market.volume = Count(market.volume + count)
        market.last_price = price
        market.updated_ts_ms = now
        self._pending.append(taker_fill)
        self._pending.append(maker_fill)
        self._emit_order(maker, now)
        self._pending.append(maker_state.update_event(maker_account.account_id, now))
        self._pending.append(taker_state.update_event(taker_account.account_id, now))
        return taker_fill

    def _finish(
        self, order: Order, account: Account, state: PositionState, book: OrderBook, now: int
    ) -> None:
        """After matching: rest a GTC remainder, or cancel what is left; announce the order."""
        if order.remaining_count == 0:
            order.status = OrderStatus.EXECUTED
        elif order.status is OrderStatus.RESTING and order.time_in_force is TimeInForce.GTC:
            book.add(order)
            state.resting[order.order_id] = order
            self._emit_book(order, order.remaining_count, now)
            if order.expiration_ts is not None:
                heapq.heappush(self._expiries, (order.expiration_ts, order.order_id))
        else:
            order.status = OrderStatus.CANCELED
            order.remaining_count = Count(0)
        account.rereserve(state)
        self._emit_order(order, now)

    def _cancel_resting(self, order: Order, now: int) -> Count:
        account = self._accounts[order.account_id]
        state = account.positions[order.ticker]
        reduced = order.remaining_count
        self._books[order.ticker].remove(order)
        del state.resting[order.order_id]
        self._emit_book(order, -reduced, now)
        order.remaining_count = Count(0)
        order.status = OrderStatus.CANCELED
        account.rereserve(state)
        self._emit_order(order, now)
        return reduced

    def _resting_order(self, account_id: str, order_id: str) -> Order:
        order = self._orders.get(order_id)
        if order is None or order.account_id != account_id:
            raise ExchangeError(404, "not_found", f"order {order_id!r} not found")
        if order.status is not OrderStatus.RESTING:
            raise ExchangeError(404, "not_found", f"order {order_id!r} is {order.status}")
        return order

    def cancel_order(self, account_id: str, order_id: str) -> tuple[Order, Count]:
        """Cancel a resting order: (its final snapshot, contracts removed)."""
        order = self._resting_order(account_id, order_id)
        reduced = self._cancel_resting(order, self._clock())
        self._flush()
        return order.copy(), reduced

    def amend_order(
        self,
        account_id: str,
        order_id: str,
        price: Price,
        count_total: Count,
        *,
        new_client_order_id: str | None = None,
    ) -> tuple[Order, Order]:
        """Change price and/or total size (filled + remaining): (before, after).

        Keeps queue priority only if the price is unchanged and the size not increased.
        An amended price that crosses the book executes like a new order (as taker).
        """
        order = self._resting_order(account_id, order_id)
        now = self._clock()
        account = self._accounts[account_id]
        market = self._registry.get(order.ticker)
        book = self._books[order.ticker]
        state = account.positions[order.ticker]
        if not on_grid(market, price):
            raise ExchangeError(400, "invalid_price", f"price {price} is not on the tick grid")
        remaining = count_total - order.fill_count
        if remaining <= 0:
            raise ExchangeError(
                400, "invalid_order_size", "count must exceed the contracts already filled"
            )
        if new_client_order_id is not None and new_client_order_id in account.client_order_ids:
            raise ExchangeError(
                409, "order_already_exists", "client_order_id was already used by this account"
            )
        before = order.copy()
        if price == order.price and remaining <= order.remaining_count:
            self._rename(account, order, new_client_order_id)
            delta = remaining - order.remaining_count
            if delta:
                book.reduce(order, -delta)
                order.remaining_count = Count(remaining)
                self._emit_book(order, delta, now)
            order.initial_count = count_total
            account.rereserve(state)
            self._emit_order(order, now)
            self._flush()
            return before, order.copy()

        crosses = book.crosses(order.side, price)
        if order.post_only and crosses:
            raise ExchangeError(
                400, "invalid_order", "post-only order would cross the book", "post only cross"
            )
        del state.resting[order.order_id]
        moved = order.copy()
        moved.price = price
        moved.remaining_count = Count(remaining)
        need = state.reservation(moved) - state.reserved
        if crosses:
            need += max_taker_fee(Count(remaining))
        if need > account.available:
            state.resting[order.order_id] = order
            raise ExchangeError(400, "insufficient_balance", "not enough cash for the amendment")
        self._rename(account, order, new_client_order_id)
        book.remove(order)
        self._emit_book(order, -order.remaining_count, now)
        order.price = price
        order.remaining_count = Count(remaining)
        order.initial_count = count_total
        self._match(order, account, state, market, book, now)
        self._finish(order, account, state, book, now)
        self._flush()
        return before, order.copy()

    @staticmethod
    def _rename(account: Account, order: Order, client_order_id: str | None) -> None:
        """Kalshi's updated_client_order_id on amend; the old id stays used forever."""
        if client_order_id is not None:
            account.client_order_ids[client_order_id] = order.order_id
            order.client_order_id = client_order_id

    def decrease_order(
        self,
        account_id: str,
        order_id: str,
        *,
        reduce_by: Count | None = None,
        reduce_to: Count | None = None,
    ) -> Order:
        """Shrink the remaining count, keeping priority; reaching zero cancels it.

        Exactly one of ``reduce_by`` (contracts to remove) or ``reduce_to`` (remaining count
        to keep) must be given.
        """
        order = self._resting_order(account_id, order_id)
        if (reduce_by is None) == (reduce_to is None):
            raise ExchangeError(
                400, "invalid_parameters", "give exactly one of reduce_by, reduce_to"
            )
        target = order.remaining_count - reduce_by if reduce_by is not None else reduce_to
        assert target is not None
        if reduce_by is not None and reduce_by <= 0:
            raise ExchangeError(400, "invalid_order_size", "reduce_by must be positive")
        if target < 0 or target >= order.remaining_count:
            raise ExchangeError(
                400,
                "invalid_order_size",
                "the new remaining count must be below the current one and not negative",
            )
        now = self._clock()
        if target == 0:
            self._cancel_resting(order, now)
        else:
            delta = target - order.remaining_count
            self._books[order.ticker].reduce(order, -delta)
            order.remaining_count = Count(target)
            order.initial_count = Count(order.initial_count + delta)
            account = self._accounts[account_id]
            account.rereserve(account.positions[order.ticker])
            self._emit_book(order, delta, now)
            self._emit_order(order, now)
        self._flush()
        return order.copy()

    def order(self, account_id: str, order_id: str, *, with_queue_position: bool = True) -> Order:
        """A copy of the order; ``queue_position`` (an O(level) scan) only when asked."""
        order = self._orders.get(order_id)
        if order is None or order.account_id != account_id:
            raise ExchangeError(404, "not_found", f"order {order_id!r} not found")
        return self._snapshot(order) if with_queue_position else order.copy()

    def order_by_client_id(self, account_id: str, client_order_id: str) -> Order:
        order_id = self._account(account_id).client_order_ids.get(client_order_id)
        order = self._orders.get(order_id) if order_id is not None else None  # may be pruned
        if order is None:
            raise ExchangeError(404, "not_found", f"client_order_id {client_order_id!r} not found")
        return self._snapshot(order)

    def _snapshot(self, order: Order) -> Order:
        copy = order.copy()
        if order.status is OrderStatus.RESTING:
            copy.queue_position = self._books[order.ticker].queue_position(order)
        return copy

    def orders(
        self,
        account_id: str,
        *,
        ticker: str | None = None,
        event_ticker: str | None = None,
        status: OrderStatus | None = None,
        min_ts_ms: int | None = None,
        max_ts_ms: int | None = None,
    ) -> list[Order]:
        """Copies, newest first."""
        out: list[Order] = []
        for order_id in reversed(self._account(account_id).order_ids):
            o = self._orders[order_id]
            if (
                (ticker is None or o.ticker == ticker)
                and (
                    event_ticker is None
                    or self._registry.markets[o.ticker].event_ticker == event_ticker
                )
                and (status is None or o.status is status)
                and (min_ts_ms is None or o.created_ts_ms >= min_ts_ms)
                and (max_ts_ms is None or o.created_ts_ms <= max_ts_ms)
            ):
                out.append(o.copy())
        return out

    def fills(
        self,
        account_id: str,
        *,
        ticker: str | None = None,
        order_id: str | None = None,
        min_ts_ms: int | None = None,
        max_ts_ms: int | None = None,
    ) -> list[Fill]:
        """Newest first."""
        return [
            f
            for f in reversed(self._account(account_id).fills)
            if (ticker is None or f.ticker == ticker)
            and (order_id is None or f.order_id == order_id)
            and (min_ts_ms is None or f.ts_ms >= min_ts_ms)
            and (max_ts_ms is None or f.ts_ms <= max_ts_ms)
        ]

    # --- books and tape --------------------------------------------------------------

    def orderbook(
        self, ticker: str, depth: int = 0
    ) -> tuple[list[tuple[Price, Count]], list[tuple[Price, Count]]]:
        """(YES bid levels, NO bid levels in NO prices), each ascending, best LAST."""
        return self._book(ticker).orderbook(depth)

    def best_prices(self, ticker: str) -> tuple[Price | None, Price | None]:
        """(best YES bid, best YES ask) in YES prices."""
        book = self._book(ticker)
        return book.best(BookSide.BID), book.best(BookSide.ASK)

    def trades(
        self,
        ticker: str | None = None,
        *,
        min_ts_ms: int | None = None,
        max_ts_ms: int | None = None,
        limit: int | None = None,
    ) -> list[Trade]:
        """Public tape, newest first."""
        source = self._trades if ticker is None else self._trades_by_ticker.get(ticker, [])
        out: list[Trade] = []
        for trade in reversed(source):
            if max_ts_ms is not None and trade.ts_ms > max_ts_ms:
                continue
            if min_ts_ms is not None and trade.ts_ms < min_ts_ms:
                break  # the tape is in time order
            out.append(trade)
            if limit is not None and len(out) >= limit:
                break
        return out

    # --- accounts --------------------------------------------------------------------

    def create_account(self, account_id: str, balance: Money = ZERO_MONEY) -> None:
        if account_id in self._accounts:
            raise ExchangeError(409, "already_exists", f"account {account_id!r} exists")
        if balance < 0:
            raise ExchangeError(400, "invalid_parameters", "balance must not be negative")
        self._accounts[account_id] = Account(account_id, cash=balance)

    def has_account(self, account_id: str) -> bool:
        return account_id in self._accounts

    def accounts(self) -> list[str]:
        return list(self._accounts)

    def fund(self, account_id: str, amount: Money) -> None:
        """Deposit (positive) or withdraw (negative, at most the available balance)."""
        account = self._account(account_id)
        if amount < 0 and -amount > account.available:
            raise ExchangeError(400, "insufficient_balance", "cannot withdraw more than available")
        account.cash += amount

    def balance(self, account_id: str) -> Money:
        """Cash available for new orders (total cash minus what resting orders reserve)."""
        return Money(self._account(account_id).available)

    def reserved(self, account_id: str) -> Money:
        return Money(self._account(account_id).reserved)

    def balance_view(self, account_id: str) -> BalanceView:
        account = self._account(account_id)
        return BalanceView(
            balance=Money(account.available),
            reserved=Money(account.reserved),
            portfolio_value=Money(sum(s.position_cost for s in account.positions.values())),
        )

    def positions(self, account_id: str) -> list[MarketPositionView]:
        """Markets where the account has a position, resting orders or history."""
        return [s.view() for s in self._account(account_id).positions.values()]

    def settlements(self, account_id: str) -> list[Settlement]:
        """Newest first."""
        return list(reversed(self._account(account_id).settlements))

    def prune_history(self, account_id: str, keep: int) -> int:
        """Forget all but the newest ``keep`` finished orders and fills of an account.

        For the simulated participants, whose history nobody reads but which would grow
        without bound in a long-running sim. Resting orders are always kept, and used
        client_order_ids stay used. Returns the number of orders forgotten.
        """
        account = self._account(account_id)
        finished = [
            oid for oid in account.order_ids if self._orders[oid].status is not OrderStatus.RESTING
        ]
        drop = set(finished[: max(len(finished) - keep, 0)])
        if drop:
            account.order_ids = [oid for oid in account.order_ids if oid not in drop]
            for oid in drop:
                del self._orders[oid]
        if len(account.fills) > keep:
            del account.fills[: len(account.fills) - keep]
        return len(drop)

    def fees_collected(self) -> Money:
        return Money(self._fees_collected)


def _place_result(order: Order, fills: list[Fill]) -> PlaceResult:
    filled = sum(f.count for f in fills)
    if not filled:
        return PlaceResult(order.copy(), tuple(fills), None, None)
    notional = sum(f.price * f.count for f in fills)
    fee = sum(f.fee for f in fills)
    # Money / Count is in Price units (1e-6 $ / 1e-2 contract = 1e-4 $ per contract).
    average_price = Price((notional + filled // 2) // filled)
    average_fee = Price(-(-fee // filled))
    return PlaceResult(order.copy(), tuple(fills), average_price, average_fee)


__all__ = ["Exchange", "Listener"]
