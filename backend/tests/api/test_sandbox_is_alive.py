"""What `make run` promises a new user: with no configuration, within a minute markets move,
the actor trades and the portfolio changes (sandbox mode, the real app)."""

from __future__ import annotations

import time

from tests.api.client import data
from tests.api.conftest import SharedApp

QUERY = (
    "{ markets(first: 5) { nodes { ticker lastPrice } } "
    "actor { orders } fills(first: 1) { tradeId } "
    "portfolio { positions { ticker position } } }"
)


def test_within_a_minute_markets_move_the_actor_trades_and_the_portfolio_changes(
    shared_app: SharedApp,
) -> None:
    seen = {"market prices": False, "actor orders": False, "fills": False, "positions": False}
    deadline = time.monotonic() + 60
    while not all(seen.values()):
        assert time.monotonic() < deadline, f"after 60 s still missing: {seen}"
        result = data(shared_app.app, QUERY, shared_app.token)
        seen["market prices"] |= any(m["lastPrice"] for m in result["markets"]["nodes"])
        seen["actor orders"] |= bool(result["actor"] and result["actor"]["orders"] > 0)
        seen["fills"] |= bool(result["fills"])
        portfolio = result["portfolio"]
        seen["positions"] |= bool(
            portfolio and any(p["position"] != "0.00" for p in portfolio["positions"])
        )
        time.sleep(1)
