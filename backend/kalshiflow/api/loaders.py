"""DataLoaders: a list of N orders with their fills costs one query, not N + 1.

Built per request context. Over HTTP that is one request; over a WebSocket it is the whole
connection, so the loaders do not cache: they batch the loads of one execution tick, and a
later operation on the same socket still sees new fills."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from strawberry.dataloader import DataLoader

from kalshiflow.api.services import Services
from kalshiflow.api.types.trading import Fill
from kalshiflow.persistence.tables import Fill as FillRow


@dataclass
class Loaders:
    fills_by_order: DataLoader[str, list[Fill]]
    queries: list[int]  # one entry per database round trip (tests and the bench read it)


def build_loaders(services: Services) -> Loaders:
    queries: list[int] = []

    async def load_fills(client_order_ids: Sequence[str]) -> list[list[Fill]]:
        db = services.database()
        if db is None:
            return [[] for _ in client_order_ids]
        queries.append(len(client_order_ids))
        async with db.session() as s:
            rows = await s.scalars(
                select(FillRow)
                .where(FillRow.client_order_id.in_(list(client_order_ids)))
                .order_by(FillRow.executed_at, FillRow.id)
            )
            found: dict[str, list[Fill]] = defaultdict(list)
            for row in rows:
                found[row.client_order_id].append(Fill.of_row(row))
        return [found.get(cid, []) for cid in client_order_ids]

    return Loaders(fills_by_order=DataLoader(load_fn=load_fills, cache=False), queries=queries)
