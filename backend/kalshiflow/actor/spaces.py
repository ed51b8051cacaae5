"""The gymnasium spaces of the actor's policies: ``Box(-1, 1, (52,), float32)`` observations
(docs/OBSERVATION.md) and ``Discrete(5)`` actions (trading.types.Action)."""

from __future__ import annotations

import numpy as np
from gymnasium import spaces

from kalshiflow.actor.features import ACTION_COUNT, OBSERVATION_SIZE


def observation_space() -> spaces.Box:
    return spaces.Box(low=-1.0, high=1.0, shape=(OBSERVATION_SIZE,), dtype=np.float32)


def action_space() -> spaces.Discrete:
    return spaces.Discrete(ACTION_COUNT)


__all__ = ["action_space", "observation_space"]
