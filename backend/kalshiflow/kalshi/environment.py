"""Which Kalshi environment a URL points at: production, demo, or a simulated exchange."""

from __future__ import annotations

from typing import Literal
from urllib.parse import urlsplit

__all__ = ["Environment", "TradingEnvironment", "detect_environment"]

Environment = Literal["production", "demo", "simulated"]
TradingEnvironment = Literal["demo", "production"]

# Production lives under kalshi.com (external-api, api.elections, trading-api, *-ws);
# demo under kalshi.co (external-api.demo, demo-api, external-api-ws.demo).
_PRODUCTION_DOMAIN = "kalshi.com"
_DEMO_DOMAIN = "kalshi.co"


def detect_environment(url: str) -> Environment:
    """``production`` for *.kalshi.com, ``demo`` for *.kalshi.co, else ``simulated``.

    Loopback and any other host (the local ``kalshiflow sim``) count as simulated, so
    nothing pointed at them can ever move real money.
    """
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    if host == _PRODUCTION_DOMAIN or host.endswith("." + _PRODUCTION_DOMAIN):
        return "production"
    if host == _DEMO_DOMAIN or host.endswith("." + _DEMO_DOMAIN):
        return "demo"
    return "simulated"
