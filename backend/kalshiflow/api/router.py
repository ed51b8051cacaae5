"""The GraphQL router: Strawberry's FastAPI router with the WebSocket token check.

Subscriptions speak graphql-transport-ws only (the legacy graphql-ws protocol had an
authentication-bypass CVE in Strawberry). The token arrives in the ``connection_init``
payload; a wrong or missing one closes the socket with 4401 before any operation runs.
Cross-origin upgrades are refused by Strawberry's ``allowed_origins`` check (403).
"""

from __future__ import annotations

import contextlib
import logging
from typing import Any

from starlette.websockets import WebSocket
from strawberry.asgi import ASGIWebSocketAdapter
from strawberry.exceptions import ConnectionRejectionError
from strawberry.fastapi import GraphQLRouter
from strawberry.types.unset import UnsetType

from kalshiflow.api.auth import connection_init_token, token_matches
from kalshiflow.api.context import Context

log = logging.getLogger(__name__)

WS_UNAUTHORIZED = 4401


class _ClosingOnceAdapter(ASGIWebSocketAdapter):
    """Strawberry closes with 4403 after a rejected connection_init; we already closed
    with 4401 (the code clients read as "wrong credentials"), so a second close is a no-op."""

    async def close(self, code: int, reason: str) -> None:
        with contextlib.suppress(RuntimeError):  # "close message has already been sent"
            await super().close(code, reason)


class AuthenticatedGraphQLRouter(GraphQLRouter[Context, None]):
    websocket_adapter_class = _ClosingOnceAdapter

    def __init__(self, *args: Any, token: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._token = token

    async def on_ws_connect(self, context: Context) -> UnsetType | dict[str, object] | None:
        params = context.connection_params
        token = connection_init_token(params if isinstance(params, dict) else None)
        if not token_matches(token, self._token):
            ws = context.request
            if isinstance(ws, WebSocket):
                await ws.close(
                    code=WS_UNAUTHORIZED,
                    reason='missing or wrong API token: send {"Authorization": "Bearer <token>"}',
                )
            log.info("WebSocket refused: missing or wrong API token")
            raise ConnectionRejectionError
        return await super().on_ws_connect(context)
