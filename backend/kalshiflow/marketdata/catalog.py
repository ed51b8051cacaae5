"""Metadata of the markets being watched: titles, event, times, status, activity.

Filled from REST (discovery), kept current by the lifecycle channel (status, close time) and
the ticker/trade channels (last price, volume). The recorder persists it in the ``market``
table (``to_record``); the API and dashboard read it from here.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime

from kalshiflow.kalshi.models import Market, PriceRange
from kalshiflow.persistence.records import MarketRecord


@dataclass(frozen=True, slots=True)
class MarketInfo:
    ticker: str
    event_ticker: str
    title: str
    subtitle: str  # Kalshi's yes_sub_title: what "yes" means in multi-market events
    status: str  # Kalshi's response vocabulary: active, closed, determined, settled, ...
    open_time: datetime | None
    close_time: datetime | None
    volume: int  # Count units
    volume_24h: int
    open_interest: int
    last_price: int | None  # Price units
    # The tick grid (Kalshi's price_ranges): which prices an order may use.
    price_ranges: tuple[PriceRange, ...] = ()

    @property
    def series_ticker(self) -> str | None:
        """Kalshi event tickers start with the series ticker (``SERIES-EVENT``)."""
        return self.event_ticker.split("-", 1)[0] if self.event_ticker else None

    @classmethod
    def from_market(cls, market: Market) -> MarketInfo:
        return cls(
            ticker=market.ticker,
            event_ticker=market.event_ticker,
            title=market.title,
            subtitle=market.yes_sub_title or market.subtitle,
            status=market.status,
            open_time=market.open_time,
            close_time=market.close_time,
            volume=int(market.volume),
            volume_24h=int(market.volume_24h),
            open_interest=int(market.open_interest),
            last_price=None if market.last_price is None else int(market.last_price),
            price_ranges=market.price_ranges,
        )

    def to_record(self) -> MarketRecord:
        return MarketRecord(
            ticker=self.ticker,
            event_ticker=self.event_ticker,
            series_ticker=self.series_ticker,
            title=self.title,
            status=self.status,
            close_at=self.close_time,
        )


def _from_ts(seconds: int | None) -> datetime | None:
    return None if seconds is None else datetime.fromtimestamp(seconds, UTC)


class MarketCatalog:
    """Ticker -> ``MarketInfo`` (each value immutable; updates replace it)."""

    def __init__(self) -> None:
        self._markets: dict[str, MarketInfo] = {}

    def get(self, ticker: str) -> MarketInfo | None:
        return self._markets.get(ticker)

    def all(self) -> tuple[MarketInfo, ...]:
        return tuple(self._markets[t] for t in sorted(self._markets))

    def __contains__(self, ticker: object) -> bool:
        return ticker in self._markets

    def __len__(self) -> int:
        return len(self._markets)

    def upsert(self, info: MarketInfo) -> None:
        self._markets[info.ticker] = info

    def discard(self, ticker: str) -> None:
        self._markets.pop(ticker, None)

    def set_status(self, ticker: str, status: str, close_ts: int | None = None) -> None:
        info = self._markets.get(ticker)
        if info is None:
            return
        close = _from_ts(close_ts) if close_ts is not None else info.close_time
        self._markets[ticker] = replace(info, status=status, close_time=close)

    def record_activity(
        self,
        ticker: str,
        *,
        last_price: int | None = None,
        volume: int | None = None,
        open_interest: int | None = None,
    ) -> None:
        info = self._markets.get(ticker)
        if info is None:
            return
        self._markets[ticker] = replace(
            info,
            last_price=info.last_price if last_price is None else last_price,
            volume=info.volume if volume is None else volume,
            open_interest=info.open_interest if open_interest is None else open_interest,
        )


__all__ = ["MarketCatalog", "MarketInfo"]
