"""The simulator's listing: series, events and markets generated from a seed.

Both environments call :func:`populate` with the same seed and count, so they list the same
tickers (like Kalshi's production and demo), while their prices are left to each
environment's participants. Events group five strike markets; a few events use sub-cent
price grids so clients meet ``deci_cent`` and ``tapered_deci_cent`` ticks.
"""

from __future__ import annotations

import random
from typing import Final

from kalshiflow.exchange_sim.engine.exchange import Exchange
from kalshiflow.exchange_sim.engine.types import (
    LINEAR_CENT,
    Event,
    MarketSpec,
    PriceRange,
    Series,
)
from kalshiflow.kalshi.fixedpoint import ONE_DOLLAR, Price

MARKETS_PER_EVENT: Final = 5

# (series ticker, title, category, strike unit, first strike, strike step)
_SERIES: Final = (
    ("KXSIMBTC", "Bitcoin price at the close", "Crypto", "$", 90_000, 1_000),
    ("KXSIMCPI", "CPI year over year", "Economics", "%", 2, 1),
    ("KXSIMHIGHNY", "Highest temperature in NYC", "Climate and Weather", "°F", 40, 2),
    ("KXSIMFED", "Fed funds upper bound", "Economics", "%", 3, 1),
    ("KXSIMGAS", "US gas price", "Economics", "$", 3, 1),
    ("KXSIMRAIN", "Rain in Seattle (inches)", "Climate and Weather", "in", 1, 1),
)

_MILLI: Final = Price(10)
DECI_CENT: Final[tuple[PriceRange, ...]] = ((Price(0), ONE_DOLLAR, _MILLI),)
TAPERED_DECI_CENT: Final[tuple[PriceRange, ...]] = (
    (Price(0), Price(1000), _MILLI),
    (Price(1000), Price(9000), Price(100)),
    (Price(9000), ONE_DOLLAR, _MILLI),
)


def _grid(event_index: int) -> tuple[PriceRange, ...]:
    # Mostly whole cents, like Kalshi; every 10th event sub-cent so clients see both.
    if event_index % 10 == 7:
        return TAPERED_DECI_CENT
    if event_index % 10 == 9:
        return DECI_CENT
    return LINEAR_CENT


def populate(exchange: Exchange, *, seed: int, n_markets: int, now_ms: int) -> list[str]:
    """List ``n_markets`` open markets on ``exchange``; returns their tickers in order."""
    rng = random.Random(seed)
    now_s = now_ms // 1000
    tickers: list[str] = []
    series_added: set[str] = set()
    event_index = 0
    while len(tickers) < n_markets:
        series_ticker, title, category, unit, first, step = _SERIES[event_index % len(_SERIES)]
        if series_ticker not in series_added:
            exchange.add_series(Series(series_ticker, title, category=category))
            series_added.add(series_ticker)
        round_no = event_index // len(_SERIES)
        event_ticker = f"{series_ticker}-S{round_no + 1:03d}"
        close_time = now_s + 3600 * rng.randint(6, 24 * 14)
        exchange.add_event(
            Event(
                event_ticker,
                series_ticker,
                f"{title} (round {round_no + 1})",
                sub_title=f"closes in {(close_time - now_s) // 3600} h",
                category=category,
            )
        )
        grid = _grid(event_index)
        for k in range(min(MARKETS_PER_EVENT, n_markets - len(tickers))):
            strike = first + step * k
            ticker = f"{event_ticker}-T{strike}"
            exchange.add_market(
                MarketSpec(
                    ticker=ticker,
                    event_ticker=event_ticker,
                    title=f"{title}: above {strike}{unit}?",
                    open_time=now_s - 3600,
                    close_time=close_time,
                    yes_sub_title=f"Above {strike}{unit}",
                    no_sub_title=f"{strike}{unit} or below",
                    price_ranges=grid,
                    rules_primary=f"Resolves YES if the value is above {strike}{unit}.",
                    strike_type="greater",
                    floor_strike=str(strike),
                )
            )
            tickers.append(ticker)
        event_index += 1
    return tickers
