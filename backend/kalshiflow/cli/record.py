"""`kalshiflow record`: run the recorder alone (database + market-data feed; no actor, no API).

The recorder is a session around the stream: at start, sessions a crash left `active` are
marked `crashed`; a new session is opened for the data stream's URL; the OrderbookClient
feeds every snapshot, delta and trade into the WriteQueue while discovery picks the
markets; the session's ticker list and the `market` table follow discovery. Ctrl-C stops
the feed first, drains the queue, then closes the session.

The recorder itself is `kalshiflow.components.recorder.RecorderComponent`; this command
runs the coordinator's "record" profile: database, local exchange (sandbox mode), client
pair and recorder, without trader, actor or API.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys
from typing import Any

from kalshiflow import logs
from kalshiflow.cli.common import EXIT_CONFIG, load_settings_or_exit
from kalshiflow.config import Settings, SettingsError
from kalshiflow.coordinator import Coordinator
from kalshiflow.persistence.database import DatabaseUnavailableError

log = logging.getLogger("kalshiflow.recorder")


def register(commands: Any) -> None:
    p = commands.add_parser(
        "record",
        help="record production orderbooks to PostgreSQL (no actor, no API)",
        description="Run only the database and the market-data feed, and persist every "
        "orderbook snapshot, delta and public trade in a recording session (for training). "
        "Markets: RL_MARKET_MODE / RL_MARKET_TICKERS / ORDERBOOK_MARKET_LIMIT. "
        "Ctrl-C drains the write queue and closes the session.",
    )
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    settings = load_settings_or_exit()
    logs.configure(settings.api.log_level)
    try:
        asyncio.run(record(settings))
    except SettingsError as err:
        print(err, file=sys.stderr)
        return EXIT_CONFIG
    except DatabaseUnavailableError as err:
        print(f"kalshiflow cannot record: {err}", file=sys.stderr)
        return EXIT_CONFIG
    except KeyboardInterrupt:
        pass
    return 0


async def record(settings: Settings, stop: asyncio.Event | None = None) -> None:
    """Record until `stop` is set (or SIGINT/SIGTERM)."""
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    signals = (signal.SIGINT, signal.SIGTERM)
    for sig in signals:
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    try:
        await _record(settings, stop)
    finally:
        for sig in signals:
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.remove_signal_handler(sig)


async def _record(settings: Settings, stop: asyncio.Event) -> None:
    coordinator = Coordinator(settings, profile="record")
    await coordinator.start()
    try:
        recorder = coordinator.recorder
        # One line with a stable prefix: users read it, and tests parse it.
        print(f"kalshiflow recording: session {recorder.session_id} "
              f"({recorder.environment})", flush=True)  # fmt: skip
        await stop.wait()
    finally:
        await coordinator.stop()
