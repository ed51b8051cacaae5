"""Subscriptions and per-connection send queues: engine events in, encoded frames out.

One :class:`WsHub` per simulated environment listens to its ``Exchange``. The engine calls
:meth:`WsHub.on_event` synchronously on the event-loop thread, so the listener must be cheap
and must never wait for a socket: it encodes each message body once, wraps it with each
subscription's ``sid``/``seq`` and appends the bytes to that connection's :class:`Connection`
queue. A writer task per connection (:meth:`Connection.run_writer`) drains the queue to the
socket. A client that reads too slowly lets its queue grow; past ``max_queue_bytes`` the
connection is closed with Kalshi's buffer-overflow error (code 25) instead of dropping
messages, because a silently dropped ``orderbook_delta`` corrupts the client's book.

Commands are handled synchronously too (:meth:`WsHub.handle`), so an ``orderbook_snapshot``
read from the engine and the deltas that follow it can never interleave wrongly.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

from kalshiflow.exchange_sim.engine.exchange import Exchange
from kalshiflow.exchange_sim.engine.types import (
    BookChange,
    EngineEvent,
    ExchangeError,
    Fill,
    MarketLifecycle,
    OrderUpdate,
    PositionUpdate,
    Trade,
)
from kalshiflow.exchange_sim.server import ws_channels as wire
from kalshiflow.exchange_sim.server.faults import FaultInjector
from kalshiflow.exchange_sim.server.ws_protocol import (
    AUTH_CHANNELS,
    MARKETS_REQUIRED,
    NO_MARKET_FILTER,
    PRIVATE_CHANNELS,
    SEQUENCED,
    Action,
    Channel,
    Command,
    CommandError,
    ErrorCode,
    ListSubscriptions,
    Subscribe,
    Unsubscribe,
    UpdateSubscription,
    encode_error,
    encode_list,
    encode_ok_markets,
    encode_subscribed,
    encode_unsubscribed,
    parse_command,
)
from kalshiflow.kalshi.fixedpoint import Count

log = logging.getLogger(__name__)
_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class WsConfig:
    """Tunables of the WebSocket server (defaults follow Kalshi where it is known)."""

    ping_interval_s: float = 10.0  # Kalshi pings every 10 s with payload "heartbeat"
    max_queue_bytes: int = 16 * 1024 * 1024  # unsent bytes per connection before overflow
    close_timeout_s: float = 1.0  # how long an overflowing client gets to take the close frame
    # Kalshi briefly (2026-01/03) accepted unsigned upgrades for public channels; off by
    # default because the current exchange answers 401.
    allow_unauthenticated: bool = False


class Subscription:
    """One ``sid`` of one connection: a channel and its market filter."""

    __slots__ = (
        "channel",
        "conn",
        "prefix",
        "seq",
        "sid",
        "skip_ticker_ack",
        "tickers",
        "use_yes_price",
    )

    def __init__(
        self,
        conn: Connection,
        sid: int,
        channel: str,
        tickers: dict[str, None] | None,
        skip_ticker_ack: bool,
        use_yes_price: bool = False,
    ) -> None:
        self.conn = conn
        self.sid = sid
        self.channel = channel
        # Insertion-ordered set of markets; None = every market (or no filter applies).
        self.tickers = tickers
        self.skip_ticker_ack = skip_ticker_ack
        self.use_yes_price = use_yes_price and channel == Channel.ORDERBOOK_DELTA
        self.seq = 0
        self.prefix = wire.envelope_prefix(channel, sid)  # unused type for non-book channels

    def covers(self, ticker: str) -> bool:
        return self.tickers is None or ticker in self.tickers


class Connection:
    """One WebSocket client: its subscriptions and its bounded queue of encoded frames."""

    __slots__ = (
        "_bytes",
        "_closed",
        "_frames",
        "_max_bytes",
        "_on_overflow",
        "_waiter",
        "account_id",
        "next_sid",
        "overflowed",
        "subs",
    )

    def __init__(
        self,
        account_id: str | None,
        max_queue_bytes: int,
        on_overflow: Callable[[Connection], None],
    ) -> None:
        self.account_id = account_id
        self.subs: dict[int, Subscription] = {}
        self.next_sid = 1
        self.overflowed = False
        self._frames: deque[bytes] = deque()
        self._bytes = 0
        self._max_bytes = max_queue_bytes
        self._on_overflow = on_overflow
        self._waiter: asyncio.Future[None] | None = None
        self._closed = False

    @property
    def queued_bytes(self) -> int:
        return self._bytes

    @property
    def queued_frames(self) -> int:
        return len(self._frames)

    def send(self, frame: bytes) -> None:
        """Queue a frame; never blocks. Overflow marks the connection for closing."""
        if self._closed:
            return
        self._frames.append(frame)
        self._bytes += len(frame)
        if self._bytes > self._max_bytes:
            self.overflowed = True
            self._closed = True
            # Nothing more is sent to a client that has fallen this far behind: it has to
            # reconnect and resubscribe (error 25 is terminal on Kalshi).
            self._frames.clear()
            self._bytes = 0
            self._wake()
            self._on_overflow(self)
            return
        waiter = self._waiter
        if waiter is not None:
            self._waiter = None
            if not waiter.done():
                waiter.set_result(None)

    def close(self) -> None:
        self._closed = True
        self._wake()

    def _wake(self) -> None:
        waiter, self._waiter = self._waiter, None
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    async def run_writer(
        self,
        send_batch: Callable[[list[bytes]], Awaitable[None]],
        delay_s: Callable[[], float],
        batch_bytes: int = 256 * 1024,
    ) -> None:
        """Drain the queue to the socket until the connection closes.

        Frames go out in batches (one socket write per batch): on a busy book a syscall per
        frame would cost more than everything else on the delta path together.
        """
        frames = self._frames
        loop = asyncio.get_running_loop()
        while True:
            if not frames:
                if self._closed:
                    return
                self._waiter = loop.create_future()
                await self._waiter
                continue
            delay = delay_s()
            if delay > 0:
                # Injected latency applies to each message, so send them one at a time.
                frame = frames.popleft()
                self._bytes -= len(frame)
                await asyncio.sleep(delay)
                await send_batch([frame])
                continue
            batch: list[bytes] = []
            size = 0
            while frames and size < batch_bytes:
                frame = frames.popleft()
                batch.append(frame)
                size += len(frame)
            self._bytes -= size
            await send_batch(batch)


class WsHub:
    """Fan-out of one exchange's events to the subscriptions of every open connection."""

    def __init__(
        self,
        exchange: Exchange,
        faults: FaultInjector | None = None,
        config: WsConfig | None = None,
    ) -> None:
        self.exchange = exchange
        self.faults = faults if faults is not None else FaultInjector()
        self.config = config if config is not None else WsConfig()
        self.connections: set[Connection] = set()
        # Indexes from an event's key to the subscriptions it goes to.
        self._book: dict[str, list[Subscription]] = {}  # orderbook_delta by market
        self._by_market: dict[str, dict[str, list[Subscription]]] = {
            Channel.TICKER: {},
            Channel.TRADE: {},
        }
        self._all_markets: dict[str, list[Subscription]] = {
            Channel.TICKER: [],
            Channel.TRADE: [],
            Channel.MARKET_LIFECYCLE_V2: [],
        }
        self._private: dict[str, list[Subscription]] = {}  # by account id
        # Ticker messages are coalesced: a burst of book changes from one order yields one
        # ticker update per market, computed after the burst.
        self._dirty_tickers: set[str] = set()
        self._ticker_flush_scheduled = False
        self._last_ticker: dict[str, tuple[object, ...]] = {}
        self._last_trade_size: dict[str, Count] = {}
        # Events are announced (event_lifecycle) with their first market; those that already
        # have markets were announced before this hub existed.
        self._announced_events: set[str] = {m.event_ticker for m in exchange.markets()}
        self._loop: asyncio.AbstractEventLoop | None = None
        exchange.subscribe(self.on_event)

    def close(self) -> None:
        """Stop listening to the exchange (the app is shutting down)."""
        self.exchange.unsubscribe(self.on_event)
        for conn in list(self.connections):
            conn.close()

    # ---- connections ---------------------------------------------------------------------

    def connect(
        self, account_id: str | None, on_overflow: Callable[[Connection], None]
    ) -> Connection:
        if self._loop is None:
            self._loop = asyncio.get_running_loop()
        conn = Connection(account_id, self.config.max_queue_bytes, on_overflow)
        self.connections.add(conn)
        return conn

    def disconnect(self, conn: Connection) -> None:
        for sub in list(conn.subs.values()):
            self._unindex(sub)
        conn.subs.clear()
        conn.close()
        self.connections.discard(conn)

    # ---- commands ------------------------------------------------------------------------

    def handle(self, conn: Connection, raw: str | bytes) -> None:
        """Run one client command; replies (and snapshots) are queued on ``conn``."""
        try:
            command = parse_command(raw)
            self._dispatch(conn, command)
        except CommandError as error:
            conn.send(encode_error(error))
        except Exception:
            log.exception("WebSocket command failed: %r", raw[:200])
            conn.send(encode_error(CommandError(ErrorCode.INTERNAL_ERROR)))

    def _dispatch(self, conn: Connection, command: Command) -> None:
        if isinstance(command, Subscribe):
            self._subscribe(conn, command)
        elif isinstance(command, Unsubscribe):
            self._unsubscribe(conn, command)
        elif isinstance(command, UpdateSubscription):
            self._update(conn, command)
        elif isinstance(command, ListSubscriptions):
            subs = sorted(conn.subs.values(), key=lambda s: s.sid)
            conn.send(encode_list(command.cmd_id, [(s.channel, s.sid) for s in subs]))

    def _check_markets(self, tickers: Iterable[str], cmd_id: int | None) -> None:
        for ticker in tickers:
            try:
                self.exchange.market(ticker)
            except ExchangeError:
                raise CommandError(
                    ErrorCode.MARKET_NOT_FOUND, cmd_id, market_ticker=ticker
                ) from None

    def _subscribe(self, conn: Connection, cmd: Subscribe) -> None:
        # Validate everything first: a failing subscribe creates no subscription at all.
        if conn.account_id is None:
            for channel in cmd.channels:
                if channel in AUTH_CHANNELS:
                    raise CommandError(ErrorCode.AUTH_REQUIRED, cmd.cmd_id, detail=channel)
        for channel in cmd.channels:
            if channel in MARKETS_REQUIRED and not cmd.market_tickers:
                raise CommandError(ErrorCode.MARKET_TICKER_REQUIRED, cmd.cmd_id, detail=channel)
        filtered = any(c not in NO_MARKET_FILTER for c in cmd.channels)
        if cmd.market_tickers and filtered:
            self._check_markets(cmd.market_tickers, cmd.cmd_id)
        for channel in cmd.channels:
            tickers = (
                None
                if channel in NO_MARKET_FILTER or cmd.market_tickers is None
                else dict.fromkeys(cmd.market_tickers)
            )
            yes_price = cmd.use_yes_price and channel == Channel.ORDERBOOK_DELTA
            existing = self._find_same(conn, channel, tickers, yes_price)
            if existing is not None:
                # Kalshi made re-subscribing idempotent (error 6 is retired): same sid again.
                conn.send(encode_subscribed(cmd.cmd_id, channel, existing.sid))
                continue
            sub = Subscription(
                conn, conn.next_sid, channel, tickers, cmd.skip_ticker_ack, yes_price
            )
            conn.next_sid += 1
            conn.subs[sub.sid] = sub
            self._index(sub, tickers)
            conn.send(encode_subscribed(cmd.cmd_id, channel, sub.sid))
            if channel == Channel.ORDERBOOK_DELTA and tickers:
                self._send_snapshots(sub, tickers)
            elif channel == Channel.TICKER and cmd.send_initial_snapshot and tickers:
                for ticker in tickers:
                    self._send_ticker(sub, ticker)

    @staticmethod
    def _find_same(
        conn: Connection, channel: str, tickers: dict[str, None] | None, use_yes_price: bool
    ) -> Subscription | None:
        for sub in conn.subs.values():
            if sub.channel != channel or sub.use_yes_price != use_yes_price:
                continue
            if (sub.tickers is None) == (tickers is None) and (
                tickers is None or set(tickers) == set(sub.tickers or ())
            ):
                return sub
        return None

    def _unsubscribe(self, conn: Connection, cmd: Unsubscribe) -> None:
        for sid in cmd.sids:
            sub = conn.subs.pop(sid, None)
            if sub is None:
                conn.send(
                    encode_error(CommandError(ErrorCode.UNKNOWN_SID, cmd.cmd_id, detail=str(sid)))
                )
                continue
            self._unindex(sub)
            seq = sub.seq if sub.channel in SEQUENCED else None
            conn.send(encode_unsubscribed(cmd.cmd_id, sid, seq))

    def _update(self, conn: Connection, cmd: UpdateSubscription) -> None:
        sub = conn.subs.get(cmd.sid)
        if sub is None:
            raise CommandError(ErrorCode.UNKNOWN_SID, cmd.cmd_id, detail=str(cmd.sid))
        if sub.channel in NO_MARKET_FILTER:
            raise CommandError(
                ErrorCode.UNSUPPORTED_ACTION,
                cmd.cmd_id,
                detail=f"{sub.channel} has no market filter to update",
            )
        if cmd.action == Action.GET_SNAPSHOT:
            self._get_snapshot(sub, cmd)
            return
        if cmd.market_tickers is None:
            raise CommandError(ErrorCode.MARKET_TICKER_REQUIRED, cmd.cmd_id)
        if sub.tickers is None:
            raise CommandError(
                ErrorCode.INVALID_PARAMETER,
                cmd.cmd_id,
                detail="this subscription already covers every market; subscribe with "
                "market_tickers to manage a market list",
            )
        added: list[str] = []
        if cmd.action == Action.ADD_MARKETS:
            self._check_markets(cmd.market_tickers, cmd.cmd_id)
            added = [t for t in cmd.market_tickers if t not in sub.tickers]
            sub.tickers.update(dict.fromkeys(added))
            self._index_markets(sub, added)
        else:  # delete_markets
            removed = [t for t in cmd.market_tickers if t in sub.tickers]
            for ticker in removed:
                del sub.tickers[ticker]
            self._unindex_markets(sub, removed)
        self._send_ok(sub, cmd.cmd_id)
        if sub.channel == Channel.ORDERBOOK_DELTA and added:
            self._send_snapshots(sub, added)

    def _get_snapshot(self, sub: Subscription, cmd: UpdateSubscription) -> None:
        if sub.channel != Channel.ORDERBOOK_DELTA:
            raise CommandError(
                ErrorCode.UNSUPPORTED_ACTION,
                cmd.cmd_id,
                detail="get_snapshot is only for orderbook_delta",
            )
        tickers = list(sub.tickers or ()) if cmd.market_tickers is None else cmd.market_tickers
        for ticker in tickers:
            if sub.tickers is not None and ticker not in sub.tickers:
                raise CommandError(
                    ErrorCode.INVALID_PARAMETER,
                    cmd.cmd_id,
                    detail=f"{ticker} is not in subscription {sub.sid}",
                    market_ticker=ticker,
                )
        self._send_ok(sub, cmd.cmd_id)
        self._send_snapshots(sub, tickers)

    def _send_ok(self, sub: Subscription, cmd_id: int | None) -> None:
        seq = sub.seq if sub.channel in SEQUENCED else None
        tickers = None if sub.skip_ticker_ack else list(sub.tickers or ())
        sub.conn.send(encode_ok_markets(cmd_id, sub.sid, seq, tickers))

    # ---- indexes -------------------------------------------------------------------------

    def _index(self, sub: Subscription, tickers: dict[str, None] | None) -> None:
        channel = sub.channel
        if channel in PRIVATE_CHANNELS:
            assert sub.conn.account_id is not None
            self._private.setdefault(sub.conn.account_id, []).append(sub)
        elif channel == Channel.ORDERBOOK_DELTA:
            for ticker in tickers or ():
                self._book.setdefault(ticker, []).append(sub)
        elif tickers is None:
            self._all_markets[channel].append(sub)
        else:
            index = self._by_market[channel]
            for ticker in tickers:
                index.setdefault(ticker, []).append(sub)

    def _market_index(self, sub: Subscription) -> dict[str, list[Subscription]] | None:
        """The per-market index a market-filtered subscription lives in (None: filtered
        at delivery instead, as private channels are indexed by account)."""
        if sub.channel in PRIVATE_CHANNELS:
            return None
        if sub.channel == Channel.ORDERBOOK_DELTA:
            return self._book
        return self._by_market[sub.channel]

    def _index_markets(self, sub: Subscription, tickers: Iterable[str]) -> None:
        index = self._market_index(sub)
        if index is not None:
            for ticker in tickers:
                index.setdefault(ticker, []).append(sub)

    def _unindex_markets(self, sub: Subscription, tickers: Iterable[str]) -> None:
        index = self._market_index(sub)
        if index is not None:
            for ticker in tickers:
                _remove(index, ticker, sub)

    def _unindex(self, sub: Subscription) -> None:
        channel = sub.channel
        if channel in PRIVATE_CHANNELS:
            assert sub.conn.account_id is not None
            _remove(self._private, sub.conn.account_id, sub)
        elif channel == Channel.ORDERBOOK_DELTA:
            for ticker in sub.tickers or ():
                _remove(self._book, ticker, sub)
        elif sub.tickers is None:
            self._all_markets[channel].remove(sub)
        else:
            for ticker in sub.tickers:
                _remove(self._by_market[channel], ticker, sub)

    # ---- sending -------------------------------------------------------------------------

    def _send_seq(self, sub: Subscription, body: bytes) -> None:
        # The fault injector can make one sequenced message jump its seq (a simulated gap).
        sub.seq += 1 + self.faults.take_seq_skip()
        sub.conn.send(b'%b%d,"msg":%b}' % (sub.prefix, sub.seq, body))

    def _send_snapshots(self, sub: Subscription, tickers: Iterable[str]) -> None:
        for ticker in tickers:
            yes, no = self.exchange.orderbook(ticker)
            body = wire.snapshot_body(ticker, yes, no, use_yes_price=sub.use_yes_price)
            sub.seq += 1 + self.faults.take_seq_skip()
            sub.conn.send(wire.envelope("orderbook_snapshot", sub.sid, sub.seq, body))

    def _send_ticker(self, sub: Subscription, ticker: str) -> None:
        body = self._ticker_body(ticker)[1]
        sub.conn.send(wire.envelope(Channel.TICKER, sub.sid, None, body))

    def _ticker_body(self, ticker: str) -> tuple[tuple[object, ...], bytes]:
        market = self.exchange.market(ticker)
        yes, no = self.exchange.orderbook(ticker, depth=1)
        best_yes = yes[-1] if yes else None
        best_no = no[-1] if no else None
        last_size = self._last_trade_size.get(ticker)
        if last_size is None:
            trades = self.exchange.trades(ticker, limit=1)
            last_size = trades[0].count if trades else Count(0)
            self._last_trade_size[ticker] = last_size
        state = (
            market.last_price,
            best_yes,
            best_no,
            market.volume,
            market.open_interest,
            last_size,
        )
        body = wire.ticker_body(market, best_yes, best_no, last_size, self.exchange.now_ms())
        return state, body

    # ---- engine events -------------------------------------------------------------------

    def on_event(self, event: EngineEvent) -> None:
        """Engine listener: route one event to its subscriptions (must stay cheap).

        Never raises: an exception here would abort the engine's event flush for every
        other listener.
        """
        try:
            self._route(event)
        except Exception:
            log.exception("WebSocket fan-out failed for %r", event)

    def _route(self, event: EngineEvent) -> None:
        kind = type(event)
        if kind is BookChange:
            assert isinstance(event, BookChange)
            self._on_book_change(event)
        elif kind is Trade:
            assert isinstance(event, Trade)
            self._on_trade(event)
        elif kind is Fill:
            assert isinstance(event, Fill)
            self._send_private(event.account_id, Channel.FILL, event.ticker, wire.fill_body, event)
        elif kind is OrderUpdate:
            assert isinstance(event, OrderUpdate)
            order = event.order
            self._send_private(
                order.account_id, Channel.USER_ORDERS, order.ticker, wire.user_order_body, order
            )
        elif kind is PositionUpdate:
            assert isinstance(event, PositionUpdate)
            self._send_private(
                event.account_id,
                Channel.MARKET_POSITIONS,
                event.ticker,
                wire.position_body,
                event,
            )
        elif kind is MarketLifecycle:
            assert isinstance(event, MarketLifecycle)
            self._on_lifecycle(event)

    def _on_book_change(self, change: BookChange) -> None:
        ticker = change.ticker
        subs = self._book.get(ticker)
        if subs and change.delta:
            public: bytes | None = None
            owner = change.account_id if change.client_order_id is not None else None
            no_side = change.side == "no"
            for sub in subs:
                own = owner is not None and sub.conn.account_id == owner
                if own or (no_side and sub.use_yes_price):
                    # Rare variants (the subscriber's own order, YES pricing of NO levels)
                    # are encoded per subscription; everyone else shares one body.
                    body = wire.delta_body(change, own=own, use_yes_price=sub.use_yes_price)
                else:
                    if public is None:
                        public = wire.delta_body(change, own=False)
                    body = public
                self._send_seq(sub, body)
        if self._all_markets[Channel.TICKER] or ticker in self._by_market[Channel.TICKER]:
            self._mark_ticker_dirty(ticker)

    def _on_trade(self, trade: Trade) -> None:
        ticker = trade.ticker
        self._last_trade_size[ticker] = trade.count
        body: bytes | None = None
        for sub in self._subs_for(Channel.TRADE, ticker):
            if body is None:
                body = wire.trade_body(trade)
            sub.conn.send(wire.envelope(Channel.TRADE, sub.sid, None, body))
        if self._all_markets[Channel.TICKER] or ticker in self._by_market[Channel.TICKER]:
            self._mark_ticker_dirty(ticker)

    def _subs_for(self, channel: str, ticker: str) -> list[Subscription]:
        by_market = self._by_market[channel].get(ticker)
        everything = self._all_markets[channel]
        if not by_market:
            return everything
        if not everything:
            return by_market
        return by_market + everything

    def _send_private(
        self,
        account_id: str,
        channel: str,
        ticker: str,
        encode: Callable[[_T], bytes],
        item: _T,
    ) -> None:
        subs = self._private.get(account_id)
        if not subs:
            return
        body: bytes | None = None
        type_ = _PRIVATE_TYPE[channel]
        for sub in subs:
            if sub.channel == channel and sub.covers(ticker):
                if body is None:
                    body = encode(item)
                sub.conn.send(wire.envelope(type_, sub.sid, None, body))

    def _on_lifecycle(self, event: MarketLifecycle) -> None:
        subs = self._all_markets[Channel.MARKET_LIFECYCLE_V2]
        market = event.market
        if event.event_type == "created" and market is not None:
            event_ticker = market.event_ticker
            if event_ticker not in self._announced_events:
                # The engine has no event-created event: announce an event with the first
                # market listed in it, as Kalshi's event_lifecycle message does.
                self._announced_events.add(event_ticker)
                if subs:
                    try:
                        ev = self.exchange.event(event_ticker)
                    except ExchangeError:
                        ev = None
                    if ev is not None:
                        body = wire.event_lifecycle_body(ev)
                        for sub in subs:
                            sub.conn.send(wire.envelope("event_lifecycle", sub.sid, None, body))
        if subs:
            body = wire.lifecycle_body(event)
            for sub in subs:
                sub.conn.send(wire.envelope(Channel.MARKET_LIFECYCLE_V2, sub.sid, None, body))

    def _mark_ticker_dirty(self, ticker: str) -> None:
        self._dirty_tickers.add(ticker)
        if self._ticker_flush_scheduled:
            return
        loop = self._loop
        if loop is None:
            self.flush_tickers()
            return
        self._ticker_flush_scheduled = True
        loop.call_soon(self.flush_tickers)

    def flush_tickers(self) -> None:
        """Send one ticker message per market whose ticker fields changed since the last."""
        self._ticker_flush_scheduled = False
        dirty, self._dirty_tickers = self._dirty_tickers, set()
        for ticker in dirty:
            subs = self._subs_for(Channel.TICKER, ticker)
            if not subs:
                continue
            state, body = self._ticker_body(ticker)
            if self._last_ticker.get(ticker) == state:
                continue
            self._last_ticker[ticker] = state
            for sub in subs:
                sub.conn.send(wire.envelope(Channel.TICKER, sub.sid, None, body))


_PRIVATE_TYPE = {
    Channel.FILL: "fill",
    Channel.USER_ORDERS: "user_order",
    Channel.MARKET_POSITIONS: "market_position",
}


def _remove(index: dict[str, list[Subscription]], key: str, sub: Subscription) -> None:
    subs = index.get(key)
    if subs is None:
        return
    try:
        subs.remove(sub)
    except ValueError:
        return
    if not subs:
        del index[key]


__all__ = ["Connection", "Subscription", "WsConfig", "WsHub"]
