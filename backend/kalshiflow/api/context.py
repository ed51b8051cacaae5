"""Per-request context: resolvers reach services only through it (``info.context``)."""

from __future__ import annotations

from dataclasses import dataclass

from strawberry.fastapi import BaseContext

from kalshiflow.api.loaders import Loaders
from kalshiflow.api.services import Services
from kalshiflow.coordinator import Coordinator


@dataclass
class Context(BaseContext):
    coordinator: Coordinator
    services: Services
    loaders: Loaders
