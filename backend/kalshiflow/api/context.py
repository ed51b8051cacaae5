"""Per-request context: resolvers reach services only through it."""

from __future__ import annotations

from dataclasses import dataclass

from strawberry.fastapi import BaseContext

from kalshiflow.coordinator import Coordinator


@dataclass
class Context(BaseContext):
    coordinator: Coordinator
