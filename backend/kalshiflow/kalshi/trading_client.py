"""``KalshiTradingClient``: orders and portfolio on one environment (demo by default).

Production trading is refused unless the operator confirmed it (KALSHI_PRODUCTION_CONFIRMED
=true), and is announced with a loud warning when on. Before any order is sent, the market
is checked on the *trading* environment: markets are discovered on production, and demo
does not list every production market, so a clear MarketUnavailableError beats a 404 from
the order endpoint.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Sequence
from types import TracebackType
from typing import Unpack

from kalshiflow.kalshi.environment import TradingEnvironment, detect_environment
from kalshiflow.kalshi.errors import (
    MarketUnavailableError,
    NotFoundError,
    ProductionNotConfirmedError,
)
from kalshiflow.kalshi.filters import (
    FillFilters,
    OrderFilters,
    PositionFilters,
    SettlementFilters,
)
from kalshiflow.kalshi.fixedpoint import Count, Price
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
    ExchangeStatus,
    Fill,
    Market,
    Order,
    OrderRequest,
    Settlement,
)
from kalshiflow.kalshi.rest import KalshiRestClient, Page, Positions

__all__ = ["KalshiTradingClient"]

log = logging.getLogger(__name__)

_VALID_ENVIRONMENTS = ("demo", "production")


class KalshiTradingClient:
    __slots__ = (
        "_environment",
        "_market_cache",
        "_market_ttl_s",
        "_production_confirmed",
        "_rest",
        "_validate_markets",
    )

    def __init__(
        self,
        rest: KalshiRestClient,
        *,
        environment: TradingEnvironment = "demo",
        production_confirmed: bool = False,
        validate_markets: bool = True,
        market_cache_ttl_s: float = 2.0,
    ) -> None:
        if environment not in _VALID_ENVIRONMENTS:
            raise ValueError(
                f"trading environment must be 'demo' or 'production', got {environment!r}"
            )
        detected = detect_environment(rest.base_url)
        if detected != "simulated" and detected != environment:
            raise ValueError(
                f"trading environment is {environment!r} but the REST URL {rest.base_url!r} is "
                f"Kalshi {detected}; set the URL and the environment to the same one"
            )
        if environment == "production" and not production_confirmed:
            raise ProductionNotConfirmedError(
                "production trading places real-money orders and is off by default; "
                "set KALSHI_PRODUCTION_CONFIRMED=true to enable it, or trade on demo"
            )
        self._rest = rest
        self._environment: TradingEnvironment = environment
        self._production_confirmed = production_confirmed
        self._validate_markets = validate_markets
        self._market_ttl_s = market_cache_ttl_s
        self._market_cache: dict[str, tuple[float, Market]] = {}
        if environment == "production":
            log.warning(
                "PRODUCTION TRADING IS ON: orders from this process go to Kalshi production "
                "(%s, key %s) and move REAL MONEY",
                rest.base_url,
                rest.key_id,
            )

    # --- identity -----------------------------------------------------------------------
    @property
    def environment(self) -> TradingEnvironment:
        return self._environment

    @property
    def production_confirmed(self) -> bool:
        return self._production_confirmed

    @property
    def base_url(self) -> str:
        return self._rest.base_url

    @property
    def key_id(self) -> str | None:
        return self._rest.key_id

    # --- market validation --------------------------------------------------------------
    async def require_tradable_market(self, ticker: str) -> Market:
        """The market, if it exists and is open on the trading environment."""
        cached = self._market_cache.get(ticker)
        now = time.monotonic()
        if cached is not None and now - cached[0] < self._market_ttl_s:
            return cached[1]
        try:
            market = await self._rest.get_market(ticker)
        except NotFoundError:
            raise MarketUnavailableError(
                ticker,
                self._environment,
                f"does not exist on {self._environment}; markets discovered on production "
                f"are not all listed on {self._environment}, pick one that is",
            ) from None
        if not market.is_open:
            raise MarketUnavailableError(
                ticker, self._environment, f"is not open for trading (status {market.status!r})"
            )
        self._market_cache[ticker] = (now, market)
        return market

    # --- order writes -------------------------------------------------------------------
    async def place_order(self, order: OrderRequest) -> CreateOrderResponse:
        """Validate the market, then create the order exactly once (see KalshiRestClient)."""
        if self._validate_markets:
            await self.require_tradable_market(order.ticker)
        return await self._rest.create_order(order)

    async def cancel_order(self, order_id: str) -> CancelOrderResponse:
        return await self._rest.cancel_order(order_id)

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
        return await self._rest.amend_order(
            order_id,
            ticker=ticker,
            side=side,
            price=price,
            count=count,
            client_order_id=client_order_id,
            updated_client_order_id=updated_client_order_id,
        )

    async def decrease_order(
        self, order_id: str, *, reduce_by: Count | None = None, reduce_to: Count | None = None
    ) -> DecreaseOrderResponse:
        return await self._rest.decrease_order(order_id, reduce_by=reduce_by, reduce_to=reduce_to)

    async def batch_create_orders(self, orders: Sequence[OrderRequest]) -> list[BatchCreateResult]:
        if self._validate_markets:
            for ticker in dict.fromkeys(o.ticker for o in orders):
                await self.require_tradable_market(ticker)
        return await self._rest.batch_create_orders(orders)

    async def batch_cancel_orders(self, order_ids: Sequence[str]) -> list[BatchCancelResult]:
        return await self._rest.batch_cancel_orders(order_ids)

    # --- reads on the trading account ---------------------------------------------------
    async def get_exchange_status(self) -> ExchangeStatus:
        return await self._rest.get_exchange_status()

    async def get_market(self, ticker: str) -> Market:
        return await self._rest.get_market(ticker)

    async def get_balance(self) -> Balance:
        return await self._rest.get_balance()

    async def get_positions(
        self,
        *,
        limit: int | None = None,
        cursor: str | None = None,
        **filters: Unpack[PositionFilters],
    ) -> Positions:
        return await self._rest.get_positions(limit=limit, cursor=cursor, **filters)

    async def get_all_positions(self, **filters: Unpack[PositionFilters]) -> Positions:
        return await self._rest.get_all_positions(**filters)

    async def get_orders(
        self,
        *,
        limit: int | None = None,
        cursor: str | None = None,
        **filters: Unpack[OrderFilters],
    ) -> Page[Order]:
        return await self._rest.get_orders(limit=limit, cursor=cursor, **filters)

    def iter_orders(
        self, *, page_size: int = 200, **filters: Unpack[OrderFilters]
    ) -> AsyncIterator[Order]:
        return self._rest.iter_orders(page_size=page_size, **filters)

    async def get_order(self, order_id: str) -> Order:
        return await self._rest.get_order(order_id)

    async def find_order_by_client_order_id(
        self, client_order_id: str, *, ticker: str | None = None
    ) -> Order | None:
        return await self._rest.find_order_by_client_order_id(client_order_id, ticker=ticker)

    async def get_fills(
        self,
        *,
        limit: int | None = None,
        cursor: str | None = None,
        **filters: Unpack[FillFilters],
    ) -> Page[Fill]:
        return await self._rest.get_fills(limit=limit, cursor=cursor, **filters)

    def iter_fills(
        self, *, page_size: int = 200, **filters: Unpack[FillFilters]
    ) -> AsyncIterator[Fill]:
        return self._rest.iter_fills(page_size=page_size, **filters)

    async def get_settlements(
        self,
        *,
        limit: int | None = None,
        cursor: str | None = None,
        **filters: Unpack[SettlementFilters],
    ) -> Page[Settlement]:
        return await self._rest.get_settlements(limit=limit, cursor=cursor, **filters)

    def iter_settlements(
        self, *, page_size: int = 200, **filters: Unpack[SettlementFilters]
    ) -> AsyncIterator[Settlement]:
        return self._rest.iter_settlements(page_size=page_size, **filters)

    async def get_account_limits(self) -> AccountLimits:
        return await self._rest.get_account_limits()

    # --- lifecycle ----------------------------------------------------------------------
    async def aclose(self) -> None:
        await self._rest.aclose()

    async def __aenter__(self) -> KalshiTradingClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        return (
            f"KalshiTradingClient(environment={self._environment!r}, "
            f"base_url={self.base_url!r}, key_id={self.key_id!r})"
        )
