"""A realistic market universe: series -> events -> markets, generated from a seed.

Tickers follow Kalshi's shapes: ``KXHIGHNY-26NOV22-B45`` (temperature buckets),
``KXBTCD-26NOV2217-T98500`` (crypto "above" strikes at 5pm), ``KXINXU-26NOV22H1600-B6050``
(index ranges), ``KXNBAGAME-26NOV22LALBOS-LAL`` (game winners). The same seed gives the
same listing, so a demo exchange installed from the same ``Universe`` has the same
tickers as production (its prices then come from a ``Population`` built with ``thin=True``
and a drift).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from kalshiflow.exchange_sim.engine.exchange import Exchange
from kalshiflow.exchange_sim.engine.types import Event, MarketSpec, Series

_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
_CITIES = (("NY", "NYC"), ("CHI", "Chicago"), ("LAX", "Los Angeles"), ("MIA", "Miami"))
_TEAMS = ("LAL", "BOS", "NYK", "GSW", "MIA", "DEN", "PHX", "DAL", "MIL", "OKC", "CLE", "MIN")


@dataclass(frozen=True, slots=True)
class Universe:
    series: tuple[Series, ...]
    events: tuple[Event, ...]
    markets: tuple[MarketSpec, ...]
    initial_fair: dict[str, float]  # latent starting probability per ticker

    @property
    def tickers(self) -> list[str]:
        return [m.ticker for m in self.markets]

    def install(self, exchange: Exchange) -> None:
        """List every series, event and market on ``exchange``."""
        for series in self.series:
            exchange.add_series(series)
        for event in self.events:
            exchange.add_event(event)
        for market in self.markets:
            exchange.add_market(market)


def date_code(day: dt.date) -> str:
    """Kalshi's date code: 2026-11-22 -> ``26NOV22``."""
    return f"{day.year % 100:02d}{_MONTHS[day.month - 1]}{day.day:02d}"


class _Builder:
    def __init__(self, rng: random.Random, start_s: int, min_life_s: int, max_life_s: int):
        self.rng = rng
        self.start_s = start_s
        self.min_life_s = min_life_s
        self.max_life_s = max_life_s
        self.series: dict[str, Series] = {}
        self.events: list[Event] = []
        self.markets: list[MarketSpec] = []
        self.fair: dict[str, float] = {}

    def close_time(self) -> int:
        return self.start_s + self.rng.randint(self.min_life_s, self.max_life_s)

    def add_series(self, ticker: str, title: str, category: str, frequency: str) -> None:
        if ticker not in self.series:
            self.series[ticker] = Series(ticker, title, category, frequency)

    def ladder(
        self,
        event: Event,
        strikes: list[tuple[str, str, str]],  # (suffix, yes_sub_title, strike)
        title: str,
        kind: str,
    ) -> None:
        """Markets of one event; fair values shaped like a bucket or an "above" ladder."""
        self.events.append(event)
        close = self.close_time()
        center = self.rng.uniform(0, len(strikes) - 1)
        for k, (suffix, sub_title, strike) in enumerate(strikes):
            ticker = f"{event.event_ticker}-{suffix}"
            if kind == "greater":
                fair = 1.0 / (1.0 + 2.718281828 ** ((k - center) * 0.8))
            else:
                fair = 0.03 + 0.5 * 2.718281828 ** (-((k - center) ** 2) / 2.0)
            self.fair[ticker] = fair
            self.markets.append(
                MarketSpec(
                    ticker=ticker,
                    event_ticker=event.event_ticker,
                    title=title.format(sub_title=sub_title),
                    open_time=self.start_s - 3600,
                    close_time=close,
                    yes_sub_title=sub_title,
                    no_sub_title=f"Not {sub_title}",
                    rules_primary=f"Resolves Yes if the outcome is {sub_title}.",
                    strike_type=kind,
                    floor_strike=strike,
                )
            )


def build_universe(
    seed: int,
    n_markets: int,
    *,
    start_ms: int,
    min_life_s: int = 3_600,
    max_life_s: int = 3 * 86_400,
) -> Universe:
    """``n_markets`` markets in realistic series/events, open at ``start_ms`` and closing
    between ``min_life_s`` and ``max_life_s`` later."""
    if n_markets < 1:
        raise ValueError("n_markets must be at least 1")
    rng = random.Random(seed)
    b = _Builder(rng, start_ms // 1000, min_life_s, max_life_s)
    base = dt.datetime.fromtimestamp(start_ms // 1000, tz=dt.UTC).date()
    round_no = 0
    while len(b.markets) < n_markets:
        day = base + dt.timedelta(days=round_no // 4)
        code = date_code(day)
        kind = round_no % 4
        if kind == 0:
            city, name = _CITIES[(round_no // 4) % len(_CITIES)]
            series = f"KXHIGH{city}"
            b.add_series(series, f"Highest temperature in {name}", "Climate and Weather", "daily")
            lo = rng.randint(30, 80)
            strikes = [(f"B{t}", f"{t}° to {t + 1}°", str(t)) for t in range(lo, lo + 12, 2)]
            b.ladder(
                Event(f"{series}-{code}", series, f"Highest temperature in {name} on {day}?"),
                strikes,
                f"Will the high temp in {name} be {{sub_title}} on {day}?",
                "between",
            )
        elif kind == 1:
            series = "KXBTCD"
            b.add_series(series, "Bitcoin price today at 5pm EDT", "Crypto", "daily")
            lo = rng.randint(80, 120) * 1000
            strikes = [(f"T{s}", f"${s:,} or above", str(s)) for s in range(lo, lo + 10_000, 1_000)]
            b.ladder(
                Event(f"{series}-{code}17", series, f"Bitcoin price on {day} at 5pm EDT?"),
                strikes,
                f"Will Bitcoin be {{sub_title}} on {day} at 5pm EDT?",
                "greater",
            )
        elif kind == 2:
            series = "KXINXU"
            b.add_series(series, "S&P 500 daily range", "Financials", "daily")
            lo = rng.randint(5800, 6400) // 25 * 25
            strikes = [(f"B{s}", f"{s} to {s + 24.99}", str(s)) for s in range(lo, lo + 200, 25)]
            b.ladder(
                Event(f"{series}-{code}H1600", series, f"S&P 500 close on {day}?"),
                strikes,
                f"Will the S&P 500 close {{sub_title}} on {day}?",
                "between",
            )
        else:
            series = "KXNBAGAME"
            b.add_series(series, "Professional basketball game", "Sports", "custom")
            home, away = rng.sample(_TEAMS, 2)
            b.ladder(
                Event(f"{series}-{code}{away}{home}", series, f"{away} at {home} on {day}"),
                [(away, away, away), (home, home, home)],
                f"Will {{sub_title}} win {away} at {home} on {day}?",
                "winner",
            )
        round_no += 1
    markets = b.markets[:n_markets]
    kept_events = {m.event_ticker for m in markets}
    events = [e for e in b.events if e.event_ticker in kept_events]
    kept_series = {e.series_ticker for e in events}
    return Universe(
        series=tuple(s for t, s in b.series.items() if t in kept_series),
        events=tuple(events),
        markets=tuple(markets),
        initial_fair={m.ticker: b.fair[m.ticker] for m in markets},
    )
