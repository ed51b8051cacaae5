"""Misconfigurations are refused at start with a message naming the variable and the fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fixtures.app import run_command


def up(env: dict[str, str], cwd: Path) -> tuple[int, str]:
    result = run_command(["up", "--port", "0"], env, cwd)
    return result.returncode, result.stderr + result.stdout


def test_half_a_credential_pair(app_workdir: Path, rsa_key_file: Path) -> None:
    code, out = up({"KALSHI_API_KEY_ID": "k", "KALSHI_PRIVATE_KEY_PATH": str(rsa_key_file),
                    "KALSHI_DATA_API_KEY_ID": "d"}, app_workdir)  # fmt: skip
    assert code == 2
    assert "KALSHI_DATA_PRIVATE_KEY_CONTENT (or KALSHI_DATA_PRIVATE_KEY_PATH)" in out


def test_unreadable_key_file(app_workdir: Path) -> None:
    missing = app_workdir / "missing.pem"
    code, out = up({"KALSHI_API_KEY_ID": "k", "V3_HYBRID_MODE": "false",
                    "KALSHI_PRIVATE_KEY_PATH": str(missing)}, app_workdir)  # fmt: skip
    assert code == 2
    assert "KALSHI_PRIVATE_KEY_PATH" in out
    assert "missing.pem" in out


def test_key_file_that_is_not_a_key(app_workdir: Path) -> None:
    bogus = app_workdir / "bogus.pem"
    bogus.write_text("-----BEGIN PRIVATE KEY-----\nc2VjcmV0LWJ5dGVz\n-----END PRIVATE KEY-----\n")
    code, out = up({"KALSHI_API_KEY_ID": "k", "V3_HYBRID_MODE": "false",
                    "KALSHI_PRIVATE_KEY_PATH": str(bogus)}, app_workdir)  # fmt: skip
    assert code == 2
    assert "KALSHI_PRIVATE_KEY_PATH" in out
    assert "c2VjcmV0LWJ5dGVz" not in out


def test_production_without_confirmation(app_workdir: Path, rsa_key_file: Path) -> None:
    code, out = up({"KALSHI_API_KEY_ID": "k", "KALSHI_PRIVATE_KEY_PATH": str(rsa_key_file),
                    "V3_HYBRID_MODE": "false", "KALSHI_TRADING_ENVIRONMENT": "production"},
                   app_workdir)  # fmt: skip
    assert code == 2
    assert "KALSHI_PRODUCTION_CONFIRMED=true" in out


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://nobody@127.0.0.1:1/none",
        "postgresql://nobody:pw@127.0.0.1:5432/does_not_exist",
    ],
)
def test_unreachable_database_url(app_workdir: Path, url: str) -> None:
    code, out = up({"DATABASE_URL": url}, app_workdir)
    assert code == 2
    assert "DATABASE_URL: cannot connect" in out
    assert ":pw@" not in out  # the password is never echoed


def test_doctor_reports_every_problem_and_fails(app_workdir: Path) -> None:
    result = run_command(["doctor"], {"KALSHI_API_KEY_ID": "k"}, app_workdir)
    assert result.returncode == 1
    assert "KALSHI_PRIVATE_KEY_CONTENT (or KALSHI_PRIVATE_KEY_PATH)" in result.stdout
    assert "KALSHI_DATA_API_KEY_ID" in result.stdout
