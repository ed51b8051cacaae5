"""Starting and stopping the local exchange; API keys created once and reused."""

from __future__ import annotations

import asyncio
import os
import socket
import stat
from dataclasses import replace
from pathlib import Path

import aiohttp
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from kalshiflow.exchange_sim.config import SimConfig
from kalshiflow.exchange_sim.keys import add_key, ensure_default_keys, keys_dir, load_keys
from kalshiflow.exchange_sim.runner import SimHandle, describe, start_sim
from tests.fixtures.sim import KalshiTestClient, sign_headers


@pytest.fixture
def sim_config(sim_config: SimConfig) -> SimConfig:
    return replace(sim_config, with_participants=False)


def test_default_keys_created_once_with_private_files_0600(tmp_path: Path) -> None:
    first = ensure_default_keys(tmp_path)
    second = ensure_default_keys(tmp_path)
    assert {env: r.key_id for env, r in first.items()} == {
        env: r.key_id for env, r in second.items()
    }
    assert first["production"].key_id != first["demo"].key_id
    directory = keys_dir(tmp_path)
    assert stat.S_IMODE(directory.stat().st_mode) == 0o700
    for record in first.values():
        path = record.private_key_path(directory)
        assert path is not None
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert path.read_bytes().startswith(b"-----BEGIN RSA PRIVATE KEY-----")
    registry_text = (directory / "registry.json").read_text()
    assert "PRIVATE" not in registry_text


def test_add_key_with_own_public_key(tmp_path: Path) -> None:
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    record = add_key(tmp_path, "demo", account_id="bob", public_key_pem=pem)
    assert record.private_key_file is None
    assert [r.key_id for r in load_keys(tmp_path)] == [record.key_id]
    with pytest.raises(ValueError, match="production' or 'demo"):
        add_key(tmp_path, "staging")


def test_corrupt_registry_names_the_fix(tmp_path: Path) -> None:
    keys_dir(tmp_path).mkdir(parents=True)
    (keys_dir(tmp_path) / "registry.json").write_text("{nope")
    with pytest.raises(ValueError, match="delete it"):
        load_keys(tmp_path)


async def test_handle_urls_and_restart_reuses_keys(
    sim_config: SimConfig, http_session: aiohttp.ClientSession
) -> None:
    async with await start_sim(sim_config) as first:
        assert first.production.port != first.demo.port
        assert first.demo.rest_url == f"http://127.0.0.1:{first.demo.port}/trade-api/v2"
        assert first.demo.ws_url == f"ws://127.0.0.1:{first.demo.port}/trade-api/ws/v2"
        assert first.demo.admin_url == f"http://127.0.0.1:{first.demo.port}/_sim/admin"
        assert first.demo.account_id == "sim-demo-trader"
        assert first.production.account_id == "sim-data"
        text = describe(first)
        assert first.demo.key_id in text
        assert "PRIVATE KEY" not in text
        key_ids = (first.production.key_id, first.demo.key_id)
        port = first.demo.port
    # Stopped: the port is free again.
    with socket.create_server(("127.0.0.1", port)):
        pass
    async with await start_sim(sim_config) as second:
        assert (second.production.key_id, second.demo.key_id) == key_ids
        status, _ = await KalshiTestClient.for_env(http_session, second.demo).get(
            "/portfolio/balance"
        )
        assert status == 200


async def test_key_added_while_running_is_picked_up(
    sim: SimHandle, sim_config: SimConfig, http_session: aiohttp.ClientSession
) -> None:
    record = add_key(sim_config.data_dir, "demo", account_id="late-joiner")
    path = record.private_key_path(keys_dir(sim_config.data_dir))
    assert path is not None
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    assert isinstance(key, rsa.RSAPrivateKey)
    client = KalshiTestClient(http_session, sim.demo.rest_url, record.key_id, key)
    for _ in range(40):  # the watcher polls every 2 s
        status, body = await client.get("/portfolio/balance")
        if status == 200:
            break
        assert body["error"]["details"] == "NOT_FOUND"
        await asyncio.sleep(0.1)
    assert status == 200
    assert body["balance_dollars"] == "10000.000000"  # new demo accounts get demo funding
    # The production environment does not know a demo key.
    headers = sign_headers(record.key_id, key, "GET", "/trade-api/v2/portfolio/balance")
    async with http_session.get(
        f"{sim.production.rest_url}/portfolio/balance", headers=headers
    ) as r:
        assert r.status == 401


async def test_busy_port_error_says_what_to_do(sim_config: SimConfig) -> None:
    with socket.create_server(("127.0.0.1", 0)) as busy:
        port = busy.getsockname()[1]
        with pytest.raises(OSError, match="0 picks a free one"):
            await start_sim(replace(sim_config, production_port=port))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"n_markets": 0}, "n_markets"),
        ({"production_port": 9000, "demo_port": 9000}, "must differ"),
        ({"rate_limit_tier": "gold"}, "rate_limit_tier"),
        ({"activity_rate": -1.0}, "activity"),
    ],
)
def test_config_validation(changes: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        SimConfig(**changes)  # type: ignore[arg-type]


def test_private_key_files_never_world_readable_under_umask(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        record = add_key(tmp_path, "production")
    finally:
        os.umask(old)
    path = record.private_key_path(keys_dir(tmp_path))
    assert path is not None
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
