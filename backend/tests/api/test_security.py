"""The API's safety layer over real HTTP and WebSocket against `kalshiflow up`: the token,
the limits, CORS and the WebSocket origin check."""

from __future__ import annotations

import asyncio
import json
import stat
from pathlib import Path

import httpx
import pytest
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.typing import Subprotocol

from tests.api.client import data, open_ws, post, recv, subscribe
from tests.api.conftest import SharedApp
from tests.fixtures.app import RunningApp, app_token, start_app, stop_app

HEALTH = "{ health { status } }"


def test_no_token_is_401_and_says_how_to_get_one(shared_app: SharedApp) -> None:
    running_app = shared_app.app
    resp = post(running_app, HEALTH, token=None)
    assert resp.status_code == 401
    assert resp.headers["www-authenticate"] == "Bearer"
    assert "Authorization: Bearer" in resp.json()["errors"][0]["message"]


def test_wrong_token_is_401(shared_app: SharedApp) -> None:
    running_app, api_token = shared_app.app, shared_app.token
    assert post(running_app, HEALTH, token=api_token + "x").status_code == 401
    resp = post(running_app, HEALTH, token=None, headers={"Authorization": api_token})
    assert resp.status_code == 401, "the Bearer scheme is required"


def test_right_token_answers(shared_app: SharedApp) -> None:
    running_app, api_token = shared_app.app, shared_app.token
    assert data(running_app, HEALTH, api_token)["health"]["status"]


def test_query_over_get_needs_the_token_and_graphiql_page_does_not(shared_app: SharedApp) -> None:
    running_app, api_token = shared_app.app, shared_app.token
    url = running_app.graphql_url
    assert httpx.get(url, params={"query": HEALTH}, timeout=10).status_code == 401
    ok = httpx.get(
        url, params={"query": HEALTH}, headers={"Authorization": f"Bearer {api_token}"}, timeout=10
    )
    assert ok.status_code == 200
    assert ok.json()["data"]["health"]
    page = httpx.get(url, headers={"Accept": "text/html"}, timeout=10)
    assert page.status_code == 200
    assert "graphiql" in page.text.lower()
    assert httpx.get(running_app.base_url, timeout=10).status_code == 200  # the SPA is public


def test_token_is_generated_once_kept_0600_and_reused(
    database_url: object, app_workdir: Path, running_app: RunningApp
) -> None:
    token_file = app_workdir / "data" / "api_token"
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    first = app_token(running_app)
    assert token_file.read_text().strip() == first
    assert len(first) >= 40
    stop_app(running_app.process)
    env = {"DATABASE_URL": _env_url(database_url), "KALSHIFLOW_DATA_DIR": str(app_workdir / "data")}
    again = start_app(env, app_workdir)
    try:
        assert app_token(again) == first
    finally:
        stop_app(again.process)


def _env_url(url: object) -> str:
    from tests.fixtures.app import sqlalchemy_to_env

    return sqlalchemy_to_env(url)  # type: ignore[arg-type]


def test_mutation_over_get_is_refused(shared_app: SharedApp) -> None:
    running_app, api_token = shared_app.app, shared_app.token
    resp = httpx.get(
        running_app.graphql_url,
        params={"query": "mutation { __typename }"},
        headers={"Authorization": f"Bearer {api_token}"},
        timeout=10,
    )
    assert resp.status_code == 400
    assert "mutations are not allowed when using GET" in resp.text


def test_depth_limit(shared_app: SharedApp) -> None:
    running_app, api_token = shared_app.app, shared_app.token
    deep = "{ markets(first: 1) { edges { node { orderbook { yesBids { price } } } } } }"
    assert "errors" not in post(running_app, deep, token=api_token).json()
    # The schema has no cycles, so depth is measured on nesting alone (the limiter runs as
    # a validation rule before, and independently of, field checks).
    too_deep = "{ " + "markets { edges { node { " * 4 + "ticker" + " } } }" * 4 + " }"
    body = post(running_app, too_deep, token=api_token).json()
    messages = [e["message"] for e in body["errors"]]
    assert any("exceeds maximum operation depth of 10" in m for m in messages), messages


def test_alias_limit_counts_fragments(shared_app: SharedApp) -> None:
    running_app, api_token = shared_app.app, shared_app.token
    aliases = " ".join(f"a{i}: health {{ status }}" for i in range(20))
    query = f"query {{ ...F ...G }} fragment F on Query {{ {aliases} }} " + (
        "fragment G on Query { " + " ".join(f"b{i}: health {{ status }}" for i in range(20)) + " }"
    )
    body = post(running_app, query, token=api_token).json()
    assert "aliases found" in body["errors"][0]["message"]


def test_token_limit(shared_app: SharedApp) -> None:
    running_app, api_token = shared_app.app, shared_app.token
    query = "{ " + " ".join(["__typename"] * 4000) + " }"
    body = post(running_app, query, token=api_token).json()
    assert "token" in body["errors"][0]["message"].lower()


def test_request_size_limit(shared_app: SharedApp) -> None:
    running_app, api_token = shared_app.app, shared_app.token
    padding = " " * (70 * 1024)
    resp = post(running_app, "{ health { status } }" + padding, token=api_token)
    assert resp.status_code == 413
    assert "larger than" in resp.json()["errors"][0]["message"]


