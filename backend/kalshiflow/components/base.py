"""The life-cycle protocol the coordinator drives."""

from __future__ import annotations

from typing import Protocol

from kalshiflow.health import ComponentHealth


class Component(Protocol):
    name: str

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    def health(self) -> ComponentHealth: ...
