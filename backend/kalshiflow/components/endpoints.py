"""Where each side of the client pair connects, resolved from Settings.

Hybrid: data from Kalshi production, orders to the trading environment (demo by default).
Single: both sides on the trading environment with the trading key. Sandbox endpoints come
from the running local exchange instead (kalshiflow.components.sandbox).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kalshiflow.config import (
    KALSHI_DEMO_API_URL,
    KALSHI_DEMO_WS_URL,
    KALSHI_PRODUCTION_API_URL,
    KALSHI_PRODUCTION_WS_URL,
    KalshiCredentials,
    RunMode,
    Settings,
    SettingsError,
    TradingEnvironment,
)
from kalshiflow.kalshi.auth import KalshiAuth, KeyLoadError


@dataclass(frozen=True, slots=True)
class Endpoint:
    """One side of the pair. `key_source` says where the key came from; never the key."""

    environment: str
    rest_url: str
    ws_url: str
    key_id: str
    key_content: str | None
    key_path: Path | None
    variable_prefix: str

    def auth(self) -> KalshiAuth:
        """Load the key; failures name the variable to fix, never the key material."""
        try:
            if self.key_content is not None:
                return KalshiAuth.from_key_content(self.key_id, self.key_content)
            if self.key_path is not None:
                return KalshiAuth.from_key_file(self.key_id, self.key_path)
        except KeyLoadError as err:
            var = "PRIVATE_KEY_CONTENT" if self.key_content is not None else "PRIVATE_KEY_PATH"
            raise SettingsError([f"{self.variable_prefix}{var}: {err}"]) from None
        raise SettingsError([f"{self.variable_prefix}PRIVATE_KEY_PATH: no private key given"])


def _endpoint(
    creds: KalshiCredentials, environment: str, rest: str, ws: str, prefix: str
) -> Endpoint:
    return Endpoint(
        environment=environment,
        rest_url=creds.api_url or rest,
        ws_url=creds.ws_url or ws,
        key_id=creds.api_key_id or "",
        key_content=(
            creds.private_key_content.get_secret_value() if creds.private_key_content else None
        ),
        key_path=creds.private_key_path,
        variable_prefix=prefix,
    )


def trading_endpoint(settings: Settings) -> Endpoint:
    env = settings.trading.environment
    rest, ws = (
        (KALSHI_PRODUCTION_API_URL, KALSHI_PRODUCTION_WS_URL)
        if env is TradingEnvironment.PRODUCTION
        else (KALSHI_DEMO_API_URL, KALSHI_DEMO_WS_URL)
    )
    return _endpoint(settings.trading.credentials, env.value, rest, ws, "KALSHI_")


def data_endpoint(settings: Settings) -> Endpoint:
    if settings.mode is RunMode.SINGLE:
        return trading_endpoint(settings)
    return _endpoint(
        settings.data_feed.credentials,
        TradingEnvironment.PRODUCTION.value,
        KALSHI_PRODUCTION_API_URL,
        KALSHI_PRODUCTION_WS_URL,
        "KALSHI_DATA_",
    )
