"""Trading client, data client and hybrid pair against the real local exchange."""

from __future__ import annotations

import aiohttp
import pytest

from kalshiflow.exchange_sim.runner import EnvironmentHandle, SimHandle
from kalshiflow.kalshi.auth import KalshiAuth
from kalshiflow.kalshi.errors import MarketUnavailableError, ProductionNotConfirmedError
from kalshiflow.kalshi.fixedpoint import Count, Price
from kalshiflow.kalshi.hybrid import HybridClientPair, build_client_pair
from kalshiflow.kalshi.models import OrderRequest


def _auth(env: EnvironmentHandle) -> KalshiAuth:
    return KalshiAuth.from_key_file(env.key_id, env.private_key_path)


def _pair(sim: SimHandle) -> HybridClientPair:
    return build_client_pair(
        data_rest_url=sim.production.rest_url,
        trading_rest_url=sim.demo.rest_url,
        data_auth=_auth(sim.production),
        trading_auth=_auth(sim.demo),
        data_ws_url=sim.production.ws_url,
        trading_ws_url=sim.demo.ws_url,
    )


async def _admin(env: EnvironmentHandle, path: str, body: dict[str, object]) -> None:
    async with (
        aiohttp.ClientSession() as session,
        session.post(env.admin_url + path, json=body) as resp,
    ):
        assert resp.status < 300, await resp.text()


async def test_hybrid_pair_reads_production_and_trades_demo(sim: SimHandle) -> None:
    pair = _pair(sim)
    try:
        health = pair.health()
        assert health["data"] == {
            "environment": "simulated",
            "rest_url": sim.production.rest_url,
            "ws_url": sim.production.ws_url,
            "key_id": sim.production.key_id,
        }
        trading = health["trading"]
        assert isinstance(trading, dict)
        assert (trading["environment"], trading["key_id"]) == ("demo", sim.demo.key_id)
        key_text = sim.demo.private_key_path.read_text()
        assert key_text.splitlines()[1] not in repr(health)

        discovered = [m async for m in pair.data.iter_markets(status="open")]
        assert discovered
        ticker = discovered[0].ticker
        book = await pair.data.get_orderbook(ticker)
        assert book.ticker == ticker
        placed = await pair.trading.place_order(OrderRequest(ticker, "bid", Count(100), Price(100)))
        order = await pair.trading.get_order(placed.order_id)
        assert (order.ticker, order.book_side, order.yes_price) == (ticker, "bid", 100)
        # The order is on demo, not on production.
        assert sim.demo.context.exchange.orders(sim.demo.account_id)
        assert not sim.production.context.exchange.orders(sim.production.account_id)
        await pair.trading.cancel_order(placed.order_id)
    finally:
        await pair.aclose()


async def test_market_only_on_production_is_reported_missing_on_demo(sim: SimHandle) -> None:
    await _admin(
        sim.production,
        "/markets",
        {"ticker": "KXPRODONLY-26-T1", "event_ticker": "KXPRODONLY-26"},
    )
    pair = _pair(sim)
    try:
        market = await pair.data.get_market("KXPRODONLY-26-T1")
        assert market.is_open
        order = OrderRequest("KXPRODONLY-26-T1", "bid", Count(100), Price(5000))
        with pytest.raises(MarketUnavailableError, match="does not exist on demo") as info:
            await pair.trading.place_order(order)
        assert (info.value.ticker, info.value.environment) == ("KXPRODONLY-26-T1", "demo")
        assert not sim.demo.context.exchange.orders(sim.demo.account_id)
    finally:
        await pair.aclose()


async def test_closed_market_is_refused_before_sending(sim: SimHandle) -> None:
    pair = _pair(sim)
    try:
        ticker = next(iter([m async for m in pair.data.iter_markets(status="open")])).ticker
        await _admin(sim.demo, f"/markets/{ticker}/close", {})
        with pytest.raises(MarketUnavailableError, match="not open"):
            await pair.trading.place_order(OrderRequest(ticker, "bid", Count(100), Price(100)))
        assert not sim.demo.context.exchange.orders(sim.demo.account_id)
    finally:
        await pair.aclose()


async def test_production_trading_refused_without_confirmation(sim: SimHandle) -> None:
    with pytest.raises(ProductionNotConfirmedError, match="KALSHI_PRODUCTION_CONFIRMED"):
        build_client_pair(
            data_rest_url=sim.production.rest_url,
            trading_rest_url=sim.production.rest_url,
            data_auth=_auth(sim.production),
            trading_auth=_auth(sim.production),
            trading_environment="production",
        )


async def test_data_client_cannot_write(sim: SimHandle) -> None:
    pair = _pair(sim)
    try:
        for name in ("create_order", "place_order", "cancel_order", "batch_create_orders"):
            assert not hasattr(pair.data, name)
        with pytest.raises(AttributeError):
            pair.data.create_order  # type: ignore[attr-defined]  # noqa: B018
    finally:
        await pair.aclose()
