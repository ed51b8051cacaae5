"""Actor reads and controls against `kalshiflow up` (sandbox: the actor trades the local
exchange's demo with its hardcoded rules)."""

from __future__ import annotations

import time

from tests.api.client import data
from tests.api.conftest import SharedApp

STATUS = "{ actor { running paused selector modelVersion steps } }"


def test_pause_and_resume_the_actor(shared_app: SharedApp) -> None:
    app, token = shared_app.app, shared_app.token
    actor = data(app, STATUS, token)["actor"]
    assert actor["running"] is True
    assert actor["selector"]
    paused = data(
        app, 'mutation { pauseActor(reason: "test") { running paused userErrors { code } } }', token
    )
    assert paused["pauseActor"] == {"running": True, "paused": True, "userErrors": []}
    assert data(app, STATUS, token)["actor"]["paused"] is True
    resumed = data(app, "mutation { resumeActor { paused userErrors { code } } }", token)
    assert resumed["resumeActor"] == {"paused": False, "userErrors": []}


def test_actor_actions_are_logged_with_exact_order_fields(shared_app: SharedApp) -> None:
    app, token = shared_app.app, shared_app.token
    query = (
        "{ actorActions(limit: 50) { id ticker action outcome orderYesPrice orderCount "
        "decisionLatencyUs } }"
    )
    deadline = time.monotonic() + 30
    actions: list[dict[str, object]] = []
    while time.monotonic() < deadline and not actions:
        actions = data(app, query, token)["actorActions"]
        time.sleep(0.5)
    assert actions, "the actor logged no decision within 30 s"
    ids = [a["id"] for a in actions]
    assert ids == sorted(ids, reverse=True)  # type: ignore[type-var]
    for a in actions:
        assert a["action"] in (0, 1, 2, 3, 4)
        price = a["orderYesPrice"]
        assert price is None or (isinstance(price, str) and len(price.split(".")[1]) == 4)
