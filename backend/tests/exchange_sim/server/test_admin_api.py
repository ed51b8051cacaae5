"""The simulator's admin API (``/_sim/admin``): accounts, markets, activity, loopback-only."""

from __future__ import annotations

import socket
from dataclasses import replace
from typing import Any

import aiohttp
import pytest

from kalshiflow.exchange_sim.activity import ActivityDriver
from kalshiflow.exchange_sim.config import SimConfig
from kalshiflow.exchange_sim.runner import SimHandle, start_sim
from kalshiflow.exchange_sim.server.admin import is_loopback
from tests.fixtures.sim import KalshiTestClient, v2_order


@pytest.fixture
def sim_config(sim_config: SimConfig) -> SimConfig:
    return replace(sim_config, with_participants=False)


async def admin(
    session: aiohttp.ClientSession, base: str, method: str, path: str, body: Any = None
) -> tuple[int, Any]:
    async with session.request(method, base + path, json=body) as resp:
        return resp.status, await resp.json()


async def test_status(sim: SimHandle, http_session: aiohttp.ClientSession) -> None:
    status, body = await admin(http_session, sim.production.admin_url, "GET", "/status")
    assert status == 200
    assert body["environment"] == "production"
    assert body["markets"] == 20
    assert body["faults"]["pending_rest_failures"] == []


async def test_fund_creates_and_funds_account(
    sim: SimHandle, http_session: aiohttp.ClientSession
) -> None:
    base = sim.demo.admin_url
    status, body = await admin(
        http_session, base, "POST", "/accounts/alice/fund", {"amount_dollars": "12.345678"}
    )
    assert status == 200
    assert body["balance_dollars"] == "12.345678"
    assert body["balance"] == 1234
    await admin(http_session, base, "POST", "/accounts/alice/fund", {"amount_dollars": "1"})
    status, body = await admin(http_session, base, "GET", "/accounts/alice")
    assert body["balance_dollars"] == "13.345678"
    status, body = await admin(
        http_session, base, "POST", "/accounts/alice/fund", {"amount_dollars": 5}
    )
    assert status == 400
    status, _ = await admin(http_session, base, "GET", "/accounts/nobody")
    assert status == 404


async def test_create_sub_cent_market_and_trade_it(
    sim: SimHandle, http_session: aiohttp.ClientSession
) -> None:
    base = sim.demo.admin_url
    ranges = [{"start": "0.0000", "end": "1.0000", "step": "0.0010"}]
    status, body = await admin(
        http_session,
        base,
        "POST",
        "/markets",
        {"ticker": "KXTEST-E1-A", "event_ticker": "KXTEST-E1", "price_ranges": ranges},
    )
    assert status == 201, body
    assert body["status"] == "active"
    trader = KalshiTestClient.for_env(http_session, sim.demo)
    _, market = await trader.get("/markets/KXTEST-E1-A")
    assert market["market"]["price_level_structure"] == "deci_cent"
    status, _ = await trader.post(
        "/portfolio/events/orders", json=v2_order("KXTEST-E1-A", "bid", "0.4330", "1")
    )
    assert status == 201
    _, event = await trader.get("/events/KXTEST-E1")
    assert event["event"]["series_ticker"] == "KXTEST"


async def test_market_lifecycle_steps(sim: SimHandle, http_session: aiohttp.ClientSession) -> None:
    base = sim.demo.admin_url
    ticker = sim.demo.context.exchange.markets()[0].ticker
    trader = KalshiTestClient.for_env(http_session, sim.demo)
    status, body = await admin(http_session, base, "POST", f"/markets/{ticker}/close")
    assert (status, body["status"]) == (200, "closed")
    status, body = await trader.post(
        "/portfolio/events/orders", json=v2_order(ticker, "bid", "0.5000", "1")
    )
    assert status == 400
    assert body["error"]["code"] == "market_closed"
    status, body = await admin(
        http_session, base, "POST", f"/markets/{ticker}/determine", {"result": "maybe"}
    )
    assert status == 400
    status, body = await admin(
        http_session, base, "POST", f"/markets/{ticker}/determine", {"result": "no"}
    )
    assert (status, body["status"], body["result"]) == (200, "determined", "no")
    status, body = await admin(http_session, base, "POST", f"/markets/{ticker}/settle")
    assert (status, body["status"]) == (200, "finalized")
    _, listing = await trader.get("/markets", params={"status": "settled"})
    assert [m["ticker"] for m in listing["markets"]] == [ticker]
    status, _ = await admin(http_session, base, "POST", "/markets/NOPE/close")
    assert status == 404


class Counter:
    def __init__(self) -> None:
        self.steps = 0

    def step(self) -> None:
        self.steps += 1


async def test_activity_rate(sim: SimHandle, http_session: aiohttp.ClientSession) -> None:
    base = sim.demo.admin_url
    sim.demo.context.activity = None
    status, _ = await admin(http_session, base, "POST", "/activity", {"rate": 5})
    assert status == 409  # nothing to drive
    driver = ActivityDriver(Counter(), 1.0)
    sim.demo.context.activity = driver
    status, body = await admin(http_session, base, "POST", "/activity", {"rate": 250})
    assert (status, body["activity_rate"]) == (200, 250.0)
    assert driver.rate == 250.0
    status, _ = await admin(http_session, base, "POST", "/activity", {"rate": -1})
    assert status == 400


def test_activity_driver_runs_rate_steps() -> None:
    counter = Counter()
    driver = ActivityDriver(counter, 40.0)
    assert driver.advance(0.1) == 4
    assert driver.advance(0.01) == 0  # fractions carry over
    assert driver.advance(0.015) == 1
    driver.set_rate(0)
    assert driver.advance(10) == 0
    assert counter.steps == 5


@pytest.mark.parametrize(
    ("remote", "ok"),
    [
        ("127.0.0.1", True),
        ("127.8.9.10", True),
        ("::1", True),
        ("::ffff:127.0.0.1", True),
        ("192.0.2.2", False),
        ("fd00::2", False),
        (None, False),
        ("garbage", False),
    ],
)
def test_is_loopback(remote: str | None, ok: bool) -> None:
    assert is_loopback(remote) is ok


def _non_loopback_address() -> str | None:
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("192.0.2.254", 9))  # no packet is sent for a UDP connect
        address = probe.getsockname()[0]
    except OSError:
        return None
    finally:
        probe.close()
    return None if address.startswith("127.") else str(address)


async def test_admin_refuses_non_loopback_peers(
    sim_config: SimConfig, http_session: aiohttp.ClientSession
) -> None:
    address = _non_loopback_address()
    if address is None:
        pytest.skip("this machine has no non-loopback IPv4 address to connect from")
    config = replace(sim_config, host="0.0.0.0")  # reachable on eth0 for this test
    async with await start_sim(config) as handle:
        url = f"http://{address}:{handle.demo.port}"
        async with http_session.get(f"{url}/_sim/admin/status") as resp:
            assert resp.status == 403
            body = await resp.json()
            assert body["error"]["code"] == "forbidden"
        async with http_session.get(f"{url}/trade-api/v2/exchange/status") as resp:
            assert resp.status == 200  # the trading API itself is reachable
        async with http_session.get(f"http://127.0.0.1:{handle.demo.port}/_sim/admin/status") as r:
            assert r.status == 200
