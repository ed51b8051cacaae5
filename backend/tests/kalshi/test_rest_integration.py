"""KalshiRestClient against the real local exchange: every call, pagination, error shapes."""

from __future__ import annotations

import pytest

from kalshiflow.exchange_sim.runner import SimHandle
from kalshiflow.kalshi.auth import KalshiAuth
from kalshiflow.kalshi.errors import (
    AuthenticationError,
    BadRequestError,
    DeprecatedEndpointError,
    InvalidPriceError,
    KalshiTransportError,
    NotFoundError,
)
from kalshiflow.kalshi.fixedpoint import Count, Price
from kalshiflow.kalshi.models import OrderRequest
from kalshiflow.kalshi.rest import KalshiRestClient
from tests.kalshi.conftest import quiet_market


async def test_market_data_calls(prod_rest: KalshiRestClient) -> None:
    status = await prod_rest.get_exchange_status()
    assert status.exchange_active
    page = await prod_rest.get_markets(limit=5)
    assert len(page.items) == 5
    market = await prod_rest.get_market(page.items[0].ticker)
    assert market.ticker == page.items[0].ticker
    assert market.price_ranges  # tick grid present
    book = await prod_rest.get_orderbook(market.ticker, depth=3)
    assert book.ticker == market.ticker
    assert len(book.yes) <= 3
    assert len(book.no) <= 3
    tickers = [m.ticker for m in page.items]
    books = await prod_rest.get_orderbooks(tickers)
    assert [b.ticker for b in books] == tickers
    events = await prod_rest.get_events(limit=3, with_nested_markets=True)
    assert events.items
    assert all(e.markets for e in events.items)
    event = await prod_rest.get_event(market.event_ticker, with_nested_markets=True)
    assert market.ticker in {m.ticker for m in event.markets}
    series = await prod_rest.get_series(event.series_ticker)
    assert series.ticker == event.series_ticker
    filtered = await prod_rest.get_markets(event_ticker=market.event_ticker)
    assert {m.event_ticker for m in filtered.items} == {market.event_ticker}


async def test_pagination_walks_every_page(prod_rest: KalshiRestClient) -> None:
    everything = await prod_rest.get_markets(limit=1000)
    assert everything.cursor is None
    assert len(everything.items) >= 15
    first = await prod_rest.get_markets(limit=7)
    assert first.cursor is not None  # really more than one page
    walked = [m.ticker async for m in prod_rest.iter_markets(page_size=7)]
    assert len(walked) == len(set(walked))
    assert sorted(walked) == sorted(m.ticker for m in everything.items)
    events = [e.event_ticker async for e in prod_rest.iter_events(page_size=2)]
    assert len(events) == len(set(events)) > 2


async def test_portfolio_reads(demo_rest: KalshiRestClient) -> None:
    balance = await demo_rest.get_balance()
    assert balance.balance == 10_000 * 1_000_000  # the funded demo account, exact
    limits = await demo_rest.get_account_limits()
    assert limits.usage_tier == "basic"
    assert limits.read.refill_rate == 200
    positions = await demo_rest.get_all_positions()
    assert positions.cursor is None
    assert (await demo_rest.get_orders(limit=5)).items == ()
    assert (await demo_rest.get_fills(limit=5)).items == ()
    assert (await demo_rest.get_settlements(limit=5)).items == ()
    synced = await demo_rest.sync_rate_limits()
    assert demo_rest.limiter is not None
    assert demo_rest.limiter.write.capacity == pytest.approx(synced.write.bucket_capacity * 0.9)


async def test_order_lifecycle(sim: SimHandle, demo_rest: KalshiRestClient) -> None:
    market = await quiet_market(sim, demo_rest)
    order = OrderRequest(market.ticker, "bid", Count(300), Price(100))  # 3 @ 0.01: rests
    created = await demo_rest.create_order(order)
    assert created.client_order_id == order.client_order_id
    assert created.remaining_count == 300
    assert not created.recovered
    fetched = await demo_rest.get_order(created.order_id)
    assert (fetched.status, fetched.book_side, fetched.yes_price) == ("resting", "bid", 100)
    resting = [o async for o in demo_rest.iter_orders(ticker=market.ticker, status="resting")]
    assert created.order_id in {o.order_id for o in resting}
    found = await demo_rest.find_order_by_client_order_id(order.client_order_id)
    assert found is not None
    assert found.order_id == created.order_id

    amended = await demo_rest.amend_order(
        created.order_id, ticker=market.ticker, side="bid", price=Price(200), count=Count(400)
    )
    assert amended.order_id  # amend may re-issue the id
    after_amend = await demo_rest.get_order(amended.order_id)
    assert (after_amend.yes_price, after_amend.remaining_count) == (200, 400)
    decreased = await demo_rest.decrease_order(amended.order_id, reduce_to=Count(100))
    assert decreased.remaining_count == 100
    canceled = await demo_rest.cancel_order(amended.order_id)
    assert canceled.reduced_by == 100
    with pytest.raises(NotFoundError):
        await demo_rest.cancel_order(amended.order_id)  # already canceled: 404
    assert (await demo_rest.get_order(amended.order_id)).status == "canceled"


