"""``run_sim_forever``: prints where to connect (never key material) and stops on cancel."""

from __future__ import annotations

import asyncio
import re
import socket
from dataclasses import replace

import pytest

from kalshiflow.exchange_sim.config import SimConfig
from kalshiflow.exchange_sim.runner import run_sim_forever


async def test_prints_urls_and_key_ids_then_stops_on_cancel(
    sim_config: SimConfig, capsys: pytest.CaptureFixture[str]
) -> None:
    task = asyncio.create_task(run_sim_forever(replace(sim_config, with_participants=False)))
    out = ""
    for _ in range(100):
        await asyncio.sleep(0.05)
        out = capsys.readouterr().out
        if out:
            break
    assert "REST       http://127.0.0.1:" in out
    assert "/trade-api/ws/v2" in out
    assert re.search(r"key id     [0-9a-f-]{36}", out)
    assert "PRIVATE KEY" not in out
    ports = [int(p) for p in re.findall(r"REST       http://127\.0\.0\.1:(\d+)/", out)]
    assert len(ports) == 2
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    for port in ports:  # both listeners are closed
        with socket.create_server(("127.0.0.1", port)):
            pass
