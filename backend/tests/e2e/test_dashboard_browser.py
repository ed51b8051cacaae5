"""The dashboard in a real browser (Debian's Chromium via playwright-core) against the real
app in sandbox mode. The scenarios live in frontend/e2e/*.e2e.mjs; each saves a screenshot
under frontend/test-results/ and fails on any console or page error."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.fixtures.app import RunningApp

FRONTEND = Path(__file__).resolve().parents[3] / "frontend"


def test_dashboard_scenarios_pass_in_chromium(running_app: RunningApp) -> None:
    if not (FRONTEND / "dist" / "index.html").is_file():
        pytest.fail("frontend/dist is not built: run `make test` (it builds the dashboard)")
    if shutil.which("chromium") is None:
        pytest.fail(
            "Debian's chromium is missing: `make test` installs it (apt-get install chromium)"
        )
    npm = shutil.which("npm")
    assert npm is not None, "npm is required for the browser tests"
    result = subprocess.run(
        [npm, "run", "--silent", "e2e"], cwd=FRONTEND, capture_output=True, text=True,
        env={**os.environ, "KALSHIFLOW_E2E_URL": running_app.base_url.rstrip("/")},
        timeout=240, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert (FRONTEND / "test-results" / "system-health.png").is_file()
