"""A small real Kalshi-protocol WebSocket server and a book builder for the stream tests.

Not a test module (it holds no tests); named ``test_stream_*`` to live in the stream's area.
The server speaks the trade-api v2 WebSocket protocol over a real socket (subscribe,
unsubscribe, update_subscription add/delete/get_snapshot, list_subscriptions, numbered
errors, per-sid seq) with fault injection, and serves the REST orderbook endpoint on the same
port so tests can compare a client-built book with the exchange's.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

import httpx
import orjson
from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.http11 import Request, Response

from kalshiflow.kalshi.fixedpoint import (
    Count,
    Price,
    format_count,
    format_price,
    parse_count,
    parse_price,
)
from kalshiflow.kalshi.stream import KalshiStream
from kalshiflow.kalshi.stream_events import StreamEvent, StreamEventKind

WS_PATH = "/trade-api/ws/v2"
CHANNELS = frozenset(
    {
        "orderbook_delta",
        "ticker",
        "trade",
        "fill",
        "market_positions",
        "user_orders",
        "market_lifecycle_v2",
    }
)
Book = dict[str, dict[int, int]]  # side ("yes"/"no") -> Price units -> Count units


def empty_book() -> Book:
    return {"yes": {}, "no": {}}


@dataclass
class _Sub:
    sid: int
    channel: str
    tickers: set[str] | None
    seq: int = 0


@dataclass(eq=False)
class _Conn:
    ws: ServerConnection
    subs: dict[int, _Sub] = field(default_factory=dict)
    next_sid: int = 1
    out: asyncio.Queue[bytes] = field(default_factory=asyncio.Queue)
    frozen: bool = False


class FakeSigner:
    """Stands in for KalshiAuth: records what it was asked to sign."""

    SECRET = "SIGNATURE-THAT-MUST-NOT-BE-LOGGED"

    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []

    def headers(self, method: str, path: str) -> dict[str, str]:
        self.calls.append((method, path))
        return {
            "KALSHI-ACCESS-KEY": "key-id",
            "KALSHI-ACCESS-TIMESTAMP": str(int(time.time() * 1000)),
            "KALSHI-ACCESS-SIGNATURE": self.SECRET,
        }


class FakeKalshiServer:
    def __init__(
        self,
        tickers: Iterable[str] = ("MKT-A", "MKT-B", "MKT-C"),
        *,
        support_get_snapshot: bool = True,
        require_auth: bool = True,
    ) -> None:
        self.books: dict[str, Book] = {t: empty_book() for t in tickers}
        self.support_get_snapshot = support_get_snapshot
        self.require_auth = require_auth
        self.conns: set[_Conn] = set()
        self.commands: list[dict[str, Any]] = []
        self.upgrade_headers: list[dict[str, str]] = []
        self.accepted = 0
        self._refuse_until = 0.0
        self._refuse_status = 503
        self._skip_seq = 0
        self.delay = 0.0
        self.dedupe_subscriptions = False
        self.mute_get_snapshot = False  # acknowledge get_snapshot but send no snapshots
        # Called once, right after the first snapshot a get_snapshot sends (to inject faults
        # in the middle of a resync).
        self.after_first_resync_snapshot: Callable[[], None] | None = None
        self._server: Server | None = None
        self._writers: set[asyncio.Task[None]] = set()
        self.port = 0

    # -- lifecycle -------------------------------------------------------------------------

    async def start(self) -> None:
        self._server = await serve(
            self._handler,
            "127.0.0.1",
            0,
            process_request=self._process_request,
            ping_interval=None,
        )
        sock = next(iter(self._server.sockets))
        self.port = sock.getsockname()[1]

    async def stop(self) -> None:
        self.drop_all()  # frozen connections would otherwise stall the closing handshake
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
        for task in list(self._writers):
            task.cancel()
        if self._writers:
            await asyncio.wait(self._writers)

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}{WS_PATH}"

    @property
    def rest_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/trade-api/v2"

    # -- faults ----------------------------------------------------------------------------

    def drop_all(self) -> int:
        """Reset every connection without a close frame (like a network failure)."""
        conns = list(self.conns)
        for conn in conns:
            conn.ws.transport.abort()
        return len(conns)

    def refuse_upgrades(self, status: int, seconds: float) -> None:
        self._refuse_status = status
        self._refuse_until = time.monotonic() + seconds

    def skip_seq(self, count: int = 1) -> None:
        """Lose the next ``count`` orderbook messages: their seq numbers are consumed unsent."""
        self._skip_seq += count

    def freeze(self) -> None:
        """Go silent like a dead peer: send nothing, read nothing (so no pongs either)."""
        for conn in self.conns:
            conn.frozen = True
            conn.ws.transport.pause_reading()

    # -- market mutations ------------------------------------------------------------------

    def apply(self, ticker: str, side: str, price: int, delta: int) -> None:
        level = self.books[ticker][side]
        new = level.get(price, 0) + delta
        assert new >= 0, "test bug: negative level"
        if new:
            level[price] = new
        else:
            level.pop(price, None)
        body = {
            "market_ticker": ticker,
            "market_id": f"id-{ticker}",
            "price_dollars": format_price(price),
            "delta_fp": format_count(delta),
            "side": side,
            "ts_ms": int(time.time() * 1000),
        }
        for conn, sub in self._subs_for("orderbook_delta", ticker):
            self._emit_seq(conn, sub, "orderbook_delta", body)

    def random_step(self, rng: random.Random) -> None:
        ticker = rng.choice(sorted(self.books))
        side = rng.choice(("yes", "no"))
        level = self.books[ticker][side]
        if level and rng.random() < 0.4:
            price = rng.choice(sorted(level))
            self.apply(ticker, side, price, -rng.randint(1, level[price]))
        else:
            price = rng.randint(1, 99) * 100
            self.apply(ticker, side, price, rng.randint(1, 500))

    def publish_trade(self, ticker: str) -> None:
        body = {"market_ticker": ticker, "yes_price_dollars": "0.5000", "count_fp": "1.00"}
        for conn, sub in self._subs_for("trade", ticker):
            self._send(conn, {"type": "trade", "sid": sub.sid, "msg": body})

    def send_channel_error(self, sid: int, code: int) -> None:
        for conn in self.conns:
            if sid in conn.subs:
                del conn.subs[sid]
                self._send(
                    conn,
                    {"type": "error", "sid": sid, "msg": {"code": code, "msg": "Channel error"}},
                )

    def rest_book(self, ticker: str) -> Book:
        book = self.books[ticker]
        return {side: dict(levels) for side, levels in book.items()}

    # -- HTTP side -------------------------------------------------------------------------

    def _process_request(self, conn: ServerConnection, request: Request) -> Response | None:
        path = request.path.split("?", 1)[0]
        if path.startswith("/trade-api/v2/markets/") and path.endswith("/orderbook"):
            ticker = path.split("/")[4]
            if ticker not in self.books:
                return self._json(conn, 404, {"error": {"code": "not_found"}})
            book = self.books[ticker]
            body = {
                "orderbook_fp": {
                    f"{side}_dollars": [
                        [format_price(p), format_count(c)] for p, c in sorted(book[side].items())
                    ]
                    for side in ("yes", "no")
                }
            }
            return self._json(conn, 200, body)
        if time.monotonic() < self._refuse_until:
            return conn.respond(self._refuse_status, "upgrade refused by fault injection\n")
        if path != WS_PATH:
            return conn.respond(HTTPStatus.NOT_FOUND, "not found\n")
        headers = {k.upper(): v for k, v in request.headers.raw_items()}
        self.upgrade_headers.append(headers)
        if self.require_auth and "KALSHI-ACCESS-SIGNATURE" not in headers:
            return self._json(conn, 401, {"error": {"code": "signature_is_missing_from_headers"}})
        return None

    @staticmethod
    def _json(conn: ServerConnection, status: int, body: object) -> Response:
        response = conn.respond(status, orjson.dumps(body).decode())
        response.headers["Content-Type"] = "application/json"
        return response

    # -- WebSocket side --------------------------------------------------------------------

    async def _handler(self, ws: ServerConnection) -> None:
        conn = _Conn(ws)
        self.conns.add(conn)
        self.accepted += 1
        writer = asyncio.create_task(self._writer(conn))
        self._writers.add(writer)
        writer.add_done_callback(self._writers.discard)
        try:
            async for raw in ws:
                if conn.frozen:
                    continue
                self._command(conn, orjson.loads(raw))
        except Exception:  # connection reset: the client's problem to recover from
            pass
        finally:
            self.conns.discard(conn)
            writer.cancel()

    async def _writer(self, conn: _Conn) -> None:
        with contextlib.suppress(Exception):
            while True:
                frame = await conn.out.get()
                if self.delay:
                    await asyncio.sleep(self.delay)
                if conn.frozen:
                    continue
                await conn.ws.send(frame.decode(), text=True)

    def _send(self, conn: _Conn, message: dict[str, Any]) -> None:
        conn.out.put_nowait(orjson.dumps(message))

    def _emit_seq(self, conn: _Conn, sub: _Sub, mtype: str, body: dict[str, Any]) -> None:
        sub.seq += 1
        if self._skip_seq and mtype == "orderbook_delta":
            self._skip_seq -= 1
            return  # the number is used up but the message never leaves: a real gap
        self._send(conn, {"type": mtype, "sid": sub.sid, "seq": sub.seq, "msg": body})

    def _subs_for(self, channel: str, ticker: str) -> list[tuple[_Conn, _Sub]]:
        found = []
        for conn in self.conns:
            for sub in conn.subs.values():
                if sub.channel == channel and (sub.tickers is None or ticker in sub.tickers):
                    found.append((conn, sub))
        return found

    def _snapshot(self, conn: _Conn, sub: _Sub, ticker: str) -> None:
        book = self.books[ticker]
        body: dict[str, Any] = {"market_ticker": ticker, "market_id": f"id-{ticker}"}
        for side in ("yes", "no"):
            if book[side]:
                body[f"{side}_dollars_fp"] = [
                    [format_price(p), format_count(c)] for p, c in sorted(book[side].items())
                ]
        self._emit_seq(conn, sub, "orderbook_snapshot", body)

    def _error(self, conn: _Conn, cmd_id: object, code: int, text: str, **extra: Any) -> None:
        self._send(
            conn, {"type": "error", "id": cmd_id, "msg": {"code": code, "msg": text, **extra}}
        )

    def _command(self, conn: _Conn, cmd: dict[str, Any]) -> None:
        self.commands.append(cmd)
        cmd_id = cmd.get("id")
        name = cmd.get("cmd")
        params = cmd.get("params") or {}
        if name == "subscribe":
            self._subscribe(conn, cmd_id, params)
        elif name == "unsubscribe":
            for sid in params.get("sids", []):
                sub = conn.subs.pop(sid, None)
                if sub is None:
                    self._error(conn, cmd_id, 7, "Unknown subscription ID")
                else:
                    self._send(
                        conn, {"type": "unsubscribed", "id": cmd_id, "sid": sid, "seq": sub.seq}
                    )
        elif name == "update_subscription":
            self._update(conn, cmd_id, params)
        elif name == "list_subscriptions":
            entries = [{"channel": s.channel, "sid": s.sid} for s in conn.subs.values()]
            self._send(conn, {"type": "ok", "id": cmd_id, "msg": entries})
        else:
            self._error(conn, cmd_id, 5, "Unknown command")

    def _subscribe(self, conn: _Conn, cmd_id: object, params: dict[str, Any]) -> None:
        channels = params.get("channels")
        if not channels:
            self._error(conn, cmd_id, 3, "Channels required")
            return
        tickers = params.get("market_tickers")
        for channel in channels:
            if channel not in CHANNELS:
                self._error(conn, cmd_id, 8, "Unknown channel name")
                return
        for ticker in tickers or ():
            if ticker not in self.books:
                self._error(conn, cmd_id, 16, "Market not found", market_ticker=ticker)
                return
        if "orderbook_delta" in channels and not tickers:
            self._error(conn, cmd_id, 14, "Market Ticker required")
            return
        for channel in channels:
            wanted = None if tickers is None else set(tickers)
            same = [s for s in conn.subs.values() if (s.channel, s.tickers) == (channel, wanted)]
            if self.dedupe_subscriptions and same:
                self._send(
                    conn,
                    {
                        "type": "subscribed",
                        "id": cmd_id,
                        "msg": {"channel": channel, "sid": same[0].sid},
                    },
                )
                continue
            sub = _Sub(conn.next_sid, channel, wanted)
            conn.next_sid += 1
            conn.subs[sub.sid] = sub
            self._send(
                conn,
                {"type": "subscribed", "id": cmd_id, "msg": {"channel": channel, "sid": sub.sid}},
            )
            if channel == "orderbook_delta":
                for ticker in sorted(sub.tickers or ()):
                    self._snapshot(conn, sub, ticker)

    def _update(self, conn: _Conn, cmd_id: object, params: dict[str, Any]) -> None:
        sids = params.get("sids") or ([params["sid"]] if "sid" in params else [])
        if len(sids) != 1:
            self._error(conn, cmd_id, 12, "Exactly one subscription ID is required")
            return
        sub = conn.subs.get(sids[0])
        if sub is None:
            self._error(conn, cmd_id, 7, "Unknown subscription ID")
            return
        action = params.get("action")
        tickers = list(params.get("market_tickers") or [])
        for ticker in tickers:
            if ticker not in self.books:
                self._error(conn, cmd_id, 16, "Market not found", market_ticker=ticker)
                return
        current = sub.tickers if sub.tickers is not None else set()
        if action == "add_markets":
            sub.tickers = current | set(tickers)
        elif action == "delete_markets":
            sub.tickers = current - set(tickers)
        elif action == "get_snapshot" and self.support_get_snapshot:
            pass
        else:
            self._error(conn, cmd_id, 13, "Unsupported action")
            return
        reply = {"type": "ok", "id": cmd_id, "sid": sub.sid, "seq": sub.seq}
        reply["msg"] = {"market_tickers": sorted(sub.tickers or ())}
        self._send(conn, reply)
        if action == "get_snapshot" and self.mute_get_snapshot:
            return
        if sub.channel == "orderbook_delta" and action in ("add_markets", "get_snapshot"):
            for ticker in sorted(tickers or current):
                self._snapshot(conn, sub, ticker)
                hook = self.after_first_resync_snapshot
                if action == "get_snapshot" and hook is not None:
                    self.after_first_resync_snapshot = None
                    hook()


class BookBuilder:
    """What a market-data consumer does: books from snapshots + deltas, dropped on notices."""

    def __init__(self) -> None:
        self.books: dict[str, Book] = {}
        self.events: list[StreamEvent] = []
        self.orphan_deltas = 0  # deltas for a market without a book (must stay 0)

    def feed(self, event: StreamEvent) -> None:
        self.events.append(event)
        if event.kind in (StreamEventKind.CONNECTED, StreamEventKind.RECONNECTED):
            self.books.clear()
        elif event.kind is StreamEventKind.RESYNC:
            for ticker in event.market_tickers:
                self.books.pop(ticker, None)
        elif event.kind is StreamEventKind.MESSAGE and event.channel == "orderbook_delta":
            body = event.message["msg"]
            ticker = body["market_ticker"]
            if event.type == "orderbook_snapshot":
                book = empty_book()
                for side in ("yes", "no"):
                    for wire_price, wire_count in body.get(f"{side}_dollars_fp", []):
                        book[side][parse_price(wire_price)] = parse_count(wire_count)
                self.books[ticker] = book
            elif event.type == "orderbook_delta":
                book_or_none = self.books.get(ticker)
                if book_or_none is None:
                    self.orphan_deltas += 1
                    return
                level = book_or_none[body["side"]]
                price: Price = parse_price(body["price_dollars"])
                count: Count = Count(level.get(price, 0) + parse_count(body["delta_fp"]))
                if count:
                    level[price] = count
                else:
                    level.pop(price, None)

    def kinds(self) -> list[StreamEventKind]:
        return [e.kind for e in self.events]


async def rest_book(http: httpx.AsyncClient, rest_url: str, ticker: str) -> Book:
    """The exchange's book from GET /trade-api/v2/markets/{ticker}/orderbook."""
    response = await http.get(f"{rest_url}/markets/{ticker}/orderbook")
    response.raise_for_status()
    data = response.json()["orderbook_fp"]
    book = empty_book()
    for side in ("yes", "no"):
        for price, count in data.get(f"{side}_dollars") or []:
            book[side][parse_price(price)] = parse_count(count)
    return book


