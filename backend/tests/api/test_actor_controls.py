"""startActor and configureActor over HTTP against `kalshiflow up`: changes take effect on
the running actor, bad input comes back as user errors naming the field, nothing changes
on an error."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.api.client import data
from tests.api.conftest import SharedApp
from tests.fixtures.app import RunningApp, app_token, sqlalchemy_to_env, start_app, stop_app
from tests.fixtures.database import PgServer

STATUS = (
    "{ actor { running paused selector throttleMs contractSize targetMarketMode targetMarkets } }"
)
CONFIGURE = (
    "mutation($input: ActorConfigInput!) { configureActor(input: $input) "
    "{ running paused userErrors { field code message } } }"
)


def configure(shared: SharedApp, **fields: object) -> dict[str, object]:
    result: dict[str, object] = data(shared.app, CONFIGURE, shared.token, input=fields)[
        "configureActor"
    ]
    return result


def test_configure_changes_the_running_actor_and_back(shared_app: SharedApp) -> None:
    before = data(shared_app.app, STATUS, shared_app.token)["actor"]
    assert before["throttleMs"] == 250
    assert before["contractSize"] == "10.00"
    result = configure(shared_app, selector="HOLD", throttleMs=1000, contractSize=3,
                       targetMarketMode="ALL")  # fmt: skip
    assert result["userErrors"] == []
    after = data(shared_app.app, STATUS, shared_app.token)["actor"]
    assert (after["selector"], after["throttleMs"], after["contractSize"]) == ("hold", 1000, "3.00")
    assert after["targetMarketMode"] == "all"
    restored = configure(shared_app, selector="HARDCODED", throttleMs=250, contractSize=10,
                         targetMarketMode="HOT")  # fmt: skip
    assert restored["userErrors"] == []
    assert data(shared_app.app, STATUS, shared_app.token)["actor"]["selector"] == before["selector"]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"throttleMs": -1}, "throttleMs"),
        ({"throttleMs": 60_001}, "throttleMs"),
        ({"contractSize": 0}, "contractSize"),
        ({"selector": "MODEL"}, "modelId"),
        ({"selector": "HOLD", "modelId": 1}, "modelId"),
        ({"targetMarketMode": "CONFIG"}, "targetTickers"),
        ({"selector": "MODEL", "modelId": 999_999}, "modelId"),
    ],
)
def test_bad_input_names_the_field_and_changes_nothing(
    shared_app: SharedApp, fields: dict[str, object], field: str
) -> None:
    before = data(shared_app.app, STATUS, shared_app.token)["actor"]
    result = configure(shared_app, **{"contractSize": 7, **fields})
    errors = result["userErrors"]
    assert isinstance(errors, list)
    assert field in [e["field"] for e in errors], errors
    assert data(shared_app.app, STATUS, shared_app.token)["actor"] == before


@pytest.fixture
def app_without_actor(
    pg_server: PgServer, migrated_template: str, tmp_path: Path
) -> Iterator[tuple[RunningApp, str]]:
    name = f"kf_test_{uuid.uuid4().hex[:12]}"
    url = pg_server.create(name, template=migrated_template)
    tmp_path.chmod(0o755)
    app = start_app(
        {"DATABASE_URL": sqlalchemy_to_env(url), "KALSHIFLOW_DATA_DIR": str(tmp_path / "data"),
         "RL_ACTOR_ENABLED": "false"},
        tmp_path,
    )  # fmt: skip
    try:
        yield app, app_token(app)
    finally:
        stop_app(app.process)
        pg_server.drop(name)


def test_start_actor_when_disabled_at_start(app_without_actor: tuple[RunningApp, str]) -> None:
    app, token = app_without_actor
    assert data(app, STATUS, token)["actor"] is None
    started = data(app, "mutation { startActor { running paused userErrors { code } } }", token)
    assert started["startActor"] == {"running": True, "paused": False, "userErrors": []}
    actor = data(app, STATUS, token)["actor"]
    assert actor["running"] is True
    assert actor["selector"] == "hardcoded"
    again = data(app, "mutation { startActor { running userErrors { code } } }", token)
    assert again["startActor"] == {"running": True, "userErrors": []}
