"""Fixtures for the Kalshi client tests: real clients pointed at the running local exchange."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from kalshiflow.exchange_sim.runner import EnvironmentHandle, SimHandle
from kalshiflow.kalshi.auth import KalshiAuth
from kalshiflow.kalshi.errors import NotFoundError
from kalshiflow.kalshi.fixedpoint import MONEY_SCALE, Money
from kalshiflow.kalshi.models import Market
from kalshiflow.kalshi.rest import KalshiRestClient
from kalshiflow.kalshi.transport import RetryPolicy


async def _no_sleep(_seconds: float) -> None:
    """Backoff without waiting: the retries are what is tested, not the wall clock."""


def rest_client_for(
    env: EnvironmentHandle, *, timeout_s: float = 5.0, fast_retries: bool = True
) -> KalshiRestClient:
    auth = KalshiAuth.from_key_file(env.key_id, env.private_key_path)
    return KalshiRestClient(
        env.rest_url,
        auth,
        timeout_s=timeout_s,
        retry=RetryPolicy(max_attempts=5, base_s=0.05, cap_s=0.5),
        sleep=_no_sleep if fast_retries else None,
    )


@pytest.fixture
async def demo_rest(sim: SimHandle) -> AsyncIterator[KalshiRestClient]:
    async with rest_client_for(sim.demo) as client:
        yield client


@pytest.fixture
async def prod_rest(sim: SimHandle) -> AsyncIterator[KalshiRestClient]:
    async with rest_client_for(sim.production) as client:
        yield client


@pytest.fixture(scope="session")
def counterparty_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture
async def demo_counterparty(
    sim: SimHandle, counterparty_key: rsa.RSAPrivateKey
) -> AsyncIterator[KalshiRestClient]:
    """A second funded demo account (registered in-process) to trade against."""
    ctx = sim.demo.context
    ctx.exchange.create_account("counterparty", Money(1_000 * MONEY_SCALE))
    key_id = "counterparty-key"
    ctx.keys.add(key_id, counterparty_key.public_key(), "counterparty")
    async with KalshiRestClient(sim.demo.rest_url, KalshiAuth(key_id, counterparty_key)) as client:
        yield client


QUIET_TICKER = "KXCLIENTTEST-26DEC31-T1"


async def quiet_market(sim: SimHandle, client: KalshiRestClient) -> Market:
    """A demo market no simulated participant trades, so a test's orders meet only the
    orders the test places (participants are paused too; their warm-up quotes stay put)."""
    admin = sim.demo.admin_url
    async with aiohttp.ClientSession() as session:
        async with session.post(f"{admin}/activity", json={"rate": 0}) as resp:
            assert resp.status in (200, 409), await resp.text()  # 409: no participants
        try:
            return await client.get_market(QUIET_TICKER)
        except NotFoundError:
            pass
        body = {"ticker": QUIET_TICKER, "event_ticker": QUIET_TICKER.rsplit("-", 1)[0]}
        async with session.post(f"{admin}/markets", json=body) as resp:
            assert resp.status == 201, await resp.text()
    market = await client.get_market(QUIET_TICKER)
    assert market.is_open
    return market
