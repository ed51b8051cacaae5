"""The decision log says counts in contracts, the way people read them."""

from __future__ import annotations

from dataclasses import dataclass

from kalshiflow.actor.orders import describe_outcome


@dataclass
class _Order:
    client_order_id: str = "c1"
    order_id: str = "o1"
    status: str = "resting"
    filled: int = 250  # 2.50 contracts in Count units
    remaining: int = 750


@dataclass
class _Result:
    order: _Order
    rejection: None = None
    error: None = None


def test_counts_are_written_in_contracts() -> None:
    outcome = describe_outcome(_Result(_Order()))
    assert outcome.status == "placed"
    assert outcome.detail == "resting: filled 2.50, resting 7.50"
