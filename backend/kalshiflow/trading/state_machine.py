"""The trader's life cycle: only the ``trading`` state may place orders.

::

    starting ──> calibrating ──> trading <──> paused
        │            │  ^          │            │
        │            │  └──────────┼────────────┤   (re-calibrate on demand)
        └────────────┴──> recovering <──────────┘   (after errors)
                                │
                                └──> calibrating

    every state except stopped ──> stopped (terminal)

``calibrating`` is reconciliation with the exchange (orders, fills, positions, balance);
startup is recovery, so it is the only way into ``trading``. ``recovering`` is entered after
an error and always goes through ``calibrating`` again before trading resumes. Illegal
transitions raise `IllegalTransitionError`; each legal one produces a frozen
`TraderStateChanged` that is returned and handed to the optional ``on_change`` callback
(the coordinator publishes it on the event bus).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from kalshiflow.trading.types import Clock


class TraderState(StrEnum):
    STARTING = "starting"
    CALIBRATING = "calibrating"
    TRADING = "trading"
    PAUSED = "paused"
    RECOVERING = "recovering"
    STOPPED = "stopped"


S = TraderState
ALLOWED: Final[Mapping[TraderState, frozenset[TraderState]]] = {
    S.STARTING: frozenset({S.CALIBRATING, S.RECOVERING, S.STOPPED}),
    S.CALIBRATING: frozenset({S.TRADING, S.PAUSED, S.RECOVERING, S.STOPPED}),
    S.TRADING: frozenset({S.PAUSED, S.CALIBRATING, S.RECOVERING, S.STOPPED}),
    S.PAUSED: frozenset({S.TRADING, S.CALIBRATING, S.RECOVERING, S.STOPPED}),
    S.RECOVERING: frozenset({S.CALIBRATING, S.STOPPED}),
    S.STOPPED: frozenset(),
}


class IllegalTransitionError(RuntimeError):
    """A transition the state machine does not allow (a bug in the caller)."""


@dataclass(frozen=True, slots=True)
class TraderStateChanged:
    previous: TraderState
    current: TraderState
    reason: str
    at_ms: int


class TraderStateMachine:
    """Holds the trader's state; every change goes through `transition`."""

    def __init__(
        self,
        clock: Clock,
        on_change: Callable[[TraderStateChanged], None] | None = None,
    ) -> None:
        self._clock = clock
        self._on_change = on_change
        self._state = TraderState.STARTING
        self.history: list[TraderStateChanged] = []

    @property
    def state(self) -> TraderState:
        return self._state

    @property
    def can_trade(self) -> bool:
        return self._state is TraderState.TRADING

    def can_transition(self, target: TraderState) -> bool:
        return target in ALLOWED[self._state]

    def transition(self, target: TraderState, reason: str) -> TraderStateChanged:
        if target not in ALLOWED[self._state]:
            allowed = ", ".join(sorted(ALLOWED[self._state])) or "nothing (terminal)"
            raise IllegalTransitionError(
                f"trader cannot go from {self._state} to {target} ({reason}); "
                f"from {self._state} it may go to: {allowed}"
            )
        event = TraderStateChanged(self._state, target, reason, self._clock())
        self._state = target
        self.history.append(event)
        if self._on_change is not None:
            self._on_change(event)
        return event

    # Named steps, so call sites read as the life cycle they follow.

    def calibrate(self, reason: str = "reconciling with the exchange") -> TraderStateChanged:
        return self.transition(TraderState.CALIBRATING, reason)

    def start_trading(self, reason: str = "reconciled") -> TraderStateChanged:
        return self.transition(TraderState.TRADING, reason)

    def pause(self, reason: str) -> TraderStateChanged:
        return self.transition(TraderState.PAUSED, reason)

    def resume(self, reason: str = "resumed") -> TraderStateChanged:
        return self.transition(TraderState.TRADING, reason)

    def fail(self, reason: str) -> TraderStateChanged:
        return self.transition(TraderState.RECOVERING, reason)

    def stop(self, reason: str = "stopped") -> TraderStateChanged:
        return self.transition(TraderState.STOPPED, reason)
