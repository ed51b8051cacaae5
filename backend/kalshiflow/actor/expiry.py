"""Cancel the actor's resting orders that have waited too long.

Orders placed at the touch go stale as the market moves; left alone they pile up until the
open-order limit refuses every new one. The training simulator cancels its orders after the
same time-to-live (`training.sim_orders.DEFAULT_TTL_NS`), so live and training agree on how
long an order can rest (and the order features mean the same thing in both).

`OrderExpiry` reads the actor's own open orders from the trading core's OrderTracker and
cancels them through the OrderManager (``cancel(key)``); manual orders are never touched.
"""

from __future__ import annotations

import logging
from typing import Any, Final, Protocol

from kalshiflow.trading.events import OrderSource

log = logging.getLogger(__name__)

DEFAULT_TTL_S: Final = 60.0


class Canceller(Protocol):
    async def cancel(self, key: str) -> Any: ...


class OrderExpiry:
    def __init__(self, tracker: Any, canceller: Canceller, ttl_s: float = DEFAULT_TTL_S) -> None:
        if ttl_s <= 0:
            raise ValueError(f"order time-to-live must be positive seconds, got {ttl_s}")
        self.tracker = tracker
        self.canceller = canceller
        self.ttl_ms = int(ttl_s * 1000)
        self.cancelled = 0
        self.failures = 0

    async def expire(self, ticker: str, now_ms: int) -> int:
        """Cancel the actor's open orders in ``ticker`` older than the time-to-live."""
        done = 0
        for order in self.tracker.open_orders():
            if (
                order.ticker != ticker
                or order.source != OrderSource.ACTOR
                or order.order_id is None  # not acknowledged yet: nothing to cancel
                or now_ms - order.created_ms < self.ttl_ms
            ):
                continue
            try:
                await self.canceller.cancel(order.client_order_id)
            except Exception as err:  # a failed cancel is retried on the next step
                self.failures += 1
                log.warning("could not cancel stale order %s on %s: %s",
                            order.client_order_id, ticker, err)  # fmt: skip
                continue
            done += 1
        self.cancelled += done
        return done


__all__ = ["DEFAULT_TTL_S", "Canceller", "OrderExpiry"]