async def test_batch_create_and_cancel(sim: SimHandle, demo_rest: KalshiRestClient) -> None:
    market = await quiet_market(sim, demo_rest)
    orders = [
        OrderRequest(market.ticker, "bid", Count(100), Price(100 + i * 100)) for i in range(3)
    ]
    bad = OrderRequest(market.ticker, "bid", Count(100), Price(150))  # off the 1-cent grid
    results = await demo_rest.batch_create_orders([*orders, bad])
    assert [r.client_order_id for r in results] == [o.client_order_id for o in [*orders, bad]]
    assert all(r.error is None for r in results[:3])
    assert results[3].error is not None
    assert results[3].error.code == "invalid_price"
    ids = [r.order_id for r in results[:3]]
    canceled = await demo_rest.batch_cancel_orders([*ids, "no-such-order"])
    assert [c.reduced_by for c in canceled[:3]] == [100, 100, 100]
    assert canceled[3].error is not None


async def test_fill_trade_and_position_from_a_cross(
    sim: SimHandle, demo_rest: KalshiRestClient, demo_counterparty: KalshiRestClient
) -> None:
    market = await quiet_market(sim, demo_rest)
    # The counterparty offers 2 YES at 0.6000; we buy 1.50 of them with IOC.
    await demo_counterparty.create_order(
        OrderRequest(market.ticker, "ask", Count(200), Price(6000))
    )
    book = await demo_rest.get_orderbook(market.ticker)
    assert book.best_yes_ask == 6000
    created = await demo_rest.create_order(
        OrderRequest(
            market.ticker, "bid", Count(150), Price(6000), time_in_force="immediate_or_cancel"
        )
    )
    assert (created.fill_count, created.remaining_count) == (150, 0)
    assert created.average_fill_price == 6000
    fills = [f async for f in demo_rest.iter_fills(ticker=market.ticker)]
    assert [(f.order_id, f.count, f.yes_price, f.is_taker) for f in fills] == [
        (created.order_id, 150, 6000, True)
    ]
    trades = await demo_rest.get_trades(ticker=market.ticker)
    assert [(t.count, t.yes_price, t.taker_book_side) for t in trades.items] == [(150, 6000, "bid")]
    positions = await demo_rest.get_positions(ticker=market.ticker)
    assert [(p.ticker, p.position) for p in positions.market_positions] == [(market.ticker, 150)]
    executed = await demo_rest.get_order(created.order_id)
    assert executed.status == "executed"
    assert executed.taker_fill_cost == 150 * 6000  # 1.50 x $0.60 = $0.90, exact
    balance = await demo_rest.get_balance()
    assert balance.balance == 10_000 * 1_000_000 - 900_000 - executed.taker_fees


async def test_error_shapes_become_typed_errors(
    sim: SimHandle, demo_rest: KalshiRestClient
) -> None:
    market = await quiet_market(sim, demo_rest)
    # nested: off-grid price
    with pytest.raises(InvalidPriceError) as nested:
        await demo_rest.create_order(OrderRequest(market.ticker, "bid", Count(100), Price(150)))
    assert nested.value.http_status == 400
    assert nested.value.code == "invalid_price"
    # flat: a body Kalshi's JSON decoder refuses (count must be a string)
    body = {**OrderRequest(market.ticker, "bid", Count(100), Price(100)).to_wire(), "count": 1}
    with pytest.raises(BadRequestError) as flat:
        await demo_rest._http.request(
            "POST", "/portfolio/events/orders", body=body, bucket="write", retry="none"
        )
    assert flat.value.code == "bad_request"
    assert flat.value.details
    # bare: query validation
    with pytest.raises(BadRequestError, match="Parameter validation failed") as bare:
        await demo_rest.get_markets(limit=5000)
    assert bare.value.code == "bad_request"
    # 404 and 410
    with pytest.raises(NotFoundError):
        await demo_rest.get_market("NO-SUCH-MARKET")
    with pytest.raises(DeprecatedEndpointError):
        await demo_rest._http.request(
            "POST", "/portfolio/orders", body={}, bucket="write", retry="none"
        )


async def test_wrong_key_is_authentication_error(sim: SimHandle) -> None:
    other = KalshiAuth.from_key_file(sim.demo.key_id, sim.production.private_key_path)
    async with KalshiRestClient(sim.demo.rest_url, other) as client:
        with pytest.raises(AuthenticationError) as info:
            await client.get_balance()
        assert info.value.http_status == 401
        assert (await client.get_exchange_status()).exchange_active  # unsigned reads still work


async def test_unsigned_client_refuses_portfolio_calls(sim: SimHandle) -> None:
    async with KalshiRestClient(sim.demo.rest_url) as client:
        with pytest.raises(KalshiTransportError, match="no API key"):
            await client.get_balance()


async def test_connection_refused_is_transport_error() -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]

    async def _no_sleep(_s: float) -> None:
        return None

    client = KalshiRestClient(f"http://127.0.0.1:{port}/trade-api/v2", sleep=_no_sleep)
    async with client:
        with pytest.raises(KalshiTransportError, match="failed"):
            await client.get_exchange_status()
