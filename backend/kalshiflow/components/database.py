"""The database component: embedded or external PostgreSQL, checked and migrated at start."""

from __future__ import annotations

import asyncio
import logging

from kalshiflow.config import DatabaseSettings
from kalshiflow.health import ComponentHealth, ComponentState
from kalshiflow.persistence import migrations
from kalshiflow.persistence.database import Database
from kalshiflow.persistence.embedded import EmbeddedPostgres
from kalshiflow.persistence.urls import to_async_url

log = logging.getLogger(__name__)


class DatabaseComponent:
    name = "database"

    def __init__(self, settings: DatabaseSettings, *, migrate: bool = True) -> None:
        self._settings = settings
        self._migrate = migrate
        self._embedded: EmbeddedPostgres | None = None
        self._db: Database | None = None
        self._state = ComponentState.STOPPED
        self._detail = ""

    @property
    def database(self) -> Database:
        if self._db is None:
            raise RuntimeError("database component is not started")
        return self._db

    async def start(self) -> None:
        self._state = ComponentState.STARTING
        if self._settings.url is None:
            self._embedded = EmbeddedPostgres(self._settings.data_dir)
            await asyncio.to_thread(self._embedded.start)
            self._db = Database(self._embedded.url(), source="embedded PostgreSQL")
            kind = "embedded"
        else:
            self._db = Database(to_async_url(self._settings.url.get_secret_value()))
            kind = "external"
        await self._db.check()
        if self._migrate:
            await migrations.upgrade(self._db.url)
        self._state = ComponentState.RUNNING
        self._detail = f"{kind} {self._db.display_url}"
        log.info("database ready: %s", self._detail)

    async def stop(self) -> None:
        if self._db is not None:
            await self._db.dispose()
        if self._embedded is not None:
            await asyncio.to_thread(self._embedded.stop)
        self._state = ComponentState.STOPPED

    def health(self) -> ComponentHealth:
        return ComponentHealth(self.name, self._state, self._detail)
