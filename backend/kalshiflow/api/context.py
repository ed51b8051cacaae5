"""Per-request context: resolvers reach services only through it (``info.context``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from strawberry.fastapi import BaseContext

from kalshiflow.api.budget import ExchangeReadBudget
from kalshiflow.api.loaders import Loaders
from kalshiflow.api.services import Services
from kalshiflow.coordinator import Coordinator


@dataclass
class Context(BaseContext):
    coordinator: Coordinator
    services: Services
    loaders: Loaders
    exchange_reads: ExchangeReadBudget = field(default_factory=ExchangeReadBudget)
