"""Small builders shared by the engine tests."""

from __future__ import annotations

from kalshiflow.exchange_sim.engine import (
    BookSide,
    Event,
    Exchange,
    MarketSpec,
    OrderRequest,
    SelfTradePrevention,
    Series,
    TimeInForce,
)
from kalshiflow.kalshi.fixedpoint import Count, Money, Price, parse_count, parse_money, parse_price

T0_MS = 1_795_000_000_000  # 2026-11-18
TICKER = "KXHIGHNY-26NOV22-B45"
EVENT = "KXHIGHNY-26NOV22"


class Clock:
    def __init__(self, now_ms: int = T0_MS) -> None:
        self.now = now_ms

    def __call__(self) -> int:
        return self.now


def make_exchange(
    accounts: dict[str, str] | None = None, tickers: tuple[str, ...] = (TICKER,)
) -> tuple[Exchange, Clock]:
    clock = Clock()
    ex = Exchange(clock, id_seed=7)
    ex.add_series(Series("KXHIGHNY", "Highest temperature in NYC", "Climate and Weather"))
    ex.add_event(Event(EVENT, "KXHIGHNY", "Highest temperature in NYC on Nov 22, 2026?"))
    for ticker in tickers:
        ex.add_market(
            MarketSpec(
                ticker=ticker,
                event_ticker=EVENT,
                title="Will the high temp in NYC be 45-46° on Nov 22, 2026?",
                open_time=T0_MS // 1000 - 3600,
                close_time=T0_MS // 1000 + 86_400,
                yes_sub_title="45° to 46°",
            )
        )
    for account_id, dollars in (accounts or {"a": "1000", "b": "1000"}).items():
        ex.create_account(account_id, parse_money(dollars))
    return ex, clock


def req(
    account: str,
    side: BookSide,
    price: str,
    count: str,
    tif: TimeInForce = TimeInForce.GTC,
    *,
    ticker: str = TICKER,
    stp: SelfTradePrevention = SelfTradePrevention.TAKER_AT_CROSS,
    client_order_id: str | None = None,
    post_only: bool = False,
    reduce_only: bool = False,
) -> OrderRequest:
    return OrderRequest(
        account_id=account,
        ticker=ticker,
        side=side,
        price=parse_price(price),
        count=parse_count(count),
        time_in_force=tif,
        self_trade_prevention=stp,
        client_order_id=client_order_id,
        post_only=post_only,
        reduce_only=reduce_only,
    )


def p(text: str) -> Price:
    return parse_price(text)


def c(text: str) -> Count:
    return parse_count(text)


def m(text: str) -> Money:
    return parse_money(text)
