"""``Population``: the simulated traders of one exchange, driven one action per ``step()``.

Pure and synchronous: the caller decides how often to call ``step()`` (the runner does it
``rate`` times per second on the asyncio loop; tests fast-forward a ``SimClock``). Every
random choice comes from ``random.Random`` streams derived from ``seed``, so the same seed
and the same sequence of clock readings reproduce the same orders.

``build_participants(exchange, seed=..., thin=..., drift=...)`` is the factory the runner
calls: production gets ``PopulationConfig.production()``, demo ``PopulationConfig.demo()``
(fewer and smaller market-maker quotes) and fair values that wander up to ``drift`` away
from production's, whose latent path it shares (see ``fair_value``).
"""

from __future__ import annotations

import heapq
import random
import zlib
from dataclasses import dataclass, field
from typing import Final

from kalshiflow.exchange_sim.engine.exchange import Exchange
from kalshiflow.exchange_sim.engine.types import (
    EngineEvent,
    ExchangeError,
    Fill,
    Market,
    MarketLifecycle,
    MarketStatus,
)
from kalshiflow.exchange_sim.participants.fair_value import NO_DRIFT, FairValueParams, FairValues
from kalshiflow.exchange_sim.participants.grid import ticks
from kalshiflow.exchange_sim.participants.traders import (
    InformedTrader,
    MarketMaker,
    MarketView,
    NoiseTaker,
)
from kalshiflow.kalshi.fixedpoint import MONEY_SCALE, ONE_DOLLAR, Money, Price

THREE_CENTS: Final = Price(300)
PRUNE_EVERY_STEPS: Final = 20_000
PRUNE_KEEP: Final = 500
SIM_ACCOUNT_BALANCE: Final = Money(100_000_000 * MONEY_SCALE)  # $100M: makers never starve


@dataclass(frozen=True, slots=True)
class PopulationConfig:
    market_makers: int = 8
    mm_levels: int = 3  # quotes per side per market
    mm_min_size: int = 5  # contracts per quote
    mm_max_size: int = 50
    mm_max_half_spread_ticks: int = 3
    mm_skew_per_contract: float = 2.0  # Price units (1e-4 $) per contract of inventory
    noise_takers: int = 4
    noise_min_size: int = 1
    noise_max_size: int = 20
    informed_traders: int = 2
    informed_edge: Price = THREE_CENTS
    informed_max_size: int = 30
    # Share of steps for (market-maker requote, noise trade); the rest are informed looks.
    mix: tuple[float, float] = (0.7, 0.2)
    account_balance: Money = SIM_ACCOUNT_BALANCE
    fair: FairValueParams = field(default_factory=FairValueParams)
    manage_lifecycle: bool = True  # determine markets at close, settle after the delay
    settle_delay_ms: int = 60_000

    @classmethod
    def production(cls) -> PopulationConfig:
        return cls()

    @classmethod
    def demo(cls) -> PopulationConfig:
        """Thinner: fewer makers quoting one small level, fewer takers."""
        return cls(
            market_makers=3,
            mm_levels=1,
            mm_min_size=1,
            mm_max_size=10,
            noise_takers=2,
            noise_max_size=5,
            informed_traders=1,
            informed_max_size=5,
        )


