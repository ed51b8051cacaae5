"""The generated universe: realistic tickers, deterministic per seed, installable."""

from __future__ import annotations

import datetime as dt
import re

from kalshiflow.exchange_sim.engine import Exchange, MarketStatus
from kalshiflow.exchange_sim.participants import build_universe, date_code

T0 = 1_795_000_000_000
TICKER_SHAPE = re.compile(r"^KX[A-Z]+-\d{2}[A-Z]{3}\d{2}[0-9A-Z]*-[A-Z]*[0-9.]*[A-Z]*$")


def test_date_code_matches_kalshi() -> None:
    assert date_code(dt.date(2026, 11, 22)) == "26NOV22"
    assert date_code(dt.date(2027, 1, 5)) == "27JAN05"


def test_universe_is_deterministic_sized_and_realistic() -> None:
    a = build_universe(11, 137, start_ms=T0)
    b = build_universe(11, 137, start_ms=T0)
    assert a == b
    assert build_universe(12, 137, start_ms=T0).tickers != a.tickers
    assert len(a.markets) == 137
    assert len(set(a.tickers)) == 137
    for spec in a.markets:
        assert TICKER_SHAPE.match(spec.ticker), spec.ticker
        assert spec.ticker.startswith(spec.event_ticker + "-")
        assert 0 < a.initial_fair[spec.ticker] < 1
        assert spec.close_time > T0 // 1000
    assert "KXHIGHNY-26NOV18-B" in " ".join(a.tickers)
    event_tickers = {e.event_ticker for e in a.events}
    assert {m.event_ticker for m in a.markets} == event_tickers
    assert {e.series_ticker for e in a.events} == {s.ticker for s in a.series}


def test_same_universe_installs_on_two_exchanges_with_the_same_tickers() -> None:
    universe = build_universe(5, 40, start_ms=T0)
    production, demo = Exchange(lambda: T0), Exchange(lambda: T0)
    universe.install(production)
    universe.install(demo)
    assert [m.ticker for m in production.markets()] == [m.ticker for m in demo.markets()]
    assert {m.status for m in demo.markets()} == {MarketStatus.ACTIVE}
