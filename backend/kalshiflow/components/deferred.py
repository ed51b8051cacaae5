"""A component built only when it starts, from things earlier components made.

The recorder needs the client pair, the trader needs the recorder's books: they cannot be
constructed with the coordinator, only once the components before them are running.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from kalshiflow.components.base import Component
from kalshiflow.health import ComponentHealth, ComponentState

C = TypeVar("C", bound=Component)


class Deferred(Generic[C]):
    def __init__(self, name: str, build: Callable[[], C]) -> None:
        self.name = name
        self._build = build
        self._inner: C | None = None

    @property
    def started(self) -> bool:
        return self._inner is not None

    @property
    def inner(self) -> C:
        if self._inner is None:
            raise RuntimeError(f"{self.name} is not started")
        return self._inner

    async def start(self) -> None:
        self._inner = self._build()
        await self._inner.start()

    async def stop(self) -> None:
        if self._inner is not None:
            await self._inner.stop()

    def health(self) -> ComponentHealth:
        if self._inner is None:
            return ComponentHealth(self.name, ComponentState.STOPPED)
        return self._inner.health()
