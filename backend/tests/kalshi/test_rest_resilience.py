"""Retries against injected faults on the real local exchange, and orders that never duplicate."""

from __future__ import annotations

import asyncio

import pytest

from kalshiflow.exchange_sim.runner import EnvironmentHandle, SimHandle
from kalshiflow.kalshi.errors import InvalidPriceError, RateLimitedError, ServerError
from kalshiflow.kalshi.fixedpoint import Count, Price
from kalshiflow.kalshi.models import OrderRequest
from kalshiflow.kalshi.rest import KalshiRestClient
from tests.kalshi.conftest import quiet_market, rest_client_for


def _orders_with_client_id(env: EnvironmentHandle, client_order_id: str) -> int:
    """Count on the exchange itself, independent of the client under test."""
    exchange = env.context.exchange
    return sum(1 for o in exchange.orders(env.account_id) if o.client_order_id == client_order_id)


@pytest.mark.parametrize("status", [429, 500, 503])
async def test_read_retries_until_success(
    sim: SimHandle, demo_rest: KalshiRestClient, status: int
) -> None:
    faults = sim.demo.context.faults
    faults.fail_rest(status, 3)
    page = await demo_rest.get_markets(limit=3)
    assert len(page.items) == 3
    assert faults.pending_rest_failures == 0  # all three failures were really hit


async def test_read_gives_up_after_retry_budget(
    sim: SimHandle, demo_rest: KalshiRestClient
) -> None:
    faults = sim.demo.context.faults
    faults.fail_rest(503, 10)
    with pytest.raises(ServerError) as info:
        await demo_rest.get_exchange_status()
    assert info.value.http_status == 503
    assert faults.pending_rest_failures == 5  # max_attempts=5 in the test client
    faults.clear()
    faults.fail_rest(429, 10)
    with pytest.raises(RateLimitedError):
        await demo_rest.get_exchange_status()


async def test_order_retried_after_429_is_placed_once(
    sim: SimHandle, demo_rest: KalshiRestClient
) -> None:
    market = await quiet_market(sim, demo_rest)
    order = OrderRequest(market.ticker, "bid", Count(100), Price(100))
    sim.demo.context.faults.fail_rest(429, 2)
    created = await demo_rest.create_order(order)
    assert not created.recovered
    assert _orders_with_client_id(sim.demo, order.client_order_id) == 1


@pytest.mark.parametrize("status", [500, 503])
async def test_order_after_5xx_looks_up_then_places_once(
    sim: SimHandle, demo_rest: KalshiRestClient, status: int
) -> None:
    market = await quiet_market(sim, demo_rest)
    order = OrderRequest(market.ticker, "bid", Count(100), Price(100))
    sim.demo.context.faults.fail_rest(status, 1)  # the POST fails before reaching the engine
    created = await demo_rest.create_order(order)
    assert created.client_order_id == order.client_order_id
    assert _orders_with_client_id(sim.demo, order.client_order_id) == 1
    orders = [o async for o in demo_rest.iter_orders(ticker=market.ticker)]
    assert [o.order_id for o in orders if o.client_order_id == order.client_order_id] == [
        created.order_id
    ]


async def test_order_after_timeout_is_placed_once(sim: SimHandle) -> None:
    # Every request arriving in the next 0.1 s is delayed 1.0 s; the client gives up after
    # 0.3 s, looks the order up (not there), and sends it again. Whatever the slow original
    # does later, the exchange must end up with exactly one order for this client_order_id.
    async with rest_client_for(sim.demo, timeout_s=0.3) as client:
        market = await quiet_market(sim, client)
        order = OrderRequest(market.ticker, "bid", Count(100), Price(100))
        sim.demo.context.faults.set_rest_latency(1.0, duration_s=0.1)
        created = await client.create_order(order)
        assert _orders_with_client_id(sim.demo, order.client_order_id) == 1
        await asyncio.sleep(1.0)  # let the delayed original finish on the server
        fetched = await client.get_order(created.order_id)
    assert fetched.client_order_id == order.client_order_id
    assert _orders_with_client_id(sim.demo, order.client_order_id) == 1


