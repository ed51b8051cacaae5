"""Kalshi's authentication failures as a client sees them over HTTP."""

from __future__ import annotations

import base64
import time
from dataclasses import replace

import aiohttp
import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from kalshiflow.exchange_sim.config import SimConfig
from kalshiflow.exchange_sim.runner import SimHandle
from tests.fixtures.sim import KalshiTestClient, load_private_key, sign_headers

BALANCE = "/trade-api/v2/portfolio/balance"


@pytest.fixture
def sim_config(sim_config: SimConfig) -> SimConfig:
    return replace(sim_config, with_participants=False)


async def _get(
    session: aiohttp.ClientSession, url: str, headers: dict[str, str]
) -> tuple[int, object]:
    async with session.get(url, headers=headers) as resp:
        return resp.status, await resp.json()


async def test_signed_request_succeeds(sim: SimHandle, http_session: aiohttp.ClientSession) -> None:
    client = KalshiTestClient.for_env(http_session, sim.demo)
    status, body = await client.get("/portfolio/balance")
    assert status == 200
    assert body["balance_dollars"] == "10000.000000"


async def test_missing_signature(sim: SimHandle, http_session: aiohttp.ClientSession) -> None:
    status, body = await KalshiTestClient(http_session, sim.demo.rest_url).get("/portfolio/balance")
    assert status == 401
    assert body == {
        "error": {
            "code": "signature_is_missing_from_headers",
            "message": "signature is missing from headers",
        }
    }


async def test_account_limits_need_signature(
    sim: SimHandle, http_session: aiohttp.ClientSession
) -> None:
    status, _ = await KalshiTestClient(http_session, sim.demo.rest_url).get("/account/limits")
    assert status == 401


async def test_bad_signature(sim: SimHandle, http_session: aiohttp.ClientSession) -> None:
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    headers = sign_headers(sim.demo.key_id, other, "GET", BALANCE)
    status, body = await _get(http_session, sim.demo.rest_url + "/portfolio/balance", headers)
    assert status == 401
    assert body == {
        "error": {
            "code": "authentication_error",
            "message": "authentication_error",
            "details": "INCORRECT_API_KEY_SIGNATURE",
        }
    }


async def test_signing_the_query_fails(sim: SimHandle, http_session: aiohttp.ClientSession) -> None:
    key = load_private_key(sim.demo.private_key_path)
    path = "/trade-api/v2/portfolio/orders"
    url = f"{sim.demo.rest_url}/portfolio/orders?limit=5"
    good = sign_headers(sim.demo.key_id, key, "GET", path)
    ts = good["KALSHI-ACCESS-TIMESTAMP"]
    pss = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32)
    raw = key.sign(f"{ts}GET{path}?limit=5".encode(), pss, hashes.SHA256())
    bad = good | {"KALSHI-ACCESS-SIGNATURE": base64.b64encode(raw).decode()}
    status, body = await _get(http_session, url, bad)
    assert status == 401
    assert body["error"]["details"] == "INCORRECT_API_KEY_SIGNATURE"
    status, _ = await _get(http_session, url, good)
    assert status == 200


async def test_key_of_other_environment_is_unknown(
    sim: SimHandle, http_session: aiohttp.ClientSession
) -> None:
    # Like Kalshi: a production key means nothing to demo.
    key = load_private_key(sim.production.private_key_path)
    headers = sign_headers(sim.production.key_id, key, "GET", BALANCE)
    status, body = await _get(http_session, sim.demo.rest_url + "/portfolio/balance", headers)
    assert status == 401
    assert body == {
        "error": {
            "code": "authentication_error",
            "message": "authentication_error",
            "details": "NOT_FOUND",
        }
    }


@pytest.mark.parametrize("skew_ms", [-30_000, 6_000, 300_000])
async def test_stale_timestamp(
    sim: SimHandle, http_session: aiohttp.ClientSession, skew_ms: int
) -> None:
    key = load_private_key(sim.demo.private_key_path)
    ts = time.time_ns() // 1_000_000 + skew_ms
    headers = sign_headers(sim.demo.key_id, key, "GET", BALANCE, ts_ms=ts)
    status, body = await _get(http_session, sim.demo.rest_url + "/portfolio/balance", headers)
    assert status == 401
    assert body == {
        "error": {"code": "header_timestamp_expired", "message": "header timestamp expired"}
    }


async def test_market_data_needs_no_signature(
    sim: SimHandle, http_session: aiohttp.ClientSession
) -> None:
    status, body = await KalshiTestClient(http_session, sim.production.rest_url).get(
        "/markets", params={"limit": "1"}
    )
    assert status == 200
    assert len(body["markets"]) == 1
