"""REST fault injection through the admin API, observed by a client over real sockets."""

from __future__ import annotations

import time
from dataclasses import replace
from typing import Any

import aiohttp
import pytest

from kalshiflow.exchange_sim.config import SimConfig
from kalshiflow.exchange_sim.runner import SimHandle
from tests.fixtures.sim import KalshiTestClient


@pytest.fixture
def sim_config(sim_config: SimConfig) -> SimConfig:
    return replace(sim_config, with_participants=False)


async def arm(session: aiohttp.ClientSession, base: str, path: str, body: Any = None) -> Any:
    async with session.post(base + path, json=body) as resp:
        assert resp.status == 200, await resp.text()
        return await resp.json()


async def test_next_requests_fail_with_5xx_then_recover(
    sim: SimHandle, http_session: aiohttp.ClientSession
) -> None:
    client = KalshiTestClient.for_env(http_session, sim.demo)
    await arm(http_session, sim.demo.admin_url, "/faults/rest", {"status": 503, "count": 2})
    for _ in range(2):
        status, body = await client.get("/portfolio/balance")
        assert status == 503
        assert body["error"]["code"] == "service_unavailable"
    status, _ = await client.get("/portfolio/balance")
    assert status == 200


async def test_injected_429_has_kalshi_body(
    sim: SimHandle, http_session: aiohttp.ClientSession
) -> None:
    client = KalshiTestClient(http_session, sim.production.rest_url)
    await arm(http_session, sim.production.admin_url, "/faults/rest", {"status": 429})
    status, body = await client.get("/markets")
    assert (status, body) == (429, {"error": "too many requests"})
    status, _ = await client.get("/markets")
    assert status == 200


async def test_faults_are_per_environment(
    sim: SimHandle, http_session: aiohttp.ClientSession
) -> None:
    await arm(http_session, sim.demo.admin_url, "/faults/rest", {"status": 500, "count": 5})
    status, _ = await KalshiTestClient(http_session, sim.production.rest_url).get(
        "/exchange/status"
    )
    assert status == 200
    status, _ = await KalshiTestClient(http_session, sim.demo.rest_url).get("/exchange/status")
    assert status == 500


async def test_latency_then_clear(sim: SimHandle, http_session: aiohttp.ClientSession) -> None:
    client = KalshiTestClient(http_session, sim.demo.rest_url)
    await arm(http_session, sim.demo.admin_url, "/faults/rest_latency", {"seconds": 0.3})
    started = time.monotonic()
    status, _ = await client.get("/exchange/status")
    assert status == 200
    assert time.monotonic() - started >= 0.3
    async with http_session.delete(sim.demo.admin_url + "/faults") as resp:
        assert (await resp.json())["rest_latency_s"] == 0.0
    started = time.monotonic()
    await client.get("/exchange/status")
    assert time.monotonic() - started < 0.3


async def test_lost_reply_handles_the_request_then_answers_late(
    sim: SimHandle, http_session: aiohttp.ClientSession
) -> None:
    client = KalshiTestClient(http_session, sim.demo.rest_url)
    await arm(http_session, sim.demo.admin_url, "/faults/rest_lost_reply",
              {"seconds": 0.3, "count": 1})  # fmt: skip
    started = time.monotonic()
    status, _ = await client.get("/exchange/status")
    assert status == 200
    assert time.monotonic() - started >= 0.3
    started = time.monotonic()
    await client.get("/exchange/status")
    assert time.monotonic() - started < 0.3  # only `count` answers are held back


async def test_admin_is_not_affected_by_rest_faults(
    sim: SimHandle, http_session: aiohttp.ClientSession
) -> None:
    await arm(http_session, sim.demo.admin_url, "/faults/rest", {"status": 503, "count": 3})
    async with http_session.get(sim.demo.admin_url + "/faults") as resp:
        assert resp.status == 200
        assert (await resp.json())["pending_rest_failures"] == [503, 503, 503]


async def test_ws_fault_arming(sim: SimHandle, http_session: aiohttp.ClientSession) -> None:
    base = sim.demo.admin_url
    body = await arm(http_session, base, "/faults/ws/refuse", {"status": 502, "seconds": 30})
    assert body["ws_upgrade_refusal"] == 502
    body = await arm(http_session, base, "/faults/ws/skip_seq", {"count": 2})
    assert body["pending_seq_skips"] == 2
    body = await arm(http_session, base, "/faults/ws/delay", {"seconds": 0.5, "duration_s": 10})
    assert body["ws_message_delay_s"] == 0.5
    body = await arm(http_session, base, "/faults/ws/drop")
    assert body == {"dropped": 0}
    async with http_session.post(
        base + "/faults/ws/refuse", json={"status": 500, "seconds": 1}
    ) as r:
        assert r.status == 400
    async with http_session.post(base + "/faults/rest", json={"status": 200}) as r:
        assert r.status == 400
    # The WebSocket handler sees the refusal armed above.
    async with http_session.get(sim.demo.ws_url.replace("ws://", "http://")) as r:
        assert r.status == 502
