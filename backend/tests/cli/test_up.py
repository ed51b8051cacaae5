"""`kalshiflow up` as a user runs it: a real process, a real database, health over HTTP."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

from sqlalchemy.engine import URL

from tests.fixtures.app import RunningApp, app_token, sqlalchemy_to_env, start_app, stop_app

HEALTH = "{ health { status mode version components { name state detail } } }"


def graphql(url: str, query: str, token: str) -> dict[str, object]:
    req = urllib.request.Request(
        url, data=json.dumps({"query": query}).encode(),
        headers={"content-type": "application/json", "authorization": f"Bearer {token}"},
    )  # fmt: skip
    with urllib.request.urlopen(req, timeout=10) as resp:
        body: dict[str, object] = json.loads(resp.read())
    return body


def test_sandbox_app_reports_health_over_http(running_app: RunningApp, api_token: str) -> None:
    body = graphql(running_app.graphql_url, HEALTH, api_token)
    health = body["data"]["health"]  # type: ignore[index]
    assert health["mode"] == "sandbox"
    states = {c["name"]: c["state"] for c in health["components"]}
    assert states["database"] == "RUNNING"
    assert states["local_exchange"] == "RUNNING"
    assert states["kalshi_clients"] == "RUNNING"
    assert health["status"] == "RUNNING"
    clients = next(c for c in health["components"] if c["name"] == "kalshi_clients")
    # Where each side talks, with key ids, never keys.
    assert "data: production http://127.0.0.1:" in clients["detail"]
    assert "orders: demo http://127.0.0.1:" in clients["detail"]
    assert "PRIVATE" not in json.dumps(body)


def test_dashboard_or_build_hint_is_served_at_root(running_app: RunningApp) -> None:
    with urllib.request.urlopen(running_app.base_url, timeout=10) as resp:
        page = resp.read().decode()
    assert "kalshiflow" in page


def test_single_mode_with_key_file_starts_and_stops_cleanly(
    database_url: URL, app_workdir: Path, rsa_key_file: Path
) -> None:
    app = start_app(
        {"DATABASE_URL": sqlalchemy_to_env(database_url), "V3_HYBRID_MODE": "false",
         "KALSHI_API_KEY_ID": "key-1", "KALSHI_PRIVATE_KEY_PATH": str(rsa_key_file),
         "KALSHI_API_URL": "http://127.0.0.1:9/trade-api/v2",
         "KALSHIFLOW_DATA_DIR": str(app_workdir / "data")},
        app_workdir,
    )  # fmt: skip
    try:
        health = graphql(app.graphql_url, HEALTH, app_token(app))["data"]["health"]  # type: ignore[index]
        assert health["mode"] == "single"
        states = {c["name"]: c["state"] for c in health["components"]}
        assert "local_exchange" not in states
        # Nothing listens on port 9: the app runs, and says which variable to check.
        assert states["kalshi_clients"] == "DEGRADED"
        clients = next(c for c in health["components"] if c["name"] == "kalshi_clients")
        assert "check KALSHI_API_URL" in clients["detail"]
    finally:
        assert stop_app(app.process) == 0, "".join(app.output)
    # The private key file's content is never printed.
    assert "PRIVATE KEY" not in "".join(app.output)
