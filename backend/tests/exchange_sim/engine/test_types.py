"""Snapshots handed out by the engine are complete, independent copies."""

from __future__ import annotations

import dataclasses

from kalshiflow.exchange_sim.engine import BookSide
from tests.exchange_sim.engine.support import TICKER, make_exchange, req


def test_order_and_market_copies_carry_every_field_and_are_independent() -> None:
    ex, _ = make_exchange()
    order = ex.place_order(req("a", BookSide.BID, "0.40", "2", client_order_id="c1")).order
    for original in (order, ex.market(TICKER)):
        copy = original.copy()
        assert copy == original  # dataclass equality compares every field
        assert copy is not original
        assert [f.name for f in dataclasses.fields(copy)] == [
            f.name for f in dataclasses.fields(original)
        ]
    live_copy = ex.order("a", order.order_id)
    ex.cancel_order("a", order.order_id)
    assert live_copy.status == "resting"  # an earlier snapshot does not change under us
