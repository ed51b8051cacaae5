"""From what a person typed to an ``OrderIntent``, or user errors naming the fields.

A person thinks "buy NO at 0.44"; the trading core works in one YES book ("ask YES at
0.56"). The conversion is exact: buying NO at q is selling YES at 1 - q. Checks that need
the market (its tick grid, whether it exists and is open on the trading environment) use
the trading client's cached market lookup.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Final

from kalshiflow.api.types.orders import OrderAction, Outcome, UserError, UserErrorCode
from kalshiflow.kalshi.data_client import KalshiDataClient
from kalshiflow.kalshi.errors import KalshiClientError, MarketUnavailableError, NotFoundError
from kalshiflow.kalshi.fixedpoint import (
    CENT,
    COUNT_SCALE,
    ONE_DOLLAR,
    PRICE_SCALE,
    Count,
    Price,
    format_price,
)
from kalshiflow.kalshi.models import Market, PriceRange
from kalshiflow.kalshi.trading_client import KalshiTradingClient
from kalshiflow.trading.types import BookSide, OrderIntent

MIN_COUNT: Final = Count(COUNT_SCALE)  # one contract
# Kalshi's default grid when a market publishes none: whole cents from 1 to 99.
DEFAULT_GRID: Final = (PriceRange(Price(CENT), Price(ONE_DOLLAR - CENT), Price(CENT)),)


def to_units(value: Decimal, scale: int) -> int | None:
    scaled = value * scale
    return int(scaled) if scaled == scaled.to_integral_value() else None


def book_side(outcome: Outcome, action: OrderAction) -> BookSide:
    """Buy YES or sell NO is a YES bid; sell YES or buy NO is a YES ask."""
    buys_yes = (outcome is Outcome.YES) == (action is OrderAction.BUY)
    return "bid" if buys_yes else "ask"


def check_price(price: Decimal, field: str = "price") -> tuple[Price | None, list[UserError]]:
    units = to_units(price, PRICE_SCALE)
    if units is None or not 0 < units < ONE_DOLLAR:
        return None, [
            UserError(
                field=field,
                code=UserErrorCode.INVALID_PRICE,
                message=f"{field} must be between 0.0001 and 0.9999 dollars, got {price}",
            )
        ]
    return Price(units), []


def check_count(count: Decimal, field: str = "count") -> tuple[Count | None, list[UserError]]:
    units = to_units(count, COUNT_SCALE)
    if units is None or units < MIN_COUNT:
        return None, [
            UserError(
                field=field,
                code=UserErrorCode.INVALID_COUNT,
                message=f"{field} must be at least 1 contract (2 decimals), got {count}",
            )
        ]
    return Count(units), []


def on_grid(price: Price, market: Market) -> bool:
    grid = market.price_ranges or DEFAULT_GRID
    return any(r.start <= price <= r.end and (price - r.start) % r.step == 0 for r in grid)


def grid_error(price: Price, market: Market, field: str = "price") -> UserError:
    grid = market.price_ranges or DEFAULT_GRID
    bands = ", ".join(
        f"{format_price(r.start)}-{format_price(r.end)} step {format_price(r.step)}" for r in grid
    )
    return UserError(
        field=field,
        code=UserErrorCode.PRICE_OFF_GRID,
        message=f"{field} {format_price(price)} is not on {market.ticker}'s tick grid ({bands})",
    )


async def tradable_market(
    client: KalshiTradingClient, data: KalshiDataClient, ticker: str
) -> tuple[Market | None, list[UserError]]:
    try:
        return await client.require_tradable_market(ticker), []
    except MarketUnavailableError as err:
        if "not open" in err.reason:
            code = UserErrorCode.MARKET_CLOSED
            message = str(err)
        elif await _exists(data, ticker):
            code = UserErrorCode.NOT_ON_TRADING_ENVIRONMENT
            message = str(err)
        else:
            code = UserErrorCode.UNKNOWN_MARKET
            message = f"no market {ticker!r} on either environment: check the ticker"
        return None, [UserError(field="ticker", code=code, message=message)]
    except (KalshiClientError, OSError, TimeoutError) as err:
        return None, [
            UserError(
                field=None,
                code=UserErrorCode.EXCHANGE_UNREACHABLE,
                message=f"the trading environment did not answer ({type(err).__name__}); try again",
            )
        ]


async def _exists(data: KalshiDataClient, ticker: str) -> bool:
    """Whether the market-data environment lists ``ticker`` (unknown vs demo-only gap)."""
    try:
        await data.get_market(ticker)
    except NotFoundError:
        return False
    except (KalshiClientError, OSError, TimeoutError):
        return True  # cannot tell: say what is certain (not tradable on this environment)
    return True


async def build_intent(
    client: KalshiTradingClient,
    data: KalshiDataClient,
    *,
    ticker: str,
    outcome: Outcome,
    action: OrderAction,
    price: Decimal,
    count: Decimal,
    reduce_only: bool,
) -> tuple[OrderIntent | None, list[UserError]]:
    """Validate everything that can be checked before risk; all problems at once."""
    own_price, errors = check_price(price)
    units, count_errors = check_count(count)
    errors += count_errors
    market, market_errors = await tradable_market(client, data, ticker)
    errors += market_errors
    yes_price = None
    if own_price is not None:
        yes_price = own_price if outcome is Outcome.YES else Price(ONE_DOLLAR - own_price)
    # Kalshi's grid is given in YES prices; a NO price is on it when its complement is.
    if yes_price is not None and market is not None and not on_grid(yes_price, market):
        errors.append(grid_error(own_price or yes_price, market))
    if errors or yes_price is None or units is None:
        return None, errors
    intent = OrderIntent(
        ticker=ticker,
        side=book_side(outcome, action),
        yes_price=yes_price,
        count=units,
        reduce_only=reduce_only,
        reason="manual order from the API",
    )
    return intent, []
