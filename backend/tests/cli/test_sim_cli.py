"""`kalshiflow sim keys add` registers a key that the local exchange accepts."""

from __future__ import annotations

import asyncio
import base64
import json
import time
from pathlib import Path

import aiohttp
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from kalshiflow.exchange_sim.config import SimConfig
from kalshiflow.exchange_sim.runner import start_sim
from tests.fixtures.app import run_command


def _signed(key: rsa.RSAPrivateKey, key_id: str, path: str) -> dict[str, str]:
    ts = str(int(time.time() * 1000))
    sig = key.sign(
        f"{ts}GET{path}".encode(),
        padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32),
        hashes.SHA256(),
    )
    return {"KALSHI-ACCESS-KEY": key_id, "KALSHI-ACCESS-TIMESTAMP": ts,
            "KALSHI-ACCESS-SIGNATURE": base64.b64encode(sig).decode()}  # fmt: skip


def test_keys_add_generates_a_key_the_sim_accepts(app_workdir: Path) -> None:
    data_dir = app_workdir / "sim"
    result = run_command(["sim", "--data-dir", str(data_dir), "keys", "add", "--env", "demo"],
                         {}, app_workdir)  # fmt: skip
    assert result.returncode == 0, result.stderr
    key_id = result.stdout.split()[2]
    pem_path = Path(result.stdout.split("private key: ")[1].split(" (mode")[0])
    assert pem_path.stat().st_mode & 0o777 == 0o600
    key = serialization.load_pem_private_key(pem_path.read_bytes(), password=None)
    assert isinstance(key, rsa.RSAPrivateKey)

    async def balance() -> tuple[int, dict[str, object]]:
        config = SimConfig(production_port=0, demo_port=0, data_dir=data_dir, n_markets=3,
                           with_participants=False)  # fmt: skip
        async with await start_sim(config) as sim, aiohttp.ClientSession() as http:
            path = "/trade-api/v2/portfolio/balance"
            url = sim.demo.rest_url + "/portfolio/balance"
            async with http.get(url, headers=_signed(key, key_id, path)) as resp:
                return resp.status, json.loads(await resp.text())

    status, body = asyncio.run(balance())
    assert status == 200, body
    assert "balance" in body


def test_sim_refuses_a_bad_config_with_a_message(app_workdir: Path) -> None:
    result = run_command(["sim", "--markets", "0"], {}, app_workdir)
    assert result.returncode == 2
    assert "n_markets must be at least 1" in result.stderr
