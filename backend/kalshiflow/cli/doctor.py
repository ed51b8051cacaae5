"""`kalshiflow doctor`: check settings, keys, database and exchange, and say what to fix."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp

from kalshiflow import logs
from kalshiflow.components.database import DatabaseComponent
from kalshiflow.components.endpoints import Endpoint, data_endpoint, trading_endpoint
from kalshiflow.config import RunMode, Settings, SettingsError

Check = Callable[[], Awaitable[str]]


def register(commands: Any) -> None:
    p = commands.add_parser(
        "doctor",
        help="check settings, keys, database and exchange reachability",
        description="Runs every check even after a failure and prints what to fix. "
        "Exit status 0 when all pass, 1 otherwise.",
    )
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    logs.configure("ERROR")
    return asyncio.run(diagnose())


async def diagnose() -> int:
    try:
        settings = Settings.from_env()
    except SettingsError as err:
        print("✗ settings")
        for problem in err.problems:
            print(f"    fix: {problem}")
        return 1
    print(f"✓ settings (mode {settings.mode.value})")
    checks: list[tuple[str, Check]] = [("database", lambda: _database(settings))]
    if settings.mode is RunMode.SANDBOX:
        print("✓ exchange: sandbox mode, `kalshiflow up` starts the local exchange itself")
    else:
        for label, endpoint in (("data", data_endpoint(settings)),
                                ("trading", trading_endpoint(settings))):  # fmt: skip
            checks.append((f"{label} key", _key_check(endpoint)))
            checks.append((f"{label} exchange", _reach_check(endpoint)))
    failed = 0
    for name, check in checks:
        try:
            detail = await check()
        except Exception as err:  # every failure is reported, none stops the others
            failed += 1
            print(f"✗ {name}\n    fix: {err}")
        else:
            print(f"✓ {name}: {detail}")
    return 1 if failed else 0


async def _database(settings: Settings) -> str:
    component = DatabaseComponent(settings.database, migrate=False)
    try:
        await component.start()
        return component.health().detail
    finally:
        await component.stop()


def _key_check(endpoint: Endpoint) -> Check:
    async def check() -> str:
        auth = endpoint.auth()
        return f"key id {auth.key_id} loads and signs"

    return check


def _reach_check(endpoint: Endpoint) -> Check:
    async def check() -> str:
        url = endpoint.rest_url.rstrip("/") + "/exchange/status"
        try:
            timeout = aiohttp.ClientTimeout(total=5)
            async with aiohttp.ClientSession(timeout=timeout) as s, s.get(url) as resp:
                if resp.status != 200:
                    raise RuntimeError(f"{url} answered HTTP {resp.status}")
                return f"{endpoint.environment} at {endpoint.rest_url} answers"
        except (aiohttp.ClientError, TimeoutError) as err:
            var = f"{endpoint.variable_prefix}API_URL"
            raise RuntimeError(f"{var}: {url} is unreachable ({type(err).__name__})") from None

    return check
