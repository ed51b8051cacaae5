"""``KalshiRestClient``: every trade-api v2 REST call kalshiflow needs, typed.

Works unchanged against real Kalshi and the local exchange; only the base URL and key
differ. Order creation never duplicates an order: every order carries a client_order_id,
and after an ambiguous failure (timeout, dropped connection, 5xx) the client looks the
order up by that id before sending again; a 409 ``order_already_exists`` resolves to the
order already on the exchange.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Final, Generic, TypeVar, Unpack
from urllib.parse import quote

from kalshiflow.kalshi.auth import KalshiAuth
from kalshiflow.kalshi.errors import (
    KalshiApiError,
    KalshiTransportError,
    OrderAlreadyExistsError,
    RateLimitedError,
    WireFormatError,
)
from kalshiflow.kalshi.filters import (
    EventFilters,
    FillFilters,
    MarketFilters,
    OrderFilters,
    PositionFilters,
    SettlementFilters,
    TradeFilters,
)
from kalshiflow.kalshi.fixedpoint import Count, Price, format_count, format_price
from kalshiflow.kalshi.models import (
    AccountLimits,
    AmendOrderResponse,
    Balance,
    BatchCancelResult,
    BatchCreateResult,
    BookSide,
    CancelOrderResponse,
    CreateOrderResponse,
    DecreaseOrderResponse,
    Event,
    EventPosition,
    ExchangeStatus,
    Fill,
    Market,
    MarketPosition,
    Order,
    Orderbook,
    OrderRequest,
    Series,
    Settlement,
    Trade,
)
from kalshiflow.kalshi.models._wire import cursor_of, parse_list, require_mapping
from kalshiflow.kalshi.ratelimit import CANCEL_COST, DEFAULT_COST, GET_ORDER_COST, RateLimiter
from kalshiflow.kalshi.transport import (
    HttpTransport,
    ParamValue,
    RetryPolicy,
    is_ambiguous_failure,
)

__all__ = ["KalshiRestClient", "Page", "Positions"]

log = logging.getLogger(__name__)

_T = TypeVar("_T")

MAX_BATCH_ORDERS: Final = 20
MAX_ORDERBOOK_TICKERS: Final = 100
_V2_ORDERS: Final = "/portfolio/events/orders"
_LOOKUP_MARGIN_S: Final = 300


@dataclass(frozen=True, slots=True)
class Page(Generic[_T]):
    """One page of a list endpoint; ``cursor`` is None on the last page."""

    items: tuple[_T, ...]
    cursor: str | None


@dataclass(frozen=True, slots=True)
class Positions:
    market_positions: tuple[MarketPosition, ...]
    event_positions: tuple[EventPosition, ...]
    cursor: str | None


def _seg(value: str) -> str:
    """A path segment (ticker, order id) made safe to splice into the URL."""
    if not value:
        raise ValueError("path parameter must not be empty")
    return quote(value, safe="")


def _body(model: str, payload: Any, key: str) -> Any:
    data = require_mapping(model, "<root>", payload)
    if data.get(key) is None:
        raise WireFormatError(model, key, "missing")
    return data[key]


class KalshiRestClient:
    """Async client for one Kalshi environment. Use ``async with`` or call ``aclose()``."""

    def __init__(
        self,
        base_url: str,
        auth: KalshiAuth | None = None,
        *,
        limiter: RateLimiter | None = None,
        timeout_s: float = 10.0,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], Awaitable[None]] | None = None,
    ) -> None:
        """``base_url`` e.g. ``https://external-api.kalshi.com/trade-api/v2``.

        ``limiter`` defaults to the Basic tier; pass ``RateLimiter(tier)`` for another tier.
        """
        kwargs: dict[str, Any] = {} if sleep is None else {"sleep": sleep}
        self._http = HttpTransport(
            base_url,
            auth,
            limiter=limiter if limiter is not None else RateLimiter("basic"),
            timeout_s=timeout_s,
            retry=retry or RetryPolicy(),
            **kwargs,
        )

    # --- lifecycle ----------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        return self._http.base_url

    @property
    def key_id(self) -> str | None:
        auth = self._http.auth
        return auth.key_id if auth is not None else None

    @property
    def limiter(self) -> RateLimiter | None:
        return self._http.limiter

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> KalshiRestClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        return f"KalshiRestClient(base_url={self.base_url!r}, key_id={self.key_id!r})"

    async def _get(
        self, path: str, params: Mapping[str, ParamValue] | None = None, *, cost: int = DEFAULT_COST
    ) -> Any:
        return await self._http.request("GET", path, params=params, cost=cost)

    async def _page(
        self,
        model: str,
        path: str,
        key: str,
        item: Any,
        params: Mapping[str, ParamValue],
    ) -> Page[Any]:
        payload = await self._get(path, params)
        return Page(parse_list(model, key, payload, item), cursor_of(model, payload))

    @staticmethod
    async def _iterate(
        fetch: Callable[[str | None], Awaitable[Page[_T]]],
    ) -> AsyncIterator[_T]:
        cursor: str | None = None
        seen: set[str] = set()
        while True:
            page = await fetch(cursor)
            for item in page.items:
                yield item
            if page.cursor is None or page.cursor in seen:  # a repeated cursor would loop
                return
            seen.add(page.cursor)
            cursor = page.cursor

    # --- exchange and market data (unsigned reads) -------------------------------------
    async def get_exchange_status(self) -> ExchangeStatus:
        return ExchangeStatus.from_wire(await self._get("/exchange/status"))

    async def get_markets(
        self,
        *,
        limit: int | None = None,
        cursor: str | None = None,
        event_ticker: str | None = None,
        series_ticker: str | None = None,
        tickers: Sequence[str] | None = None,
        status: str | None = None,
        min_close_ts: int | None = None,
        max_close_ts: int | None = None,
        min_created_ts: int | None = None,
        max_created_ts: int | None = None,
        min_settled_ts: int | None = None,
        max_settled_ts: int | None = None,
        min_updated_ts: int | None = None,
        mve_filter: str | None = None,
    ) -> Page[Market]:
        """``status`` uses the filter vocabulary: unopened|open|paused|closed|settled."""
        params: dict[str, ParamValue] = {
            "limit": limit,
            "cursor": cursor,
            "event_ticker": event_ticker,
            "series_ticker": series_ticker,
            "tickers": tickers,
            "status": status,
            "min_close_ts": min_close_ts,
            "max_close_ts": max_close_ts,
            "min_created_ts": min_created_ts,
            "max_created_ts": max_created_ts,
            "min_settled_ts": min_settled_ts,
            "max_settled_ts": max_settled_ts,
            "min_updated_ts": min_updated_ts,
            "mve_filter": mve_filter,
        }
        return await self._page("GetMarkets", "/markets", "markets", Market, params)

    def iter_markets(
        self, *, page_size: int = 1000, **filters: Unpack[MarketFilters]
    ) -> AsyncIterator[Market]:
        """Every market matching ``filters`` (the ``get_markets`` keywords), page by page."""
        return self._iterate(
            lambda c: self.get_markets(limit=page_size, cursor=c, **filters),
        )

    async def get_market(self, ticker: str) -> Market:
        payload = await self._get(f"/markets/{_seg(ticker)}")
        return Market.from_wire(_body("GetMarket", payload, "market"))

    async def get_orderbook(self, ticker: str, depth: int | None = None) -> Orderbook:
        """``depth`` 1..100 levels per side; None or 0 = all."""
        payload = await self._get(f"/markets/{_seg(ticker)}/orderbook", {"depth": depth})
        return Orderbook.from_wire(payload, ticker)

    async def get_orderbooks(self, tickers: Sequence[str]) -> list[Orderbook]:
        """Books of many markets, ``MAX_ORDERBOOK_TICKERS`` per request."""
        books: list[Orderbook] = []
        for start in range(0, len(tickers), MAX_ORDERBOOK_TICKERS):
            chunk = list(tickers[start : start + MAX_ORDERBOOK_TICKERS])
            payload = await self._get("/markets/orderbooks", {"tickers": chunk})
            books.extend(parse_list("GetMarketOrderbooks", "orderbooks", payload, Orderbook))
        return books

    async def get_events(
        self,
        *,
        limit: int | None = None,
        cursor: str | None = None,
        status: str | None = None,
        series_ticker: str | None = None,
        with_nested_markets: bool | None = None,
        min_close_ts: int | None = None,
    ) -> Page[Event]:
        params: dict[str, ParamValue] = {
            "limit": limit,
            "cursor": cursor,
            "status": status,
            "series_ticker": series_ticker,
            "with_nested_markets": with_nested_markets,
            "min_close_ts": min_close_ts,
        }
        return await self._page("GetEvents", "/events", "events", Event, params)

    def iter_events(
        self, *, page_size: int = 200, **filters: Unpack[EventFilters]
    ) -> AsyncIterator[Event]:
        return self._iterate(lambda c: self.get_events(limit=page_size, cursor=c, **filters))

    async def get_event(self, event_ticker: str, *, with_nested_markets: bool = False) -> Event:
        payload = await self._get(
            f"/events/{_seg(event_ticker)}", {"with_nested_markets": with_nested_markets}
        )
        data = require_mapping("GetEvent", "<root>", payload)
        return Event.from_wire(_body("GetEvent", data, "event"), data.get("markets"))

    async def get_series(self, series_ticker: str) -> Series:
        payload = await self._get(f"/series/{_seg(series_ticker)}")
        return Series.from_wire(_body("GetSeries", payload, "series"))

    async def get_trades(
        self,
        *,
        ticker: str | None = None,
        min_ts: int | None = None,
        max_ts: int | None = None,
        limit: int | None = None,
        cursor: str | None = None,
    ) -> Page[Trade]:
        """Public trades, newest first. ``min_ts``/``max_ts`` are Unix seconds."""
        params: dict[str, ParamValue] = {
            "ticker": ticker,
            "min_ts": min_ts,
            "max_ts": max_ts,
            "limit": limit,
            "cursor": cursor,
        }
        return await self._page("GetTrades", "/markets/trades", "trades", Trade, params)

    def iter_trades(
        self, *, page_size: int = 1000, **filters: Unpack[TradeFilters]
    ) -> AsyncIterator[Trade]:
        return self._iterate(lambda c: self.get_trades(limit=page_size, cursor=c, **filters))

    # --- portfolio and account (signed reads) -------------------------------------------
    async def get_balance(self) -> Balance:
        return Balance.from_wire(await self._get("/portfolio/balance"))

    async def get_positions(
        self,
        *,
        ticker: str | None = None,
        event_ticker: str | None = None,
        count_filter: str | None = None,
        limit: int | None = None,
        cursor: str | None = None,
    ) -> Positions:
        payload = await self._get(
            "/portfolio/positions",
            {
                "ticker": ticker,
                "event_ticker": event_ticker,
                "count_filter": count_filter,
                "limit": limit,
                "cursor": cursor,
            },
        )
        model = "GetPositions"
        return Positions(
            market_positions=parse_list(
                model, "market_positions", payload, MarketPosition, required=False
            ),
            event_positions=parse_list(
                model, "event_positions", payload, EventPosition, required=False
            ),
            cursor=cursor_of(model, payload),
        )

    async def get_all_positions(
        self, *, page_size: int = 1000, **filters: Unpack[PositionFilters]
    ) -> Positions:
        """Every page of ``get_positions`` merged (``cursor`` of the result is None)."""
        markets: list[MarketPosition] = []
        events: list[EventPosition] = []
        cursor: str | None = None
        seen: set[str] = set()
        while True:
            page = await self.get_positions(limit=page_size, cursor=cursor, **filters)
            markets.extend(page.market_positions)
            events.extend(page.event_positions)
            if page.cursor is None or page.cursor in seen:
                return Positions(tuple(markets), tuple(events), None)
            seen.add(page.cursor)
            cursor = page.cursor

    async def get_orders(
        self,
        *,
        ticker: str | None = None,
        event_ticker: str | None = None,
        status: str | None = None,
        min_ts: int | None = None,
        max_ts: int | None = None,
        limit: int | None = None,
        cursor: str | None = None,
    ) -> Page[Order]:
        """``status``: resting | canceled | executed."""
        params: dict[str, ParamValue] = {
            "ticker": ticker,
            "event_ticker": event_ticker,
            "status": status,
            "min_ts": min_ts,
            "max_ts": max_ts,
            "limit": limit,
            "cursor": cursor,
        }
        return await self._page("GetOrders", "/portfolio/orders", "orders", Order, params)

    def iter_orders(
        self, *, page_size: int = 200, **filters: Unpack[OrderFilters]
    ) -> AsyncIterator[Order]:
        return self._iterate(lambda c: self.get_orders(limit=page_size, cursor=c, **filters))

    async def get_order(self, order_id: str) -> Order:
        payload = await self._get(f"/portfolio/orders/{_seg(order_id)}", cost=GET_ORDER_COST)
        return Order.from_wire(_body("GetOrder", payload, "order"))

    async def find_order_by_client_order_id(
        self, client_order_id: str, *, ticker: str | None = None, since_ts: int | None = None
    ) -> Order | None:
        """The order placed with ``client_order_id``, searching ``ticker`` and orders created
        at or after ``since_ts`` (Unix seconds) only, when given, to keep the scan short."""
        filters: OrderFilters = {}
        if ticker is not None:
            filters["ticker"] = ticker
        if since_ts is not None:
            filters["min_ts"] = since_ts
        async for order in self.iter_orders(**filters):
            if order.client_order_id == client_order_id:
                return order
        return None

    async def get_fills(
        self,
        *,
        ticker: str | None = None,
        order_id: str | None = None,
        min_ts: int | None = None,
        max_ts: int | None = None,
        limit: int | None = None,
        cursor: str | None = None,
    ) -> Page[Fill]:
        params: dict[str, ParamValue] = {
            "ticker": ticker,
            "order_id": order_id,
            "min_ts": min_ts,
            "max_ts": max_ts,
            "limit": limit,
            "cursor": cursor,
        }
        return await self._page("GetFills", "/portfolio/fills", "fills", Fill, params)

    def iter_fills(
        self, *, page_size: int = 200, **filters: Unpack[FillFilters]
    ) -> AsyncIterator[Fill]:
        return self._iterate(lambda c: self.get_fills(limit=page_size, cursor=c, **filters))

    async def get_settlements(
        self,
        *,
        ticker: str | None = None,
        event_ticker: str | None = None,
        min_ts: int | None = None,
        max_ts: int | None = None,
        limit: int | None = None,
        cursor: str | None = None,
    ) -> Page[Settlement]:
        params: dict[str, ParamValue] = {
            "ticker": ticker,
            "event_ticker": event_ticker,
            "min_ts": min_ts,
            "max_ts": max_ts,
            "limit": limit,
            "cursor": cursor,
        }
        return await self._page(
            "GetSettlements", "/portfolio/settlements", "settlements", Settlement, params
        )

    def iter_settlements(
        self, *, page_size: int = 200, **filters: Unpack[SettlementFilters]
    ) -> AsyncIterator[Settlement]:
        return self._iterate(lambda c: self.get_settlements(limit=page_size, cursor=c, **filters))

    async def get_account_limits(self) -> AccountLimits:
        return AccountLimits.from_wire(await self._get("/account/limits"))

    async def sync_rate_limits(self) -> AccountLimits:
        """Fetch ``/account/limits`` and size the local token buckets to match."""
        limits = await self.get_account_limits()
        if self.limiter is not None:
            self.limiter.configure(
                read_rate=limits.read.refill_rate,
                read_capacity=limits.read.bucket_capacity,
                write_rate=limits.write.refill_rate,
                write_capacity=limits.write.bucket_capacity,
                tier=limits.usage_tier,
            )
        return limits

    # --- V2 order writes ----------------------------------------------------------------
    async def create_order(self, order: OrderRequest) -> CreateOrderResponse:
        """Place one order exactly once, even across timeouts, 5xx and retries.

        After an ambiguous failure the order is looked up by client_order_id (among orders
        created since shortly before this call) before it is sent again; a 409
        ``order_already_exists`` resolves to the order already on the exchange.
        """
        policy = self._http.retry
        # Generous margin for clock skew; Kalshi rejects requests more than seconds off anyway.
        since_ts = int(time.time()) - _LOOKUP_MARGIN_S
        last: Exception | None = None
        for attempt in range(policy.max_attempts):
            if attempt:
                await self._http.sleep(policy.delay(attempt - 1))
            try:
                payload = await self._http.request(
                    "POST", _V2_ORDERS, body=order.to_wire(), bucket="write", retry="throttle"
                )
                return CreateOrderResponse.from_wire(payload)
            except OrderAlreadyExistsError:
                # The id was used before: most likely by an earlier attempt (maybe in an
                # earlier run), so search without a time bound.
                existing = await self.find_order_by_client_order_id(
                    order.client_order_id, ticker=order.ticker
                )
                if existing is None:
                    raise
                return CreateOrderResponse.from_order(existing)
            except (KalshiTransportError, KalshiApiError) as exc:
                if isinstance(exc, RateLimitedError) or not is_ambiguous_failure(exc):
                    raise
                last = exc
                log.warning(
                    "order %s on %s: %s; checking whether it reached the exchange",
                    order.client_order_id,
                    order.ticker,
                    exc,
                )
                existing = await self.find_order_by_client_order_id(
                    order.client_order_id, ticker=order.ticker, since_ts=since_ts
                )
                if existing is not None:
                    return CreateOrderResponse.from_order(existing)
        assert last is not None
        raise last

    async def cancel_order(self, order_id: str) -> CancelOrderResponse:
        """Cancel the rest of an order. 404 (already canceled/executed) raises NotFoundError."""
        # Retried like a read: a repeated cancel cannot do more than the first one did.
        payload = await self._http.request(
            "DELETE", f"{_V2_ORDERS}/{_seg(order_id)}", bucket="write", cost=CANCEL_COST
        )
        return CancelOrderResponse.from_wire(payload)

    async def amend_order(
        self,
        order_id: str,
        *,
        ticker: str,
        side: BookSide,
        price: Price,
        count: Count,
        client_order_id: str | None = None,
        updated_client_order_id: str | None = None,
    ) -> AmendOrderResponse:
        """Change price and/or size. ``count`` is the new TOTAL (filled + resting)."""
        body: dict[str, Any] = {
            "ticker": ticker,
            "side": side,
            "price": format_price(price),
            "count": format_count(count),
        }
        if client_order_id is not None:
            body["client_order_id"] = client_order_id
        if updated_client_order_id is not None:
            body["updated_client_order_id"] = updated_client_order_id
        payload = await self._http.request(
            "POST",
            f"{_V2_ORDERS}/{_seg(order_id)}/amend",
            body=body,
            bucket="write",
            retry="throttle",
        )
        return AmendOrderResponse.from_wire(payload)

    async def decrease_order(
        self, order_id: str, *, reduce_by: Count | None = None, reduce_to: Count | None = None
    ) -> DecreaseOrderResponse:
        if (reduce_by is None) == (reduce_to is None):
            raise ValueError("decrease_order needs exactly one of reduce_by or reduce_to")
        body = (
            {"reduce_by": format_count(reduce_by)}
            if reduce_by is not None
            else {"reduce_to": format_count(reduce_to)}  # type: ignore[arg-type]
        )
        # reduce_to is idempotent and may be retried; reduce_by must not be applied twice.
        payload = await self._http.request(
            "POST",
            f"{_V2_ORDERS}/{_seg(order_id)}/decrease",
            body=body,
            bucket="write",
            retry="all" if reduce_to is not None else "throttle",
        )
        return DecreaseOrderResponse.from_wire(payload)

    async def batch_create_orders(self, orders: Sequence[OrderRequest]) -> list[BatchCreateResult]:
        """Up to ``MAX_BATCH_ORDERS`` orders; per-item failures come back in ``.error``."""
        if not 1 <= len(orders) <= MAX_BATCH_ORDERS:
            raise ValueError(f"a batch holds 1..{MAX_BATCH_ORDERS} orders, got {len(orders)}")
        payload = await self._http.request(
            "POST",
            f"{_V2_ORDERS}/batched",
            body={"orders": [o.to_wire() for o in orders]},
            bucket="write",
            cost=DEFAULT_COST * len(orders),
            retry="throttle",
        )
        return list(parse_list("BatchCreateOrders", "orders", payload, BatchCreateResult))

    async def batch_cancel_orders(self, order_ids: Sequence[str]) -> list[BatchCancelResult]:
        if not 1 <= len(order_ids) <= MAX_BATCH_ORDERS:
            raise ValueError(f"a batch holds 1..{MAX_BATCH_ORDERS} orders, got {len(order_ids)}")
        payload = await self._http.request(
            "DELETE",
            f"{_V2_ORDERS}/batched",
            body={"orders": [{"order_id": oid} for oid in order_ids]},
            bucket="write",
            cost=CANCEL_COST * len(order_ids),
        )
        return list(parse_list("BatchCancelOrders", "orders", payload, BatchCancelResult))