def test_cors_allows_only_configured_origins(shared_app: SharedApp) -> None:
    running_app, api_token = shared_app.app, shared_app.token
    preflight = httpx.options(
        running_app.graphql_url,
        headers={
            "Origin": "https://evil.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization,content-type",
        },
        timeout=10,
    )
    assert "access-control-allow-origin" not in preflight.headers
    resp = post(running_app, HEALTH, token=api_token, headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in resp.headers


def test_cors_origin_from_settings(database_url: object, app_workdir: Path) -> None:
    env = {
        "DATABASE_URL": _env_url(database_url),
        "KALSHIFLOW_DATA_DIR": str(app_workdir / "data"),
        "KALSHIFLOW_API_TOKEN": "configured-token-123",
        "KALSHIFLOW_CORS_ORIGINS": "http://dash.example:5173",
    }
    app = start_app(env, app_workdir)
    try:
        assert app_token(app) == "configured-token-123"
        assert not (app_workdir / "data" / "api_token").exists()
        preflight = httpx.options(
            app.graphql_url,
            headers={
                "Origin": "http://dash.example:5173",
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "authorization,content-type",
            },
            timeout=10,
        )
        assert preflight.headers["access-control-allow-origin"] == "http://dash.example:5173"
        resp = post(app, HEALTH, token=None, headers={"Origin": "http://dash.example:5173"})
        assert resp.status_code == 401
        assert resp.headers["access-control-allow-origin"] == "http://dash.example:5173"
        asyncio.run(_ws_origin_allowed(app))
    finally:
        stop_app(app.process)


async def _ws_origin_allowed(app: RunningApp) -> None:
    ws = await open_ws(app, {"token": "configured-token-123"}, origin="http://dash.example:5173")
    try:
        assert (await recv(ws))["type"] == "connection_ack"
    finally:
        await ws.close()


async def test_ws_without_token_is_closed_4401(shared_app: SharedApp) -> None:
    running_app = shared_app.app
    for payload in (None, {}, {"Authorization": "Bearer nope"}, {"token": "nope"}):
        ws = await open_ws(running_app, payload)
        with pytest.raises(ConnectionClosed) as closed:
            await recv(ws)
        assert closed.value.rcvd is not None
        assert closed.value.rcvd.code == 4401, payload


async def test_ws_with_token_in_either_form_is_acknowledged(shared_app: SharedApp) -> None:
    running_app, api_token = shared_app.app, shared_app.token
    for payload in ({"Authorization": f"Bearer {api_token}"}, {"token": api_token}):
        ws = await open_ws(running_app, payload)
        try:
            assert (await recv(ws))["type"] == "connection_ack"
        finally:
            await ws.close()


async def test_ws_subscribe_before_init_is_refused(shared_app: SharedApp) -> None:
    running_app = shared_app.app
    from websockets.asyncio.client import connect

    from tests.api.client import WS_PROTOCOL, ws_url

    ws = await connect(ws_url(running_app), subprotocols=[WS_PROTOCOL])
    await subscribe(ws, "1", "subscription { systemHealth { status } }")
    with pytest.raises(ConnectionClosed) as closed:
        await recv(ws)
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 4401


async def test_ws_from_a_foreign_origin_is_refused(shared_app: SharedApp) -> None:
    running_app, api_token = shared_app.app, shared_app.token
    with pytest.raises(InvalidStatus) as refused:
        await open_ws(running_app, {"token": api_token}, origin="https://evil.example")
    assert refused.value.response.status_code == 403


async def test_legacy_graphql_ws_protocol_is_refused(shared_app: SharedApp) -> None:
    running_app = shared_app.app
    from websockets.asyncio.client import connect

    from tests.api.client import ws_url

    try:
        ws = await connect(ws_url(running_app), subprotocols=[Subprotocol("graphql-ws")])
    except InvalidStatus:
        return
    # Accepted without the subprotocol: Strawberry then closes it (4406).
    with pytest.raises(ConnectionClosed) as closed:
        await ws.recv()
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code != 1000


async def test_subscription_limit_per_connection(shared_app: SharedApp) -> None:
    running_app, api_token = shared_app.app, shared_app.token
    from kalshiflow.api.limits import MAX_SUBSCRIPTIONS_PER_CONNECTION

    ws = await open_ws(running_app, {"token": api_token})
    try:
        assert (await recv(ws))["type"] == "connection_ack"
        for i in range(MAX_SUBSCRIPTIONS_PER_CONNECTION + 1):
            await subscribe(ws, str(i), "subscription { systemHealth { status } }")
        refused = None
        for _ in range(MAX_SUBSCRIPTIONS_PER_CONNECTION + 1):
            message = await recv(ws)
            if message["type"] == "error":
                refused = message
                break
        assert refused is not None, "the subscription over the limit was accepted"
        assert refused["id"] == str(MAX_SUBSCRIPTIONS_PER_CONNECTION)
        assert "limit" in json.dumps(refused["payload"]).lower()
    finally:
        await ws.close()
