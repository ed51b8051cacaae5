"""Action selectors: observation in, one of the five actions out.

Every selector has the same two entry points: `choose(observation)` (synchronous, for
training evaluation and benchmarks) and `await select(observation)` (the live actor; a
selector whose inference is slow runs it off the event loop there). `name` and `version`
go into every recorded actor step.

`HardcodedSelector` is the default live policy; its rules, on the documented features:

1. no two-sided book, or the spread is wider than ``max_spread`` dollars: HOLD;
2. holding YES and (imbalance_3 <= -exit_imbalance or momentum <= -exit_momentum): SELL_YES;
   holding NO and (imbalance_3 >= exit_imbalance or momentum >= exit_momentum): SELL_NO;
3. imbalance_3 >= entry_imbalance and momentum >= 0 and the position is not at its limit:
   BUY_YES; imbalance_3 <= -entry_imbalance and momentum <= 0 and not at the limit: BUY_NO;
4. otherwise HOLD.

Resting size on the bid side of the YES book (imbalance > 0) is buying interest; momentum
confirms the direction, so the rule joins a move instead of fading it.

`BaselineSelector` is the design notes' baseline: 75% HOLD, 25% spread evenly over the four
trades, from a seeded generator (reproducible).
"""

from __future__ import annotations

from typing import Final, Protocol

import numpy as np

from kalshiflow.actor.features import FEATURE_NAMES, Observation
from kalshiflow.trading.types import Action

_IX: Final = {name: i for i, name in enumerate(FEATURE_NAMES)}
HAS_YES_BID: Final = _IX["has_yes_bid"]
HAS_NO_BID: Final = _IX["has_no_bid"]
SPREAD: Final = _IX["spread"]
IMBALANCE_3: Final = _IX["imbalance_3"]
MOMENTUM: Final = _IX["momentum"]
POSITION: Final = _IX["position"]


class ActionSelector(Protocol):
    name: str
    version: str

    def choose(self, observation: Observation) -> int: ...

    async def select(self, observation: Observation) -> int: ...


class HardcodedSelector:
    """The documented rule strategy on imbalance and momentum (module docstring)."""

    name = "hardcoded"

    def __init__(
        self,
        *,
        entry_imbalance: float = 0.4,
        exit_imbalance: float = 0.3,
        exit_momentum: float = 0.9,
        max_spread: float = 0.10,
    ) -> None:
        self.entry_imbalance = entry_imbalance
        self.exit_imbalance = exit_imbalance
        self.exit_momentum = exit_momentum
        self.max_spread = max_spread
        self.version = (
            f"rules-v1(entry={entry_imbalance},exit={exit_imbalance},"
            f"mom={exit_momentum},spread={max_spread})"
        )

    def choose(self, observation: Observation) -> int:
        o = observation
        if o[HAS_YES_BID] < 0.5 or o[HAS_NO_BID] < 0.5 or o[SPREAD] > self.max_spread:
            return Action.HOLD
        imbalance, mom, position = float(o[IMBALANCE_3]), float(o[MOMENTUM]), float(o[POSITION])
        if position > 0 and (imbalance <= -self.exit_imbalance or mom <= -self.exit_momentum):
            return Action.SELL_YES
        if position < 0 and (imbalance >= self.exit_imbalance or mom >= self.exit_momentum):
            return Action.SELL_NO
        if imbalance >= self.entry_imbalance and mom >= 0 and position < 1.0:
            return Action.BUY_YES
        if imbalance <= -self.entry_imbalance and mom <= 0 and position > -1.0:
            return Action.BUY_NO
        return Action.HOLD

    async def select(self, observation: Observation) -> int:
        return self.choose(observation)


class BaselineSelector:
    """75% HOLD, 25% uniformly over BUY_YES/SELL_YES/BUY_NO/SELL_NO, seeded."""

    name = "baseline"

    def __init__(self, seed: int = 0, hold_probability: float = 0.75) -> None:
        if not 0.0 <= hold_probability <= 1.0:
            raise ValueError(f"hold_probability must be in [0, 1], got {hold_probability}")
        self._rng = np.random.default_rng(seed)
        self.hold_probability = hold_probability
        self.version = f"baseline(seed={seed},hold={hold_probability})"

    def choose(self, observation: Observation) -> int:
        if self._rng.random() < self.hold_probability:
            return Action.HOLD
        return int(self._rng.integers(1, 5))

    async def select(self, observation: Observation) -> int:
        return self.choose(observation)


class HoldSelector:
    """Always HOLD: the do-nothing benchmark of training evaluation."""

    name = "hold"
    version = "hold"

    def choose(self, observation: Observation) -> int:
        return Action.HOLD

    async def select(self, observation: Observation) -> int:
        return Action.HOLD


__all__ = ["ActionSelector", "BaselineSelector", "HardcodedSelector", "HoldSelector"]
