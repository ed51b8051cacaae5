"""``OrderbookClient``: the production stream -> books -> recorder -> event bus.

For every orderbook message the stream delivers (the stream has already checked ``seq`` per
subscription and resyncs on gaps), the client

1. parses the exact price and size (``marketdata.wire``),
2. applies it to the market's ``OrderbookState`` in ``SharedOrderbookState``,
3. submits the matching record to the write queue, and
4. only if the write queue accepted it, publishes ``OrderbookUpdated`` on the bus.

Step 4 is conditional so that the actor never acts on an update that is missing from the
recording: policies are trained offline on exactly the stream the actor saw.

An update the book refuses (a level would go negative, a delta before any snapshot, a price
outside (0, 1), a market we do not watch) is counted, never applied; the book is dropped and a
fresh snapshot requested for that one market. Lost messages announced by the stream (RESYNC,
DISCONNECTED, RECONNECTED) drop the affected books until their snapshots arrive.

It also reads the ``trade`` and ``ticker`` channels (last price, volume; trades are recorded)
and forwards ``market_lifecycle_v2`` messages to listeners (discovery).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final, Protocol

from kalshiflow.events import (
    EventBus,
    FeedHealthChanged,
    FeedState,
    OrderbookUpdated,
    TickerUpdated,
    TradeReceived,
)
from kalshiflow.health import ComponentHealth, ComponentState
from kalshiflow.kalshi.fixedpoint import ONE_DOLLAR
from kalshiflow.kalshi.stream import KalshiStream
from kalshiflow.kalshi.stream_events import StreamEvent, StreamEventKind
from kalshiflow.kalshi.stream_health import StreamHealth
from kalshiflow.kalshi.stream_protocol import KalshiWsError, StreamClosedError
from kalshiflow.marketdata import wire
from kalshiflow.marketdata.catalog import MarketCatalog
from kalshiflow.marketdata.orderbook import (
    APPLIED,
    NO_SNAPSHOT,
    REJECT_REASONS,
    InvalidSnapshotError,
    OrderbookState,
)
from kalshiflow.marketdata.shared_state import SharedOrderbookState
from kalshiflow.persistence.records import DeltaRecord, Record, SnapshotRecord, TradeRecord

log = logging.getLogger(__name__)
_delta_fields = wire.delta_fields
_time_ns = time.time_ns

BOOK_CHANNEL: Final = "orderbook_delta"
MARKET_CHANNELS: Final = (BOOK_CHANNEL, "trade", "ticker")
LIFECYCLE_CHANNEL: Final = "market_lifecycle_v2"
# Yield to the event loop after this many messages handled back to back, so a busy feed
# cannot starve the API, the actor or the stream's own reader.
_YIELD_EVERY: Final = 256
_ONE: Final = int(ONE_DOLLAR)

LifecycleListener = Callable[[Mapping[str, Any]], None]


class RecordSink(Protocol):
    """What the client needs from ``kalshiflow.persistence.write_queue.WriteQueue``."""

    def submit(self, record: Record) -> bool:
        """Synchronous, non-blocking. True: accepted and will be persisted; False: dropped."""
        ...


@dataclass(slots=True)
class FeedCounters:
    messages: int = 0  # data messages handled (all channels)
    snapshots: int = 0  # snapshots applied
    deltas: int = 0  # deltas applied
    trades: int = 0
    tickers: int = 0
    lifecycle: int = 0
    rejects: int = 0  # updates refused (see reject_reasons)
    skipped: int = 0  # deltas for a book that waits for its snapshot after a reject
    resyncs: int = 0  # times books were dropped to be rebuilt from fresh snapshots
    snapshot_requests: int = 0  # get_snapshot requests sent after a reject
    recorded: int = 0  # records the write queue accepted
    record_drops: int = 0  # records the write queue refused (no event published for them)
    published: int = 0  # OrderbookUpdated events published


@dataclass(frozen=True, slots=True)
class OrderbookClientHealth:
    markets: int
    ready_markets: int
    messages: int
    snapshots: int
    deltas: int
    trades: int
    rejects: int
    reject_reasons: Mapping[str, int]
    skipped: int
    resyncs: int
    snapshot_requests: int
    recorded: int
    record_drops: int
    published: int
    last_message_age_s: float | None  # since the last data message; None before the first
    connected: bool
    stream: StreamHealth


class OrderbookClient:
    """Owns the market-data stream's consumer side and the set of watched markets.

    ``start()`` starts the stream (the client owns it and closes it in ``stop()``) and the
    consumer task; markets are added and removed with ``add_markets``/``remove_markets``
    (one ``update_subscription`` per channel, no reconnect).
    """

    def __init__(
        self,
        stream: KalshiStream,
        sink: RecordSink,
        bus: EventBus,
        *,
        session_id: int,
        books: SharedOrderbookState | None = None,
        catalog: MarketCatalog | None = None,
    ) -> None:
        self.stream = stream
        self.sink = sink
        self.bus = bus
        self.session_id = session_id
        self.books = books if books is not None else SharedOrderbookState()
        self.catalog = catalog if catalog is not None else MarketCatalog()
        self.counters = FeedCounters()
        self.reject_reasons: dict[str, int] = {}
        self.lifecycle_listeners: list[LifecycleListener] = []
        self._market_keys: tuple[int, ...] | None = None  # stream keys of MARKET_CHANNELS
        self._book_key: int | None = None
        self._lifecycle_key: int | None = None
        self._markets_lock = asyncio.Lock()
        self._task: asyncio.Task[None] | None = None
        self._snapshot_pending: set[str] = set()
        self._background: set[asyncio.Task[None]] = set()
        self._last_message_ns: int | None = None  # wall clock, like received_ns
        self._connected = False
        self._books_map = self.books.books()
        self._submit = sink.submit
        self._bus_generation = -1
        self._book_listeners = False

    # --- life cycle -------------------------------------------------------------------

    async def start(self) -> None:
        """Start the stream and the consumer (idempotent). Markets can be added before."""
        if self._task is not None:
            return
        await self.stream.start()
        self._task = asyncio.create_task(self._consume(), name="orderbook-client")

    async def stop(self) -> None:
        """Close the stream and stop consuming; books stay readable (not ready)."""
        for pending in list(self._background):
            pending.cancel()
        await self.stream.aclose()
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        for book in self._books_map.values():
            book.invalidate()

    # --- the watched market set ---------------------------------------------------------

    def watched(self) -> tuple[str, ...]:
        return self.books.tickers()

    async def add_markets(self, tickers: Iterable[str]) -> list[str]:
        """Watch more markets; returns the tickers that were new. Their books become ready
        when their snapshots arrive."""
        async with self._markets_lock:
            # Books first: snapshots may arrive before the subscribe reply is read.
            new = self.books.add(tickers)
            while new:
                try:
                    await self._subscribe_markets(new)
                except KalshiWsError as exc:
                    # One unknown market (a typo in RL_MARKET_TICKERS, a market delisted
                    # since it was listed) must not keep all the others unwatched.
                    if exc.market_ticker not in new:
                        self.books.remove(new)
                        raise
                    log.error("not watching %s: %s", exc.market_ticker, exc)
                    self.books.remove([exc.market_ticker])
                    new.remove(exc.market_ticker)
                    continue
                except BaseException:
                    self.books.remove(new)
                    raise
                return new
            return []

    async def _subscribe_markets(self, tickers: list[str]) -> None:
        if self._market_keys is None:
            infos = await self.stream.subscribe(MARKET_CHANNELS, tickers)
            self._market_keys = tuple(info.key for info in infos)
            self._book_key = infos[0].key
        else:
            for key in self._market_keys:
                await self.stream.update_subscription(key, add_markets=tickers)

    async def remove_markets(self, tickers: Iterable[str]) -> list[str]:
        """Stop watching markets; returns the tickers that were watched."""
        async with self._markets_lock:
            gone = [t for t in dict.fromkeys(tickers) if t in self.books]
            if not gone:
                return []
            keys = self._market_keys
            if keys is not None:
                if len(gone) == len(self.books):
                    # Kalshi needs at least one market on an orderbook subscription.
                    for key in keys:
                        await self.stream.unsubscribe(key)
                    self._market_keys = None
                    self._book_key = None
                else:
                    for key in keys:
                        await self.stream.update_subscription(key, delete_markets=gone)
            self.books.remove(gone)
            self._snapshot_pending.difference_update(gone)
            return gone

    async def watch_lifecycle(self) -> None:
        """Subscribe to ``market_lifecycle_v2`` (all markets) for the lifecycle listeners."""
        if self._lifecycle_key is None:
            (info,) = await self.stream.subscribe(LIFECYCLE_CHANNEL)
            self._lifecycle_key = info.key

    # --- consumer ---------------------------------------------------------------------

    async def _consume(self) -> None:
        stream = self.stream
        try:
            while True:
                event = await stream.next_event()
                self._on_event(event)
                # Drain what is queued without a context switch per message, but yield
                # regularly so other tasks keep running on a busy feed.
                for _ in range(_YIELD_EVERY):
                    queued = stream.next_event_nowait()
                    if queued is None:
                        break
                    self._on_event(queued)
                else:
                    await asyncio.sleep(0)
        except StreamClosedError:
            return

    def _on_event(self, event: StreamEvent) -> None:
        try:
            if event.kind is StreamEventKind.MESSAGE:
                self.handle_message(event.message)
            else:
                self._on_control(event)
        except Exception:  # one bad message must never kill the feed
            log.exception("orderbook client failed on a %s event", event.type or event.kind)

    def _on_control(self, event: StreamEvent) -> None:
        kind = event.kind
        if kind is StreamEventKind.CONNECTED:
            self._connected = True
            self._feed_state("connected", event.reason, ())
        elif kind is StreamEventKind.RECONNECTED:
            self._connected = True
            self._feed_state("reconnected", event.reason, self._drop_all())
        elif kind is StreamEventKind.DISCONNECTED:
            self._connected = False
            self._feed_state("disconnected", event.reason, self._drop_all())
        elif kind is StreamEventKind.RESYNC:
            if event.channel == BOOK_CHANNEL:
                tickers = sorted(event.market_tickers or self._books_map)
                self.counters.resyncs += 1
                for ticker in tickers:
                    book = self._books_map.get(ticker)
                    if book is not None:
                        book.invalidate()
                self._feed_state("resync", event.reason, tuple(tickers))
        elif kind is StreamEventKind.SUBSCRIPTION_ERROR:
            log.error("market-data subscription %s lost: %s", event.channel, event.reason)
            self._feed_state("subscription_error", event.reason, tuple(event.market_tickers))

    def _drop_all(self) -> tuple[str, ...]:
        for book in self._books_map.values():
            book.invalidate()
        self._snapshot_pending.clear()
        return ()

    def _feed_state(self, state: FeedState, reason: str, tickers: tuple[str, ...]) -> None:
        self.bus.publish(FeedHealthChanged(state, reason, tickers, time.time_ns()))

    def handle_message(self, msg: Mapping[str, Any], received_ns: int | None = None) -> None:
        """Handle one parsed data message (public for tests and the feed-path benchmark)."""
        if received_ns is None:
            received_ns = _time_ns()
        self.counters.messages += 1
        self._last_message_ns = received_ns
        mtype = msg.get("type")
        body = msg.get("msg")
        if type(body) is not dict and not isinstance(body, Mapping):  # exact check is cheaper
            self._reject(None, "malformed")
            return
        if mtype == "orderbook_delta":
            self._on_delta(msg, body, received_ns)
        elif mtype == "orderbook_snapshot":
            self._on_snapshot(msg, body, received_ns)
        elif mtype == "trade":
            self._on_trade(body, received_ns)
        elif mtype == "ticker":
            self._on_ticker(body, received_ns)
        elif mtype == "market_lifecycle_v2" or mtype == "event_lifecycle":
            self.counters.lifecycle += 1
            for listener in self.lifecycle_listeners:
                listener(msg)

    # --- orderbook --------------------------------------------------------------------

    def _on_delta(self, msg: Mapping[str, Any], body: Mapping[str, Any], received_ns: int) -> None:
        # The hot path: locals over attribute chains, no helper calls beyond parse/apply.
        ticker = body.get("market_ticker")
        book = self._books_map.get(ticker) if type(ticker) is str else None
        if book is None:
            self._reject(ticker, "unknown_market")
            return
        try:
            is_yes, price, delta = _delta_fields(body)
        except wire.MessageError as exc:
            log.warning("%s: unreadable orderbook_delta: %s", ticker, exc)
            self._reject_book(book, "malformed")
            return
        seq = msg.get("seq")
        ts_ms = body.get("ts_ms")
        result = book.apply_delta(is_yes, price, delta, seq, received_ns, ts_ms)
        counters = self.counters
        if result != APPLIED:
            if result == NO_SNAPSHOT and ticker in self._snapshot_pending:
                book.rejects -= 1  # expected while its snapshot is on the way
                counters.skipped += 1
                return
            self._reject_book(book, REJECT_REASONS[result])
            return
        counters.deltas += 1
        record = DeltaRecord(
            self.session_id,
            book.ticker,
            seq if seq is not None else 0,
            ts_ms,
            received_ns,
            "yes" if is_yes else "no",
            price,
            delta,
        )
        if not self._submit(record):
            counters.record_drops += 1
            return
        counters.recorded += 1
        if self._has_book_listeners():
            self.bus.publish(
                OrderbookUpdated(
                    book.ticker, book.seq or 0, "delta", book.snapshot(), received_ns, ts_ms
                )
            )
            counters.published += 1

    def _has_book_listeners(self) -> bool:
        bus = self.bus
        if bus.generation != self._bus_generation:
            self._bus_generation = bus.generation
            self._book_listeners = bus.has_subscribers(OrderbookUpdated)
        return self._book_listeners

    def _on_snapshot(
        self, msg: Mapping[str, Any], body: Mapping[str, Any], received_ns: int
    ) -> None:
        ticker = body.get("market_ticker")
        book = self._books_map.get(ticker) if isinstance(ticker, str) else None
        if book is None:
            self._reject(ticker, "unknown_market")
            return
        seq = msg.get("seq")
        try:
            yes, no = wire.snapshot_levels(body)
            book.apply_snapshot(yes, no, seq, received_ns, None)
        except (wire.MessageError, InvalidSnapshotError) as exc:
            log.warning("%s: unusable orderbook_snapshot: %s", ticker, exc)
            self._reject_book(book, "malformed")
            return
        self._snapshot_pending.discard(book.ticker)
        self.counters.snapshots += 1
        record = SnapshotRecord(
            self.session_id,
            book.ticker,
            seq if seq is not None else 0,
            None,
            received_ns,
            tuple(yes),
            tuple(no),
        )
        self._record_and_publish(record, book, received_ns)

    def _record_and_publish(
        self, record: SnapshotRecord, book: OrderbookState, received_ns: int
    ) -> None:
        if not self._submit(record):
            self.counters.record_drops += 1
            return
        self.counters.recorded += 1
        if self._has_book_listeners():
            self.bus.publish(
                OrderbookUpdated(
                    book.ticker, book.seq or 0, "snapshot", book.snapshot(), received_ns, None
                )
            )
            self.counters.published += 1

    def _reject(self, ticker: object, reason: str) -> None:
        """Count a message that touches no book (unknown market, unreadable trade...)."""
        self.counters.rejects += 1
        self.reject_reasons[reason] = self.reject_reasons.get(reason, 0) + 1
        if reason == "unknown_market":
            # Usually a market just removed (messages in flight); anything else is a bug
            # worth seeing, so it is logged at debug level without flooding.
            log.debug("message for unwatched market %r rejected", ticker)

    def _reject_book(self, book: OrderbookState, reason: str) -> None:
        """Count, drop the book (its data can no longer be trusted) and ask for a snapshot."""
        self.counters.rejects += 1
        self.reject_reasons[reason] = self.reject_reasons.get(reason, 0) + 1
        book.invalidate()
        log.warning("%s: %s update rejected; resyncing this market", book.ticker, reason)
        self._request_snapshot(book.ticker)

    def _request_snapshot(self, ticker: str) -> None:
        if ticker in self._snapshot_pending:
            return
        self._snapshot_pending.add(ticker)
        self.counters.resyncs += 1
        self._feed_state("resync", f"{ticker}: book rejected an update", (ticker,))
        key = self._book_key
        if key is None:
            return  # not subscribed (yet): the subscription's own snapshots will come
        self.counters.snapshot_requests += 1
        task = asyncio.get_running_loop().create_task(
            self._ask_snapshot(key, ticker), name=f"snapshot:{ticker}"
        )
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def _ask_snapshot(self, key: int, ticker: str) -> None:
        try:
            await self.stream.request_snapshot(key, [ticker])
        except Exception as exc:
            # The next reconnect or resubscription brings a snapshot anyway.
            log.warning("%s: get_snapshot failed: %s", ticker, exc)

    # --- trades and ticker ----------------------------------------------------------------

    def _on_trade(self, body: Mapping[str, Any], received_ns: int) -> None:
        try:
            ticker = wire.required_str(body, "market_ticker")
            trade_id = wire.required_str(body, "trade_id")
            yes_price = wire.optional_price(body, "yes_price_dollars", "yes_price")
            count = wire.optional_count(body, "count_fp", "count")
        except wire.MessageError as exc:
            log.warning("unreadable trade: %s", exc)
            self._reject(None, "malformed")
            return
        if yes_price is None or count is None:
            self._reject(ticker, "malformed")
            return
        no_price = wire.optional_price(body, "no_price_dollars", "no_price")
        side = body.get("taker_outcome_side") or body.get("taker_side") or ""
        ts_ms = wire.optional_int(body, "ts_ms")
        self.counters.trades += 1
        self.catalog.record_activity(ticker, last_price=yes_price)
        self._submit(
            TradeRecord(self.session_id, trade_id, ticker, yes_price, count, str(side), ts_ms)
        )
        self.bus.publish(
            TradeReceived(
                ticker,
                trade_id,
                yes_price,
                _ONE - yes_price if no_price is None else no_price,
                count,
                str(side),
                ts_ms,
                received_ns,
            )
        )

    def _on_ticker(self, body: Mapping[str, Any], received_ns: int) -> None:
        try:
            ticker = wire.required_str(body, "market_ticker")
            last = wire.optional_price(body, "price_dollars", "price")
            yes_bid = wire.optional_price(body, "yes_bid_dollars", "yes_bid")
            yes_ask = wire.optional_price(body, "yes_ask_dollars", "yes_ask")
            volume = wire.optional_count(body, "volume_fp", "volume")
            open_interest = wire.optional_count(body, "open_interest_fp", "open_interest")
        except wire.MessageError as exc:
            log.warning("unreadable ticker message: %s", exc)
            self._reject(None, "malformed")
            return
        self.counters.tickers += 1
        # Kalshi reports "no trade yet" as a 0 price; keep the catalog's None then.
        self.catalog.record_activity(
            ticker, last_price=last or None, volume=volume, open_interest=open_interest
        )
        self.bus.publish(
            TickerUpdated(
                ticker,
                last or None,
                yes_bid,
                yes_ask,
                volume,
                open_interest,
                wire.optional_int(body, "ts_ms"),
                received_ns,
            )
        )

    # --- health -----------------------------------------------------------------------

    def health(self) -> OrderbookClientHealth:
        c = self.counters
        stats = self.books.stats()
        last = self._last_message_ns
        return OrderbookClientHealth(
            markets=stats.markets,
            ready_markets=stats.ready,
            messages=c.messages,
            snapshots=c.snapshots,
            deltas=c.deltas,
            trades=c.trades,
            rejects=c.rejects,
            reject_reasons=dict(self.reject_reasons),
            skipped=c.skipped,
            resyncs=c.resyncs,
            snapshot_requests=c.snapshot_requests,
            recorded=c.recorded,
            record_drops=c.record_drops,
            published=c.published,
            last_message_age_s=None if last is None else max(0.0, (time.time_ns() - last) / 1e9),
            connected=self._connected,
            stream=self.stream.health(),
        )

    def component_health(self, name: str = "orderbook_client") -> ComponentHealth:
        h = self.health()
        detail = (
            f"{h.ready_markets}/{h.markets} books ready, {h.messages} messages, "
            f"{h.rejects} rejects, {h.resyncs} resyncs, {h.record_drops} record drops"
        )
        if self._task is None:
            return ComponentHealth(name, ComponentState.STOPPED, detail)
        if not h.stream.connected:
            state = ComponentState.STARTING if h.stream.connects == 0 else ComponentState.DEGRADED
            return ComponentHealth(name, state, f"stream not connected; {detail}")
        if h.ready_markets < h.markets:
            return ComponentHealth(name, ComponentState.DEGRADED, detail)
        return ComponentHealth(name, ComponentState.RUNNING, detail)


__all__ = [
    "BOOK_CHANNEL",
    "LIFECYCLE_CHANNEL",
    "MARKET_CHANNELS",
    "FeedCounters",
    "LifecycleListener",
    "OrderbookClient",
    "OrderbookClientHealth",
    "RecordSink",
]
