"""Limits that keep one client from exhausting the server, and the caches that make the
common case cheap. Constants for now; they can move to ApiSettings if anyone needs to tune
them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Final

from graphql import GraphQLError
from strawberry.extensions import (
    MaskErrors,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    SchemaExtension,
    ValidationCache,
)

# The dashboard's deepest query (market -> orderbook -> levels -> fields) is 4 levels; 10
# leaves room for scripts while refusing the recursive "a { b { a { b ..." attack.
MAX_QUERY_DEPTH: Final = 10
# Aliases multiply work without multiplying tokens (`a1: markets a2: markets ...`);
# fragments are expanded when counting, so hiding them in a fragment does not help.
MAX_ALIASES: Final = 30
# Bounds parsing time; the GraphiQL introspection query is about 300 tokens.
MAX_TOKENS: Final = 3000
# A request body beyond this is refused with 413 before it is parsed.
MAX_BODY_BYTES: Final = 64 * 1024
# Subscriptions (and any operation in flight) per WebSocket connection.
MAX_SUBSCRIPTIONS_PER_CONNECTION: Final = 20
# A socket that does not send connection_init within this is closed (4408).
CONNECTION_INIT_TIMEOUT: Final = timedelta(seconds=10)
# Parsed and validated documents: a dashboard sends the same few dozen operations.
DOCUMENT_CACHE_SIZE: Final = 512


def is_internal(error: GraphQLError) -> bool:
    """Errors a client may read: GraphQL's own (syntax, validation, limits), bad arguments
    (ValueError, written for the caller), a service that is not running, and the exchange's
    refusals. Anything else is a bug or an infrastructure failure whose message may carry
    internals (SQL, paths): the client gets "Unexpected error." and the log gets the rest."""
    from kalshiflow.api.services import ServiceUnavailableError
    from kalshiflow.api.streams import SlowConsumerError
    from kalshiflow.kalshi.errors import KalshiClientError

    original = error.original_error
    if original is None or isinstance(original, GraphQLError):
        return False
    shown = (ValueError, ServiceUnavailableError, SlowConsumerError, KalshiClientError)
    return not isinstance(original, shown)


def schema_extensions() -> list[Callable[[], SchemaExtension]]:
    """Factories (not instances): Strawberry builds fresh extensions per operation, while
    the parser and validation caches live at module level and are shared."""
    return [
        lambda: ParserCache(maxsize=DOCUMENT_CACHE_SIZE),
        lambda: ValidationCache(maxsize=DOCUMENT_CACHE_SIZE),
        lambda: QueryDepthLimiter(max_depth=MAX_QUERY_DEPTH),
        lambda: MaxAliasesLimiter(max_alias_count=MAX_ALIASES),
        lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
        lambda: MaskErrors(should_mask_error=is_internal),
    ]
