"""ASGI middleware in front of the GraphQL endpoint: the token check and the size limit.

It runs before Strawberry sees the request, so an unauthenticated client costs one header
comparison and cannot make the server parse anything. WebSockets pass through: their token
arrives in ``connection_init`` (see ``kalshiflow.api.router``). The GraphiQL page itself (a
GET without a query) stays public: the page is harmless, the queries it sends need the token.
"""

from __future__ import annotations

import json
from typing import Final
from urllib.parse import parse_qs

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kalshiflow.api.auth import bearer, token_matches

UNAUTHORIZED: Final = (
    "missing or wrong API token: send `Authorization: Bearer <token>` (the token is in the "
    "URL `kalshiflow up` prints, in <KALSHIFLOW_DATA_DIR>/api_token, or KALSHIFLOW_API_TOKEN)"
)


class GraphQLGuard:
    def __init__(self, app: ASGIApp, *, token: str, path: str, max_body_bytes: int) -> None:
        self._app = app
        self._token = token
        self._path = path.rstrip("/")
        self._max_body = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].rstrip("/") != self._path:
            await self._app(scope, receive, send)
            return
        method = scope["method"]
        if method == "OPTIONS" or (method == "GET" and not _has_query(scope)):
            await self._app(scope, receive, send)  # CORS preflight, the GraphiQL page
            return
        if not token_matches(bearer(_header(scope, b"authorization")), self._token):
            await _error(send, 401, UNAUTHORIZED, {b"www-authenticate": b"Bearer"})
            return
        declared = _header(scope, b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self._max_body:
            await _error(send, 413, self._too_large())
            return
        body = await self._read_body(receive)
        if body is None:
            await _error(send, 413, self._too_large())
            return
        await self._app(scope, _replay(body, receive), send)

    def _too_large(self) -> str:
        return f"request body larger than {self._max_body} bytes; send a smaller operation"

    async def _read_body(self, receive: Receive) -> bytes | None:
        """The whole body, or None past the limit (chunked uploads have no length)."""
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return b"".join(chunks)  # client went away; let the app see an empty body
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self._max_body:
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)


def _replay(body: bytes, upstream: Receive) -> Receive:
    """Hands the buffered body to the app once, then the real stream (its disconnect)."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await upstream()

    return receive


def _has_query(scope: Scope) -> bool:
    qs: bytes = scope.get("query_string", b"")
    return "query" in parse_qs(qs.decode("latin-1"))


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key.lower() == name:
            return bytes(value).decode("latin-1")
    return None


async def _error(
    send: Send, status: int, message: str, extra: dict[bytes, bytes] | None = None
) -> None:
    body = json.dumps({"errors": [{"message": message}]}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    headers += list((extra or {}).items())
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
