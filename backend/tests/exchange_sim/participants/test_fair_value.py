"""The latent fair value: reproducible, independent of sampling, demo within its drift."""

from __future__ import annotations

from kalshiflow.exchange_sim.participants import FairValueParams, FairValues
from kalshiflow.kalshi.fixedpoint import Price

T0 = 1_795_000_000_000
HOUR = 3_600_000


def test_path_does_not_depend_on_how_often_it_is_read() -> None:
    dense, sparse = FairValues(3), FairValues(3)
    for fv in (dense, sparse):
        fv.ensure("KXBTCD-26NOV2217-T98000", 0.4, T0)
    for t in range(T0, T0 + HOUR, 1_000):
        dense.price("KXBTCD-26NOV2217-T98000", t)
    at_end = T0 + HOUR
    assert dense.price("KXBTCD-26NOV2217-T98000", at_end) == sparse.price(
        "KXBTCD-26NOV2217-T98000", at_end
    )


def test_path_moves_stays_inside_the_unit_interval_and_differs_per_ticker() -> None:
    fv = FairValues(3, FairValueParams(volatility_per_sqrt_hour=2.0, jumps_per_hour=5.0))
    for ticker in ("A", "B"):
        fv.ensure(ticker, 0.5, T0)
    prices = [fv.price("A", T0 + k * 60_000) for k in range(600)]
    assert len(set(prices)) > 50
    assert all(0 < p < 10_000 for p in prices)
    assert fv.price("B", T0 + 599 * 60_000) != prices[-1]


def test_demo_drifts_from_production_by_at_most_the_drift() -> None:
    drift = Price(500)
    production, demo = FairValues(9), FairValues(9, drift=drift)
    tickers = [f"KXT-{i}" for i in range(30)]
    gaps = []
    for ticker in tickers:
        production.ensure(ticker, 0.5, T0)
        demo.ensure(ticker, 0.5, T0)
    for k in range(0, 24 * HOUR, HOUR):
        for ticker in tickers:
            prod = production.price(ticker, T0 + k)
            assert demo.production_price(ticker, T0 + k) == prod  # one shared latent path
            gap = demo.price(ticker, T0 + k) - prod
            assert abs(gap) <= drift
            gaps.append(gap)
    assert max(gaps) > 200
    assert min(gaps) < -200
