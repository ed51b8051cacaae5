"""Participants: reproducible, trading, thinner in demo, and running market lifecycles."""

from __future__ import annotations

from kalshiflow.exchange_sim.engine import (
    EngineEvent,
    Exchange,
    MarketLifecycle,
    MarketSpec,
    MarketStatus,
    Trade,
)
from kalshiflow.exchange_sim.participants import (
    Population,
    PopulationConfig,
    SimClock,
    build_participants,
    build_universe,
    fast_forward,
)

T0 = 1_795_000_000_000


def run(
    seed: int, *, thin: bool = False, n_markets: int = 20, minutes: int = 2, drift: int = 0
) -> tuple[Exchange, list[EngineEvent]]:
    clock = SimClock(T0)
    ex = Exchange(clock, id_seed=seed)
    build_universe(seed, n_markets, start_ms=T0).install(ex)
    events: list[EngineEvent] = []
    ex.subscribe(events.append)
    population = build_participants(ex, seed=seed, thin=thin, drift=drift)
    fast_forward(ex, population, clock, duration_ms=minutes * 60_000, steps_per_second=20)
    return ex, events


def test_same_seed_reproduces_every_event() -> None:
    _, first = run(4)
    _, second = run(4)
    assert len(first) > 1000
    assert first == second
    _, other = run(5)
    assert other != first


def test_participants_quote_both_sides_and_trade() -> None:
    ex, events = run(4)
    trades = [e for e in events if isinstance(e, Trade)]
    assert len(trades) > 20
    two_sided = 0
    for market in ex.markets():
        yes, no = ex.orderbook(market.ticker)
        two_sided += bool(yes and no)
    assert two_sided >= 15


def test_demo_books_are_thinner_than_production() -> None:
    prod, _ = run(4)
    demo, _ = run(4, thin=True, drift=500)

    def resting_contracts(ex: Exchange) -> int:
        total = 0
        for market in ex.markets():
            yes, no = ex.orderbook(market.ticker)
            total += sum(c for _, c in yes) + sum(c for _, c in no)
        return total

    def levels(ex: Exchange) -> int:
        return sum(len(ex.orderbook(m.ticker)[0]) for m in ex.markets())

    assert resting_contracts(demo) * 3 < resting_contracts(prod)
    assert levels(demo) < levels(prod)
    assert [m.ticker for m in prod.markets()] == [m.ticker for m in demo.markets()]


def test_closed_markets_are_determined_then_settled_and_new_ones_get_traded() -> None:
    clock = SimClock(T0)
    ex = Exchange(clock, id_seed=1)
    universe = build_universe(2, 12, start_ms=T0, min_life_s=30, max_life_s=90)
    universe.install(ex)
    lifecycle: list[MarketLifecycle] = []
    ex.subscribe(lambda e: lifecycle.append(e) if isinstance(e, MarketLifecycle) else None)
    population = Population(
        ex,
        seed=2,
        config=PopulationConfig(settle_delay_ms=20_000),
        initial_fair=universe.initial_fair,
    )
    fast_forward(ex, population, clock, duration_ms=60_000, steps_per_second=50)
    # list a market mid-run: the population starts quoting it
    spec = universe.markets[0]
    ex.add_market(
        MarketSpec(
            spec.ticker + "X",
            spec.event_ticker,
            "late listing",
            clock.now_ms // 1000 - 1,
            clock.now_ms // 1000 + 3600,
        )
    )
    fast_forward(ex, population, clock, duration_ms=120_000, steps_per_second=50)
    statuses = {m.ticker: m.status for m in ex.markets()}
    assert all(s is MarketStatus.FINALIZED for t, s in statuses.items() if not t.endswith("X")), (
        statuses
    )
    kinds = [e.event_type for e in lifecycle]
    assert kinds.count("determined") == 12
    assert kinds.count("settled") == 12
    assert {e.result for e in lifecycle if e.event_type == "determined"} <= {"yes", "no"}
    yes, no = ex.orderbook(spec.ticker + "X")
    assert yes
    assert no
    for account_id in population.account_ids:
        assert all(p.position == 0 for p in ex.positions(account_id) if not p.ticker.endswith("X"))


def test_runner_factory_signature_builds_thin_demo() -> None:
    ex = Exchange(lambda: T0)
    build_universe(1, 5, start_ms=T0).install(ex)
    demo = build_participants(ex, seed=7, thin=True, drift=500)
    assert demo.config == PopulationConfig.demo()
    demo.step()
    assert demo.steps == 1