class Population:
    """Market makers, noise takers and informed traders on every active market."""

    def __init__(
        self,
        exchange: Exchange,
        *,
        seed: int,
        config: PopulationConfig | None = None,
        drift: Price = NO_DRIFT,
        initial_fair: dict[str, float] | None = None,
        account_prefix: str = "sim",
    ) -> None:
        self.exchange = exchange
        self.config = cfg = config or PopulationConfig.production()
        self.seed = seed
        self.fair = FairValues(seed, cfg.fair, drift)
        self._rng = random.Random(f"{seed}/actions/{drift}/{cfg.mm_levels}")
        self._initial_fair = initial_fair or {}
        self.steps = 0
        self.makers = [
            MarketMaker(
                f"{account_prefix}-mm-{i}",
                cfg.mm_levels,
                cfg.mm_min_size,
                cfg.mm_max_size,
                1 + i % cfg.mm_max_half_spread_ticks,
                cfg.mm_skew_per_contract,
            )
            for i in range(cfg.market_makers)
        ]
        self.noise = [
            NoiseTaker(f"{account_prefix}-noise-{i}", cfg.noise_min_size, cfg.noise_max_size)
            for i in range(cfg.noise_takers)
        ]
        self.informed = [
            InformedTrader(
                f"{account_prefix}-informed-{i}", cfg.informed_edge, cfg.informed_max_size
            )
            for i in range(cfg.informed_traders)
        ]
        for account_id in self.account_ids:
            if not exchange.has_account(account_id):
                exchange.create_account(account_id, cfg.account_balance)
        self._own = set(self.account_ids)
        self.positions: dict[tuple[str, str], int] = {}
        self._active: list[MarketView] = []
        self._index: dict[str, int] = {}
        self._closes: list[tuple[int, str]] = []  # (close epoch s, ticker)
        self._settles: list[tuple[int, str]] = []  # (settle at ms, ticker)
        for market in exchange.markets():
            self._track(market)
        exchange.subscribe(self._on_event)

    @property
    def account_ids(self) -> list[str]:
        return (
            [t.account_id for t in self.makers]
            + [t.account_id for t in self.noise]
            + [t.account_id for t in self.informed]
        )

    @property
    def active_tickers(self) -> list[str]:
        return [v.ticker for v in self._active]

    # --- market tracking (fed by the exchange's own events) ------------------------------

    def _track(self, market: Market) -> None:
        if market.status is MarketStatus.ACTIVE and market.ticker not in self._index:
            self._index[market.ticker] = len(self._active)
            self._active.append(MarketView(market.ticker, ticks(market.price_ranges)))
        if market.status in (MarketStatus.INITIALIZED, MarketStatus.ACTIVE):
            heapq.heappush(self._closes, (market.close_time, market.ticker))

    def _untrack(self, ticker: str) -> None:
        i = self._index.pop(ticker, None)
        if i is None:
            return
        last = self._active.pop()
        if last.ticker != ticker:
            self._active[i] = last
            self._index[last.ticker] = i

    def _on_event(self, event: EngineEvent) -> None:
        if isinstance(event, Fill):
            if event.account_id in self._own:
                self.positions[(event.account_id, event.ticker)] = event.post_position
        elif isinstance(event, MarketLifecycle):
            if event.event_type == "activated":
                self._track(self.exchange.market(event.ticker))
            elif event.event_type == "close_date_updated" and event.close_ts is not None:
                heapq.heappush(self._closes, (event.close_ts, event.ticker))
            elif event.event_type in ("deactivated", "determined", "settled"):
                self._untrack(event.ticker)

    # --- acting --------------------------------------------------------------------------

    def _fair(self, ticker: str, now_ms: int) -> Price:
        if not self.fair.known(ticker):
            initial = self._initial_fair.get(ticker)
            if initial is None:
                initial = random.Random(f"{self.seed}/{ticker}/init").uniform(0.1, 0.9)
            self.fair.ensure(ticker, initial, now_ms)
        return self.fair.price(ticker, now_ms)

    def step(self) -> None:
        """One trader action on one market, at the exchange clock's current time."""
        now = self.exchange.now_ms()
        self.steps += 1
        if self.steps % PRUNE_EVERY_STEPS == 0:
            # The traders never read their history; keep a long-running sim's memory flat.
            for account_id in self.account_ids:
                self.exchange.prune_history(account_id, keep=PRUNE_KEEP)
        if self.config.manage_lifecycle:
            self._lifecycle(now)
        if not self._active:
            return
        rng = self._rng
        market = self._active[rng.randrange(len(self._active))]
        fair = self._fair(market.ticker, now)
        roll = rng.random()
        mm_share, noise_share = self.config.mix
        if roll < mm_share and self.makers:
            maker = self.makers[zlib.crc32(market.ticker.encode()) % len(self.makers)]
            position = self.positions.get((maker.account_id, market.ticker), 0)
            maker.act(self.exchange, market, fair, position, rng)
        elif roll < mm_share + noise_share and self.noise:
            rng.choice(self.noise).act(self.exchange, market, fair, rng)
        elif self.informed:
            rng.choice(self.informed).act(self.exchange, market, fair, rng)

    def _lifecycle(self, now_ms: int) -> None:
        """Determine markets once closed (YES with the fair probability) and settle later."""
        now_s = now_ms // 1000
        while self._closes and self._closes[0][0] <= now_s:
            close_s, ticker = heapq.heappop(self._closes)
            try:
                market = self.exchange.market(ticker)
                if market.close_time != close_s or market.status not in (
                    MarketStatus.ACTIVE,
                    MarketStatus.CLOSED,
                ):
                    continue  # moved or already decided elsewhere
                self._fair(ticker, close_s * 1000)
                p_yes = self.fair.production_price(ticker, close_s * 1000) / ONE_DOLLAR
                draw = random.Random(f"{self.seed}/{ticker}/result").random()
                self.exchange.determine_market(ticker, "yes" if draw < p_yes else "no")
                heapq.heappush(self._settles, (now_ms + self.config.settle_delay_ms, ticker))
            except ExchangeError:
                continue
        while self._settles and self._settles[0][0] <= now_ms:
            _, ticker = heapq.heappop(self._settles)
            try:
                self.exchange.settle_market(ticker)
            except ExchangeError:
                continue


def build_participants(
    exchange: Exchange,
    *,
    seed: int,
    thin: bool,
    drift: int,
    initial_fair: dict[str, float] | None = None,
) -> Population:
    """The runner's factory: production (thin=False) or demo (thin=True, fair +- drift).

    Pass ``Universe.initial_fair`` to start from the universe's ladder-shaped fair values;
    without it each market starts at a seeded random probability (the same in both
    environments).
    """
    config = PopulationConfig.demo() if thin else PopulationConfig.production()
    return Population(
        exchange, seed=seed, config=config, drift=Price(drift), initial_fair=initial_fair
    )


__all__ = ["Population", "PopulationConfig", "build_participants"]
