"""`kalshiflow record` in-process: sandbox settings, the coordinator's database and local
exchange, the recorder around them; stopping closes the session with its rows."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from sqlalchemy.engine import URL

from kalshiflow.cli.record import record
from kalshiflow.config import Settings
from kalshiflow.persistence.write_queue import connect


async def test_record_runs_until_stopped_and_closes_its_session(
    database_url: URL, tmp_path: Path
) -> None:
    settings = Settings.from_env(
        {
            "DATABASE_URL": database_url.render_as_string(hide_password=False),
            "KALSHIFLOW_DATA_DIR": str(tmp_path),
            "ORDERBOOK_MARKET_LIMIT": "3",
            "KALSHIFLOW_SANDBOX_MARKETS": "10",
        },
        env_file=None,
    )
    stop = asyncio.Event()
    task = asyncio.create_task(record(settings, stop))
    conn = await connect(database_url)
    try:
        deadline = time.monotonic() + 30
        while not await conn.fetchval("SELECT rows_written > 20 FROM orderbook_session"):
            assert not task.done(), task
            assert time.monotonic() < deadline, "no rows recorded"
            await asyncio.sleep(0.1)
        stop.set()
        await asyncio.wait_for(task, 30)
        session = await conn.fetchrow("SELECT * FROM orderbook_session")
        deltas = await conn.fetchval("SELECT count(*) FROM orderbook_delta")
        snapshots = await conn.fetchval("SELECT count(*) FROM orderbook_snapshot")
        trades = await conn.fetchval("SELECT count(*) FROM public_trade")
    finally:
        await conn.close()
    assert session is not None
    assert (session["status"], session["environment"]) == ("closed", "simulated")
    assert len(session["market_tickers"]) == 3
    assert snapshots >= 3
    assert session["rows_written"] == deltas + snapshots + trades
