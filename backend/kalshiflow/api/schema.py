"""The Strawberry schema: the contract exported to frontend/schema.graphql."""

from __future__ import annotations

import strawberry
from strawberry.schema.config import StrawberryConfig

from kalshiflow.api.limits import schema_extensions
from kalshiflow.api.mutations import Mutation
from kalshiflow.api.queries import Query
from kalshiflow.api.scalars import SCALAR_MAP
from kalshiflow.api.subscriptions import Subscription

schema = strawberry.Schema(
    query=Query,
    mutation=Mutation,
    subscription=Subscription,
    extensions=schema_extensions(),
    config=StrawberryConfig(scalar_map=SCALAR_MAP),
)


def export_sdl() -> str:
    return schema.as_str() + "\n"
