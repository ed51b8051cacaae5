"""Typed settings for the whole system, read from the environment and `.env`.

One `Settings` object with nested groups (database, data feed, trading, actor, risk, api).
The variable names are flat and match the ones people coming from the design notes already
use (`KALSHI_API_URL`, `RL_ACTOR_ENABLED`, ...), so `ENV_VARS` below maps each flat name to its
place in the nested groups. That table is also the single source for `.env.example` and
`SETUP.md` (a test keeps them in step).

Validation happens once, at start, and reports *every* problem in one `SettingsError` whose
lines each name the variable to set and how, because a trader fixing a config one restart at
a time is a trader not trading.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Any, Final, Literal

from dotenv import dotenv_values
from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError

# Kalshi's published hosts (kalshi-protocol.md §1). Only used when credentials are given.
KALSHI_PRODUCTION_API_URL: Final = "https://external-api.kalshi.com/trade-api/v2"
KALSHI_PRODUCTION_WS_URL: Final = "wss://external-api-ws.kalshi.com/trade-api/ws/v2"
KALSHI_DEMO_API_URL: Final = "https://external-api.demo.kalshi.co/trade-api/v2"
KALSHI_DEMO_WS_URL: Final = "wss://external-api-ws.demo.kalshi.co/trade-api/ws/v2"


class SettingsError(Exception):
    """The configuration cannot run; each problem names the variable and the fix."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"kalshiflow cannot start with this configuration:\n{lines}")


class TradingEnvironment(StrEnum):
    DEMO = "demo"
    PRODUCTION = "production"


class RunMode(StrEnum):
    """How the two Kalshi clients are wired (see docs/ARCHITECTURE.md)."""

    SANDBOX = "sandbox"  # no credentials: both clients talk to the local exchange
    HYBRID = "hybrid"  # data from Kalshi production, orders to Kalshi demo
    SINGLE = "single"  # data and orders on one environment (KALSHI_TRADING_ENVIRONMENT)


class _Group(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class KalshiCredentials(_Group):
    """One side of the client pair: where to connect and with which key."""

    api_url: str | None = None
    ws_url: str | None = None
    api_key_id: str | None = None
    private_key_content: SecretStr | None = None
    private_key_path: Path | None = None

    @property
    def has_any(self) -> bool:
        return any(
            v is not None
            for v in (self.api_key_id, self.private_key_content, self.private_key_path)
        )


class DatabaseSettings(_Group):
    url: SecretStr | None = None  # None: embedded PostgreSQL in data_dir
    data_dir: Path = Path(".kalshiflow")


class DataFeedSettings(_Group):
    credentials: KalshiCredentials = KalshiCredentials()
    hybrid_mode: bool = True
    market_mode: Literal["discovery", "config"] = "discovery"
    market_tickers: tuple[str, ...] = ()
    market_limit: int = Field(100, ge=1, le=1000)


class TradingSettings(_Group):
    credentials: KalshiCredentials = KalshiCredentials()
    environment: TradingEnvironment = TradingEnvironment.DEMO
    production_confirmed: bool = False


class ActorSettings(_Group):
    enabled: bool = True
    model_id: str | None = None
    model_path: Path | None = None
    tick_throttle_ms: int = Field(250, ge=0, le=60_000)
    target_market_mode: Literal["hot", "config", "all"] = "hot"
    contract_size: int = Field(10, ge=1, le=10_000)


class RiskSettings(_Group):
    max_contracts_per_market: int = Field(100, ge=1)
    max_total_exposure_dollars: Decimal = Field(Decimal("500"), ge=0)
    max_open_orders: int = Field(50, ge=1)
    max_orders_per_second: int = Field(5, ge=1)
    max_daily_loss_dollars: Decimal = Field(Decimal("100"), ge=0)
    min_cash_reserve_dollars: Decimal = Field(Decimal("50"), ge=0)
    no_new_positions_before_close_minutes: int = Field(10, ge=0)


class ApiSettings(_Group):
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=0, le=65535)
    token: SecretStr | None = None  # None: generated at first start, kept in data_dir
    cors_origins: tuple[str, ...] = ()
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"


class SandboxSettings(_Group):
    markets: int = Field(60, ge=1, le=5000)
    seed: int = 7


