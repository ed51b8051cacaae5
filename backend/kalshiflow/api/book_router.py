"""One bus subscription for all of the API's order-book subscribers.

If every `orderbook(ticker)` subscriber held its own bus subscription, each book update
would be offered to every subscriber's queue and wake every subscriber's task, whatever its
market: the feed's publish cost would grow with the number of open dashboards. The router
holds a single conflating subscription, drains it in one task, and hands each update only
to the listeners of that market. A listener keeps just the newest update (a book replaces
the previous one entirely), so a slow client skips to the latest book and never queues.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import Final

from kalshiflow.api.types.orderbook import SnapshotViews
from kalshiflow.events import EventBus, OrderbookUpdated, Subscription

# One pending update per market at most (conflated by ticker); far above any market count.
ROUTER_QUEUE: Final = 100_000


class BookListener:
    def __init__(self, router: BookRouter, ticker: str) -> None:
        self.ticker = ticker
        self.delivered = 0
        self.replaced = 0  # updates superseded before the client read them
        self._router = router
        self._latest: OrderbookUpdated | None = None
        self._ready = asyncio.Event()
        self._closed = False

    def offer(self, event: OrderbookUpdated) -> None:
        if self._latest is not None:
            self.replaced += 1
        self._latest = event
        self._ready.set()

    def take(self) -> OrderbookUpdated | None:
        """The newest update not yet read, or None."""
        event, self._latest = self._latest, None
        self._ready.clear()
        if event is not None:
            self.delivered += 1
        return event

    async def next(self) -> OrderbookUpdated:
        while True:
            event = self.take()
            if event is not None:
                return event
            await self._ready.wait()

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._router._remove(self)


class BookRouter:
    def __init__(self, bus: Callable[[], EventBus]) -> None:
        self._bus = bus
        self._listeners: dict[str, set[BookListener]] = {}
        self._sub: Subscription[OrderbookUpdated] | None = None
        self._task: asyncio.Task[None] | None = None
        # Converted books shared by the listeners of one market (see SnapshotViews).
        self.views = SnapshotViews()

    def listen(self, ticker: str) -> BookListener:
        """Start receiving ``ticker``'s updates now (call ``close()`` when done)."""
        listener = BookListener(self, ticker)
        self._listeners.setdefault(ticker, set()).add(listener)
        if self._task is None or self._task.done():
            self._sub = self._bus().subscribe(
                OrderbookUpdated, policy="conflate", maxsize=ROUTER_QUEUE, name="api:books"
            )
            self._task = asyncio.get_running_loop().create_task(
                self._pump(self._sub), name="api-book-router"
            )
        return listener

    @property
    def listeners(self) -> int:
        return sum(len(s) for s in self._listeners.values())

    async def _pump(self, sub: Subscription[OrderbookUpdated]) -> None:
        async for event in sub:
            for listener in self._listeners.get(event.ticker, ()):
                listener.offer(event)

    def _remove(self, listener: BookListener) -> None:
        group = self._listeners.get(listener.ticker)
        if group is not None:
            group.discard(listener)
            if not group:
                del self._listeners[listener.ticker]
                self.views.forget(listener.ticker)
        if not self._listeners and self._sub is not None:
            # Nobody listens: leave the bus (the pump ends once its queue is closed).
            self._sub.close()
            self._sub = None
            self._task = None

    async def aclose(self) -> None:
        if self._sub is not None:
            self._sub.close()
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
