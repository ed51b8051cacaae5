"""Start and stop the local exchange: two environments, each on its own port, in one process.

* "production": the busy data source (many markets, the participant simulation at full rate).
* "demo": the same tickers with thinner books and prices drifting away from production, and
  a funded trading account.

Each environment has its own engine ``Exchange``, accounts, key registry, rate limiter and
fault injector, and is served by its own aiohttp app (REST, WebSocket, admin). Background
tasks per environment: the engine clock (opens/closes markets, expires orders), the
participant driver, and a watcher that registers keys added by ``kalshiflow sim keys add``
while the simulator runs.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from aiohttp import web

from kalshiflow.exchange_sim.activity import ActivityDriver
from kalshiflow.exchange_sim.config import SimConfig
from kalshiflow.exchange_sim.engine.exchange import Exchange
from kalshiflow.exchange_sim.keys import (
    DEFAULT_ACCOUNTS,
    Environment,
    KeyRecord,
    ensure_default_keys,
    keys_dir,
    load_keys,
    register_keys,
)
from kalshiflow.exchange_sim.listings import ListingSchedule, split_universe
from kalshiflow.exchange_sim.participants.population import build_participants
from kalshiflow.exchange_sim.participants.universe import Universe, build_universe
from kalshiflow.exchange_sim.server.admin import ADMIN_PREFIX
from kalshiflow.exchange_sim.server.app import API_PREFIX, WS_PATH, build_app
from kalshiflow.exchange_sim.server.auth import KeyRegistry
from kalshiflow.exchange_sim.server.context import SimContext, wall_clock_ms
from kalshiflow.exchange_sim.server.faults import FaultInjector
from kalshiflow.exchange_sim.server.ratelimit import RateLimiter, tier
from kalshiflow.kalshi.fixedpoint import Money

log = logging.getLogger(__name__)

ENGINE_TICK_S: Final = 0.5
KEY_RELOAD_S: Final = 2.0
SHUTDOWN_TIMEOUT_S: Final = 2.0


@dataclass(frozen=True, slots=True)
class EnvironmentHandle:
    """One running environment: where to connect and with which key (a path, never bytes)."""

    name: str
    port: int
    rest_url: str  # http://127.0.0.1:PORT/trade-api/v2
    ws_url: str  # ws://127.0.0.1:PORT/trade-api/ws/v2
    admin_url: str  # http://127.0.0.1:PORT/_sim/admin
    key_id: str
    private_key_path: Path
    account_id: str
    context: SimContext  # in-process access (tests, sandbox); not part of the wire protocol


@dataclass(slots=True)
class _Running:
    handle: EnvironmentHandle
    runner: web.AppRunner
    tasks: list[asyncio.Task[None]] = field(default_factory=list)


class SimHandle:
    """Both running environments; ``await stop()`` (or ``async with``) shuts them down."""

    def __init__(
        self,
        config: SimConfig,
        production: _Running,
        demo: _Running,
        listings: ListingSchedule | None = None,
    ) -> None:
        self.config = config
        self._envs = (production, demo)
        self.production = production.handle
        self.demo = demo.handle
        self.listings = listings
        self._stopped = False

    def list_new_market(self) -> str | None:
        """List the next reserved market on both environments now (also run on a timer)."""
        if self.listings is None:
            return None
        return self.listings.list_next(wall_clock_ms() // 1000)

    async def stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        for env in self._envs:
            await _stop_environment(env)

    async def __aenter__(self) -> SimHandle:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()


async def _stop_environment(env: _Running) -> None:
    for task in env.tasks:
        task.cancel()
    for task in env.tasks:
        with contextlib.suppress(asyncio.CancelledError):
            await task
    await env.runner.cleanup()


def _url_host(host: str) -> str:
    if host in ("", "0.0.0.0"):  # noqa: S104 - only the URL we print, not a bind
        return "127.0.0.1"
    if host == "::":
        return "[::1]"
    return f"[{host}]" if ":" in host else host


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise OSError(
            f"cannot listen on {host}:{port} ({exc.strerror}); choose another port "
            "(0 picks a free one)"
        ) from exc
    sock.setblocking(False)
    return sock


def _spawn(coro: Coroutine[Any, Any, None], name: str) -> asyncio.Task[None]:
    return asyncio.get_running_loop().create_task(coro, name=name)


async def _every(interval_s: float, action: Callable[[], object], what: str) -> None:
    """Run ``action`` every ``interval_s``; a failing step is logged, not fatal."""
    while True:
        await asyncio.sleep(interval_s)
        try:
            action()
        except Exception:
            log.exception("simulator %s failed", what)


def _ensure_account(exchange: Exchange, account_id: str, funding: Money) -> None:
    if not exchange.has_account(account_id):
        exchange.create_account(account_id, funding)


def _key_watcher(
    config: SimConfig, env: Environment, exchange: Exchange, registry: KeyRegistry
) -> Callable[[], None]:
    """Registers keys that ``kalshiflow sim keys add`` wrote while we run (mtime-checked)."""
    path = keys_dir(config.data_dir) / "registry.json"
    funding = config.demo_funding if env == "demo" else config.production_funding
    last_mtime = path.stat().st_mtime_ns if path.exists() else 0

    def reload() -> None:
        nonlocal last_mtime
        mtime = path.stat().st_mtime_ns if path.exists() else 0
        if mtime == last_mtime:
            return
        last_mtime = mtime
        records = load_keys(config.data_dir)
        for record in records:
            if record.environment == env:
                _ensure_account(exchange, record.account_id, funding)
        added = register_keys(registry, records, env)
        if added:
            log.info("%s: registered %d new API key(s)", env, added)

    return reload


async def _start_environment(
    config: SimConfig,
    env: Environment,
    port: int,
    universe: Universe,
    default_key: KeyRecord,
    records: list[KeyRecord],
) -> _Running:
    exchange = Exchange(wall_clock_ms, id_seed=None)
    universe.install(exchange)
    funding = config.demo_funding if env == "demo" else config.production_funding
    _ensure_account(exchange, DEFAULT_ACCOUNTS[env], funding)
    for record in records:
        if record.environment == env:
            _ensure_account(exchange, record.account_id, funding)
    registry = KeyRegistry(timestamp_window_ms=config.timestamp_window_ms)
    register_keys(registry, records, env)

    activity: ActivityDriver | None = None
    if config.with_participants:
        rate = config.activity_rate if env == "production" else config.demo_activity_rate
        drift = config.demo_drift if env == "demo" else 0
        participants = build_participants(
            exchange,
            seed=config.seed,
            thin=env == "demo",
            drift=drift,
            initial_fair=universe.initial_fair,
        )
        activity = ActivityDriver(participants, rate)
        # Quote the books before the first client connects: a fresh "production" should
        # already look busy rather than fill up over the first minute.
        activity.warm_up(config.warmup_steps_per_market * len(universe.markets))

    ctx = SimContext(
        name=env,
        exchange=exchange,
        keys=registry,
        limiter=RateLimiter(tier(config.rate_limit_tier), enabled=config.rate_limits_enabled),
        faults=FaultInjector(),
        clock_ms=wall_clock_ms,
        activity=activity,
    )
    app = build_app(ctx, with_admin=config.admin_enabled)
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=SHUTDOWN_TIMEOUT_S)
    await runner.setup()
    sock = _bind(config.host, port)
    site = web.SockSite(runner, sock)
    try:
        await site.start()
    except BaseException:
        await runner.cleanup()
        raise
    bound_port = int(sock.getsockname()[1])
    base = f"{_url_host(config.host)}:{bound_port}"
    key_path = default_key.private_key_path(keys_dir(config.data_dir))
    assert key_path is not None  # default keys are always generated here
    handle = EnvironmentHandle(
        name=env,
        port=bound_port,
        rest_url=f"http://{base}{API_PREFIX}",
        ws_url=f"ws://{base}{WS_PATH}",
        admin_url=f"http://{base}{ADMIN_PREFIX}",
        key_id=default_key.key_id,
        private_key_path=key_path,
        account_id=default_key.account_id,
        context=ctx,
    )
    running = _Running(handle, runner)
    running.tasks.append(_spawn(_every(ENGINE_TICK_S, exchange.tick, "engine tick"), "sim-tick"))
    running.tasks.append(
        _spawn(
            _every(KEY_RELOAD_S, _key_watcher(config, env, exchange, registry), "key reload"),
            "sim-keys",
        )
    )
    if activity is not None:
        running.tasks.append(_spawn(activity.run(), f"sim-participants-{env}"))
    return running


async def start_sim(config: SimConfig) -> SimHandle:
    """Start both environments and return once they accept connections."""
    defaults = await asyncio.to_thread(ensure_default_keys, config.data_dir)
    records = load_keys(config.data_dir)
    # One listing for both environments: the same tickers, like Kalshi's production and demo.
    # The universe holds a reserve of markets that are listed later, while running.
    full = build_universe(
        config.seed, config.n_markets + config.listing_reserve, start_ms=wall_clock_ms()
    )
    universe, pending = split_universe(full, config.n_markets)
    production = await _start_environment(
        config, "production", config.production_port, universe, defaults["production"], records
    )
    try:
        demo = await _start_environment(
            config, "demo", config.demo_port, universe, defaults["demo"], records
        )
    except BaseException:
        await _stop_environment(production)
        raise
    if config.listing_interval_s > 0 and pending:
        schedule = ListingSchedule(
            full, pending, [production.handle.context.exchange, demo.handle.context.exchange]
        )
        handle = SimHandle(config, production, demo, schedule)
        production.tasks.append(
            _spawn(
                _every(config.listing_interval_s, handle.list_new_market, "new listing"),
                "sim-listings",
            )
        )
        return handle
    return SimHandle(config, production, demo)


def describe(handle: SimHandle) -> str:
    """Human-readable URLs and key ids (never private key material, only its path)."""
    lines = ["kalshiflow local exchange is running"]
    for env in (handle.production, handle.demo):
        lines += [
            f"  {env.name}:",
            f"    REST       {env.rest_url}",
            f"    WebSocket  {env.ws_url}",
            f"    admin      {env.admin_url}  (loopback only)",
            f"    key id     {env.key_id}  (account {env.account_id})",
            f"    key file   {env.private_key_path}",
        ]
    return "\n".join(lines)


async def run_sim_forever(config: SimConfig) -> None:
    """Run until cancelled (Ctrl-C), printing where to connect."""
    handle = await start_sim(config)
    try:
        print(describe(handle), flush=True)
        await asyncio.Event().wait()
    finally:
        await handle.stop()


__all__ = ["EnvironmentHandle", "SimHandle", "describe", "run_sim_forever", "start_sim"]