async def test_order_placed_but_answer_lost_is_not_placed_again(sim: SimHandle) -> None:
    # The exchange handles the create, then holds the answer back 1.0 s; the client gives up
    # after 0.3 s. The order exists, so the client must find it by client_order_id instead
    # of sending it again.
    async with rest_client_for(sim.demo, timeout_s=0.3) as client:
        market = await quiet_market(sim, client)
        order = OrderRequest(market.ticker, "bid", Count(100), Price(100))
        faults = sim.demo.context.faults
        faults.lose_rest_replies(1.0, count=1)
        created = await client.create_order(order)
        assert faults.snapshot()["pending_lost_replies"] == []
        assert created.recovered
        assert _orders_with_client_id(sim.demo, order.client_order_id) == 1
        await asyncio.sleep(1.1)  # the late answer is written to nobody; nothing else happens
        fetched = await client.get_order(created.order_id)
    assert fetched.client_order_id == order.client_order_id
    assert _orders_with_client_id(sim.demo, order.client_order_id) == 1


async def test_ambiguous_failure_resolves_to_order_found_by_lookup(
    sim: SimHandle, demo_rest: KalshiRestClient
) -> None:
    # The order is already on the exchange (an earlier attempt went through); this attempt
    # gets a 500. The client must find the order by client_order_id and not send it again.
    market = await quiet_market(sim, demo_rest)
    order = OrderRequest(market.ticker, "bid", Count(100), Price(100))
    first = await demo_rest.create_order(order)
    faults = sim.demo.context.faults
    faults.fail_rest(500, 1)
    again = await demo_rest.create_order(order)
    assert faults.pending_rest_failures == 0
    assert again.recovered
    assert again.order_id == first.order_id
    assert again.remaining_count == 100
    assert _orders_with_client_id(sim.demo, order.client_order_id) == 1


async def test_duplicate_client_order_id_resolves_to_existing(
    sim: SimHandle, demo_rest: KalshiRestClient
) -> None:
    market = await quiet_market(sim, demo_rest)
    order = OrderRequest(market.ticker, "bid", Count(100), Price(100))
    first = await demo_rest.create_order(order)
    again = await demo_rest.create_order(order)  # 409 order_already_exists on the wire
    assert again.recovered
    assert again.order_id == first.order_id
    assert _orders_with_client_id(sim.demo, order.client_order_id) == 1


async def test_non_idempotent_writes_are_not_retried_after_5xx(
    sim: SimHandle, demo_rest: KalshiRestClient
) -> None:
    market = await quiet_market(sim, demo_rest)
    created = await demo_rest.create_order(
        OrderRequest(market.ticker, "bid", Count(500), Price(100))
    )
    faults = sim.demo.context.faults
    # reduce_by applied twice would take off twice as much: a 5xx is surfaced, not retried.
    faults.fail_rest(500, 1)
    with pytest.raises(ServerError):
        await demo_rest.decrease_order(created.order_id, reduce_by=Count(100))
    assert (await demo_rest.get_order(created.order_id)).remaining_count == 500
    faults.fail_rest(500, 1)
    with pytest.raises(ServerError):
        await demo_rest.amend_order(
            created.order_id, ticker=market.ticker, side="bid", price=Price(200), count=Count(500)
        )
    # reduce_to and cancel are idempotent: retried through the same 5xx.
    faults.fail_rest(500, 1)
    decreased = await demo_rest.decrease_order(created.order_id, reduce_to=Count(300))
    assert decreased.remaining_count == 300
    faults.fail_rest(503, 2)
    canceled = await demo_rest.cancel_order(created.order_id)
    assert canceled.reduced_by == 300
    assert faults.pending_rest_failures == 0


async def test_order_rejected_by_exchange_is_not_retried(
    sim: SimHandle, demo_rest: KalshiRestClient
) -> None:
    market = await quiet_market(sim, demo_rest)
    order = OrderRequest(market.ticker, "bid", Count(100), Price(150))  # off the tick grid
    with pytest.raises(InvalidPriceError):
        await demo_rest.create_order(order)
    assert _orders_with_client_id(sim.demo, order.client_order_id) == 0
