"""WebSocket faults armed through the admin API, seen by a real signed WebSocket client."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from urllib.parse import urlsplit

import aiohttp
import pytest

from kalshiflow.exchange_sim.config import SimConfig
from kalshiflow.exchange_sim.runner import EnvironmentHandle, SimHandle
from tests.fixtures.sim import load_private_key, sign_headers


@pytest.fixture
def sim_config(sim_config: SimConfig) -> SimConfig:
    return replace(sim_config, with_participants=False)


def ws_headers(env: EnvironmentHandle) -> dict[str, str]:
    key = load_private_key(env.private_key_path)
    return sign_headers(env.key_id, key, "GET", urlsplit(env.ws_url).path)


async def test_drop_all_closes_open_sockets(
    sim: SimHandle, http_session: aiohttp.ClientSession
) -> None:
    async with http_session.ws_connect(sim.demo.ws_url, headers=ws_headers(sim.demo)) as ws:
        await ws.send_json({"id": 1, "cmd": "list_subscriptions"})
        reply = await asyncio.wait_for(ws.receive_json(), 5)
        assert reply["id"] == 1
        async with http_session.post(f"{sim.demo.admin_url}/faults/ws/drop") as resp:
            assert (await resp.json()) == {"dropped": 1}
        msg = await asyncio.wait_for(ws.receive(), 5)
        assert msg.type in (
            aiohttp.WSMsgType.CLOSED,
            aiohttp.WSMsgType.CLOSE,
            aiohttp.WSMsgType.ERROR,
        )


async def test_refused_upgrades_then_accepted(
    sim: SimHandle, http_session: aiohttp.ClientSession
) -> None:
    body = {"status": 503, "seconds": 0.5}
    async with http_session.post(f"{sim.demo.admin_url}/faults/ws/refuse", json=body) as resp:
        assert resp.status == 200
    with pytest.raises(aiohttp.WSServerHandshakeError) as err:
        await http_session.ws_connect(sim.demo.ws_url, headers=ws_headers(sim.demo))
    assert err.value.status == 503
    # Other environment unaffected.
    async with http_session.ws_connect(sim.production.ws_url, headers=ws_headers(sim.production)):
        pass
    await asyncio.sleep(0.6)
    async with http_session.ws_connect(sim.demo.ws_url, headers=ws_headers(sim.demo)):
        pass


async def test_unsigned_upgrade_is_401(sim: SimHandle, http_session: aiohttp.ClientSession) -> None:
    with pytest.raises(aiohttp.WSServerHandshakeError) as err:
        await http_session.ws_connect(sim.demo.ws_url)
    assert err.value.status == 401
