"""Settings: flat variable names into nested groups, and refusals that name the fix."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from kalshiflow.config import ENV_VARS, RunMode, Settings, SettingsError, TradingEnvironment

PEM_MARKER = "-----BEGIN PRIVATE KEY-----"


def load(env: dict[str, str], env_file: Path | None = None) -> Settings:
    return Settings.from_env(env, env_file=env_file)


def problems(env: dict[str, str]) -> list[str]:
    with pytest.raises(SettingsError) as info:
        load(env)
    return info.value.problems


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    path = tmp_path / "key.pem"
    path.write_text(PEM_MARKER + "\nnot-a-real-key\n-----END PRIVATE KEY-----\n")
    return path


def test_defaults_are_sandbox_with_documented_values() -> None:
    s = load({})
    assert s.mode is RunMode.SANDBOX
    assert s.database.url is None
    assert s.database.data_dir == Path(".kalshiflow")
    assert s.actor.tick_throttle_ms == 250
    assert s.actor.contract_size == 10
    assert s.actor.target_market_mode == "hot"
    assert s.data_feed.market_limit == 100
    assert s.trading.environment is TradingEnvironment.DEMO
    assert s.risk.max_total_exposure_dollars == Decimal("500")


def test_flat_names_fill_nested_groups(key_file: Path) -> None:
    s = load({
        "KALSHI_API_KEY_ID": "trade-key", "KALSHI_PRIVATE_KEY_PATH": str(key_file),
        "KALSHI_DATA_API_KEY_ID": "data-key", "KALSHI_DATA_PRIVATE_KEY_CONTENT": "x",
        "RL_MARKET_MODE": "config", "RL_MARKET_TICKERS": "A-1, B-2,,",
        "ORDERBOOK_MARKET_LIMIT": "250", "RL_ACTOR_ENABLED": "false",
        "RL_ACTOR_TICK_THROTTLE_MS": "500", "RL_ACTOR_TARGET_MARKET_MODE": "all",
        "RL_ACTOR_CONTRACT_SIZE": "3", "DATABASE_URL": "postgresql://u:p@db/x",
        "RISK_MAX_DAILY_LOSS_DOLLARS": "12.34",
    })  # fmt: skip
    assert s.mode is RunMode.HYBRID
    assert s.trading.credentials.api_key_id == "trade-key"
    assert s.data_feed.credentials.api_key_id == "data-key"
    assert s.data_feed.market_tickers == ("A-1", "B-2")
    assert s.data_feed.market_limit == 250
    assert s.actor.enabled is False
    assert s.actor.tick_throttle_ms == 500
    assert s.actor.target_market_mode == "all"
    assert s.actor.contract_size == 3
    assert s.risk.max_daily_loss_dollars == Decimal("12.34")
    assert s.database.url is not None
    assert s.database.url.get_secret_value() == "postgresql://u:p@db/x"


def test_half_configured_data_pair_names_every_missing_variable(key_file: Path) -> None:
    found = problems({
        "KALSHI_API_KEY_ID": "k", "KALSHI_PRIVATE_KEY_PATH": str(key_file),
        "KALSHI_DATA_API_URL": "https://example.invalid/trade-api/v2",
        "KALSHI_DATA_API_KEY_ID": "d",
    })  # fmt: skip
    assert len(found) == 1
    assert "KALSHI_DATA_PRIVATE_KEY_CONTENT" in found[0]
    assert "KALSHI_DATA_PRIVATE_KEY_PATH" in found[0]


def test_half_configured_trading_pair_names_both_missing_variables() -> None:
    found = problems({"KALSHI_DATA_API_KEY_ID": "d", "KALSHI_DATA_PRIVATE_KEY_CONTENT": "x"})
    joined = "\n".join(found)
    assert "KALSHI_API_KEY_ID" in joined
    assert "KALSHI_PRIVATE_KEY_CONTENT (or KALSHI_PRIVATE_KEY_PATH)" in joined


def test_unreadable_key_file_names_the_variable(tmp_path: Path) -> None:
    missing = tmp_path / "nope.pem"
    found = problems({
        "KALSHI_API_KEY_ID": "k", "KALSHI_PRIVATE_KEY_PATH": str(missing),
        "V3_HYBRID_MODE": "false",
    })  # fmt: skip
    assert found == [f"KALSHI_PRIVATE_KEY_PATH: {missing} does not exist or is not a file"]


def test_production_without_confirmation_is_refused(key_file: Path) -> None:
    base = {"KALSHI_API_KEY_ID": "k", "KALSHI_PRIVATE_KEY_PATH": str(key_file),
            "V3_HYBRID_MODE": "false", "KALSHI_TRADING_ENVIRONMENT": "production"}  # fmt: skip
    found = problems(base)
    assert any("KALSHI_PRODUCTION_CONFIRMED=true" in p for p in found)
    s = load({**base, "KALSHI_PRODUCTION_CONFIRMED": "true"})
    assert s.trading.environment is TradingEnvironment.PRODUCTION
    assert s.mode is RunMode.SINGLE


def test_out_of_range_and_malformed_values_name_their_variable() -> None:
    found = problems({
        "ORDERBOOK_MARKET_LIMIT": "5000", "RL_ACTOR_ENABLED": "maybe",
        "RL_ACTOR_TARGET_MARKET_MODE": "warm", "KALSHIFLOW_PORT": "http",
    })  # fmt: skip
    named = {p.split(":")[0] for p in found}
    assert named == {
        "ORDERBOOK_MARKET_LIMIT", "RL_ACTOR_ENABLED", "RL_ACTOR_TARGET_MARKET_MODE",
        "KALSHIFLOW_PORT",
    }  # fmt: skip


def test_config_market_mode_needs_tickers() -> None:
    assert problems({"RL_MARKET_MODE": "config"}) == [
        "RL_MARKET_MODE=config needs RL_MARKET_TICKERS (comma-separated tickers)"
    ]


def test_environment_wins_over_dotenv_file(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("RL_ACTOR_CONTRACT_SIZE=4\nORDERBOOK_MARKET_LIMIT=7\n")
    s = load({"ORDERBOOK_MARKET_LIMIT": "9"}, env_file=env_file)
    assert s.actor.contract_size == 4
    assert s.data_feed.market_limit == 9


def test_secrets_never_appear_in_repr_or_errors() -> None:
    secret = PEM_MARKER + "\nMIIEsecretsecret\n"
    s = load({"KALSHI_API_KEY_ID": "k", "KALSHI_PRIVATE_KEY_CONTENT": secret,
              "V3_HYBRID_MODE": "false", "DATABASE_URL": "postgresql://u:hunter2@h/d"})  # fmt: skip
    assert "secretsecret" not in repr(s)
    assert "hunter2" not in repr(s)
    with pytest.raises(SettingsError) as info:
        load({"KALSHI_PRIVATE_KEY_CONTENT": secret, "KALSHIFLOW_PORT": secret})
    assert "secretsecret" not in str(info.value)


def test_every_variable_has_a_unique_name_and_target() -> None:
    names = [v.name for v in ENV_VARS]
    paths = [v.path for v in ENV_VARS]
    assert len(set(names)) == len(names)
    assert len(set(paths)) == len(paths)
