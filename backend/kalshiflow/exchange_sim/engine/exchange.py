"""``Exchange``: the facade the REST and WebSocket servers call (signatures published first)."""

from __future__ import annotations

from collections.abc import Callable

from kalshiflow.exchange_sim.engine.types import (
    ZERO_MONEY,
    BalanceView,
    EngineEvent,
    Event,
    Fill,
    Market,
    MarketPositionView,
    MarketResult,
    MarketSpec,
    MarketStatus,
    Order,
    OrderRequest,
    OrderStatus,
    PlaceResult,
    Series,
    Settlement,
    Trade,
)
from kalshiflow.kalshi.fixedpoint import Count, Money, Price

Listener = Callable[[EngineEvent], None]


class Exchange:
    """One simulated Kalshi exchange: markets, books, accounts. Pure and synchronous.

    Every mutating call emits its ``EngineEvent``s, in order, to every subscriber before it
    returns. Errors are ``ExchangeError`` with the HTTP status and Kalshi code to answer with.
    """

    def __init__(self, clock_ms: Callable[[], int]) -> None:
        raise NotImplementedError

    def subscribe(self, listener: Listener) -> None:
        raise NotImplementedError

    def unsubscribe(self, listener: Listener) -> None:
        raise NotImplementedError

    def now_ms(self) -> int:
        raise NotImplementedError

    # --- markets ---------------------------------------------------------------------

    def add_series(self, series: Series) -> Series:
        raise NotImplementedError

    def add_event(self, event: Event) -> Event:
        raise NotImplementedError

    def add_market(self, spec: MarketSpec) -> Market:
        """List a market; it opens at once if ``open_time`` has passed ("created", "activated")."""
        raise NotImplementedError

    def series(self, ticker: str) -> Series:
        raise NotImplementedError

    def series_list(self) -> list[Series]:
        raise NotImplementedError

    def event(self, event_ticker: str) -> Event:
        raise NotImplementedError

    def events(self, series_ticker: str | None = None) -> list[Event]:
        raise NotImplementedError

    def market(self, ticker: str) -> Market:
        """A copy of the market; 404 not_found if unknown."""
        raise NotImplementedError

    def markets(
        self,
        *,
        event_ticker: str | None = None,
        series_ticker: str | None = None,
        status: MarketStatus | None = None,
    ) -> list[Market]:
        """Copies of the listed markets, in listing order."""
        raise NotImplementedError

    def tick(self, now_ms: int | None = None) -> None:
        """Open markets whose open_time has come and close those whose close_time has."""
        raise NotImplementedError

    def open_market(self, ticker: str) -> Market:
        raise NotImplementedError

    def close_market(self, ticker: str) -> Market:
        """Stop trading; resting orders are canceled."""
        raise NotImplementedError

    def update_close_time(self, ticker: str, close_time: int) -> Market:
        raise NotImplementedError

    def determine_market(self, ticker: str, result: MarketResult) -> Market:
        raise NotImplementedError

    def settle_market(self, ticker: str) -> Market:
        """Pay $1 per winning contract, record settlements, flatten positions."""
        raise NotImplementedError

    # --- orders ----------------------------------------------------------------------

    def place_order(self, req: OrderRequest) -> PlaceResult:
        raise NotImplementedError

    def cancel_order(self, account_id: str, order_id: str) -> tuple[Order, Count]:
        """Cancel a resting order: (its final snapshot, contracts removed)."""
        raise NotImplementedError

    def amend_order(
        self, account_id: str, order_id: str, price: Price, count_total: Count
    ) -> tuple[Order, Order]:
        """Change price and/or total size (filled + remaining): (before, after).

        Keeps queue priority only if the price is unchanged and the size not increased.
        An amended price that crosses the book executes like a new order.
        """
        raise NotImplementedError

    def decrease_order(
        self,
        account_id: str,
        order_id: str,
        *,
        reduce_by: Count | None = None,
        reduce_to: Count | None = None,
    ) -> Order:
        """Shrink the remaining count (keeps priority); to zero cancels it."""
        raise NotImplementedError

    def order(self, account_id: str, order_id: str) -> Order:
        raise NotImplementedError

    def order_by_client_id(self, account_id: str, client_order_id: str) -> Order:
        raise NotImplementedError

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
        raise NotImplementedError

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
        raise NotImplementedError

    # --- books and tape --------------------------------------------------------------

    def orderbook(
        self, ticker: str, depth: int = 0
    ) -> tuple[list[tuple[Price, Count]], list[tuple[Price, Count]]]:
        """(YES bid levels, NO bid levels in NO prices), each ascending, best LAST."""
        raise NotImplementedError

    def best_prices(self, ticker: str) -> tuple[Price | None, Price | None]:
        """(best YES bid, best YES ask) in YES prices."""
        raise NotImplementedError

    def trades(
        self,
        ticker: str | None = None,
        *,
        min_ts_ms: int | None = None,
        max_ts_ms: int | None = None,
        limit: int | None = None,
    ) -> list[Trade]:
        """Public tape, newest first."""
        raise NotImplementedError

    # --- accounts --------------------------------------------------------------------

    def create_account(self, account_id: str, balance: Money = ZERO_MONEY) -> None:
        raise NotImplementedError

    def has_account(self, account_id: str) -> bool:
        raise NotImplementedError

    def fund(self, account_id: str, amount: Money) -> None:
        raise NotImplementedError

    def balance(self, account_id: str) -> Money:
        """Cash available for new orders (total cash minus what resting orders reserve)."""
        raise NotImplementedError

    def reserved(self, account_id: str) -> Money:
        raise NotImplementedError

    def balance_view(self, account_id: str) -> BalanceView:
        raise NotImplementedError

    def positions(self, account_id: str) -> list[MarketPositionView]:
        """Markets where the account has a position, resting orders or history."""
        raise NotImplementedError

    def settlements(self, account_id: str) -> list[Settlement]:
        """Newest first."""
        raise NotImplementedError

    def fees_collected(self) -> Money:
        raise NotImplementedError


__all__ = ["Exchange", "Listener"]