class Settings(_Group):
    database: DatabaseSettings = DatabaseSettings()
    data_feed: DataFeedSettings = DataFeedSettings()
    trading: TradingSettings = TradingSettings()
    actor: ActorSettings = ActorSettings()
    risk: RiskSettings = RiskSettings()
    api: ApiSettings = ApiSettings()
    sandbox: SandboxSettings = SandboxSettings()

    @property
    def mode(self) -> RunMode:
        if not self.trading.credentials.has_any and not self.data_feed.credentials.has_any:
            return RunMode.SANDBOX
        return RunMode.HYBRID if self.data_feed.hybrid_mode else RunMode.SINGLE

    @classmethod
    def from_env(
        cls,
        environ: Mapping[str, str] | None = None,
        env_file: Path | None = Path(".env"),
    ) -> Settings:
        """Read the process environment (winning) over an optional `.env` file, validate."""
        values: dict[str, str] = {}
        if env_file is not None and env_file.is_file():
            values.update({k: v for k, v in dotenv_values(env_file).items() if v is not None})
        values.update(os.environ if environ is None else environ)
        return _build(values)


@dataclass(frozen=True, slots=True)
class EnvVar:
    """One environment variable: where it goes and what a user needs to know about it."""

    name: str
    path: tuple[str, ...]
    default: str
    help: str
    kind: Literal["str", "list", "bool", "secret"] = "str"