async def drain(stream: KalshiStream, builder: BookBuilder, quiet: float = 0.05) -> None:
    """Feed the builder every event until none arrives for ``quiet`` seconds."""
    while True:
        try:
            async with asyncio.timeout(quiet):
                event = await stream.next_event()
        except TimeoutError:
            return
        builder.feed(event)


async def wait_for(
    stream: KalshiStream, builder: BookBuilder, predicate: Any, timeout: float = 5.0
) -> None:
    """Feed events until ``predicate()`` holds (checked after every event and every 20 ms)."""
    async with asyncio.timeout(timeout):
        while not predicate():
            try:
                async with asyncio.timeout(0.02):
                    builder.feed(await stream.next_event())
            except TimeoutError:
                continue


async def converge(
    stream: KalshiStream,
    builder: BookBuilder,
    http: httpx.AsyncClient,
    rest_url: str,
    tickers: Iterable[str],
    timeout: float = 5.0,
) -> dict[str, Book]:
    """Consume until the client-built books equal the REST books; return the REST books."""
    tickers = list(tickers)
    deadline = time.monotonic() + timeout
    while True:
        await drain(stream, builder)
        expected = {t: await rest_book(http, rest_url, t) for t in tickers}
        if all(builder.books.get(t) == expected[t] for t in tickers):
            return expected
        if time.monotonic() > deadline:
            got = {t: builder.books.get(t) for t in tickers}
            raise AssertionError(f"books never converged:\nexpected {expected}\ngot {got}")
