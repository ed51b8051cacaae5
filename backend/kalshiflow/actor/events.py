"""Events the actor publishes on the EventBus."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ActorActionTaken:
    """One actor step: what it decided and what became of the order.

    ``action`` is a trading.types.Action value (0..4). ``outcome``: hold | no_order | placed |
    filled | rejected | error, with ``detail`` in words. Order fields are exact fixed-point
    units (YES price in Price, count in Count) and None when nothing was sent. Latencies in
    microseconds; ``received_ns`` is when the book update acted on was received."""

    ticker: str
    action: int
    action_name: str
    selector: str
    model_version: str
    outcome: str
    detail: str
    decision_latency_us: int
    step_latency_us: int
    received_ns: int
    acted_ns: int
    book_seq: int | None = None
    order_side: str | None = None
    order_yes_price: int | None = None
    order_count: int | None = None
    client_order_id: str | None = None
    order_id: str | None = None


@dataclass(frozen=True, slots=True)
class ActorStateChanged:
    """The actor started, paused, resumed or stopped; or a market's circuit breaker opened."""

    state: str
    reason: str
    ticker: str | None = None


__all__ = ["ActorActionTaken", "ActorStateChanged"]