ENV_VARS: Final[tuple[EnvVar, ...]] = (
    EnvVar("DATABASE_URL", ("database", "url"), "(unset)",
           "PostgreSQL URL (postgresql://user:pass@host:5432/db). Unset: an embedded PostgreSQL "
           "is started in KALSHIFLOW_DATA_DIR and stopped on exit.", "secret"),
    EnvVar("KALSHIFLOW_DATA_DIR", ("database", "data_dir"), ".kalshiflow",
           "Where the embedded database, the local exchange's keys, the API token and "
           "trained models live."),
    EnvVar("KALSHI_API_URL", ("trading", "credentials", "api_url"),
           "Kalshi demo (or production) REST URL by KALSHI_TRADING_ENVIRONMENT",
           "REST base URL of the trading environment."),
    EnvVar("KALSHI_WS_URL", ("trading", "credentials", "ws_url"),
           "Kalshi demo (or production) WebSocket URL by KALSHI_TRADING_ENVIRONMENT",
           "WebSocket URL of the trading environment (fills, orders, positions)."),
    EnvVar("KALSHI_API_KEY_ID", ("trading", "credentials", "api_key_id"), "(unset)",
           "Key id of the trading account. Unset together with every other KALSHI_* key "
           "variable: sandbox mode on the local exchange."),
    EnvVar("KALSHI_PRIVATE_KEY_CONTENT", ("trading", "credentials", "private_key_content"),
           "(unset)", "PEM private key of the trading account (literal \\n allowed). "
           "Or use KALSHI_PRIVATE_KEY_PATH.", "secret"),
    EnvVar("KALSHI_PRIVATE_KEY_PATH", ("trading", "credentials", "private_key_path"), "(unset)",
           "Path of the trading account's PEM private key file."),
    EnvVar("KALSHI_DATA_API_URL", ("data_feed", "credentials", "api_url"),
           "Kalshi production REST URL", "REST base URL of the market-data environment."),
    EnvVar("KALSHI_DATA_WS_URL", ("data_feed", "credentials", "ws_url"),
           "Kalshi production WebSocket URL", "WebSocket URL of the market-data stream."),
    EnvVar("KALSHI_DATA_API_KEY_ID", ("data_feed", "credentials", "api_key_id"), "(unset)",
           "Key id of the (read-only) production data account; required in hybrid mode."),
    EnvVar("KALSHI_DATA_PRIVATE_KEY_CONTENT",
           ("data_feed", "credentials", "private_key_content"), "(unset)",
           "PEM private key of the data account. Or use KALSHI_DATA_PRIVATE_KEY_PATH.", "secret"),
    EnvVar("KALSHI_DATA_PRIVATE_KEY_PATH", ("data_feed", "credentials", "private_key_path"),
           "(unset)", "Path of the data account's PEM private key file."),
    EnvVar("V3_HYBRID_MODE", ("data_feed", "hybrid_mode"), "true",
           "true: market data from production, orders to demo. false: both on "
           "KALSHI_TRADING_ENVIRONMENT with the KALSHI_* credentials.", "bool"),
    EnvVar("KALSHI_TRADING_ENVIRONMENT", ("trading", "environment"), "demo",
           "demo | production: where orders go."),
    EnvVar("KALSHI_PRODUCTION_CONFIRMED", ("trading", "production_confirmed"), "false",
           "Must be true to trade real money on production; otherwise start is refused.", "bool"),
    EnvVar("RL_MARKET_MODE", ("data_feed", "market_mode"), "discovery",
           "discovery: watch the most active open markets; config: watch RL_MARKET_TICKERS."),
    EnvVar("RL_MARKET_TICKERS", ("data_feed", "market_tickers"), "(empty)",
           "Comma-separated market tickers for RL_MARKET_MODE=config.", "list"),
    EnvVar("ORDERBOOK_MARKET_LIMIT", ("data_feed", "market_limit"), "100",
           "How many markets discovery watches (1-1000)."),
    EnvVar("RL_ACTOR_ENABLED", ("actor", "enabled"), "true",
           "Run the background actor that trades the demo account.", "bool"),
    EnvVar("RL_ACTOR_MODEL_ID", ("actor", "model_id"), "(unset)",
           "Id of a trained model registered in the database; unset: hardcoded rules."),
    EnvVar("RL_ACTOR_MODEL_PATH", ("actor", "model_path"), "(unset)",
           "Path of a stable-baselines3 .zip model (instead of RL_ACTOR_MODEL_ID)."),
    EnvVar("RL_ACTOR_TICK_THROTTLE_MS", ("actor", "tick_throttle_ms"), "250",
           "Minimum milliseconds between two actor steps on one market."),
    EnvVar("RL_ACTOR_TARGET_MARKET_MODE", ("actor", "target_market_mode"), "hot",
           "hot | config | all: which watched markets the actor trades."),
    EnvVar("RL_ACTOR_CONTRACT_SIZE", ("actor", "contract_size"), "10",
           "Contracts per actor order."),
    EnvVar("RISK_MAX_CONTRACTS_PER_MARKET", ("risk", "max_contracts_per_market"), "100",
           "Largest absolute position per market."),
    EnvVar("RISK_MAX_TOTAL_EXPOSURE_DOLLARS", ("risk", "max_total_exposure_dollars"), "500",
           "Largest total cost of open positions and resting buys, in dollars."),
    EnvVar("RISK_MAX_OPEN_ORDERS", ("risk", "max_open_orders"), "50",
           "Largest number of resting orders."),
    EnvVar("RISK_MAX_ORDERS_PER_SECOND", ("risk", "max_orders_per_second"), "5",
           "Order submissions per second across all markets."),
    EnvVar("RISK_MAX_DAILY_LOSS_DOLLARS", ("risk", "max_daily_loss_dollars"), "100",
           "Trading stops for the day past this realized plus unrealized loss."),
    EnvVar("RISK_MIN_CASH_RESERVE_DOLLARS", ("risk", "min_cash_reserve_dollars"), "50",
           "Cash that orders may never touch."),
    EnvVar("RISK_NO_NEW_POSITIONS_BEFORE_CLOSE_MINUTES",
           ("risk", "no_new_positions_before_close_minutes"), "10",
           "No new positions this many minutes before a market closes."),
    EnvVar("KALSHIFLOW_HOST", ("api", "host"), "127.0.0.1",
           "Address the API and dashboard listen on."),
    EnvVar("KALSHIFLOW_PORT", ("api", "port"), "8000", "Port of the API and dashboard."),
    EnvVar("KALSHIFLOW_API_TOKEN", ("api", "token"), "(generated)",
           "Bearer token for the API; unset: generated at first start into the data dir.",
           "secret"),
    EnvVar("KALSHIFLOW_CORS_ORIGINS", ("api", "cors_origins"), "(empty)",
           "Comma-separated origins allowed to call the API from a browser.", "list"),
    EnvVar("KALSHIFLOW_LOG_LEVEL", ("api", "log_level"), "INFO", "DEBUG | INFO | WARNING | ERROR."),
    EnvVar("KALSHIFLOW_SANDBOX_MARKETS", ("sandbox", "markets"), "60",
           "Markets the local exchange lists in sandbox mode."),
    EnvVar("KALSHIFLOW_SANDBOX_SEED", ("sandbox", "seed"), "7",
           "Seed of the local exchange's simulated participants."),
)  # fmt: skip

