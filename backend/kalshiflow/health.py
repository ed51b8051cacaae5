"""Component health: what every long-lived service reports and the API shows."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ComponentState(StrEnum):
    STARTING = "starting"
    RUNNING = "running"
    DEGRADED = "degraded"
    STOPPED = "stopped"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class ComponentHealth:
    name: str
    state: ComponentState
    detail: str = ""


_SEVERITY = {
    ComponentState.RUNNING: 0,
    ComponentState.STARTING: 1,
    ComponentState.DEGRADED: 2,
    ComponentState.STOPPED: 3,
    ComponentState.FAILED: 4,
}


def worst(*states: ComponentState) -> ComponentState:
    return max(states, key=_SEVERITY.__getitem__)


def overall(components: list[ComponentHealth]) -> ComponentState:
    """The system is as healthy as its least healthy component."""
    if not components:
        return ComponentState.STOPPED
    return worst(*(c.state for c in components))
