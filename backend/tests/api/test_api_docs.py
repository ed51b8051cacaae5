"""Every GraphQL example in API.md runs against the real app and answers without errors;
every subscription example (```graphql-subscription) delivers its first event, and those
that wait for trading events (```graphql-subscription-on-event) validate."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from graphql import parse, validate

from kalshiflow.api.schema import schema
from tests.api.client import data, open_ws, recv, subscribe
from tests.api.client import post as post_query
from tests.api.conftest import SharedApp

API_MD = Path(__file__).resolve().parents[3] / "API.md"


def examples(kind: str = "graphql") -> list[str]:
    return re.findall(rf"```{kind}\n(.*?)```", API_MD.read_text(), re.S)


def variables_for(query: str, ticker: str) -> dict[str, Any]:
    """Examples with `$ticker` run with the first listed market's ticker."""
    return {"ticker": ticker} if "$ticker" in query else {}


def first_ticker(shared: SharedApp) -> str:
    found = data(shared.app, "{ markets(first: 1) { nodes { ticker } } }", shared.token)
    ticker: str = found["markets"]["nodes"][0]["ticker"]
    return ticker


def test_api_md_has_examples() -> None:
    assert examples(), "API.md lost its runnable examples"
    assert examples("graphql-subscription"), "API.md lost its subscription examples"
    assert examples("graphql-subscription-on-event")


def test_every_api_md_example_runs(shared_app: SharedApp) -> None:
    ticker = first_ticker(shared_app)
    for query in examples():
        variables = variables_for(query, ticker)
        resp = post_query(shared_app.app, query, variables, token=shared_app.token)
        assert resp.status_code == 200, (query, resp.text)
        body = resp.json()
        assert "errors" not in body, (query, body)
        assert body["data"], query


async def test_every_api_md_subscription_delivers(shared_app: SharedApp) -> None:
    ticker = first_ticker(shared_app)
    ws = await open_ws(shared_app.app, {"Authorization": f"Bearer {shared_app.token}"})
    try:
        assert (await recv(ws))["type"] == "connection_ack"
        for i, query in enumerate(examples("graphql-subscription")):
            await subscribe(ws, str(i), query, variables_for(query, ticker))
            message = await recv(ws, timeout=30)
            while message.get("id") != str(i):  # late events of the previous example
                message = await recv(ws, timeout=30)
            assert message["type"] == "next", (query, message)
            assert "errors" not in message["payload"], (query, message)
            await ws.send(json.dumps({"id": str(i), "type": "complete"}))
    finally:
        await ws.close()


def test_event_subscription_examples_validate() -> None:
    for query in examples("graphql-subscription-on-event"):
        errors = validate(schema._schema, parse(query))
        assert not errors, (query, errors)
