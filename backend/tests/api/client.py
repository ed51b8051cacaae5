"""Small real clients for the API tests: HTTP (httpx) and graphql-transport-ws (websockets)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import httpx
from websockets.asyncio.client import ClientConnection, connect
from websockets.typing import Subprotocol

from tests.fixtures.app import RunningApp

WS_PROTOCOL = Subprotocol("graphql-transport-ws")


def post(
    app: RunningApp,
    query: str,
    variables: Mapping[str, Any] | None = None,
    *,
    token: str | None,
    headers: Mapping[str, str] | None = None,
) -> httpx.Response:
    sent = dict(headers or {})
    if token is not None:
        sent["Authorization"] = f"Bearer {token}"
    body: dict[str, Any] = {"query": query}
    if variables:
        body["variables"] = dict(variables)
    return httpx.post(app.graphql_url, json=body, headers=sent, timeout=15)


def data(app: RunningApp, query: str, token: str, **variables: Any) -> dict[str, Any]:
    """Run a query that must succeed; its `data`."""
    resp = post(app, query, variables, token=token)
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]
    return result


async def adata(app: RunningApp, query: str, token: str, **variables: Any) -> dict[str, Any]:
    """`data` for a server in this event loop (a blocking client would deadlock it)."""
    body: dict[str, Any] = {"query": query}
    if variables:
        body["variables"] = variables
    async with httpx.AsyncClient(timeout=15) as client:
        resp = await client.post(
            app.graphql_url, json=body, headers={"Authorization": f"Bearer {token}"}
        )
    assert resp.status_code == 200, resp.text
    parsed = resp.json()
    assert "errors" not in parsed, parsed
    result: dict[str, Any] = parsed["data"]
    return result


def ws_url(app: RunningApp) -> str:
    return app.graphql_url.replace("http://", "ws://", 1)


async def open_ws(
    app: RunningApp, init_payload: Mapping[str, Any] | None, *, origin: str | None = None
) -> ClientConnection:
    """A graphql-transport-ws connection with connection_init sent (ack not awaited)."""
    extra = {"Origin": origin} if origin else None
    ws = await connect(
        ws_url(app),
        subprotocols=[WS_PROTOCOL],
        additional_headers=extra,
        # Unbounded: a test that leaves messages unread must not stall its own close
        # handshake behind the client's flow control.
        max_queue=None,
    )
    message: dict[str, Any] = {"type": "connection_init"}
    if init_payload is not None:
        message["payload"] = dict(init_payload)
    await ws.send(json.dumps(message))
    return ws


async def recv(ws: ClientConnection, timeout: float = 15) -> dict[str, Any]:
    import asyncio

    raw = await asyncio.wait_for(ws.recv(), timeout)
    message: dict[str, Any] = json.loads(raw)
    return message


async def subscribe(
    ws: ClientConnection, op_id: str, query: str, variables: Mapping[str, Any] | None = None
) -> None:
    payload: dict[str, Any] = {"query": query}
    if variables:
        payload["variables"] = dict(variables)
    await ws.send(json.dumps({"id": op_id, "type": "subscribe", "payload": payload}))
