"""Every GraphQL example in API.md runs against the real app and answers without errors."""

from __future__ import annotations

import json
import re
import urllib.request
from pathlib import Path

from tests.fixtures.app import RunningApp

API_MD = Path(__file__).resolve().parents[3] / "API.md"


def examples() -> list[str]:
    return re.findall(r"```graphql\n(.*?)```", API_MD.read_text(), re.S)


def test_api_md_has_examples() -> None:
    assert examples(), "API.md lost its runnable examples"


def test_every_api_md_example_runs(running_app: RunningApp) -> None:
    for query in examples():
        req = urllib.request.Request(
            running_app.graphql_url, data=json.dumps({"query": query}).encode(),
            headers={"content-type": "application/json"},
        )  # fmt: skip
        with urllib.request.urlopen(req, timeout=10) as resp:
            body = json.loads(resp.read())
        assert "errors" not in body, (query, body)
        assert body["data"], query
