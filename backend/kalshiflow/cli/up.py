"""`kalshiflow up`: start every service, the API and the dashboard."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import socket
import sys
from typing import Any

import uvicorn
from fastapi import FastAPI

from kalshiflow import logs
from kalshiflow.api.app import create_app
from kalshiflow.api.auth import dashboard_url, resolve_token
from kalshiflow.cli.common import EXIT_CONFIG, load_settings_or_exit
from kalshiflow.config import Settings, SettingsError
from kalshiflow.coordinator import Coordinator
from kalshiflow.persistence.database import DatabaseUnavailableError

log = logging.getLogger("kalshiflow")


def register(commands: Any) -> None:
    p = commands.add_parser(
        "up",
        help="run everything: exchange clients, recorder, actor, API and dashboard",
        description="Start every service in order and serve the API and dashboard. "
        "Migrations run first. Ctrl-C stops everything in reverse order.",
    )
    p.add_argument("--host", help="listen address (default: KALSHIFLOW_HOST or 127.0.0.1)")
    p.add_argument("--port", type=int, help="port (default: KALSHIFLOW_PORT or 8000; 0 = any)")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    settings = load_settings_or_exit()
    logs.configure(settings.api.log_level)
    host = args.host or settings.api.host
    port = settings.api.port if args.port is None else args.port
    try:
        asyncio.run(serve(settings, host, port))
    except SettingsError as err:
        print(err, file=sys.stderr)
        return EXIT_CONFIG
    except DatabaseUnavailableError as err:
        print(f"kalshiflow cannot start: {err}", file=sys.stderr)
        return EXIT_CONFIG
    except KeyboardInterrupt:
        pass
    return 0


def bind(host: str, port: int) -> socket.socket:
    """Bind before serving so port 0 works and the printed URL is the real one."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP explicitly: asyncio sets TCP_NODELAY only on sockets that say they are
    # TCP, and without it every response waits ~40 ms for the client's delayed ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        # Listening now means a client that reads the ready line can connect at once; the
        # kernel queues it until uvicorn accepts.
        sock.listen(2048)
    except OSError as err:
        sock.close()
        raise SystemExit(
            f"kalshiflow cannot listen on {host}:{port} ({err.strerror}): set KALSHIFLOW_PORT "
            "to a free port or stop the other process"
        ) from None
    return sock


async def serve(settings: Settings, host: str, port: int) -> None:
    sock = bind(host, port)
    coordinator = Coordinator(settings)
    await coordinator.start()
    app: FastAPI | None = None
    try:
        token = resolve_token(settings.api.token, settings.database.data_dir)
        app = create_app(coordinator, token=token)
        config = uvicorn.Config(app, log_level="warning", lifespan="off", ws="websockets-sansio")
        server = uvicorn.Server(config)
        actual_port = sock.getsockname()[1]
        shown_host = "127.0.0.1" if host in ("0.0.0.0", "::") else host  # noqa: S104
        # One line with a stable prefix: users read it, and tests parse it. The URL carries
        # the API token once (as Jupyter does); the dashboard stores it and drops it from
        # the address bar.
        url = dashboard_url(f"http://{shown_host}:{actual_port}/", token)
        print(f"kalshiflow ready: dashboard {url} (mode {coordinator.mode.value})", flush=True)
        await server.serve(sockets=[sock])
    finally:
        with contextlib.suppress(Exception):
            sock.close()
        if app is not None:
            # The API's own clients (demo books) and book router, before the services go.
            await app.state.services.aclose()
        await coordinator.stop()
        log.info("stopped")
