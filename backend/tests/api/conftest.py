"""One `kalshiflow up` for all API tests: starting the app costs seconds, and most API tests
only read. Tests that need a fresh start (token files, settings) start their own."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.fixtures.app import RunningApp, app_token, sqlalchemy_to_env, start_app, stop_app
from tests.fixtures.database import PgServer

# The trading core on the local exchange (no participants) for tests/api/test_trading_api.py.
from tests.trading.test_order_manager_env import (  # noqa: F401 - fixtures
    counterparty,
    database,
    pair,
    rig,
    sim_config,
)


@dataclass(frozen=True)
class SharedApp:
    app: RunningApp
    token: str
    workdir: Path


@pytest.fixture(scope="package")
def shared_app(
    pg_server: PgServer, migrated_template: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SharedApp]:
    name = f"kf_test_{uuid.uuid4().hex[:12]}"
    url = pg_server.create(name, template=migrated_template)
    workdir = tmp_path_factory.mktemp("api")
    workdir.chmod(0o755)
    app = start_app(
        {"DATABASE_URL": sqlalchemy_to_env(url), "KALSHIFLOW_DATA_DIR": str(workdir / "data")},
        workdir,
    )
    try:
        yield SharedApp(app, app_token(app), workdir)
    finally:
        stop_app(app.process)
        pg_server.drop(name)
