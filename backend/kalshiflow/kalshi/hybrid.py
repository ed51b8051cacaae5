"""The hybrid pair: market data from one environment, trading on another (usually demo)."""

from __future__ import annotations

from dataclasses import dataclass

from kalshiflow.kalshi.auth import KalshiAuth
from kalshiflow.kalshi.data_client import KalshiDataClient
from kalshiflow.kalshi.environment import TradingEnvironment, detect_environment
from kalshiflow.kalshi.ratelimit import RateLimiter
from kalshiflow.kalshi.rest import KalshiRestClient
from kalshiflow.kalshi.trading_client import KalshiTradingClient

__all__ = ["HybridClientPair", "build_client_pair"]


@dataclass(slots=True)
class HybridClientPair:
    data: KalshiDataClient
    trading: KalshiTradingClient
    data_ws_url: str | None = None
    trading_ws_url: str | None = None

    def health(self) -> dict[str, object]:
        """Where each side points, for status pages and logs. Key ids only, never keys."""
        return {
            "data": {
                "environment": self.data.environment,
                "rest_url": self.data.base_url,
                "ws_url": self.data_ws_url,
                "key_id": self.data.key_id,
            },
            "trading": {
                "environment": self.trading.environment,
                "url_environment": detect_environment(self.trading.base_url),
                "rest_url": self.trading.base_url,
                "ws_url": self.trading_ws_url,
                "key_id": self.trading.key_id,
                "production_confirmed": self.trading.production_confirmed,
            },
        }

    async def aclose(self) -> None:
        try:
            await self.data.aclose()
        finally:
            await self.trading.aclose()


def build_client_pair(
    *,
    data_rest_url: str,
    trading_rest_url: str,
    data_auth: KalshiAuth | None,
    trading_auth: KalshiAuth,
    trading_environment: TradingEnvironment = "demo",
    production_confirmed: bool = False,
    data_ws_url: str | None = None,
    trading_ws_url: str | None = None,
    data_rate_tier: str = "basic",
    trading_rate_tier: str = "basic",
    timeout_s: float = 10.0,
    validate_markets: bool = True,
) -> HybridClientPair:
    """Build the pair from plain values (the coordinator maps Settings onto these).

    Each side gets its own REST client and rate limiter: different keys, different buckets.
    Raises ProductionNotConfirmedError for unconfirmed production trading.
    """
    trading = KalshiTradingClient(
        KalshiRestClient(
            trading_rest_url,
            trading_auth,
            limiter=RateLimiter(trading_rate_tier),
            timeout_s=timeout_s,
        ),
        environment=trading_environment,
        production_confirmed=production_confirmed,
        validate_markets=validate_markets,
    )
    data = KalshiDataClient(
        KalshiRestClient(
            data_rest_url, data_auth, limiter=RateLimiter(data_rate_tier), timeout_s=timeout_s
        )
    )
    return HybridClientPair(
        data=data, trading=trading, data_ws_url=data_ws_url, trading_ws_url=trading_ws_url
    )
