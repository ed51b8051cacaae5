"""Market discovery against the real local exchange: the most active markets are chosen, the
lifecycle channel adds and drops markets with update_subscription (no reconnect), combo
markets are skipped, and config mode watches exactly the configured tickers."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from kalshiflow.events import EventBus, MarketsChanged
from kalshiflow.exchange_sim.config import SimConfig
from kalshiflow.exchange_sim.runner import SimHandle
from kalshiflow.kalshi.models import Market
from kalshiflow.marketdata.discovery import is_multivariate, rank_markets
from kalshiflow.marketdata.service import MarketDataService
from tests.marketdata.test_feed_integration import (
    MemorySink,
    admin,
    data_client,
    data_stream,
    eventually,
)

LIMIT = 8


@pytest.fixture
def sim_config(tmp_path: Path) -> SimConfig:
    return SimConfig(
        host="127.0.0.1",
        production_port=0,
        demo_port=0,
        data_dir=tmp_path / "sim",
        seed=5,
        n_markets=30,
        activity_rate=150.0,
        demo_activity_rate=0.0,
        rate_limits_enabled=False,
        listing_interval_s=0,  # no spontaneous listings: the tests create markets themselves
    )


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


def activity(market: Market) -> tuple[int, int, int]:
    return (market.volume_24h, market.volume, market.open_interest)


async def test_picks_most_active_and_follows_lifecycle(
    sim: SimHandle, http: aiohttp.ClientSession
) -> None:
    await asyncio.sleep(3.0)  # let the participants build up uneven volume
    await admin(http, sim.production, "/activity", {"rate": 0})
    data = data_client(sim.production)
    bus = EventBus()
    changes = bus.subscribe(MarketsChanged)
    service = MarketDataService(
        data,
        data_stream(sim.production),
        MemorySink(),
        bus,
        session_id=1,
        mode="discovery",
        market_limit=LIMIT,
        refresh_interval_s=None,
    )
    try:
        await service.start()
        await asyncio.wait_for(service.wait_ready(), 20)
        markets = [m async for m in data.iter_markets(status="open")]
        assert len(markets) == 30
        chosen = set(service.books.tickers())
        assert len(chosen) == LIMIT
        # The defining property: nothing left out is more active than anything chosen.
        least_chosen = min(activity(m) for m in markets if m.ticker in chosen)
        most_left_out = max(activity(m) for m in markets if m.ticker not in chosen)
        assert least_chosen >= most_left_out
        assert least_chosen > (0, 0, 0)  # the ranking was not a tie of idle markets
        assert chosen == {m.ticker for m in rank_markets(markets, LIMIT)}
        first = changes.get_nowait()
        assert first is not None
        assert sorted(i.ticker for i in first.added) == sorted(chosen)
        assert all(service.catalog.get(t) is not None for t in chosen)
        await eventually(lambda: service.books.stats().ready == LIMIT, 15, "first snapshots")

        # A watched market closes: it leaves, freeing a slot.
        closing = sorted(chosen)[0]
        await admin(http, sim.production, f"/markets/{closing}/close", {})
        await eventually(lambda: closing not in service.books, 10, f"{closing} to be dropped")
        removed = await asyncio.wait_for(changes.get(), 5)
        assert removed.removed == (closing,)

        # A combo market opens first (skipped), then a plain one (takes the free slot).
        combo, fresh = "KXMVECROSSCATEGORY-26NOV-X1", "KXNEWLIST-26NOV-A"
        for ticker in (combo, fresh):
            await admin(
                http,
                sim.production,
                "/markets",
                {"ticker": ticker, "event_ticker": ticker.rsplit("-", 1)[0], "title": "New?"},
            )
        await eventually(lambda: fresh in service.books, 10, f"{fresh} to be subscribed")
        assert combo not in service.books
        assert is_multivariate(combo)
        added = await asyncio.wait_for(changes.get(), 5)
        assert [i.ticker for i in added.added] == [fresh]
        info = service.catalog.get(fresh)
        assert info is not None
        assert (info.title, info.event_ticker, info.status) == ("New?", "KXNEWLIST-26NOV", "active")
        # Its (empty) snapshot arrives on the same connection: no reconnect was needed.
        await eventually(lambda: service.books.is_ready(fresh), 10, f"{fresh}'s snapshot")
        assert len(service.books) == LIMIT
        health = service.client.health().stream
        assert health.connects == 1
        book_sub = next(s for s in health.subscriptions if s.channel == "orderbook_delta")
        assert book_sub.market_tickers == frozenset(service.books.tickers())

        # The market is full again: another new market waits for a slot.
        await admin(
            http, sim.production, "/markets", {"ticker": "KXLATE-26NOV-B", "event_ticker": "KXLATE"}
        )
        await asyncio.sleep(1.0)
        assert "KXLATE-26NOV-B" not in service.books
        assert service.discovery.lifecycle_events >= 4

        # Another market closes; the periodic refresh fills the slot with the most active
        # market not yet watched (ranked by REST again, so an idle new listing loses).
        second = sorted(service.books.tickers())[0]
        await admin(http, sim.production, f"/markets/{second}/close", {})
        await eventually(lambda: second not in service.books, 10, f"{second} to be dropped")
        watched = set(service.books.tickers())
        markets = [m async for m in data.iter_markets(status="open")]
        best = rank_markets([m for m in markets if m.ticker not in watched], 1)[0]
        assert await service.discovery.refresh() == [best.ticker]
        assert len(service.books) == LIMIT
        assert "KXLATE-26NOV-B" not in service.books
    finally:
        await service.stop()
        await data.aclose()


async def test_config_mode_watches_exactly_the_given_tickers(
    sim: SimHandle, http: aiohttp.ClientSession
) -> None:
    data = data_client(sim.production)
    tickers = sorted([m.ticker async for m in data.iter_markets(status="open")])[:3]
    service = MarketDataService(
        data,
        data_stream(sim.production),
        MemorySink(),
        EventBus(),
        session_id=1,
        mode="config",
        market_tickers=[*tickers, "KXTYPO-NOPE"],  # an unknown ticker must not block the rest
    )
    try:
        await service.start()
        await asyncio.wait_for(service.wait_ready(), 20)
        assert service.books.tickers() == tuple(tickers)
        await eventually(lambda: service.books.stats().ready == 3, 15, "snapshots")
        assert service.health().state == "running"
        await admin(
            http, sim.production, "/markets", {"ticker": "KXX-1-A", "event_ticker": "KXX-1"}
        )
        await asyncio.sleep(0.5)
        assert service.books.tickers() == tuple(tickers)
    finally:
        await service.stop()
        await data.aclose()


async def test_market_selection_retries_while_rest_fails(
    sim: SimHandle, http: aiohttp.ClientSession
) -> None:
    # More 503s than one listing attempt retries: the first selection fails, the service
    # reports it, backs off and succeeds once the exchange answers again.
    await admin(http, sim.production, "/faults/rest", {"status": 503, "count": 12})
    data = data_client(sim.production)
    service = MarketDataService(
        data,
        data_stream(sim.production),
        MemorySink(),
        EventBus(),
        session_id=1,
        market_limit=5,
        refresh_interval_s=None,
    )
    try:
        await service.start()
        await eventually(
            lambda: service.health().state == "degraded", 15, "the failure to be reported"
        )
        assert "choosing markets failed" in service.health().detail
        await asyncio.wait_for(service.wait_ready(), 30)
        assert len(service.books) == 5
        await eventually(lambda: service.health().state == "running", 15, "running")
    finally:
        await service.stop()
        await data.aclose()
