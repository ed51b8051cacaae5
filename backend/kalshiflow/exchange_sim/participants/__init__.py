"""Simulated participants of the local exchange: market makers around a latent fair value,
noise takers and informed traders, plus a realistic market-universe generator.

``build_participants(exchange, seed=, thin=, drift=)`` is what the runner calls;
``build_universe(seed, n_markets, start_ms=)`` lists markets; ``fast_forward`` runs a
``Population`` on a ``SimClock`` for tests and benchmarks.
"""

from kalshiflow.exchange_sim.participants.clock import SimClock, fast_forward
from kalshiflow.exchange_sim.participants.fair_value import FairValueParams, FairValues
from kalshiflow.exchange_sim.participants.population import (
    Population,
    PopulationConfig,
    build_participants,
)
from kalshiflow.exchange_sim.participants.universe import Universe, build_universe, date_code

__all__ = [
    "FairValueParams",
    "FairValues",
    "Population",
    "PopulationConfig",
    "SimClock",
    "Universe",
    "build_participants",
    "build_universe",
    "date_code",
    "fast_forward",
]