_BY_PATH: Final = {v.path: v for v in ENV_VARS}
_TRUE: Final = {"1", "true", "yes", "on"}
_FALSE: Final = {"0", "false", "no", "off"}


def _convert(var: EnvVar, raw: str) -> object:
    raw = raw.strip()
    if var.kind == "list":
        return tuple(part.strip() for part in raw.split(",") if part.strip())
    if var.kind == "bool":
        low = raw.lower()
        if low in _TRUE:
            return True
        if low in _FALSE:
            return False
        return raw  # let pydantic report it, with the variable name attached below
    if var.kind == "str" and var.path[-1] in ("environment", "log_level"):
        return raw.lower() if var.path[-1] == "environment" else raw.upper()
    return raw


def _build(values: Mapping[str, str]) -> Settings:
    tree: dict[str, Any] = {}
    for var in ENV_VARS:
        raw = values.get(var.name)
        if raw is None or raw.strip() == "":
            continue
        node = tree
        for key in var.path[:-1]:
            node = node.setdefault(key, {})
        node[var.path[-1]] = _convert(var, raw)
    try:
        settings = Settings.model_validate(tree)
    except ValidationError as err:
        raise SettingsError([_describe(e) for e in err.errors()]) from None
    problems = check(settings)
    if problems:
        raise SettingsError(problems)
    return settings


def _describe(error: Mapping[str, Any]) -> str:
    loc = tuple(str(p) for p in error.get("loc", ()))
    var = _BY_PATH.get(loc)
    name = var.name if var else ".".join(loc)
    # Never echo the offending value: it might be a key pasted into the wrong variable.
    return f"{name}: {error.get('msg', 'invalid value')}"


def _credential_problems(creds: KalshiCredentials, prefix: str, needed_for: str) -> list[str]:
    """A half-configured credential pair names every variable that is still missing."""
    missing: list[str] = []
    if creds.api_key_id is None:
        missing.append(f"{prefix}API_KEY_ID")
    if creds.private_key_content is None and creds.private_key_path is None:
        missing.append(f"{prefix}PRIVATE_KEY_CONTENT (or {prefix}PRIVATE_KEY_PATH)")
    problems: list[str] = []
    if missing:
        problems.append(
            f"{needed_for} credentials are incomplete: set {', '.join(missing)}; or unset every "
            f"{prefix}* key variable to run in sandbox mode on the local exchange"
        )
    path = creds.private_key_path
    if path is not None and creds.private_key_content is None:
        if not path.is_file():
            problems.append(f"{prefix}PRIVATE_KEY_PATH: {path} does not exist or is not a file")
        elif not os.access(path, os.R_OK):
            problems.append(f"{prefix}PRIVATE_KEY_PATH: {path} is not readable by this user")
    return problems


def check(settings: Settings) -> list[str]:
    """Cross-field rules that one field's validator cannot see."""
    problems: list[str] = []
    trading, data = settings.trading, settings.data_feed
    mode = settings.mode
    if mode is not RunMode.SANDBOX:
        problems += _credential_problems(trading.credentials, "KALSHI_", "Trading (KALSHI_*)")
        if mode is RunMode.HYBRID:
            problems += _credential_problems(
                data.credentials, "KALSHI_DATA_", "Hybrid mode's market-data (KALSHI_DATA_*)"
            )
    if (
        mode is not RunMode.SANDBOX
        and trading.environment is TradingEnvironment.PRODUCTION
        and not trading.production_confirmed
    ):
        problems.append(
            "KALSHI_TRADING_ENVIRONMENT=production sends real-money orders: set "
            "KALSHI_PRODUCTION_CONFIRMED=true to confirm, or use KALSHI_TRADING_ENVIRONMENT=demo"
        )
    if data.market_mode == "config" and not data.market_tickers:
        problems.append("RL_MARKET_MODE=config needs RL_MARKET_TICKERS (comma-separated tickers)")
    if settings.actor.model_id and settings.actor.model_path:
        problems.append("set only one of RL_ACTOR_MODEL_ID and RL_ACTOR_MODEL_PATH")
    return problems
