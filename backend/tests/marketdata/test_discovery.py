"""Ranking and filtering rules of market discovery (the live behaviour is tested against the
local exchange in test_discovery_integration.py)."""

from __future__ import annotations

from typing import Any

import pytest

from kalshiflow.kalshi.models import Market
from kalshiflow.marketdata.discovery import MarketDiscovery, is_multivariate, rank_markets


def market(
    ticker: str, v24: str = "0.00", vol: str = "0.00", oi: str = "0.00", **kw: Any
) -> Market:
    data = {
        "ticker": ticker,
        "event_ticker": ticker.rsplit("-", 1)[0],
        "status": kw.get("status", "active"),
        "volume_24h_fp": v24,
        "volume_fp": vol,
        "open_interest_fp": oi,
    }
    return Market.from_wire(data)


def test_rank_by_24h_volume_then_volume_then_open_interest() -> None:
    markets = [
        market("A-1", "5.00", "100.00", "1.00"),
        market("B-1", "9.00", "1.00", "1.00"),
        market("C-1", "5.00", "100.00", "7.00"),
        market("D-1", "5.00", "200.00", "0.00"),
        market("E-1"),
        market("F-1"),
    ]
    assert [m.ticker for m in rank_markets(markets, 4)] == ["B-1", "D-1", "C-1", "A-1"]
    assert [m.ticker for m in rank_markets(markets, 6)][-2:] == ["E-1", "F-1"]  # ties by ticker


def test_rank_skips_closed_and_combo_markets() -> None:
    markets = [
        market("KXMVESPORTS-26-X", "99.00"),
        market("KXMVECROSSCATEGORY-S2026-ABC", "98.00"),
        market("CLOSED-1", "97.00", status="closed"),
        market("SETTLED-1", "97.00", status="settled"),
        market("OPEN-1", "1.00"),
    ]
    assert [m.ticker for m in rank_markets(markets, 10)] == ["OPEN-1"]


@pytest.mark.parametrize(
    ("ticker", "combo"),
    [
        ("KXMVESPORTSMULTIGAMEEXTENDED-S2026-1A2B", True),
        ("kxmvecrosscategory-x", True),
        ("KXHIGHNY-26NOV21-B61", False),
        ("KXBTCD-26NOV2117-T98000", False),
    ],
)
def test_is_multivariate(ticker: str, combo: bool) -> None:
    assert is_multivariate(ticker) is combo


def test_settings_are_checked() -> None:
    with pytest.raises(ValueError, match="ORDERBOOK_MARKET_LIMIT"):
        MarketDiscovery(None, None, None, limit=1001)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="RL_MARKET_TICKERS"):
        MarketDiscovery(None, None, None, mode="config")  # type: ignore[arg-type]
